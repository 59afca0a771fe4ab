"""Every dbt model, seed and test as Dagster assets and checks, built by one `dbt build`.

One op for the whole project, partitioned by fiscal year: the partition becomes dbt's
PERFDW_FISCAL_YEAR (perfdw.dbt.dbt_environment), which the per-year models (tag
`per_year`: the intermediate models and facts with a document's rows) use to replace only that
year's rows. Seeds, staging views and the cross-year dimensions and marts carry the partition
too, but read every year whatever it is: materializing partition 2024 of `dim_unit` means
"rebuilt by the 2024 load". Three ops
(upstream, per-year, cross-year) would model that more literally, but each dbt invocation
costs about 6 s of start-up and parsing, which was most of a load's time (bench/PERFORMANCE.md).
A one-year load leaves out the seeds unchanged since the warehouse's last build (perfdw.dbt):
they are not materialized by that run. Every load runs each table's single-table checks as one
test node, `single_table_checks` (perfdw.grouped_checks); when one fails, its checks run again
on their own so that the error names them.
"""

import threading

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from orchestration.defs.extract_assets import BACKFILL
from orchestration.defs.partitions import fiscal_year_partitions
from orchestration.defs.project import WAREHOUSE_POOL, dbt_project
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.years import years_of_run
from perfdw.dbt import (
    DbtChecksFailed,
    build_args,
    dbt_environment,
    name_failed_checks,
    record_state,
    reusable_state,
)
from perfdw.engines import DEFAULT_ENGINE, Engine, get_engine
from perfdw.grouped_checks import groups
from perfdw.progress import timed_step
from perfdw.warehouse_lock import writer_lock


def _warm_up(engine: Engine) -> None:
    try:
        engine.warm_up()
    except Exception:  # noqa: BLE001 - the validate step imports again and reports it properly
        pass


class GroupedChecksTranslator(DagsterDbtTranslator):
    """dagster-dbt's translation, less the asset checks a load never runs on their own: the
    checks of a single_table_checks group are evaluated in its one query, which is their asset
    check (and names them when it fails)."""

    def __init__(self):
        super().__init__()
        self._grouped: tuple[dict, frozenset[str]] | None = None

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        if self._grouped is None or self._grouped[0] is not manifest:
            self._grouped = (manifest, frozenset(name for checks in groups(manifest).values() for name in checks))
        if manifest["nodes"][unique_id]["name"] in self._grouped[1]:
            return None
        return super().get_asset_check_spec(asset_spec, manifest, unique_id, project)


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, name="dbt_models",
    partitions_def=fiscal_year_partitions, backfill_policy=BACKFILL, pool=WAREHOUSE_POOL,
    dagster_dbt_translator=GroupedChecksTranslator(),
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Seeds, staging, intermediate, per-year facts, dimensions and marts, with their data tests."""
    paths, engine = warehouse.paths, get_engine(warehouse.engine_name)
    years = years_of_run(context)
    engine.prepare(paths, context.log.info)
    # The validate step runs next in this process (the executor is in-process): its imports
    # take their seconds on the other core while this one waits for dbt.
    threading.Thread(target=_warm_up, args=(engine,), name="warm-up validation", daemon=True).start()
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
            with dbt_environment(paths, year):
                invocation = dbt.cli(args, context=context, target_path=paths.dbt_target(engine.name))
            try:
                yield from invocation.stream()
            except DagsterDbtCliRuntimeError:
                failing = name_failed_checks(paths, year, engine.name, context.log.info)
                if failing:
                    raise DbtChecksFailed(f"dbt build: these data tests failed: {', '.join(failing)}") from None
                raise
            # Reached only when the build succeeded: stream() raises on a failed dbt.
            if engine.name == DEFAULT_ENGINE:
                record_state(paths)
