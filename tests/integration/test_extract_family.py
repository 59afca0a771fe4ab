"""Forms of the 绩效目标表 family through the document API, against blind hand readings.

- the fictional family documents (tests/fixtures/family/, every format) against
  tests/reference/family_reading.json;
- the three real examples in ../shared/examples/ (skipped, saying why, when that folder is
  absent) against tests/reference/examples_reading.json.

The readings were typed from the cells by someone who never ran the extract step. Self-
evaluations are read by their own recognizer and tested with it; here: unit-level tables and
one-project forms.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from extract.document import ExtractedDocument, extract_document
from extract.records import IndicatorItem

ROOT = Path(__file__).resolve().parents[2]
FAMILY = ROOT / "tests" / "fixtures" / "family"
EXAMPLES = ROOT.parent / "shared" / "examples"
FORMATS = ("xlsx", "pdf", "html", "docx")
TEMPLATES = ("unit_target", "project_form")


def _reading(name: str) -> dict:
    return json.loads((ROOT / "tests" / "reference" / name).read_text(encoding="utf-8"))["documents"]


FAMILY_READING = _reading("family_reading.json")
EXAMPLES_READING = _reading("examples_reading.json")


def _flat(text: str | None) -> str | None:
    """Text as the readings give it: line breaks and indentation inside a cell removed."""
    return None if text is None else re.sub(r"\s+", "", text)


def _family_cases() -> list[tuple[str, str]]:
    return [
        (stem, fmt)
        for stem, reading in FAMILY_READING.items()
        if reading["template"] in TEMPLATES
        for fmt in reading["formats"]
    ]


def _example_cases() -> list[str]:
    return [name for name, reading in EXAMPLES_READING.items() if reading["template"] in TEMPLATES]


@pytest.fixture(scope="module")
def extracted() -> dict[Path, ExtractedDocument]:
    return {}


def _extract(cache: dict[Path, ExtractedDocument], path: Path) -> ExtractedDocument:
    if path not in cache:
        cache[path] = extract_document(path, None)
    return cache[path]


def _examples_folder() -> None:
    if not EXAMPLES.is_dir():
        pytest.skip(f"{EXAMPLES} is absent: the shared real examples are not part of this repository")


def _indicators(doc: ExtractedDocument) -> list[IndicatorItem]:
    return doc.parsed.indicators + doc.parsed.unit_indicators


def _check_document(doc: ExtractedDocument, reading: dict) -> None:
    assert doc.parsed.layout == "forms"
    assert doc.parsed.templates == [reading["template"]]
    assert doc.fiscal_year == reading["fiscal_year"]
    assert doc.department_name == reading["department"]
    _check_indicators(doc, reading)
    if reading["template"] == "unit_target":
        _check_unit_target(doc, reading)
    else:
        _check_project_form(doc, reading)


def _check_indicators(doc: ExtractedDocument, reading: dict) -> None:
    items = _indicators(doc)
    assert len(items) == reading["counts"]["indicators"]
    got = [(item.level1, item.level2, _flat(item.indicator_name), item.annual_target) for item in items]
    expected = [
        (ind["level1"], ind["level2"], _flat(ind["name"]), ind["target_printed"]) for ind in reading["indicators"]
    ]
    assert got == expected
    assert [item.item_no for item in items] == list(range(1, len(items) + 1))


def _check_unit_target(doc: ExtractedDocument, reading: dict) -> None:
    parsed = doc.parsed
    assert parsed.rows == [] and parsed.amounts == []
    items = parsed.unit_overview
    tasks = [item for item in items if item.field == "key_task"]
    assert len(tasks) == reading["counts"]["key_tasks"]
    for task, expected in zip(tasks, reading["key_tasks"]):
        assert (_flat(task.label), task.unit) == (_flat(expected["name"]), expected["unit"])
        assert _same_amount(task.value, expected["amount"])
        assert _flat(task.content).startswith(_flat(expected["content_starts"]))
        expected_result = expected.get("expected_result") or expected["expected_result_starts"]
        assert _flat(task.detail).startswith(_flat(expected_result))
    budget = {(_flat(item.label), item.value, item.unit) for item in items if item.field != "key_task"}
    for amount in reading["amounts"]:
        if amount["block"] == "年度重点工作任务":
            assert any(_flat(t.label) == _flat(amount["label"]) and t.value == amount["displayed"] for t in tasks)
        else:
            assert (_flat(amount["label"]), amount["displayed"], amount["unit"]) in budget, amount
    blank = {_flat(item.label) for item in items if item.value is None}
    assert {_flat(cell["label"]) for cell in reading["blank_amount_cells"]} <= blank
    valued = [item for item in items if item.unit is not None and item.value is not None]
    assert len(valued) == reading["counts"]["amount_items"]


def _check_project_form(doc: ExtractedDocument, reading: dict) -> None:
    parsed = doc.parsed
    (row,) = parsed.rows
    assert row.template == "project_form"
    assert _flat(row.name) == _flat(reading["project_name"])
    if reading.get("implementing_unit"):
        assert row.unit_name == reading["implementing_unit"]
    header = {"项目总预算": row.total, "项目当年预算": row.annual_amount}
    block_amounts = [a for a in reading["amounts"] if a["label"] not in header]
    for amount in reading["amounts"]:
        if amount["label"] in header:
            assert header[amount["label"]] == amount["displayed"]
            assert row.amount_unit == amount["unit"]
    got = [(_flat(item.label), item.value, item.amount_unit) for item in parsed.amounts if item.value is not None]
    # A formula the file saved without its result (Wuhan's 支出明细 合计) is computed by the reader.
    assert got == [(_flat(a["label"]), a["displayed"], a["unit"]) for a in block_amounts]
    empty = [_flat(item.label) for item in parsed.amounts if item.value is None]
    assert empty == [_flat(cell["label"]) for cell in reading["blank_amount_cells"]]
    goals = {goal["label"]: goal["text_starts"] for goal in reading.get("goals", [])}
    goals.setdefault(reading.get("goal_text_label"), reading.get("goal_text_starts"))
    texts = {"项目总目标": row.cycle_goal_text}
    for label, starts in goals.items():
        if label and starts:
            assert _flat(texts.get(label, row.goal_text)).startswith(_flat(starts)), label


def _same_amount(printed: str | None, value: str) -> bool:
    """A displayed amount (2,150.80) and the reading's exact value (2150.80) agree as decimals."""
    return printed is not None and Decimal(printed.replace(",", "")) == Decimal(value)


