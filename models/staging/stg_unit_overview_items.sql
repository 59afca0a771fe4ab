with

source as (

    select * from {{ source('raw', 'unit_overview_items') }}

),

renamed as (

    select
        {{ stable_id(['document_id', 'item_no']) }} as overview_item_id,
        document_id,
        source_file,
        source_line,
        coalesce(source_location, 'line ' || source_line) as source_location,
        item_no,
        trim(field) as field,
        {{ canonical_text('section') }} as section,
        {{ canonical_text('label') }} as label,
        {{ canonical_text('value') }} as value_text,
        trim(unit) as value_unit,
        -- an amount only where the item prints a money unit and a plain number
        case
            when trim(unit) in ('万元', '元')
                and {{ regex_matches('trim(value)', '^[0-9][0-9,]*(\\.[0-9]+)?$') }}
                then {{ to_wan(printed_amount('value'), 'trim(unit)') }}
        end as amount_wan,
        {{ canonical_text('detail') }} as detail,
        {{ canonical_text('content') }} as content

    from source

)

select * from renamed
