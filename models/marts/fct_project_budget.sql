{{ config(**per_year_config()) }}

with

projects as (

    select * from {{ ref('int_projects') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

indicators as (

    select * from {{ ref('int_indicators') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

indicator_counts as (

    select
        project_id,
        count(*) as indicator_count

    from indicators
    where indicator_grain = 'project'
    group by project_id

),

final as (

    select
        projects.project_id,
        projects.fiscal_year,
        projects.document_id,
        source_file,
        source_line,
        source_location,
        end_line,
        department_name,
        unit_id,
        unit_name,
        project_name,
        program_id,
        program_name,
        area_code,
        area_name,
        area_source,
        beneficiary_area_code,
        is_transfer_to_area,
        amount_unit,
        has_funding_split,
        total_wan,
        fiscal_wan,
        special_account_wan,
        other_wan,
        split_difference_wan,
        cycle_total_wan,
        cast(coalesce(indicator_counts.indicator_count, 0) as integer) as indicator_count,
        goal_text,
        project_type,
        project_level,
        start_year,
        end_year,
        shift_resolution

    from projects
    left join indicator_counts
        on projects.project_id = indicator_counts.project_id

)

select * from final
