"""Publish on Spark: database `build_marts` copied to database `marts` as Parquet-backed tables.

Spark has no transaction over several tables, so a publication is a versioned folder:
every mart (views become tables, as on DuckDB) and a `publication` table are first written in
full as Parquet under `<warehouse>/marts.db/<table>/<version>/`, with nothing pointing at them
yet; only then does each table of `marts` move to its new folder (ALTER TABLE … SET LOCATION: a
metastore update, about 0.15 s per table), and last `spark/published.json`, which names every
table's folder, is replaced by a rename. So:
- `perfdw sql` (which reads the tables through published.json) sees one publication or the
  next, never a mix; a publish killed before that rename leaves the previous one in force.
- A reader through the metastore (Spark SQL, a Thrift server) may, during the swap, read one
  table of the new version and another of the previous (a window of about 3 s for 20 tables).
- The previous version's files stay until the next publication, so a query that started on
  them finishes undisturbed; older versions are removed.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from perfdw.paths import Paths

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

BUILD_DATABASE = "build_marts"
PUBLISHED_DATABASE = "marts"
PUBLICATION_TABLE = "publication"
POINTER = "published.json"
WRITERS = 4


def pointer(paths: Paths) -> Path:
    """Which version folder each published table reads: the readers' source of truth."""
    return paths.spark_dir / POINTER


def published_tables(paths: Paths) -> dict[str, str]:
    """Table → its Parquet folder, as of the last publication."""
    file = pointer(paths)
    if not file.is_file():
        raise FileNotFoundError(f"nothing published on spark yet: {file} does not exist (run `perfdw run --engine spark`)")
    return json.loads(file.read_text(encoding="utf-8"))["tables"]


def _database_dir(spark: "SparkSession", database: str) -> Path:
    location = spark.sql(f"describe database {database}").where("info_name = 'Location'").first()["info_value"]
    return Path(location.removeprefix("file:"))


def _columns_in_contract_order(spark: "SparkSession", name: str, contract: dict[str, list[str]]) -> list[str]:
    """The columns as the model's YAML lists them: a partitioned table (the per-year models) has
    its partition column last, which is not the mart's order."""
    present = spark.table(f"{BUILD_DATABASE}.{name}").columns
    declared = [column for column in contract.get(name, []) if column in present]
    return declared + [column for column in present if column not in declared]


def _swap(spark: "SparkSession", name: str, folder: Path) -> None:
    table = f"{PUBLISHED_DATABASE}.{name}"
    new_schema = spark.read.parquet(str(folder)).schema
    if spark.catalog.tableExists(table) and spark.table(table).schema == new_schema:
        spark.sql(f"alter table {table} set location '{folder}'")
        spark.catalog.refreshTable(table)
        return
    # A new mart, or one whose columns changed: the table is re-declared (absent for a moment).
    spark.sql(f"drop table if exists {table}")
    spark.sql(f"create table {table} using parquet location '{folder}'")


def publish(spark: "SparkSession", paths: Paths, metadata: dict | None, contract: dict[str, list[str]]) -> dict:
    relations = sorted(row.tableName for row in spark.sql(f"show tables in {BUILD_DATABASE}").collect()
                       if not row.isTemporary)
    if not relations:
        raise RuntimeError(f"nothing to publish: database {BUILD_DATABASE} on spark is empty")
    spark.sql(f"create database if not exists {PUBLISHED_DATABASE}")
    root = _database_dir(spark, PUBLISHED_DATABASE)
    version = datetime.now(timezone.utc).strftime("v%Y%m%dT%H%M%S%fZ")
    published_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    folders = {name: root / name / version for name in relations}

    def write(name: str) -> None:
        columns = _columns_in_contract_order(spark, name, contract)
        spark.table(f"{BUILD_DATABASE}.{name}").select(*columns).write.parquet(str(folders[name]))

    # Most of a small mart's write is Spark's planning and scheduling, not work: several at once.
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(write, relations))
    folders[PUBLICATION_TABLE] = root / PUBLICATION_TABLE / version
    spark.createDataFrame(
        [(published_at, json.dumps(metadata or {}, ensure_ascii=False))], "published_at string, metadata string"
    ).coalesce(1).write.parquet(str(folders[PUBLICATION_TABLE]))

    for name, folder in folders.items():
        _swap(spark, name, folder)
    for row in spark.sql(f"show tables in {PUBLISHED_DATABASE}").collect():
        if not row.isTemporary and row.tableName not in folders:
            spark.sql(f"drop table {PUBLISHED_DATABASE}.{row.tableName}")

    record = {"published_at": published_at, "engine": "spark", "version": version,
              "tables": {name: str(folder) for name, folder in folders.items()}}
    _write_json(pointer(paths), record)
    _write_json(paths.published_json, {
        "published_at": published_at, "engine": "spark", "database": f"{PUBLISHED_DATABASE} (spark, {root})",
        "relations": relations, **(metadata or {}),
    })
    _remove_old_versions(root, keep=version)
    return {"relations": relations, "published_at": published_at, "root": str(root), "version": version}


def _write_json(file: Path, content: dict) -> None:
    staged = file.with_name(f".{file.name}.tmp")
    staged.write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(staged, file)


def _remove_old_versions(root: Path, keep: str) -> None:
    """Keep this version and the one before it (a query may still be reading it)."""
    for table_dir in root.iterdir():
        if not table_dir.is_dir():
            continue
        versions = sorted(v for v in table_dir.iterdir() if v.is_dir() and v.name.startswith("v"))
        for old in [v for v in versions if v.name <= keep][:-2]:
            shutil.rmtree(old, ignore_errors=True)
