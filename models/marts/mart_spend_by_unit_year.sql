{{ config(materialized='view') }}

with

projects as (

    select * from {{ ref('fct_project_budget') }}

),

final as (

    select
        {{ stable_id(['unit_id', 'fiscal_year']) }} as unit_year_id,
        fiscal_year,
        department_name,
        unit_id,
        unit_name,
        cast(count(*) as integer) as project_count,
        {{ sum_wan('total_wan') }} as total_wan,
        {{ sum_wan('fiscal_wan') }} as fiscal_wan,
        {{ sum_wan('special_account_wan') }} as special_account_wan,
        {{ sum_wan('other_wan') }} as other_wan,
        cast(sum(case when is_transfer_to_area then 1 else 0 end) as integer) as transfer_project_count,
        {{ sum_wan('case when is_transfer_to_area then total_wan end') }} as transfer_total_wan

    from projects
    group by fiscal_year, department_name, unit_id, unit_name

)

select * from final
