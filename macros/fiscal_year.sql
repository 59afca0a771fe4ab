{#
    Loading one fiscal year. The per-year models (config per_year_config(), tag `per_year`:
    the intermediate models and facts that hold rows of a document, hence of its year) are
    incremental: a load of one year deletes that year's rows and inserts them again, the other
    years' rows are not touched; the first build, and any build with --full-refresh (every
    full load: perfdw.dbt), builds them whole.

    The year comes from the environment, PERFDW_FISCAL_YEAR (a year, or empty / unset: every
    year), and is read only while models run (`execute`), never while dbt parses: the parsed
    project, and so dbt's partial-parse state, is the same for every year. (A dbt var would do
    the same job, but dbt re-parses the whole project whenever a var changes: ≈ 3 s on the first
    load of each year, bench/PERFORMANCE.md.) Configs must not depend on the year.
#}

{% macro selected_fiscal_year() -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set value = env_var('PERFDW_FISCAL_YEAR', '') | trim -%}
    {%- if value == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set year = value | int(-1) -%}
    {%- if year < 1900 or year > 2999 -%}
        {{ exceptions.raise_compiler_error("perfdw: PERFDW_FISCAL_YEAR must be a year or empty, got " ~ value) }}
    {%- endif -%}
    {{ return(year) }}
{%- endmacro %}

{#
    The year whose rows this model's build replaces: none when it builds every year (no year
    selected, no table yet, --full-refresh). A dbt unit test has no table (`this` is none).
#}
{% macro replaced_fiscal_year() -%}
    {%- set year = perfdw.selected_fiscal_year() -%}
    {{ return(year if year is not none and this is not none and is_incremental() else none) }}
{%- endmacro %}

{# config(...) arguments of a per-year model. #}
{% macro per_year_config() -%}
    {%- set config = {
        'materialized': 'incremental',
        'on_schema_change': 'fail',
        'tags': ['per_year'],
        'pre_hook': "{{ perfdw.clear_replaced_rows() }}",
    } -%}
    {%- do config.update(perfdw.per_year_engine_config()) -%}
    {{ return(config) }}
{%- endmacro %}

{# How the engine adds a year's rows (spark__: macros/engines/spark.sql). #}
{% macro per_year_engine_config() -%}
    {{ return(adapter.dispatch('per_year_engine_config', 'perfdw')()) }}
{%- endmacro %}

{% macro default__per_year_engine_config() -%}
    {{ return({'incremental_strategy': 'append'}) }}
{%- endmacro %}

{#
    Pre-hook of a per-year model: before an incremental build inserts the year's rows, the rows
    it replaces go, by the year itself rather than by the keys of the new rows, so a year whose
    documents were all removed is emptied too. An incremental build with no year selected (a
    plain `dbt build` on a built warehouse) replaces every row.
#}
{% macro clear_replaced_rows() -%}
    {%- if is_incremental() -%}
        {{ return(adapter.dispatch('clear_replaced_rows', 'perfdw')(perfdw.selected_fiscal_year())) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__clear_replaced_rows(year) -%}
    delete from {{ this }}{% if year is not none %} where fiscal_year = {{ year }}{% endif %}
{%- endmacro %}

{# `and <column> = <year>` when this build replaces one year's rows; nothing otherwise. #}
{% macro fiscal_year_condition(column='fiscal_year') -%}
    {%- set year = perfdw.replaced_fiscal_year() -%}
    {%- if year is not none %} and {{ column }} = {{ year }}{% endif -%}
{%- endmacro %}

{#
    `and <column> in (the documents of the year)` when this build replaces one year's rows, for
    rows that carry a document but no year (the staging models); `documents` is a relation with
    document_id and fiscal_year (ref('int_documents')), referenced by the model itself so that
    dbt sees the dependency while parsing.
#}
{% macro document_year_condition(documents, column='document_id') -%}
    {%- set year = perfdw.replaced_fiscal_year() -%}
    {%- if year is not none %} and {{ column }} in (
        select document_id from {{ documents }} where fiscal_year = {{ year }}
    ){% endif -%}
{%- endmacro %}
