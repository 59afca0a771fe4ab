"""Where things live: every file of the warehouse folder, and the documents folder.

The one place that names a file of $PERFDW_HOME: steps, the command line, the orchestrator, the
dashboard and the benchmark ask a Paths object instead of joining names of their own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    home: Path  # $PERFDW_HOME: everything the pipeline writes
    documents: Path  # $PERFDW_DOCUMENTS: the documents folder (+ catalog.toml)

    @property
    def pipeline_db(self) -> Path:
        """The pipeline's own DuckDB file; only the pipeline opens it, readers never do."""
        return self.home / "pipeline.duckdb"

    @property
    def published_db(self) -> Path:
        """The read-only serving copy for analysts and dashboards."""
        return self.home / "perfdw.duckdb"

    @property
    def published_json(self) -> Path:
        """What was published when: written last, after the copy and the Parquet set."""
        return self.home / "published.json"

    @property
    def writer_lock(self) -> Path:
        """Held by whoever opens pipeline_db (perfdw.warehouse_lock); readers of the copy never wait."""
        return self.home / "pipeline.lock"

    @property
    def published_documents(self) -> Path:
        """Per fiscal year, the documents (file → sha256) the published marts were built from."""
        return self.home / "published-documents.json"

    @property
    def raw_parquet(self) -> Path:
        """The engine-neutral hand-over of the raw tables (perfdw.handover)."""
        return self.home / "raw"

    @property
    def postgres_dir(self) -> Path:
        """The private PostgreSQL server's cluster, when no $PERFDW_POSTGRES_URL names one."""
        return self.home / "postgres"

    @property
    def spark_dir(self) -> Path:
        """The Spark engine's warehouse folder and metastore."""
        return self.home / "spark"

    @property
    def dagster_home(self) -> Path:
        """The Dagster instance (run history, sensor cursors) `perfdw dagster` uses by default."""
        return self.home / "dagster"

    @property
    def parquet(self) -> Path:
        """The published Parquet set: a symlink into parquet_versions, swapped atomically."""
        return self.home / "parquet"

    @property
    def parquet_versions(self) -> Path:
        return self.home / "parquet-versions"

    @property
    def validation_dir(self) -> Path:
        return self.home / "validation"

    @property
    def validation_summary(self) -> Path:
        return self.validation_dir / "summary.json"

    @property
    def data_docs_dir(self) -> Path:
        return self.validation_dir / "data_docs"

    @property
    def data_docs_index(self) -> Path:
        return self.data_docs_dir / "index.html"

    @property
    def bench_dir(self) -> Path:
        return self.home / "bench"

    def dbt_target(self, engine: str = "duckdb") -> Path:
        """dbt's artifacts (and partial-parse state) of this warehouse's last build on `engine`.

        dbt's partial-parse state is only valid for the vars it was parsed with (this
        warehouse's file or folders), which every load of the warehouse shares, whatever its
        fiscal years (perfdw.dbt.dbt_vars): one folder keeps it valid from load to load.
        """
        return self.home / "dbt" / engine

    @property
    def dbt_state(self) -> Path:
        """The manifest of this warehouse's last successful dbt build (perfdw.dbt.record_state)."""
        return self.home / "dbt" / "state"

    def publishing_temp(self, stamp: str, kind: str) -> Path:
        """A file or folder being published; anything with this prefix is a leftover to remove."""
        return self.home / f"{PUBLISHING_PREFIX}{kind}-{stamp}"


PUBLISHING_PREFIX = ".publishing-"


def resolve_paths(home: str | Path | None = None, documents: str | Path | None = None) -> Paths:
    """Flags win over the environment, which wins over the defaults (relative to the repo)."""
    home_path = Path(home or os.environ.get("PERFDW_HOME") or PROJECT_ROOT / "warehouse")
    documents_path = Path(
        documents or os.environ.get("PERFDW_DOCUMENTS") or PROJECT_ROOT / "data" / "documents"
    )
    return Paths(home=home_path.resolve(), documents=documents_path.resolve())
