with

source as (

    select * from {{ source('raw', 'documents') }}

),

renamed as (

    select
        document_id,
        source_file,
        sha256,
        {{ canonical_text('department_name') }} as department_name,
        fiscal_year,
        fiscal_year_source,
        layout,
        trim(amount_unit) as amount_unit,
        {{ canonical_text('title') }} as title,
        line_count,
        encoding,
        extracted_at,
        extractor_version,
        nullif(trim(templates), '') as templates

    from source

)

select * from renamed
