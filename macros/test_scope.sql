{#
    What a data test reads in a one-year load: the rows that load wrote, not every year's.

    A load of one fiscal year (PERFDW_FISCAL_YEAR, macros/fiscal_year.sql) replaces only that
    year's rows of the raw tables, the staging views over them (one row per document row) and
    the per-year models; every other year's rows are as the load that wrote them left them,
    tested then. So a test of such a relation reads the year's rows only: `fiscal_year = Y` for
    a per-year model, the year's documents for a raw table or staging view with a document_id.
    Everything else (dimensions, cross-year marts, seeds) is rebuilt or read whole and tested
    whole, and every load of all years (and `make test`'s plain `dbt build`) tests everything.
    A key is only checked unique among the year's rows; the keys of these relations are hashes
    of the document id and a line, so they cannot collide across documents.

    dbt passes the relation under test of every generic test, and so of every single_table_checks
    group, through get_where_subquery (its `where` config): this is dbt's macro with the year's
    condition added.
#}

{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append(where) -%}
    {%- endif -%}
    {%- set year_condition = perfdw.tested_year_condition(relation) -%}
    {%- if year_condition -%}
        {%- do conditions.append(year_condition) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where ({{ conditions | join(') and (') }})) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}


{# The condition limiting a test of `relation` to the loaded year's rows, or none. #}
{% macro tested_year_condition(relation) -%}
    {%- set year = perfdw.selected_fiscal_year() -%}
    {%- set node = perfdw.tested_node(relation) if year is not none else none -%}
    {%- if node is none -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- if 'per_year' in node.tags -%}
        {%- do return('fiscal_year = ' ~ year) -%}
    {%- endif -%}
    {%- set document_rows = node.resource_type == 'source' or (node.fqn | length > 1 and node.fqn[1] == 'staging') -%}
    {%- if document_rows and 'document_id' in node.columns -%}
        {%- set documents = perfdw.raw_documents_relation() -%}
        {%- do return('document_id in (select document_id from ' ~ documents ~ ' where fiscal_year = ' ~ year ~ ')') -%}
    {%- endif -%}
    {%- do return(none) -%}
{%- endmacro %}


{# The graph node, model or source, of the test's parent that `relation` is. #}
{% macro tested_node(relation) -%}
    {%- for unique_id in model.depends_on.nodes -%}
        {%- set node = graph.nodes.get(unique_id) or graph.sources.get(unique_id) -%}
        {%- if node and node.resource_type in ('model', 'source') -%}
            {%- set identifier = node.identifier if node.resource_type == 'source' else node.alias -%}
            {%- if (identifier | lower) == (relation.identifier | lower) and (node.schema | lower) == (relation.schema | lower) -%}
                {%- do return(node) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(none) -%}
{%- endmacro %}


{# raw.documents, the catalog of landed documents and their fiscal years, on this target. #}
{% macro raw_documents_relation() -%}
    {%- for node in graph.sources.values() if node.source_name == 'raw' and node.name == 'documents' -%}
        {%- do return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier)) -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("perfdw: source raw.documents is not declared") }}
{%- endmacro %}
