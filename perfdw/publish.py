"""Publish the validated marts: a read-only serving copy and Parquet files, swapped in atomically.

Readers never open the pipeline's own database. The serving copy is written to a new file next
to the old one and renamed over it (an atomic rename on POSIX), so a reader sees the old copy or
the new one, never a mix; one that already holds the old file keeps reading it undisturbed.
A crash or kill before the rename leaves only a stray temporary file, cleaned up next time.
The Parquet folder is published the same way through a symlink that is replaced atomically.

The per-year models (dbt tag `per_year`, the large facts) are published as one Parquet file per
fiscal year, `parquet/<model>/<year>.parquet`, so that a load of one year rewrites that year's
file only: a year whose rows are the same as at the last publication (same count and sum of
row hashes, recorded beside the files) is hard-linked from it instead of written again. Every
other mart is one file, `parquet/<mart>.parquet`.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from collections.abc import Collection

import duckdb

from perfdw.paths import PUBLISHING_PREFIX, Paths

PUBLISHED_SCHEMA = "marts"
# Per per-year model and fiscal year, the fingerprint of the rows its file holds.
YEAR_FINGERPRINTS = ".year-fingerprints.json"


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


def _year_fingerprints(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, str]:
    rows = con.execute(
        f"select fiscal_year, count(*), sum(hash(t)::hugeint) from {PUBLISHED_SCHEMA}.{name} as t group by 1"
    ).fetchall()
    return {str(year): f"{count}:{total}" for year, count, total in rows}


def _previous_fingerprints(previous: Path | None) -> dict[str, dict[str, str]]:
    file = previous / YEAR_FINGERPRINTS if previous else None
    return json.loads(file.read_text(encoding="utf-8")) if file and file.is_file() else {}


def _copy_by_year(
    con: duckdb.DuckDBPyConnection, name: str, folder: Path, previous: Path | None, known: dict[str, str]
) -> dict[str, str]:
    """One file per fiscal year; the unchanged ones linked from the previous publication."""
    folder.mkdir()
    fingerprints = _year_fingerprints(con, name)
    for year, fingerprint in fingerprints.items():
        file = folder / f"{year}.parquet"
        old = previous / name / file.name if previous else None
        if old and known.get(year) == fingerprint and old.is_file():
            os.link(old, file)
        else:
            con.execute(
                f"copy (select * from {PUBLISHED_SCHEMA}.{name} where fiscal_year = {int(year)}) to '{file}' (format parquet)"
            )
    return fingerprints


def publish(paths: Paths, metadata: dict | None = None, per_year: Collection[str] = ()) -> Publication:
    """Copy every relation of schema marts into a new serving copy and Parquet set, then swap.

    per_year: the models published one Parquet file per fiscal year (perfdw.manifest.per_year_models).
    """
    home, pipeline_db = paths.home, paths.pipeline_db
    home.mkdir(parents=True, exist_ok=True)
    _remove_stale(home)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    new_db = paths.publishing_temp(stamp, "database")
    new_parquet = paths.publishing_temp(stamp, "parquet")
    new_parquet.mkdir()
    published_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    previous = paths.parquet.resolve() if paths.parquet.is_symlink() and paths.parquet.exists() else None
    known, fingerprints = _previous_fingerprints(previous), {}
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
            if name in per_year:
                fingerprints[name] = _copy_by_year(con, name, new_parquet / name, previous, known.get(name, {}))
                continue
            con.execute(
                f"copy (select * from {PUBLISHED_SCHEMA}.{name}) to '{new_parquet / (name + '.parquet')}' (format parquet)"
            )
        con.execute(
            f"create table serving.{PUBLISHED_SCHEMA}.publication as select ? as published_at, ? as metadata",
            [published_at, json.dumps(metadata or {}, ensure_ascii=False)],
        )
        (new_parquet / YEAR_FINGERPRINTS).write_text(json.dumps(fingerprints, indent=1), encoding="utf-8")
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
