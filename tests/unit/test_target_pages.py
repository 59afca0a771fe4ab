"""Which pages of a PDF (sheets of a workbook) hold the target table, and which are other tables.

The target pages are the Tianhe PDF's own (tests/fixtures/published); the other pages are made
here as a departmental budget PDF prints them: narrative before, a 收支总表 after.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from extract.cells import CellDocument, Page, Row
from extract.targets import target_rows
from extract.layouts import tsv_table
from extract.readers import read_document
from extract.records import ExtractError
from tests.conftest import REPO

PUBLISHED = REPO / "tests" / "fixtures" / "published"


def page_of(number: int, texts: list[str]) -> Page:
    return Page(number, f"page {number}", [Row(0, text, f"page {number}", positioned=True) for text in texts], [])


def numbered(pages: list[Page]) -> CellDocument:
    """Pages renumbered and their rows numbered across the document, as a reader does."""
    out, count = [], 0
    for number, page in enumerate(pages, start=1):
        rows = []
        for row in page.rows:
            count += 1
            rows.append(row._replace(number=count, location=f"page {number}"))
        out.append(replace(page, number=number, name=f"page {number}", rows=rows))
    return CellDocument("pdf", out, "pdf")


@pytest.fixture(scope="module")
def tianhe() -> CellDocument:
    path = PUBLISHED / "2023-guangzhou-tianhe-hrss.pdf"
    return read_document(path, path.read_bytes())


def test_pages_of_other_tables_around_the_target_table_are_recorded_and_skipped(tianhe):
    narrative = page_of(0, ["一、部门主要职责", "（一）贯彻执行国家劳动和社会保障的方针政策"])
    income = page_of(0, ["收支总表", "单位：万元", "收入\t预算数\t支出\t预算数", "一、一般公共预算拨款收入\t100.00\t一、社会保障和就业支出\t100.00"])
    document = numbered([narrative, *tianhe.pages, income])
    rows = [row for page in document.pages for row in page.rows]

    kept, others = target_rows(document, rows)

    first_target = len(narrative.rows) + 1
    last_target = first_target + sum(len(page.rows) for page in tianhe.pages) - 1
    assert set(others) == set(range(1, first_target)) | set(range(last_target + 1, len(rows) + 1))
    assert others[1] == "page 1: not a target table (first text '一、部门主要职责')"
    assert "收支总表" in others[len(rows)]
    assert all(not kept[n - 1].text for n in others)
    # The target table parses as it does alone: the blanked pages are blank rows to the layout.
    alone = tsv_table.parse([row._replace(number=n) for n, row in enumerate((r for p in tianhe.pages for r in p.rows), 1)], {})
    parsed = tsv_table.parse(kept, {})
    assert [(row.name, row.total) for row in parsed.rows] == [(row.name, row.total) for row in alone.rows]


def test_a_pdf_without_a_target_table_names_its_pages():
    document = numbered([page_of(0, ["收支总表", "收入\t预算数"]), page_of(0, ["说明"])])
    with pytest.raises(ExtractError, match=r"no target table .* in any page: page 1, page 2"):
        target_rows(document, [row for page in document.pages for row in page.rows])
