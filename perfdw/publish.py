"""Publish the validated marts: a read-only serving copy and Parquet files, swapped in atomically.

Readers never open the pipeline's own database. The serving copy is written to a new file next
to the old one and renamed over it (an atomic rename on POSIX), so a reader sees the old copy or
the new one, never a mix; one that already holds the old file keeps reading it undisturbed.
A crash or kill before the rename leaves only a stray temporary file, cleaned up next time.
The Parquet folder is published the same way through a symlink that is replaced atomically.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from perfdw.paths import PUBLISHING_PREFIX, Paths

PUBLISHED_SCHEMA = "marts"


@dataclass(frozen=True)
class Publication:
    database: Path
    parquet_dir: Path
    relations: list[str]
    published_at: str


def _relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ? order by table_name",
        [PUBLISHED_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def _remove_stale(home: Path) -> None:
    for stale in home.glob(f"{PUBLISHING_PREFIX}*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(paths: Paths, metadata: dict | None = None) -> Publication:
    """Copy every relation of schema marts into a new serving copy and Parquet set, then swap."""
    home, pipeline_db = paths.home, paths.pipeline_db
    home.mkdir(parents=True, exist_ok=True)
    _remove_stale(home)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    new_db = paths.publishing_temp(stamp, "database")
    new_parquet = paths.publishing_temp(stamp, "parquet")
    new_parquet.mkdir()
    published_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with duckdb.connect() as con:
        # Read the pipeline's file read-only; write only the new file.
        con.execute(f"attach '{pipeline_db}' as pipeline (read_only)")
        con.execute("use pipeline")
        relations = _relations(con)
        if not relations:
            raise RuntimeError(f"nothing to publish: schema {PUBLISHED_SCHEMA} of {pipeline_db} is empty")
        con.execute(f"attach '{new_db}' as serving")
        con.execute(f"create schema serving.{PUBLISHED_SCHEMA}")
        for name in relations:
            # Views become tables: the serving copy must stand alone, without raw or staging.
            con.execute(f"create table serving.{PUBLISHED_SCHEMA}.{name} as select * from {PUBLISHED_SCHEMA}.{name}")
            con.execute(
                f"copy (select * from {PUBLISHED_SCHEMA}.{name}) to '{new_parquet / (name + '.parquet')}' (format parquet)"
            )
        con.execute(
            f"create table serving.{PUBLISHED_SCHEMA}.publication as select ? as published_at, ? as metadata",
            [published_at, json.dumps(metadata or {}, ensure_ascii=False)],
        )
        con.execute("use memory")
        con.execute("detach serving")
        con.execute("detach pipeline")
    _fsync(new_db)
    database = paths.published_db
    os.replace(new_db, database)

    # The Parquet set: a versioned folder behind a symlink swapped by rename.
    versions = paths.parquet_versions
    versions.mkdir(exist_ok=True)
    version_dir = versions / stamp
    new_parquet.rename(version_dir)
    link = paths.parquet
    tmp_link = paths.publishing_temp(stamp, "link")
    tmp_link.symlink_to(version_dir.relative_to(home), target_is_directory=True)
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)
    os.replace(tmp_link, link)
    for old in versions.iterdir():
        if old != version_dir:
            shutil.rmtree(old, ignore_errors=True)

    manifest = paths.publishing_temp(stamp, "published.json")
    manifest.write_text(
        json.dumps(
            {"published_at": published_at, "database": str(database), "parquet": str(link),
             "relations": relations, **(metadata or {})},
            ensure_ascii=False, indent=2,
        ),
        encoding="utf-8",
    )
    os.replace(manifest, paths.published_json)
    return Publication(database=database, parquet_dir=link, relations=relations, published_at=published_at)
