{#
    Printed check sums against the projects below them, per document (合计) and per spending
    unit (subtotal), one row per amount column the document prints. difference_wan = printed −
    summed. status: ok when |difference| ≤ the reconciliation_tolerance_wan var (0.05 万元),
    known_discrepancy when it matches an entry of the known_source_discrepancies seed within
    that tolerance, mismatch otherwise.
#}
{{ config(**per_year_config()) }}

{%- set tolerance = var('reconciliation_tolerance_wan') -%}
{%- set amount_columns = ['total', 'fiscal', 'special_account', 'other'] -%}

with

subtotals as (

    select * from {{ ref('int_printed_subtotals') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

projects as (

    select * from {{ ref('int_projects') }}
    where 1 = 1 {{ fiscal_year_condition() }}

),

known_discrepancies as (

    select * from {{ ref('known_source_discrepancies') }}

),

unit_sums as (

    select
        document_id,
        unit_name,
        count(*) as project_count,
        {%- for column in amount_columns %}
        {{ sum_wan(column ~ '_wan') }} as summed_{{ column }}_wan{{ ',' if not loop.last }}
        {%- endfor %}

    from projects
    group by document_id, unit_name

),

document_sums as (

    select
        document_id,
        count(*) as project_count,
        {%- for column in amount_columns %}
        {{ sum_wan(column ~ '_wan') }} as summed_{{ column }}_wan{{ ',' if not loop.last }}
        {%- endfor %}

    from projects
    group by document_id

),

checks as (

    select
        subtotals.*,
        coalesce(unit_sums.project_count, 0) as project_count,
        {%- for column in amount_columns %}
        coalesce(unit_sums.summed_{{ column }}_wan, 0) as summed_{{ column }}_wan{{ ',' if not loop.last }}
        {%- endfor %}

    from subtotals
    left join unit_sums
        on subtotals.document_id = unit_sums.document_id
        and subtotals.unit_name = unit_sums.unit_name
    where subtotals.check_level = 'unit'

    union all

    select
        subtotals.*,
        coalesce(document_sums.project_count, 0),
        {%- for column in amount_columns %}
        coalesce(document_sums.summed_{{ column }}_wan, 0){{ ',' if not loop.last }}
        {%- endfor %}

    from subtotals
    left join document_sums
        on subtotals.document_id = document_sums.document_id
    where subtotals.check_level = 'document'

),

by_column as (

    {%- for column in amount_columns %}

    select
        document_id,
        source_file,
        fiscal_year,
        department_name,
        check_level,
        unit_name,
        printed_source_line,
        project_count,
        '{{ column }}' as amount_column,
        printed_{{ column }}_wan as printed_wan,
        summed_{{ column }}_wan as summed_wan
    from checks
    {%- if column != 'total' %}
    where prints_split
    {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

compared as (

    select
        by_column.*,
        cast(by_column.printed_wan - by_column.summed_wan as decimal(24, 6)) as difference_wan,
        cast(known_discrepancies.expected_difference as {{ amount_type() }}) as expected_difference_wan,
        known_discrepancies.reason as known_reason

    from by_column
    left join known_discrepancies
        on by_column.source_file = known_discrepancies.source_file
        and coalesce(by_column.unit_name, '') = coalesce(known_discrepancies.unit_name, '')
        and by_column.amount_column = known_discrepancies.amount_column

),

final as (

    select
        {{ stable_id(['document_id', 'check_level', 'unit_name', 'amount_column']) }} as reconciliation_id,
        fiscal_year,
        document_id,
        source_file,
        department_name,
        check_level,
        unit_name,
        case when unit_name is not null then {{ stable_id(['department_name', 'unit_name']) }} end as unit_id,
        printed_source_line,
        cast(project_count as integer) as project_count,
        amount_column,
        printed_wan,
        summed_wan,
        difference_wan,
        expected_difference_wan,
        case
            when abs(difference_wan) <= {{ tolerance }} then 'ok'
            when expected_difference_wan is not null
                and abs(difference_wan - expected_difference_wan) <= {{ tolerance }} then 'known_discrepancy'
            else 'mismatch'
        end as status,
        known_reason

    from compared

)

select * from final
