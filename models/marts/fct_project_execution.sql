{#
    Budget execution of a self-evaluated project (项目支出绩效自评表 · 项目预算执行情况): one row
    per funding row of its execution block (年度资金总额, 当年财政拨款, 上年结转资金, 其他资金, or
    the block's single row), in 万元, with the execution rate as printed and as computed
    (int_project_execution says how they are compared).
#}

with

execution_rows as (

    select * from {{ ref('int_project_execution') }}

),

projects as (

    select * from {{ ref('int_evaluated_projects') }}

),

final as (

    select
        {{ stable_id(['execution_rows.project_id', 'execution_rows.label']) }} as execution_id,
        execution_rows.project_id,
        projects.fiscal_year,
        projects.department_name,
        projects.unit_id,
        projects.unit_name,
        projects.project_name,
        execution_rows.label as funding_label,
        execution_rows.funding_field,
        execution_rows.is_total,
        execution_rows.is_project_level,
        execution_rows.amount_unit,
        execution_rows.initial_budget_wan,
        execution_rows.annual_budget_wan,
        execution_rows.executed_wan,
        execution_rows.execution_rate_printed,
        execution_rows.execution_rate_pct_printed,
        execution_rows.execution_rate_pct,
        execution_rows.is_execution_rate_consistent,
        execution_rows.weight,
        execution_rows.score,
        execution_rows.document_id,
        execution_rows.source_file,
        execution_rows.source_line,
        execution_rows.source_location,
        projects.source_line as project_source_line

    from execution_rows
    inner join projects
        on execution_rows.project_id = projects.project_id

)

select * from final
