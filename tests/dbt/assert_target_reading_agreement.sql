{#
    The parsed targets agree with the reviewed human reading (seed target_readings_reviewed)
    on at least 98% of the indicators whose two targets were reviewed: an indicator agrees
    when comparator, value and unit match for both its 实施周期指标值 and its 年度指标值.
    Returns one row (a failure) when the agreement is below 98%.
#}

with

indicators as (

    select * from {{ ref('fct_performance_indicator') }}

),

reviewed as (

    select * from {{ ref('target_readings_reviewed') }}

),

compared as (

    select
        indicators.indicator_id,
        coalesce(indicators.target_comparator = annual.comparator, indicators.target_comparator is null and annual.comparator is null)
            and coalesce(indicators.target_value = annual.value, indicators.target_value is null and annual.value is null)
            and coalesce(indicators.target_unit = annual.unit, indicators.target_unit is null and annual.unit is null)
            as annual_agrees,
        coalesce(indicators.cycle_target_comparator = cycle.comparator, indicators.cycle_target_comparator is null and cycle.comparator is null)
            and coalesce(indicators.cycle_target_value = cycle.value, indicators.cycle_target_value is null and cycle.value is null)
            and coalesce(indicators.cycle_target_unit = cycle.unit, indicators.cycle_target_unit is null and cycle.unit is null)
            as cycle_agrees

    from indicators
    inner join reviewed as annual
        on indicators.annual_target = annual.target_text
    inner join reviewed as cycle
        on indicators.cycle_target = cycle.target_text

),

agreement as (

    select
        count(*) as reviewed_indicators,
        sum(case when annual_agrees and cycle_agrees then 1 else 0 end) as agreeing_indicators,
        cast(sum(case when annual_agrees and cycle_agrees then 1 else 0 end) as decimal(18, 4))
            / nullif(count(*), 0) as agreement_share

    from compared

)

select *
from agreement
where reviewed_indicators > 0
    and agreement_share < 0.98
