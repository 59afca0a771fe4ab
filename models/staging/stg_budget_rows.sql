with

source as (

    select * from {{ source('raw', 'budget_rows') }}

),

amounts as (

    select
        *,
        {{ printed_amount('total') }} as total_printed,
        {{ printed_amount('fiscal') }} as fiscal_printed,
        {{ printed_amount('special_account') }} as special_account_printed,
        {{ printed_amount('other') }} as other_printed,
        {{ printed_amount('annual_amount') }} as annual_amount_printed

    from source

),

renamed as (

    select
        {{ stable_id(['document_id', 'source_line']) }} as budget_row_id,
        document_id,
        source_file,
        source_line,
        coalesce(source_location, 'line ' || source_line) as source_location,
        end_line,
        row_no,
        row_kind,
        trim(template) as template,
        {{ canonical_text('unit_name') }} as unit_name,
        {{ canonical_text('name') }} as row_name,
        trim(amount_unit) as amount_unit,

        total_printed,
        fiscal_printed,
        special_account_printed,
        other_printed,
        annual_amount_printed,
        {{ to_wan('total_printed', 'trim(amount_unit)') }} as total_wan,
        {{ to_wan('fiscal_printed', 'trim(amount_unit)') }} as fiscal_wan,
        {{ to_wan('special_account_printed', 'trim(amount_unit)') }} as special_account_wan,
        {{ to_wan('other_printed', 'trim(amount_unit)') }} as other_wan,
        {{ to_wan('annual_amount_printed', 'trim(amount_unit)') }} as annual_amount_wan,

        {{ canonical_text(regex_replace_all('goal_text', '</?p>')) }} as goal_text,
        {{ canonical_text(regex_replace_all('indicator_text', '</?p>')) }} as indicator_text,
        shift_resolution,
        {{ canonical_text('cycle_goal_text') }} as cycle_goal_text,
        {{ canonical_text('project_type') }} as project_type,
        {{ canonical_text('project_level') }} as project_level,
        {{ canonical_text('managing_department') }} as managing_department,
        {{ dbt.safe_cast(canonical_text('start_year'), 'integer') }} as start_year,
        {{ dbt.safe_cast(canonical_text('end_year'), 'integer') }} as end_year,
        {{ canonical_text('summary') }} as summary

    from amounts

)

select * from renamed
