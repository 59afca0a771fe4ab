"""A workbook cell's value as the sheet displays it: the number format applied, exactly.

Covers the formats budget tables use: General, fixed decimals (0.00), thousands separators
(#,##0.00), percentages and text (@); a format with sections uses the one for the value's sign.
Anything fancier (dates in amount tables, fractions, scaling commas) shows the value General.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

# Colours and conditions, padding (_x: the width of x) and fill (*x) print nothing; quoted
# literals and escaped characters print themselves.
_SILENT = re.compile(r'\[[^\]]*\]|_.|\*.')
_LITERAL = re.compile(r'"([^"]*)"|\\(.)')
_DIGITS = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?%?")


def _general(value: Decimal) -> str:
    # Excel shows up to 11 significant digits in General; budget amounts never come close.
    text = format(value.normalize(), "f")
    return text


def _section(number_format: str, value: Decimal) -> tuple[str, bool]:
    """The format section for the value's sign, and whether that section prints the sign itself."""
    sections = number_format.split(";")
    if value < 0 and len(sections) > 1 and sections[1]:
        return sections[1], True
    if value == 0 and len(sections) > 2 and sections[2]:
        return sections[2], False
    return sections[0], False


def display_number(value: int | float | Decimal, number_format: str | None) -> str:
    """The number as a cell with this format shows it."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number_format or number_format.lower() in ("general", "@"):
        return _general(exact)
    section, signed = _section(number_format, exact)
    shown = _LITERAL.sub(lambda match: match.group(1) or match.group(2), _SILENT.sub("", section))
    digits = _DIGITS.search(shown)
    if digits is None:
        return _general(exact)
    pattern = digits.group()
    prefix, suffix = shown[: digits.start()], shown[digits.end() :]
    if pattern.endswith("%"):
        exact *= 100
    decimals = len(pattern.split(".")[1].rstrip("%")) if "." in pattern else 0
    rounded = abs(exact) if signed else exact
    rounded = rounded.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    grouping = "," if "," in pattern.split(".")[0] else ""
    text = format(rounded, f"{grouping}.{decimals}f")
    return prefix + text + ("%" if pattern.endswith("%") else "") + suffix


def display_value(value: object, number_format: str | None) -> str:
    """Any cell value as displayed; text keeps its wrapped lines joined as one."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return display_number(value, number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
