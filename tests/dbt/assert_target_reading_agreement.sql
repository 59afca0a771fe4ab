{#
    The parsed targets agree with the blind hand reading (seed target_readings_blind) on at least
    99% of its indicators: an indicator agrees when comparator, value, upper value and unit match
    for both its 实施周期指标值 and its 年度指标值, and the texts are still the ones the reader
    read. Only the reference rows of documents in the warehouse count (a warehouse of other
    documents has nothing to compare), but of those, a row whose indicator is gone (a parser
    that lost or moved it) counts as a disagreement: the test fails when nothing joins instead
    of passing on an empty comparison. Returns one row (a failure) below 99%.
#}

with

documents as (

    select * from {{ ref('dim_document') }}

),

reference as (

    select * from {{ ref('target_readings_blind') }}
    where source_file in (select source_file from documents)

),

indicators as (

    select * from {{ ref('fct_performance_indicator') }}

),

compared as (

    select
        reference.source_file,
        reference.project_source_line,
        reference.item_no,
        indicators.indicator_id is not null
            and indicators.cycle_target is not distinct from reference.cycle_target
            and indicators.annual_target is not distinct from reference.annual_target
            as is_same_text,
        indicators.cycle_target_comparator is not distinct from reference.cycle_comparator
            and indicators.cycle_target_value is not distinct from reference.cycle_value
            and indicators.cycle_target_value_max is not distinct from reference.cycle_value_max
            and indicators.cycle_target_unit is not distinct from reference.cycle_unit
            as cycle_agrees,
        indicators.target_comparator is not distinct from reference.annual_comparator
            and indicators.target_value is not distinct from reference.annual_value
            and indicators.target_value_max is not distinct from reference.annual_value_max
            and indicators.target_unit is not distinct from reference.annual_unit
            as annual_agrees

    from reference
    left join indicators
        on reference.source_file = indicators.source_file
        and reference.project_source_line = indicators.project_source_line
        and reference.item_no = indicators.item_no

),

agreement as (

    select
        count(*) as reference_indicators,
        sum(case when is_same_text then 1 else 0 end) as found_indicators,
        sum(case when is_same_text and cycle_agrees and annual_agrees then 1 else 0 end) as agreeing_indicators

    from compared

)

select
    *,
    cast(agreeing_indicators as decimal(18, 4)) / nullif(reference_indicators, 0) as agreement_share

from agreement
where cast(agreeing_indicators as decimal(18, 4)) / nullif(reference_indicators, 0) < 0.99
