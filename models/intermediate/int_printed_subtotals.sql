{#
    The check sums the documents print, one row per document (合计) and per spending unit
    (资金使用单位 subtotal), in 万元. The tables print all four amount columns (an empty cell
    is 0). A forms document prints no table: its unit form (整体预算绩效目标表) gives the unit's
    项目支出, which stands for the unit and, where the document has no 合计, for the document —
    when the document has project forms to sum (a standalone unit-level table has none).
    Built one fiscal year at a time (per_year_config).
#}

{{ config(**per_year_config()) }}

with

budget_rows as (

    select * from {{ ref('stg_budget_rows') }}
    where 1 = 1 {{ document_year_condition(ref('stg_documents')) }}

),

overview_items as (

    select * from {{ ref('stg_unit_overview_items') }}
    where 1 = 1 {{ document_year_condition(ref('stg_documents')) }}

),

documents as (

    select * from {{ ref('stg_documents') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

table_subtotals as (

    select
        document_id,
        case row_kind when 'grand_total' then 'document' else 'unit' end as check_level,
        case when row_kind = 'unit' then unit_name end as unit_name,
        source_line as printed_source_line,
        true as prints_split,
        coalesce(total_wan, 0) as printed_total_wan,
        coalesce(fiscal_wan, 0) as printed_fiscal_wan,
        coalesce(special_account_wan, 0) as printed_special_account_wan,
        coalesce(other_wan, 0) as printed_other_wan

    from budget_rows
    where row_kind in ('grand_total', 'unit')

),

overview_units as (

    select
        document_id,
        value_text as unit_name

    from overview_items
    where label = '下属单位名称'

),

overview_project_spend as (

    select
        overview_items.document_id,
        overview_units.unit_name,
        overview_items.source_line,
        overview_items.amount_wan

    from overview_items
    left join overview_units
        on overview_items.document_id = overview_units.document_id
    where overview_items.section = '预算整体情况'
        and overview_items.label = '项目支出'
        -- a standalone unit-level table (no project forms) has nothing to sum against it
        and overview_items.document_id in (
            select document_id from budget_rows
            where row_kind = 'project' and coalesce(template, '') <> 'self_evaluation'
        )

),

form_subtotals as (

    select
        document_id,
        'unit' as check_level,
        unit_name,
        source_line as printed_source_line,
        false as prints_split,
        amount_wan as printed_total_wan,
        cast(null as decimal(24, 6)) as printed_fiscal_wan,
        cast(null as decimal(24, 6)) as printed_special_account_wan,
        cast(null as decimal(24, 6)) as printed_other_wan

    from overview_project_spend

    union all

    select
        document_id,
        'document' as check_level,
        cast(null as {{ dbt.type_string() }}) as unit_name,
        min(source_line) as printed_source_line,
        false as prints_split,
        cast(sum(amount_wan) as decimal(24, 6)) as printed_total_wan,
        cast(null as decimal(24, 6)) as printed_fiscal_wan,
        cast(null as decimal(24, 6)) as printed_special_account_wan,
        cast(null as decimal(24, 6)) as printed_other_wan

    from overview_project_spend
    where document_id not in (
        select document_id from table_subtotals where check_level = 'document'
    )
    group by document_id

),

subtotals as (

    select * from table_subtotals
    union all
    select * from form_subtotals

),

final as (

    select
        {{ stable_id(['subtotals.document_id', 'subtotals.check_level', 'subtotals.unit_name']) }} as subtotal_id,
        subtotals.document_id,
        documents.source_file,
        documents.fiscal_year,
        documents.department_name,
        subtotals.check_level,
        subtotals.unit_name,
        subtotals.printed_source_line,
        subtotals.prints_split,
        subtotals.printed_total_wan,
        subtotals.printed_fiscal_wan,
        subtotals.printed_special_account_wan,
        subtotals.printed_other_wan,
        case
            when subtotals.prints_split then subtotals.printed_total_wan - (
                subtotals.printed_fiscal_wan + subtotals.printed_special_account_wan + subtotals.printed_other_wan
            )
        end as split_difference_wan

    from subtotals
    inner join documents
        on subtotals.document_id = documents.document_id

)

select * from final
