{#
    The check sums each template of the wider family prints or implies, one row per check:
    - funding_sources (资金来源): the block's total row = the sum of its top-level items (其中
      rows are parts of another item and excluded), per project form;
    - spending_details (支出明细): the block's total row = the sum of its detail lines;
    - unit_income_sources (部门整体支出绩效目标表): the printed 年度资金总额 = 财政拨款 + 上年结转 +
      其他资金, within 0.01 万元;
    - unit_spend_total: the printed 支出合计 = 基本支出 + 项目支出, within 0.01 万元;
    - unit_income_vs_spend: 收入来源 (the printed total, else its sources) = 基本支出 + 项目支出,
      within 0.01 万元 (a workbook may print 万元 with six decimals and a formula's displayed sum);
    - indicator_weights (自评表): the indicators' weights (分值 / 权重) plus the execution block's
      add up to 100, where the template prints weights;
    - execution_rate (自评表): 执行率 as printed = 全年执行数 / 全年预算数 within the printed
      rounding (half a unit of its last printed decimal: 88% agrees with 87.71%).
    printed_value is what the document states (the total row, the income sources, 100 for the
    weights, the printed rate), computed_value what its parts give. Built one fiscal year at a
    time (per_year_config).
#}

{{ config(**per_year_config()) }}

with

amount_items as (

    select * from {{ ref('stg_project_amount_items') }}
    where block_field in ('funding_sources', 'spending_details')
        and coalesce(measure, 'amount') = 'amount'
        {{ document_year_condition(ref('int_documents')) }}

),

budget_rows as (

    select * from {{ ref('stg_budget_rows') }}
    where 1 = 1 {{ document_year_condition(ref('int_documents')) }}

),

documents as (

    select * from {{ ref('int_documents') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

unit_forms as (

    select * from {{ ref('int_unit_forms') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

results as (

    select * from {{ ref('int_indicator_results') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

evaluated_projects as (

    select * from {{ ref('int_evaluated_projects') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

execution_rows as (

    select * from {{ ref('int_project_execution') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

block_totals as (

    select
        project_id,
        block_field,
        block,
        min(source_line) as printed_source_line,
        {{ sum_wan('amount_wan') }} as printed_value,
        count(*) as total_rows

    from amount_items
    where is_total
    group by project_id, block_field, block

),

block_parts as (

    select
        project_id,
        block_field,
        block,
        {{ sum_wan('amount_wan') }} as computed_value,
        count(*) as part_count

    from amount_items
    where not is_total
        and parent_item_no is null
    group by project_id, block_field, block

),

block_checks as (

    select
        budget_rows.document_id,
        {{ stable_id(['documents.department_name', 'budget_rows.unit_name']) }} as unit_id,
        budget_rows.unit_name,
        block_totals.block_field as check_name,
        block_totals.printed_source_line,
        block_totals.printed_value,
        coalesce(block_parts.computed_value, 0) as computed_value,
        '万元' as value_unit,
        cast({{ var('reconciliation_tolerance_wan') }} as decimal(18, 6)) as tolerance,
        coalesce(block_parts.part_count, 0) as item_count

    from block_totals
    inner join budget_rows
        on block_totals.project_id = budget_rows.budget_row_id
    inner join documents
        on budget_rows.document_id = documents.document_id
    left join block_parts
        on block_totals.project_id = block_parts.project_id
        and block_totals.block_field = block_parts.block_field
        and block_totals.block = block_parts.block
    where block_totals.printed_value is not null

),

unit_checks as (

    select
        document_id,
        unit_id,
        unit_name,
        'unit_income_sources' as check_name,
        total_source_line as printed_source_line,
        total_wan as printed_value,
        income_sources_wan as computed_value,
        '万元' as value_unit,
        cast(0.01 as decimal(18, 6)) as tolerance,
        3 as item_count

    from unit_forms
    where total_wan is not null and income_sources_wan is not null

    union all

    select
        document_id,
        unit_id,
        unit_name,
        'unit_spend_total' as check_name,
        spend_total_source_line as printed_source_line,
        spend_total_wan as printed_value,
        spend_wan as computed_value,
        '万元' as value_unit,
        cast(0.01 as decimal(18, 6)) as tolerance,
        2 as item_count

    from unit_forms
    where spend_total_wan is not null and spend_wan is not null

    union all

    select
        document_id,
        unit_id,
        unit_name,
        'unit_income_vs_spend' as check_name,
        coalesce(total_source_line, fiscal_source_line, carry_over_source_line, other_source_line, source_line)
            as printed_source_line,
        coalesce(total_wan, income_sources_wan) as printed_value,
        spend_wan as computed_value,
        '万元' as value_unit,
        -- a workbook may print 万元 with six decimals next to a formula's displayed sum
        cast(0.01 as decimal(18, 6)) as tolerance,
        4 as item_count

    from unit_forms
    where coalesce(total_wan, income_sources_wan) is not null and spend_wan is not null

),

execution_weights as (

    select
        project_id,
        max(weight) as weight

    from execution_rows
    where is_project_level
    group by project_id

),

weight_sums as (

    select
        project_id,
        min(source_line) as printed_source_line,
        sum(weight) as indicator_weight,
        count(weight) as weighted_count

    from results
    group by project_id
    having count(weight) > 0

),

weight_checks as (

    select
        evaluated_projects.document_id,
        evaluated_projects.unit_id,
        evaluated_projects.unit_name,
        'indicator_weights' as check_name,
        weight_sums.printed_source_line,
        cast(100 as {{ amount_type() }}) as printed_value,
        cast(weight_sums.indicator_weight + coalesce(execution_weights.weight, 0) as {{ amount_type() }}) as computed_value,
        '分' as value_unit,
        cast(0 as decimal(18, 6)) as tolerance,
        weight_sums.weighted_count as item_count

    from weight_sums
    inner join evaluated_projects
        on weight_sums.project_id = evaluated_projects.project_id
    left join execution_weights
        on weight_sums.project_id = execution_weights.project_id

),

rate_checks as (

    select
        execution_rows.document_id,
        evaluated_projects.unit_id,
        evaluated_projects.unit_name,
        'execution_rate' as check_name,
        execution_rows.source_line as printed_source_line,
        cast(execution_rows.execution_rate_pct_printed as {{ amount_type() }}) as printed_value,
        cast(execution_rows.execution_rate_pct as {{ amount_type() }}) as computed_value,
        '%' as value_unit,
        cast(0.5 * power(10, -execution_rows.execution_rate_decimals) + 0.00005 as decimal(18, 6)) as tolerance,
        2 as item_count

    from execution_rows
    inner join evaluated_projects
        on execution_rows.project_id = evaluated_projects.project_id
    where execution_rows.execution_rate_pct_printed is not null
        and execution_rows.execution_rate_pct is not null

),

checks as (

    select * from block_checks
    union all
    select * from unit_checks
    union all
    select * from weight_checks
    union all
    select * from rate_checks

),

final as (

    select
        checks.document_id,
        documents.source_file,
        documents.fiscal_year,
        documents.department_name,
        checks.unit_id,
        checks.unit_name,
        checks.check_name,
        checks.printed_source_line,
        checks.printed_value,
        checks.computed_value,
        checks.value_unit,
        checks.tolerance,
        cast(checks.item_count as integer) as item_count

    from checks
    inner join documents
        on checks.document_id = documents.document_id

)

select * from final
