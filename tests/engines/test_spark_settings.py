"""The Spark engine's pieces that need no JVM: what it imports, and the settings it shares with dbt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from perfdw.engines.spark_session import dbt_vars, session_conf
from perfdw.paths import Paths
from tests.conftest import DOCUMENTS, REPO


def test_importing_the_engine_starts_no_spark():
    # `perfdw stop` imports every engine module; a DuckDB-only install must not need pyspark.
    code = ("import sys, perfdw.engines.spark_engine as e; e.ENGINE.stop(None); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyspark', 'py4j') or 'adapters.spark' in m))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_perfdw_and_dbt_read_one_warehouse_folder_and_metastore(tmp_path: Path):
    paths = Paths(home=tmp_path / "home", documents=DOCUMENTS)
    conf = session_conf(paths)
    assert conf["spark.sql.warehouse.dir"] == f"{paths.spark_dir}/warehouse"
    assert conf["spark.hadoop.javax.jdo.option.ConnectionURL"] == (
        f"jdbc:derby:;databaseName={paths.spark_dir}/metastore_db;create=true"
    )
    # exact decimal arithmetic: a product or quotient that needs more digits fails, never rounds
    assert conf["spark.sql.decimalOperations.allowPrecisionLoss"] == "false"
    assert conf["spark.ui.showConsoleProgress"] == "false"
    assert dbt_vars(paths)["raw_parquet"] == str(paths.raw_parquet)


def test_the_hand_over_must_be_there_before_dbt(tmp_path: Path):
    from perfdw.engines.spark_engine import ENGINE

    paths = Paths(home=tmp_path, documents=DOCUMENTS)
    with pytest.raises(FileNotFoundError, match="no raw Parquet hand-over for .*documents.*run `perfdw extract` first"):
        ENGINE.land_raw(paths, None, lambda _: None)
