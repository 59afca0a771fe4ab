"""Every dbt model, seed and test as Dagster assets and checks, built by one `dbt build`.

One op for the whole project, partitioned by fiscal year: the partition becomes dbt's
PERFDW_FISCAL_YEAR (perfdw.dbt.fiscal_year_environment), which the per-year models (tag
`per_year`: the intermediate models and facts with a document's rows) use to replace only that
year's rows. Seeds, staging views and the cross-year dimensions and marts carry the partition
too, but read every year whatever it is: materializing partition 2024 of `dim_unit` means
"rebuilt by the 2024 load". Three ops
(upstream, per-year, cross-year) would model that more literally, but each dbt invocation
costs about 6 s of start-up and parsing, which was most of a load's time (bench/PERFORMANCE.md).
A one-year load leaves out the seeds unchanged since the warehouse's last build (perfdw.dbt):
they are not materialized by that run.
"""


import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.extract_assets import BACKFILL
from orchestration.defs.partitions import fiscal_year_partitions
from orchestration.defs.project import WAREHOUSE_POOL, dbt_project
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.years import years_of_run
from perfdw.dbt import build_args, fiscal_year_environment, record_state, reusable_state
from perfdw.engines import DEFAULT_ENGINE, get_engine
from perfdw.progress import timed_step
from perfdw.warehouse_lock import writer_lock


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, name="dbt_models",
    partitions_def=fiscal_year_partitions, backfill_policy=BACKFILL, pool=WAREHOUSE_POOL,
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Seeds, staging, intermediate, per-year facts, dimensions and marts, with their data tests."""
    paths, engine = warehouse.paths, get_engine(warehouse.engine_name)
    years = years_of_run(context)
    engine.prepare(paths, context.log.info)
    # Other engines read the raw tables from the Parquet hand-over the extract step wrote.
    with timed_step(context.log.info, f"land raw on {engine.name}"):
        engine.land_raw(paths, None if None in years else years, context.log.info)
    # One dbt build per run, since each asset is materialized once: a run over some of the years
    # (a backfill of a range) builds them all, the others' per-year rows rebuilt unchanged.
    for year in (years if len(years) == 1 else [None]):
        # dbt-duckdb holds the database open in its own process for the whole build.
        with writer_lock(paths.writer_lock, progress=context.log.info), \
                timed_step(context.log.info, f"dbt build {year or 'all years'}"):
            args = build_args(paths, year, reusable_state(paths, year, engine.name), engine.name)
            # dbt.cli() starts dbt with this process's environment.
            with fiscal_year_environment(year):
                invocation = dbt.cli(args, context=context, target_path=paths.dbt_target(engine.name))
            yield from invocation.stream()
            # Reached only when the build succeeded: stream() raises on a failed dbt.
            if engine.name == DEFAULT_ENGINE:
                record_state(paths)
