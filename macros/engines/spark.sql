{#
    Spark (dbt-spark, `method: session`) versions of the engine-specific macros.

    Spark SQL reads the models' RE2 patterns as Java regexes the same way (leftmost-first
    alternation, `*?`, `(?:…)`, literal CJK ranges), with one exception handled here: POSIX
    classes. Java spells [[:space:]] as \p{Space}; inside a bracket expression Java reads
    `[[:space:]]` as the characters `[:space]`, silently matching the wrong thing.
#}

{# The models' RE2 pattern in Java's spelling, as an SQL string literal. #}
{% macro spark_pattern(pattern) -%}
    {%- set java = pattern
        | replace('[:space:]', '\\p{Space}')
        | replace('[:digit:]', '\\p{Digit}')
        | replace('[:alpha:]', '\\p{Alpha}')
        | replace('[:punct:]', '\\p{Punct}') -%}
    {#- Spark string literals treat backslash as an escape character: double it. -#}
    {{ perfdw.sql_string(java | replace('\\', '\\\\')) }}
{%- endmacro %}

{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike {{ perfdw.spark_pattern(pattern) }})
{%- endmacro %}

{% macro spark__regex_extract(expression, pattern, group=0) -%}
    nullif(regexp_extract({{ expression }}, {{ perfdw.spark_pattern(pattern) }}, {{ group }}), '')
{%- endmacro %}

{% macro spark__regex_replace_all(expression, pattern, replacement='') -%}
    regexp_replace({{ expression }}, {{ perfdw.spark_pattern(pattern) }}, {{ perfdw.sql_string(replacement) }})
{%- endmacro %}

{# Spark's string_agg takes its order as WITHIN GROUP: DISTINCT is allowed when it sorts by the argument. #}
{% macro spark__string_agg_distinct(expression, separator) -%}
    string_agg(distinct {{ expression }}, {{ perfdw.sql_string(separator) }}) within group (order by {{ expression }})
{%- endmacro %}


{#
    Per-year models: Spark's Parquet tables have no delete+insert; the table is partitioned by
    fiscal_year and a one-year load overwrites that year's partition (dynamic partition
    overwrite, which dbt-spark turns on for insert_overwrite).
#}
{% macro spark__per_year_engine_config() -%}
    {{ return({
        'incremental_strategy': 'insert_overwrite',
        'partition_by': ['fiscal_year'],
        'file_format': 'parquet',
    }) }}
{%- endmacro %}

{#
    The pre-hook: the year's partition is dropped first, so that a year left with no rows (its
    documents removed) is emptied too; insert_overwrite alone replaces only the partitions it
    writes. With no year selected, insert_overwrite replaces every year it writes.
#}
{% macro spark__clear_replaced_rows(year) -%}
    {%- if year is not none -%}
    alter table {{ this }} drop if exists partition (fiscal_year = {{ year }})
    {%- endif -%}
{%- endmacro %}


{#
    Spark has no length-less varchar (nor `text`): the models' contracts and seeds say
    varchar, which Spark calls string. Every cast dbt writes (contracts' empty-schema checks,
    dbt.cast) and every seed column type goes through this.
#}
{% macro spark_type(type) -%}
    {%- set name = type | trim | lower -%}
    {%- if name in ('varchar', 'text', 'character varying') -%}string
    {#- a timestamp without time zone, as in DuckDB and the Parquet hand-over -#}
    {%- elif name == 'timestamp' -%}timestamp_ntz
    {%- else -%}{{ type }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ perfdw.spark_type(type) }})
{%- endmacro %}

{#
    Constraints are enforced only by Delta tables; ours are Parquet (the session's default
    format, without a file_format config), where dbt-spark's default of 'delta' would try them.
    The contracts' not-null columns are dbt not_null tests as well.
#}
{% macro spark__persist_constraints(relation, model) %}
{% endmacro %}

{# dbt-spark's seed table and rows, with the column types through spark_type. #}
{% macro spark__create_csv_table(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
  {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = perfdw.spark_type(column_override.get(col_name, inferred_type)) -%}
            {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ location_clause() }}
  {% endset %}
  {% call statement('_') -%}
    {{ sql }}
  {%- endcall %}
  {{ return(sql) }}
{% endmacro %}

{#
    Rows as literals rather than bindings: the session cursor substitutes bindings into the SQL
    unquoted (a value with an apostrophe breaks the statement) and an empty cell as 'None'.
#}
{% macro spark_literal(value) -%}
    {%- if value is none -%}null
    {%- elif value is string -%}'{{ value | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- elif value is sameas true or value is sameas false -%}{{ 'true' if value else 'false' }}
    {%- else -%}'{{ value }}'
    {%- endif -%}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
  {% set column_override = model['config'].get('column_types', {}) %}
  {% set statements = [] %}
  {% for chunk in agate_table.rows | batch(get_batch_size()) %}
      {% set sql %}
          insert into {{ this.render() }} values
          {% for row in chunk -%}
              ({%- for col_name in agate_table.column_names -%}
                  {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                  cast({{ perfdw.spark_literal(row[loop.index0]) }} as {{ perfdw.spark_type(column_override.get(col_name, inferred_type)) }})
                  {%- if not loop.last %},{% endif -%}
              {%- endfor -%})
              {%- if not loop.last %},{% endif %}
          {%- endfor %}
      {% endset %}
      {% do adapter.add_query(sql, abridge_sql_log=True) %}
      {% if loop.index0 == 0 %}
          {% do statements.append(sql) %}
      {% endif %}
  {% endfor %}
  {{ return(statements[0]) }}
{% endmacro %}


{#
    raw.<table>: a view over the extract step's Parquet hand-over ($PERFDW_HOME/raw/<table>/
    fiscal_year=YYYY/), read with partition discovery at every query, so a new year's folder
    needs no repair. The view lists the raw table's own columns: the partition column is
    dropped, except for `documents`, whose own column it is. Re-created at the start of every
    run, so the raw schema follows the hand-over's columns.
#}
{% macro spark__land_raw_hook() %}
    {%- set raw_dir = var('raw_parquet', none) -%}
    {%- if raw_dir is none or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {% do run_query('create schema if not exists raw') %}
    {% for table in var('raw_tables') %}
        {%- set files = "parquet.`" ~ raw_dir ~ "/" ~ table ~ "`" -%}
        {%- set columns = run_query("select * from " ~ files ~ " limit 0").column_names -%}
        {%- set kept = [] -%}
        {%- for column in columns if table == 'documents' or column != 'fiscal_year' -%}
            {%- do kept.append('`' ~ column ~ '`') -%}
        {%- endfor -%}
        {% do run_query("create or replace view raw." ~ table ~ " as select " ~ kept | join(', ') ~ " from " ~ files) %}
    {% endfor %}
    {{ return('') }}
{% endmacro %}
