"""The extract step over the whole bundled corpus, through the real command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from perfdw.settings import reconciliation_tolerance_wan
from tests.conftest import DOCUMENTS, REPO

PERFDW = [sys.executable, "-m", "perfdw_cli.main"]

EXPECTED_PROJECTS = {
    "2023-guangzhou-tianhe-hrss.txt": 27,
    "2024-guangzhou-huadu-hrss.txt": 47,
    "2025-guangzhou-panyu-hrss.txt": 23,
    "2024-wuchuan-hrss.txt": 13,
    "2026-guangzhou-hrss.txt": 244,
}


def run_extract(home: Path, documents: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PERFDW_HOME": str(home), "PERFDW_DOCUMENTS": str(documents)}
    return subprocess.run(
        [*PERFDW, "extract", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


def query(home: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(home / "pipeline.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("warehouse")
    result = run_extract(home, DOCUMENTS)
    assert result.returncode == 0, result.stderr
    return home


def test_every_document_lands_with_the_hand_counted_rows(corpus):
    projects = dict(
        query(corpus, "select source_file, count(*) from raw.budget_rows where row_kind = 'project' group by 1")
    )
    assert projects == EXPECTED_PROJECTS
    units = query(
        corpus,
        "select count(*) from (select distinct source_file, unit_name from raw.budget_rows "
        "where row_kind <> 'grand_total')",
    )
    assert units == [(25,)]
    assert query(corpus, "select count(*) from raw.indicator_items") == [(1790,)]
    assert query(corpus, "select count(*) from raw.unit_indicator_items") == [(6,)]


def test_documents_carry_year_department_layout_and_lineage(corpus):
    rows = query(
        corpus,
        "select source_file, fiscal_year, layout, amount_unit, department_name from raw.documents order by 1",
    )
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("2023-guangzhou-tianhe-hrss.txt", 2023, "tsv_table", "万元"),
        ("2024-guangzhou-huadu-hrss.txt", 2024, "pdf_text", "万元"),
        ("2024-wuchuan-hrss.txt", 2024, "forms", "元"),
        ("2025-guangzhou-panyu-hrss.txt", 2025, "tsv_table", "万元"),
        ("2026-guangzhou-hrss.txt", 2026, "tsv_table", "万元"),
    ]
    assert all("人力资源和社会保障局" in r[4] for r in rows)


def test_every_line_of_every_document_is_accounted_for(corpus):
    for path in sorted(DOCUMENTS.glob("*.txt")):
        line_count = len(path.read_bytes().decode("utf-8").split("\n"))
        if path.read_bytes().endswith(b"\n"):
            line_count -= 1
        lines = query(
            corpus,
            "select min(line_no), max(line_no), count(*), count(distinct line_no) "
            "from raw.document_lines where source_file = ?",
            [path.name],
        )
        assert lines == [(1, line_count, line_count, line_count)], path.name
    # A landed line is inside the span of a row it landed in; an unparsed one is in unparsed_lines.
    orphans = query(
        corpus,
        """
        select l.source_file, l.line_no from raw.document_lines l
        where l.line_use = 'budget_row' and not exists (
            select 1 from raw.budget_rows b where b.document_id = l.document_id
            and l.line_no between b.source_line and b.end_line)
        union all
        select l.source_file, l.line_no from raw.document_lines l
        where l.line_use = 'unparsed' and not exists (
            select 1 from raw.unparsed_lines u where u.document_id = l.document_id and u.line_no = l.line_no)
        union all
        select l.source_file, l.line_no from raw.document_lines l
        where l.line_use in ('furniture', 'unparsed') and coalesce(l.reason, '') = ''
        """,
    )
    assert orphans == []


def amount(text: str | None) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


def test_amounts_are_exactly_as_printed(corpus):
    # 2026-guangzhou-hrss.txt line 10 (合计) and line 22 (a project wrapped in <p>…</p>).
    assert query(
        corpus,
        "select total, fiscal, special_account, other from raw.budget_rows "
        "where source_file = '2026-guangzhou-hrss.txt' and source_line in (10, 22) order by source_line",
    ) == [("1,408,104.19", "1,391,587.21", "4,495.20", "12,021.79"), ("12,321.05", "12,321.05", None, None)]


def test_unit_subtotals_reconcile_except_where_the_document_disagrees(corpus):
    """Each unit's projects against its printed subtotal, and the subtotals against 合计."""
    rows = query(
        corpus,
        "select source_file, row_kind, unit_name, total, fiscal, special_account, other, source_line "
        "from raw.budget_rows where amount_unit = '万元' order by source_file, row_no",
    )
    columns = ("total", "fiscal", "special_account", "other")
    printed: dict[tuple, list[Decimal]] = {}
    summed: dict[tuple, list[Decimal]] = {}
    for source_file, kind, unit, *amounts, line in rows:
        values = [amount(a) for a in amounts]
        if kind == "unit":
            printed[(source_file, unit)] = values
        elif kind == "grand_total":
            printed[(source_file, None)] = values
        else:
            summed.setdefault((source_file, unit), [Decimal(0)] * 4)
            summed[(source_file, unit)] = [s + v for s, v in zip(summed[(source_file, unit)], values)]
    for (source_file, unit), values in list(printed.items()):
        if unit is not None:
            key = (source_file, None)
            summed.setdefault(key, [Decimal(0)] * 4)
            summed[key] = [s + v for s, v in zip(summed[key], values)]
    # Printed to 0.01 each; a unit's sum of rounded projects may drift by a few hundredths.
    tolerance = reconciliation_tolerance_wan()
    discrepancies = {
        (source_file, unit, column, printed[(source_file, unit)][i] - summed[(source_file, unit)][i])
        for (source_file, unit) in printed
        for i, column in enumerate(columns)
        if abs(printed[(source_file, unit)][i] - summed[(source_file, unit)][i]) > tolerance
    }
    assert discrepancies == KNOWN_DISCREPANCIES


