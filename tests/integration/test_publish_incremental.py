"""Publishing a load of some years from the previous serving copy (perfdw.publish, DuckDB).

On a copy of a real built warehouse: the pipeline's marts are changed the way a load or a new
model would change them, then published with the years of that load. Whichever way the serving
copy was made, it must equal the pipeline's marts relation by relation (columns, types, rows),
and the Parquet set must equal the serving copy; what the previous copy can't stand for must
make publish write the copy whole.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from perfdw.dbt import MANIFEST
from perfdw.manifest import per_year_models
from perfdw.paths import Paths
from perfdw.publish import PUBLICATION_TABLE, PUBLISHED_SCHEMA, Publication, publish
from tests.conftest import DOCUMENTS

YEAR = 2025
OTHER_YEAR = 2023


@pytest.fixture
def home(published_home: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(published_home, copy, symlinks=True)
    return copy


def _publish(home: Path, years: list[int] | None) -> Publication:
    return publish(Paths(home, DOCUMENTS), {"test": "incremental publish"}, per_year_models(MANIFEST), years)


def _change_pipeline(home: Path, sql: str) -> None:
    with duckdb.connect(str(home / "pipeline.duckdb")) as con:
        con.execute(sql)


def _columns(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[tuple[str, str]]]:
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? order by table_name, ordinal_position",
        [catalog, PUBLISHED_SCHEMA],
    ).fetchall():
        columns.setdefault(table, []).append((column, kind))
    return columns


def _differences(con: duckdb.DuckDBPyConnection, left: str, right: str) -> int:
    return con.execute(
        f"select (select count(*) from (from {left} except all from {right})) "
        f"+ (select count(*) from (from {right} except all from {left}))"
    ).fetchone()[0]


def _parquet(home: Path, relation: str) -> str:
    folder = home / "parquet" / relation
    return f"read_parquet('{folder}/*.parquet')" if folder.is_dir() else f"read_parquet('{folder}.parquet')"


def assert_published_as_built(home: Path) -> None:
    """The serving copy is the pipeline's marts plus the publication table, relation by relation,
    column types included; every relation's Parquet holds the same rows with the same types."""
    with duckdb.connect() as con:
        con.execute(f"attach '{home / 'pipeline.duckdb'}' as pipeline (read_only)")
        con.execute(f"attach '{home / 'perfdw.duckdb'}' as serving (read_only)")
        con.execute("use pipeline")
        built, served = _columns(con, "pipeline"), _columns(con, "serving")
        assert served.pop(PUBLICATION_TABLE) == [("published_at", "VARCHAR"), ("metadata", "VARCHAR")]
        assert served == built
        for name in built:
            table = f"serving.{PUBLISHED_SCHEMA}.{name}"
            assert _differences(con, f"{PUBLISHED_SCHEMA}.{name}", table) == 0, name
            parquet = _parquet(home, name)
            assert con.execute(f"describe select * from {parquet}").fetchall() == \
                con.execute(f"describe select * from {table}").fetchall(), name
            assert _differences(con, parquet, table) == 0, name
        for name in per_year_models(MANIFEST):
            for file in (home / "parquet" / name).glob("*.parquet"):
                assert con.execute(f"select distinct fiscal_year from read_parquet('{file}')").fetchall() == \
                    [(int(file.stem),)], file


def _year_files(home: Path) -> dict[tuple[str, str], int]:
    """Each per-year model's Parquet file per fiscal year and its inode."""
    return {(name, file.stem): file.stat().st_ino
            for name in per_year_models(MANIFEST) for file in (home / "parquet" / name).glob("*.parquet")}


