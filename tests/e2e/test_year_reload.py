"""Reloading one year gives the marts a full rebuild of the same documents gives, and skips only
what the year can't change.

A warehouse is loaded in full without one year's document; the document arrives and only its
year is reloaded (`perfdw run --year`). Every published mart, in the serving copy and in
Parquet, must then equal the session's full load of all documents; the reload's dbt build
must have left out the unchanged seeds, and nothing else, without parsing the dbt project
again. The document then leaves and its year, reloaded again, is emptied: every mart equals
the first load's again. Both reloads publish from the previous serving copy, replacing only the
year's rows of the per-year models and the cross-year relations.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from perfdw.dbt import MANIFEST
from perfdw.grouped_checks import grouped_check_names
from perfdw.manifest import per_year_models, published_models
from perfdw.paths import resolve_paths
from tests.conftest import DOCUMENTS
from tests.e2e.conftest import perfdw

ARRIVING = "2025-guangzhou-panyu-hrss.txt"
YEAR = 2025


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """Every column but the timestamps a load stamps (when a document was extracted)."""
    described = con.execute(f"describe select * from {relation}").fetchall()
    return ", ".join(name for name, kind, *_ in described if "TIMESTAMP" not in kind)


def _rows(home: Path, relation: str) -> list[tuple]:
    with duckdb.connect(str(home / "perfdw.duckdb"), read_only=True) as con:
        return con.execute(f"select {_columns(con, relation)} from {relation} order by all").fetchall()


def _parquet_rows(home: Path, mart: str) -> list[tuple]:
    files = home / "parquet" / mart
    with duckdb.connect() as con:
        relation = f"read_parquet('{files}/*.parquet')" if files.is_dir() else f"read_parquet('{files}.parquet')"
        return con.execute(f"select {_columns(con, relation)} from {relation} order by all").fetchall()


def _per_year_files(home: Path) -> dict[Path, int]:
    """Each per-year model's Parquet file per fiscal year (relative path) and its inode."""
    parquet = (home / "parquet").resolve()
    return {file.relative_to(parquet): file.stat().st_ino
            for name in per_year_models(MANIFEST) for file in (parquet / name).glob("*.parquet")}


def _serving_columns(home: Path) -> dict[str, list[tuple[str, str]]]:
    """Every relation of the serving copy (the publication table too) with its columns and types."""
    columns: dict[str, list[tuple[str, str]]] = {}
    with duckdb.connect(str(home / "perfdw.duckdb"), read_only=True) as con:
        for table, column, kind in con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' order by table_name, ordinal_position"
        ).fetchall():
            columns.setdefault(table, []).append((column, kind))
    return columns


def _parquet_columns(home: Path, mart: str) -> list[tuple]:
    files = home / "parquet" / mart
    relation = f"read_parquet('{files}/*.parquet')" if files.is_dir() else f"read_parquet('{files}.parquet')"
    with duckdb.connect() as con:
        return con.execute(f"describe select * from {relation}").fetchall()


def _marts(home: Path) -> dict[str, tuple[list[tuple], list[tuple]]]:
    """Every published mart's rows, in the serving copy and in Parquet."""
    return {mart: (_rows(home, f"marts.{mart}"), _parquet_rows(home, mart)) for mart in published_models(MANIFEST)}


