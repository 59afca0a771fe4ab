{#
    A stable key: the md5 (dbt.hash) of the expressions joined with ':' — the same inputs
    always give the same key, in every run and on every engine. project_id is
    stable_id(['document_id', 'source_line']), i.e. md5(document_id || ':' || source_line),
    where document_id is the first 16 hex digits of the document's sha256.
#}
{% macro stable_id(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '')") -%}
        {%- if not loop.last -%}{%- do parts.append("':'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
