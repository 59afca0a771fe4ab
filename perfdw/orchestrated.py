"""`perfdw run`: the Dagster job, executed in-process, one fiscal-year range per run."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from perfdw.paths import PROJECT_ROOT, Paths
from perfdw.pipeline import dbt_environment, dbt_executable
from perfdw.progress import print_progress_to
from perfdw.warehouse_lock import writer_lock

ALL_YEARS_TAGS = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")


def ensure_manifest(paths: Paths) -> None:
    """Loading dbt assets needs target/manifest.json; `dbt parse` writes it (a few seconds)."""
    manifest = PROJECT_ROOT / "target" / "manifest.json"
    newest_source = max(
        p.stat().st_mtime
        for folder in ("models", "seeds", "macros", "tests/dbt")
        for p in (PROJECT_ROOT / folder).rglob("*") if p.is_file()
    )
    newest_source = max(newest_source, (PROJECT_ROOT / "dbt_project.yml").stat().st_mtime)
    if manifest.exists() and manifest.stat().st_mtime >= newest_source:
        return
    subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(PROJECT_ROOT)],
        env=dbt_environment(paths), cwd=PROJECT_ROOT, check=True,
    )


def run_years(paths: Paths, years: list[int] | None, printer=print) -> bool:
    """Materialize the load job for the given years (None: every year, in one run).

    Returns True on success; a failing step's message has been printed.
    """
    os.environ["PERFDW_HOME"] = str(paths.home)
    os.environ["PERFDW_DOCUMENTS"] = str(paths.documents)
    ensure_manifest(paths)
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.defs.partitions import fiscal_year_partitions

    job = defs.resolve_job_def("load_fiscal_year")
    known = fiscal_year_partitions.get_partition_keys()
    print_progress_to(printer)
    try:
        for selection in ([None] if years is None else [str(year) for year in years]):
            if selection is not None and selection not in known:
                printer(f"error: no fiscal-year partition {selection} (known: {', '.join(known)})")
                return False
            label = selection or f"{known[0]}–{known[-1]}"
            tags = {} if selection else {ALL_YEARS_TAGS[0]: known[0], ALL_YEARS_TAGS[1]: known[-1]}
            started = time.perf_counter()
            printer(f"run: fiscal year {label} → {paths.home}")
            # The whole load holds the writer lock, as a run under `dagster dev` does.
            with writer_lock(paths.writer_lock, progress=printer):
                result = job.execute_in_process(
                    # The step lines come from perfdw.progress; Dagster's own event log stays in
                    # the run's storage (and in the UI under `dagster dev`).
                    run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
                    partition_key=selection, tags=tags, raise_on_error=False,
                    instance=dg.DagsterInstance.ephemeral(),
                )
            if not result.success:
                for event in result.all_events:
                    if event.is_step_failure:
                        error = event.step_failure_data.error
                        while error.cause is not None:
                            error = error.cause
                        printer(f"error: step {event.step_key} failed: {error.message.strip()}")
                failures: dict[str, list[str]] = {}
                for event in result.all_events:
                    data = event.event_specific_data
                    if event.event_type_value == "ASSET_CHECK_EVALUATION" and not data.passed \
                            and data.severity == dg.AssetCheckSeverity.ERROR:
                        why = data.metadata.get("failure")
                        failures.setdefault(why.value if why else "", []).append(data.asset_check_key.name)
                for why, checks in failures.items():
                    printer(f"error: checks {', '.join(checks)} failed" + (f": {why}" if why else ""))
                return False
            printer(f"run: fiscal year {label} done ({time.perf_counter() - started:.1f} s)")
    finally:
        print_progress_to(None)
    return True
