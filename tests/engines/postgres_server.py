"""One real load of the bundled corpus on a private PostgreSQL server, shared by the tests of
tests/engines/test_postgres.py.

The warehouse folder is made under /tmp with traversable parents: as root, the server runs as
the `postgres` system user, which can't reach pytest's own temporary folders (mode 0700). It
starts from a copy of the DuckDB session load's extract (`published_home`), so that both engines
build on the same raw rows (extract keeps unchanged documents as they are, extracted_at
included) and their marts can be compared row for row.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from perfdw.engines.postgres_server import URL_VARIABLE, stop_private_server
from perfdw.paths import Paths
from tests.conftest import DOCUMENTS, REPO

PERFDW = str(Path(sys.executable).with_name("perfdw"))
LOAD_TIMEOUT_S = 900


def perfdw(*args: str, home: Path, timeout: int = LOAD_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """The command line against `home`, on the private server (never a user's URL)."""
    env = {key: value for key, value in os.environ.items() if key != URL_VARIABLE}
    env.update({"PERFDW_HOME": str(home), "PERFDW_DOCUMENTS": str(DOCUMENTS)})
    return subprocess.run([PERFDW, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


def reachable_temp_dir(prefix: str) -> Path:
    """A fresh folder under /tmp that another system user can traverse (not read)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    folder.chmod(0o711)
    return folder


@pytest.fixture(scope="session")
def postgres_home(published_home: Path) -> Iterator[Path]:
    """`perfdw run --engine postgres` once per session; the server stopped and removed after."""
    base = reachable_temp_dir("perfdw-pg-")
    home = base / "home"
    home.mkdir()
    shutil.copy2(published_home / "pipeline.duckdb", home / "pipeline.duckdb")
    shutil.copytree(published_home / "raw", home / "raw")
    try:
        result = perfdw("run", "--engine", "postgres", home=home)
        assert result.returncode == 0, f"perfdw run --engine postgres failed:\n{result.stdout}\n{result.stderr}"
        yield home
    finally:
        stop_private_server(Paths(home=home, documents=DOCUMENTS).postgres_dir)
        shutil.rmtree(base, ignore_errors=True)
