{{ config(**per_year_config()) }}

with

indicators as (

    select * from {{ ref('int_indicators') }}

),

projects as (

    select * from {{ ref('int_projects') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

final as (

    select
        indicators.indicator_id,
        indicators.project_id,
        indicators.item_no,
        projects.fiscal_year,
        projects.department_name,
        projects.unit_id,
        projects.unit_name,
        indicators.level1_code,
        indicators.level1_name,
        indicators.level2_code,
        indicators.level2_name,
        indicators.level1_printed,
        indicators.level1_correction,
        indicators.level2_printed,
        indicators.category_framework,
        indicators.is_category_consistent,
        indicators.is_code_name_consistent,
        indicators.indicator_name,
        indicators.cycle_target,
        indicators.annual_target,
        indicators.target_comparator,
        indicators.target_value,
        indicators.target_value_max,
        indicators.target_unit,
        indicators.is_quantitative,
        indicators.is_approximate,
        indicators.target_qualifier,
        indicators.target_reading_rule,
        indicators.cycle_target_comparator,
        indicators.cycle_target_value,
        indicators.cycle_target_value_max,
        indicators.cycle_target_unit,
        indicators.cycle_is_quantitative,
        indicators.cycle_target_reading_rule,
        indicators.document_id,
        indicators.source_file,
        indicators.source_line,
        indicators.source_location,
        indicators.project_source_line

    from indicators
    inner join projects
        on indicators.project_id = projects.project_id

)

select * from final