# Where the document itself disagrees (docs/data-quality.md): printed minus summed, per column.
KNOWN_DISCREPANCIES = {
    ("2026-guangzhou-hrss.txt", "广州市人力资源和社会保障局", "total", Decimal("98.02")),
    ("2026-guangzhou-hrss.txt", "广州市人力资源和社会保障局", "fiscal", Decimal("98.02")),
    ("2026-guangzhou-hrss.txt", "广州市工贸技师学院", "fiscal", Decimal("-737.45")),
    ("2026-guangzhou-hrss.txt", "广州市工贸技师学院", "special_account", Decimal("737.46")),
}


def test_re_extracting_is_idempotent_and_a_changed_document_replaces_its_rows(corpus, tmp_path):
    home, documents = tmp_path / "home", tmp_path / "docs"
    shutil.copytree(DOCUMENTS, documents)
    assert run_extract(home, documents).returncode == 0
    before = query(home, "select count(*), sum(source_line) from raw.budget_rows")
    again = run_extract(home, documents)
    assert again.returncode == 0 and again.stdout.count("unchanged") == 5
    assert query(home, "select count(*), sum(source_line) from raw.budget_rows") == before

    panyu = documents / "2025-guangzhou-panyu-hrss.txt"
    old_sha = query(home, "select sha256 from raw.documents where source_file = ?", [panyu.name])
    text = panyu.read_text(encoding="utf-8")
    panyu.write_text(text.replace("购置经费\t38.44\t38.44", "购置经费\t38.45\t38.45"), encoding="utf-8")
    assert run_extract(home, documents).returncode == 0
    assert query(home, "select count(*) from raw.documents where source_file = ?", [panyu.name]) == [(1,)]
    assert query(home, "select sha256 from raw.documents where source_file = ?", [panyu.name]) != old_sha
    assert query(
        home, "select total from raw.budget_rows where source_file = ? and name = '购置经费'", [panyu.name]
    ) == [("38.45",)]
    assert query(home, "select count(*) from raw.budget_rows") == [(before[0][0],)]


def test_extracting_one_year_touches_no_other_year(corpus, tmp_path):
    home, documents = tmp_path / "home", tmp_path / "docs"
    shutil.copytree(DOCUMENTS, documents)
    assert run_extract(home, documents).returncode == 0
    others = "select extracted_at, source_file from raw.documents where fiscal_year <> 2024 order by 2"
    before = query(home, others)
    (documents / "2024-wuchuan-hrss.txt").unlink()
    result = run_extract(home, documents, "--year", "2024")
    assert result.returncode == 0, result.stderr
    assert query(home, others) == before
    assert query(home, "select source_file from raw.documents where fiscal_year = 2024") == [
        ("2024-guangzhou-huadu-hrss.txt",)
    ]
    assert query(home, "select count(*) from raw.budget_rows where source_file = '2024-wuchuan-hrss.txt'") == [(0,)]
