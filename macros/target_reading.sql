{#
    The vocabulary of printed targets, read by int_target_readings.

    Comparator words and signs stand right before the number (不少于20次, ≥90%, 低于2019年178人);
    suffix words right after its unit (90%以上, 3%以内). Their meaning follows the statutory
    reading of 以上/以下/以内 as inclusive and of 超过/不满 as exclusive (民法典 第一千二百五十九条:
    "以上、以下、以内、届满，包括本数；不满、超过、以外，不包括本数"). 约/左右 mark an approximate
    value, read as `=` with is_approximate. Longer words come first: alternation is
    leftmost-first, so 不低于 must be tried before 低于.
#}
{% macro target_comparator_words() -%}
    {{ return([
        ('大于或等于', '>='), ('大于等于', '>='), ('不少于', '>='), ('不低于', '>='),
        ('不小于', '>='), ('至少', '>='), ('达到', '>='), ('>=', '>='), ('≥', '>='), ('≧', '>='),
        ('小于或等于', '<='), ('小于等于', '<='), ('不超过', '<='), ('不超出', '<='),
        ('不高于', '<='), ('不大于', '<='), ('不多于', '<='), ('不超', '<='), ('<=', '<='),
        ('≤', '<='), ('≦', '<='),
        ('大于', '>'), ('高于', '>'), ('超过', '>'), ('多于', '>'), ('＞', '>'), ('>', '>'),
        ('小于', '<'), ('低于', '<'), ('少于', '<'), ('不足', '<'), ('不满', '<'), ('＜', '<'), ('<', '<'),
        ('等于', '='), ('＝', '='), ('=', '='), ('为', '='),
        ('大约', 'approximately'), ('约', 'approximately'),
    ]) }}
{%- endmacro %}

{% macro target_suffix_words() -%}
    {{ return([
        ('及以上', '>='), ('或以上', '>='), ('以上', '>='),
        ('及以下', '<='), ('或以下', '<='), ('以下', '<='), ('以内', '<='), ('之内', '<='),
        ('左右', 'approximately'),
    ]) }}
{%- endmacro %}

{# Single Chinese numerals read as numbers (两场 = 2 场). #}
{% macro target_chinese_numerals() -%}
    {{ return([
        ('零', 0), ('一', 1), ('二', 2), ('两', 2), ('三', 3), ('四', 4), ('五', 5),
        ('六', 6), ('七', 7), ('八', 8), ('九', 9), ('十', 10),
    ]) }}
{%- endmacro %}

{# An RE2 alternation of the words, metacharacters escaped. #}
{% macro regex_alternation(pairs) -%}
    {%- set words = [] -%}
    {%- for word, meaning in pairs -%}
        {%- do words.append(word | replace('.', '\\.') | replace('+', '\\+') | replace('*', '\\*')) -%}
    {%- endfor -%}
    {{ return(words | join('|')) }}
{%- endmacro %}

{# CASE expression mapping a matched word to its meaning. #}
{% macro word_meaning(expression, pairs) -%}
    case {{ expression }}
    {%- for word, meaning in pairs %}
        when {{ perfdw.sql_string(word) }} then {{ perfdw.sql_string(meaning) }}
    {%- endfor %}
    end
{%- endmacro %}
