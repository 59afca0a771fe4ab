"""The raw Parquet hand-over (perfdw.handover), written by every extract, against raw itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from extract.landing import RAW_TABLES
from perfdw.handover import FILE_NAME, partition_dir
from perfdw.paths import Paths
from perfdw.pipeline import extract_documents
from tests.conftest import DOCUMENTS


def _copy_documents(target: Path, names: list[str]) -> Path:
    target.mkdir(parents=True)
    shutil.copy(DOCUMENTS / "catalog.toml", target)
    for name in names:
        shutil.copy(DOCUMENTS / name, target)
    return target


def _raw_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [name for (name,) in con.execute(
        "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ? "
        "order by ordinal_position", [table]).fetchall()]


def _handover(raw_dir: Path, table: str):
    return f"read_parquet('{raw_dir}/{table}/*/*.parquet', hive_partitioning = true)"


@pytest.fixture
def extracted(tmp_path: Path) -> Paths:
    documents = _copy_documents(tmp_path / "documents", sorted(p.name for p in DOCUMENTS.glob("*.txt")))
    paths = Paths(home=tmp_path / "home", documents=documents)
    extract_documents(paths)
    return paths


def test_every_raw_row_is_handed_over_once_in_its_documents_year(extracted: Paths):
    raw_dir = extracted.raw_parquet
    with duckdb.connect(str(extracted.pipeline_db), read_only=True) as con:
        years = [y for (y,) in con.execute("select distinct fiscal_year from raw.documents order by 1").fetchall()]
        assert years == [2023, 2024, 2025, 2026]
        for table in RAW_TABLES:
            columns = _raw_columns(con, table)
            handed = [name for (name, *_) in con.execute(f"describe select * from {_handover(raw_dir, table)}").fetchall()]
            # The raw table's own columns, in order, then the partition (documents: its own column, moved last).
            assert handed == [c for c in columns if c != "fiscal_year"] + ["fiscal_year"], table
            key = ", ".join(f'"{c}"' for c in columns if c != "fiscal_year")
            year_of_row = ("t.fiscal_year" if table == "documents" else
                           "(select d.fiscal_year from raw.documents as d where d.document_id = t.document_id)")
            missing = con.execute(f"""
                select count(*) from (
                    (select {key}, {year_of_row} as fiscal_year from raw.{table} as t
                     except all select {key}, fiscal_year from {_handover(raw_dir, table)})
                    union all
                    (select {key}, fiscal_year from {_handover(raw_dir, table)}
                     except all select {key}, {year_of_row} from raw.{table} as t)
                )""").fetchone()[0]
            assert missing == 0, f"raw.{table} and its hand-over differ in {missing} rows"
            # Every year has a file, even where the table has no rows that year (schema for readers).
            assert all((partition_dir(raw_dir, table, year) / FILE_NAME).is_file() for year in years), table


def test_a_one_year_extract_rewrites_that_year_only_and_a_year_gone_is_removed(extracted: Paths):
    raw_dir = extracted.raw_parquet
    file_2024 = partition_dir(raw_dir, "indicator_items", 2024) / FILE_NAME
    file_2026 = partition_dir(raw_dir, "indicator_items", 2026) / FILE_NAME
    before_2024, before_2026 = file_2024.stat().st_ino, file_2026.stat().st_ino

    extract_documents(extracted, 2026)
    assert file_2024.stat().st_ino == before_2024  # untouched
    assert file_2026.stat().st_ino != before_2026  # written again (renamed over)

    (extracted.documents / "2023-guangzhou-tianhe-hrss.txt").unlink()
    extract_documents(extracted, 2023)
    assert not any(raw_dir.glob("*/fiscal_year=2023")), "a year with no documents left keeps no partition"
    assert file_2024.stat().st_ino == before_2024
    with duckdb.connect() as con:
        years = con.execute(f"select distinct fiscal_year from {_handover(raw_dir, 'documents')} order by 1").fetchall()
    assert [y for (y,) in years] == [2024, 2025, 2026]
