"""One real `perfdw run --engine spark` of the bundled corpus per test session, and a reader.

The load starts from the DuckDB session load's extracted raw tables (published_home's
pipeline.duckdb and hand-over): extract leaves unchanged documents as they were, so both
engines build from the same rows, extraction times included (dim_document.extracted_at).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import DOCUMENTS, REPO

PERFDW = str(Path(sys.executable).with_name("perfdw"))
LOAD_TIMEOUT_S = 1200


@dataclass(frozen=True)
class SparkLoad:
    home: Path
    seconds: float
    output: str


def perfdw(*args: str, home: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PERFDW_HOME": str(home), "PERFDW_DOCUMENTS": str(DOCUMENTS)}
    env.pop("PERFDW_ENGINE", None)
    return subprocess.run([PERFDW, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


def load_once(duckdb_home: Path, home: Path) -> SparkLoad:
    home.mkdir(parents=True)
    shutil.copy2(duckdb_home / "pipeline.duckdb", home / "pipeline.duckdb")
    shutil.copytree(duckdb_home / "raw", home / "raw")
    started = time.perf_counter()
    result = perfdw("run", "--engine", "spark", home=home, timeout=LOAD_TIMEOUT_S)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, f"perfdw run --engine spark failed:\n{result.stdout[-6000:]}\n{result.stderr[-4000:]}"
    # The CI budget: how long the one Spark load of the session took (printed with -s / -rA).
    print(f"\nspark session load: {seconds:.1f} s")
    return SparkLoad(home=home, seconds=seconds, output=result.stdout)


def reader_session(home: Path, scratch: Path) -> Iterator[object]:
    """A Spark session (no metastore) over the published tables, as `perfdw sql` reads them."""
    from perfdw.engines.spark_publish import published_tables
    from perfdw.engines.spark_query import declare_published
    from perfdw.engines.spark_session import catalog_free_session
    from perfdw.paths import Paths

    paths = Paths(home=home, documents=DOCUMENTS)
    spark = catalog_free_session(paths, scratch)
    try:
        declare_published(spark, published_tables(paths))
        yield spark
    finally:
        spark.stop()
