"""Layout families. Each module offers LAYOUT, detect(rows) and parse(rows, hints) on rows of cells."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from extract.cells import Row
from extract.grid import cells_of
from extract.layouts import forms, pdf_text, self_evaluation, tsv_table
from extract.records import ExtractError
from extract.vocabulary import vocabulary

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
        f"unknown layout: not one of {known} (first text: {first[1][:40]!r}); {unknown_header(rows)}",
        first[0],
    )


def unknown_header(rows: Sequence[Row]) -> str:
    """The row that reads most like a header, what its cells map to and what they don't: the
    few rows a new variant needs in seeds/header_vocabulary.csv (or a small recognizer)."""
    best: tuple[int, Row, str, bool] | None = None
    sections = vocabulary().sections
    for row in rows:
        cells = cells_of(row)
        if len(cells) < 2:
            continue
        header = vocabulary().header(((cell.column, cell.text) for cell in cells), sections)
        if header.columns and (best is None or len(header.columns) > best[0]):
            best = (len(header.columns), row, header.describe(), not header.unmapped)
    if best is None:
        return "no row has a cell the header vocabulary (seeds/header_vocabulary.csv) knows"
    _, row, described, all_known = best
    where = f"row {row.number}" + (f" ({row.location})" if row.location else "")
    fix = (
        "every label is known, so the template (its title) needs a recognizer under extract/layouts/"
        if all_known
        else "add the labels not in the vocabulary to seeds/header_vocabulary.csv"
    )
    return f"the header-like {where}: {described}; {fix}"
