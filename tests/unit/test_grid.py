"""extract/grid.py on excerpts of real rows: the Wuchuan forms (bundled) and the printed labels of
the application and unit-level templates. Expected values were read off the rows by hand."""

from __future__ import annotations

import pytest

from extract.cells import Row
from extract.grid import (
    CATEGORIES_ONLY,
    cells_of,
    indicator_header,
    label_values,
    read_amounts,
    rows_of_pairs,
    read_indicators,
)
from tests.conftest import document_lines


@pytest.fixture(scope="module")
def wuchuan() -> list[Row]:
    return [Row(number, text) for number, text in enumerate(document_lines("2024-wuchuan-hrss.txt"), start=1)]


def rows(*texts: str, first: int = 1) -> list[Row]:
    return [Row(first + index, text, positioned=True) for index, text in enumerate(texts)]


def levels(reading, line: int) -> tuple[str | None, str | None, str | None, str | None]:
    item = next(item for item in reading.indicators if item.line == line)
    return item.level1, item.level2, item.level1_above, item.name


def test_cells_keep_their_columns_and_drop_the_empty_ones():
    assert [(cell.column, cell.text) for cell in cells_of("\t\t质量指标 \t\t100%")] == [(2, "质量指标"), (4, "100%")]


def test_a_form_grid_with_merged_categories_and_a_slip(wuchuan):
    header = indicator_header(wuchuan[96])
    assert header is not None
    assert header.fields == {
        "level1": 1, "level2": 2, "indicator_name": 3, "cycle_target": 4, "annual_target": 5
    }
    reading = read_indicators(wuchuan[97:104], header)
    assert [item.line for item in reading.indicators] == [98, 99, 100, 101, 102, 103]
    assert levels(reading, 99) == ("产出指标", "数量指标", None, "城乡居民基础养老金标准")
    # 质量指标 printed in the level-1 column: kept, the merged level 1 beside it.
    assert levels(reading, 101) == ("质量指标", "质量指标", "产出指标", "城乡养老保险参保任务完成率（%）")
    assert levels(reading, 102)[:3] == ("产出指标", "质量指标", None)
    # Line 103 lost the empty cell of its merged grid label: read by order, not column.
    assert levels(reading, 103) == ("效益指标", "社会效益指标", None, "社会公众对宣传满意度")
    assert reading.indicators[-1].values == {"cycle_target": "较满意", "annual_target": "较满意"}
    assert reading.unparsed == {104: CATEGORIES_ONLY}


def test_a_lone_category_cell_is_a_level2_unless_only_a_level1_bears_its_name(wuchuan):
    reading = read_indicators(wuchuan[231:237], indicator_header(wuchuan[230]))
    assert levels(reading, 235)[:2] == ("产出指标", "成本指标")
    assert levels(reading, 236)[:2] == ("产出指标", "社会效益指标")


def test_an_indicator_in_the_first_column_inherits_both_levels(wuchuan):
    reading = read_indicators(wuchuan[250:256], indicator_header(wuchuan[249]))
    last = reading.indicators[-1]
    assert (last.line, last.level1, last.level2, last.name) == (256, "满意度指标", "服务对象满意度指标", "服务对象满意度(%)")
    assert last.values == {"cycle_target": "大于98%", "annual_target": "大于98%"}


APPLICATION_GRID = rows(
    "项目年度绩效指标\t\t一级指标\t二级指标\t指标内容\t指标值\t备注",
    "\t\t产出指标\t数量指标\t城镇新增就业人数\t25000人",
    "\t\t\t\t扶持创业人数及带动就业人数\t1000人、3000人",
    "\t\t\t质量指标\t培训人员合格率\t100%",
    "\t\t\t成本指标",
    "\t\t效益指标\t经济效益指标",
    "\t\t\t社会效益指标\t提高全民参保覆盖面\t按时办结\t见说明",
)


def test_an_application_grid_is_read_by_column():
    header = indicator_header(APPLICATION_GRID[0])
    assert header is not None and header.fields["remark"] == 6
    reading = read_indicators(APPLICATION_GRID[1:], header)
    assert [levels(reading, line)[:2] for line in (2, 3, 4, 7)] == [
        ("产出指标", "数量指标"), ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标")
    ]
    assert reading.indicators[1].values == {"annual_target": "1000人、3000人"}
    assert reading.indicators[-1].values == {"annual_target": "按时办结", "remark": "见说明"}
    assert reading.unparsed == {5: CATEGORIES_ONLY, 6: CATEGORIES_ONLY}


