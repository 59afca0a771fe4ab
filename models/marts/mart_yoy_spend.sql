{#
    Year over year: spend by spending unit, by program and by area in each fiscal year with
    the amount of the year before (fiscal_year − 1), the change and the change in percent —
    the previous-year rows of mart_spend_comparison, where the arithmetic lives.
#}
{{ config(materialized='view') }}

with

comparisons as (

    select * from {{ ref('mart_spend_comparison') }}

),

previous_year as (

    select
        yoy_id,
        dimension,
        dimension_id,
        dimension_value,
        department_name,
        fiscal_year,
        prior_fiscal_year,
        project_count,
        total_wan,
        prior_project_count,
        prior_total_wan,
        change_wan,
        change_pct

    from comparisons
    where is_previous_year

)

select * from previous_year
