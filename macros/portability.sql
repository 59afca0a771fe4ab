{#
    Engine-specific SQL lives here and only here.

    Models call these macros instead of DuckDB's regexp_* and translate functions, so that
    running the same models on another engine (PostgreSQL, Spark, Trino, …) means adding
    `<adapter>__<macro>` versions below, not rewriting models. Each macro dispatches through
    adapter.dispatch; the duckdb__ versions are the implementation in use, the default__
    versions stop compilation with a message naming the macro to write.

    Regular-expression flavour: the patterns in the models are RE2 (DuckDB): leftmost-first
    alternation, non-greedy `*?`, `(?:…)` groups, POSIX classes such as [[:space:]], and CJK
    characters written literally (e.g. the range [一-鿿]), never as \u escapes. Java regexes
    (Spark, Trino) read them the same way; PostgreSQL's ARE decides greediness for a whole
    pattern from its first quantifier, so a port to PostgreSQL must check the patterns that mix
    `.*?` with greedy parts (int_target_readings, int_program_names).
#}

{# True when `pattern` matches anywhere in `expression`; null when expression is null. #}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'perfdw')(expression, pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ perfdw.sql_string(pattern) }})
{%- endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    {{ perfdw.not_ported('regex_matches') }}
{%- endmacro %}


{#
    The text of capture group `group` (0: the whole match) of the first match of `pattern`;
    null when there is no match or the group matched nothing.
#}
{% macro regex_extract(expression, pattern, group=0) -%}
    {{ return(adapter.dispatch('regex_extract', 'perfdw')(expression, pattern, group)) }}
{%- endmacro %}

{% macro duckdb__regex_extract(expression, pattern, group=0) -%}
    nullif(regexp_extract({{ expression }}, {{ perfdw.sql_string(pattern) }}, {{ group }}), '')
{%- endmacro %}

{% macro default__regex_extract(expression, pattern, group=0) -%}
    {{ perfdw.not_ported('regex_extract') }}
{%- endmacro %}


{# Every match of `pattern` replaced by `replacement` (a plain string, no group references). #}
{% macro regex_replace_all(expression, pattern, replacement='') -%}
    {{ return(adapter.dispatch('regex_replace_all', 'perfdw')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro duckdb__regex_replace_all(expression, pattern, replacement='') -%}
    regexp_replace({{ expression }}, {{ perfdw.sql_string(pattern) }}, {{ perfdw.sql_string(replacement) }}, 'g')
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement='') -%}
    {{ perfdw.not_ported('regex_replace_all') }}
{%- endmacro %}


{#
    Full-width punctuation made half-width (：:，,（(）)％%；;) and the ideographic space made
    a plain one, then trimmed. Nothing else changes: 【】、。“” and comparison signs stay.
#}
{% macro canonical_text(expression) -%}
    {{ return(adapter.dispatch('canonical_text', 'perfdw')(expression)) }}
{%- endmacro %}

{% macro default__canonical_text(expression) -%}
    nullif(trim(translate({{ expression }}, '：，（）％；　', ':,()%; ')), '')
{%- endmacro %}


{# The distinct values of `expression` in a group, sorted, joined by `separator`. #}
{% macro string_agg_distinct(expression, separator) -%}
    {{ return(adapter.dispatch('string_agg_distinct', 'perfdw')(expression, separator)) }}
{%- endmacro %}

{# DuckDB and PostgreSQL spell it alike. #}
{% macro default__string_agg_distinct(expression, separator) -%}
    string_agg(distinct {{ expression }}, {{ perfdw.sql_string(separator) }} order by {{ expression }})
{%- endmacro %}


{# --- helpers ------------------------------------------------------------------------- #}

{# A Jinja string as an SQL string literal. #}
{% macro sql_string(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{% macro not_ported(macro_name) -%}
    {{ exceptions.raise_compiler_error(
        "perfdw: macro " ~ macro_name ~ " has no version for the '" ~ target.type ~ "' adapter; "
        ~ "add " ~ target.type ~ "__" ~ macro_name ~ " to macros/portability.sql"
    ) }}
{%- endmacro %}
