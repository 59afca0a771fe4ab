with

projects as (

    select * from {{ ref('int_projects') }}

),

final as (

    select
        program_id,
        program_name,
        cast(count(*) as integer) as project_count,
        cast(count(distinct unit_id) as integer) as unit_count,
        cast(count(distinct department_name) as integer) as department_count,
        cast(count(distinct area_code) as integer) as area_count,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year,
        cast(count(distinct fiscal_year) as integer) as fiscal_year_count

    from projects
    group by program_id, program_name

)

select * from final