def test_labels_on_the_middle_row_of_their_merge_apply_to_the_rows_above():
    # A PDF copied as text prints a merged cell's label on its middle row.
    grid = rows(
        "一级指标\t二级指标\t三级指标\t指标值",
        "\t\t新建面积\t≥500.00(平方米)",
        "\t数量指标\t改造面积\t≥200.00(平方米)",
        "产出指标\t\t验收次数\t=2.00(次)",
        "\t质量指标\t验收合格率\t=100.00(%)",
        "\t\t返工率\t≤5.00(%)",
        "\t\t群众满意度\t≥90.00(%)",
        "满意度指标\t服务对象满意度指标\t投诉处理率\t=100.00(%)",
    )
    reading = read_indicators(grid[1:], indicator_header(grid[0]))
    assert [levels(reading, line)[:2] for line in range(2, 9)] == [
        ("产出指标", "数量指标"),
        ("产出指标", "数量指标"),
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "质量指标"),
        ("满意度指标", "服务对象满意度指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]


def test_several_label_value_pairs_on_one_row():
    (row,) = rows("项目主管部门\t\t某某局\t\t项目执行单位\t某某中心")
    pairs, stray = label_values(row, ["project"])
    assert [(pair.field, pair.text) for pair in pairs] == [
        ("managing_department", "某某局"), ("unit_name", "某某中心")
    ]
    assert stray == []
    (keys,) = rows("实施期限\t起始年度\t2024\t到期年度\t2024")
    pairs, _ = label_values(keys, ["project"])
    assert [(pair.field, pair.text) for pair in pairs] == [("period", None), ("start_year", "2024"), ("end_year", "2024")]


def test_an_amount_list_with_parts_and_a_total():
    block = rows(
        "项目资金来源\t\t资金来源项目\t\t\t金额",
        "\t\t合计\t\t\t6730.00",
        "\t\t1.一般公共预算财政拨款收入\t\t\t6730.00",
        "\t\t其中：申请当年预算拨款\t\t\t6730.00",
        "\t\t2.政府性基金预算财政拨款收入",
        "\t\t9.上年结转",
        "\t\t其中：使用上年度一般公共预算财政拨款结余结转",
        "\t\t使用上年度政府性基金预算财政拨款结余结转",
    )
    items = read_amounts(block[1:], 2, {5: ("amount", "万元")})
    assert [(item.label, item.field, item.value, item.parent, item.is_total) for item in items] == [
        ("合计", "total", "6730.00", None, True),
        ("1.一般公共预算财政拨款收入", "fiscal", "6730.00", None, False),
        ("其中：申请当年预算拨款", "fiscal_current_year", "6730.00", 1, False),
        ("2.政府性基金预算财政拨款收入", "government_fund", None, None, False),
        ("9.上年结转", "carry_over", None, None, False),
        ("其中：使用上年度一般公共预算财政拨款结余结转", "carry_over_fiscal", None, 4, False),
        ("使用上年度政府性基金预算财政拨款结余结转", "carry_over_government_fund", None, 4, False),
    ]
    assert {item.amount_unit for item in items} == {"万元"} and items[0].line == 2


def test_an_amount_grid_gives_one_item_per_column():
    block = rows("\t年度资金总额\t7574\t6643", "\t当年财政拨款\t7000\t6100")
    items = read_amounts(block, 1, {2: ("annual_budget", "万元"), 3: ("executed", "万元")})
    assert [(item.field, item.measure, item.value, item.is_total) for item in items] == [
        ("total", "annual_budget", "7574", True),
        ("total", "executed", "6643", True),
        ("fiscal", "annual_budget", "7000", False),
        ("fiscal", "executed", "6100", False),
    ]


def test_a_row_of_labels_heads_the_row_of_their_values():
    block = rows("项目资金（万元）\t年度资金总额\t财政拨款\t其他资金", "\t100\t80\t20", "\t上年结转\t0")
    read = [(row.number, [(pair.field, pair.text, pair.line) for pair in pairs]) for row, pairs in rows_of_pairs(block, ["amounts"])]
    assert read == [
        (1, []),
        (2, [("total", "100", 2), ("fiscal", "80", 2), ("other", "20", 2)]),
        (3, [("carry_over", "0", 3)]),
    ]
