"""Which documents the published marts were built from, per fiscal year, for the documents sensor.

The sensor compares the documents folder with this file, not with its own cursor, so a fresh
Dagster instance over a loaded warehouse requests nothing. raw.documents alone would not do:
a load that failed after its extract leaves new rows in raw that no model has built yet, and
only the years a publishing load covered are known to be built. Written by the publish step,
after validation passed, while the writer lock is held; read without opening any database.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

# fiscal year → {source_file: sha256}
PublishedDocuments = dict[int, dict[str, str]]


def read_published_documents(path: Path) -> PublishedDocuments:
    """The recorded state; empty when nothing was published (or by a version that did not record)."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {int(year): dict(files) for year, files in recorded.items()}


def record_published_documents(pipeline_db: Path, path: Path, years: list[int] | None) -> PublishedDocuments:
    """Record raw.documents of the years just built (None: every year) as published."""
    with duckdb.connect(str(pipeline_db), read_only=True) as con:
        rows = con.execute("select fiscal_year, source_file, sha256 from raw.documents").fetchall()
    loaded: PublishedDocuments = {}
    for year, source_file, sha256 in rows:
        loaded.setdefault(int(year), {})[source_file] = sha256
    state = {} if years is None else read_published_documents(path)
    for year in (loaded if years is None else years):
        state[year] = loaded.get(year, {})
    state = {year: files for year, files in state.items() if files}
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps({str(y): state[y] for y in sorted(state)}, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return state
