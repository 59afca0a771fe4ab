{#
    One key task (年度重点工作任务) of a unit-level target form: its name, content (主要实施
    内容), the amount the unit plans for it (拟投入的资金, 万元) and the expected result (期望达到的
    目标). Optional other tasks (其他需完成的任务) count too, as task_kind 'other_task', when they
    print a name. A task's amounts need not add up to the form's 项目支出.
#}

with

overview_items as (

    select * from {{ ref('stg_unit_overview_items') }}
    where field in ('key_task', 'other_task')

),

unit_forms as (

    select * from {{ ref('int_unit_forms') }}

),

named_tasks as (

    select
        overview_items.*,
        -- a numbered placeholder (任务1:) is the template's, not a task's name
        nullif(trim({{ regex_replace_all('overview_items.label', '^(任务|目标)[0-9]+[.:、)]?|^[0-9]+、') }}), '') as task_name

    from overview_items

),

assigned as (

    select
        named_tasks.*,
        unit_forms.unit_form_id,
        unit_forms.fiscal_year,
        unit_forms.department_name,
        unit_forms.unit_id,
        unit_forms.unit_name,
        row_number() over (
            partition by named_tasks.overview_item_id order by unit_forms.source_line desc
        ) as form_rank

    from named_tasks
    inner join unit_forms
        on named_tasks.document_id = unit_forms.document_id
        and named_tasks.source_line >= unit_forms.source_line

),

final as (

    select
        overview_item_id as key_task_id,
        unit_form_id as unit_budget_id,
        fiscal_year,
        document_id,
        source_file,
        source_line,
        source_location,
        item_no,
        department_name,
        unit_id,
        unit_name,
        field as task_kind,
        task_name,
        label as task_label,
        content,
        value_text as amount_printed,
        value_unit as amount_unit,
        amount_wan,
        detail as expected_result

    from assigned
    where form_rank = 1
        and task_name is not null

)

select * from final
