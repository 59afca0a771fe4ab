"""Layout families. Each module offers LAYOUT, detect(rows) and parse(rows, hints) on rows of cells."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from extract.cells import Row
from extract.layouts import forms, pdf_text, self_evaluation, tsv_table
from extract.records import ExtractError

LAYOUTS: tuple[ModuleType, ...] = (tsv_table, pdf_text, forms, self_evaluation)


def matching_layouts(rows: Sequence[Row]) -> list[ModuleType]:
    return [layout for layout in LAYOUTS if layout.detect(rows)]


def detect_layout(rows: Sequence[Row]) -> ModuleType:
    """The one layout whose detector recognises the rows; the file name plays no part."""
    matches = matching_layouts(rows)
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(layout.LAYOUT for layout in matches)
        raise ExtractError(f"ambiguous layout: the text looks like each of {names}")
    first = next(((row.number, row.text.strip()) for row in rows if row.text.strip()), (1, ""))
    known = ", ".join(layout.LAYOUT for layout in LAYOUTS)
    raise ExtractError(
        f"unknown layout: not one of {known} (first text: {first[1][:40]!r}); "
        "a new layout needs a parser under extract/layouts/",
        first[0],
    )
