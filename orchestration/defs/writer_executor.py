"""The load job's executor: Dagster's in-process executor, holding the warehouse writer lock.

A run takes the lock (perfdw.warehouse_lock) before its first step and releases it after its
last, so two runs never interleave their steps on one DuckDB file, whatever the instance's run
queue allows: a second run waits, its event log names the run it waits for. Each step takes the
lock again inside (reentrant, no wait), which keeps it safe when a step runs on its own.

A run with the dbt step also gets a dbt on standby (perfdw.dbt_standby), which imports dbt on
the other core while the steps before it run: the one `perfdw run` started, else one of its own.
So a run launched under `dagster dev` (from the UI, the sensor, a schedule) saves that import too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import dagster as dg
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._core.execution.retries import RetryMode
from dagster._core.execution.step_dependency_config import StepDependencyConfig

from orchestration.defs.dbt_assets import dbt_models
from orchestration.defs.resources import warehouse_paths
from perfdw.dbt_standby import SOCKET_ENV, Standby
from perfdw.warehouse_lock import writer_lock


class _HoldingWriterLock(dg.Executor):
    def __init__(self, inner: dg.Executor):
        self._inner = inner

    @property
    def retries(self) -> RetryMode:
        return self._inner.retries

    @property
    def step_dependency_config(self) -> StepDependencyConfig:
        return self._inner.step_dependency_config

    def execute(self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan) -> Iterator[dg.DagsterEvent]:
        lock = warehouse_paths(plan_context.run_config).writer_lock
        runs_dbt = dbt_models.op.name in execution_plan.step_keys_to_execute
        with holding_the_warehouse(lock, f"Dagster run {plan_context.run_id}", plan_context.log.info, runs_dbt):
            yield from self._inner.execute(plan_context, execution_plan)


@contextmanager
def holding_the_warehouse(lock: Path, holder: str | None, progress: Callable[[str], None],
                          runs_dbt: bool) -> Iterator[None]:
    """What a load run holds from before its first step to after its last: the writer lock
    (taken as `holder`, see writer_lock), and for a run with the dbt step, a dbt on standby
    unless its caller started one. Also for runs executed in-process (orchestration.execute),
    which Dagster gives an executor of its own."""
    standby = Standby(rehearse=True) if runs_dbt and not os.environ.get(SOCKET_ENV) else nullcontext()
    with writer_lock(lock, holder=holder, progress=progress), standby:
        yield


@dg.executor(name="in_process", config_schema=dg.in_process_executor.config_schema.as_field())
def in_process_writer(init_context: dg.InitExecutorContext) -> dg.Executor:
    """In-process, one run at a time on the warehouse (it waits for the writer lock)."""
    return _HoldingWriterLock(dg.in_process_executor.executor_creation_fn(init_context))


@dg.definitions
def default_executor() -> dg.Definitions:
    # Also for the jobs Dagster makes itself (materializing assets from the UI, asset backfills):
    # one process that holds the warehouse's writer lock for the whole run.
    return dg.Definitions(executor=in_process_writer)
