{#
    The type of every amount: DECIMAL(24,6). An amount in 万元 to the fen needs six decimals
    (12,345,678.00 元 is 1234.567800 万元), and a workbook may print 万元 with six decimals
    itself (10891.615675); 18 digits before the point leave room for any sum.
#}
{% macro amount_type() -%}
    decimal(24, 6)
{%- endmacro %}

{#
    Amounts as printed → exact decimals. Thousands separators, <p> tags, blanks and a
    trailing 元 / 万元 are dropped; an empty cell is null. Printed 元 carry at most two decimals
    and 万元 at most six (source tests check), so DECIMAL(24,6) holds them exactly.
#}
{% macro printed_amount(expression) -%}
    cast(nullif({{ perfdw.regex_replace_all(expression, '</?p>|[,，[:space:]　 ]|万元|元', '') }}, '') as {{ perfdw.amount_type() }})
{%- endmacro %}

{#
    A printed amount in 万元: 万元 as it is, 元 divided by 10 000 exactly (multiplied by the
    exact decimal 0.0001: no floating point, no rounding — 元 to the fen need the six
    decimals of DECIMAL(24,6); staging tests that amount_wan × 10 000 gives back the printed
    元 for every row).
#}
{% macro to_wan(amount, unit) -%}
    case {{ unit }}
        when '万元' then cast({{ amount }} as {{ perfdw.amount_type() }})
        when '元' then cast({{ amount }} * cast(0.0001 as decimal(5, 4)) as {{ perfdw.amount_type() }})
    end
{%- endmacro %}

{# The multiplier that turns an amount in 万元 back into the printed unit. #}
{% macro printed_unit_factor(unit) -%}
    case {{ unit }} when '元' then 10000 when '万元' then 1 end
{%- endmacro %}

{# Sum of amounts, kept DECIMAL(24,6) (engines widen sums to 38 digits). #}
{% macro sum_wan(expression) -%}
    cast(sum({{ expression }}) as {{ perfdw.amount_type() }})
{%- endmacro %}

{#
    numerator / denominator as a fraction DECIMAL(9,4) (0.8333 for 5 of 6), null when the
    denominator is 0 or null. Shares are ratios, not amounts: the division may go through a
    double before the result is rounded to a decimal.
#}
{% macro share(numerator, denominator) -%}
    cast(round(cast({{ numerator }} as decimal(18, 4)) / nullif({{ denominator }}, 0), 4) as decimal(9, 4))
{%- endmacro %}

{#
    Change in percent from `earlier` to `later`, DECIMAL(12,2) (12.50 for +12.5%); null when
    either side is null or the earlier amount is 0 — never a division by zero.
#}
{% macro percent_change(later, earlier) -%}
    case
        when {{ later }} is null or {{ earlier }} is null or {{ earlier }} = 0 then null
        else cast(round(({{ later }} - {{ earlier }}) * 100 / {{ earlier }}, 2) as decimal(12, 2))
    end
{%- endmacro %}

{#
    A printed plain number (a weight, a score, a rate, an achieved value) → DECIMAL(24,6):
    thousands separators, blanks and a trailing % dropped (the % is the caller's to read);
    null when the text is anything but one number (文字, 1600人、200人, an empty cell).
#}
{% macro printed_number(expression) -%}
    case
        when {{ perfdw.regex_matches(perfdw.regex_replace_all(expression, '[,，[:space:]　 ]', ''), '^-?[0-9]+(\\.[0-9]+)?[%％]?$') }}
            then cast({{ perfdw.regex_replace_all(expression, '[,，[:space:]　 %％]', '') }} as {{ perfdw.amount_type() }})
    end
{%- endmacro %}

{# Whether a printed value is a percent (ends with %). #}
{% macro printed_is_percent(expression) -%}
    coalesce({{ perfdw.regex_matches('trim(' ~ expression ~ ')', '[%％]$') }}, false)
{%- endmacro %}
