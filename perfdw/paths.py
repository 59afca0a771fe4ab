"""Where things live: the warehouse directory and the documents folder, from flags or environment."""

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
    def writer_lock(self) -> Path:
        """Held by whoever opens pipeline_db (perfdw.warehouse_lock); readers of the copy never wait."""
        return self.home / "pipeline.lock"

    @property
    def published_documents(self) -> Path:
        """Per fiscal year, the documents (file → sha256) the published marts were built from."""
        return self.home / "published-documents.json"

    @property
    def dagster_home(self) -> Path:
        """The Dagster instance (run history, sensor cursors) `perfdw dagster` uses by default."""
        return self.home / "dagster"


def resolve_paths(home: str | None = None, documents: str | None = None) -> Paths:
    """Flags win over the environment, which wins over the defaults (relative to the repo)."""
    home_path = Path(home or os.environ.get("PERFDW_HOME") or PROJECT_ROOT / "warehouse")
    documents_path = Path(
        documents or os.environ.get("PERFDW_DOCUMENTS") or PROJECT_ROOT / "data" / "documents"
    )
    return Paths(home=home_path.resolve(), documents=documents_path.resolve())
