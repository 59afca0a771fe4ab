with

areas as (

    select * from {{ ref('administrative_areas') }}

),

projects as (

    select * from {{ ref('int_projects') }}

),

project_counts as (

    select
        area_code,
        cast(count(*) as integer) as project_count,
        cast(sum(case when is_transfer_to_area then 1 else 0 end) as integer) as transfer_project_count

    from projects
    group by area_code

),

final as (

    select
        areas.area_code,
        areas.area_name,
        areas.short_name,
        areas.area_level,
        areas.parent_code,
        parents.area_name as parent_name,
        areas.name_en,
        coalesce(project_counts.project_count, 0) as project_count,
        coalesce(project_counts.transfer_project_count, 0) as transfer_project_count

    from areas
    left join areas as parents
        on areas.parent_code = parents.area_code
    left join project_counts
        on areas.area_code = project_counts.area_code

)

select * from final
