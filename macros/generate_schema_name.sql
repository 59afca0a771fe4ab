{#
    Custom schema names are used as they are: models land in exactly `staging`,
    `intermediate` and `marts`, seeds in `seeds` (not `main_staging`, dbt's default).

    On a shared engine (PostgreSQL, Spark) the build and the published marts live in one
    database, so the build's schemas are `build_<name>` and publishing copies `build_marts`
    into `marts`, the schema analysts read. DuckDB builds in the pipeline's own file and
    publishes to another file, so its schemas keep their names.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set prefix = '' if target.type == 'duckdb' else 'build_' -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ prefix }}{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
