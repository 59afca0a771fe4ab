"""The engines a warehouse can be built on: DuckDB (default), PostgreSQL and Spark.

The models, seeds and tests are the same dbt files on every engine; what differs is where the
raw tables come from (the Parquet hand-over, perfdw.handover), which dbt target builds them,
how the built marts are validated and published, and how an analyst reads them. Each engine
implements `Engine` in its own module, imported only when chosen, so that a DuckDB load never
imports psycopg2 or pyspark.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Protocol

from perfdw.paths import Paths

if TYPE_CHECKING:
    from expectations.runner import ValidationSummary
    from perfdw.publish import Publication

ENGINES = ("duckdb", "postgres", "spark")
DEFAULT_ENGINE = "duckdb"
ENGINE_VARIABLE = "PERFDW_ENGINE"

Progress = Callable[[str], None]


class UnknownEngine(ValueError):
    pass


def resolve_engine(name: str | None = None) -> str:
    """A flag wins over $PERFDW_ENGINE, which wins over the default."""
    chosen = (name or os.environ.get(ENGINE_VARIABLE) or DEFAULT_ENGINE).strip().lower()
    if chosen not in ENGINES:
        raise UnknownEngine(f"unknown engine {chosen!r} (from {'--engine' if name else ENGINE_VARIABLE}); "
                            f"choose one of: {', '.join(ENGINES)}")
    return chosen


class Engine(Protocol):
    """What a load and a reader need of an engine. Names are dbt's target names (profiles.yml)."""

    name: str

    def prepare(self, paths: Paths, progress: Progress) -> None:
        """Make the engine reachable (e.g. start the private server); idempotent, cheap when ready."""

    def dbt_vars(self, paths: Paths) -> dict[str, object]:
        """Vars the engine's profiles.yml output reads (connection, folders); no secrets. A path
        may be relative to the warehouse folder, where dbt runs (perfdw.dbt.dbt_environment)."""

    def land_raw(self, paths: Paths, years: Sequence[int] | None, progress: Progress) -> None:
        """Make the hand-over's raw tables of `years` (None: all) the engine's `raw` schema."""

    def warm_up(self) -> None:
        """Import what `validate` needs in this process; called in a background thread while dbt
        builds in its own process, so the imports (seconds, for Great Expectations) overlap it."""

    def validate(self, paths: Paths, year: int | None, progress: Progress,
                 loaded_years: Sequence[int] | None) -> "ValidationSummary":
        """The Great Expectations suites on the built (not yet published) marts."""

    def publish(self, paths: Paths, metadata: dict | None, per_year: Collection[str],
                years: Sequence[int] | None = None) -> "Publication":
        """Swap the validated marts in as the published ones, atomically where the engine can.
        `years`: the fiscal years the load rebuilt (None: all), for an engine that can publish
        only what they changed."""

    def query(self, paths: Paths, sql: str) -> tuple[list[str], list[tuple]]:
        """One read-only query on the published marts: column names and rows (exact decimals)."""

    def stop(self, paths: Paths) -> str | None:
        """Stop what `prepare` started; what was stopped, or None when nothing was running."""


def get_engine(name: str | None = None) -> Engine:
    """The engine of that name (None: $PERFDW_ENGINE or DuckDB), its module imported now."""
    chosen = resolve_engine(name)
    return import_module(f"perfdw.engines.{chosen}_engine").ENGINE
