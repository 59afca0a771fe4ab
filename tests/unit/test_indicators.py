from __future__ import annotations

import re
from functools import cache

import pytest

from extract.indicators import SplitItem, split_indicator_text
from tests.conftest import document_lines

TIANHE = "2023-guangzhou-tianhe-hrss.txt"  # 000
HUADU = "2024-guangzhou-huadu-hrss.txt"  # 001
PANYU = "2025-guangzhou-panyu-hrss.txt"  # 002
CITY = "2026-guangzhou-hrss.txt"  # 004

FIELDS = ("level1", "level2", "indicator_name", "cycle_target", "annual_target")


def _table_cells(name: str) -> list[tuple[int, str]]:
    """(line, last cell) of every row with 6–7 cells but the column header, <p> tags stripped."""
    cells = []
    for line_no, line in enumerate(document_lines(name), start=1):
        row = line.split("\t")
        if 6 <= len(row) <= 7 and not row[0].startswith("项目名称"):
            cells.append((line_no, row[-1].replace("<p>", "").replace("</p>", "")))
    return cells


def _pdf_indicator_lists(name: str) -> list[tuple[int, str]]:
    """(first line, joined text) of each indicator list of the PDF-text layout.

    A list starts at a line "1、<level-1 code>-" and runs until the next indented project name or
    page title; its non-blank lines are joined with nothing between them, as the PDF wrapped them.
    """
    lists: list[tuple[int, list[str]]] = []
    inside = False
    for line_no, line in enumerate(document_lines(name), start=1):
        if re.match(r"1、[1-4]-", line):
            lists.append((line_no, [line]))
            inside = True
        elif line.startswith("    ") or line.startswith("项目支出绩效目标表"):
            inside = False
        elif inside and line.strip():
            lists[-1][1].append(line)
    return [(line_no, "".join(parts)) for line_no, parts in lists]


@cache
def _corpus_lists(name: str) -> tuple[tuple[int, str], ...]:
    return tuple(_pdf_indicator_lists(name) if name == HUADU else _table_cells(name))


@cache
def _corpus_items(name: str) -> tuple[tuple[int, str, tuple[SplitItem, ...]], ...]:
    """(line, text, items) of every indicator list of a document that the splitter accepts."""
    split = []
    for line_no, text in _corpus_lists(name):
        try:
            split.append((line_no, text, tuple(split_indicator_text(text))))
        except ValueError:
            continue
    return tuple(split)


# Hand counts of the printed items; 004 rows 199–203 lost their indicator column, so their last
# cell is the 绩效目标 goal text, which is not an indicator list and must be refused.
@pytest.mark.parametrize(
    ("name", "expected_items", "refused_lines"),
    [
        (TIANHE, 69, set()),
        (HUADU, 188, set()),
        (PANYU, 148, set()),
        (CITY, 1307, {199, 200, 201, 202, 203}),
    ],
)
def test_every_indicator_list_of_the_corpus_splits_into_the_hand_counted_items(
    name, expected_items, refused_lines
):
    refused = set()
    for line_no, text in _corpus_lists(name):
        try:
            split_indicator_text(text)
        except ValueError as error:
            assert "no numbered indicator item" in str(error)
            refused.add(line_no)
    assert refused == refused_lines
    assert sum(len(items) for _, _, items in _corpus_items(name)) == expected_items


@pytest.mark.parametrize("name", [TIANHE, HUADU, PANYU, CITY])
def test_items_are_numbered_in_order_and_point_at_their_printed_text(name):
    for line_no, text, items in _corpus_items(name):
        assert [item.item_no for item in items] == list(range(1, len(items) + 1)), line_no
        ends = [item.start for item in items[1:]] + [len(text)]
        for item, end in zip(items, ends):
            assert text.startswith(f"{item.item_no}、", item.start), (line_no, item.item_no)
            assert text[item.start : end].startswith(item.item_text)
            # Whatever follows item_text up to the next item is only its printed separator.
            assert re.fullmatch(r"[\s；;，,。.]*", text[item.start + len(item.item_text) : end])


