"""The forms layout, run on the Wuchuan document (2024-wuchuan-hrss.txt) and excerpts of it.

Excerpts keep their real line numbers: the lines before them are replaced by blank lines. The
expected values were read off the document by hand.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from extract.cells import Row
from extract.grid import cells_of
from extract.cells import document_rows as cells_document_rows
from extract.layouts import forms, self_evaluation
from extract.readers import is_document, read_document
from extract.readers.text import rows_from_lines
from extract.vocabulary import squeeze
from extract.records import ExtractError, IndicatorItem, LineUse, ParsedDocument, RowKind
from tests.conftest import DOCUMENTS, REPO, document_lines

DOCUMENT = "2024-wuchuan-hrss.txt"
OTHER_DOCUMENTS = [
    "2023-guangzhou-tianhe-hrss.txt",
    "2024-guangzhou-huadu-hrss.txt",
    "2025-guangzhou-panyu-hrss.txt",
    "2026-guangzhou-hrss.txt",
]
BUREAU = "吴川市人力资源和社会保障局"


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return document_lines(DOCUMENT)


@pytest.fixture(scope="module")
def parsed(lines: list[str]) -> ParsedDocument:
    return forms.parse(rows_from_lines(lines), {})


def excerpt(lines: list[str], first: int, last: int) -> list[str]:
    """Lines first..last of the document, behind blank lines that keep their numbers."""
    return [""] * (first - 1) + lines[first - 1 : last]


def levels_at(items: list[IndicatorItem], line: int) -> tuple[str | None, str | None, str | None]:
    item = next(item for item in items if item.source_line == line)
    return item.level1, item.level2, item.indicator_name


def use_of(document: ParsedDocument, line: int) -> LineUse:
    return document.lines[line - 1].use


def test_detect_recognises_forms_and_nothing_else(lines):
    assert forms.detect(rows_from_lines(lines))
    assert forms.detect(rows_from_lines(excerpt(lines, 29, 46)))  # one project form, no overview
    # The overview alone is a standalone unit-level target table: a form document too.
    assert forms.detect(rows_from_lines(lines[:28]))
    assert not forms.detect(rows_from_lines(lines[3:28]))  # no title: no form
    for name in OTHER_DOCUMENTS:
        assert not forms.detect(rows_from_lines(document_lines(name))), name


def test_whole_document(parsed, lines):
    assert (parsed.layout, parsed.title, parsed.department_name) == (
        "forms",
        "部门下属单位整体预算绩效目标表",
        BUREAU,
    )
    assert (parsed.fiscal_year, parsed.fiscal_year_evidence) == (2024, "实施期限 起始年度, line 35")
    assert parsed.amount_unit == "元"
    assert [row.source_line for row in parsed.rows] == [
        31, 50, 69, 88, 108, 127, 146, 165, 184, 203, 222, 241, 260
    ]
    assert {row.row_kind for row in parsed.rows} == {RowKind.PROJECT}
    assert (len(parsed.indicators), len(parsed.unit_indicators)) == (78, 6)
    for row in parsed.rows:
        own = [i.item_no for i in parsed.indicators if i.project_source_line == row.source_line]
        assert own == [1, 2, 3, 4, 5, 6], row.name
    assert [disposition.line_no for disposition in parsed.lines] == list(range(1, len(lines) + 1))
    # By hand: 14 form titles + 14 grid headers + 3 overview table headers (lines 8, 11, 15);
    # 9 label/goal lines per project form; 12 overview value lines + 6 unit grid rows.
    assert Counter(disposition.use for disposition in parsed.lines) == {
        LineUse.FURNITURE: 31,
        LineUse.BUDGET_ROW: 117,
        LineUse.INDICATOR: 78,
        LineUse.OVERVIEW: 18,
        LineUse.UNPARSED: 1,
        LineUse.BLANK: 30,
    }


def test_project_form_fields_and_amounts_in_yuan(lines):
    document = forms.parse(rows_from_lines(excerpt(lines, 29, 47)), {})
    (row,) = document.rows
    assert (row.source_line, row.end_line, row.row_kind) == (31, 46, RowKind.PROJECT)
    assert (row.name, row.project_type, row.project_level) == ("社保扩面征收工作经费", "部门职能类", "二级项目")
    assert (row.managing_department, row.unit_name) == (BUREAU, BUREAU)
    assert (row.start_year, row.end_year) == ("2024", "2024")
    assert (row.total, row.annual_amount, row.amount_unit) == ("77000.00元", "77000.00元", "元")
    assert (row.fiscal, row.special_account, row.other, row.indicator_text) == (None,) * 4
    assert row.summary is not None and row.summary.endswith("企业职工养老保险扩面征缴宣传动员等方面。")
    # The two goals of line 39 differ: each is read from under its own header cell of line 38.
    assert row.cycle_goal_text == (
        "目标1：该项经费主要用于企业职工养老保险扩面征缴宣传动员等方面，以便增强企业和参保人的参保意识。"
    )
    assert row.goal_text == (
        "目标1：该项经费主要用于支持日常工作、企业职工养老保险扩面征缴宣传动员等方面，"
        "以便增强企业和参保人的参保意识。"
    )
    # Without an overview form, the department is the form's 主管部门 and the title its own.
    assert (document.department_name, document.title) == (BUREAU, "项目支出绩效目标表")
    assert [use_of(document, n) for n in (29, 30, 31, 39, 40, 41, 46, 47)] == [
        LineUse.FURNITURE,
        LineUse.BLANK,
        LineUse.BUDGET_ROW,
        LineUse.BUDGET_ROW,
        LineUse.FURNITURE,
        LineUse.INDICATOR,
        LineUse.INDICATOR,
        LineUse.BLANK,
    ]


def test_row_without_category_cells_inherits_both_levels(lines):
    items = forms.parse(rows_from_lines(excerpt(lines, 29, 46)), {}).indicators
    second = items[1]
    assert (second.source_line, second.item_no) == (42, 2)
    assert (second.level1, second.level2, second.indicator_name) == ("产出指标", "数量指标", "城乡居民基础养老金标准")
    assert (second.cycle_target, second.annual_target) == ("按上级居保待遇标准文件执行",) * 2
    assert second.item_text == lines[41]
    assert second.item_text.startswith("\t\t\t指标2：")


def test_level2_in_level1_column_and_a_row_without_indicator(lines):
    document = forms.parse(rows_from_lines(excerpt(lines, 86, 105)), {})
    items = document.indicators
    # Line 101 prints 质量指标 in the level-1 column: raw keeps it, with the merged level 1 above
    # beside it for dbt to correct; the next row inherits the merged cells as usual.
    assert levels_at(items, 101) == ("质量指标", "质量指标", "城乡养老保险参保任务完成率（%）")
    assert next(item for item in items if item.source_line == 101).level1_above == "产出指标"
    assert levels_at(items, 102) == ("产出指标", "质量指标", "城乡居民基本养老保险基础养老金和缴费补贴发放及待遇调整情况")
    assert next(item for item in items if item.source_line == 102).level1_above is None
    assert levels_at(items, 103) == ("效益指标", "社会效益指标", "社会公众对宣传满意度")
    assert [item.source_line for item in items] == [98, 99, 100, 101, 102, 103]
    assert document.rows[0].end_line == 104
    assert document.lines[103].use == LineUse.UNPARSED
    assert document.lines[103].reason == "indicator grid row with categories but no indicator"


def test_lone_category_cell_is_a_level2_under_the_level1_above(lines):
    archives = forms.parse(rows_from_lines(excerpt(lines, 201, 219)), {}).indicators
    assert levels_at(archives, 216) == ("产出指标", "时效指标", "工作任务完成及时率")
    assert levels_at(archives, 217) == ("效益指标", "社会效益指标", "优化档案管理")
    audit = forms.parse(rows_from_lines(excerpt(lines, 220, 238)), {}).indicators
    # 成本指标 is printed in the level-1 column, but this document uses it as the level 2 under
    # 产出指标 (lines 121, 253).
    assert levels_at(audit, 235) == ("产出指标", "成本指标", "预算控制率")
    # The document prints no 效益指标 cell for line 236: the level 1 stays the one above.
    assert levels_at(audit, 236)[:2] == ("产出指标", "社会效益指标")


def test_item_no_is_the_position_not_the_printed_number(lines):
    items = forms.parse(rows_from_lines(excerpt(lines, 106, 124)), {}).indicators
    assert [(item.source_line, item.item_no) for item in items[-2:]] == [(122, 5), (123, 6)]
    assert [item.item_text.split("\t")[3][:4] for item in items[-2:]] == ["指标6：", "指标6："]
    assert [item.indicator_name for item in items[-2:]] == ["确保各级各类考试正常进行", "干部职工满意"]


def test_forms_with_labels_one_column_further_right(lines):
    document = forms.parse(rows_from_lines(excerpt(lines, 125, 143)), {})
    (row,) = document.rows
    assert (row.source_line, row.name, row.project_type) == (127, "三支一扶高校毕业生工作生活补贴", "其他事业发展性支出")
    assert (row.managing_department, row.unit_name) == (BUREAU, BUREAU)
    assert (row.start_year, row.end_year) == ("2024", "2024")
    assert (row.total, row.annual_amount) == ("720000.00元", "720000.00元")
    assert row.cycle_goal_text == row.goal_text
    assert row.goal_text is not None and row.goal_text.startswith("目标1：该项资金用于2024年在岗三支一扶人员")
    assert (document.fiscal_year, document.fiscal_year_evidence) == (2024, "实施期限 起始年度, line 131")
    assert levels_at(document.indicators, 139) == ("效益指标", "经济效益指标", "年末高校毕业生总体就业率（%）")
    assert levels_at(document.indicators, 142) == ("满意度指标", "服务对象满意度指标", "受益群众满意率（%）")


def test_indicator_cell_in_the_first_column_inherits_the_categories(lines):
    items = forms.parse(rows_from_lines(excerpt(lines, 239, 257)), {}).indicators
    last = items[-1]
    assert (last.source_line, last.item_no) == (256, 6)
    assert (last.level1, last.level2, last.indicator_name) == ("满意度指标", "服务对象满意度指标", "服务对象满意度(%)")
    assert (last.cycle_target, last.annual_target) == ("大于98%", "大于98%")


def test_unit_overview(lines):
    document = forms.parse(rows_from_lines(excerpt(lines, 1, 47)), {})
    assert document.department_name == BUREAU
    assert document.title == "部门下属单位整体预算绩效目标表"
    values = [
        (item.source_line, item.section, item.label, item.value, item.unit, item.detail)
        for item in document.unit_overview
    ]
    assert values[:9] == [
        (5, "部门名称", "部门名称", BUREAU, None, None),
        (6, "下属单位名称", "下属单位名称", BUREAU, None, None),
        (7, "基本信息", "财政供养人员数", "75", None, None),
        (9, "预算整体情况", "基本支出", "674.09", "万元", "单位预算支出"),
        (9, "预算整体情况", "财政拨款", "1442.41", "万元", "收入来源"),
        (10, "预算整体情况", "项目支出", "416.32", "万元", "单位预算支出"),
        (10, "预算整体情况", "其他资金", "0", "万元", "收入来源"),
        (12, "预算整体情况", "财政专项资金", "0", "万元", "事业发展性支出"),
        (13, "预算整体情况", "其他事业发展性支出", "352", "万元", "事业发展性支出"),
    ]
    assert values[9][:3] == (14, "总体绩效目标", "总体绩效目标")
    assert values[10:] == [
        (16, "年度重点工作任务", "任务1:粤菜师傅和南粤家政、广东技工工程费", "100", "万元", values[10][5]),
        (17, "年度重点工作任务", "任务2:三支一扶高校毕业生工作生活补贴", "72", "万元", values[11][5]),
        (
            18,
            "年度重点工作任务",
            "任务3:就业创业政策性补贴和专项服务补助",
            "170",
            "万元",
            "用于就业创业政策性补贴和专项服务补助，确保就业创业政策落实到位。",
        ),
        (19, "其他需完成的任务（可选填）", "任务1:", None, None, None),
    ]
    assert values[10][5].startswith("用于我市深入推进“粤菜师傅”")
    grid = document.unit_indicators
    assert [(item.source_line, item.item_no, item.project_source_line) for item in grid] == [
        (22, 1, 3), (23, 2, 3), (24, 3, 3), (25, 4, 3), (26, 5, 3), (27, 6, 3)
    ]
    assert {item.cycle_target for item in grid} == {None}
    assert (grid[3].level1, grid[3].level2, grid[3].annual_target) == ("效益指标", "经济效益指标", "在规定时间内下达")
    assert levels_at(grid, 27) == ("满意度指标", "服务对象 满意度指标", "受益群众满意率（%）")
    assert [use_of(document, n) for n in (3, 5, 8, 9, 11, 15, 16, 20, 21, 27)] == [
        LineUse.FURNITURE,
        LineUse.OVERVIEW,
        LineUse.FURNITURE,
        LineUse.OVERVIEW,
        LineUse.FURNITURE,
        LineUse.FURNITURE,
        LineUse.OVERVIEW,
        LineUse.BLANK,  # tabs only
        LineUse.FURNITURE,
        LineUse.OVERVIEW,
    ]


def test_project_amounts_do_not_add_up_to_the_overview(parsed):
    """The source's own discrepancy: the 13 forms hold 555.32 万元, the overview 416.32 万元."""
    yuan = [Decimal((row.annual_amount or "").removesuffix("元")) for row in parsed.rows]
    assert len(yuan) == 13
    forms_wan = sum(yuan) / 10000
    assert forms_wan == Decimal("555.32")
    overview = {
        item.label: Decimal(item.value)
        for item in parsed.unit_overview
        if item.unit == "万元" and item.value is not None
    }
    assert overview["项目支出"] - forms_wan == Decimal("-139.00")
    # What does reconcile: the four 其他事业发展性支出 forms are the overview's 352, and the
    # three expenditure kinds make up 财政拨款.
    other_development = sum(
        Decimal(row.annual_amount.removesuffix("元"))
        for row in parsed.rows
        if row.project_type == "其他事业发展性支出" and row.annual_amount
    )
    assert other_development / 10000 == overview["其他事业发展性支出"] == Decimal("352")
    assert overview["基本支出"] + overview["项目支出"] + overview["其他事业发展性支出"] == overview["财政拨款"]


