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


def fiscal_years_of_run_tags(tags: dict[str, str]) -> list[int] | None:
    """The fiscal years a run loads, from its tags (None: every year), for assets that are not
    partitioned themselves and so have no partition keys of their own."""
    every = fiscal_year_partitions.get_partition_keys(dynamic_partitions_store=None)
    if "dagster/partition" in tags:
        keys = [tags["dagster/partition"]]
    elif "dagster/asset_partition_range_start" in tags:
        start, end = tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]
        keys = every[every.index(start): every.index(end) + 1]
    else:
        return None
    return None if set(every) <= set(keys) else [fiscal_year_of_partition(key) for key in keys]
