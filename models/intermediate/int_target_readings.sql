{#
    One row per distinct target text (实施周期指标值 / 年度指标值, and a self-evaluation's
    实际完成值; canonical punctuation), read into comparator, value and unit. The target is the text's last number (a year reference
    such as 低于2019年178人 aside), with the comparator word or sign right before it, the unit
    right after it (the longest unit of the target_units seed the rest starts with; 每 written
    as /: 800元每人每月 is 元/人/月) and a suffix word after the unit or at the end (以上, 以内,
    …: 4个以上, 4个团组以上). Words may
    follow the unit (案件资料100%按规定归档, 为8家入驻机构提供服务): the number still states the
    target. Text before the number is kept as the qualifier (全年, 上半年, 满意度, …); a count
    named there gives the unit a bare number lacks (重大负面社会影响次数=0 counts 次).
    Qualitative, with nothing guessed: no number; several numbers, unless the text is one clause
    ending in its only explicit comparison (响应时间30分钟以内比例大于等于95%); a formula; a
    year with no comparator; a number followed by words but no unit or suffix (完成2023年度工作,
    12月31日前), or a Chinese numeral followed by words (掌握一门技能, 七个区协管员工资分摊).
    A unit printed in brackets right after the number (≥500.00(平方米), =100.00(%), ≤30(天): the
    Shanghai and self-evaluation templates) is the unit. A compound target — a list of
    quantities, each a number with its unit or words (1600人、200人; 1000宗;500家企业) — stays
    whole and qualitative and is flagged is_compound; a thousands separator (1,500人次) is no
    list separator.
#}

