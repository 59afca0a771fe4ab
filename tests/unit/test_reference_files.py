"""The blind reference readings (tests/reference/*.json) are well formed and agree with
themselves: counts are the lengths of their lists, weights add up as recorded, every amount is
a decimal, each verdict follows from its reading, each recorded check holds or fails as its own
figures say. The readers' tests compare the readers against these files; this only guards
the files."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
FAMILY = Path(__file__).resolve().parents[1] / "fixtures" / "family"
FILES = ("examples_reading.json", "family_reading.json")

TEMPLATES = {"unit_target", "project_form", "self_evaluation"}
BLOCKS = {"资金来源", "支出明细", "预算整体情况", "项目预算执行情况", "年度重点工作任务"}
COMPARATORS = {"≥", "≤", "=", ">", "<", None}
KINDS = {"quantitative", "compound", "text", "text_with_number"}
VERDICTS = {"met", "not_met", "not_comparable"}


def decimal(text: object) -> Decimal:
    assert isinstance(text, str), f"{text!r} is not a decimal string"
    try:
        value = Decimal(text)
    except InvalidOperation:
        pytest.fail(f"{text!r} is not a decimal")
    assert value.is_finite(), text
    return value


def is_decimal(text: object) -> bool:
    try:
        return isinstance(text, str) and Decimal(text).is_finite()
    except InvalidOperation:
        return False


def documents() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for name in FILES:
        data = json.loads((REFERENCE / name).read_text(encoding="utf-8"))
        assert data["documents"], f"{name} reads no document"
        found += [(name, key, doc) for key, doc in data["documents"].items()]
    return found


DOCUMENTS = documents()
IDS = [key for _, key, _ in DOCUMENTS]


@pytest.fixture(params=DOCUMENTS, ids=IDS)
def document(request: pytest.FixtureRequest) -> dict[str, Any]:
    return request.param[2]


def test_every_file_holds_each_template() -> None:
    for name in FILES:
        templates = {doc["template"] for file, _, doc in DOCUMENTS if file == name}
        assert templates == TEMPLATES, name


def test_header_fields(document: dict[str, Any]) -> None:
    assert document["template"] in TEMPLATES
    assert isinstance(document["fiscal_year"], int) and 2000 <= document["fiscal_year"] <= 2100
    assert document["department"]
    if document["template"] in ("project_form", "self_evaluation"):
        assert document["project_name"] and document["implementing_unit"]
    else:
        assert document["project_name"] is None


def test_counts_are_list_lengths(document: dict[str, Any]) -> None:
    counts = document["counts"]
    assert counts["indicators"] == len(document["indicators"]) > 0
    assert counts["key_tasks"] == len(document["key_tasks"])
    assert counts["amount_items"] == len(document["amounts"]) > 0
    assert counts["blank_amount_cells"] == len(document["blank_amount_cells"])
    assert counts["empty_categories"] == len(document["empty_categories"])
    if document["template"] == "self_evaluation":
        assert counts["verdicts"] == dict(Counter(i["verdict"] for i in document["indicators"]))


def test_amounts_are_decimals(document: dict[str, Any]) -> None:
    cells = [amount["cell"] for amount in document["amounts"]]
    assert len(cells) == len(set(cells)), "an amount cell listed twice"
    for amount in document["amounts"]:
        value = decimal(amount["value"])
        assert amount["label"] and amount["displayed"]
        assert amount["block"] in BLOCKS, amount
        assert amount["unit"] in ("万元", "元"), amount
        shown = amount["displayed"].replace(",", "")
        # What Excel shows is the value rounded to the format's places, never another figure.
        places = -Decimal(shown).as_tuple().exponent  # type: ignore[operator]
        assert value.quantize(Decimal(1).scaleb(-places)) == Decimal(shown), amount
        if amount["unit"] == "元":
            assert decimal(amount["value_wan"]) * 10000 == value, amount
    for blank in document["blank_amount_cells"]:
        assert blank["label"] and blank["cell"] not in cells


def test_key_tasks_are_among_the_amounts(document: dict[str, Any]) -> None:
    task_amounts = sorted(
        decimal(a["value"]) for a in document["amounts"] if a["block"] == "年度重点工作任务"
    )
    assert sorted(decimal(task["amount"]) for task in document["key_tasks"]) == task_amounts
    for task in document["key_tasks"]:
        assert task["name"] and task["unit"] in ("万元", "元")


def test_indicators_in_printed_order(document: dict[str, Any]) -> None:
    indicators = document["indicators"]
    assert [i["seq"] for i in indicators] == list(range(1, len(indicators) + 1))
    rows = [i["row"] for i in indicators]
    assert rows == sorted(rows) and len(set(rows)) == len(rows)
    previous: dict[str, Any] | None = None
    for indicator in indicators:
        assert indicator["name"] and "\n" not in indicator["name"]
        assert indicator["level1"], indicator
        for level in ("level1", "level2"):
            if indicator[f"{level}_inherited"]:
                assert previous is not None and indicator[level] == previous[level], indicator
        previous = indicator
    assert not indicators[0]["level1_inherited"]


def test_target_readings(document: dict[str, Any]) -> None:
    for indicator in document["indicators"]:
        for side in ("target", "achieved"):
            reading = indicator.get(f"{side}_reading")
            if reading is None:
                continue
            assert reading["comparator"] in COMPARATORS
            assert reading["kind"] in KINDS
            if reading["compound"]:
                assert reading["kind"] == "compound" and reading["value"] is None
                assert len([decimal(v) for v in reading["values"]]) >= 2
            elif reading["kind"] == "text":
                assert reading["value"] is None and reading["comparator"] is None
            else:
                decimal(reading["value"])
            check_percent_display(indicator, side)


def check_percent_display(indicator: dict[str, Any], side: str) -> None:
    """A number under a percent format displays as the percent (1 → 100%, 0.935 → 93.5%)."""
    number_format = indicator[f"{side}_number_format"]
    stored = indicator.get(f"{side}_stored")
    if stored is None or "%" not in number_format:
        return
    places = len(number_format.split(".")[1].rstrip("%")) if "." in number_format else 0
    shown = (decimal(stored) * 100).quantize(Decimal(1).scaleb(-places))
    assert indicator[f"{side}_printed"] == f"{shown}%", indicator
    assert decimal(indicator[f"{side}_reading"]["value"]) == shown


def test_self_evaluation_weights_and_verdicts(document: dict[str, Any]) -> None:
    if document["template"] != "self_evaluation":
        assert all("verdict" not in i for i in document["indicators"])
        return
    weights = sum((decimal(i["weight"]) for i in document["indicators"]), Decimal(0))
    weights += decimal(document.get("execution_rate_weight", "0"))
    assert weights == decimal(document["weight_sum"]) == 100
    if "score_sum" in document:
        scores = sum((decimal(i["score"]) for i in document["indicators"]), Decimal(0))
        scores += decimal(document["budget_execution"]["score"])
        assert scores == decimal(document["score_sum"])
    for indicator in document["indicators"]:
        assert indicator["verdict"] in VERDICTS and indicator["verdict_reason"]
        assert indicator["verdict"] == expected_verdict(indicator), indicator["name"]


def expected_verdict(indicator: dict[str, Any]) -> str:
    """The verdict the README's rule gives from the two readings."""
    target, achieved = indicator["target_reading"], indicator["achieved_reading"]
    if target["kind"] == "text" or achieved["kind"] == "text":
        same = indicator["target_printed"] == indicator["achieved_printed"]
        return "met" if same else "not_comparable"
    want, got = decimal(target["value"]), decimal(achieved["value"])
    holds = {
        "≥": got >= want,
        "≤": got <= want,
        "=": got == want,
        ">": got > want,
        "<": got < want,
        None: got >= want,
    }[target["comparator"]]
    return "met" if holds else "not_met"


