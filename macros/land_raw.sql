{#
    Run at the start of every dbt run (on-run-start, dbt_project.yml): an engine that reads the
    raw tables from the extract step's Parquet hand-over declares them here, inside dbt's own
    session (spark__: macros/engines/spark.sql). The others load raw before dbt: nothing to do.
#}
{% macro land_raw_hook() -%}
    {{ return(adapter.dispatch('land_raw_hook', 'perfdw')()) }}
{%- endmacro %}

{% macro default__land_raw_hook() -%}
    {{ return('') }}
{%- endmacro %}
