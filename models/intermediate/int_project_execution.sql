{#
    One row per funding row of a self-evaluation's budget execution block (项目预算执行情况):
    年初预算数, 全年预算数, 全年执行数 (万元), 执行率, 分值 and 得分 side by side, pivoted from
    stg_project_amount_items (block_field 'execution', one item per cell, measure = column).

    执行率: printed as shown (88%; a bare number ≤ 1 is a fraction: 0.88 is 88%) and computed as
    全年执行数 / 全年预算数 × 100. They agree within the printed rounding: half a unit of the
    printed rate's last decimal (88% stands for 87.5–88.5, so 87.71% agrees; 87.7% for 87.65–87.75).
    Built one fiscal year at a time (per_year_config): the year is its document's.
#}

{{ config(**per_year_config()) }}

{%- set amount_measures = ['initial_budget', 'annual_budget', 'executed'] -%}

with

documents as (

    select * from {{ ref('int_documents') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

amount_items as (

    select * from {{ ref('stg_project_amount_items') }}
    where block_field = 'execution'
        {{ document_year_condition(ref('int_documents')) }}

),

rows_pivoted as (

    select
        project_id,
        document_id,
        source_file,
        label,
        max(field) as funding_field,
        min(item_no) as first_item_no,
        min(source_line) as source_line,
        max(block) as block,
        max(amount_unit) as amount_unit,
        {%- for measure in amount_measures %}
        max(case when measure = '{{ measure }}' then amount_wan end) as {{ measure }}_wan,
        {%- endfor %}
        max(case when measure = 'execution_rate' then value_text end) as execution_rate_printed,
        max(case when measure = 'execution_rate' then value_number end) as execution_rate_number,
        bool_or(measure = 'execution_rate' and value_is_percent) as is_rate_printed_as_percent,
        max(case when measure = 'weight' then value_number end) as weight,
        max(case when measure = 'score' then value_number end) as score,
        bool_or(is_total) as is_total,
        bool_or(parent_item_no is not null) as is_part

    from amount_items
    group by project_id, document_id, source_file, label

),

located as (

    select
        rows_pivoted.*,
        documents.fiscal_year,
        amount_items.source_location

    from rows_pivoted
    inner join amount_items
        on rows_pivoted.project_id = amount_items.project_id
        and rows_pivoted.first_item_no = amount_items.item_no
    left join documents
        on rows_pivoted.document_id = documents.document_id

),

rates as (

    select
        *,
        case
            when execution_rate_number is null then null
            when not is_rate_printed_as_percent and execution_rate_number <= 1
                then cast(execution_rate_number * 100 as decimal(18, 4))
            else cast(execution_rate_number as decimal(18, 4))
        end as execution_rate_pct_printed,
        -- decimals shown after the point of the printed rate (0 for 88%, 1 for 87.7%)
        case
            when execution_rate_number is null then null
            when not is_rate_printed_as_percent and execution_rate_number <= 1
                then greatest(length(coalesce({{ regex_extract('execution_rate_printed', '\\.([0-9]+)', 1) }}, '')) - 2, 0)
            else length(coalesce({{ regex_extract('execution_rate_printed', '\\.([0-9]+)', 1) }}, ''))
        end as execution_rate_decimals,
        case
            when annual_budget_wan is not null and annual_budget_wan <> 0 and executed_wan is not null
                then cast(round(cast(executed_wan as decimal(38, 10)) * 100 / annual_budget_wan, 4) as decimal(18, 4))
        end as execution_rate_pct

    from located

),

final as (

    select
        *,
        case
            when execution_rate_pct_printed is null or execution_rate_pct is null then null
            else abs(execution_rate_pct - execution_rate_pct_printed)
                <= 0.5 * power(10, -execution_rate_decimals) + 0.00005
        end as is_execution_rate_consistent,
        -- the rows that make up the project's own execution: its total row where it prints
        -- one, else every top-level row (a 其中 row is part of another)
        case
            when bool_or(is_total) over (partition by project_id) then is_total
            else not is_part
        end as is_project_level

    from rates

)

select * from final
