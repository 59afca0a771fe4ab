{{ config(**per_year_config()) }}

with

indicators as (

    select * from {{ ref('int_indicators') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

projects as (

    select * from {{ ref('int_projects') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

unit_forms as (

    select * from {{ ref('int_unit_forms') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

-- a unit-level indicator belongs to the last unit form that starts above it
unit_indicator_forms as (

    select
        indicators.indicator_id,
        unit_forms.fiscal_year,
        unit_forms.department_name,
        unit_forms.unit_id,
        unit_forms.unit_name,
        row_number() over (
            partition by indicators.indicator_id order by unit_forms.source_line desc
        ) as form_rank

    from indicators
    inner join unit_forms
        on indicators.document_id = unit_forms.document_id
        and indicators.source_line >= unit_forms.source_line
    where indicators.indicator_grain = 'unit'

),

owners as (

    select
        indicators.indicator_id,
        projects.fiscal_year,
        projects.department_name,
        projects.unit_id,
        projects.unit_name

    from indicators
    inner join projects
        on indicators.project_id = projects.project_id
    where indicators.indicator_grain = 'project'

    union all

    select
        indicator_id,
        fiscal_year,
        department_name,
        unit_id,
        unit_name

    from unit_indicator_forms
    where form_rank = 1

),

final as (

    select
        indicators.indicator_id,
        indicators.indicator_grain,
        indicators.project_id,
        indicators.item_no,
        owners.fiscal_year,
        owners.department_name,
        owners.unit_id,
        owners.unit_name,
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
        indicators.project_source_line,
        indicators.overview_source_line

    from indicators
    inner join owners
        on indicators.indicator_id = owners.indicator_id

)

select * from final
