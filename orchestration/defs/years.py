"""Which fiscal years a run covers, from its partition keys."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.partitions import fiscal_year_of_partition, fiscal_year_partitions


def years_of_run(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> list[int | None]:
    """[None] when the run covers every fiscal year (one pass over all years is cheaper than one
    per year), else the years one by one; unpartitioned runs cover every year."""
    if not (context.has_partition_key or context.has_partition_key_range):
        return [None]
    keys = context.partition_keys
    every = fiscal_year_partitions.get_partition_keys(dynamic_partitions_store=None)
    if set(every) <= set(keys):
        return [None]
    return [fiscal_year_of_partition(key) for key in keys]
