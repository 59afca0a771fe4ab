"""The tab-separated table parser, on the Tianhe (000), Panyu (002) and Guangzhou (004) documents.

Expected values were read off the documents by hand; line numbers are the documents' own.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from extract.layouts import tsv_table
from extract.readers.text import rows_from_lines
from extract.records import BudgetRow, ExtractError, LineUse, ParsedDocument, RowKind
from tests.conftest import document_lines

TIANHE = "2023-guangzhou-tianhe-hrss.txt"
PANYU = "2025-guangzhou-panyu-hrss.txt"
GUANGZHOU = "2026-guangzhou-hrss.txt"
TABLES = (TIANHE, PANYU, GUANGZHOU)
AMOUNTS = ("total", "fiscal", "special_account", "other")
FIRST_PAGE_TOP = 10  # title, department, 单位, column header and the 合计 row (line 10)
# Printed amounts are rounded to 0.01, so sums may miss the printed subtotal by a few cents.
ROUNDING = Decimal("0.03")


@cache
def lines_of(name: str) -> tuple[str, ...]:
    return tuple(document_lines(name))


@cache
def parsed(name: str) -> ParsedDocument:
    return tsv_table.parse(rows_from_lines(list(lines_of(name))), {})


def excerpt(name: str, *ranges: tuple[int, int], replace: dict[int, str] | None = None) -> list[str]:
    """The first page's top, then the given line ranges kept at their own line numbers (lines in
    between left blank), optionally with some lines replaced (damaged input)."""
    source = lines_of(name)
    keep = set(range(1, FIRST_PAGE_TOP + 1))
    for first, last in ranges:
        keep.update(range(first, last + 1))
    text = [line if number in keep else "" for number, line in enumerate(source, start=1)]
    for number, line in (replace or {}).items():
        text[number - 1] = line
    return text[: max(keep | set(replace or ()))]


def row_at(document: ParsedDocument, line_no: int) -> BudgetRow:
    return next(row for row in document.rows if row.source_line == line_no)


def amounts(row: BudgetRow) -> tuple[str | None, ...]:
    return tuple(getattr(row, column) for column in AMOUNTS)


def amount(text: str | None) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


def uses(document: ParsedDocument) -> dict[int, tuple[LineUse, str]]:
    return {line.line_no: (line.use, line.reason) for line in document.lines}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (TIANHE, True),
        (PANYU, True),
        (GUANGZHOU, True),
        ("2024-guangzhou-huadu-hrss.txt", False),
        ("2024-wuchuan-hrss.txt", False),
    ],
)
def test_detect_recognises_only_the_tab_separated_tables(name, expected):
    assert tsv_table.detect(rows_from_lines(list(lines_of(name)))) is expected


@pytest.mark.parametrize(
    ("name", "units", "projects", "lines", "furniture"),
    [
        # 000: title, department, 单位 once; the column header on lines 9, 18, 26, 34, 44, 50.
        (TIANHE, 5, 27, 52, 3 + 6),
        # 002: title, 单位名称, 单位 and header once; pages only separated by blank lines.
        (PANYU, 1, 23, 40, 4),
        # 004: 32 pages of title, 部门名称 and 单位 (lines 3, 16, …, 478); the header only on line 9.
        (GUANGZHOU, 17, 244, 488, 32 * 3 + 1),
    ],
)
def test_whole_documents_count_rows_and_account_for_every_line(name, units, projects, lines, furniture):
    document = parsed(name)
    kinds = [row.row_kind for row in document.rows]
    assert kinds[0] is RowKind.GRAND_TOTAL and kinds.count(RowKind.GRAND_TOTAL) == 1
    assert (kinds.count(RowKind.UNIT), kinds.count(RowKind.PROJECT)) == (units, projects)
    assert [line.line_no for line in document.lines] == list(range(1, lines + 1))
    counted = {use: [line.use for line in document.lines].count(use) for use in LineUse}
    blank = sum(1 for line in lines_of(name) if not line.strip())
    assert counted[LineUse.BLANK] == blank
    assert counted[LineUse.FURNITURE] == furniture
    assert counted[LineUse.BUDGET_ROW] == len(document.rows) == lines - blank - furniture
    assert counted[LineUse.UNPARSED] == 0
    assert all(row.source_line == row.end_line for row in document.rows)
    assert not any(row.indicator_line_offsets for row in document.rows)
    assert all(row.amount_unit == "万元" for row in document.rows)


def test_tianhe_units_in_order_and_projects_follow_their_unit_across_page_breaks():
    document = parsed(TIANHE)
    units = [(row.source_line, row.name) for row in document.rows if row.row_kind is RowKind.UNIT]
    assert units == [
        (11, "广州市天河区人力资源和社会保障局"),
        (29, "广州市天河区劳动就业服务管理中心"),
        (36, "广州市天河区社会保险基金管理中心"),
        (40, "广州市天河区公费医疗预防实施管理委员会办公室"),
        (45, "广州市天河区人才服务管理办公室"),
    ]
    # Line 35 comes after the page break (blank 33, header 34) but belongs to the unit on line 29.
    assert row_at(document, 35).name == "天河区对口帮扶贵州省毕节市七星关区、大方县、纳雍县脱贫人口转移就业稳岗补贴"
    assert [row_at(document, n).unit_name for n in (30, 31, 32, 35)] == ["广州市天河区劳动就业服务管理中心"] * 4
    assert row_at(document, 36).unit_name == "广州市天河区社会保险基金管理中心"
    grand = document.rows[0]
    assert (grand.source_line, grand.name, grand.unit_name, grand.total, grand.fiscal) == (
        10, "合计", None, "57,849.59", "57,849.59",
    )
    assert grand.special_account is None and grand.goal_text is None and grand.indicator_text is None


def test_unit_row_has_amounts_only_and_project_rows_have_texts():
    document = tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (11, 11), (145, 153))), {})
    unit = row_at(document, 149)
    assert (unit.row_kind, unit.name, unit.unit_name) == (
        RowKind.UNIT, "广州市人力资源市场服务中心", "广州市人力资源市场服务中心",
    )
    assert amounts(unit) == ("1,532.02", "1,532.02", None, None)
    assert (unit.goal_text, unit.indicator_text) == (None, None)
    before = row_at(document, 148)
    assert (before.row_kind, before.unit_name) == (RowKind.PROJECT, "广州市人力资源和社会保障局")
    after = row_at(document, 150)
    assert (after.row_kind, after.unit_name, after.name, after.total) == (
        RowKind.PROJECT, "广州市人力资源市场服务中心", "市场中心业务用房物业管理费", "126.50",
    )
    assert after.goal_text.startswith("通过对外公共服务")
    assert after.indicator_text.startswith("1、1-产出指标；13-时效指标；采购及时率；")
    assert after.special_account is None and after.other is None and after.shift_resolution is None


def test_title_department_year_and_page_furniture():
    tianhe, panyu, guangzhou = (parsed(name) for name in TABLES)
    assert (tianhe.title, tianhe.fiscal_year, tianhe.fiscal_year_evidence) == (
        "项目支出绩效目标表（含转移支付项目）", None, None,
    )
    assert tianhe.department_name == "广州市天河区人力资源和社会保障局"
    assert (panyu.fiscal_year, panyu.fiscal_year_evidence) == (2025, "title, line 3")
    assert panyu.department_name == "广州市番禺区人力资源和社会保障局（本级）"  # from 单位名称
    assert guangzhou.title == "广州市人力资源和社会保障局2026年项目支出绩效目标表（含转移支付项目）"
    assert (guangzhou.fiscal_year, guangzhou.fiscal_year_evidence) == (2026, "title, line 3")
    assert guangzhou.department_name == "广州市人力资源和社会保障局"
    assert {doc.layout for doc in (tianhe, panyu, guangzhou)} == {"tsv_table"}
    assert {doc.amount_unit for doc in (tianhe, panyu, guangzhou)} == {"万元"}
    page = uses(guangzhou)
    assert [page[n][0] for n in (1, 2, 4, 6, 8, 15, 17, 19, 21)] == [LineUse.BLANK] * 9
    assert page[3] == (LineUse.FURNITURE, "page title")
    assert page[5] == (LineUse.FURNITURE, "department line (部门名称)")
    assert page[7] == (LineUse.FURNITURE, "amount unit line (单位)")
    assert page[9] == (LineUse.FURNITURE, "column header")
    assert page[16] == (LineUse.FURNITURE, "page title (repeated)")
    assert page[18] == (LineUse.FURNITURE, "department line (部门名称, repeated)")
    assert page[20] == (LineUse.FURNITURE, "amount unit line (单位, repeated)")
    assert [page[n][0] for n in (10, 11, 14, 22)] == [LineUse.BUDGET_ROW] * 4
    assert uses(tianhe)[18] == (LineUse.FURNITURE, "column header (repeated)")
    assert uses(panyu)[5] == (LineUse.FURNITURE, "department line (单位名称)")


def test_paragraph_tags_are_stripped_and_nothing_else():
    guangzhou = parsed(GUANGZHOU)
    wrapped = row_at(guangzhou, 22)
    assert (wrapped.name, wrapped.total, wrapped.fiscal) == ("市就业补助资金（白云区）", "12,321.05", "12,321.05")
    assert wrapped.goal_text.startswith("目标1：资金按规定用于社会保险补贴")
    assert wrapped.indicator_text.startswith("1、1-产出指标；11-数量指标；享受社会保险补贴人数")
    # Three paragraphs in one cell: the space the export printed between them stays.
    assert row_at(guangzhou, 42).goal_text == (
        "目标1：资金按规定于社会保险补贴、一次性创业资助、求职创业补贴、就业创业服务补助以及符合政策"
        "规定的其他支出项目。 目标2：确保完成年度新增就业目标任务。 目标3：保持就业局势总体稳定。"
    )
    every_text = [
        value for name in TABLES for row in parsed(name).rows
        for value in (row.name, row.goal_text, row.indicator_text, *(getattr(row, a) for a in AMOUNTS))
        if value
    ]
    assert not [text for text in every_text if "<p>" in text or "</p>" in text]
    # "<1%" and ">96%" are targets, not tags (002 line 38).
    panyu = row_at(parsed(PANYU), 38)
    assert "实施周期指标值：<1%；年度指标值：<1%。" in panyu.indicator_text
    assert panyu.indicator_text.endswith("年度指标值：>96%。")
    assert panyu.goal_text.endswith("切实维护劳动关系的和谐稳定发展。")


def project_sums(document: ParsedDocument) -> dict[str, dict[str, Decimal]]:
    sums: dict[str, dict[str, Decimal]] = {}
    for row in document.rows:
        if row.row_kind is RowKind.PROJECT:
            unit = sums.setdefault(row.unit_name, dict.fromkeys(AMOUNTS, Decimal(0)))
            for column in AMOUNTS:
                unit[column] += amount(getattr(row, column))
    return sums


def test_projects_add_up_to_units_and_units_to_the_grand_total_except_where_the_document_disagrees():
    discrepancies = set()
    for name in TABLES:
        document = parsed(name)
        units = [row for row in document.rows if row.row_kind is RowKind.UNIT]
        summed = project_sums(document)
        assert set(summed) == {unit.name for unit in units}
        for unit in units:
            for column in AMOUNTS:
                printed = amount(getattr(unit, column))
                difference = printed - summed[unit.name][column]
                if abs(difference) > ROUNDING:
                    total = summed[unit.name][column]
                    discrepancies.add(
                        (name, unit.name, column, printed, total, difference, unit.source_line)
                    )
        grand = document.rows[0]
        for column in AMOUNTS:
            units_total = sum((amount(getattr(unit, column)) for unit in units), Decimal(0))
            assert abs(amount(getattr(grand, column)) - units_total) <= ROUNDING, (name, column)
    d = Decimal
    assert discrepancies == {
        # Its 67 projects (lines 12-148) add up to 181,862.31; the unit prints 181,960.33.
        (GUANGZHOU, "广州市人力资源和社会保障局", "total", d("181960.33"), d("181862.31"), d("98.02"), 11),
        (GUANGZHOU, "广州市人力资源和社会保障局", "fiscal", d("181960.33"), d("181862.31"), d("98.02"), 11),
        # Totals agree; 737.46 printed as 财政专户拨款 is 财政拨款 in its projects.
        (GUANGZHOU, "广州市工贸技师学院", "fiscal", d("5425.17"), d("6162.62"), d("-737.45"), 218),
        (GUANGZHOU, "广州市工贸技师学院", "special_account", d("1164.55"), d("427.09"), d("737.46"), 218),
    }


def test_shifted_unit_row_keeps_its_amounts_in_place():
    row = row_at(tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (195, 195))), {}), 195)
    assert (row.row_kind, row.name, row.unit_name) == (RowKind.UNIT, "广州市干部和人才健康管理中心", "广州市干部和人才健康管理中心")
    assert amounts(row) == ("20,545.91", "10,562.66", None, "9,983.25")
    assert (row.goal_text, row.indicator_text) == (None, None)
    assert "lost one of the empty 绩效目标, 绩效指标 columns" in row.shift_resolution


def test_shifted_row_with_an_indicator_list_lost_its_empty_goal():
    document = tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (195, 198))), {})
    row = row_at(document, 198)
    assert (row.row_kind, row.unit_name, row.name) == (RowKind.PROJECT, "广州市干部和人才健康管理中心", "购置经费")
    assert amounts(row) == ("1,396.04", "100.00", None, "1,296.04")
    assert row.goal_text is None
    assert row.indicator_text.startswith("1、1-产出指标；11-数量指标；设备采购数量完成率")
    assert row.shift_resolution.startswith("6 cells where the header has 7: lost the empty 绩效目标 column")
    assert "the text as 绩效指标 (it is an indicator list)" in row.shift_resolution


def test_shifted_row_with_a_goal_lost_its_empty_indicator_list():
    document = tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (195, 195), (199, 203))), {})
    row = row_at(document, 199)
    assert amounts(row) == ("8,596.00", "7,855.00", None, "741.00")
    assert row.goal_text.startswith("通过对服务人群全方位的身心共管") and row.indicator_text is None
    assert row.shift_resolution.startswith("6 cells where the header has 7: lost the empty 绩效指标 column")
    assert [row_at(document, n).indicator_text for n in range(200, 204)] == [None] * 4
    assert [row_at(document, n).fiscal for n in range(200, 204)] == ["200.00", "1,829.00", None, "16.66"]
    assert row_at(document, 202).other == "2,930.18"


def test_shifted_amounts_are_placed_by_the_unit_subtotal():
    document = parsed(GUANGZHOU)
    # Unit 广州市人事服务中心 (line 454) prints 其他资金 2,038.54 and no 财政专户拨款.
    first = row_at(document, 468)
    assert (first.unit_name, first.total, first.fiscal, first.special_account, first.other) == (
        "广州市人事服务中心", "8,844.24", "8,141.82", None, "702.42",
    )
    assert first.goal_text.startswith("通过组织国家、省、市人事考试考务实施工作")
    assert first.indicator_text.startswith("1、1-产出指标；11-数量指标；组织人事考试数量")
    resolution = first.shift_resolution
    assert resolution.startswith("6 cells where the header has 7: lost the empty 财政专户拨款 column")
    assert "subtotal on line 454" in resolution and "其他资金 2,038.54" in resolution
    others = [row_at(document, n).other for n in range(469, 474)]
    assert others == ["600.00", "33.36", "41.05", "100.00", "20.00"]
    two_amounts = [row_at(document, n) for n in (474, 475, 476)]
    assert [(r.fiscal, r.special_account, r.other) for r in two_amounts] == [
        ("34.26", None, None), ("300.00", None, None), ("1,224.60", None, None),
    ]
    shifted = [row.source_line for row in document.rows if row.shift_resolution]
    assert shifted == [*range(195, 204), *range(468, 477)]


def test_the_same_shifted_rows_follow_different_evidence():
    # Were the subtotal to print the projects' 1,496.83 as 财政专户拨款, the rows read so.
    unit = "广州市人事服务中心\t41,424.68\t39,386.14\t1,496.83\t541.70\t\t"
    document = tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (454, 484), replace={454: unit})), {})
    first = row_at(document, 468)
    assert (first.fiscal, first.special_account, first.other) == ("8,141.82", "702.42", None)
    assert "lost the empty 其他资金 column" in first.shift_resolution
    assert (row_at(document, 474).fiscal, row_at(document, 474).special_account) == ("34.26", None)


def test_shifted_rows_without_deciding_evidence_are_refused():
    # The unit's only project would be line 468: no reading adds up to the subtotal on line 454.
    with pytest.raises(ExtractError) as error:
        tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (454, 454), (468, 468))), {})
    assert error.value.line_no == 468
    assert "line 454" in error.value.message and "none of those readings" in error.value.message


def test_shifted_rows_that_fit_the_subtotal_in_two_ways_are_refused():
    # Two copies of line 474 (34.26 in 财政拨款 or 财政专户拨款) under a subtotal printing 34.26
    # in each: either row may be the 财政专户拨款 one.
    unit = "广州市人事服务中心\t68.52\t34.26\t34.26\t\t\t"
    twin = lines_of(GUANGZHOU)[473]
    with pytest.raises(ExtractError) as error:
        tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (474, 474), replace={454: unit, 468: twin})), {})
    assert error.value.line_no == 468 and "2 of those readings" in error.value.message


@pytest.mark.parametrize(
    ("line_no", "cut_after"),
    [
        (14, "市就业补助资金（天河区）\t9,373.76"),  # 2 cells
        (468, "考试业务经费\t8,844.24\t8,141.82\t702.42\t通过组织国家"),  # a shifted row, 5 cells
    ],
)
def test_row_cut_off_with_too_few_cells_raises_with_its_line(line_no, cut_after):
    original = lines_of(GUANGZHOU)[line_no - 1]
    assert original.startswith(cut_after)
    with pytest.raises(ExtractError) as error:
        cut = excerpt(GUANGZHOU, (11, 14), (454, 476), replace={line_no: cut_after})
        tsv_table.parse(rows_from_lines(cut[:line_no]), {})
    assert error.value.line_no == line_no
    assert "cut off" in error.value.message


def test_row_cut_off_inside_a_paragraph_raises():
    cut = lines_of(GUANGZHOU)[21][:60]  # line 22 stops inside its <p> goal: 6 cells
    assert cut.count("\t") == 5
    with pytest.raises(ExtractError) as error:
        tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (11, 22), replace={22: cut})), {})
    assert error.value.line_no == 22 and "<p>" in error.value.message


def test_document_ending_in_a_name_without_cells_raises():
    with pytest.raises(ExtractError) as error:
        tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (11, 14), replace={15: "市就业补助资金（白云区）"})), {})
    assert error.value.line_no == 15


def test_six_cells_whose_total_is_not_the_sum_of_its_sources_raise():
    damaged = lines_of(GUANGZHOU)[194].replace("20,545.91", "20,545.19")
    with pytest.raises(ExtractError) as error:
        tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (11, 14), replace={195: damaged})), {})
    assert error.value.line_no == 195
    assert "not the sum of its sources" in error.value.message


def test_non_amount_in_an_amount_column_raises():
    damaged = lines_of(GUANGZHOU)[12].replace("\t7,689.30\t", "\t7,689.30元\t", 1)
    with pytest.raises(ExtractError) as error:
        tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (11, 13), replace={13: damaged})), {})
    assert error.value.line_no == 13 and "not an amount" in error.value.message


def test_repeated_grand_total_on_a_later_page_is_furniture():
    total = lines_of(GUANGZHOU)[9]
    document = tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (11, 24), replace={21: total})), {})
    assert uses(document)[21] == (LineUse.FURNITURE, "repeated 合计 (grand total) row, same as line 10")
    assert [row.row_kind for row in document.rows].count(RowKind.GRAND_TOTAL) == 1
    changed = total.replace("1,408,104.19", "1,408,104.91")
    with pytest.raises(ExtractError) as error:
        tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (11, 24), replace={21: changed})), {})
    assert error.value.line_no == 21


def test_stray_text_inside_the_table_is_unparsed_with_a_reason():
    document = tsv_table.parse(rows_from_lines(excerpt(GUANGZHOU, (11, 14), replace={12: "注：本页金额为预算数"})), {})
    use, reason = uses(document)[12]
    assert use is LineUse.UNPARSED and "not a title" in reason
    assert [row.source_line for row in document.rows] == [10, 11, 13, 14]


HEADER_LINE = 9  # Tianhe's column header


def _reordered(cells: str, order: list[int]) -> str:
    parts = cells.split("\t")
    return "\t".join(parts[index] for index in order)


def test_header_labels_are_read_through_the_vocabulary_and_columns_by_the_field_they_name():
    # A variant that prints 资金使用单位 as 用款单位, 财政拨款 as 当年财政拨款 and puts 其他资金 before
    # 财政拨款: the header names the columns, so every row is read by field, not by position.
    order = [0, 1, 4, 2, 3, 5, 6]
    source = excerpt(TIANHE, (11, 20))
    variant = [
        _reordered(line, order) if number > HEADER_LINE and "\t" in line else line
        for number, line in enumerate(source, start=1)
    ]
    variant[HEADER_LINE - 1] = "项目名称（用款单位）\t总计\t其他资金\t当年财政拨款\t财政专户拨款\t绩效目标\t绩效指标"
    assert tsv_table.detect(rows_from_lines(variant))
    read = tsv_table.parse(rows_from_lines(variant), {})
    original = tsv_table.parse(rows_from_lines(source), {})
    assert [(row.name, *amounts(row), row.goal_text) for row in read.rows] == [
        (row.name, *amounts(row), row.goal_text) for row in original.rows
    ]
    assert read.rows[0].fiscal == "57,849.59" and read.rows[0].other is None


def test_a_project_table_header_with_a_label_outside_the_vocabulary_names_it():
    lines = excerpt(TIANHE, (11, 12))
    lines[HEADER_LINE - 1] = "项目名称（资金使用单位）\t总计\t财政拨款\t专户资金\t其他资金\t绩效目标\t绩效指标"
    with pytest.raises(ExtractError) as caught:
        tsv_table.parse(rows_from_lines(lines), {})
    assert caught.value.line_no == HEADER_LINE
    assert "'专户资金'" in caught.value.message and "财政专户拨款" in caught.value.message