def _check_sums(doc: ExtractedDocument) -> None:
    """Each block's total against its top-level items, as printed (figures with thousands
    separators): the template's check sum, which the readings say holds."""
    by_block: dict[str, list] = {}
    for item in doc.parsed.amounts:
        by_block.setdefault(item.block, []).append(item)
    for block, items in by_block.items():
        totals = [item for item in items if item.is_total and item.value]
        parts = [item for item in items if not item.is_total and item.parent_item_no is None and item.value]
        for total in totals:
            assert Decimal(total.value.replace(",", "")) == sum(Decimal(p.value.replace(",", "")) for p in parts), block


@pytest.mark.parametrize(("stem", "fmt"), _family_cases())
def test_family_document_in_every_format(stem: str, fmt: str, extracted) -> None:
    doc = _extract(extracted, FAMILY / f"{stem}.{fmt}")
    _check_document(doc, FAMILY_READING[stem])
    _check_sums(doc)


@pytest.mark.parametrize("name", _example_cases())
def test_shared_example(name: str, extracted) -> None:
    _examples_folder()
    doc = _extract(extracted, EXAMPLES / name)
    _check_document(doc, EXAMPLES_READING[name])
    _check_sums(doc)


def test_application_form_parts_and_totals(extracted) -> None:
    _examples_folder()
    doc = _extract(extracted, EXAMPLES / "2020-wuhan-donghu-hrss-project-application.xlsx")
    items: dict[tuple[str, str], object] = {}
    for item in doc.parsed.amounts:
        items.setdefault((item.block_field, item.label), item)  # a label's first row
    fiscal = items[("funding_sources", "1.一般公共预算财政拨款收入")]
    part = items[("funding_sources", "其中：申请当年预算拨款")]
    assert part.parent_item_no == fiscal.item_no and fiscal.field == "fiscal"
    # The unlabelled second line of a 其中 list is a part too.
    carry = items[("funding_sources", "9.上年结转")]
    assert items[("funding_sources", "使用上年度政府性基金预算财政拨款结余结转")].parent_item_no == carry.item_no
    assert items[("funding_sources", "合计")].is_total and items[("spending_details", "合计")].is_total
    assert {item.amount_unit for item in doc.parsed.amounts} == {"万元"}
    assert {item.measure for item in doc.parsed.amounts} == {"amount"}
    # Every row of the sheet has one disposition; the narrative rows the vocabulary does not
    # know are recorded as unparsed with their reason, not dropped.
    assert len(doc.parsed.lines) == doc.line_count


