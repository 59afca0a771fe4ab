{#
    Every figure another table reports about the projects, against the facts it must equal:
    the documents' printed check sums (合计, unit subtotals: rounded, so within the
    reconciliation_tolerance_wan var, or a registered difference), the rows the extract step
    landed (raw), and what dim_document and the unit × year marts report (exactly).
    A view: it reads the tables as they are when validation runs, so a mart or fact that went
    wrong after the build still shows. The comparison with a tolerance is made by the GX suite
    `cross_table` (expectations/suites.py); here only the exact differences.
#}
{{ config(materialized='view') }}

{%- set amounts = ['total_wan', 'fiscal_wan', 'special_account_wan', 'other_wan'] -%}

with

projects as (

    select * from {{ ref('fct_project_budget') }}

),

indicators as (

    select * from {{ ref('fct_performance_indicator') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

printed as (

    select * from {{ ref('rpt_reconciliation') }}
    -- the template checks compare a document with itself, not with the facts
    where check_level in ('document', 'unit')

),

raw_documents as (

    select * from {{ source('raw', 'documents') }}

),

raw_rows as (

    select * from {{ source('raw', 'budget_rows') }}

),

raw_indicators as (

    select * from {{ source('raw', 'indicator_items') }}

),

spend_by_unit_year as (

    select * from {{ ref('mart_spend_by_unit_year') }}

),

yoy_units as (

    select * from {{ ref('mart_yoy_spend') }}
    where dimension = 'unit' and total_wan is not null

),

coverage as (

    select * from {{ ref('mart_indicator_coverage') }}

),

indicator_counts as (

    select project_id, count(*) as indicator_count
    from indicators
    group by project_id

),

facts as (

    select
        projects.*,
        coalesce(indicator_counts.indicator_count, 0) as fact_indicator_count

    from projects
    left join indicator_counts
        on projects.project_id = indicator_counts.project_id

),

-- the facts at each grain a report is kept at
facts_by_document_unit as (

    select
        document_id,
        unit_name,
        count(*) as project_count,
        sum(fact_indicator_count) as indicator_count,
        {%- for amount in amounts %}
        sum({{ amount }}) as {{ amount }}{{ ',' if not loop.last }}
        {%- endfor %}

    from facts
    group by document_id, unit_name

),

facts_by_document as (

    select
        document_id,
        max(source_file) as source_file,
        max(fiscal_year) as fiscal_year,
        count(*) as project_count,
        sum(fact_indicator_count) as indicator_count,
        {%- for amount in amounts %}
        sum({{ amount }}) as {{ amount }}{{ ',' if not loop.last }}
        {%- endfor %}

    from facts
    group by document_id

),

facts_by_unit_year as (

    select
        fiscal_year,
        unit_id,
        max(unit_name) as unit_name,
        {{ string_agg_distinct('source_file', ', ') }} as source_file,
        count(*) as project_count,
        sum(fact_indicator_count) as indicator_count,
        {%- for amount in amounts %}
        sum({{ amount }}) as {{ amount }}{{ ',' if not loop.last }}
        {%- endfor %}

    from facts
    group by fiscal_year, unit_id

),

-- 合计 and unit subtotals as printed (rounded; some differences are registered)
printed_checks as (

    select
        printed.fiscal_year,
        printed.check_level,
        printed.source_file,
        printed.unit_name,
        printed.unit_id,
        printed.amount_column || '_wan' as measure,
        'printed' as reported_by,
        printed.printed_wan as reported_value,
        case printed.amount_column
            {%- for amount in amounts %}
            when '{{ amount[:-4] }}' then
                case printed.check_level when 'unit' then by_unit.{{ amount }} else by_document.{{ amount }} end
            {%- endfor %}
        end as fact_value,
        printed.expected_difference_wan as registered_difference,
        printed.known_reason

    -- equality joins only, the check level chosen above: a condition on `printed` alone in the
    -- join turned both into nested-loop joins (4 s of the view's 6 s at scale 1000)
    from printed
    left join facts_by_document_unit as by_unit
        on printed.document_id = by_unit.document_id
        and printed.unit_name = by_unit.unit_name
    left join facts_by_document as by_document
        on printed.document_id = by_document.document_id

),

-- rows landed by the extract step, per document; a self-evaluated project (项目支出绩效自评表)
-- and its indicators go to fct_project_execution and fct_indicator_result, not to these facts
raw_counts as (

    select
        raw_documents.document_id,
        raw_documents.source_file,
        raw_documents.fiscal_year,
        (select count(*) from raw_rows
         where raw_rows.document_id = raw_documents.document_id and raw_rows.row_kind = 'project'
            and coalesce(raw_rows.template, '') <> 'self_evaluation') as project_count,
        (select count(*) from raw_indicators
         where raw_indicators.document_id = raw_documents.document_id
            and not exists (
                select 1 from raw_rows as evaluated
                where evaluated.document_id = raw_indicators.document_id
                    and evaluated.source_line = raw_indicators.project_source_line
                    and evaluated.template = 'self_evaluation'
            )) as indicator_count

    from raw_documents

),

raw_checks as (

    {%- for measure in ['project_count', 'indicator_count'] %}
    select
        cast(coalesce(raw_counts.fiscal_year, facts_by_document.fiscal_year) as integer) as fiscal_year,
        'document' as check_level,
        coalesce(raw_counts.source_file, facts_by_document.source_file) as source_file,
        '{{ measure }}' as measure,
        'raw' as reported_by,
        raw_counts.{{ measure }} as reported_value,
        facts_by_document.{{ measure }} as fact_value

    from raw_counts
    full outer join facts_by_document
        on raw_counts.document_id = facts_by_document.document_id
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

-- the fiscal years of the documents landed against those of dim_document
year_checks as (

    select
        cast(coalesce(landed.fiscal_year, built.fiscal_year) as integer) as fiscal_year,
        landed.document_count as reported_value,
        built.document_count as fact_value

    from (
        select fiscal_year, count(*) as document_count from raw_documents group by fiscal_year
    ) as landed
    full outer join (
        select fiscal_year, count(*) as document_count from documents group by fiscal_year
    ) as built
        on landed.fiscal_year = built.fiscal_year

),

document_checks as (

    {%- for measure in ['project_count', 'indicator_count', 'total_wan'] %}
    select
        cast(coalesce(documents.fiscal_year, facts_by_document.fiscal_year) as integer) as fiscal_year,
        coalesce(documents.source_file, facts_by_document.source_file) as source_file,
        '{{ measure }}' as measure,
        documents.{{ measure }} as reported_value,
        facts_by_document.{{ measure }} as fact_value

    from documents
    full outer join facts_by_document
        on documents.document_id = facts_by_document.document_id
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

{%- set unit_year_marts = [
    ('mart_spend_by_unit_year', 'spend_by_unit_year', ['project_count'] + amounts),
    ('mart_yoy_spend', 'yoy_units', ['project_count', 'total_wan']),
    ('mart_indicator_coverage', 'coverage', ['project_count', 'indicator_count']),
] %}

unit_year_checks as (

    {%- for mart, relation, measures in unit_year_marts %}
    {%- set mart_loop = loop %}
    {%- for measure in measures %}
    select
        coalesce(facts_by_unit_year.fiscal_year, {{ relation }}.fiscal_year) as fiscal_year,
        facts_by_unit_year.source_file,
        coalesce(facts_by_unit_year.unit_name, {{ relation }}.{{ 'dimension_value' if relation == 'yoy_units' else 'unit_name' }}) as unit_name,
        coalesce(facts_by_unit_year.unit_id, {{ relation }}.{{ 'dimension_id' if relation == 'yoy_units' else 'unit_id' }}) as unit_id,
        '{{ measure }}' as measure,
        '{{ mart }}' as reported_by,
        {{ relation }}.{{ measure }} as reported_value,
        facts_by_unit_year.{{ measure }} as fact_value

    from {{ relation }}
    full outer join facts_by_unit_year
        on {{ relation }}.fiscal_year = facts_by_unit_year.fiscal_year
        and {{ relation }}.{{ 'dimension_id' if relation == 'yoy_units' else 'unit_id' }} = facts_by_unit_year.unit_id
    {{ 'union all' if not (loop.last and mart_loop.last) }}
    {%- endfor %}
    {%- endfor %}

),

checks as (

    select
        fiscal_year, check_level, source_file, unit_name, unit_id, measure, reported_by,
        reported_value, fact_value, registered_difference, known_reason
    from printed_checks

    union all

    select
        fiscal_year, check_level, source_file, null, null, measure, reported_by,
        reported_value, fact_value, null, null
    from raw_checks

    union all

    select
        fiscal_year, 'year', null, null, null, 'document_count', 'raw',
        reported_value, fact_value, null, null
    from year_checks

    union all

    select
        fiscal_year, 'document', source_file, null, null, measure, 'dim_document',
        reported_value, fact_value, null, null
    from document_checks

    union all

    select
        fiscal_year, 'unit_year', source_file, unit_name, unit_id, measure, reported_by,
        reported_value, fact_value, null, null
    from unit_year_checks

),

compared as (

    select
        *,
        -- a side with nothing to report counts as 0: a unit missing from a mart shows its whole total
        cast(coalesce(reported_value, 0) - coalesce(fact_value, 0) as decimal(24, 6)) as difference

    from checks

),

final as (

    select
        {{ stable_id(['fiscal_year', 'check_level', 'source_file', 'unit_id', 'unit_name', 'measure', 'reported_by']) }} as check_id,
        cast(fiscal_year as integer) as fiscal_year,
        check_level,
        source_file,
        unit_name,
        unit_id,
        measure,
        reported_by,
        cast(reported_value as decimal(24, 6)) as reported_value,
        cast(fact_value as decimal(24, 6)) as fact_value,
        difference,
        cast(registered_difference as decimal(24, 6)) as registered_difference,
        known_reason,
        -- printed figures are rounded: what is left after the register explains what it can
        -- (the smaller of the difference with and without the registered one)
        case when reported_by = 'printed' then
            cast(case
                when registered_difference is not null
                    and abs(difference - registered_difference) < abs(difference)
                    then difference - registered_difference
                else difference
            end as decimal(24, 6))
        end as printed_unexplained_wan,
        -- every other report is computed from the same rows as the facts: it must be exact
        case when reported_by <> 'printed' then difference end as exact_difference

    from compared

)

select * from final