@pytest.mark.parametrize("name", [TIANHE, HUADU, PANYU, CITY])
def test_every_field_is_filled_except_where_the_document_prints_nothing(name):
    missing = {
        (line_no, item.item_no, field)
        for line_no, _, items in _corpus_items(name)
        for item in items
        for field in FIELDS
        if not getattr(item, field)
    }
    # 004 line 150, item 3 prints no indicator name: "3、3-满意度指标；31-服务对象满意度；实施周期指标值:…"
    assert missing == ({(150, 3, "indicator_name")} if name == CITY else set())


@pytest.mark.parametrize("name", [TIANHE, HUADU, PANYU, CITY])
def test_fields_hold_no_labels_codes_or_separators_of_their_neighbours(name):
    for line_no, _, items in _corpus_items(name):
        for item in items:
            assert re.fullmatch(r"[1-4]-[^；;，,]+", item.level1), (line_no, item)
            assert re.fullmatch(r"[1-4][0-9]-[^；;，,]+", item.level2), (line_no, item)
            for field in ("indicator_name", "cycle_target", "annual_target"):
                value = getattr(item, field) or ""
                assert "指标值" not in value and not re.search(r"[；;，,。:：\s]$", value), (
                    line_no,
                    item,
                )


def _city_cell(line_no: int) -> str:
    return dict(_table_cells(CITY))[line_no]


def _fields(item: SplitItem) -> tuple[str | None, ...]:
    return tuple(getattr(item, field) for field in FIELDS)


# Real indicator lists, named by document and line (TIANHE_12: 000 line 12) and quoted verbatim,
# whole or the items named (_START: its first items).
TIANHE_12 = (
    "1、3-满意度指标,31-服务对象满意度,服务对象满意度；实施周期指标值:≥90%,年度指标值:≥90%;,"
    "2、2-效益指标,22-社会效益,惠及人次；实施周期指标值:≥10000人次,年度指标值:≥10000人次;.,"
    "3、1-产出指标,12-质量指标,补贴发放准确率；实施周期指标值:≥95%,年度指标值:≥95%；"
)
TIANHE_41 = (
    "1、1-产出指标,11-数量指标,审核医疗数据条数;实施周期指标值:>3.1万条/月,年度指标值:>3.1万条/月;;"
    "2、1-产出指标,11-数量指标,定点医疗机构数;实施周期指标值:>180个,年度指标值:>180个;;"
    "3、1-产出指标,11-数量指标,参保单位数量;实施周期指标值:230个,年度指标值:230个;;"
    "4、1-产出指标,11-数量指标,参保人数;实施周期指标值:>28000人,年度指标值:>28000人;"
)
TIANHE_32_START = (
    "1、1-产出指标,11-数量指标,参加培训人次；实施周期指标值:230人,年度指标值:230人; ; "
    "2、1-产出指标,12-质量指标,薪酬调查企业填报率；实施周期指标值:100%,年度指标值:100%; ; "
)
TIANHE_19 = (
    "1、1-产出指标,11-数量指标,变更、教学督导；实施周期指标值:80所,年度指标值:80所；,"
    "2、1-产出指标,13-时效指标,在法定时限内完成职称申请审核；实施周期指标值:100%,年度指标值:100%；"
)
TIANHE_52 = (
    "1、1-产出指标,13-时效指标,2023年底前还清欠款；实施周期指标值:2023年底前还清欠款,"
    "年度指标值:2023年底前还清欠款；"
)
TIANHE_46_ITEM_1 = (
    "1、2-效益指标,21-经济效益,宣传推广服务；实施周期指标值:制作港澳青年创业故事纪录短片不少于30个，"
    "推出1本港澳青年创业故事集并印制，每季度推出基地宣传简报并印制。；年度指标值:制作港澳青年创业故事"
    "纪录短片不少于30个，推出1本港澳青年创业故事集并印制，每季度推出基地宣传简报并印制。；"
)
PANYU_19_START = (
    "1、1-产出指标；11-数量指标；资料核查数量和现场核查数量；实施周期指标值:1000宗；500家企业；"
    "年度指标值:1000宗；500家企业。2、1-产出指标；12-质量指标；监管核查占上年度资金支出总额的比重；"
    "实施周期指标值:不少于5%；年度指标值:不少于5%。"
)
PANYU_34_START = (
    "1、1-产出指标;11-数量指标;补贴发放人数;实施周期指标值:6人;年度指标值:6人。"
    "2、1-产出指标;12-质量指标;补贴发放合规性;实施周期指标值:合规;年度指标值:合规。"
)
PANYU_38_START = (
    "1、1-产出指标；11-数量指标；劳监案件受理数量；实施周期指标值：>30000宗；年度指标值：>30000宗。"
    "2、1-产出指标；13-时效指标；劳监案件办结率；实施周期指标值：>95%；年度指标值：>95%。"
)
CITY_162_ITEM_1 = (
    "1、1-产出指标；11-数量指标；窗口服务岗位数量；实施周期指标值: 岗位数量8个；年度指标值: 岗位数量8个。"
)


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        (TIANHE, TIANHE_12),
        (TIANHE, TIANHE_41),
        (TIANHE, TIANHE_32_START),
        (TIANHE, TIANHE_19),
        (TIANHE, TIANHE_52),
        (TIANHE, TIANHE_46_ITEM_1),
        (PANYU, PANYU_19_START),
        (PANYU, PANYU_34_START),
        (PANYU, PANYU_38_START),
        (CITY, CITY_162_ITEM_1),
    ],
)
def test_quoted_samples_are_printed_in_their_documents(name, quoted):
    assert quoted in "\n".join(document_lines(name))


