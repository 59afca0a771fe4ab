{#
    The `fiscal_year` var: null (the default) builds every year; a year (2024, or "2024")
    rebuilds that year only. Per-year models (fct_project_budget, fct_performance_indicator,
    rpt_reconciliation) are then incremental with delete+insert on fiscal_year: the year's rows
    are deleted and inserted again, other years' rows are not touched. Without the var they
    are rebuilt as whole tables.
#}

{% macro selected_fiscal_year() -%}
    {%- set value = var('fiscal_year', none) -%}
    {%- if value is none or (value is string and value | trim | lower in ('', 'none', 'null')) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set year = value | int(-1) -%}
    {%- if year < 1900 or year > 2999 -%}
        {{ exceptions.raise_compiler_error("perfdw: the fiscal_year var must be a year or null, got " ~ value) }}
    {%- endif -%}
    {{ return(year) }}
{%- endmacro %}

{# config(...) arguments of a per-year model. #}
{% macro per_year_config() -%}
    {%- set config = {
        'materialized': 'table' if perfdw.selected_fiscal_year() is none else 'incremental',
        'on_schema_change': 'fail',
        'tags': ['per_year'],
    } -%}
    {%- do config.update(perfdw.per_year_engine_config()) -%}
    {{ return(config) }}
{%- endmacro %}

{# How the engine replaces one year's rows (spark__: macros/engines/spark.sql). #}
{% macro per_year_engine_config() -%}
    {{ return(adapter.dispatch('per_year_engine_config', 'perfdw')()) }}
{%- endmacro %}

{% macro default__per_year_engine_config() -%}
    {{ return({'incremental_strategy': 'delete+insert', 'unique_key': 'fiscal_year'}) }}
{%- endmacro %}

{# `and <column> = <year>` when one year is selected; nothing otherwise. #}
{% macro fiscal_year_condition(column='fiscal_year') -%}
    {%- set year = perfdw.selected_fiscal_year() -%}
    {%- if year is not none %} and {{ column }} = {{ year }}{% endif -%}
{%- endmacro %}
