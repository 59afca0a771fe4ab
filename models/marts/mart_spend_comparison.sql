{#
    Spend by spending unit, by program and by area in one fiscal year against an earlier
    year: one row per dimension member, fiscal year and comparison year. The comparison years
    are the year before (is_previous_year, always present, with null amounts where that year
    has no data: mart_yoy_spend keeps these rows) and every earlier year the warehouse holds,
    so that dashboards can compare any two years. A side with no data is null, never 0;
    change_wan is null unless both sides have data; change_pct is null also when the earlier
    amount is 0 (no division by zero). Units are compared within their department; programs
    and areas across departments (department_name null).
#}
{{ config(materialized='view') }}

with

projects as (

    select * from {{ ref('fct_project_budget') }}

),

spend as (

    select
        'unit' as dimension,
        unit_id as dimension_id,
        unit_name as dimension_value,
        department_name,
        fiscal_year,
        count(*) as project_count,
        sum(total_wan) as total_wan
    from projects
    group by unit_id, unit_name, department_name, fiscal_year

    union all

    select
        'program',
        program_id,
        program_name,
        cast(null as {{ dbt.type_string() }}),
        fiscal_year,
        count(*),
        sum(total_wan)
    from projects
    group by program_id, program_name, fiscal_year

    union all

    select
        'area',
        area_code,
        area_name,
        cast(null as {{ dbt.type_string() }}),
        fiscal_year,
        count(*),
        sum(total_wan)
    from projects
    where area_code is not null
    group by area_code, area_name, fiscal_year

),

years as (

    select distinct fiscal_year from projects

),

year_pairs as (

    select
        later.fiscal_year,
        earlier.fiscal_year as prior_fiscal_year
    from years as later
    inner join years as earlier
        on earlier.fiscal_year < later.fiscal_year

    union

    select
        fiscal_year,
        fiscal_year - 1
    from years

),

members as (

    select distinct dimension, dimension_id, dimension_value, department_name
    from spend

),

member_pairs as (

    select
        members.*,
        year_pairs.fiscal_year,
        year_pairs.prior_fiscal_year

    from members
    cross join year_pairs

),

compared as (

    select
        member_pairs.dimension,
        member_pairs.dimension_id,
        member_pairs.dimension_value,
        member_pairs.department_name,
        member_pairs.fiscal_year,
        member_pairs.prior_fiscal_year,
        member_pairs.prior_fiscal_year = member_pairs.fiscal_year - 1 as is_previous_year,
        current_year.project_count,
        cast(current_year.total_wan as decimal(24, 6)) as total_wan,
        prior_year.project_count as prior_project_count,
        cast(prior_year.total_wan as decimal(24, 6)) as prior_total_wan

    from member_pairs
    left join spend as current_year
        on member_pairs.dimension = current_year.dimension
        and member_pairs.dimension_id = current_year.dimension_id
        and member_pairs.fiscal_year = current_year.fiscal_year
    left join spend as prior_year
        on member_pairs.dimension = prior_year.dimension
        and member_pairs.dimension_id = prior_year.dimension_id
        and member_pairs.prior_fiscal_year = prior_year.fiscal_year
    where current_year.total_wan is not null
        or prior_year.total_wan is not null

),

final as (

    select
        {{ stable_id(['dimension', 'dimension_id', 'fiscal_year', 'prior_fiscal_year']) }} as yoy_id,
        dimension,
        dimension_id,
        dimension_value,
        department_name,
        fiscal_year,
        prior_fiscal_year,
        is_previous_year,
        cast(project_count as integer) as project_count,
        total_wan,
        cast(prior_project_count as integer) as prior_project_count,
        prior_total_wan,
        cast(total_wan - prior_total_wan as decimal(24, 6)) as change_wan,
        {{ percent_change('total_wan', 'prior_total_wan') }} as change_pct

    from compared

)

select * from final
