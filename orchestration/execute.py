"""Run the load job in this process: what `perfdw run` and the benchmark do without a daemon.

The run names its warehouse in its resource config, so nothing is passed through the
process's environment; a run over every year is one ranged run, as a backfill is.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Collection, Sequence

import dagster as dg
from dagster._core.errors import DagsterAssetCheckFailedError
from dagster_dbt.errors import DagsterDbtCliRuntimeError
from dagster_shared.error import SerializableErrorInfo

from orchestration.defs.dbt_assets import dbt_models
from orchestration.defs.partitions import fiscal_year_partitions
from orchestration.defs.writer_executor import holding_the_warehouse
from perfdw.dbt import DbtChecksFailed
from perfdw.engines import resolve_engine
from perfdw.paths import PROJECT_ROOT, Paths
from perfdw.pipeline import StepFailed
from perfdw.warehouse_lock import WarehouseLockError

RANGE_TAGS = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")
# What the steps raise on purpose, with a message that is the whole story (which step, which
# file and line, why, what to do); dbt's own failure names its errors and its log, and a failed
# blocking check is reported with its reason (failure_lines). Anything else a step raises is a
# fault, reported with its traceback. Dagster exports no name for the check failure (1.13).
EXPLAINED: tuple[type[BaseException], ...] = (StepFailed, DbtChecksFailed, WarehouseLockError,
                                              DagsterDbtCliRuntimeError, DagsterAssetCheckFailedError)


def run_definitions() -> dg.Definitions:
    """The definitions of the defs folder, as `dagster dev` loads them (orchestration.definitions)
    less what load_from_defs_folder adds for the UI's component library: the JSON schema of
    every installed component type, which no run reads and which cost ≈ 0.2 s of every load."""
    tree = dg.ComponentTree.for_project(path_within_project=PROJECT_ROOT)
    with warnings.catch_warnings():
        # as load_from_defs_folder: its module loader is a Dagster preview
        for category in (dg.PreviewWarning, dg.BetaWarning, dg.SupersessionWarning):
            warnings.simplefilter("ignore", category)
        return tree.build_defs(tree.defs_module_path)


defs = run_definitions()


def partition_keys() -> list[str]:
    return fiscal_year_partitions.get_partition_keys()


def execute_load(
    paths: Paths, year: int | None, asset_selection: Sequence[dg.AssetKey] | None = None,
    engine: str | None = None, asset_check_selection: Collection[dg.AssetCheckKey] | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> dg.ExecuteInProcessResult:
    """One run of `load_fiscal_year` for a year (None: every year) on `engine` (None:
    $PERFDW_ENGINE, else DuckDB), optionally a subset of assets, and of the checks on them
    (None: every check of the selected assets, Great Expectations' included). `progress` hears
    of a wait for another writer of the warehouse."""
    keys = partition_keys()
    tags = {} if year else {RANGE_TAGS[0]: keys[0], RANGE_TAGS[1]: keys[-1]}
    job = defs.resolve_job_def("load_fiscal_year")
    if asset_check_selection is not None:
        job = job.get_subset(asset_selection=set(asset_selection or job.asset_layer.executable_asset_keys),
                             asset_check_selection=set(asset_check_selection))
        asset_selection = None
    runs_dbt = (dbt_models.op.name in job.graph.node_dict if asset_selection is None
                else not set(asset_selection).isdisjoint(dbt_models.keys))
    # execute_in_process runs the steps with an executor of its own, not the job's
    # (writer_executor): what that holds for the whole run is taken here, in the name of this
    # process's command (`perfdw run --year 2025`), as its steps take it.
    with holding_the_warehouse(paths.writer_lock, None, progress, runs_dbt):
        return job.execute_in_process(
            # The step lines come from perfdw.progress and a failure's from failure_lines; Dagster's
            # own event log stays in the run's storage (and in the UI under `dagster dev`).
            run_config={
                "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
                "resources": {"warehouse": {"config": {
                    "home": str(paths.home), "documents": str(paths.documents), "engine": resolve_engine(engine),
                }}},
            },
            partition_key=str(year) if year else None, tags=tags, raise_on_error=False,
            instance=dg.DagsterInstance.ephemeral(), asset_selection=asset_selection,
        )


def _class_names(classes: Collection[type[BaseException]]) -> set[str]:
    names: set[str] = set()
    for cls in classes:
        names |= {cls.__name__} | _class_names(cls.__subclasses__())
    return names


def _root(error: SerializableErrorInfo) -> SerializableErrorInfo:
    while error.cause is not None:
        error = error.cause
    return error


def _step_failures(result: dg.ExecuteInProcessResult) -> list[tuple[str, SerializableErrorInfo, bool]]:
    """Each failed step: its key, its error, and whether that error is a fault (not EXPLAINED)."""
    explained = _class_names(EXPLAINED)
    errors = [(event.step_key, event.step_failure_data.error) for event in result.all_events if event.is_step_failure]
    return [(step, error, _root(error).cls_name not in explained) for step, error in errors]


def failure_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    """Why a run failed: for each failed step, and for each group of failed blocking checks with
    one reason, a line, then the reason's own lines (a document, an expectation each), indented."""
    checks: dict[str, list[str]] = {}
    for event in result.all_events:
        data = event.event_specific_data
        if event.event_type_value == "ASSET_CHECK_EVALUATION" and not data.passed \
                and data.severity == dg.AssetCheckSeverity.ERROR:
            why = data.metadata.get("failure")
            checks.setdefault(why.value if why else "", []).append(data.asset_check_key.name)
    lines = []
    for step, error, fault in _step_failures(result):
        root = _root(error)
        if checks and root.cls_name == DagsterAssetCheckFailedError.__name__:
            continue  # Dagster's list of the failed checks: their own lines below say why
        message = root.message.strip()
        if not fault:
            # Dagster prefixes the class's dotted path: the message alone is what was meant.
            message = message.partition(f"{root.cls_name}: ")[2] or message
        lines += _headed(f"step {step} failed: ", message)
    for why, names in checks.items():
        lines += _headed(f"checks {', '.join(names)} failed" + (": " if why else ""), why)
    return lines


def _headed(head: str, message: str) -> list[str]:
    first, *rest = message.splitlines() or [""]
    return [head + first, *rest]


def fault_tracebacks(result: dg.ExecuteInProcessResult) -> list[str]:
    """The tracebacks of the failed steps whose error is a fault, not one of EXPLAINED: what
    Dagster records of them (the run's storage goes with the process), for a bug report."""
    return [f"step {step}: {error.to_string().rstrip()}" for step, error, fault in _step_failures(result) if fault]
