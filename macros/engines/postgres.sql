{#
    PostgreSQL versions of the portability macros (macros/portability.sql).

    PostgreSQL's regular expressions (ARE) read the models' patterns as RE2 does, with one
    difference to watch: greediness is a property of the whole pattern (that of its first
    quantifier), and each subexpression matches as much or as little as its own quantifier says,
    earlier ones first. The models' patterns are anchored and give earlier groups priority, so
    the captures are DuckDB's; the equality test (tests/engines/test_postgres.py) compares every
    mart with DuckDB's to keep it so.
#}

{% macro postgres__regex_matches(expression, pattern) -%}
    ({{ expression }} ~ {{ perfdw.sql_string(pattern) }})
{%- endmacro %}

{#
    regexp_match gives the capture groups (or the whole match when the pattern has none); the
    whole match of a pattern with groups is the first group of the pattern in parentheses,
    which have no quantifier and so change neither its greediness nor its match.
#}
{% macro postgres__regex_extract(expression, pattern, group=0) -%}
    {%- if group == 0 -%}
    nullif((regexp_match({{ expression }}, {{ perfdw.sql_string('(' ~ pattern ~ ')') }}))[1], '')
    {%- else -%}
    nullif((regexp_match({{ expression }}, {{ perfdw.sql_string(pattern) }}))[{{ group }}], '')
    {%- endif -%}
{%- endmacro %}

{% macro postgres__regex_replace_all(expression, pattern, replacement='') -%}
    regexp_replace({{ expression }}, {{ perfdw.sql_string(pattern) }}, {{ perfdw.sql_string(replacement) }}, 'g')
{%- endmacro %}

{#
    on_schema_change: fail for the per-year incremental models, with PostgreSQL's spelling of
    the same type allowed. dbt-postgres builds an incremental model's temporary relation without
    its contract, so that relation's columns have their expressions' types (text, numeric) while
    the table has the contract's (varchar, numeric(24,6)): the same kind of value, which the
    insert stores unchanged (the models cast every amount to amount_type() already). Any other
    difference (a new type, a column added or gone) still fails the build.
#}
{% macro postgres__diff_column_data_types(source_columns, target_columns) %}
    {%- set result = [] -%}
    {%- for sc in source_columns -%}
        {%- set tc = target_columns | selectattr('name', 'equalto', sc.name) | list | first -%}
        {%- if tc -%}
            {%- set same_string = sc.is_string() and tc.is_string() and (tc.dtype | lower in ('text', 'character varying')) and tc.char_size is none -%}
            {%- set same_number = sc.dtype | lower == 'numeric' and tc.dtype | lower == 'numeric' and sc.numeric_precision is none -%}
            {%- if sc.expanded_data_type != tc.expanded_data_type and not (same_string or same_number) -%}
                {%- do result.append({'column_name': tc.name, 'new_type': sc.expanded_data_type}) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(result) }}
{% endmacro %}