def test_checks_hold_as_their_figures_say(document: dict[str, Any]) -> None:
    for check in document["checks"]:
        assert check["name"] and check["cells"] and isinstance(check["holds"], bool)
        assert isinstance(check["required"], bool)
        left, right, tolerance = check["left"], check["right"], check["tolerance"]
        if is_decimal(left) and is_decimal(right) and is_decimal(tolerance):
            within = abs(decimal(left) - decimal(right)) <= decimal(tolerance)
            assert within == check["holds"], check
        if "difference" in check:
            assert abs(decimal(left) - decimal(right)) == decimal(check["difference"]), check


def test_inconsistencies_name_their_cells(document: dict[str, Any]) -> None:
    failing = [c for c in document["checks"] if c["required"] and not c["holds"]]
    for item in document["inconsistencies"]:
        assert item["what"] and item["cells"]
    # A required check that fails is an inconsistency the document has: it must be listed.
    for check in failing:
        assert any(set(check["cells"]) & set(i["cells"]) for i in document["inconsistencies"]), check


def test_family_documents_exist_in_every_format() -> None:
    family = json.loads((REFERENCE / "family_reading.json").read_text(encoding="utf-8"))
    for stem, doc in family["documents"].items():
        assert set(doc["formats"]) == {"xlsx", "pdf", "html", "docx"}
        for extension in doc["formats"]:
            path = FAMILY / f"{stem}.{extension}"
            assert path.is_file() and path.stat().st_size > 0, path