def test_a_load_of_some_years_replaces_only_their_rows_in_a_copy_of_the_previous_serving_copy(home):
    # As a reload of YEAR would: its rows of a per-year fact change, and with them cross-year marts.
    _change_pipeline(home, f"update {PUBLISHED_SCHEMA}.fct_project_budget "
                           f"set project_name = project_name || '（调整）' where fiscal_year = {YEAR}")
    before = _year_files(home)
    previous = home / "perfdw.duckdb"
    previous_inode = previous.stat().st_ino

    publication = _publish(home, [YEAR])

    assert publication.incremental and publication.full_copy_reason is None
    assert_published_as_built(home)
    # A new file (a byte copy, not a link to the file readers may hold), with the change in it.
    assert previous.stat().st_ino != previous_inode and previous.stat().st_nlink == 1
    with duckdb.connect(str(previous), read_only=True) as con:
        assert con.execute(f"select count(*) from {PUBLISHED_SCHEMA}.fct_project_budget "
                           "where project_name like '%（调整）'").fetchone()[0] > 0
    # Only the loaded year's file of the changed model was written again; every other file is linked.
    after = _year_files(home)
    assert after.keys() == before.keys()
    rewritten = {key for key in after if after[key] != before[key]}
    assert rewritten == {("fct_project_budget", str(YEAR))}


def _write_to_serving_copy_without_checkpoint(home: Path) -> None:
    """What a reader that opened the serving copy read-write and wrote to it, then died, leaves."""
    with duckdb.connect(str(home / "perfdw.duckdb")) as con:
        con.execute("pragma disable_checkpoint_on_shutdown")
        con.execute(f"create table {PUBLISHED_SCHEMA}.scratch as select 1 as x")
    assert (home / "perfdw.duckdb.wal").is_file()


ALTERATIONS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "relation added": ("relations added since the previous copy: mart_projects_per_year", lambda home: _change_pipeline(
        home, f"create view {PUBLISHED_SCHEMA}.mart_projects_per_year as select fiscal_year, count(*) as projects "
              f"from {PUBLISHED_SCHEMA}.fct_project_budget group by 1")),
    "relation removed": ("relations removed since the previous copy: mart_target_attainment", lambda home: _change_pipeline(
        home, f"drop table {PUBLISHED_SCHEMA}.mart_target_attainment")),
    "column type changed": ("columns changed since the previous copy: fct_project_budget", lambda home: _change_pipeline(
        home, f"alter table {PUBLISHED_SCHEMA}.fct_project_budget alter column total_wan type decimal(38, 6)")),
    "column added": ("columns changed since the previous copy: dim_unit", lambda home: _change_pipeline(
        home, f"alter table {PUBLISHED_SCHEMA}.dim_unit add column note varchar default '备注'")),
    "a year not loaded moved": (
        f"fct_project_budget: rows of fiscal years not loaded ({OTHER_YEAR}) differ from the previous copy's",
        lambda home: _change_pipeline(home, f"update {PUBLISHED_SCHEMA}.fct_project_budget set project_name = "
                                            f"project_name || '（调整）' where fiscal_year = {OTHER_YEAR}")),
    "a year not loaded emptied": (
        f"fct_project_budget: rows of fiscal years not loaded ({OTHER_YEAR}) differ from the previous copy's",
        lambda home: _change_pipeline(home, f"delete from {PUBLISHED_SCHEMA}.fct_project_budget "
                                            f"where fiscal_year = {OTHER_YEAR}")),
    "a write-ahead log beside the previous copy": (
        "the previous serving copy has a write-ahead log", lambda home: _write_to_serving_copy_without_checkpoint(home)),
    "no previous serving copy": ("no previous serving copy", lambda home: (home / "perfdw.duckdb").unlink()),
}


@pytest.mark.parametrize("alteration", ALTERATIONS)
def test_what_the_previous_copy_cannot_stand_for_makes_publish_write_it_whole(home, alteration):
    reason, alter = ALTERATIONS[alteration]
    alter(home)

    publication = _publish(home, [YEAR])

    assert not publication.incremental and publication.full_copy_reason.startswith(reason)
    assert_published_as_built(home)
    # The copy written whole is the next load's base.
    again = _publish(home, [YEAR])
    assert again.incremental, again.full_copy_reason
    assert_published_as_built(home)


def test_a_load_of_every_year_writes_the_copy_whole(home):
    publication = _publish(home, None)
    assert not publication.incremental and publication.full_copy_reason == "a load of every fiscal year"
    assert_published_as_built(home)
