{#
    Fails on every non-null value of the column that the regular expression `pattern`
    (RE2, see macros/portability.sql) does not match. Anchor the pattern to test a whole value.
#}
{% test matches_pattern(model, column_name, pattern) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and not {{ perfdw.regex_matches(column_name, pattern) }}

{% endtest %}
