{#
    Continuity across years, within a department that has documents in both years: each
    spending unit and each program it had in the year before or has this year, with its totals
    and its change. status: continued, vanished (in the year before, not this year — while its
    department did publish this year) or new. A department with no document in a year is not
    compared for that year (its document may not be published yet). change_pct is kept for
    units only: a program's total moves with how units book it. The GX suite `continuity`
    warns on what vanished and on changes beyond the year_on_year_change_threshold_pct var.
    A view, like rpt_cross_table_reconciliation.
#}
{{ config(materialized='view') }}

with

projects as (

    select * from {{ ref('fct_project_budget') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

department_years as (

    select distinct department_name, fiscal_year from documents

),

compared_years as (

    select
        this_year.department_name,
        this_year.fiscal_year,
        prior_year.fiscal_year as prior_fiscal_year

    from department_years as this_year
    inner join department_years as prior_year
        on this_year.department_name = prior_year.department_name
        and prior_year.fiscal_year = this_year.fiscal_year - 1

),

spend as (

    select
        'unit' as dimension,
        department_name,
        unit_id as dimension_id,
        unit_name as dimension_value,
        fiscal_year,
        count(*) as project_count,
        sum(total_wan) as total_wan
    from projects
    group by department_name, unit_id, unit_name, fiscal_year

    union all

    select
        'program',
        department_name,
        program_id,
        program_name,
        fiscal_year,
        count(*),
        sum(total_wan)
    from projects
    group by department_name, program_id, program_name, fiscal_year

),

members as (

    select
        compared_years.department_name,
        compared_years.fiscal_year,
        compared_years.prior_fiscal_year,
        spend.dimension,
        spend.dimension_id,
        max(spend.dimension_value) as dimension_value

    from compared_years
    inner join spend
        on compared_years.department_name = spend.department_name
        and spend.fiscal_year in (compared_years.fiscal_year, compared_years.prior_fiscal_year)
    group by
        compared_years.department_name, compared_years.fiscal_year, compared_years.prior_fiscal_year,
        spend.dimension, spend.dimension_id

),

compared as (

    select
        members.*,
        current_year.project_count,
        cast(current_year.total_wan as decimal(24, 6)) as total_wan,
        prior_year.project_count as prior_project_count,
        cast(prior_year.total_wan as decimal(24, 6)) as prior_total_wan

    from members
    left join spend as current_year
        on members.dimension = current_year.dimension
        and members.department_name = current_year.department_name
        and members.dimension_id = current_year.dimension_id
        and members.fiscal_year = current_year.fiscal_year
    left join spend as prior_year
        on members.dimension = prior_year.dimension
        and members.department_name = prior_year.department_name
        and members.dimension_id = prior_year.dimension_id
        and members.prior_fiscal_year = prior_year.fiscal_year

),

final as (

    select
        {{ stable_id(['dimension', 'department_name', 'dimension_id', 'fiscal_year']) }} as continuity_id,
        dimension,
        dimension_id,
        dimension_value,
        department_name,
        cast(fiscal_year as integer) as fiscal_year,
        cast(prior_fiscal_year as integer) as prior_fiscal_year,
        cast(prior_project_count as integer) as prior_project_count,
        cast(project_count as integer) as project_count,
        prior_total_wan,
        total_wan,
        cast(total_wan - prior_total_wan as decimal(24, 6)) as change_wan,
        case when dimension = 'unit' then {{ percent_change('total_wan', 'prior_total_wan') }} end as change_pct,
        case
            when total_wan is null then 'vanished'
            when prior_total_wan is null then 'new'
            else 'continued'
        end as status

    from compared

)

select * from final