def test_comma_separated_fields_with_semicolon_comma_and_semicolon_dot_comma_between_items():
    items = split_indicator_text(TIANHE_12)
    assert [_fields(item) for item in items] == [
        ("3-满意度指标", "31-服务对象满意度", "服务对象满意度", "≥90%", "≥90%"),
        ("2-效益指标", "22-社会效益", "惠及人次", "≥10000人次", "≥10000人次"),
        ("1-产出指标", "12-质量指标", "补贴发放准确率", "≥95%", "≥95%"),
    ]
    assert [item.start for item in items] == [0, TIANHE_12.index("2、2-"), TIANHE_12.index("3、1-")]
    assert items[1].item_text == (
        "2、2-效益指标,22-社会效益,惠及人次；实施周期指标值:≥10000人次,年度指标值:≥10000人次"
    )


def test_double_semicolons_between_items_and_a_target_with_a_decimal_and_a_slash():
    items = split_indicator_text(TIANHE_41)
    assert [item.item_no for item in items] == [1, 2, 3, 4]
    assert _fields(items[0]) == ("1-产出指标", "11-数量指标", "审核医疗数据条数", ">3.1万条/月", ">3.1万条/月")
    assert _fields(items[3]) == ("1-产出指标", "11-数量指标", "参保人数", ">28000人", ">28000人")


def test_spaced_semicolons_between_items():
    items = split_indicator_text(TIANHE_32_START)
    assert [_fields(item) for item in items] == [
        ("1-产出指标", "11-数量指标", "参加培训人次", "230人", "230人"),
        ("1-产出指标", "12-质量指标", "薪酬调查企业填报率", "100%", "100%"),
    ]
    assert items[1].start == TIANHE_32_START.index("2、1-")


def test_half_width_semicolons_and_full_stop_between_items():
    items = split_indicator_text(PANYU_34_START)
    assert [_fields(item) for item in items] == [
        ("1-产出指标", "11-数量指标", "补贴发放人数", "6人", "6人"),
        ("1-产出指标", "12-质量指标", "补贴发放合规性", "合规", "合规"),
    ]