{%- set number = '[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]+)?|[0-9]+(?:\\.[0-9]+)?' -%}
{%- set numerals = target_chinese_numerals() -%}
{%- set numeral_class = '[' ~ (numerals | map('first') | join('')) ~ ']' -%}
{%- set comparators = target_comparator_words() -%}
{%- set suffixes = target_suffix_words() -%}
{%- set comparator_alternation = regex_alternation(comparators) -%}
{%- set suffix_alternation = regex_alternation(suffixes) -%}
{#- prefix, comparator word, year reference, number, the rest (no digits) -#}
{%- set single_pattern = '^(.*?)(' ~ comparator_alternation ~ ')?[ ]*(?:([0-9]{4})年)?(' ~ number ~ '|' ~ numeral_class ~ ')([^0-9]*)$' -%}
{#- a list item: words, then numbers each followed by words (a unit at least) -#}
{%- set compound_item = '[^、;,0-9]*(?:(?:' ~ number ~ ')[^、;,0-9]+)+' -%}
{%- set compound_pattern = '^' ~ compound_item ~ '(?:[、;,]' ~ compound_item ~ ')+$' -%}
{#- prefix, low number, high number, the rest -#}
{%- set range_pattern = '^([^0-9]*?)(' ~ number ~ ')[ ]*[-~～至到][ ]*(' ~ number ~ ')([^0-9]*)$' -%}

with

indicator_items as (

    select * from {{ ref('stg_indicator_items') }}

),

unit_indicator_items as (

    select * from {{ ref('stg_unit_indicator_items') }}

),

target_units as (

    select * from {{ ref('target_units') }}

),

target_texts as (

    select cycle_target as target_text from indicator_items
    union
    select annual_target from indicator_items
    union
    select cycle_target from unit_indicator_items
    union
    select annual_target from unit_indicator_items
    union
    -- a self-evaluation's achieved value (实际完成值) reads like a target
    select achieved from indicator_items

),

matched as (

    select
        target_text,
        {{ regex_extract('target_text', range_pattern, 1) }} as range_prefix,
        {{ regex_extract('target_text', range_pattern, 2) }} as range_low_text,
        {{ regex_extract('target_text', range_pattern, 3) }} as range_high_text,
        {{ regex_extract('target_text', range_pattern, 4) }} as range_rest,
        {{ regex_extract('target_text', single_pattern, 1) }} as single_prefix,
        {{ regex_extract('target_text', single_pattern, 2) }} as comparator_word,
        {{ regex_extract('target_text', single_pattern, 3) }} as year_reference,
        {{ regex_extract('target_text', single_pattern, 4) }} as number_text,
        {{ regex_extract('target_text', single_pattern, 5) }} as single_rest

    from target_texts
    where target_text is not null

),

shaped as (

    select
        target_text,
        range_low_text is not null as is_range,
        case when range_low_text is not null then range_prefix else single_prefix end as prefix_text,
        case when range_low_text is not null then null else comparator_word end as comparator_word,
        case when range_low_text is not null then null else year_reference end as year_reference,
        case when range_low_text is not null then range_low_text else number_text end as number_text,
        range_high_text,
        case when range_low_text is not null then range_rest else single_rest end as rest_text

    from matched

),

unbracketed_rest as (

    select
        *,
        {#- ≤30(天): a unit in brackets, alone after the number -#}
        case
            when {{ regex_matches('trim(rest_text)', '^\\([^()0-9]+\\)$') }}
                then {{ regex_replace_all('trim(rest_text)', '[()]') }}
            else rest_text
        end as rest_unbracketed

    from shaped

),

normalized_rest as (

    select
        *,
        trim(replace(replace(coalesce(rest_unbracketed, ''), '/每', '/'), '每', '/')) as rest_for_unit

    from unbracketed_rest

),

unit_candidates as (

    select
        normalized_rest.target_text,
        target_units.unit,
        row_number() over (
            partition by normalized_rest.target_text order by length(target_units.unit) desc
        ) as unit_rank

    from normalized_rest
    inner join target_units
        on substr(normalized_rest.rest_for_unit, 1, length(target_units.unit)) = target_units.unit

),

after_unit as (

    select
        normalized_rest.*,
        unit_candidates.unit as unit_text,
        trim(substr(normalized_rest.rest_for_unit, coalesce(length(unit_candidates.unit), 0) + 1)) as text_after_unit

    from normalized_rest
    left join unit_candidates
        on normalized_rest.target_text = unit_candidates.target_text
        and unit_candidates.unit_rank = 1

),

split_rest as (

    select
        *,
        {#- 4个以上 or, after the thing counted, 4个团组以上 -#}
        coalesce(
            {{ regex_extract('text_after_unit', '^(' ~ suffix_alternation ~ ')', 1) }},
            {{ regex_extract('text_after_unit', '(' ~ suffix_alternation ~ ')$', 1) }}
        ) as suffix_word,
        nullif(trim({{ regex_replace_all('text_after_unit', '^(' ~ suffix_alternation ~ ')|(' ~ suffix_alternation ~ ')$') }}), '') as trailing_text,
        {{ regex_extract('prefix_text', '(次|人|件|家|个|项|场)数$', 1) }} as counted_in_prefix

    from after_unit

),

meanings as (

    select
        *,
        {{ word_meaning('comparator_word', comparators) }} as word_comparator,
        {{ word_meaning('suffix_word', suffixes) }} as suffix_comparator

    from split_rest

),

classified as (

    select
        *,
        case
            when number_text is null
                then 'qualitative: no number'
            when {{ regex_matches('prefix_text', '[0-9]') }}
                and (
                    comparator_word is null or trailing_text is not null
                    or {{ regex_matches('prefix_text', '[,;、。]|' ~ comparator_alternation) }}
                )
                then 'qualitative: several numbers'
            when {{ regex_matches('prefix_text', '[*/×+.~-]$') }}
                then 'qualitative: formula'
            when year_reference is not null and comparator_word is null
                then 'qualitative: year without comparator'
            when trailing_text is not null
                and (
                    (unit_text is null and suffix_word is null)
                    or {{ regex_matches('number_text', '^' ~ numeral_class ~ '$') }}
                )
                then 'qualitative: words after the number'
            when is_range and (comparator_word is not null or suffix_word is not null)
                then 'qualitative: range with comparator'
            when word_comparator is not null and suffix_comparator is not null
                and word_comparator <> suffix_comparator
                then 'qualitative: conflicting comparators'
            when is_range
                then 'range'
            when word_comparator = 'approximately' or suffix_comparator = 'approximately'
                then 'approximate'
            when word_comparator is not null
                then 'comparator word'
            when suffix_comparator is not null
                then 'suffix word'
            when trailing_text is not null
                then 'number in a sentence'
            else 'plain number'
        end as reading_rule

    from meanings

),

readings as (

    select
        target_text,
        reading_rule,
        reading_rule not like 'qualitative%' as is_quantitative,
        case
            when reading_rule like 'qualitative%' then null
            when reading_rule = 'range' then 'between'
            when reading_rule = 'approximate' then '='
            else coalesce(word_comparator, suffix_comparator, '=')
        end as target_comparator,
        case
            when reading_rule like 'qualitative%' then null
            {%- for numeral, value in numerals %}
            when number_text = '{{ numeral }}' then cast({{ value }} as decimal(18, 4))
            {%- endfor %}
            else cast(replace(number_text, ',', '') as decimal(18, 4))
        end as target_value,
        case
            when reading_rule = 'range' then cast(replace(range_high_text, ',', '') as decimal(18, 4))
        end as target_value_max,
        case
            when reading_rule not like 'qualitative%' then coalesce(unit_text, counted_in_prefix)
        end as target_unit,
        reading_rule = 'approximate' as is_approximate,
        coalesce({{ regex_matches('target_text', compound_pattern) }}, false) as is_compound,
        case when reading_rule not like 'qualitative%' then nullif(trim(prefix_text), '') end as target_qualifier,
        case when reading_rule not like 'qualitative%' then cast(year_reference as integer) end as reference_year,
        nullif(trim(rest_text), '') as text_after_number

    from classified

)

select * from readings
