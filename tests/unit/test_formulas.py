"""Formulas a workbook saves without their result: plain sums are computed, exactly."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from extract.readers.formulas import evaluate
from extract.readers.workbook import read_xlsx


def _lookup(values: dict[str, object]):
    def value_of(row: int, col: int) -> object:
        return values.get(f"{chr(ord('A') + col - 1)}{row}")

    return value_of


def test_sums_and_differences_of_cells_are_exact():
    values = {"F27": 874.18, "F28": 3080, "F29": 1545, "F30": 1195.82, "F31": 10, "F32": 25}
    assert evaluate("=F27+F28+F29+F30+F31+F32", _lookup(values)) == Decimal("6730.00")
    assert evaluate("=SUM(F27:F32)", _lookup(values)) == Decimal("6730.00")
    assert evaluate("=F28-F27+0.5", _lookup(values)) == Decimal("2206.32")
    # An empty cell is 0, as in Excel; a text cell can't be added, and SUM skips it.
    assert evaluate("=F27+F40", _lookup(values)) == Decimal("874.18")
    assert evaluate("=F27+A1", _lookup({**values, "A1": "合计"})) is None
    assert evaluate("=SUM(A1,F27)", _lookup({**values, "A1": "合计"})) == Decimal("874.18")


def test_other_formulas_stay_unread():
    assert evaluate("=AVERAGE(F27:F32)", _lookup({})) is None
    assert evaluate("=F27*2", _lookup({"F27": 1})) is None
    assert evaluate("=G6/F6", _lookup({"G6": 1, "F6": 2})) is None


def test_a_workbook_saved_without_results_shows_the_sums():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"] = "1.一般", 874.18
    sheet["A2"], sheet["B2"] = "2.补助", 5855.82
    sheet["A3"], sheet["B3"] = "合计", "=B1+B2"
    sheet["B3"].number_format = "0.00"
    sheet["B4"] = "=B3-B1"  # a formula over another uncached formula
    sheet["B5"] = "=MAX(B1:B2)"
    data = io.BytesIO()
    book.save(data)  # openpyxl saves formulas without results, as the files in question do
    rows = read_xlsx(data.getvalue()).pages[0].rows
    assert [row.text for row in rows] == ["1.一般\t874.18", "2.补助\t5855.82", "合计\t6730.00", "\t5855.82"]
