from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from orchestration.defs.partitions import fiscal_year_of_partition, fiscal_year_partitions
from perfdw.dbt import FISCAL_YEAR_ENV, build_args, dbt_environment, dbt_vars, fiscal_year_environment
from perfdw.dbt_process import WORKING_DIR_ENV
from perfdw.paths import Paths


def test_partition_key_becomes_the_fiscal_year_of_the_dbt_process_not_a_var(monkeypatch):
    paths = Paths(home=Path("/srv/perfdw"), documents=Path("/srv/documents"))
    # the vars are the same for every year, and for every warehouse (the file is named relative
    # to the warehouse folder dbt runs in), so dbt's partial-parse state stays valid
    assert dbt_vars(paths) == {"warehouse_db": "pipeline.duckdb"}
    elsewhere = Paths(home=Path("/home/analyst/perfdw"), documents=Path("/srv/documents"))
    assert build_args(elsewhere, None) == build_args(paths, None)
    year_args, full_args = build_args(paths, fiscal_year_of_partition("2025")), build_args(paths, None)
    assert year_args[:3] == ["build", "--exclude-resource-type", "unit_test"]
    assert year_args[year_args.index("--target") + 1] == "duckdb"
    assert year_args[year_args.index("--vars") + 1] == full_args[full_args.index("--vars") + 1]
    # a load of every year rebuilds the per-year models whole; one year's replaces its rows
    assert "--full-refresh" in full_args and "--full-refresh" not in year_args

    monkeypatch.delenv(WORKING_DIR_ENV, raising=False)
    with dbt_environment(paths, 2025):
        assert os.environ[FISCAL_YEAR_ENV] == "2025" and os.environ[WORKING_DIR_ENV] == "/srv/perfdw"
    assert WORKING_DIR_ENV not in os.environ

    monkeypatch.setenv(FISCAL_YEAR_ENV, "1999")
    with fiscal_year_environment(2025):
        assert os.environ[FISCAL_YEAR_ENV] == "2025"
    with fiscal_year_environment(None):
        assert os.environ[FISCAL_YEAR_ENV] == ""
    assert os.environ[FISCAL_YEAR_ENV] == "1999"
    monkeypatch.delenv(FISCAL_YEAR_ENV)
    with fiscal_year_environment(2024):
        pass
    assert FISCAL_YEAR_ENV not in os.environ


def test_the_engine_of_a_run_comes_from_its_resource_config_then_the_environment(monkeypatch):
    from orchestration.defs.resources import WarehouseResource

    monkeypatch.setenv("PERFDW_ENGINE", "spark")
    assert WarehouseResource().engine_name == "spark"
    assert WarehouseResource(engine="postgres").engine_name == "postgres"
    monkeypatch.delenv("PERFDW_ENGINE")
    assert WarehouseResource().engine_name == "duckdb"


@pytest.mark.parametrize("key", ["24", "2024-01", "", "all"])
def test_a_key_that_is_not_a_year_is_refused(key):
    with pytest.raises(ValueError, match="not a fiscal-year partition key"):
        fiscal_year_of_partition(key)


def test_partitions_cover_2023_to_the_year_in_progress():
    in_2026 = fiscal_year_partitions.get_partition_keys(current_time=datetime(2026, 11, 22))
    assert in_2026 == ["2023", "2024", "2025", "2026"]


def test_a_new_year_appears_on_new_years_day_without_a_code_change():
    eve = fiscal_year_partitions.get_partition_keys(current_time=datetime(2026, 12, 31, 23, 59))
    new_year = fiscal_year_partitions.get_partition_keys(current_time=datetime(2027, 1, 1, 0, 1))
    assert eve[-1] == "2026" and new_year[-1] == "2027"
