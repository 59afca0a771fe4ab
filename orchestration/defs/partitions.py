"""Fiscal-year partitions, and how a partition becomes dbt vars."""

from __future__ import annotations

import dagster as dg

FIRST_FISCAL_YEAR = 2023

# A partition per calendar year from 2023. end_offset=1 adds the year in progress: budgets are
# published in its first months, so its partition must exist before the year closes. A new
# year's partition appears on 1 January with no code change.
fiscal_year_partitions = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *",
    start=str(FIRST_FISCAL_YEAR),
    fmt="%Y",
    end_offset=1,
)


def dbt_vars_for_partition(partition_key: str | None) -> dict[str, int | None]:
    """The vars of a dbt invocation for one fiscal-year partition (None: all years)."""
    if partition_key is None:
        return {"fiscal_year": None}
    if not (partition_key.isdigit() and len(partition_key) == 4):
        raise ValueError(f"not a fiscal-year partition key: {partition_key!r}")
    return {"fiscal_year": int(partition_key)}
