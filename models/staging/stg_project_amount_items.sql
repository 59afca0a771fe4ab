with

source as (

    select * from {{ source('raw', 'project_amount_items') }}

),

numbers as (

    select
        *,
        {{ printed_number('value') }} as value_number,
        {{ printed_is_percent('value') }} as value_is_percent

    from source

),

renamed as (

    select
        {{ stable_id(['document_id', 'project_source_line', 'item_no']) }} as amount_item_id,
        {{ stable_id(['document_id', 'project_source_line']) }} as project_id,
        document_id,
        source_file,
        project_source_line,
        item_no,
        source_line,
        coalesce(source_location, 'line ' || source_line) as source_location,
        {{ canonical_text('block') }} as block,
        trim(block_field) as block_field,
        {{ canonical_text('label') }} as label,
        trim(field) as field,
        trim(measure) as measure,
        {{ canonical_text('value') }} as value_text,
        value_number,
        value_is_percent,
        trim(amount_unit) as amount_unit,
        -- an amount only where the block or column names a money unit and the cell one number
        case
            when trim(amount_unit) in ('万元', '元') and not value_is_percent
                then {{ to_wan('value_number', 'trim(amount_unit)') }}
        end as amount_wan,
        parent_item_no,
        is_total

    from numbers

)

select * from renamed