def test_file_cut_off_after_the_project_name(lines):
    with pytest.raises(ExtractError, match="预算金额") as caught:
        forms.parse(rows_from_lines(lines[:31]), {})
    assert caught.value.line_no == 31


def test_amounts_row_cut_off(lines):
    cut = excerpt(lines, 29, 36)
    cut[35] = "预算金额\t总金额\t77000.00元"
    # The file ends inside the amounts row: the form lacks the rest, and says where it stops.
    with pytest.raises(ExtractError, match="ends at line 36 without an indicator grid .*: the form is cut off") as caught:
        forms.parse(rows_from_lines(cut), {})
    assert caught.value.line_no == 36


def test_file_cut_off_after_the_grid_header(lines):
    with pytest.raises(ExtractError, match="no indicator row") as caught:
        forms.parse(rows_from_lines(lines[:40]), {})
    assert caught.value.line_no == 40


def test_indicator_row_without_targets(lines):
    cut = excerpt(lines, 29, 46)
    cut[45] = "\t满意度指标\t服务对象满意度指标\t指标6：社会公众对宣传满意度"
    with pytest.raises(ExtractError, match="no target cells: the row is cut off") as caught:
        forms.parse(rows_from_lines(cut), {})
    assert caught.value.line_no == 46


def test_forms_that_disagree_on_the_year(lines):
    changed = excerpt(lines, 29, 66)
    assert changed[53] == "实施期限\t起始年度\t2024\t到期年度\t2024\t"
    changed[53] = "实施期限\t起始年度\t2025\t到期年度\t2025\t"
    with pytest.raises(ExtractError, match="line 35") as caught:
        forms.parse(rows_from_lines(changed), {})
    assert caught.value.line_no == 54


