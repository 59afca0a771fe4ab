"""Layout families. Each module offers LAYOUT, detect(lines) and parse(lines, hints)."""

from __future__ import annotations

from types import ModuleType

from extract.layouts import forms, pdf_text, tsv_table
from extract.records import ExtractError

LAYOUTS: tuple[ModuleType, ...] = (tsv_table, pdf_text, forms)


def detect_layout(lines: list[str]) -> ModuleType:
    """The one layout whose detector recognises the text; the file name plays no part."""
    matches = [layout for layout in LAYOUTS if layout.detect(lines)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(layout.LAYOUT for layout in matches)
        raise ExtractError(f"ambiguous layout: the text looks like each of {names}")
    first = next(((n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()), (1, ""))
    known = ", ".join(layout.LAYOUT for layout in LAYOUTS)
    raise ExtractError(
        f"unknown layout: not one of {known} (first text: {first[1][:40]!r}); "
        "a new layout needs a parser under extract/layouts/",
        first[0],
    )
