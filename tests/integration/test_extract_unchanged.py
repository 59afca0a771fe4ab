"""A load reads a document again only when it could land differently: its bytes, the extractor or
its catalog facts changed. An unchanged one is reported from what the warehouse holds of it."""

from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path

import duckdb
import pytest

from extract import corpus
from extract.landing import RAW_TABLES
from tests.conftest import DOCUMENTS, REPO

FIXTURES = REPO / "tests" / "fixtures"


def _tables(database: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {table: con.execute(f"select * from raw.{table} order by all").fetchall() for table in RAW_TABLES}


@pytest.mark.parametrize("documents", [DOCUMENTS, FIXTURES / "family", FIXTURES / "published"], ids=lambda p: p.name)
def test_an_unchanged_document_is_reported_as_its_load_reported_it(documents, tmp_path):
    database = tmp_path / "pipeline.duckdb"
    first = corpus.extract_corpus(documents, database).outcomes
    landed = _tables(database)
    again = corpus.extract_corpus(documents, database).outcomes

    assert {o.status for o in first} >= {"loaded"}
    # Units, projects, indicators, unparsed lines, layout and year: counted from the warehouse
    # the second time, from the parsed document the first.
    expected = [asdict(o) | {"status": "unchanged"} if o.status == "loaded" else asdict(o) for o in first]
    assert [asdict(o) for o in again] == expected
    assert _tables(database) == landed  # extracted_at included: nothing was written again


@pytest.fixture
def documents(tmp_path) -> Path:
    copy = tmp_path / "docs"
    shutil.copytree(DOCUMENTS, copy)
    return copy


@pytest.fixture
def read(monkeypatch) -> list[str]:
    """The documents extract reads (parses), in order: all in this process."""
    names: list[str] = []
    parse = corpus.extract_document
    monkeypatch.setattr(corpus, "_POOL_MIN_DOCUMENTS", 10**6)
    monkeypatch.setattr(corpus, "extract_document", lambda path, entry: names.append(path.name) or parse(path, entry))
    return names


def _statuses(documents: Path, database: Path) -> dict[str, str]:
    return {o.source_file: o.status for o in corpus.extract_corpus(documents, database).outcomes}


def test_only_documents_whose_bytes_or_catalog_facts_changed_are_read_again(documents, tmp_path, read):
    database = tmp_path / "pipeline.duckdb"
    corpus.extract_corpus(documents, database)
    assert len(read) == 5
    read.clear()

    panyu = documents / "2025-guangzhou-panyu-hrss.txt"
    panyu.write_bytes(panyu.read_bytes() + b"\n")
    catalog = documents / "catalog.toml"
    evidence = 'fiscal_year_evidence = "not in the title; content: project 公费医疗费(2023n)'
    assert evidence in catalog.read_text(encoding="utf-8")
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace(evidence, evidence.replace("content:", "its content:")),
        encoding="utf-8",
    )
    statuses = _statuses(documents, database)

    changed = ["2023-guangzhou-tianhe-hrss.txt", panyu.name]
    assert read == changed
    assert statuses == {name: "loaded" if name in changed else "unchanged" for name in statuses}
    with duckdb.connect(str(database), read_only=True) as con:
        (facts,) = con.execute(
            "select catalog_entry from raw.documents where source_file = ?", [changed[0]]
        ).fetchone()
    assert "its content:" in facts

    read.clear()
    assert set(_statuses(documents, database).values()) == {"unchanged"}
    assert read == []


def test_another_extractor_version_reads_every_document_again(documents, tmp_path, read, monkeypatch):
    database = tmp_path / "pipeline.duckdb"
    corpus.extract_corpus(documents, database)
    read.clear()
    monkeypatch.setattr(corpus, "EXTRACTOR_VERSION", "0.0.0-test")
    corpus.extract_corpus(documents, database)
    assert len(read) == 5


def test_a_warehouse_without_catalog_facts_reads_its_documents_once_more(documents, tmp_path, read):
    """A warehouse loaded before the facts were kept: the documents with a catalog entry (all
    bundled ones have one) are read and landed again once, then held as they are."""
    database = tmp_path / "pipeline.duckdb"
    corpus.extract_corpus(documents, database)
    with duckdb.connect(str(database)) as con:
        con.execute("update raw.documents set catalog_entry = null")
    read.clear()

    assert set(_statuses(documents, database).values()) == {"loaded"}
    assert len(read) == 5
    read.clear()
    assert set(_statuses(documents, database).values()) == {"unchanged"}
    assert read == []


@pytest.mark.parametrize("folder", [DOCUMENTS, FIXTURES / "family"], ids=["catalog years", "printed years"])
def test_one_year_reports_its_unchanged_documents_and_reads_no_other(folder, tmp_path, read):
    database = tmp_path / "pipeline.duckdb"
    first = {o.source_file: o.fiscal_year for o in corpus.extract_corpus(folder, database).outcomes}
    assert 2024 in first.values() and len(set(first.values())) > 1
    read.clear()
    again = {o.source_file: o.status for o in corpus.extract_corpus(folder, database, year=2024).outcomes}
    assert read == []
    assert again == {name: "unchanged" if year == 2024 else "skipped" for name, year in first.items()}


@pytest.mark.parametrize("documents", [DOCUMENTS, FIXTURES / "family"], ids=lambda p: p.name)
def test_a_document_s_line_counts_its_unit_level_indicators_as_landed(documents, tmp_path):
    database = tmp_path / "pipeline.duckdb"
    lines: list[str] = []
    outcomes = corpus.extract_corpus(documents, database, progress=lines.append).outcomes
    with duckdb.connect(str(database), read_only=True) as con:
        landed = dict(con.execute("select source_file, count(*) from raw.unit_indicator_items group by all").fetchall())

    assert landed, "no unit-level indicators in these documents"
    assert {o.source_file: o.unit_indicators for o in outcomes if o.unit_indicators} == landed
    for source_file, count in landed.items():
        line = next(line for line in lines if f" {source_file}: " in line)
        assert f", {count} unit-level indicators, " in line, line
    # a document without any says nothing of them
    assert all("unit-level" not in line for line in lines if not any(f" {name}: " in line for name in landed))
