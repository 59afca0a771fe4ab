{#
    One indicator of a project self-evaluation (项目支出绩效自评表): the target as printed and
    read, what was achieved as printed and read, weight, score, met / not_met / not_comparable
    (int_indicator_results gives the rule) and the reason for a shortfall.
#}

with

results as (

    select * from {{ ref('int_indicator_results') }}

),

projects as (

    select * from {{ ref('int_evaluated_projects') }}

),

final as (

    select
        results.indicator_id as indicator_result_id,
        results.project_id,
        results.item_no,
        projects.fiscal_year,
        projects.department_name,
        projects.unit_id,
        projects.unit_name,
        projects.project_name,
        results.level1_printed,
        results.level2_printed,
        results.level1_code,
        results.level1_name,
        results.level2_code,
        results.level2_name,
        results.indicator_name,
        results.annual_target as target_printed,
        results.comparator_printed,
        results.measure_unit,
        results.result_comparator as target_comparator,
        results.target_value,
        results.target_value_max,
        results.result_target_unit as target_unit,
        results.is_quantitative,
        results.achieved as achieved_printed,
        results.achieved_value,
        results.achieved_unit,
        results.is_fraction_read_as_percent,
        results.weight,
        results.score,
        results.result_status,
        results.result_rule,
        results.deviation_reason,
        results.remark,
        results.document_id,
        results.source_file,
        results.source_line,
        results.source_location,
        results.project_source_line

    from results
    inner join projects
        on results.project_id = projects.project_id

)

select * from final
