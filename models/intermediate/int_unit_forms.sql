{#
    One row per unit-level target form (部门（单位）整体支出/预算绩效目标表) of a document: its
    items (stg_unit_overview_items) pivoted by their vocabulary field, the extract step's
    reading of each label. A form starts at its department_name item (部门名称): a document
    that prints several unit forms has one row per form; a document whose items carry no
    fields yet (loaded before the vocabulary) has one form and no figures. The unit is the form's
    unit_name item (下属单位名称) where it prints one, otherwise its department. Built one
    fiscal year at a time (per_year_config).
#}

{{ config(**per_year_config()) }}

{%- set amount_fields = ['basic_spend', 'project_spend', 'spend_total', 'total', 'fiscal', 'carry_over', 'other', 'special_fund', 'other_development_spend'] -%}
{%- set count_fields = ['staff_count', 'subunit_count'] -%}

with

overview_items as (

    select * from {{ ref('stg_unit_overview_items') }}
    where 1 = 1 {{ document_year_condition(ref('int_documents')) }}

),

documents as (

    select * from {{ ref('int_documents') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

numbered_items as (

    select
        *,
        cast(greatest(
            1,
            sum(case when field = 'department_name' then 1 else 0 end) over (
                partition by document_id order by item_no rows between unbounded preceding and current row
            )
        ) as integer) as form_no

    from overview_items

),

forms as (

    select
        document_id,
        form_no,
        min(source_line) as source_line,
        max(source_line) as end_line,
        min(item_no) as first_item_no,
        max(case when field = 'department_name' then value_text end) as form_department_name,
        max(case when field = 'unit_name' then value_text end) as form_unit_name,
        {%- for field in count_fields %}
        max(case when field = '{{ field }}' then value_text end) as {{ field }}_printed,
        {%- endfor %}
        {%- for field in amount_fields %}
        max(case when field = '{{ field }}' then amount_wan end) as {{ field }}_wan,
        max(case when field = '{{ field }}' then value_text end) as {{ field }}_printed,
        max(case when field = '{{ field }}' then source_line end) as {{ field }}_source_line,
        {%- endfor %}
        max(case when field = 'goal' then value_text end) as goal_text,
        count(*) as item_count,
        sum(case when field = 'key_task' then 1 else 0 end) as key_task_count

    from numbered_items
    group by document_id, form_no

),

located as (

    select
        forms.*,
        -- the first item's location: the cell or line where the form begins
        numbered_items.source_location

    from forms
    inner join numbered_items
        on forms.document_id = numbered_items.document_id
        and forms.first_item_no = numbered_items.item_no

),

final as (

    select
        located.document_id,
        located.form_no,
        documents.source_file,
        documents.fiscal_year,
        coalesce(located.form_department_name, documents.department_name) as department_name,
        coalesce(located.form_unit_name, located.form_department_name, documents.department_name) as unit_name,
        located.source_line,
        located.end_line,
        located.source_location,
        {%- for field in count_fields %}
        {{ field }}_printed,
        cast({{ printed_number(field ~ '_printed') }} as integer) as {{ field }},
        {%- endfor %}
        {%- for field in amount_fields %}
        {{ field }}_wan,
        {{ field }}_source_line,
        {%- endfor %}
        -- 部门预算支出 = 基本支出 + 项目支出 (either printed alone is the total)
        case
            when located.basic_spend_wan is not null or located.project_spend_wan is not null
                then cast(coalesce(located.basic_spend_wan, 0) + coalesce(located.project_spend_wan, 0) as {{ amount_type() }})
        end as spend_wan,
        -- 收入来源 = 财政拨款 + 上年结转 + 其他资金
        case
            when located.fiscal_wan is not null or located.carry_over_wan is not null or located.other_wan is not null
                then cast(
                    coalesce(located.fiscal_wan, 0) + coalesce(located.carry_over_wan, 0) + coalesce(located.other_wan, 0)
                    as {{ amount_type() }}
                )
        end as income_sources_wan,
        located.goal_text,
        cast(located.item_count as integer) as item_count,
        cast(located.key_task_count as integer) as key_task_count

    from located
    inner join documents
        on located.document_id = documents.document_id

)

select
    {{ stable_id(['document_id', 'form_no']) }} as unit_form_id,
    {{ stable_id(['department_name', 'unit_name']) }} as unit_id,
    *

from final
