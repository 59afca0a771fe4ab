"""The PDF-text layout parser, on the Huadu document (2024-guangzhou-huadu-hrss.txt) and excerpts.

Expected values were read off the document by hand; line numbers are the document's own.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import pytest

from extract.layouts import pdf_text
from extract.readers.text import rows_from_lines
from extract.records import BudgetRow, ExtractError, LineUse, RowKind
from perfdw.settings import reconciliation_tolerance_wan
from tests.conftest import document_lines

HUADU = "2024-guangzhou-huadu-hrss.txt"
HINTS = {"single_source_column": "fiscal"}
UNIT = "广州市花都区人力资源和社会保障局（本级）"
FIRST_PAGE_TOP = 20  # title, department, header, 合计 (line 11) and the unit row (lines 13-19)


@cache
def huadu() -> tuple[str, ...]:
    return tuple(document_lines(HUADU))


def excerpt(first: int, last: int) -> list[str]:
    """The first page's top, then lines first..last kept at their own line numbers (the lines
    between are left blank), so every line number asserted below is the document's."""
    lines = huadu()
    return [*lines[:FIRST_PAGE_TOP], *[""] * (first - FIRST_PAGE_TOP - 1), *lines[first - 1 : last]]


def projects(lines: list[str], hints: dict[str, str] = HINTS) -> list[BudgetRow]:
    return [row for row in pdf_text.parse(rows_from_lines(lines), hints).rows if row.row_kind is RowKind.PROJECT]


def amount(text: str | None) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (HUADU, True),
        ("2023-guangzhou-tianhe-hrss.txt", False),
        ("2025-guangzhou-panyu-hrss.txt", False),
        ("2026-guangzhou-hrss.txt", False),
        ("2024-wuchuan-hrss.txt", False),
    ],
)
def test_detect_recognises_only_the_pdf_text_document(name, expected):
    assert pdf_text.detect(rows_from_lines(document_lines(name))) is expected


def test_whole_document_rows_reconcile_with_the_printed_totals():
    lines = list(huadu())
    parsed = pdf_text.parse(rows_from_lines(lines), HINTS)
    kinds = [row.row_kind for row in parsed.rows]
    assert kinds == [RowKind.GRAND_TOTAL, RowKind.UNIT] + [RowKind.PROJECT] * 47
    grand, unit, *rest = parsed.rows
    assert (grand.source_line, grand.name, grand.total, grand.fiscal, grand.unit_name) == (
        11, "合计", "15,765.62", "15,765.62", None,
    )
    assert (unit.source_line, unit.end_line, unit.name, unit.unit_name) == (13, 19, UNIT, UNIT)
    assert unit.goal_text is None and unit.indicator_text is None
    assert {row.unit_name for row in rest} == {UNIT}
    # Every project is funded by 财政拨款 alone in the published PDF (the catalog hint).
    assert all(row.total == row.fiscal and row.special_account is None and row.other is None for row in rest)
    for column in ("total", "fiscal"):
        summed = sum(amount(getattr(row, column)) for row in rest)
        assert abs(summed - amount(getattr(unit, column))) <= reconciliation_tolerance_wan()
        assert abs(summed - Decimal("15765.62")) <= reconciliation_tolerance_wan()
    item_starts = sum(len(re.findall(r"(?:^|。)\d+、\d-", row.indicator_text)) for row in rest)
    assert item_starts == 188
    assert len(parsed.lines) == len(lines) == 1537
    assert [d.line_no for d in parsed.lines] == list(range(1, 1538))
    uses = [d.use for d in parsed.lines]
    assert LineUse.UNPARSED not in uses
    assert uses.count(LineUse.FURNITURE) == 29  # 5 on page 1 (合计 is the row), 6 on pages 2-5
    assert (parsed.title, parsed.department_name, parsed.amount_unit, parsed.fiscal_year) == (
        "项目支出绩效目标表（含转移支付项目）", UNIT, "万元", None,
    )


