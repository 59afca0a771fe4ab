"""The header vocabulary: labels as templates print them, mapped to fields through the seed."""

from __future__ import annotations

import csv

import pytest

from extract.vocabulary import SEED, Vocabulary, marker_pattern, read_label, squeeze, vocabulary


@pytest.mark.parametrize(
    ("printed", "sections", "field"),
    [
        # Chongqing's self-evaluation: a marker and a bracketed definition after the label.
        ("全年预算数（A）\n（上年结转+年初预算+本年追加追减预算（不含年底收回））", ["execution"], "annual_budget"),
        ("指标\n性质", ["indicator_grid"], "comparator"),
        ("全年\n完成值", ["indicator_grid"], "achieved"),
        # The same label means different fields in different blocks.
        ("预算金额（万元）", ["key_task"], "task_amount"),
        ("预算金额（万元）", ["amounts"], "total"),
        ("1.一般公共预算财政拨款收入", ["amounts"], "fiscal"),
        ("年度(/项目)指标值", ["indicator_grid"], "annual_target"),
        ("期望达到的目标 （概述）", ["key_task"], "task_expected"),
        ("其他需完成的任务 （可选填）", ["blocks"], "other_tasks"),
        ("三级指标", ["indicator_grid"], "indicator_name"),
        ("指标内容", ["indicator_grid"], "indicator_name"),
    ],
)
def test_a_printed_label_is_read_as_its_field(printed: str, sections: list[str], field: str) -> None:
    match = vocabulary().match(printed, sections)
    assert match is not None and match.field == field


def test_a_label_keeps_its_amount_unit_and_a_part_of_line_says_so() -> None:
    assert read_label("项目资金(元)").amount_unit == "元"
    assert read_label("拟投入的资金（万元）").amount_unit == "万元"
    part = read_label("  其中：申请当年预算拨款")
    assert part.part_of_above and part.key == "申请当年预算拨款"


def test_a_label_of_another_block_or_no_label_is_not_matched() -> None:
    assert vocabulary().match("名称", ["indicator_grid"]) is None
    assert vocabulary().match("城镇新增就业人数", ["indicator_grid", "amounts", "project"]) is None
    assert vocabulary().match("   ", ["project"]) is None


def test_a_header_row_names_its_fields_and_the_cells_it_could_not_map() -> None:
    header = vocabulary().header(
        [(1, "一级指标"), (2, "二级指标"), (3, "指标内容"), (4, "指标值"), (5, "备  注"), (6, "填报说明")],
        ["indicator_grid"],
    )
    assert header.fields == {
        "level1": 1, "level2": 2, "indicator_name": 3, "annual_target": 4, "remark": 5,
    }
    assert header.unmapped == [(6, "填报说明")]
    assert "'填报说明'" in header.describe()


def test_a_label_with_two_meanings_in_one_section_is_refused() -> None:
    with pytest.raises(ValueError, match="means both"):
        Vocabulary([("指标值", "annual_target", "indicator_grid"), ("指标值", "achieved", "indicator_grid")])


def test_the_seed_loads_and_every_row_names_a_known_section() -> None:
    with SEED.open(encoding="utf-8") as file:
        sections = {row["section"] for row in csv.DictReader(file)}
    assert set(vocabulary().sections) == sections
    assert {"project", "amounts", "goals", "indicator_grid", "blocks"} <= sections


def test_a_marker_pattern_finds_every_label_however_it_is_printed() -> None:
    # The layouts skip rows the pattern finds nothing in: it must find every printing of a
    # label that squeeze() reads as the label (spaces and line breaks inside, brackets and
    # colons in either width).
    for section in ("titles", "self_evaluation", "project"):
        keys = vocabulary().keys(section)
        pattern = marker_pattern(keys)
        assert pattern is not None
        for key in keys:
            for printed in (key, " ".join(key), "\n".join(key).replace("（", "(").replace("）", ")").replace("：", ":")):
                assert key in squeeze(printed)
                assert pattern.search(printed), (section, key, printed)


def test_a_marker_pattern_is_none_when_a_label_has_only_characters_squeeze_may_write() -> None:
    assert marker_pattern(["项目名称", "（）"]) is None
    assert marker_pattern([]) is None
    pattern = marker_pattern(["项目名称（元）"])
    assert pattern is not None and pattern.search("元") and not pattern.search("()")
