"""The one model between reading a file and understanding it: pages (or sheets) of cells.

Every reader (extract/readers/) turns a document into a CellDocument; the layout recognizers
read its rows, whatever the file format was. A row is the cells of one printed row, left to right
by column, each cell's text as displayed; a cell covered by a merged one reads as empty, as it
does in a text copy of the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Cell:
    row: int  # 1-based within its page or sheet
    col: int  # 1-based
    text: str  # as displayed; text wrapped inside the cell is joined as one
    location: str  # "Sheet1!C5", "page 3 (72.0,90.5,210.3,104.0)", "table 1 row 2 col 3"
    rowspan: int = 1
    colspan: int = 1


class Row(NamedTuple):
    """One printed row as the layout recognizers see it.

    number: the row's ordinal in the whole document, 1-based (across pages and sheets); for a
    text file it is the line number. text: the row's cells joined by tabs, which for a text file
    is the line exactly as it is. location: where it sits, or None for a text file's line, whose
    location is its number.
    """

    number: int
    text: str
    location: str | None = None
    # True when the cells sit in real columns (a sheet, a ruled PDF table, an HTML table): then an
    # empty cell at the end of a row is just empty. In a text file only the tabs say where cells
    # are, and a missing one at the end may mean the row was cut off.
    positioned: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    """A page of a PDF or a text file, a sheet of a workbook, the tables of a Word or HTML file."""

    number: int  # 1-based
    name: str  # "Sheet1", "page 3", "document"
    rows: list[Row]  # every printed row in order, numbered across the whole document
    # The cells of those rows; None for a text file, whose cells are just its lines' tab-separated
    # fields (reading text costs no more than splitting lines).
    cells: list[Cell] | None


@dataclass(frozen=True, slots=True)
class CellDocument:
    format: str  # txt | pdf | xlsx | xls | docx | html
    pages: list[Page]
    encoding: str  # the text encoding where the format has one, else the format's name


def grid_rows(cells: list[Cell], row_count: int, first_number: int, location: str) -> list[Row]:
    """The rows of a page of positioned cells, numbered on from first_number.

    location: a pattern for where row {row} of the page sits ("Sheet1!A{row}"). A cell covered
    by a merged one reads as empty, as in a text copy of the table.
    """
    by_row: dict[int, list[Cell]] = {}
    for cell in cells:
        by_row.setdefault(cell.row, []).append(cell)
    return [
        positioned_row(first_number + index - 1, by_row.get(index, []), location.format(row=index))
        for index in range(1, row_count + 1)
    ]


def positioned_row(number: int, cells: list[Cell], location: str) -> Row:
    """The row of these cells (one printed row), its text their texts in their columns."""
    # A tab inside a cell would split it in two; a text copy of a table shows it as a space.
    by_col = {cell.col: cell.text.replace("\t", " ") for cell in cells}
    text = "\t".join(by_col.get(col, "") for col in range(1, max(by_col, default=0) + 1))
    return Row(number, text, location, positioned=True)


def document_rows(document: CellDocument) -> list[Row]:
    return [row for page in document.pages for row in page.rows]


def join_wrapped(pieces: list[str]) -> str:
    """Text wrapped inside one cell, joined the way the text layouts join wrapped lines: with
    nothing between the pieces (Chinese text wraps anywhere, so a break is no space)."""
    return "".join(piece.strip() for piece in pieces)
