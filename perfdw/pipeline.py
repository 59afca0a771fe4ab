"""The pipeline's steps as plain functions: extract → dbt → validate → publish.

The Dagster assets (orchestration/) and the benchmark call these same functions, so the command
line, the orchestrator and the tests all run one implementation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from perfdw.paths import PROJECT_ROOT, Paths
from perfdw.warehouse_lock import writer_lock

Progress = Callable[[str], None]


class StepFailed(Exception):
    """A step that failed; the message says which and why, for the command line to print."""


class ExtractFailed(StepFailed):
    """Some documents failed; the others landed, and `report` says which is which."""

    def __init__(self, message: str, report):
        super().__init__(message)
        self.report = report


def _quiet(_: str) -> None:
    pass


def extract_step(paths: Paths, year: int | None = None, progress: Progress = _quiet):
    from extract.corpus import extract_corpus
    from extract.records import ExtractError

    try:
        with writer_lock(paths.writer_lock, progress=progress):
            report = extract_corpus(paths.documents, paths.pipeline_db, year, progress)
    except ExtractError as error:
        raise StepFailed(f"extract: {error}") from None
    if report.failed:
        raise ExtractFailed(
            "extract: " + "; ".join(outcome.error or outcome.source_file for outcome in report.failed), report
        )
    return report


def dbt_environment(paths: Paths) -> dict[str, str]:
    """dbt reads the warehouse path from PERFDW_HOME through the repo's profiles.yml."""
    return {**os.environ, "PERFDW_HOME": str(paths.home), "DBT_PROFILES_DIR": str(PROJECT_ROOT)}


def dbt_target_path(home: Path, year: int | None) -> Path:
    """Where dbt writes its artifacts for this warehouse and fiscal year (or all years).

    dbt's partial-parse state is only valid for the profile it was parsed with (which names
    this warehouse's file) and the same vars (the fiscal year); any other state makes dbt
    re-parse the whole project, about 6 s. One folder per warehouse and year keeps the state
    of each kind of load: the daily loads of one year, the full reloads.
    """
    return home / "dbt" / (str(year) if year else "all-years")


def dbt_executable() -> str:
    """The dbt of this interpreter's environment, not whichever one is first on PATH."""
    return str(Path(sys.executable).with_name("dbt"))


# A load's dbt build. dbt unit tests check the SQL, not the data: they run in `make test`.
DBT_BUILD = ["build", "--exclude-resource-type", "unit_test"]


def dbt_vars(year: int | None) -> str:
    return json.dumps({"fiscal_year": year})


def run_dbt(paths: Paths, year: int | None, args: list[str], progress: Progress = _quiet) -> None:
    artifacts = str(dbt_target_path(paths.home, year))
    command = [
        dbt_executable(), *args, "--vars", dbt_vars(year), "--project-dir", str(PROJECT_ROOT),
        "--target-path", artifacts, "--log-path", artifacts,
    ]
    # dbt-duckdb holds the database open in its own process for the whole build.
    with writer_lock(paths.writer_lock, progress=progress), subprocess.Popen(
        command, env=dbt_environment(paths), cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    ) as process:
        output = []
        for line in process.stdout:
            output.append(line.rstrip())
            progress(line.rstrip())
    if process.returncode != 0:
        failures = [line for line in output if "ERROR" in line or "FAIL" in line] or output[-20:]
        raise StepFailed(f"dbt {args[0]} failed:\n" + "\n".join(failures[-20:]))


def dbt_step(paths: Paths, year: int | None = None, progress: Progress = _quiet) -> None:
    """Seeds, then every model and its tests; per-year models replace only `year` when given."""
    run_dbt(paths, year, DBT_BUILD, progress)


def validate_step(paths: Paths, year: int | None = None, progress: Progress = _quiet):
    from expectations.runner import run_validation

    with writer_lock(paths.writer_lock, progress=progress):
        summary = run_validation(paths, year=year, progress=progress)
    if not summary.success:
        raise StepFailed("validate: " + "; ".join(summary.failures))
    return summary


def publish_step(paths: Paths, metadata: dict | None = None, years: list[int] | None = None):
    """Publish the marts; record the documents of `years` (None: all) as published."""
    from perfdw.published_documents import record_published_documents
    from perfdw.publish import publish

    with writer_lock(paths.writer_lock):
        publication = publish(paths.pipeline_db, paths.home, metadata)
        record_published_documents(paths.pipeline_db, paths.published_documents, years)
    return publication
