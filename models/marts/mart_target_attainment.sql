{#
    Target attainment per spending unit and fiscal year, from its project self-evaluations:
    indicators with a result (met or not_met), how many were met and their share, scores and
    weights, and budget execution (全年执行数 / 全年预算数 of the projects' own execution rows).
#}

with

projects as (

    select * from {{ ref('int_evaluated_projects') }}

),

results as (

    select * from {{ ref('fct_indicator_result') }}

),

execution as (

    select * from {{ ref('fct_project_execution') }}
    where is_project_level

),

unit_projects as (

    select
        fiscal_year,
        department_name,
        unit_id,
        unit_name,
        count(*) as evaluated_project_count

    from projects
    group by fiscal_year, department_name, unit_id, unit_name

),

unit_results as (

    select
        fiscal_year,
        unit_id,
        count(*) as indicator_count,
        sum(case when result_status in ('met', 'not_met') then 1 else 0 end) as indicators_with_result,
        sum(case when result_status = 'met' then 1 else 0 end) as met_count,
        sum(case when result_status = 'not_met' then 1 else 0 end) as not_met_count,
        sum(case when result_status = 'not_comparable' then 1 else 0 end) as not_comparable_count,
        sum(weight) as total_weight,
        sum(score) as total_score

    from results
    group by fiscal_year, unit_id

),

unit_execution as (

    select
        fiscal_year,
        unit_id,
        {{ sum_wan('annual_budget_wan') }} as annual_budget_wan,
        {{ sum_wan('executed_wan') }} as executed_wan

    from execution
    group by fiscal_year, unit_id

),

final as (

    select
        {{ stable_id(['unit_projects.unit_id', 'unit_projects.fiscal_year']) }} as unit_year_id,
        unit_projects.fiscal_year,
        unit_projects.department_name,
        unit_projects.unit_id,
        unit_projects.unit_name,
        cast(unit_projects.evaluated_project_count as integer) as evaluated_project_count,
        cast(coalesce(unit_results.indicator_count, 0) as integer) as indicator_count,
        cast(coalesce(unit_results.indicators_with_result, 0) as integer) as indicators_with_result,
        cast(coalesce(unit_results.met_count, 0) as integer) as met_count,
        cast(coalesce(unit_results.not_met_count, 0) as integer) as not_met_count,
        cast(coalesce(unit_results.not_comparable_count, 0) as integer) as not_comparable_count,
        {{ share('unit_results.met_count', 'unit_results.indicators_with_result') }} as share_met,
        cast(unit_results.total_weight as decimal(18, 4)) as total_weight,
        cast(unit_results.total_score as decimal(18, 4)) as total_score,
        unit_execution.annual_budget_wan,
        unit_execution.executed_wan,
        case
            when unit_execution.annual_budget_wan <> 0
                then cast(round(cast(unit_execution.executed_wan as decimal(38, 10)) * 100 / unit_execution.annual_budget_wan, 2) as decimal(9, 2))
        end as execution_rate_pct

    from unit_projects
    left join unit_results
        on unit_projects.unit_id = unit_results.unit_id
        and unit_projects.fiscal_year = unit_results.fiscal_year
    left join unit_execution
        on unit_projects.unit_id = unit_execution.unit_id
        and unit_projects.fiscal_year = unit_execution.fiscal_year

)

select * from final
