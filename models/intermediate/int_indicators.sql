{#
    One row per indicator of a project (indicator_grain 'project') or of a unit-level target
    table (部门（单位）整体绩效目标表, indicator_grain 'unit', no project), with its categories mapped to canonical codes and both
    targets read. A printed code wins (1-产出指标 → 1); a bare name (社会效益指标, 服务对象
    满意度指标) is looked up in the indicator_category_aliases seed, blanks removed.
    is_category_consistent is false where the level-2 category does not belong to the
    level-1 one as printed (1-产出指标；21-经济效益): kept as printed, flagged. A form that prints
    a level-2 name in the level-1 column (质量指标 under the merged 产出指标) gets its level 1
    from the merged cell above, with level1_correction saying so. Built one fiscal year at a
    time (per_year_config): the year is its document's.
#}

{{ config(**per_year_config()) }}

with

documents as (

    select * from {{ ref('int_documents') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

project_indicator_items as (

    select * from {{ ref('stg_indicator_items') }}
    where 1 = 1 {{ document_year_condition(ref('int_documents')) }}

),

unit_indicator_items as (

    select * from {{ ref('stg_unit_indicator_items') }}
    where 1 = 1 {{ document_year_condition(ref('int_documents')) }}

),

-- project indicators (项目绩效指标) and unit-level ones (部门整体绩效指标, no project) read alike
indicator_items as (

    select
        'project' as indicator_grain,
        indicator_id,
        project_id,
        document_id,
        source_file,
        project_source_line,
        cast(null as integer) as overview_source_line,
        source_line,
        source_location,
        item_no,
        level1_printed,
        level1_above,
        level2_printed,
        indicator_name,
        cycle_target,
        annual_target,
        item_text,
        comparator_printed,
        measure_unit,
        weight_printed,
        weight,
        achieved,
        score_printed,
        score,
        deviation_reason,
        remark

    from project_indicator_items

    union all

    select
        'unit' as indicator_grain,
        unit_indicator_id,
        cast(null as {{ dbt.type_string() }}),
        document_id,
        source_file,
        cast(null as integer),
        overview_source_line,
        source_line,
        'line ' || source_line,
        item_no,
        level1_printed,
        level1_above,
        level2_printed,
        indicator_name,
        cycle_target,
        annual_target,
        item_text,
        -- a unit-level target table prints no self-evaluation columns
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ amount_type() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ amount_type() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }})

    from unit_indicator_items

),

categories as (

    select * from {{ ref('indicator_categories') }}

),

category_aliases as (

    select * from {{ ref('indicator_category_aliases') }}

),

target_readings as (

    select * from {{ ref('int_target_readings') }}

),

printed_categories as (

    select
        *,
        {{ regex_extract('level1_printed', '^([0-9]+)-', 1) }} as level1_printed_code,
        nullif({{ regex_replace_all('level1_printed', '^[0-9]+-|[[:space:]]') }}, '') as level1_printed_name,
        nullif({{ regex_replace_all('level1_above', '^[0-9]+-|[[:space:]]') }}, '') as level1_above_name,
        {{ regex_extract('level2_printed', '^([0-9]+)-', 1) }} as level2_printed_code,
        nullif({{ regex_replace_all('level2_printed', '^[0-9]+-|[[:space:]]') }}, '') as level2_printed_name

    from indicator_items

),

mapped as (

    select
        printed_categories.*,
        coalesce(
            printed_categories.level1_printed_code, level1_aliases.category_code, level1_above_aliases.category_code
        ) as level1_code,
        case
            when printed_categories.level1_printed_code is null and level1_aliases.category_code is null
                and level1_above_aliases.category_code is not null
                then 'level-1 column prints ' || printed_categories.level1_printed
                    || ', no level-1 category: level 1 ' || printed_categories.level1_above
                    || ' from the merged cell above'
        end as level1_correction,
        coalesce(printed_categories.level2_printed_code, level2_aliases.category_code) as level2_code,
        level1_aliases.category_code as level1_name_code,
        level2_aliases.category_code as level2_name_code

    from printed_categories
    left join category_aliases as level1_aliases
        on level1_aliases.category_level = 1
        and printed_categories.level1_printed_name = level1_aliases.alias
    left join category_aliases as level2_aliases
        on level2_aliases.category_level = 2
        and printed_categories.level2_printed_name = level2_aliases.alias
    left join category_aliases as level1_above_aliases
        on level1_above_aliases.category_level = 1
        and printed_categories.level1_above_name = level1_above_aliases.alias

),

named as (

    select
        mapped.*,
        level1.category_name as level1_name,
        level2.category_name as level2_name,
        coalesce(level2.parent_code = mapped.level1_code, false) as is_category_consistent,
        coalesce(mapped.level1_name_code = mapped.level1_code, true)
            and coalesce(mapped.level2_name_code = mapped.level2_code, true) as is_code_name_consistent,
        case
            when 'newer' in (level1.framework, level2.framework) then 'newer'
            when 'older' in (level1.framework, level2.framework) then 'older'
            else 'both'
        end as category_framework

    from mapped
    left join categories as level1
        on mapped.level1_code = level1.category_code
    left join categories as level2
        on mapped.level2_code = level2.category_code

),

readings as (

    select
        named.indicator_id,
        named.indicator_grain,
        named.project_id,
        named.document_id,
        documents.fiscal_year,
        named.source_file,
        named.project_source_line,
        named.overview_source_line,
        named.source_line,
        named.source_location,
        named.item_no,
        named.level1_printed,
        named.level2_printed,
        named.level1_correction,
        named.level1_code,
        named.level1_name,
        named.level2_code,
        named.level2_name,
        named.category_framework,
        named.is_category_consistent,
        named.is_code_name_consistent,
        named.indicator_name,
        named.cycle_target,
        named.annual_target,

        annual.target_comparator,
        annual.target_value,
        annual.target_value_max,
        annual.target_unit,
        coalesce(annual.is_quantitative, false) as is_quantitative,
        coalesce(annual.is_approximate, false) as is_approximate,
        annual.target_qualifier,
        annual.reading_rule as target_reading_rule,

        cycle.target_comparator as cycle_target_comparator,
        cycle.target_value as cycle_target_value,
        cycle.target_value_max as cycle_target_value_max,
        cycle.target_unit as cycle_target_unit,
        coalesce(cycle.is_quantitative, false) as cycle_is_quantitative,
        cycle.reading_rule as cycle_target_reading_rule,

        named.item_text,
        named.comparator_printed,
        named.measure_unit,
        named.weight_printed,
        named.weight,
        named.achieved,
        named.score_printed,
        named.score,
        named.deviation_reason,
        named.remark

    from named
    left join documents
        on named.document_id = documents.document_id
    left join target_readings as annual
        on named.annual_target = annual.target_text
    left join target_readings as cycle
        on named.cycle_target = cycle.target_text

)

select * from readings
