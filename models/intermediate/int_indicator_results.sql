{#
    One row per project indicator: its target next to what was achieved (a self-evaluation's
    实际完成值), both read by int_target_readings, and whether the target was met.

    The target: the 年度指标值 as read; where the template prints 指标性质 in its own column
    (≥, =, ≤ …) that gives the comparator, and 计量单位 the unit ('无' in either: none printed).
    The achieved value: read the same way. A percent printed as a fraction (0.88 against a %
    target) is read as 88% only when the unit says %, the achieved value is printed without a
    % sign and is at most 1, and the target is a floor or a level above 1 (≥ 90%, = 100%, a
    range): under a cap (≤ 3%) or a target of 1% or less, 0.8 may well mean 0.8%, so it is
    kept as printed.

    result_status, by result_rule:
    - numbers: a number target and a number achieved in the same unit (or the achieved with no
      unit of its own) compare with the target's comparator: met or not_met (between: both ends
      included; ≈ and = compare as equal);
    - texts: a target with no number compares texts. With = (printed or read) the same text is
      met and another not_met; with no comparator (指标性质 无) the same text is met and another
      is not_comparable (有效 vs 较有效 is a judgement, not a comparison);
    - no achieved value printed, an achieved text against a number target, or different units:
      not_comparable.
    Built one fiscal year at a time (per_year_config).
#}

{{ config(**per_year_config()) }}

with

indicators as (

    select * from {{ ref('int_indicators') }}
    where indicator_grain = 'project' {{ fiscal_year_condition() }}

),

readings as (

    select * from {{ ref('int_target_readings') }}

),

targets as (

    select
        indicators.*,
        {{ word_meaning('indicators.comparator_printed', target_comparator_words()) }} as printed_comparator,
        nullif(indicators.measure_unit, '无') as printed_unit

    from indicators

),

read_values as (

    select
        targets.*,
        case
            when targets.printed_comparator = 'approximately' then '='
            when targets.printed_comparator is not null and targets.target_value is not null
                and coalesce(targets.target_comparator, '=') <> 'between'
                then targets.printed_comparator
            else targets.target_comparator
        end as result_comparator,
        coalesce(targets.printed_unit, targets.target_unit) as result_target_unit,
        achieved.target_value as achieved_number,
        achieved.target_unit as achieved_unit_printed,
        coalesce(achieved.is_quantitative, false) as is_achieved_quantitative

    from targets
    left join readings as achieved
        on targets.achieved = achieved.target_text

),

scaled as (

    select
        *,
        coalesce(
            result_target_unit = '%'
            and achieved_unit_printed is null
            and achieved_number <= 1
            and target_value > 1
            and result_comparator in ('>=', '>', '=', 'between'),
            false
        ) as is_fraction_read_as_percent,
        coalesce(achieved_unit_printed, result_target_unit) as achieved_unit

    from read_values

),

achieved_values as (

    select
        *,
        case
            when is_fraction_read_as_percent then cast(achieved_number * 100 as decimal(18, 4))
            else cast(achieved_number as decimal(18, 4))
        end as achieved_value

    from scaled

),

compared as (

    select
        *,
        case
            when achieved is null then 'no achieved value'
            when target_value is not null and not is_achieved_quantitative then 'achieved not a number'
            when target_value is not null
                and achieved_unit_printed is not null and result_target_unit is not null
                and achieved_unit_printed <> result_target_unit then 'units differ'
            when target_value is not null and is_fraction_read_as_percent then 'numbers (fraction read as percent)'
            when target_value is not null then 'numbers'
            when achieved = annual_target then 'texts: same'
            when coalesce(printed_comparator, target_comparator) = '=' then 'texts: differ'
            else 'texts: differ, no comparator'
        end as result_rule

    from achieved_values

),

final as (

    select
        *,
        case
            when result_rule like 'numbers%' then
                case
                    when case result_comparator
                        when '>=' then achieved_value >= target_value
                        when '>' then achieved_value > target_value
                        when '<=' then achieved_value <= target_value
                        when '<' then achieved_value < target_value
                        when '=' then achieved_value = target_value
                        when 'between' then achieved_value between target_value and target_value_max
                    end then 'met'
                    else 'not_met'
                end
            when result_rule = 'texts: same' then 'met'
            when result_rule = 'texts: differ' then 'not_met'
            else 'not_comparable'
        end as result_status

    from compared

)

select * from final
