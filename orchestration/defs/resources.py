"""The resources every asset shares: where the warehouse is, and dbt."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from contextlib import contextmanager

import dagster as dg
import duckdb

from orchestration.defs.project import dbt_resource
from perfdw.engines import resolve_engine
from perfdw.paths import Paths, resolve_paths


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse folder and the documents folder of a run.

    Unset fields fall back to $PERFDW_HOME / $PERFDW_DOCUMENTS / $PERFDW_ENGINE and then the
    repo's defaults (`dagster dev`); `perfdw run` sets them in the run's config, so a run says
    which warehouse it loads, and on which engine, instead of relying on its process's environment.
    """

    home: str | None = None
    documents: str | None = None
    # duckdb | postgres | spark; unset: $PERFDW_ENGINE, else duckdb (perfdw.engines).
    engine: str | None = None

    @property
    def paths(self) -> Paths:
        return resolve_paths(self.home, self.documents)

    @property
    def engine_name(self) -> str:
        return resolve_engine(self.engine)

    @contextmanager
    def read_only(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short read-only look at the pipeline's database (never while a step writes it)."""
        with duckdb.connect(str(self.paths.pipeline_db), read_only=True) as con:
            yield con


def warehouse_paths(run_config: Mapping[str, Any]) -> Paths:
    """The warehouse of a run from its config, for code that runs before any resource exists
    (the executor takes the run's writer lock); the same fallbacks as WarehouseResource."""
    config = run_config.get("resources", {}).get("warehouse", {}).get("config", {})
    return resolve_paths(config.get("home"), config.get("documents"))


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"dbt": dbt_resource, "warehouse": WarehouseResource()})
