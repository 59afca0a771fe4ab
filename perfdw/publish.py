"""Publish the validated marts: a read-only serving copy and Parquet files, swapped in atomically.

Readers never open the pipeline's own database. The serving copy is written to a new file next
to the old one and renamed over it (an atomic rename on POSIX), so a reader sees the old copy or
the new one, never a mix; one that already holds the old file keeps reading it undisturbed.
A crash or kill before the rename leaves only a stray temporary file, cleaned up next time.
The Parquet folder is published the same way through a symlink that is replaced atomically.

The per-year models (dbt tag `per_year`, the large facts) are published as one Parquet file per
fiscal year, `parquet/<model>/<year>.parquet`, so that a load of one year rewrites that year's
file only: a year whose rows are the same as at the last publication (same count, sum of row
hashes and columns, recorded beside the files) is hard-linked from it instead of written again.
Every other mart is one file, `parquet/<mart>.parquet`.

A load of some years (not a full load) starts its serving copy from a byte copy of the previous
one and replaces in it only the loaded years' rows of the per-year models and the cross-year
relations, when the previous copy can stand for the rest (perfdw.serving_base). Either way each
relation is computed once, into the serving copy, and its Parquet written from there.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from collections.abc import Collection, Sequence

import duckdb

from perfdw.paths import PUBLISHING_PREFIX, Paths
from perfdw.serving_base import Shape, relation_columns, why_written_whole, year_fingerprints

PUBLISHED_SCHEMA = "marts"
# The serving copy's own table: when and by what it was published; rewritten by every publication.
PUBLICATION_TABLE = "publication"
# Per per-year model and fiscal year, the fingerprint of the rows its file holds.
YEAR_FINGERPRINTS = ".year-fingerprints.json"


@dataclass(frozen=True)
class Publication:
    database: Path
    parquet_dir: Path
    relations: list[str]
    published_at: str
    # DuckDB's serving copy was the previous one with only the loaded years' rows and the
    # cross-year relations replaced; when not, why it was written whole (None on the engines
    # that always publish whole).
    incremental: bool = False
    full_copy_reason: str | None = None


def _relations(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = ? and table_schema = ? order by table_name",
        [catalog, PUBLISHED_SCHEMA],
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


def _previous_fingerprints(previous: Path | None) -> dict[str, dict[str, str]]:
    file = previous / YEAR_FINGERPRINTS if previous else None
    return json.loads(file.read_text(encoding="utf-8")) if file and file.is_file() else {}


def _shape(con: duckdb.DuckDBPyConnection, catalog: str, per_year: Collection[str],
           leave_out: Collection[str] = ()) -> Shape:
    columns = relation_columns(con, catalog, PUBLISHED_SCHEMA, leave_out)
    return Shape(columns, {name: year_fingerprints(con, f"{catalog}.{PUBLISHED_SCHEMA}.{name}")
                           for name in per_year if name in columns})


def _write_ahead_log(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def _why_written_whole(con: duckdb.DuckDBPyConnection, database: Path, years: Sequence[int] | None,
                       pipeline: Shape, per_year: Collection[str]) -> str | None:
    """Why the new serving copy can't start from the previous one (`database`); None if it can."""
    if years is None or not database.is_file():
        return why_written_whole(years, pipeline, None)
    log = _write_ahead_log(database)
    if log.exists():
        # Publish never leaves one: something else wrote to the copy, and a byte copy of the
        # file alone would not hold what the log holds.
        return f"the previous serving copy has a write-ahead log ({log}), written by something other than publish"
    try:
        con.execute(f"attach '{database}' as previous (read_only)")
    except duckdb.Error as error:
        # It is about to be replaced: a copy that can't be read is no reason not to publish.
        return f"the previous serving copy {database} can't be read ({error})"
    try:
        return why_written_whole(years, pipeline, _shape(con, "previous", per_year, leave_out=[PUBLICATION_TABLE]))
    finally:
        con.execute("detach previous")


def _copy_whole(con: duckdb.DuckDBPyConnection, relations: list[str]) -> None:
    con.execute(f"create schema serving.{PUBLISHED_SCHEMA}")
    for name in relations:
        # Views become tables: the serving copy must stand alone, without raw or staging.
        con.execute(f"create table serving.{PUBLISHED_SCHEMA}.{name} as select * from {PUBLISHED_SCHEMA}.{name}")