@pytest.mark.parametrize(
    ("first", "last", "name", "source_line", "amounts_line", "end_line", "total"),
    [
        (57, 86, "高校毕业生服务专项经费", 57, 60, 86, "48.00"),  # 2 name lines
        (88, 116, "东风日产乘用车公司人事代理专项经费", 88, 94, 116, "28.00"),  # 3 name lines
        (793, 825, "区人社局2022-2024年信息化系统运维运行维护经费", 793, 801, 825, "70.00"),  # 4
        (1497, 1535, "机关事业单位医疗保障基金专项（2024年）", 1497, 1503, 1535, "5,000.00"),
    ],
)
def test_a_wrapped_project_name_is_joined(first, last, name, source_line, amounts_line, end_line, total):
    parsed = pdf_text.parse(rows_from_lines(excerpt(first, last)), HINTS)
    (row,) = [row for row in parsed.rows if row.row_kind is RowKind.PROJECT]
    assert (row.name, row.source_line, row.end_line) == (name, source_line, end_line)
    assert (row.total, row.fiscal, row.special_account, row.other) == (total, total, None, None)
    assert row.unit_name == UNIT
    assert row.shift_resolution == (
        "2 amounts printed without column positions: second read as 财政拨款 "
        "(catalog: single_source_column)"
    )
    assert parsed.lines[amounts_line - 1].use is LineUse.BUDGET_ROW


def test_a_name_sharing_its_line_with_the_amounts():
    (row,) = projects(excerpt(227, 249))  # "    行政应诉费 34.34 34.34"
    assert (row.name, row.total, row.fiscal, row.source_line, row.end_line) == (
        "行政应诉费", "34.34", "34.34", 227, 249,
    )
    assert row.goal_text == (
        "完成花都区人社局各项行政应诉、行政复议工作，以及为各类规范性文件、行政决策提供法律"
        "咨询、法律审核等服务。"
    )
    assert row.indicator_text.startswith("1、1-产出指标；11-数量指标；行政案件应诉及答复率；")
    assert row.indicator_text.endswith("4、2-效益指标；22-社会效益；败诉率；实施周期指标值:≤15%；年度指标值:≤15%。")


def test_goal_text_with_digits_and_enumeration_commas_stays_out_of_the_indicators():
    (row,) = projects(excerpt(1000, 1029))
    assert row.goal_text == (
        "1.根据文件要求，按时间、按质量、按数量完成上级部门下达任务，积极为求职者提供就业渠道"
        "保证补贴资金发放的合规性。2.组织开展人才招聘、校企对接等活动。"
    )
    assert row.indicator_text.startswith("1、1-产出指标；11-数量指标；招聘会举办场数；实施周期指标值:≥3")
    # Line 1013 holds "1、1-产出指标；11-数量指标；招聘会举办场数；": 25 characters.
    assert row.indicator_line_offsets[:2] == ((0, 1013), (25, 1015))
    assert [line for _, line in row.indicator_line_offsets] == list(range(1013, 1030, 2))


def test_wrapped_lines_starting_with_an_enumeration_comma_stay_in_their_text():
    (row,) = projects(excerpt(57, 86))
    # Line 64 starts the goal's continuation with "、"; line 74 an indicator item's with "、1-".
    assert "档案保管、毕业生就业接收" in row.goal_text
    assert "≥3000份。2、1-产出指标；12-质量指标；档案整理通过率" in row.indicator_text
    assert row.goal_text.endswith("提高我区高校毕业生就业率。")
    for offset, line in row.indicator_line_offsets:
        assert row.indicator_text[offset:].startswith(huadu()[line - 1].strip())
    assert [line for _, line in row.indicator_line_offsets] == list(range(70, 87, 2))


def test_repeated_page_furniture_is_accounted_for_and_not_a_row():
    parsed = pdf_text.parse(rows_from_lines(excerpt(310, 350)), HINTS)  # page 2's top (312-321), then a project
    use = {d.line_no: d for d in parsed.lines}
    for line in (2, 4, 6, 8, 9):
        assert use[line].use is LineUse.FURNITURE and "repeated" not in use[line].reason
    for line in (312, 314, 316, 318, 319, 321):
        assert use[line].use is LineUse.FURNITURE and "repeated" in use[line].reason
    assert "合计" in use[321].reason
    assert "项目名称" in use[316].reason and "项目名称" in use[318].reason
    assert use[11].use is LineUse.BUDGET_ROW
    assert [row.row_kind for row in parsed.rows] == [RowKind.GRAND_TOTAL, RowKind.UNIT, RowKind.PROJECT]
    assert parsed.rows[2].name == "公医办日常业务经费" and parsed.rows[2].source_line == 323


