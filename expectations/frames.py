"""The frames the suites validate, read through read-only DuckDB connections.

Values arrive as Python objects (Decimal for DECIMAL columns), not as pandas' float64 that
`.df()` would make of them, so that the suites compare exact amounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

AMOUNTS = ["total_wan", "fiscal_wan", "special_account_wan", "other_wan"]


def _frame(cursor: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The result as a frame of Python values, as fetchall() gives them: Decimal, int, str, None.

    Through Arrow, which hands DECIMAL over as Decimal and converts column by column: at scale
    1000 half the time of building the frame from fetchall()'s tuples (bench/PERFORMANCE.md).
    A missing string arrives as NaN, as pandas makes it; a row's description needs None.
    """
    frame = cursor.to_arrow_table().to_pandas(
        integer_object_nulls=True, date_as_object=True, timestamp_as_object=True
    ).astype(object)
    return frame.where(frame.notna(), None)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def read_model(database: Path, model: str, years: Sequence[int] | None) -> pd.DataFrame:
    """The rows of marts.<model>, of the given fiscal years (None: all)."""
    with duckdb.connect(str(database), read_only=True) as con:
        if years is None:
            return _frame(con.execute(f"select * from marts.{model}"))
        return _frame(con.execute(f"select * from marts.{model} where list_contains(?, fiscal_year)", [list(years)]))


def _measures(schema: str) -> str:
    """Per fiscal year: counts, amounts and the level-1 mix of one schema's facts."""
    projects = f"{schema}.fct_project_budget"
    indicators = f"{schema}.fct_performance_indicator"
    amounts = "\n".join(
        f"union all select fiscal_year, '{amount}', 'amount', coalesce(sum({amount}), 0) from {projects} group by 1"
        for amount in AMOUNTS
    )
    return f"""
        select fiscal_year, 'project_count' as measure, 'count' as kind, cast(count(*) as decimal(38, 4)) as value
        from {projects} group by 1
        {amounts}
        union all select fiscal_year, 'indicator_count', 'count', count(*) from {indicators} group by 1
        union all
        select fiscal_year, 'level1_' || level1_code || '_share_pct', 'share',
               round(cast(count(*) as decimal(18, 4)) * 100 / sum(count(*)) over (partition by fiscal_year), 4)
        from {indicators} group by fiscal_year, level1_code
    """


def published_comparison(pipeline_db: Path, published_db: Path, loaded_years: Sequence[int] | None) -> pd.DataFrame:
    """Per fiscal year and measure, the facts now against the published copy's (comparison_sql)."""
    with duckdb.connect() as con:
        con.execute(f"attach {_literal(pipeline_db)} as now (read_only)")
        con.execute(f"attach {_literal(published_db)} as published (read_only)")
        return _frame(con.execute(comparison_sql("now.marts", "published.marts", loaded_years)))


def comparison_sql(now_schema: str, published_schema: str, loaded_years: Sequence[int] | None) -> str:
    """Per fiscal year and measure, the facts of `now_schema` against `published_schema`'s.

    loaded_years: the years this load rebuilt (None: every year). Those may move (a warning
    beyond the thresholds); any other year must be exactly as published, since loading one
    year must not change another: other_year_difference is its difference, to be 0.
    Standard SQL, for every engine whose two schemas one query can read.
    """
    if loaded_years is None:
        loaded = "true"
    else:
        loaded = f"fiscal_year in ({', '.join(str(int(y)) for y in loaded_years)})" if loaded_years else "false"
    return f"""
            with
            now_measures as ({_measures(now_schema)}),
            published_measures as ({_measures(published_schema)}),
            published_years as (select distinct fiscal_year from published_measures),
            compared as (
                select
                    cast(coalesce(now_measures.fiscal_year, published_measures.fiscal_year) as integer) as fiscal_year,
                    coalesce(now_measures.measure, published_measures.measure) as measure,
                    coalesce(now_measures.kind, published_measures.kind) as kind,
                    cast(published_measures.value as decimal(18, 4)) as published_value,
                    cast(now_measures.value as decimal(18, 4)) as current_value,
                    cast(coalesce(now_measures.value, 0) - coalesce(published_measures.value, 0) as decimal(18, 4))
                        as difference
                from now_measures
                full outer join published_measures
                    on now_measures.fiscal_year = published_measures.fiscal_year
                    and now_measures.measure = published_measures.measure
            )
            select
                compared.*,
                {loaded} as is_loaded,
                fiscal_year in (select fiscal_year from published_years) as was_published,
                case when not ({loaded}) then difference end as other_year_difference,
                case
                    when ({loaded}) and kind <> 'share' and published_value <> 0
                    then cast(round(difference * 100 / published_value, 2) as decimal(12, 2))
                end as reloaded_change_pct,
                case
                    when ({loaded}) and kind = 'share' and fiscal_year in (select fiscal_year from published_years)
                    then difference
                end as reloaded_share_change_points
            from compared
            order by fiscal_year, measure
        """
