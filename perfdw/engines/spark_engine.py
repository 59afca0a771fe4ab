"""Spark (`local[*]`): dbt-spark builds the marts in a Hive metastore over a Parquet warehouse
folder under $PERFDW_HOME/spark; validation, publishing and `perfdw sql` run Spark too.

The metastore is an embedded Derby database, which one process at a time may open (a second
gets "Another instance of Derby may have already booted"), and a pyspark JVM lives as long as
the Python process that started it. A load runs dbt in a subprocess while validation and
publishing run in the perfdw process, possibly several loads in one process. So perfdw never
starts Spark in its own process: each Spark step is a short-lived `python -m
perfdw.engines.spark_worker` (perfdw.engines.spark_worker), which opens the metastore, does its
one job and exits, releasing Derby before the next step (the writer lock already keeps the
steps of loads in order). The raw tables are declared inside dbt's own session (on-run-start,
macros/engines/spark.sql), so a load starts three JVMs: dbt, validate, publish. A query reads
the published Parquet files through a session without the metastore, so an analyst's query
never waits for a load, nor makes it fail.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Collection, Sequence
from pathlib import Path

from perfdw.engines import Progress
from perfdw.paths import PROJECT_ROOT, Paths

WORKER = "perfdw.engines.spark_worker"


class SparkStepFailed(RuntimeError):
    pass


def run_worker(paths: Paths, action: str, request: dict, progress: Progress | None = None) -> object:
    """Run one Spark step in its own process; its progress lines go to `progress`, its result
    (or its error) comes back pickled."""
    with tempfile.TemporaryDirectory(prefix="perfdw-spark-") as scratch:
        request_file, result_file = Path(scratch) / "request.pickle", Path(scratch) / "result.pickle"
        log_file = Path(scratch) / "stderr.log"
        request_file.write_bytes(pickle.dumps(request))
        command = [sys.executable, "-m", WORKER, action, str(paths.home), str(paths.documents),
                   str(request_file), str(result_file)]
        # The JVM's log goes to a file: a pipe nobody reads while progress lines are read would
        # fill up and stall the worker.
        with log_file.open("w") as log:
            process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=log,
                                       text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
            assert process.stdout is not None
            for line in process.stdout:
                if progress is not None:
                    progress(line.rstrip("\n"))
            process.wait()
        if result_file.is_file():
            ok, value = pickle.loads(result_file.read_bytes())
            if ok:
                return value
            raise SparkStepFailed(value)
        tail = "\n".join(log_file.read_text(errors="replace").strip().splitlines()[-15:])
        raise SparkStepFailed(f"spark {action} died (exit status {process.returncode}):\n{tail}")


class SparkEngine:
    name = "spark"

    def prepare(self, paths: Paths, progress: Progress) -> None:
        paths.spark_dir.mkdir(parents=True, exist_ok=True)

    def dbt_vars(self, paths: Paths) -> dict[str, object]:
        from perfdw.engines.spark_session import dbt_vars

        return dbt_vars(paths)

    def land_raw(self, paths: Paths, years: Sequence[int] | None, progress: Progress) -> None:
        # dbt's on-run-start hook declares raw over the hand-over in dbt's own session (no JVM
        # of ours); what can be checked without Spark is that the hand-over is there.
        from extract.landing import RAW_TABLES

        missing = [table for table in RAW_TABLES if not any((paths.raw_parquet / table).glob("fiscal_year=*/*.parquet"))]
        if missing:
            raise FileNotFoundError(
                f"no raw Parquet hand-over for {', '.join(missing)} in {paths.raw_parquet}: run `perfdw extract` first"
            )
        progress(f"raw on spark: views over {paths.raw_parquet} (declared by dbt's on-run-start hook)")

    def warm_up(self) -> None:
        pass  # validation runs in a worker process of its own

    def validate(self, paths: Paths, year: int | None, progress: Progress, loaded_years: Sequence[int] | None):
        return run_worker(paths, "validate", {"year": year, "loaded_years": loaded_years}, progress)

    def publish(self, paths: Paths, metadata: dict | None, per_year: Collection[str],
                years: Sequence[int] | None = None):
        return run_worker(paths, "publish", {"metadata": metadata})

    def query(self, paths: Paths, sql: str) -> tuple[list[str], list[tuple]]:
        return run_worker(paths, "query", {"sql": sql})

    def stop(self, paths: Paths) -> str | None:
        return None  # every Spark process perfdw starts ends with its step


ENGINE = SparkEngine()
