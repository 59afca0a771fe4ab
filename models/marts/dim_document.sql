with

documents as (

    select * from {{ ref('int_documents') }}

),

projects as (

    select * from {{ ref('int_projects') }}

),

indicators as (

    select * from {{ ref('int_indicators') }}

),

project_counts as (

    select
        document_id,
        cast(count(*) as integer) as project_count,
        {{ sum_wan('total_wan') }} as total_wan

    from projects
    group by document_id

),

indicator_counts as (

    select
        indicators.document_id,
        cast(count(*) as integer) as indicator_count,
        max(case when category_framework = 'newer' then 1 else 0 end) = 1 as uses_newer_framework,
        max(case when category_framework = 'older' then 1 else 0 end) = 1 as uses_older_framework

    from indicators
    -- the indicators fct_performance_indicator holds: targets of planned projects, not the
    -- results of a self-evaluation (fct_indicator_result) nor a unit's own
    inner join projects
        on indicators.project_id = projects.project_id
    where indicators.indicator_grain = 'project'
    group by indicators.document_id

),

final as (

    select
        documents.document_id,
        documents.source_file,
        documents.sha256,
        documents.department_name,
        documents.fiscal_year,
        documents.fiscal_year_source,
        documents.layout,
        documents.amount_unit,
        documents.title,
        documents.line_count,
        documents.encoding,
        documents.department_area_code as area_code,
        documents.department_area_name as area_name,
        coalesce(project_counts.project_count, 0) as project_count,
        coalesce(indicator_counts.indicator_count, 0) as indicator_count,
        project_counts.total_wan,
        case
            when indicator_counts.uses_newer_framework and indicator_counts.uses_older_framework then 'mixed'
            when indicator_counts.uses_newer_framework then 'newer'
            when indicator_counts.uses_older_framework then 'older'
            when indicator_counts.indicator_count is not null then 'both'
        end as indicator_framework,
        documents.extracted_at,
        documents.extractor_version

    from documents
    left join project_counts
        on documents.document_id = project_counts.document_id
    left join indicator_counts
        on documents.document_id = indicator_counts.document_id

)

select * from final
