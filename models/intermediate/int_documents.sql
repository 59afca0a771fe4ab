{#
    One row per document, with the administrative area of its department: the most specific
    area of the administrative_areas seed whose full name the department name contains
    (广州市天河区人力资源和社会保障局 → 天河区, not 广州市).
#}

with

documents as (

    select * from {{ ref('stg_documents') }}

),

areas as (

    select * from {{ ref('administrative_areas') }}

),

area_mentions as (

    select
        documents.document_id,
        areas.area_code,
        areas.area_name,
        row_number() over (
            partition by documents.document_id
            order by
                case areas.area_level when 'province' then 1 when 'prefecture_city' then 2 else 3 end desc,
                {{ dbt.position('areas.area_name', 'documents.department_name') }}
        ) as mention_rank

    from documents
    inner join areas
        on {{ dbt.position('areas.area_name', 'documents.department_name') }} > 0

),

joined as (

    select
        documents.*,
        area_mentions.area_code as department_area_code,
        area_mentions.area_name as department_area_name

    from documents
    left join area_mentions
        on documents.document_id = area_mentions.document_id
        and area_mentions.mention_rank = 1

)

select * from joined
