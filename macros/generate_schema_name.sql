{#
    Custom schema names are used as they are: models land in exactly `staging`,
    `intermediate` and `marts`, seeds in `seeds` (not `main_staging`, dbt's default).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
