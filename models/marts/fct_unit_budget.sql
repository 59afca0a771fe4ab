{#
    One unit-level target form (部门（单位）整体支出绩效目标表) = one unit of one document in one
    fiscal year: staff and subunits, spending by kind (基本支出, 项目支出) and by income source
    (财政拨款, 其他资金), in 万元 as printed.
#}

with

unit_forms as (

    select * from {{ ref('int_unit_forms') }}

),

final as (

    select
        unit_form_id as unit_budget_id,
        fiscal_year,
        document_id,
        source_file,
        source_line,
        source_location,
        form_no,
        department_name,
        unit_id,
        unit_name,
        staff_count,
        subunit_count,
        basic_spend_wan,
        project_spend_wan,
        spend_wan as total_wan,
        fiscal_wan,
        carry_over_wan,
        other_wan,
        income_sources_wan as income_total_wan,
        unit_forms.total_wan as printed_income_total_wan,
        special_fund_wan,
        other_development_spend_wan,
        goal_text,
        key_task_count,
        item_count

    from unit_forms

)

select * from final
