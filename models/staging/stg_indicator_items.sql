with

source as (

    select * from {{ source('raw', 'indicator_items') }}

),

renamed as (

    select
        {{ stable_id(['document_id', 'project_source_line', 'item_no']) }} as indicator_id,
        {{ stable_id(['document_id', 'project_source_line']) }} as project_id,
        document_id,
        source_file,
        project_source_line,
        source_line,
        coalesce(source_location, 'line ' || source_line) as source_location,
        item_no,
        {{ canonical_text('level1') }} as level1_printed,
        {{ canonical_text('level1_above') }} as level1_above,
        {{ canonical_text('level2') }} as level2_printed,
        {{ canonical_text('indicator_name') }} as indicator_name,
        {{ canonical_text('cycle_target') }} as cycle_target,
        {{ canonical_text('annual_target') }} as annual_target,
        {{ canonical_text('item_text') }} as item_text,
        {{ canonical_text('comparator') }} as comparator_printed,
        {{ canonical_text('measure_unit') }} as measure_unit,
        {{ canonical_text('weight') }} as weight_printed,
        {{ printed_number('weight') }} as weight,
        {{ canonical_text('achieved') }} as achieved,
        {{ canonical_text('score') }} as score_printed,
        {{ printed_number('score') }} as score,
        {{ canonical_text('deviation_reason') }} as deviation_reason,
        {{ canonical_text('remark') }} as remark

    from source

)

select * from renamed