def test_full_width_colons():
    items = split_indicator_text(PANYU_38_START)
    assert [(item.cycle_target, item.annual_target) for item in items] == [
        (">30000宗", ">30000宗"),
        (">95%", ">95%"),
    ]


def test_a_space_after_the_colon_is_not_part_of_the_target():
    (item,) = split_indicator_text(CITY_162_ITEM_1)
    assert (item.cycle_target, item.annual_target) == ("岗位数量8个", "岗位数量8个")


def test_a_target_containing_a_semicolon_is_cut_at_the_annual_label():
    items = split_indicator_text(PANYU_19_START)
    assert _fields(items[0]) == (
        "1-产出指标",
        "11-数量指标",
        "资料核查数量和现场核查数量",
        "1000宗；500家企业",
        "1000宗；500家企业",
    )
    assert items[1].cycle_target == "不少于5%"


def test_names_containing_digits_or_enumeration_commas():
    assert split_indicator_text(TIANHE_19)[0].indicator_name == "变更、教学督导"
    assert split_indicator_text(TIANHE_52)[0].indicator_name == "2023年底前还清欠款"
    # 004 line 404, item 4
    assert split_indicator_text(_city_cell(404))[3].indicator_name == "12345政务服务热线工单办结满意度1"


def test_a_printed_ellipsis_is_not_a_separator():
    # 004 line 146, item 2: "待单位补充...；实施周期指标值:…" (a placeholder left in the document)
    assert split_indicator_text(_city_cell(146))[1].indicator_name == "待单位补充..."


def test_a_semicolon_dot_comma_between_items_is_dropped_whole():
    # 000 line 13: "…年度指标值:65%以上;.,2、…"
    items = split_indicator_text(dict(_table_cells(TIANHE))[13])
    assert items[0].annual_target == "65%以上"
    assert items[0].item_text.endswith("年度指标值:65%以上")


def test_a_target_containing_digits_and_enumeration_commas():
    item = split_indicator_text(_city_cell(45))[4]  # 004 line 45, item 5
    assert _fields(item) == (
        "4-成本指标",
        "41-经济成本指标",
        "社会申办退休人员春节、中秋节节日慰问金标准",
        "春节、中秋各50元/人",
        "=50元/人次",
    )


def test_a_sentence_target_loses_its_closing_full_stop_in_both_targets_alike():
    (item,) = split_indicator_text(TIANHE_46_ITEM_1)
    expected = (
        "制作港澳青年创业故事纪录短片不少于30个，推出1本港澳青年创业故事集并印制，每季度推出基地宣传简报并印制"
    )
    assert (item.cycle_target, item.annual_target) == (expected, expected)


def test_an_item_that_prints_no_indicator_name():
    items = split_indicator_text(_city_cell(150))[2:]  # 004 line 150, items 3 and 4
    assert _fields(items[0]) == (
        "3-满意度指标",
        "31-服务对象满意度",
        None,
        "外来办事人员对服务大厅的环境评价，有效投诉率低于10%",
        "外来办事人员对服务大厅的环境评价，有效投诉率低于10%",
    )
    assert _fields(items[1]) == ("4-成本指标", "41-经济成本指标", "采购成本", "0", "0")


def test_an_item_that_prints_no_level_2_code_keeps_its_name_as_the_name():
    # 002 line 34, item 1, edited to drop its level-2 category.
    edited = PANYU_34_START.replace("11-数量指标;", "", 1)
    assert _fields(split_indicator_text(edited)[0]) == (
        "1-产出指标",
        None,
        "补贴发放人数",
        "6人",
        "6人",
    )


def test_a_list_wrapped_over_pdf_lines():
    lists = dict(_pdf_indicator_lists(HUADU))
    # 001 lines 39–53: "2、" ends line 41 and "4、" ends line 49, so the numbers sit at line ends.
    items = split_indicator_text(lists[39])
    assert [_fields(item) for item in items] == [
        ("1-产出指标", "11-数量指标", "企业薪酬调查户数", "255", "255"),
        ("1-产出指标", "12-质量指标", "工作计划完成率", "≥90%", "≥90%"),
        ("2-效益指标", "24-可持续影响", "企业对政策接受度", "≥90%", "≥90%"),
        ("3-满意度指标", "31-服务对象满意度", "目标群体满意度", "≥85%", "≥85%"),
    ]


