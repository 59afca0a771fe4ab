{#
    Printed check sums against the projects below them, per document (合计) and per spending
    unit (subtotal), one row per amount column the document prints; and the check sums of the
    wider family's templates (check_level 'template', int_template_checks: 资金来源 and 支出明细
    totals, 收入来源 = 基本支出 + 项目支出, weights add up to 100, 执行率), one row per check.
    difference_wan = printed − summed. status: ok when |difference| ≤ the row's tolerance (the
    reconciliation_tolerance_wan var, 0.05 万元, for the printed totals), known_discrepancy when
    it matches an entry of the known_source_discrepancies seed within 0.05, mismatch otherwise.
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

template_checks as (

    select * from {{ ref('int_template_checks') }}
    where 1 = 1 {{ fiscal_year_condition() }}

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
        summed_{{ column }}_wan as summed_wan,
        cast(null as {{ dbt.type_string() }}) as unit_id,
        '万元' as value_unit,
        cast({{ tolerance }} as decimal(18, 6)) as tolerance
    from checks
    {%- if column != 'total' %}
    where prints_split
    {%- endif %}
    union all
    {%- endfor %}

    select
        document_id,
        source_file,
        fiscal_year,
        department_name,
        'template' as check_level,
        unit_name,
        printed_source_line,
        item_count as project_count,
        check_name as amount_column,
        printed_value as printed_wan,
        computed_value as summed_wan,
        unit_id,
        value_unit,
        tolerance
    from template_checks

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
        -- a template check names its line: several projects of one unit print the same check
        and (known_discrepancies.check_line is null or known_discrepancies.check_line = by_column.printed_source_line)

),

final as (

    select
        case
            when check_level = 'template'
                then {{ stable_id(['document_id', 'check_level', 'unit_name', 'amount_column', 'printed_source_line']) }}
            else {{ stable_id(['document_id', 'check_level', 'unit_name', 'amount_column']) }}
        end as reconciliation_id,
        fiscal_year,
        document_id,
        source_file,
        department_name,
        check_level,
        unit_name,
        case when unit_name is not null then coalesce(unit_id, {{ stable_id(['department_name', 'unit_name']) }}) end as unit_id,
        printed_source_line,
        cast(project_count as integer) as project_count,
        amount_column,
        printed_wan,
        summed_wan,
        difference_wan,
        expected_difference_wan,
        case
            when abs(difference_wan) <= tolerance then 'ok'
            when expected_difference_wan is not null
                and abs(difference_wan - expected_difference_wan) <= {{ tolerance }} then 'known_discrepancy'
            else 'mismatch'
        end as status,
        known_reason,
        value_unit,
        tolerance

    from compared

)

select * from final