@pytest.mark.parametrize("break_after", [1000, 1017])  # inside the name; inside the indicators
def test_a_project_continues_across_a_page_break(break_after):
    lines = huadu()
    page_top = lines[1244:1256]  # lines 1245-1256: blank, title … 合计 of page 5
    broken = [*excerpt(1000, break_after), *page_top, *lines[break_after:1029]]
    (whole,) = projects(excerpt(1000, 1029))
    (row,) = projects(broken)
    shift = len(page_top)
    assert (row.name, row.total, row.goal_text, row.indicator_text) == (
        whole.name, whole.total, whole.goal_text, whole.indicator_text,
    )
    assert (row.source_line, row.end_line) == (1000, 1029 + shift)
    moved = [line + shift if line > break_after else line for _, line in whole.indicator_line_offsets]
    assert [line for _, line in row.indicator_line_offsets] == moved
    uses = [d.use for d in pdf_text.parse(rows_from_lines(broken), HINTS).lines[break_after : break_after + shift]]
    assert uses.count(LineUse.FURNITURE) == 6 and LineUse.BUDGET_ROW not in uses


def test_a_document_cut_after_a_project_name_is_refused_with_its_line():
    with pytest.raises(ExtractError, match="amounts line is missing") as caught:
        pdf_text.parse(rows_from_lines(excerpt(1497, 1501)), HINTS)
    assert caught.value.line_no == 1497


def test_a_document_cut_after_a_project_s_amounts_is_refused_with_the_line():
    with pytest.raises(ExtractError, match="goal and indicator text are missing") as caught:
        pdf_text.parse(rows_from_lines(excerpt(1497, 1503)), HINTS)
    assert caught.value.line_no == 1503


def test_a_project_name_without_amounts_before_the_next_project_is_refused():
    lines = huadu()
    cut = [*lines[:25], *lines[56:86]]  # 21-25 name of the first project, then lines 57-86
    with pytest.raises(ExtractError, match="no amounts line before the next project") as caught:
        pdf_text.parse(rows_from_lines(cut), HINTS)
    assert caught.value.line_no == 21


def test_two_amounts_without_the_catalog_hint_are_refused_not_guessed():
    with pytest.raises(ExtractError, match="single_source_column") as caught:
        pdf_text.parse(rows_from_lines(excerpt(57, 86)), {})
    assert caught.value.line_no == 11  # the 合计 row is the first with 2 amounts


def test_the_catalog_hint_decides_the_single_source_column():
    (row,) = projects(excerpt(57, 86), {"single_source_column": "special_account"})
    assert (row.total, row.fiscal, row.special_account, row.other) == ("48.00", None, "48.00", None)
    assert "财政专户拨款" in row.shift_resolution


def with_amounts_line(amounts: str) -> list[str]:
    """Lines 57-86 with line 60 ("48.00 48.00") replaced: the PDF text of a row with other funding."""
    lines = excerpt(57, 86)
    lines[59] = amounts
    return lines


def test_four_amounts_fill_every_column_in_order():
    (row,) = projects(with_amounts_line("48.00 40.00 5.00 3.00"))
    assert (row.total, row.fiscal, row.special_account, row.other) == ("48.00", "40.00", "5.00", "3.00")
    assert row.shift_resolution is None


@pytest.mark.parametrize("amounts", ["48.00 40.00 8.00", "48.00 40.00"])
def test_amounts_that_cannot_be_placed_are_refused_with_their_line(amounts):
    with pytest.raises(ExtractError) as caught:
        pdf_text.parse(rows_from_lines(with_amounts_line(amounts)), HINTS)
    assert caught.value.line_no == 60


def test_the_amounts_follow_the_column_order_the_header_prints():
    # The header read through the vocabulary: 其他资金 printed before 财政拨款 moves the amounts.
    lines = with_amounts_line("48.00 3.00 40.00 5.00")
    header = next(number for number, line in enumerate(lines) if line.startswith("总计 "))
    lines[header] = "总计 其他资金 财政拨款 财政专户拨款 绩效目标 绩效指标"
    (row,) = projects(lines)
    assert (row.total, row.fiscal, row.special_account, row.other) == ("48.00", "40.00", "5.00", "3.00")


def test_a_header_word_outside_the_vocabulary_is_no_header():
    # Every page repeats the header: change each one.
    lines = [
        "总计 财政拨款 专户资金 其他资金 绩效目标 绩效指标" if line.startswith("总计 财政拨款") else line
        for line in huadu()
    ]
    assert not pdf_text.detect(rows_from_lines(lines))
    assert pdf_text.detect(rows_from_lines(list(huadu())))
