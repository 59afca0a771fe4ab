"""The load job's executor: Dagster's in-process executor, holding the warehouse writer lock.

A run takes the lock (perfdw.warehouse_lock) before its first step and releases it after its
last, so two runs never interleave their steps on one DuckDB file, whatever the instance's run
queue allows: a second run waits, its event log names the run it waits for. Each step takes the
lock again inside (reentrant, no wait), which keeps it safe when a step runs on its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import dagster as dg
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._core.execution.retries import RetryMode
from dagster._core.execution.step_dependency_config import StepDependencyConfig

from orchestration.defs.resources import warehouse_paths
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
        with writer_lock(lock, holder=f"Dagster run {plan_context.run_id}", progress=plan_context.log.info):
            yield from self._inner.execute(plan_context, execution_plan)


@dg.executor(name="in_process", config_schema=dg.in_process_executor.config_schema.as_field())
def in_process_writer(init_context: dg.InitExecutorContext) -> dg.Executor:
    """In-process, one run at a time on the warehouse (it waits for the writer lock)."""
    return _HoldingWriterLock(dg.in_process_executor.executor_creation_fn(init_context))


@dg.definitions
def default_executor() -> dg.Definitions:
    # Also for the jobs Dagster makes itself (materializing assets from the UI, asset backfills):
    # one process that holds the warehouse's writer lock for the whole run.
    return dg.Definitions(executor=in_process_writer)
