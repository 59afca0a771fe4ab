"""Choosing an engine (perfdw.engines) and printing a query's result (perfdw sql)."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from perfdw.engines import DEFAULT_ENGINE, ENGINES, UnknownEngine, get_engine, resolve_engine
from perfdw_cli.sql import format_table


def test_flag_wins_over_environment_which_wins_over_default(monkeypatch):
    monkeypatch.delenv("PERFDW_ENGINE", raising=False)
    assert resolve_engine() == DEFAULT_ENGINE == "duckdb"
    monkeypatch.setenv("PERFDW_ENGINE", "Postgres")
    assert resolve_engine() == "postgres"
    assert resolve_engine("spark") == "spark"


def test_unknown_engine_names_the_choices(monkeypatch):
    monkeypatch.setenv("PERFDW_ENGINE", "oracle")
    with pytest.raises(UnknownEngine, match=r"'oracle' \(from PERFDW_ENGINE\).*duckdb, postgres, spark"):
        resolve_engine()


@pytest.mark.parametrize("name", ENGINES)
def test_each_engine_module_loads_without_its_drivers(name):
    # `perfdw stop` and the engine lookup import every engine: a DuckDB-only install must cope.
    code = (
        "import sys; from perfdw.engines import get_engine; "
        f"engine = get_engine({name!r}); assert engine.name == {name!r}; "
        "heavy = [m for m in ('psycopg2', 'pyspark', 'sqlalchemy', 'great_expectations') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_duckdb_engine_is_the_default():
    assert get_engine(None).name == "duckdb"


def test_table_keeps_decimals_exact_and_aligns_wide_characters():
    text = format_table(["单位", "total_wan"], [("广州市人社局", Decimal("1408006.170000")), ("x", Decimal("1E+3"))])
    lines = text.splitlines()
    assert "1408006.170000" in lines[2] and lines[3].endswith("1000")  # no exponent, no float

    def columns_on_screen(line: str) -> int:
        return sum(2 if "\u4e00" <= char <= "\u9fff" else 1 for char in line)

    # A CJK character takes two terminal columns: the right-aligned numbers end in one column.
    assert {columns_on_screen(line) for line in lines[:4]} == {columns_on_screen(lines[1])}
    assert lines[-1] == "(2 rows)"