def test_an_unknown_template_names_its_header_cells_and_what_the_vocabulary_lacks():
    from extract.layouts import detect_layout

    rows = rows_from_lines(["2024年项目绩效评价表", "", "指标名称\t考核要点\t指标值\t满意程度", "培训人数\t按计划\t100人\t满意"])
    with pytest.raises(ExtractError) as caught:
        detect_layout(rows)
    message = str(caught.value)
    assert message.startswith("line 1: unknown layout")
    assert (
        "the header-like row 3: header cells mapped: '指标名称'→indicator_name, '指标值'→annual_target; "
        "not in the vocabulary: '考核要点', '满意程度'; add the labels not in the vocabulary to "
        "seeds/header_vocabulary.csv"
    ) in message


def test_a_form_with_a_unit_line_and_signature_lines_after_its_grid():
    form = [
        "2025年度财政项目支出绩效目标申报表\t单位：元",
        "项目名称\t示例项目",
        "主管部门\t示例局\t实施单位\t示例中心",
        "项目资金（元）\t年度资金总额\t1,000.00",
        "\t其中：财政拨款\t800.00",
        "\t其他资金\t200.00",
        "绩效目标\t项目总目标\t年度总体目标",
        "\t三年建成\t当年完成一半",
        "项目年度绩效指标",
        "一级指标\t二级指标\t三级指标\t指标值",
        "产出指标\t数量指标\t培训人次\t≥100(人次)",
        "填表人：张三\t\t联系电话：123",
    ]
    # A text copy prints every row of a form with the same number of cells.
    padded = [line + "\t" * (3 - line.count("\t")) if index else line for index, line in enumerate(form)]
    document = forms.parse(rows_from_lines(padded), {})
    (row,) = document.rows
    assert (row.name, row.managing_department, row.unit_name) == ("示例项目", "示例局", "示例中心")
    assert (row.total, row.amount_unit, document.fiscal_year) == ("1,000.00", "元", 2025)
    assert (row.cycle_goal_text, row.goal_text) == ("三年建成", "当年完成一半")
    assert [(item.indicator_name, item.annual_target) for item in document.indicators] == [("培训人次", "≥100(人次)")]
    assert [(item.label, item.parent_item_no, item.is_total) for item in document.amounts] == [
        ("年度资金总额", None, True), ("其中：财政拨款", None, False), ("其他资金", None, False)
    ]
    # The signature line is no indicator: it ends the grid and is read as the form's labels.
    assert document.lines[11].use == LineUse.BUDGET_ROW
    assert (document.lines[8].use, document.lines[8].reason) == (LineUse.FURNITURE, "block label on a row of its own")
    assert document.templates == ["project_form"]


