with

source as (

    select * from {{ source('raw', 'document_lines') }}

),

renamed as (

    select
        {{ stable_id(['document_id', 'line_no']) }} as document_line_id,
        document_id,
        source_file,
        line_no,
        line_use,
        reason

    from source

)

select * from renamed
