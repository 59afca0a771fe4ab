"""Filters and search text reach SQL only as bound parameters; the app holds no connection."""

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboards import queries
from tests.dashboard.conftest import open_app
from tests.dashboard.published import marts

DEPARTMENT = "广州市人力资源和社会保障局"
INJECTIONS = ["' or '1'='1", "x'; drop table marts.fct_project_budget; --", "%", "_"]


@pytest.mark.parametrize("typed", INJECTIONS)
def test_quotes_and_sql_in_filters_match_nothing(
    published_home: Path, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    monkeypatch.setenv("PERFDW_HOME", str(published_home))
    assert queries.spend_totals(None, typed, None)["total_wan"] is None
    assert queries.spend_totals(None, DEPARTMENT, typed)["total_wan"] is None
    assert queries.coverage(None, typed, None).empty
    assert queries.search_projects(typed, 50).empty
    # The published copy is untouched: its projects are all still there.
    assert marts(published_home, "select count(*) as n from marts.fct_project_budget")["n"][0] > 0


def test_a_real_filter_still_matches(published_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFDW_HOME", str(published_home))
    expected = marts(
        published_home,
        "select sum(total_wan) as total from marts.mart_spend_by_unit_year where department_name = $d",
        {"d": DEPARTMENT},
    )["total"][0]
    assert expected is not None
    assert queries.spend_totals(None, DEPARTMENT, None)["total_wan"] == expected


def test_the_app_holds_no_connection_after_a_run(
    published_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A private copy: opening it read-write must not touch the shared published one.
    shutil.copy(published_home / "perfdw.duckdb", tmp_path / "perfdw.duckdb")
    for page in ("views/overview.py", "views/yoy.py", "views/coverage.py"):
        assert not open_app(tmp_path, monkeypatch, page).exception
    # DuckDB refuses a read-write open while this process still has the file open read-only.
    with duckdb.connect(str(tmp_path / "perfdw.duckdb")) as con:
        assert con.execute("select count(*) from marts.mart_spend_by_unit_year").fetchone()[0] > 0
