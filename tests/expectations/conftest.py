"""A real warehouse for the validation tests: one `perfdw run` per test session (shared with the
dashboard and end-to-end tests), then a private copy per test for it to tamper with in SQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from perfdw.paths import Paths
from tests.conftest import DOCUMENTS



@pytest.fixture
def paths(published_home: Path, tmp_path: Path) -> Paths:
    """The built pipeline database and its published copy, copied for one test."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("pipeline.duckdb", "perfdw.duckdb"):
        shutil.copy2(published_home / name, home / name)
    return Paths(home=home, documents=DOCUMENTS)


def execute(database: Path, *statements: str) -> None:
    with duckdb.connect(str(database)) as con:
        for statement in statements:
            con.execute(statement)


def query(database: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, parameters or []).fetchall()


