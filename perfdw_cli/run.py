"""`perfdw run`: the Dagster load job, executed in-process, one fiscal-year range per run."""

from __future__ import annotations

import sys
import time

from orchestration.execute import execute_load, failure_lines, fault_tracebacks, partition_keys
from perfdw.dbt_standby import Standby
from perfdw.paths import Paths
from perfdw.progress import print_progress_to
from perfdw.warehouse_lock import WarehouseLockError


def run_years(paths: Paths, years: list[int] | None, printer=print, engine: str | None = None,
              standby: Standby | None = None) -> bool:
    """Materialize the load job for the given years (None: every year, in one run) on `engine`;
    with `standby`, each load's dbt build gets a dbt already imported.

    Returns True on success; a failing step's message has been printed.
    """
    known = partition_keys()
    print_progress_to(printer)
    try:
        for year in [None] if years is None else years:
            if year is not None and str(year) not in known:
                printer(f"error: no fiscal-year partition {year} (known: {', '.join(known)})")
                return False
            label = year or f"{known[0]}–{known[-1]}"
            started = time.perf_counter()
            printer(f"run: fiscal year {label} → {paths.home}" + (f" on {engine}" if engine != "duckdb" else ""))
            if standby is not None:
                standby.ready()
            try:
                result = execute_load(paths, year, engine=engine, progress=printer)
            except WarehouseLockError as error:  # taken for the whole run, before its first step
                printer(f"error: {error}")
                return False
            if not result.success:
                for line in failure_lines(result):
                    printer(f"error: {line}")
                for traceback in fault_tracebacks(result):
                    print(traceback, file=sys.stderr)
                return False
            printer(f"run: fiscal year {label} done ({time.perf_counter() - started:.1f} s)")
    finally:
        print_progress_to(None)
    return True
