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


def fiscal_year_of_partition(partition_key: str) -> int:
    """The fiscal year a partition key stands for; a run's dbt vars are built from it."""
    if not (partition_key.isdigit() and len(partition_key) == 4):
        raise ValueError(f"not a fiscal-year partition key: {partition_key!r}")
    return int(partition_key)