def test_a_year_reloaded_after_its_document_arrives_or_leaves_equals_a_full_rebuild(tmp_path, published_home):
    documents = tmp_path / "documents"
    documents.mkdir()
    for source in DOCUMENTS.iterdir():
        if source.name != ARRIVING:
            shutil.copy(source, documents)
    home = tmp_path / "home"
    first = perfdw("run", home=home, documents=documents)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "publish: serving copy written whole (a load of every fiscal year)" in first.stdout
    assert (YEAR,) not in _rows(home, "(select distinct fiscal_year from marts.dim_document)")
    without_document = _marts(home)

    before = _per_year_files(home)
    assert before and not any(file.stem == str(YEAR) for file in before)

    shutil.copy(DOCUMENTS / ARRIVING, documents)
    reload = perfdw("run", "--year", str(YEAR), home=home, documents=documents)
    assert reload.returncode == 0, reload.stdout + reload.stderr
    # dbt's partial-parse state of the full load serves a load of one year (dbt prints this line
    # when it parses the whole project again)
    assert "Running with dbt" in reload.stdout
    assert "Unable to do partial parsing" not in reload.stdout
    # The serving copy started from the previous one: only the year's rows and the cross-year
    # relations were written.
    assert f"publish: serving copy from the previous one, rows of fiscal year {YEAR} and the cross-year " \
           "relations replaced" in reload.stdout, reload.stdout

    # The other years' Parquet files are the same files (linked into the new publication, not
    # written again); the reloaded year's are new.
    after = _per_year_files(home)
    assert {path: inode for path, inode in after.items() if path.stem != str(YEAR)} == before
    assert {path.parent.name for path in after if path.stem == str(YEAR)} == {path.parent.name for path in before}

    # The same relations (the publication table too) with the same column types as the full
    # load's serving copy and Parquet files, and the same rows.
    assert _serving_columns(home) == _serving_columns(published_home)
    for mart in published_models(MANIFEST):
        assert _rows(home, f"marts.{mart}") == _rows(published_home, f"marts.{mart}"), mart
        assert _parquet_rows(home, mart) == _parquet_rows(published_home, mart), mart
        assert _parquet_columns(home, mart) == _parquet_columns(published_home, mart), mart

    # What the reload's dbt build ran: every node but the seeds and the tests on seeds alone, the
    # single-table checks inside their groups.
    nodes = json.loads(MANIFEST.read_text(encoding="utf-8"))["nodes"]
    grouped = set(grouped_check_names(MANIFEST))
    run = json.loads((resolve_paths(home).dbt_target() / "run_results.json").read_text(encoding="utf-8"))
    ran = {result["unique_id"] for result in run["results"]}
    seeds = {key for key, node in nodes.items() if node["resource_type"] == "seed"}
    seed_only_tests = {key for key, node in nodes.items() if node["resource_type"] == "test"
                       and set(node["depends_on"]["nodes"]) <= seeds}
    built = {key for key, node in nodes.items() if node["resource_type"] in ("model", "test")
             and node["config"].get("enabled", True) and key not in seed_only_tests and node["name"] not in grouped}
    assert seeds and seed_only_tests and grouped
    assert not ran & (seeds | seed_only_tests)
    assert not {nodes[key]["name"] for key in ran if key in nodes} & grouped
    assert built <= ran
    # e.g. relationships from a model to a code list: tests that read a seed and a model still run
    assert {key for key in built if set(nodes[key]["depends_on"]["nodes"]) & seeds} & ran

    # The document leaves: its year, reloaded, holds no rows anywhere (the per-year models
    # delete the year's rows, not the keys of the rows they insert), as if it never came.
    (documents / ARRIVING).unlink()
    emptied = perfdw("run", "--year", str(YEAR), home=home, documents=documents)
    assert emptied.returncode == 0, emptied.stdout + emptied.stderr
    assert "publish: serving copy from the previous one" in emptied.stdout, emptied.stdout
    per_year = [f"{node['schema']}.{node['alias']}" for node in nodes.values()
                if node["resource_type"] == "model" and "per_year" in node["tags"]]
    assert any(name.startswith("intermediate.") for name in per_year)
    with duckdb.connect(str(home / "pipeline.duckdb"), read_only=True) as con:
        for relation in per_year:
            assert con.execute(f"select count(*) from {relation} where fiscal_year = ?", [YEAR]).fetchone() == (0,), relation
    assert not any(file.stem == str(YEAR) for file in _per_year_files(home))
    assert _marts(home) == without_document
    assert _serving_columns(home) == _serving_columns(published_home)
