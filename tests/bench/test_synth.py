"""The synthetic corpus generator: every layout parses and reconciles, and output is reproducible.

Synthetic documents are only useful for benchmarks if the real extractor takes them exactly as
it takes the bundled ones, so each generated document goes through `extract_document` with its
catalog entry, and its printed check sums are recomputed here with Decimal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from bench.synth import BUNDLED_DOCUMENTS, LAYOUT_OF, TEMPLATES, CorpusSummary, generate_corpus
from extract.catalog import load_catalog
from extract.document import ExtractedDocument, extract_document
from extract.records import LineUse, RowKind
from perfdw_cli.main import main as cli_main
from tests.conftest import REPO

AMOUNT_COLUMNS = ("total", "fiscal", "special_account", "other")


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _amount(printed: str | None) -> Decimal:
    """A printed amount as Decimal: '1,234.50' (万元) or '77000.00元' (forms, 元)."""
    if not printed:
        return Decimal(0)
    return Decimal(printed.replace(",", "").removesuffix("元"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> CorpusSummary:
    return generate_corpus(2, seed=7, out=tmp_path_factory.mktemp("synth-2"))


@pytest.fixture(scope="module")
def extracted(corpus) -> dict[str, ExtractedDocument]:
    catalog = load_catalog(corpus.out)
    return {
        doc.source_file: extract_document(corpus.out / doc.source_file, catalog.get(doc.source_file))
        for doc in corpus.documents
    }


def test_a_corpus_has_every_template_layout_and_year(corpus):
    assert Counter(doc.template for doc in corpus.documents) == {template: 2 for template in TEMPLATES}
    assert set(corpus.by_layout()) == {"tsv_table", "pdf_text", "forms"}
    assert set(corpus.by_year()) == {2023, 2024, 2025, 2026}
    assert len({doc.source_file for doc in corpus.documents}) == len(corpus.documents)
    assert (corpus.out / "catalog.toml").exists()
    # A synthetic corpus never reuses a bundled document's department.
    bundled = {entry.department_name for entry in load_catalog(REPO / "data" / "documents").values()}
    assert not bundled & {doc.department_name for doc in corpus.documents}


@pytest.mark.parametrize("layout", ["tsv_table", "pdf_text", "forms"])
def test_documents_of_each_layout_parse_as_generated(corpus, extracted, layout):
    documents = [doc for doc in corpus.documents if doc.layout == layout]
    assert documents
    for summary in documents:
        doc = extracted[summary.source_file]
        parsed = doc.parsed
        assert parsed.layout == layout
        assert doc.fiscal_year == summary.fiscal_year
        assert doc.department_name == summary.department_name
        assert sum(row.row_kind is RowKind.PROJECT for row in parsed.rows) == summary.projects
        assert len(parsed.indicators) == summary.indicators
        assert len(parsed.lines) == summary.lines
        unparsed = [line for line in parsed.lines if line.use is LineUse.UNPARSED]
        assert unparsed == [], f"{summary.source_file}: lines nobody took: {unparsed[:3]}"


@pytest.mark.parametrize("layout", ["tsv_table", "pdf_text"])
def test_table_subtotals_and_grand_totals_reconcile_exactly(corpus, extracted, layout):
    for summary in (doc for doc in corpus.documents if doc.layout == layout):
        rows = extracted[summary.source_file].parsed.rows
        (grand,) = [row for row in rows if row.row_kind is RowKind.GRAND_TOTAL]
        units = [row for row in rows if row.row_kind is RowKind.UNIT]
        assert len(units) == summary.units
        for column in AMOUNT_COLUMNS:
            assert _amount(getattr(grand, column)) == sum(
                (_amount(getattr(unit, column)) for unit in units), Decimal(0)
            ), (summary.source_file, column)
            for unit in units:
                projects = [r for r in rows if r.row_kind is RowKind.PROJECT and r.unit_name == unit.name]
                assert projects
                assert _amount(getattr(unit, column)) == sum(
                    (_amount(getattr(project, column)) for project in projects), Decimal(0)
                ), (summary.source_file, unit.name, column)
        for row in rows:
            sources = sum((_amount(getattr(row, column)) for column in AMOUNT_COLUMNS[1:]), Decimal(0))
            assert _amount(row.total) == sources, (summary.source_file, row.source_line)
            assert _amount(row.total) > 0


def test_forms_reconcile_with_their_unit_overview(corpus, extracted):
    for summary in (doc for doc in corpus.documents if doc.layout == "forms"):
        doc = extracted[summary.source_file]
        overview = {item.label: item.value for item in doc.parsed.unit_overview}
        projects = doc.parsed.rows
        assert all(row.amount_unit == "元" and row.total == row.annual_amount for row in projects)
        summed_wan = sum((_amount(row.annual_amount) for row in projects), Decimal(0)) / 10000
        assert Decimal(overview["项目支出"]) == summed_wan
        assert Decimal(overview["财政拨款"]) == Decimal(overview["基本支出"]) + Decimal(overview["项目支出"])
        assert all(item.level1 and item.level2 for item in doc.parsed.indicators)


def test_table_quirks_of_the_bundled_documents_are_reproduced(corpus, extracted):
    """Rows that lost an empty column, <p> cells, a year only in the catalog, wrapped PDF rows."""
    city = [extracted[d.source_file] for d in corpus.documents if d.template == "city"]
    assert any(row.shift_resolution for doc in city for row in doc.parsed.rows)
    assert any("<p>" in row.text for doc in city for row in doc.rows)
    district = [extracted[d.source_file] for d in corpus.documents if d.template == "district"]
    assert all(doc.fiscal_year_source.startswith("catalog") for doc in district)
    others = [extracted[d.source_file] for d in corpus.documents if d.template != "district"]
    assert all(doc.fiscal_year_source.startswith("document") for doc in others)
    pdf = [extracted[d.source_file] for d in corpus.documents if d.template == "pdf"]
    assert all(
        row.end_line - row.source_line > 4 for doc in pdf for row in doc.parsed.rows
        if row.row_kind is RowKind.PROJECT
    )


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(corpus, tmp_path):
    again = generate_corpus(2, seed=7, out=tmp_path / "again")
    assert _files(again.out) == _files(corpus.out)
    assert again.documents == corpus.documents
    other = generate_corpus(2, seed=8, out=tmp_path / "other")
    other_files, files = _files(other.out), _files(corpus.out)
    assert other_files.keys() == files.keys()  # names follow the slots, contents the seed
    assert all(other_files[name] != files[name] for name in files)


def test_a_smaller_scale_is_a_prefix_of_a_larger_one(corpus, tmp_path):
    one = generate_corpus(1, seed=7, out=tmp_path / "one")
    larger = _files(corpus.out)
    for name, data in _files(one.out).items():
        if name != "catalog.toml":
            assert larger[name] == data


def test_scale_multiplies_the_corpus(corpus, tmp_path):
    one = generate_corpus(1, seed=7, out=tmp_path / "one")
    assert len(one.documents) == len(TEMPLATES)
    assert 250 <= one.projects <= 450  # the bundled corpus: 354 projects, 1,790 indicators
    assert 1300 <= one.indicators <= 2300
    assert len(corpus.documents) == 2 * len(one.documents)
    assert 1.7 <= corpus.projects / one.projects <= 2.3
    assert 1.7 <= corpus.indicators / one.indicators <= 2.3


def test_regenerating_replaces_the_previous_corpus(tmp_path):
    generate_corpus(2, seed=1, out=tmp_path)
    summary = generate_corpus(1, seed=1, out=tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == sorted(d.source_file for d in summary.documents)


def test_a_scale_1_corpus_loads_through_perfdw_extract(tmp_path):
    summary = generate_corpus(1, seed=3, out=tmp_path / "documents")
    home = tmp_path / "home"
    env = {**os.environ, "PERFDW_HOME": str(home), "PERFDW_DOCUMENTS": str(summary.out)}
    result = subprocess.run(
        [sys.executable, "-m", "perfdw_cli.main", "extract"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with duckdb.connect(str(home / "pipeline.duckdb"), read_only=True) as con:
        documents = con.execute(
            "select source_file, layout, fiscal_year from raw.documents order by 1"
        ).fetchall()
        projects = con.execute("select count(*) from raw.budget_rows where row_kind = 'project'").fetchone()[0]
        indicators = con.execute("select count(*) from raw.indicator_items").fetchone()[0]
        unparsed = con.execute("select count(*) from raw.unparsed_lines").fetchone()[0]
    assert documents == sorted(
        (doc.source_file, LAYOUT_OF[doc.template], doc.fiscal_year) for doc in summary.documents
    )
    assert (projects, indicators, unparsed) == (summary.projects, summary.indicators, 0)


def test_a_folder_of_real_documents_is_refused_and_left_intact(tmp_path):
    shutil.copytree(BUNDLED_DOCUMENTS, tmp_path / "documents")
    before = {p.name: p.read_bytes() for p in (tmp_path / "documents").iterdir()}

    with pytest.raises(ValueError, match="not a synthetic corpus"):
        generate_corpus(1, seed=0, out=tmp_path / "documents")

    assert {p.name: p.read_bytes() for p in (tmp_path / "documents").iterdir()} == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["synth", "--scale", "0", "--out", "x"], "argument --scale: must be at least 1, got 0"),
        (["synth", "--scale", "ten", "--out", "x"], "argument --scale: not a whole number: 'ten'"),
        (["synth", "--out", "{file}"], "is a file, not a folder for the corpus"),
        (["bench", "--repeats", "0"], "argument --repeats: must be at least 1, got 0"),
        (["bench", "--stages", "extract,bogus", "--home", "{home}"], "unknown stages ['bogus']"),
    ],
)
def test_bad_arguments_get_one_line_and_exit_2(argv, message, tmp_path, capsys):
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    argv = [arg.format(file=tmp_path / "file", home=tmp_path / "home") for arg in argv]

    with pytest.raises(SystemExit) as exit_:
        cli_main(argv)

    assert exit_.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith(f"perfdw {argv[0]}: error: ") and message in error
