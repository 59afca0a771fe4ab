{# Helpers of the single_table_checks test (tests/dbt/generic/single_table_checks.sql). #}

{# The tests a single_table_checks test node stands for (see above). #}
{% macro single_table_check_nodes(group) -%}
    {%- set parents = group.depends_on.nodes -%}
    {%- set checks = [] -%}
    {#- the cheap comparison first: the full rule is a macro call, for a few tests of each table -#}
    {%- for node in graph.nodes.values() if node.depends_on.nodes == parents and perfdw.is_single_table_check(node, parents) -%}
        {%- do checks.append(node) -%}
    {%- endfor -%}
    {{ return(checks | sort(attribute='name')) }}
{%- endmacro %}


{% macro is_single_table_check(node, parents) -%}
    {%- set meta = node.test_metadata or {} -%}
    {%- set config = node.config -%}
    {%- set plain_arguments = [] -%}
    {%- for key, value in (meta.kwargs or {}).items() if key != 'model' -%}
        {%- set text = value | string -%}
        {%- if '{{' not in text and '{%' not in text and not modules.re.match('\\s*(ref|source)\\s*\\(', text) -%}
            {%- do plain_arguments.append(key) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(
        node.resource_type == 'test'
        and meta.name is defined and meta.name and meta.name != 'single_table_checks'
        and node.depends_on.nodes == parents
        and config.enabled
        and (config.severity | lower) == 'error'
        and config.fail_calc == 'count(*)'
        and (config.error_if | replace(' ', '')) == '!=0'
        and config.limit is none
        and not config.store_failures
        and plain_arguments | length == (meta.kwargs or {}) | reject('equalto', 'model') | list | length
    ) }}
{%- endmacro %}


{# A check's own SQL, from its test macro and arguments; `where` applied as dbt does. #}
{% macro render_check(check, relation) -%}
    {%- set arguments = {} -%}
    {%- for key, value in check.test_metadata.kwargs.items() if key != 'model' -%}
        {%- do arguments.update({key: value}) -%}
    {%- endfor -%}
    {%- set where = check.config.where -%}
    {%- if where -%}
        {%- do arguments.update({'model': '(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery'}) -%}
    {%- else -%}
        {%- do arguments.update({'model': relation}) -%}
    {%- endif -%}
    {%- set namespace = check.test_metadata.namespace -%}
    {%- set test_macro = context[namespace][('test_' ~ check.test_metadata.name)] if namespace else context['test_' ~ check.test_metadata.name] -%}
    {{ test_macro(**arguments) }}
{%- endmacro %}


{# Whether the table a group checks is a view (the group then computes it once). #}
{% macro tests_a_view(group) -%}
    {%- set parent = graph.nodes.get(group.depends_on.nodes[0]) -%}
    {{ return(parent is not none and parent.config.materialized == 'view') }}
{%- endmacro %}


{# `materialized` where a CTE may be asked to be computed once (Spark has no such keyword). #}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'perfdw')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
    {{ return('') }}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    {{ return('materialized') }}
{%- endmacro %}

{% macro postgres__materialized_cte() -%}
    {{ return('materialized') }}
{%- endmacro %}