def test_amount_labels_over_their_values_in_a_unit_level_form():
    form = [
        "2026年部门整体支出绩效目标表\t\t\t",
        "部门名称\t示例局\t\t",
        "年度预算（万元）\t资金总额\t财政拨款\t其他资金",
        "\t100.00\t80.00\t20.00",
        "年度总体目标\t目标1：示例\t\t",
        "绩效指标\t一级指标\t三级指标\t指标值",
        "\t产出指标\t示例人数\t≥10人",
    ]
    document = forms.parse(rows_from_lines(form), {})
    assert [(item.label, item.value, item.unit, item.field) for item in document.unit_overview[1:4]] == [
        ("资金总额", "100.00", "万元", "total"), ("财政拨款", "80.00", "万元", "fiscal"), ("其他资金", "20.00", "万元", "other")
    ]
    assert document.lines[2].use == LineUse.FURNITURE and document.lines[3].use == LineUse.OVERVIEW
    assert [(i.level1, i.indicator_name, i.annual_target) for i in document.unit_indicators] == [("产出指标", "示例人数", "≥10人")]


def test_a_file_cut_inside_its_last_row(lines):
    cut = excerpt(lines, 29, 46)
    cut[45] = cut[45][: cut[45].index("较满意") + 2]
    with pytest.raises(ExtractError, match="the last row has 5 cells where .* have 6: the file is cut off after '较满'") as caught:
        forms.parse(rows_from_lines(cut), {})
    assert caught.value.line_no == 46


def _rows_of_every_document() -> list[Row]:
    family = sorted((REPO / "tests" / "fixtures" / "family").glob("*.*"))
    paths = [DOCUMENTS / name for name in [DOCUMENT, *OTHER_DOCUMENTS]] + [p for p in family if is_document(p)]
    return [row for path in paths for row in cells_document_rows(read_document(path, path.read_bytes()))]


def test_rows_passed_over_for_holding_no_title_character_hold_no_title():
    # Detection reads as cells only the rows with a character of a title word: every row that
    # names a template (forms' and self-evaluations') must be among them.
    rows = _rows_of_every_document()
    titles, evaluation_markers = self_evaluation._titles()
    form_titles = [row for row in rows if forms._template(row)]
    evaluation_titles = [
        row for row in rows
        if len(cells := cells_of(row)) == 1 and any(title in squeeze(cells[0].text) for title in titles)
    ]
    assert form_titles and evaluation_titles
    assert evaluation_markers is not None
    for row in form_titles:
        assert forms._title_markers().search(row.text), row
    for row in evaluation_titles:
        assert evaluation_markers.search(row.text), row
