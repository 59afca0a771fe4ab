{#
    One row per distinct project name (canonical punctuation), with the program it belongs to,
    so that a program can be followed across units and years. The name is stripped of
      - document numbers: 穗财社【2022】34号, #穗财社(2023)33号;
      - years and year ranges: 2026年, 2025年-2026年, 2022-2024年, (2025-2027), (2023n), (2024年);
      - the markers 提前下达 (advance allocation) and 追加 (supplementary);
      - a district or city named in brackets (市就业补助资金(天河区)) or leading the name
        (天河区劳动保障监察协管员工资, 广州市工贸技师学院…): the areas of the administrative_areas seed;
    and then mapped through the program_aliases seed. program_id is a hash of the program name.
#}

{%- set document_number = '#?[穗粤湛吴财国人][一-鿿]{0,5}[【\\[(〔]+[0-9]{4}[】\\])〕]+[0-9]+号' -%}
{%- set year_range = '\\(?[0-9]{4}年?度?[-—~至][0-9]{4}年?度?\\)?' -%}
{%- set year_marker = '\\([0-9]{4}(n|年度?)?\\)|[0-9]{4}n|[0-9]{4}年度?' -%}
{%- set markers = '提前下达|追加' -%}

with

budget_rows as (

    select * from {{ ref('stg_budget_rows') }}

),

areas as (

    select * from {{ ref('administrative_areas') }}

),

program_aliases as (

    select * from {{ ref('program_aliases') }}

),

project_names as (

    select distinct row_name as project_name
    from budget_rows
    where row_kind = 'project'

),

without_markers as (

    select
        project_name,
        {{ regex_replace_all(
            regex_replace_all(
                regex_replace_all(
                    regex_replace_all(
                        regex_replace_all('project_name', document_number),
                        year_range),
                    year_marker),
                markers),
            '\\(\\)|^[#[:space:]]+|[#[:space:]]+$') }} as unmarked_name

    from project_names

),

bracketed_areas as (

    select
        without_markers.project_name,
        areas.area_name,
        row_number() over (
            partition by without_markers.project_name
            order by {{ dbt.length('areas.area_name') }} desc, areas.area_code
        ) as match_rank

    from without_markers
    inner join areas
        on {{ dbt.position("'(' || areas.area_name || ')'", 'without_markers.unmarked_name') }} > 0

),

without_bracketed_area as (

    select
        without_markers.project_name,
        trim(coalesce(
            {{ dbt.replace('without_markers.unmarked_name', "'(' || bracketed_areas.area_name || ')'", "''") }},
            without_markers.unmarked_name
        )) as name_1

    from without_markers
    left join bracketed_areas
        on without_markers.project_name = bracketed_areas.project_name
        and bracketed_areas.match_rank = 1

),

{#- a name may lead with a city and a district (广州市天河区…): two passes -#}
{%- for pass in [1, 2] %}

leading_areas_{{ pass }} as (

    select
        names.project_name,
        areas.area_name,
        row_number() over (
            partition by names.project_name
            order by {{ dbt.length('areas.area_name') }} desc, areas.area_code
        ) as match_rank

    from {{ 'without_bracketed_area' if pass == 1 else 'without_leading_area_1' }} as names
    inner join areas
        on {{ dbt.position('areas.area_name', 'names.name_' ~ pass) }} = 1
        and {{ dbt.length('names.name_' ~ pass) }} > {{ dbt.length('areas.area_name') }}

),

without_leading_area_{{ pass }} as (

    select
        names.project_name,
        case
            when leading_areas.area_name is null then names.name_{{ pass }}
            else trim(substring(names.name_{{ pass }}, {{ dbt.length('leading_areas.area_name') }} + 1))
        end as name_{{ pass + 1 }}

    from {{ 'without_bracketed_area' if pass == 1 else 'without_leading_area_1' }} as names
    left join leading_areas_{{ pass }} as leading_areas
        on names.project_name = leading_areas.project_name
        and leading_areas.match_rank = 1

),
{%- endfor %}

aliased as (

    select
        names.project_name,
        names.name_3 as normalized_name,
        coalesce(program_aliases.program_name, names.name_3) as program_name

    from without_leading_area_2 as names
    left join program_aliases
        on names.name_3 = program_aliases.alias_name

),

final as (

    select
        project_name,
        normalized_name,
        {{ stable_id(['program_name']) }} as program_id,
        program_name

    from aliased

)

select * from final
