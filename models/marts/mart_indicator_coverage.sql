{{ config(materialized='view') }}

with

projects as (

    select * from {{ ref('fct_project_budget') }}

),

indicators as (

    select * from {{ ref('fct_performance_indicator') }}

),

-- a unit-level target table's own indicators (部门整体绩效指标) belong to no project
unit_level_indicators as (

    select
        fiscal_year,
        unit_id,
        count(*) as unit_level_indicator_count

    from indicators
    where indicator_grain = 'unit'
    group by fiscal_year, unit_id

),

project_indicators as (

    select
        project_id,
        count(*) as indicator_count,
        sum(case when is_quantitative then 1 else 0 end) as quantitative_count,
        max(case when level1_code = '1' then 1 else 0 end) as has_output,
        max(case when level1_code = '2' then 1 else 0 end) as has_effect,
        max(case when level1_code = '3' then 1 else 0 end) as has_satisfaction,
        max(case when level1_code = '4' then 1 else 0 end) as has_cost

    from indicators
    where indicator_grain = 'project'
    group by project_id

),

unit_years as (

    select
        projects.fiscal_year,
        projects.department_name,
        projects.unit_id,
        projects.unit_name,
        count(*) as project_count,
        count(project_indicators.project_id) as projects_with_indicators,
        coalesce(sum(project_indicators.indicator_count), 0) as indicator_count,
        coalesce(sum(project_indicators.quantitative_count), 0) as quantitative_count,
        coalesce(sum(project_indicators.has_output), 0) as projects_with_output,
        coalesce(sum(project_indicators.has_effect), 0) as projects_with_effect,
        coalesce(sum(project_indicators.has_satisfaction), 0) as projects_with_satisfaction,
        coalesce(sum(project_indicators.has_cost), 0) as projects_with_cost

    from projects
    left join project_indicators
        on projects.project_id = project_indicators.project_id
    group by projects.fiscal_year, projects.department_name, projects.unit_id, projects.unit_name

),

final as (

    select
        {{ stable_id(['unit_years.unit_id', 'unit_years.fiscal_year']) }} as unit_year_id,
        unit_years.fiscal_year,
        unit_years.department_name,
        unit_years.unit_id,
        unit_years.unit_name,
        cast(project_count as integer) as project_count,
        cast(projects_with_indicators as integer) as projects_with_indicators,
        cast(indicator_count as integer) as indicator_count,
        cast(quantitative_count as integer) as quantitative_indicator_count,
        {{ share('projects_with_output', 'project_count') }} as share_with_output,
        {{ share('projects_with_effect', 'project_count') }} as share_with_effect,
        {{ share('projects_with_satisfaction', 'project_count') }} as share_with_satisfaction,
        {{ share('projects_with_cost', 'project_count') }} as share_with_cost,
        cast(round(cast(indicator_count as decimal(18, 4)) / project_count, 2) as decimal(9, 2)) as indicators_per_project,
        {{ share('quantitative_count', 'indicator_count') }} as quantitative_share,
        cast(coalesce(unit_level_indicators.unit_level_indicator_count, 0) as integer) as unit_level_indicator_count

    from unit_years
    left join unit_level_indicators
        on unit_years.unit_id = unit_level_indicators.unit_id
        and unit_years.fiscal_year = unit_level_indicators.fiscal_year

)

select * from final
