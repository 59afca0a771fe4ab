"""`perfdw sql` on the default engine: the analyst's first door, read-only."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import duckdb

from tests.e2e.conftest import perfdw


def test_prints_the_published_marts_exactly_as_csv(published_home: Path):
    query = ("select fiscal_year, count(*) as projects, sum(total_wan) as total_wan "
             "from marts.fct_project_budget group by 1 order by 1")
    result = perfdw("sql", "--csv", query, home=published_home)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    with duckdb.connect(str(published_home / "perfdw.duckdb"), read_only=True) as con:
        expected = con.execute(query).fetchall()
    assert rows[0] == ["fiscal_year", "projects", "total_wan"]
    assert [(int(y), int(n), Decimal(t)) for y, n, t in rows[1:]] == expected
    # Six decimals as the marts hold them: the printed text is the exact decimal, not a float.
    assert all(len(t.split(".")[1]) == 6 for _, _, t in rows[1:])


def test_table_output_and_row_count(published_home: Path):
    result = perfdw("sql", "select count(*) as projects from marts.fct_project_budget", home=published_home)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    with duckdb.connect(str(published_home / "perfdw.duckdb"), read_only=True) as con:
        (count,) = con.execute("select count(*) from marts.fct_project_budget").fetchone()
    assert lines[0].strip() == "projects" and lines[2].strip() == str(count) and lines[-1] == "(1 row)"


def test_refuses_to_write_and_says_why(published_home: Path):
    with duckdb.connect(str(published_home / "perfdw.duckdb"), read_only=True) as con:
        (before,) = con.execute("select count(*) from marts.fct_project_budget").fetchone()
    result = perfdw("sql", "delete from marts.fct_project_budget", home=published_home)
    assert result.returncode == 1
    assert "error: sql on duckdb:" in result.stderr and "read-only" in result.stderr
    with duckdb.connect(str(published_home / "perfdw.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_project_budget").fetchone()[0] == before


def test_nothing_published_yet(tmp_path: Path):
    result = perfdw("sql", "select 1", home=tmp_path / "empty")
    assert result.returncode == 1
    assert "nothing published yet" in result.stderr and "perfdw run" in result.stderr


def test_an_empty_query_or_unknown_engine_is_one_clear_line(published_home: Path):
    empty = perfdw("sql", "  ", home=published_home)
    assert empty.returncode == 1 and empty.stderr.strip().startswith("error: sql: the query is empty")
    unknown = perfdw("sql", "--engine", "duckdb", "select 1", home=published_home)
    assert unknown.returncode == 0
    import os
    import subprocess
    import sys

    result = subprocess.run([str(Path(sys.executable).with_name("perfdw")), "sql", "select 1"],
                            env={**os.environ, "PERFDW_ENGINE": "oracle", "PERFDW_HOME": str(published_home)},
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: unknown engine 'oracle' (from PERFDW_ENGINE); choose one of: duckdb, postgres, spark"]