def test_forms_land_in_the_raw_contract(tmp_path) -> None:
    """perfdw extract on a folder of forms with no catalog: department and year from the
    documents, templates recorded, amount blocks in raw.project_amount_items with the cell
    each value sits in."""
    from tests.integration.test_extract_corpus import query, run_extract

    documents, home = tmp_path / "docs", tmp_path / "home"
    documents.mkdir()
    for stem in ("2025-songlan-wangchuan-project-form", "2026-songlan-veterans-unit-overall"):
        (documents / f"{stem}.xlsx").write_bytes((FAMILY / f"{stem}.xlsx").read_bytes())
    result = run_extract(home, documents)
    assert result.returncode == 0, result.stderr
    assert query(home, "select source_file, templates, department_name, fiscal_year, amount_unit from raw.documents order by 1") == [
        ("2025-songlan-wangchuan-project-form.xlsx", "project_form", "松岚市望川区人力资源和社会保障局", 2025, "元"),
        ("2026-songlan-veterans-unit-overall.xlsx", "unit_target", "松岚市退役军人事务局", 2026, "万元"),
    ]
    assert query(home, "select template, name, total from raw.budget_rows") == [
        ("project_form", "望川区公共实训基地改造提升项目", "3,401,450.75")
    ]
    assert query(
        home,
        "select item_no, source_location, block, block_field, label, field, measure, value, amount_unit, "
        "parent_item_no, is_total from raw.project_amount_items order by item_no",
    ) == [
        (1, "填报表!D5", "项目资金（元）", "funding_sources", "年度资金总额", "total", "amount", "3,401,450.75", "元", None, True),
        (2, "填报表!D6", "项目资金（元）", "funding_sources", "其中：财政拨款", "fiscal", "amount", "3,186,450.75", "元", None, False),
        (3, "填报表!D7", "项目资金（元）", "funding_sources", "其他资金", "other", "amount", "215,000.00", "元", None, False),
    ]
    tasks = query(
        home,
        "select label, value, unit, content, source_location from raw.unit_overview_items "
        "where field = 'key_task' order by item_no",
    )
    assert [(label, value, unit, location) for label, value, unit, _, location in tasks] == [
        ("退役军人就业创业扶持", "620.00", "万元", "Sheet1!A9"),
        ("优抚对象抚恤补助发放", "2,150.80", "万元", "Sheet1!A10"),
        ("光荣院运转保障", "309.95", "万元", "Sheet1!A11"),
    ]
    assert tasks[0][3].startswith("举办退役军人专场招聘会")
    # Every row of both sheets has its one disposition.
    assert query(home, "select source_file, count(*) from raw.document_lines group by 1 order by 1") == [
        ("2025-songlan-wangchuan-project-form.xlsx", 23),
        ("2026-songlan-veterans-unit-overall.xlsx", 22),
    ]
