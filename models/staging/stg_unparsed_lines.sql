with

source as (

    select * from {{ source('raw', 'unparsed_lines') }}

),

renamed as (

    select
        {{ stable_id(['document_id', 'line_no']) }} as unparsed_line_id,
        document_id,
        source_file,
        line_no,
        line_text,
        reason

    from source

)

select * from renamed
