"""Self-evaluations (项目支出绩效自评表) against the blind hand readings.

The fictional Ministry-of-Finance-style form (tests/fixtures/family/, in each of its formats) is
checked against tests/reference/family_reading.json; the real Chongqing Yuzhong form in
../shared/examples/ against tests/reference/examples_reading.json (skipped, saying why, where that
folder is absent). Every expected value comes from those readings, typed by hand from the cells.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from extract.document import ExtractedDocument, extract_document
from extract.layouts import detect_layout, self_evaluation
from extract.readers import read_document
from extract.cells import Row, document_rows
from extract.records import ExtractError, LineUse, ProjectAmountItem, RowKind

TESTS = Path(__file__).resolve().parents[1]
FAMILY = TESTS / "fixtures" / "family"
REFERENCE = TESTS / "reference"
EXAMPLES = TESTS.parent.parent / "shared" / "examples"
MOF = "2024-songlan-wangchuan-self-evaluation"
YUZHONG = "2021-chongqing-yuzhong-hrss-self-evaluation.xlsx"
MOF_PROJECT = "望川区退役军人创业孵化补助"  # its 项目名称, as the family reading gives it
FORMATS = ("xlsx", "pdf", "html", "docx")
# The execution columns as the readings name them, and the measure each is.
MEASURES = {"年初预算数": "initial_budget", "全年预算数": "annual_budget", "全年执行数": "executed"}


def reading(file: str, document: str) -> dict[str, Any]:
    return json.loads((REFERENCE / file).read_text(encoding="utf-8"))["documents"][document]


def extracted(path: Path) -> ExtractedDocument:
    return extract_document(path, None)


def rows_of(path: Path) -> list[Row]:
    return document_rows(read_document(path, path.read_bytes()))


def execution(items: list[ProjectAmountItem], label: str, measure: str) -> ProjectAmountItem:
    (item,) = [item for item in items if item.label == label and item.measure == measure]
    return item


def uses(document: ExtractedDocument) -> dict[int, tuple[LineUse, str]]:
    return {line.line_no: (line.use, line.reason) for line in document.parsed.lines}


@pytest.fixture(scope="module", params=FORMATS)
def mof(request: pytest.FixtureRequest) -> ExtractedDocument:
    return extracted(FAMILY / f"{MOF}.{request.param}")


@pytest.fixture(scope="module")
def mof_reading() -> dict[str, Any]:
    return reading("family_reading.json", MOF)


def test_mof_form_is_one_self_evaluation_project(mof, mof_reading):
    parsed = mof.parsed
    assert (parsed.layout, parsed.templates) == ("self_evaluation", ["self_evaluation"])
    assert (mof.fiscal_year, mof.department_name) == (mof_reading["fiscal_year"], mof_reading["department"])
    (project,) = parsed.rows
    assert project.row_kind is RowKind.PROJECT and project.template == "self_evaluation"
    assert (project.name, project.unit_name, project.managing_department) == (
        mof_reading["project_name"], mof_reading["implementing_unit"], mof_reading["department"]
    )
    # The amounts of a self-evaluation are execution figures: none in budget_rows' columns.
    assert (project.total, project.fiscal, project.special_account, project.other) == (None,) * 4
    expected_goal = next(goal for goal in mof_reading["goals"] if goal["label"] == "预期目标")
    assert project.goal_text.startswith(expected_goal["text_starts"])
    assert parsed.amount_unit == "万元"


def test_mof_indicators_carry_target_result_weight_score_and_reason(mof, mof_reading):
    indicators = mof.parsed.indicators
    assert len(indicators) == mof_reading["counts"]["indicators"]
    for item, expected in zip(indicators, mof_reading["indicators"]):
        assert item.item_no == expected["seq"]
        assert (item.level1, item.level2, item.indicator_name) == (
            expected["level1"], expected["level2"], expected["name"]
        )
        assert item.annual_target == expected["target_printed"]
        assert item.achieved == expected["achieved_printed"]
        assert item.weight == expected["weight"]
        assert item.score == expected["score_printed"]
        assert item.deviation_reason == expected["deviation_reason"]
        assert item.project_source_line == mof.parsed.rows[0].source_line
    weights = sum(Decimal(item.weight) for item in indicators)
    assert weights + Decimal(mof_reading["budget_execution"]["weight"]) == Decimal(mof_reading["weight_sum"])


def test_mof_execution_block_lands_every_row_and_measure(mof, mof_reading):
    items = mof.parsed.amounts
    assert {item.block_field for item in items} == {"execution"}
    money = [item for item in items if item.measure in MEASURES.values()]
    assert len(money) == mof_reading["counts"]["amount_items"]
    for expected in mof_reading["amounts"]:
        item = execution(items, expected["label"], MEASURES[expected["column"]])
        assert (item.value, item.amount_unit) == (expected["displayed"], expected["unit"])
    for expected in mof_reading["execution_rates"]:
        rate = execution(items, expected["label"], "execution_rate")
        assert (rate.value, rate.amount_unit) == (expected["displayed"], None)
    total = mof_reading["amounts"][0]["label"]
    assert execution(items, total, "weight").value == mof_reading["budget_execution"]["weight"]
    assert execution(items, total, "score").value == mof_reading["budget_execution"]["score_displayed"]
    assert all(item.is_total == (item.label == total) for item in items)
    assert [item.item_no for item in items] == list(range(1, len(items) + 1))


def test_mof_every_row_is_accounted_for(mof, mof_reading):
    lines = uses(mof)
    assert not [line for line, (use, _) in lines.items() if use is LineUse.UNPARSED]
    indicator_lines = [line for line, (use, _) in lines.items() if use is LineUse.INDICATOR]
    assert len(indicator_lines) == mof_reading["counts"]["indicators"]
    total_row = mof_reading["total_row"]
    (reason,) = [reason for use, reason in lines.values() if reason.startswith(total_row["label"])]
    assert total_row["weight_displayed"] in reason and total_row["score_displayed"] in reason


def test_a_deviation_note_for_all_reaches_the_indicators_without_a_reason_of_their_own():
    rows = rows_of(FAMILY / f"{MOF}.xlsx")
    note = "资格审核从严，个别指标未达预期。"
    rows.append(Row(len(rows) + 1, f"说明\t{note}", "自评表!A23", positioned=True))
    parsed = self_evaluation.parse(rows, {})
    reasons = [item.deviation_reason for item in parsed.indicators]
    printed = reading("family_reading.json", MOF)["indicators"][1]["deviation_reason"]
    assert reasons[1] == printed
    assert reasons[:1] + reasons[2:] == [note] * (len(reasons) - 1)
    assert parsed.lines[-1].use is LineUse.INDICATOR


def test_the_form_is_recognized_by_its_vocabulary_not_its_file():
    rows = rows_of(FAMILY / f"{MOF}.html")
    assert detect_layout(rows) is self_evaluation
    # Without a result column the indicator grid is a target table's, not a self-evaluation's.
    without_result = [row._replace(text=row.text.replace("实际完成值", "备用")) for row in rows]
    assert not self_evaluation.detect(without_result)
    without_title = [row._replace(text=row.text.replace("自评表", "目标表")) for row in rows]
    assert not self_evaluation.detect(without_title)


@pytest.mark.parametrize(
    "name", ["2024-wuchuan-hrss.txt", "2023-guangzhou-tianhe-hrss.txt", "2024-guangzhou-huadu-hrss.txt"]
)
def test_bundled_target_tables_are_no_self_evaluation(name, documents_dir):
    assert not self_evaluation.detect(rows_of(documents_dir / name))


@pytest.fixture(scope="module")
def yuzhong() -> ExtractedDocument:
    path = EXAMPLES / YUZHONG
    if not path.exists():
        pytest.skip(f"{EXAMPLES} is absent: the real self-evaluation example is not bundled")
    return extracted(path)


@pytest.fixture(scope="module")
def yuzhong_reading() -> dict[str, Any]:
    return reading("examples_reading.json", YUZHONG)


def test_yuzhong_project_and_execution(yuzhong, yuzhong_reading):
    parsed = yuzhong.parsed
    assert parsed.templates == ["self_evaluation"]
    assert (yuzhong.fiscal_year, yuzhong.department_name) == (
        yuzhong_reading["fiscal_year"], yuzhong_reading["department"]
    )
    (project,) = parsed.rows
    assert (project.name, project.unit_name) == (yuzhong_reading["project_name"], yuzhong_reading["implementing_unit"])
    expected_goal = next(goal for goal in yuzhong_reading["goals"] if goal["label"] == "全年绩效目标")
    assert project.goal_text.startswith(expected_goal["text_starts"])
    assert (project.total, project.fiscal, project.special_account, project.other) == (None,) * 4
    # One line of figures under the block's header: the project's whole budget, one item a column.
    assert len(parsed.amounts) == yuzhong_reading["counts"]["amount_items"]
    for expected in yuzhong_reading["amounts"]:
        measure = next(field for label, field in MEASURES.items() if expected["label"].startswith(label))
        (item,) = [item for item in parsed.amounts if item.measure == measure]
        assert (item.value, item.amount_unit, item.field, item.is_total) == (
            expected["displayed"], expected["unit"], "total", False
        )


def test_yuzhong_indicators_as_the_blind_reading(yuzhong, yuzhong_reading):
    indicators = yuzhong.parsed.indicators
    assert len(indicators) == yuzhong_reading["counts"]["indicators"]
    for item, expected in zip(indicators, yuzhong_reading["indicators"]):
        assert (item.level1, item.level2, item.indicator_name) == (
            expected["level1"], expected["level2"], expected["name"]
        )
        assert (item.annual_target, item.achieved) == (expected["target_printed"], expected["achieved_printed"])
        assert (item.comparator, item.measure_unit, item.weight) == (
            expected["nature"], expected["measure_unit"], expected["weight"]
        )
        assert item.remark.startswith(expected["evaluation_standard_starts"])
        # No 得分 column, and the 说明 row holds only the form's instruction.
        assert (item.score, item.deviation_reason) == (None, None)
    assert sum(Decimal(item.weight) for item in indicators) == Decimal(yuzhong_reading["weight_sum"])


def test_yuzhong_closing_rows_are_disposed_of_with_their_reason(yuzhong, yuzhong_reading):
    lines = uses(yuzhong)
    assert not [line for line, (use, _) in lines.items() if use is LineUse.UNPARSED]
    total_line = int(yuzhong_reading["total_row"]["cell"][1:])
    note_line = int(yuzhong_reading["deviation_note"]["cell"][1:])
    assert lines[total_line][0] is LineUse.FURNITURE and "left empty" in lines[total_line][1]
    assert lines[note_line][0] is LineUse.FURNITURE and "instruction" in lines[note_line][1]


def _two_forms(second_project: str, changed: tuple[str, str] | None = None) -> list[Row]:
    """The MoF form twice in one document, the second for another project (and, if given, with
    one more text changed)."""
    first = rows_of(FAMILY / f"{MOF}.docx")
    second = []
    for row in first:
        text = row.text.replace(MOF_PROJECT, second_project)
        if changed:
            text = text.replace(*changed)
        second.append(Row(len(first) + row.number, text, row.location, True))
    return first + second


def test_each_form_of_a_document_is_a_project_of_its_own(mof_reading):
    rows = _two_forms("望川区退役军人就业培训补助")
    parsed = self_evaluation.parse(rows, {})
    assert [row.name for row in parsed.rows] == [mof_reading["project_name"], "望川区退役军人就业培训补助"]
    count = mof_reading["counts"]["indicators"]
    assert [item.item_no for item in parsed.indicators] == [*range(1, count + 1)] * 2
    second_line = parsed.rows[1].source_line
    assert second_line > len(rows) // 2
    assert [item.project_source_line for item in parsed.indicators[count:]] == [second_line] * count
    assert len([item for item in parsed.amounts if item.project_source_line == second_line]) == len(parsed.amounts) // 2
    assert not [line for line in parsed.lines if line.use is LineUse.UNPARSED]


def test_forms_of_two_departments_in_one_file_are_refused_with_the_row():
    rows = _two_forms("另一个项目", ("松岚市望川区退役军人事务局", "松岚市望川区财政局"))
    with pytest.raises(ExtractError) as caught:
        self_evaluation.parse(rows, {})
    assert "department" in caught.value.message and caught.value.line_no > len(rows) // 2


def test_a_project_row_with_a_cell_no_label_explains_keeps_its_labels_and_names_the_cell(mof_reading):
    rows = rows_of(FAMILY / f"{MOF}.xlsx")
    name_row = next(row for row in rows if MOF_PROJECT in row.text)
    rows[name_row.number - 1] = name_row._replace(text=f"{name_row.text}\t\t项目星级\t★★★")
    parsed = self_evaluation.parse(rows, {})
    assert parsed.rows[0].name == mof_reading["project_name"]
    (line,) = [line for line in parsed.lines if line.line_no == name_row.number]
    assert line.use is LineUse.UNPARSED and "项目星级" in line.reason and "★★★" in line.reason


def test_a_goal_printed_beside_its_label_is_the_project_goal(mof_reading):
    rows = rows_of(FAMILY / f"{MOF}.xlsx")
    header = next(row for row in rows if row.text.startswith("年度总体目标"))
    below = rows[header.number]
    goal = next(goal for goal in mof_reading["goals"] if goal["label"] == "预期目标")["text_starts"]
    rows[header.number - 1] = header._replace(text=f"年度绩效目标\t{goal}")
    rows[header.number] = below._replace(text="")
    parsed = self_evaluation.parse(rows, {})
    assert parsed.rows[0].goal_text == goal
    assert parsed.lines[header.number - 1].use is LineUse.BUDGET_ROW
