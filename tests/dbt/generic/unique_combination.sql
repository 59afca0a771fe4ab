{#
    Fails on every combination of `columns` that occurs more than once: the primary-key test
    of a table whose key is several columns (the raw tables' (document_id, source_line), …).
#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
