with

categories as (

    select * from {{ ref('indicator_categories') }}

),

indicators as (

    select * from {{ ref('int_indicators') }}

),

usage as (

    select level1_code as category_code, cast(count(*) as integer) as indicator_count
    from indicators
    group by level1_code

    union all

    select level2_code, cast(count(*) as integer)
    from indicators
    group by level2_code

),

final as (

    select
        categories.category_code,
        categories.category_level,
        categories.category_name,
        categories.name_en,
        categories.parent_code,
        parents.category_name as parent_name,
        categories.framework,
        coalesce(usage.indicator_count, 0) as indicator_count

    from categories
    left join categories as parents
        on categories.parent_code = parents.category_code
    left join usage
        on categories.category_code = usage.category_code

)

select * from final
