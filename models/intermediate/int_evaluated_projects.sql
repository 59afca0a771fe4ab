{#
    One row per self-evaluated project (项目支出绩效自评表, budget_rows.template =
    'self_evaluation'): the project after its year, keyed like any project (md5(document_id:
    source_line)). Its unit is the 实施单位, its department the 主管部门 where printed. Its
    amounts are execution figures (stg_project_amount_items, block_field 'execution'). Built one fiscal year at a time
    (per_year_config).
#}

{{ config(**per_year_config()) }}

with

budget_rows as (

    select * from {{ ref('stg_budget_rows') }}
    where 1 = 1 {{ document_year_condition(ref('int_documents')) }}

),

documents as (

    select * from {{ ref('int_documents') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

final as (

    select
        budget_rows.budget_row_id as project_id,
        budget_rows.document_id,
        budget_rows.source_file,
        budget_rows.source_line,
        budget_rows.source_location,
        documents.fiscal_year,
        coalesce(budget_rows.managing_department, documents.department_name) as department_name,
        coalesce(budget_rows.unit_name, budget_rows.managing_department, documents.department_name) as unit_name,
        budget_rows.row_name as project_name,
        budget_rows.goal_text

    from budget_rows
    inner join documents
        on budget_rows.document_id = documents.document_id
    where budget_rows.row_kind = 'project'
        and budget_rows.template = 'self_evaluation'

)

select
    {{ stable_id(['department_name', 'unit_name']) }} as unit_id,
    *

from final
