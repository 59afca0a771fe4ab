"""The engine-neutral hand-over from extract: every raw table as Parquet, per fiscal year.

`$PERFDW_HOME/raw/<table>/fiscal_year=YYYY/part-0.parquet` (Hive-style partitions, which DuckDB,
PostgreSQL loaders, Spark and most other engines read as they are). A file holds the raw table's
own columns; `fiscal_year` is the partition's, taken from the document the row belongs to (for
`documents` it is the table's own column). Every year that has documents gets a file in every
table, empty ones included, so that a reader always finds each table's schema.

Written after each extract from the pipeline's raw schema, for the years that extract touched:
each file is written beside its place and renamed over it, so a reader sees the old file or the
new one; a year whose documents all left the folder loses its partitions.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb

from extract.landing import RAW_TABLES

PARTITION = "fiscal_year"
FILE_NAME = "part-0.parquet"


def partition_dir(raw_dir: Path, table: str, year: int) -> Path:
    return raw_dir / table / f"{PARTITION}={year}"


def _rows_of_year(con: duckdb.DuckDBPyConnection, table: str, year: int) -> str:
    if table == "documents":
        columns = ", ".join(
            f'"{name}"' for (name,) in con.execute(
                "select column_name from information_schema.columns where table_schema = 'raw' "
                "and table_name = 'documents' and column_name <> ? order by ordinal_position", [PARTITION],
            ).fetchall()
        )
        return f"select {columns} from raw.documents where {PARTITION} = {int(year)}"
    return (
        f"select t.* from raw.{table} as t where t.document_id in "
        f"(select document_id from raw.documents where {PARTITION} = {int(year)})"
    )


def write_raw_parquet(pipeline_db: Path, raw_dir: Path, years: Sequence[int] | None = None) -> list[int]:
    """Write the hand-over of `years` (None: every year the raw schema or the folder holds).

    Returns the years written; years in scope with no documents left are removed.
    """
    with duckdb.connect(str(pipeline_db), read_only=True) as con:
        present = [year for (year,) in con.execute(
            f"select distinct {PARTITION} from raw.documents where {PARTITION} is not null order by 1"
        ).fetchall()]
        on_disk = {
            int(folder.name.split("=", 1)[1])
            for folder in raw_dir.glob(f"*/{PARTITION}=*") if folder.is_dir()
        } if raw_dir.is_dir() else set()
        scope = sorted(set(present) | on_disk) if years is None else sorted(set(years))
        for table in RAW_TABLES:
            for year in scope:
                target = partition_dir(raw_dir, table, year)
                if year not in present:
                    shutil.rmtree(target, ignore_errors=True)
                    continue
                target.mkdir(parents=True, exist_ok=True)
                staged = target / f".{FILE_NAME}.tmp"
                con.execute(
                    f"copy ({_rows_of_year(con, table, year)}) to '{staged}' (format parquet, compression zstd)"
                )
                os.replace(staged, target / FILE_NAME)
    return [year for year in scope if year in present]
