"""The whole pipeline on documents of the wider family, as published (PDF): a project form in 元,
a unit-level table that disagrees with itself, a self-evaluation. What lands is checked against
the blind reading (tests/reference/family_reading.json), not against the code's own output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
FAMILY = REPO / "tests" / "fixtures" / "family"
READING = json.loads((REPO / "tests" / "reference" / "family_reading.json").read_text(encoding="utf-8"))
DOCUMENTS = READING["documents"]


@pytest.fixture(scope="module")
def family_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    documents = tmp_path_factory.mktemp("family-documents")
    for stem in DOCUMENTS:
        shutil.copy(FAMILY / f"{stem}.pdf", documents)
    home = tmp_path_factory.mktemp("family-home")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("perfdw")), "run", "--home", str(home), "--documents", str(documents)],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )
    return result, home


def _rows(home: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(home / "pipeline.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_document_that_disagrees_with_itself_stops_the_publication_naming_file_line_and_gap(family_run):
    result, home = family_run
    assert result.returncode != 0
    # the unit-level table prints 年度资金总额 4,567.30 over sources that add up to 4,567.20
    assert "2026-songlan-veterans-unit-overall.pdf line 3" in result.stdout
    assert "unit_income_sources: printed 4,567.30, summed 4,567.20, difference +0.10 万元" in result.stdout
    # readers never see a warehouse that failed validation
    assert not (home / "perfdw.duckdb").exists()


def test_every_template_lands_with_the_counts_of_the_blind_reading(family_run):
    _, home = family_run
    templates = dict(_rows(home, "select replace(source_file, '.pdf', ''), templates from raw.documents"))
    assert templates == {stem: doc["template"] for stem, doc in DOCUMENTS.items()}
    indicators = Counter()
    for stem, count in _rows(home, "select replace(source_file, '.pdf', ''), count(*) from marts.fct_performance_indicator group by 1"):
        indicators[stem] = count
    for stem, count in _rows(home, "select replace(source_file, '.pdf', ''), count(*) from marts.fct_indicator_result group by 1"):
        indicators[stem] += count
    assert indicators == {stem: doc["counts"]["indicators"] for stem, doc in DOCUMENTS.items()}
    key_tasks = dict(_rows(home, "select replace(source_file, '.pdf', ''), count(*) from marts.fct_key_task group by 1"))
    assert key_tasks == {stem: doc["counts"]["key_tasks"] for stem, doc in DOCUMENTS.items() if doc["counts"]["key_tasks"]}


def test_a_self_evaluation_s_verdicts_are_the_blind_reading_s(family_run):
    _, home = family_run
    stem, doc = next((s, d) for s, d in DOCUMENTS.items() if d["template"] == "self_evaluation")
    verdicts = dict(_rows(home, f"select result_status, count(*) from marts.fct_indicator_result "
                                f"where source_file = '{stem}.pdf' group by 1"))
    assert verdicts == doc["counts"]["verdicts"]


def test_an_amount_printed_in_yuan_keeps_every_fen_in_wan(family_run):
    _, home = family_run
    stem, doc = next((s, d) for s, d in DOCUMENTS.items() if d["template"] == "project_form")
    in_yuan = [Decimal(a["value_wan"]) for a in doc["amounts"] if a.get("unit") == "元"]
    [(total,)] = _rows(home, f"select total_wan from marts.fct_project_budget where source_file = '{stem}.pdf'")
    assert total == max(in_yuan)
    assert total != total.quantize(Decimal("0.01"))  # the fen survive: not rounded to 2 places in 万元
