{#
    dbt-duckdb's incremental materialization first writes a build's rows to a temporary table,
    then copies them from there into the model's table: each row of a one-year load is written
    twice (at scale 1000, int_indicator_results: 0.5 s into the temporary table, 2.1 s copying
    it, against 1.2 s inserting the query's rows directly; bench/PERFORMANCE.md). A temporary
    view serves the materialization as well: it has the columns dbt compares with the table's
    (on_schema_change) and the rows the append inserts, computed once, as they are inserted.

    Only an incremental model's temporary relation becomes a view; everything else is built by
    dbt-duckdb's own macro. dbt looks up `create_table_as` in the root project first.
#}
{% macro duckdb__create_table_as(temporary, relation, compiled_code, language='sql', partitioned_by=none, sorted_by=none) -%}
    {%- if temporary and language == 'sql' and model.resource_type == 'model' and config.get('materialized') == 'incremental' -%}
        {%- if config.get('contract').enforced -%}
            {{ get_assert_columns_equivalent(compiled_code) }}
        {%- endif %}
    create temporary view {{ relation.include(database=false, schema=false) }} as (
        {{ compiled_code }}
    )
    {%- else -%}
        {{ dbt.duckdb__create_table_as(temporary, relation, compiled_code, language, partitioned_by, sorted_by) }}
    {%- endif -%}
{%- endmacro %}
