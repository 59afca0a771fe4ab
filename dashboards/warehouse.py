"""The published serving copy, opened read-only for one query and closed right after.

A load publishes by renaming a new file over this one. Holding no connection means the app never
blocks a load and the next query after a publish reads the new copy, with no restart.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd

from perfdw.paths import resolve_paths


def published_db() -> Path:
    """$PERFDW_HOME/perfdw.duckdb, resolved on every call so the environment is the only setting."""
    return resolve_paths().published_db


def is_published() -> bool:
    return published_db().is_file()


def fetch(sql: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Run one query with named bound parameters ($name). Values stay the Python objects DuckDB
    returns (Decimal amounts, None for NULL): no float or NaN is made up on the way."""
    with duckdb.connect(str(published_db()), read_only=True) as con:
        cursor = con.execute(sql, dict(params or {}))
        columns = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    return pd.DataFrame(rows, columns=columns, dtype=object)
