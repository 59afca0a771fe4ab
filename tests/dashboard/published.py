"""A real published warehouse for the dashboard tests: `perfdw run` into a temporary home, and
read-only look-ups of the marts to know what the app must show."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
PERFDW = Path(sys.executable).with_name("perfdw")
LOAD_TIMEOUT_S = 900


def run_load(home: Path) -> subprocess.CompletedProcess[str]:
    """The whole pipeline (extract → dbt → validate → publish) into `home`, as a user runs it."""
    env = {**os.environ, "PERFDW_HOME": str(home)}
    return subprocess.run(
        [str(PERFDW), "run"], cwd=REPO, env=env, capture_output=True, text=True, timeout=LOAD_TIMEOUT_S
    )


def published_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One load per test session, shared by the dashboard and browser tests (same base temp)."""
    home = tmp_path_factory.getbasetemp() / "published-home"
    if not (home / "perfdw.duckdb").is_file():
        result = run_load(home)
        assert result.returncode == 0, f"perfdw run failed:\n{result.stdout}\n{result.stderr}"
    return home


def marts(home: Path, sql: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
    """What the marts say, read independently of the app's own query code."""
    with duckdb.connect(str(home / "perfdw.duckdb"), read_only=True) as con:
        cursor = con.execute(sql, dict(params or {}))
        columns = [column[0] for column in cursor.description]
        return pd.DataFrame(cursor.fetchall(), columns=columns)
