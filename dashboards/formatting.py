"""How figures from the marts are written on screen; the browser test formats expected values
with these same functions, so what it looks for is exactly what a person sees."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

NO_DATA = "无数据"  # a missing year or value is said, never shown as 0

_CENT = Decimal("0.01")

# Characters that start Markdown (or Streamlit's Markdown extensions: $math$, :icon:) inside a line.
_INLINE = re.compile(r"([\\`*_\[\]<>#|~$:])")
# List markers at the start of a line: "- x", "+ x", "1. x", "1) x".
_BULLET = re.compile(r"^(\s*)([-+])(\s)", re.MULTILINE)
_ORDERED = re.compile(r"^(\s*)(\d+)([.)])(\s)", re.MULTILINE)


def _number(value: object) -> Decimal | None:
    # Marts deliver DECIMAL as Decimal; integer and float columns are taken as exact as given.
    # pandas turns a missing value in a numeric column into NaN or NA: both mean no data.
    if value is None or pd.isna(value):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def wan(value: object) -> str:
    """An amount in 万元, rounded half up to 0.01 as the documents print it: 1,408,104.19."""
    number = _number(value)
    if number is None:
        return NO_DATA
    return f"{number.quantize(_CENT, rounding=ROUND_HALF_UP):,.2f}"


def signed_wan(value: object) -> str:
    """A change in 万元 with its sign: +1,234.50 / -20.00."""
    number = _number(value)
    if number is None:
        return NO_DATA
    return f"{number.quantize(_CENT, rounding=ROUND_HALF_UP):+,.2f}"


def percent(value: object) -> str:
    """A number already in percent (12.5 for 12.5%), to 0.01 as the marts round it: 12.50%."""
    number = _number(value)
    if number is None:
        return NO_DATA
    return f"{number.quantize(_CENT, rounding=ROUND_HALF_UP)}%"


def signed_percent(value: object) -> str:
    """A change in percent with its sign: +167.98%."""
    number = _number(value)
    if number is None:
        return NO_DATA
    return f"{number.quantize(_CENT, rounding=ROUND_HALF_UP):+}%"


def share(value: object) -> str:
    """A share stored as a fraction to 4 places (0.8333): 83.33%."""
    number = _number(value)
    if number is None:
        return NO_DATA
    return percent(number * 100)


def ratio(value: object) -> str:
    """A plain ratio such as indicators per project, to 0.01 as the mart rounds it: 3.50."""
    number = _number(value)
    if number is None:
        return NO_DATA
    return f"{number.quantize(_CENT, rounding=ROUND_HALF_UP)}"


def plain(value: object) -> str:
    """A parsed target value as written, without trailing zeros: 1.32, 90; — when there is none
    (a qualitative target has no value, which is not the same as missing data)."""
    number = _number(value)
    if number is None:
        return "—"
    return f"{number.normalize():f}"


def text(value: object) -> str:
    """A text or code as the mart has it; — for none."""
    return "—" if value is None or pd.isna(value) else str(value)


def yes_no(value: object) -> str:
    if value is None or pd.isna(value):
        return "—"
    return "是 yes" if value else "否 no"


def markdown_safe(text: str) -> str:
    """Text from the data, escaped for the places Streamlit renders as Markdown (tables,
    headers, captions, alerts): a target printed as ">3.1万条/月" keeps its ">" instead of
    turning into a block quote."""
    escaped = _INLINE.sub(r"\\\1", text)
    escaped = _BULLET.sub(r"\1\\\2\3", escaped)
    return _ORDERED.sub(r"\1\2\\\3\4", escaped)
