{#
    One row per project (row_kind = 'project') of one document, keyed by project_id =
    md5(document_id || ':' || source_line): the same document row always gets the same key.
    Adds the spending unit's key, the amounts of the budget year in 万元, the program and the
    area: the beneficiary area named in the project name (市就业补助资金(天河区),
    天河区劳动保障监察协管员工资) when it is the department's own area or one below it,
    otherwise the department's area. Built one fiscal year at a time (per_year_config).
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

program_names as (

    select * from {{ ref('int_program_names') }}

),

areas as (

    select * from {{ ref('administrative_areas') }}

),

projects as (

    select
        budget_rows.budget_row_id as project_id,
        budget_rows.document_id,
        budget_rows.source_file,
        budget_rows.source_line,
        budget_rows.source_location,
        budget_rows.end_line,
        budget_rows.row_no,
        documents.fiscal_year,
        documents.department_name,
        documents.layout,
        documents.department_area_code,
        budget_rows.unit_name,
        budget_rows.row_name as project_name,
        budget_rows.amount_unit,
        -- the tables print 总计 = 财政拨款 + 财政专户拨款 + 其他资金 (an empty cell is 0); the
        -- project forms print 总金额 and 当年度金额 only
        documents.layout <> 'forms' as has_funding_split,
        case
            when documents.layout = 'forms' then coalesce(budget_rows.annual_amount_wan, budget_rows.total_wan)
            else budget_rows.total_wan
        end as total_wan,
        case when documents.layout <> 'forms' then coalesce(budget_rows.fiscal_wan, 0) end as fiscal_wan,
        case when documents.layout <> 'forms' then coalesce(budget_rows.special_account_wan, 0) end as special_account_wan,
        case when documents.layout <> 'forms' then coalesce(budget_rows.other_wan, 0) end as other_wan,
        case when documents.layout = 'forms' then budget_rows.total_wan end as cycle_total_wan,
        budget_rows.goal_text,
        budget_rows.cycle_goal_text,
        budget_rows.project_type,
        budget_rows.project_level,
        budget_rows.start_year,
        budget_rows.end_year,
        budget_rows.shift_resolution

    from budget_rows
    inner join documents
        on budget_rows.document_id = documents.document_id
    where budget_rows.row_kind = 'project'
        -- a self-evaluation (自评表) reports a finished year: int_evaluated_projects
        and coalesce(budget_rows.template, '') <> 'self_evaluation'

),

area_lineage as (

    select
        areas.area_code,
        areas.area_name,
        areas.area_level,
        areas.parent_code,
        parents.parent_code as grandparent_code

    from areas
    left join areas as parents
        on areas.parent_code = parents.area_code

),

beneficiary_areas as (

    select
        projects.project_id,
        area_lineage.area_code,
        row_number() over (
            partition by projects.project_id
            order by
                case area_lineage.area_level when 'province' then 1 when 'prefecture_city' then 2 else 3 end desc,
                {{ dbt.position('area_lineage.area_name', 'projects.project_name') }}
        ) as mention_rank

    from projects
    inner join area_lineage
        on {{ dbt.position('area_lineage.area_name', 'projects.project_name') }} > 0
        and projects.department_area_code in (
            area_lineage.area_code, area_lineage.parent_code, area_lineage.grandparent_code
        )

),

joined as (

    select
        projects.*,
        {{ stable_id(['projects.department_name', 'projects.unit_name']) }} as unit_id,
        program_names.program_id,
        program_names.program_name,
        beneficiary_areas.area_code as beneficiary_area_code,
        coalesce(beneficiary_areas.area_code, projects.department_area_code) as area_code,
        case
            when beneficiary_areas.area_code is not null then 'project_name'
            when projects.department_area_code is not null then 'department'
        end as area_source,
        coalesce(beneficiary_areas.area_code <> projects.department_area_code, false) as is_transfer_to_area,
        cast(
            projects.total_wan - (projects.fiscal_wan + projects.special_account_wan + projects.other_wan)
            as {{ amount_type() }}
        ) as split_difference_wan

    from projects
    left join program_names
        on projects.project_name = program_names.project_name
    left join beneficiary_areas
        on projects.project_id = beneficiary_areas.project_id
        and beneficiary_areas.mention_rank = 1

),

final as (

    select
        joined.*,
        areas.area_name

    from joined
    left join areas
        on joined.area_code = areas.area_code

)

select * from final
