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
