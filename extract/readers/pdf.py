"""PDF (the text layer, with pdfplumber): cells from the ruling lines and the characters' positions.

A table drawn with lines (or thin rectangles, as WPS and Excel export them) gives cells: the
characters inside a cell's box are its text, lines wrapped inside the box joined as one. Text
outside any table (titles, 部门名称 and 单位 lines) is one row per printed line. Rows follow
each other top to bottom, page after page.
"""

from __future__ import annotations

import io
from bisect import bisect_right
from dataclasses import replace

from extract.cells import Cell, CellDocument, Page, Row, join_wrapped, positioned_row
from extract.records import ExtractError

_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# Characters of a line of text sit on one baseline; this much vertical jitter still counts as one.
_LINE_TOLERANCE = 3
_POSITION_TOLERANCE = 1.0  # points: two ruling lines this close are one


def _box(bbox: tuple[float, float, float, float]) -> str:
    return "(" + ",".join(f"{value:.1f}" for value in bbox) + ")"


def _index(edges: list[float], value: float) -> int:
    return bisect_right(edges, value + _POSITION_TOLERANCE)


def _distinct(values: list[float]) -> list[float]:
    distinct: list[float] = []
    for value in sorted(values):
        if not distinct or value - distinct[-1] > _POSITION_TOLERANCE:
            distinct.append(value)
    return distinct


def _texts_by_cell(chars: list[dict], table, xs: list[float], tops: list[float]) -> dict[int, str]:
    """The text of each cell of a table (by its index in table.cells), from one pass over the
    page's characters: a character belongs to the cell its centre lies in."""
    from pdfplumber.utils import extract_text

    cover: dict[tuple[int, int], int] = {}
    for index, (x0, top, x1, bottom) in enumerate(table.cells):
        for row in range(_index(tops, top), _index(tops, bottom - 2 * _POSITION_TOLERANCE) + 1):
            for col in range(_index(xs, x0), _index(xs, x1 - 2 * _POSITION_TOLERANCE) + 1):
                cover[(row, col)] = index
    x0, top, x1, bottom = table.bbox
    inside: dict[int, list[dict]] = {}
    for char in chars:
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if x0 <= cx <= x1 and top <= cy <= bottom:
            index = cover.get((_index(tops, cy), _index(xs, cx)))
            if index is not None:
                inside.setdefault(index, []).append(char)
    # Lines wrapped inside a cell are one text; a space the text wrapped at ends its line and
    # is kept (keep_blank_chars), as it is part of the text.
    return {
        index: extract_text(cell_chars, keep_blank_chars=True).replace("\n", "").strip()
        for index, cell_chars in inside.items()
    }


def _page_rows(page, page_no: int) -> list[tuple[float, list[Cell]]]:
    """(top, cells) per printed row of one page, tables and free lines alike; cells' row unset."""
    rows: list[tuple[float, list[Cell]]] = []
    tables = page.find_tables(_TABLE_SETTINGS)
    chars = page.chars
    for table in tables:
        xs = _distinct([cell[0] for cell in table.cells])
        tops = _distinct([cell[1] for cell in table.cells])
        texts = _texts_by_cell(chars, table, xs, tops)
        position = {bbox: index for index, bbox in enumerate(table.cells)}
        for row in table.rows:
            cells = []
            for bbox in row.cells:
                if bbox is None:  # covered by a merged cell
                    continue
                text = texts.get(position[bbox], "")
                if not text:
                    continue
                col = _index(xs, bbox[0])
                colspan = _index(xs, bbox[2] - 2 * _POSITION_TOLERANCE) - col + 1
                rowspan = _index(tops, bbox[3] - 2 * _POSITION_TOLERANCE) - _index(tops, bbox[1]) + 1
                cells.append(Cell(0, col, text, f"page {page_no} {_box(bbox)}", rowspan, colspan))
            rows.append((row.bbox[1], cells))
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    for block in _boxed_blocks(outside.extract_text_lines(strip=True, return_chars=False), page.edges):
        left, right = min(line["x0"] for line in block), max(line["x1"] for line in block)
        bbox = (left, block[0]["top"], right, block[-1]["bottom"])
        text = join_wrapped([line["text"] for line in block])
        if text:
            rows.append((block[0]["top"], [Cell(0, 1, text, f"page {page_no} {_box(bbox)}")]))
    return sorted(rows, key=lambda row: row[0])


def _same_box(upper: dict, lower: dict, edges: list[dict]) -> bool:
    """Whether two lines of text sit in one ruled box (a cell on its own, which the table finder
    does not call a table): framed left and right by the same lines, no line between them."""
    left, right = min(upper["x0"], lower["x0"]), max(upper["x1"], lower["x1"])
    top, bottom = upper["top"], lower["bottom"]
    framed = [
        edge["x0"]
        for edge in edges
        if edge["orientation"] == "v"
        and edge["top"] <= top + _LINE_TOLERANCE
        and edge["bottom"] >= bottom - _LINE_TOLERANCE
    ]
    if not any(x <= left + _POSITION_TOLERANCE for x in framed):
        return False
    if not any(x >= right - _POSITION_TOLERANCE for x in framed):
        return False
    return not any(
        edge["orientation"] == "h"
        and upper["bottom"] - _LINE_TOLERANCE < edge["top"] < lower["top"] + _LINE_TOLERANCE
        and edge["x0"] <= left
        and edge["x1"] >= right
        for edge in edges
    )


def _boxed_blocks(lines: list[dict], edges: list[dict]) -> list[list[dict]]:
    """Lines of text outside the tables, the lines wrapped inside one ruled box kept together."""
    blocks: list[list[dict]] = []
    for line in lines:
        if blocks and _same_box(blocks[-1][-1], line, edges):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def read(data: bytes) -> CellDocument:
    import pdfplumber  # imported here: a text-only run never pays for it
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pdf_pages = pdf.pages
    except (PdfminerException, PDFPasswordIncorrect) as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect) or any(
            word in repr(cause).lower() for word in ("password", "encrypt")
        ):
            raise ExtractError(
                "encrypted PDF: it needs a password to open; save a copy without one"
            ) from None
        raise ExtractError(f"corrupted PDF: can't open it ({cause!r})") from None
    with pdf:
        if not any(page.chars for page in pdf_pages):
            raise ExtractError("no text layer; OCR is not supported (a scanned PDF?)")
        pages: list[Page] = []
        number = 0
        for page_no, page in enumerate(pdf_pages, start=1):
            cells: list[Cell] = []
            rows: list[Row] = []
            for index, (_, row_cells) in enumerate(_page_rows(page, page_no), start=1):
                number += 1
                placed = [replace(cell, row=index) for cell in row_cells]
                cells.extend(placed)
                rows.append(positioned_row(number, placed, f"page {page_no}"))
            pages.append(Page(page_no, f"page {page_no}", rows, cells))
    return CellDocument("pdf", pages, "pdf")
