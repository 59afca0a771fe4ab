with

projects as (

    select * from {{ ref('int_projects') }}

),

subtotals as (

    select * from {{ ref('int_printed_subtotals') }}

),

unit_forms as (

    select * from {{ ref('int_unit_forms') }}

),

evaluated_projects as (

    select * from {{ ref('int_evaluated_projects') }}

),

documents as (

    select * from {{ ref('int_documents') }}

),

unit_years as (

    select department_name, unit_name, fiscal_year, document_id
    from projects
    where unit_name is not null

    union

    select department_name, unit_name, fiscal_year, document_id
    from subtotals
    where check_level = 'unit' and unit_name is not null

    union

    select department_name, unit_name, fiscal_year, document_id
    from unit_forms

    union

    select department_name, unit_name, fiscal_year, document_id
    from evaluated_projects

),

project_counts as (

    select
        department_name,
        unit_name,
        cast(count(*) as integer) as project_count

    from projects
    group by department_name, unit_name

),

units as (

    select
        unit_years.department_name,
        unit_years.unit_name,
        min(unit_years.fiscal_year) as first_fiscal_year,
        max(unit_years.fiscal_year) as last_fiscal_year,
        cast(count(distinct unit_years.document_id) as integer) as document_count,
        max(documents.department_area_code) as area_code

    from unit_years
    inner join documents
        on unit_years.document_id = documents.document_id
    group by unit_years.department_name, unit_years.unit_name

),

final as (

    select
        {{ stable_id(['units.department_name', 'units.unit_name']) }} as unit_id,
        units.unit_name,
        units.department_name,
        units.area_code,
        units.first_fiscal_year,
        units.last_fiscal_year,
        units.document_count,
        coalesce(project_counts.project_count, 0) as project_count

    from units
    left join project_counts
        on units.department_name = project_counts.department_name
        and units.unit_name = project_counts.unit_name

)

select * from final
