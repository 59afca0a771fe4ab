from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DOCUMENTS, REPO

PERFDW = str(Path(sys.executable).with_name("perfdw"))



@pytest.fixture
def home_copy(published_home: Path, tmp_path: Path) -> Path:
    """A private copy of the built warehouse, for tests that load or publish again."""
    home = tmp_path / "home"
    shutil.copytree(published_home, home, symlinks=True)
    return home


def perfdw(*args: str, home: Path, documents: Path = DOCUMENTS, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {**os.environ, "PERFDW_HOME": str(home), "PERFDW_DOCUMENTS": str(documents)}
    return subprocess.run([PERFDW, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


def published(home: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(home / "perfdw.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
