"""The Spark engine's pieces that need no JVM: the settings it shares with dbt, its checks before
dbt, and living in one environment with the rest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from perfdw.engines.spark_session import dbt_vars, session_conf
from perfdw.paths import Paths
from tests.conftest import DOCUMENTS


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


def test_great_expectations_imports_beside_pyspark_in_a_process_without_a_main_file():
    # Dagster's step processes have no __main__ file; pyspark.sql.connect (imported by GX)
    # exits such a process unless the Spark Connect packages (pyspark's `connect` extra) are there.
    result = subprocess.run([sys.executable, "-c", "import great_expectations; print('imported')"],
                            capture_output=True, text=True)
    assert result.stdout.strip() == "imported", result.stderr[-2000:]
