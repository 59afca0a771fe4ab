{#
    Fails on every row where the boolean SQL `expression` is not true (false or null).
    Used for row-level arithmetic such as abs(split_difference_wan) <= 0.01; restrict rows
    with the standard `config: {where: …}`.
#}
{% test expression_is_true(model, expression, column_name=None) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
