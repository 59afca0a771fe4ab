"""How the pipeline calls dbt: the one place that knows its executable, arguments and manifest.

A load's dbt build runs through dagster-dbt (orchestration/defs/dbt_assets.py), which turns dbt's
events into asset materializations and checks; the command line and the benchmark run that same
op. What the invocation says — which dbt, which vars, which warehouse file, where the artifacts
go — is decided here, so every caller builds the same command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from perfdw.paths import PROJECT_ROOT, Paths

# A load's dbt build. dbt unit tests check the SQL, not the data: they run in `make test`.
BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test")

MANIFEST = PROJECT_ROOT / "target" / "manifest.json"
# What the manifest is parsed from: a change to any of these makes it stale.
_DBT_SOURCES = ("models", "seeds", "macros", "tests/dbt")
_DBT_FILES = ("dbt_project.yml", "profiles.yml")


def dbt_executable() -> str:
    """The dbt of this interpreter's environment, not whichever one is first on PATH."""
    return str(Path(sys.executable).with_name("dbt"))


def dbt_vars(paths: Paths, year: int | None) -> dict[str, object]:
    """The vars of a load: the fiscal year to rebuild (None: all) and the warehouse file.

    profiles.yml reads the file from the `warehouse_db` var, so a load names its warehouse in
    its own arguments instead of through an environment variable set by its caller.
    """
    return {"fiscal_year": year, "warehouse_db": str(paths.pipeline_db)}


def build_args(paths: Paths, year: int | None) -> list[str]:
    return [*BUILD_ARGS, "--vars", json.dumps(dbt_vars(paths, year))]


def _newest_source() -> float:
    files = [PROJECT_ROOT / name for name in _DBT_FILES]
    files += [p for folder in _DBT_SOURCES for p in (PROJECT_ROOT / folder).rglob("*") if p.is_file()]
    return max(path.stat().st_mtime for path in files)


def prepare_manifest() -> Path:
    """target/manifest.json, parsed again only when a dbt file is newer (a few seconds).

    Loading the dbt assets needs it: the orchestrator calls this when its definitions load, so
    `dagster dev`, `perfdw run`, the benchmark and the tests all get it from here.
    """
    if MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_source():
        return MANIFEST
    result = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(PROJECT_ROOT),
         "--profiles-dir", str(PROJECT_ROOT)],
        cwd=PROJECT_ROOT, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout[-4000:]}{result.stderr[-2000:]}")
    MANIFEST.touch()
    return MANIFEST
