{#
    Every other data test of this model (or source table) that reads this table alone, run as
    one query: one row per check that fails, with the check's name and its count of failing rows.

    Each dbt test node costs tens of milliseconds of dbt's own work whatever the data (on Spark
    a job each): a load runs this test instead of the ~300 single-table checks it stands for
    (perfdw/dbt.py leaves those out of a load by the same rule, and runs the ones of a failed
    group again on their own, so a failure names its checks as before). The checks themselves
    stay declared where they are, column by column; this test renders each with its own macro
    and arguments, so it checks exactly what they do.

    A check is grouped when it is a generic test whose only parent is this table, with the
    default outcome (severity error, count(*) != 0, no limit, failures not stored) and arguments
    free of Jinja and of ref()/source() (those dbt renders for the test's own node only).
#}
{% test single_table_checks(model) %}
{%- set checks = perfdw.single_table_check_nodes(context['model']) if execute else [] -%}
{%- if checks | length == 0 %}
select 'none' as test_name, 0 as failures
where 1 = 0
{%- else %}
{#- A view is computed once for all its checks, not once per check. #}
{%- set once = perfdw.tests_a_view(context['model']) %}
{%- if once %}
with tested_rows as {{ perfdw.materialized_cte() }} (
    select * from {{ model }}
)
{%- endif %}
select test_name, failures
from (
    {%- for check in checks %}
    select '{{ check.name }}' as test_name, count(*) as failures
    from (
        {{ perfdw.render_check(check, 'tested_rows' if once else model) }}
    ) as failing_rows
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
) as checks
where failures > 0
{%- endif %}
{% endtest %}