def test_two_digit_numbers_are_not_read_as_their_last_digit():
    text = _city_cell(12)  # 004 line 12: 14 items
    items = split_indicator_text(text)
    assert [item.item_no for item in items] == list(range(1, 15))
    assert items[10].start == text.index("11、3-满意度指标")
    assert items[10].indicator_name == "就业扶持政策经办满意度"


def test_a_number_out_of_sequence_inside_a_target_is_not_an_item_boundary():
    # 004 line 45 with item 5's cycle target edited to cite a document "1、2-号文": "1、" is
    # followed by a level-1-like code, but item 6 is expected, so it stays in the target.
    text = _city_cell(45).replace("春节、中秋各50元/人", "按1、2-号文执行")
    items = split_indicator_text(text)
    assert [item.item_no for item in items] == [1, 2, 3, 4, 5]
    assert items[4].cycle_target == "按1、2-号文执行"


def test_the_next_number_inside_a_target_is_no_item_boundary_without_a_level_1_name():
    # 004 line 45 with item 5's cycle target edited to "第6、1-2批": item 6 is expected next, but a
    # digit, not a level-1 name, follows "1-".
    text = _city_cell(45).replace("春节、中秋各50元/人", "第6、1-2批")
    items = split_indicator_text(text)
    assert [item.item_no for item in items] == [1, 2, 3, 4, 5]
    assert items[4].cycle_target == "第6、1-2批"


@pytest.mark.parametrize("text", [None, "", "  "])
def test_no_text_gives_no_items(text):
    assert split_indicator_text(text) == []


def test_goal_text_is_refused():
    goal = _city_cell(199)  # 004 line 199: the 绩效目标 goal sits in the last cell
    with pytest.raises(ValueError, match=r"offset 0: no numbered indicator item"):
        split_indicator_text(goal)


def test_text_before_item_1_is_refused_with_its_offset():
    expected = r"offset 0: text before item 1 \(item 1 starts at offset 4\)"
    with pytest.raises(ValueError, match=expected):
        split_indicator_text("绩效指标" + TIANHE_19)


def test_a_skipped_number_is_refused_as_broken_numbering():
    item_2 = TIANHE_41.index("2、1-")
    broken = TIANHE_41.replace("2、1-产出指标", "3、1-产出指标", 1)
    second_label = TIANHE_41.index("实施周期指标值", item_2)
    with pytest.raises(
        ValueError,
        match=rf"offset {second_label}: item 1 \(offset 0\) has a second 实施周期指标值 label; "
        rf"numbering broken: item 2 expected, but '3、1-' printed at offset {item_2}",
    ):
        split_indicator_text(broken)


def test_an_item_without_its_annual_target_label_is_refused():
    cut = PANYU_34_START.replace("年度指标值:合规", "合规")
    with pytest.raises(
        ValueError,
        match=rf"offset {PANYU_34_START.index('2、1-')}: item 2 has no 年度指标值 label",
    ):
        split_indicator_text(cut)


def test_an_item_without_its_cycle_target_label_is_refused():
    cut = TIANHE_52.replace("实施周期指标值:", "")
    with pytest.raises(ValueError, match=r"offset 0: item 1 has no 实施周期指标值 label"):
        split_indicator_text(cut)


def test_targets_printed_in_the_wrong_order_are_refused():
    swapped = PANYU_34_START.replace("实施周期指标值:6人;年度指标值:6人", "年度指标值:6人;实施周期指标值:6人")
    with pytest.raises(ValueError, match=r"item 1 prints 年度指标值 before 实施周期指标值"):
        split_indicator_text(swapped)
