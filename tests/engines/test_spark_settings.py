"""The Spark engine's pieces that need no JVM: the settings it shares with dbt, its checks before dbt."""

from __future__ import annotations

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