def _replace_years(con: duckdb.DuckDBPyConnection, relations: list[str], per_year: Collection[str],
                   years: Sequence[int]) -> None:
    """In a byte copy of the previous serving copy: the loaded years' rows of the per-year
    models and every other relation (cross-year: dimensions, marts) replaced."""
    in_years = f"fiscal_year in ({', '.join(str(int(year)) for year in years)})" if years else "false"
    con.execute(f"drop table if exists serving.{PUBLISHED_SCHEMA}.{PUBLICATION_TABLE}")
    for name in relations:
        if name in per_year:
            con.execute(f"delete from serving.{PUBLISHED_SCHEMA}.{name} where {in_years}")
        else:
            con.execute(f"drop table serving.{PUBLISHED_SCHEMA}.{name}")
    # The rows written next reuse the freed blocks only once a checkpoint has released them:
    # without it the file grew by about what a reload replaces (scale 100: 37-43 MB, not 35).
    con.execute("checkpoint serving")
    for name in relations:
        if name in per_year:
            con.execute(f"insert into serving.{PUBLISHED_SCHEMA}.{name} "
                        f"select * from {PUBLISHED_SCHEMA}.{name} where {in_years}")
        else:
            con.execute(f"create table serving.{PUBLISHED_SCHEMA}.{name} as select * from {PUBLISHED_SCHEMA}.{name}")


def _copy_by_year(con: duckdb.DuckDBPyConnection, name: str, fingerprints: dict[str, str], folder: Path,
                  previous: Path | None, known: dict[str, str]) -> None:
    """One file per fiscal year from the serving copy; the unchanged ones linked from the
    previous publication."""
    folder.mkdir()
    for year, fingerprint in fingerprints.items():
        file = folder / f"{year}.parquet"
        old = previous / name / file.name if previous else None
        if old and known.get(year) == fingerprint and old.is_file():
            os.link(old, file)
        else:
            con.execute(f"copy (select * from serving.{PUBLISHED_SCHEMA}.{name} where fiscal_year = {int(year)}) "
                        f"to '{file}' (format parquet)")


def publish(paths: Paths, metadata: dict | None = None, per_year: Collection[str] = (),
            years: Sequence[int] | None = None) -> Publication:
    """Copy every relation of schema marts into a new serving copy and Parquet set, then swap.

    per_year: the models published one Parquet file per fiscal year (perfdw.manifest.per_year_models).
    years: the fiscal years the load rebuilt (None: every year). A load of some years starts
    from a byte copy of the previous serving copy when it can (perfdw.serving_base).
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
    known = _previous_fingerprints(previous)
    with duckdb.connect() as con:
        # Read the pipeline's file read-only; write only the new file.
        con.execute(f"attach '{pipeline_db}' as pipeline (read_only)")
        # The pipeline's views name their relations without a catalog.
        con.execute("use pipeline")
        relations = _relations(con, "pipeline")
        if not relations:
            raise RuntimeError(f"nothing to publish: schema {PUBLISHED_SCHEMA} of {pipeline_db} is empty")
        pipeline = _shape(con, "pipeline", per_year)
        why_whole = _why_written_whole(con, paths.published_db, years, pipeline, per_year)
        if why_whole is None:
            # A byte copy, never a link: readers may hold the previous file open.
            shutil.copyfile(paths.published_db, new_db)
        con.execute(f"attach '{new_db}' as serving")
        if why_whole is None:
            _replace_years(con, relations, per_year, years or [])
        else:
            _copy_whole(con, relations)
        con.execute(
            f"create table serving.{PUBLISHED_SCHEMA}.{PUBLICATION_TABLE} as select ? as published_at, ? as metadata",
            [published_at, json.dumps(metadata or {}, ensure_ascii=False)],
        )
        # Each relation is computed once, into the serving copy; Parquet is written from there.
        for name in relations:
            if name in pipeline.fingerprints:
                _copy_by_year(con, name, dict(pipeline.fingerprints[name]), new_parquet / name, previous,
                              known.get(name, {}))
            else:
                con.execute(f"copy serving.{PUBLISHED_SCHEMA}.{name} to '{new_parquet / (name + '.parquet')}' "
                            "(format parquet)")
        (new_parquet / YEAR_FINGERPRINTS).write_text(json.dumps(pipeline.fingerprints, indent=1), encoding="utf-8")
        con.execute("use memory")
        con.execute("detach serving")
        con.execute("detach pipeline")
    _fsync(new_db)
    database = paths.published_db
    # DuckDB would replay a log left beside the old copy (by something other than publish,
    # which leaves none) onto the new one.
    _write_ahead_log(database).unlink(missing_ok=True)
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
    return Publication(database=database, parquet_dir=link, relations=relations, published_at=published_at,
                       incremental=why_whole is None, full_copy_reason=why_whole)
