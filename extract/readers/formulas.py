"""Formulas a workbook stores without their result.

Excel and WPS save each formula's result beside it, which is what the workbook reader shows. A
file written by another program may store the formula alone (`=F27+F28+…`): Excel shows the sum,
a reader of saved results shows nothing. The sums and differences of cells that totals are made
of are computed here, exactly (decimals); any other formula stays unread (an empty cell).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

_REF = r"\$?([A-Z]{1,3})\$?(\d+)"
_TERM = re.compile(
    rf"(?P<sign>[+-]?)\s*(?:SUM\((?P<ranges>[^()]*)\)|{_REF}|(?P<number>\d+(?:\.\d+)?))\s*", re.IGNORECASE
)
_RANGE = re.compile(rf"^\s*{_REF}\s*(?::\s*{_REF}\s*)?$", re.IGNORECASE)

Lookup = Callable[[int, int], object]  # (row, column) → the cell's value (None when empty)


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def evaluate(formula: str, value_of: Lookup) -> Decimal | None:
    """The value of a formula made of + and - between cells, numbers and SUM(ranges); None for
    any other formula or a referenced cell that holds no number."""
    text = formula.strip().removeprefix("=")
    total = Decimal(0)
    at = 0
    while at < len(text):
        term = _TERM.match(text, at)
        if term is None or term.end() == at or (at > 0 and not term["sign"]):
            return None
        value = _term_value(term, value_of)
        if value is None:
            return None
        total += -value if term["sign"] == "-" else value
        at = term.end()
    return total if text else None


def _term_value(term: re.Match[str], value_of: Lookup) -> Decimal | None:
    if term["number"]:
        return Decimal(term["number"])
    if term["ranges"] is None:
        return _number(value_of(int(term[4]), column_number(term[3])), in_sum=False)
    total = Decimal(0)
    for part in term["ranges"].split(","):
        span = _RANGE.match(part)
        if span is None:
            return None
        first_col, first_row = column_number(span[1]), int(span[2])
        last_col = column_number(span[3]) if span[3] else first_col
        last_row = int(span[4]) if span[4] else first_row
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                value = _number(value_of(row, col), in_sum=True)
                if value is None:
                    return None
                total += value
    return total


def _number(value: object, in_sum: bool) -> Decimal | None:
    """A cell's value as a decimal: empty is 0; SUM skips text, + and - can't add it."""
    if value is None:
        return Decimal(0)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        # repr of a float is the shortest text that reads back as it: the number as typed.
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if in_sum:
        return Decimal(0)
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None
