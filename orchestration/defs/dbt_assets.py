"""Every dbt model, seed and test as Dagster assets and checks.

Three groups, because a partitioned @dbt_assets marks every model it selects as partitioned and
one op can't sit both before and after another: the models upstream of the per-year facts
(seeds, staging, intermediate, unpartitioned), the per-year models (tag `per_year`, partitioned
by fiscal year, the year passed as the `fiscal_year` var), and what is built from them across
years (dimensions, marts, YoY; unpartitioned, rebuilt whole on every load).
"""


import json

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.extract_assets import BACKFILL
from orchestration.defs.partitions import dbt_vars_for_partition, fiscal_year_partitions
from orchestration.defs.project import WAREHOUSE_POOL, dbt_project
from orchestration.defs.years import years_of_run
from perfdw.progress import timed_step

PER_YEAR = "tag:per_year"
DOWNSTREAM = f"{PER_YEAR}+"
MANIFEST = dbt_project.manifest_path


def _build(context, dbt: DbtCliResource, year: int | None):
    # Unpartitioned models ignore the var, but dbt re-parses the whole project whenever --vars
    # change (about 6 s): passing the run's year to every invocation of a run avoids that.
    if year is None:
        year = _run_year(context)
    key = None if year is None else str(year)
    # dbt unit tests check the SQL, not the data: they run in `make test`, not on every load.
    args = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(dbt_vars_for_partition(key))]
    with timed_step(context.log.info, f"dbt build {context.op_def.name} {year or 'all years'}"):
        yield from dbt.cli(args, context=context).stream()


def _run_year(context) -> int | None:
    """The one fiscal year of a single-partition run, if the run is one."""
    key = context.run.tags.get("dagster/partition")
    return int(key) if key else None


@dbt_assets(
    manifest=MANIFEST, project=dbt_project, exclude=DOWNSTREAM,
    name="dbt_upstream", backfill_policy=BACKFILL, pool=WAREHOUSE_POOL,
)
def dbt_upstream(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Seeds, staging and intermediate models: views over the raw tables, all years."""
    yield from _build(context, dbt, None)


@dbt_assets(
    manifest=MANIFEST, project=dbt_project, select=PER_YEAR,
    name="dbt_per_year", partitions_def=fiscal_year_partitions,
    backfill_policy=BACKFILL, pool=WAREHOUSE_POOL,
)
def dbt_per_year(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Project and indicator facts and the reconciliation report, one fiscal year at a time."""
    for year in years_of_run(context):
        yield from _build(context, dbt, year)


@dbt_assets(
    manifest=MANIFEST, project=dbt_project, select=DOWNSTREAM, exclude=PER_YEAR,
    name="dbt_across_years", backfill_policy=BACKFILL, pool=WAREHOUSE_POOL,
)
def dbt_across_years(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Dimensions, marts and year-over-year views, rebuilt over every year."""
    yield from _build(context, dbt, None)
