"""Word documents (.docx, python-docx): paragraphs and tables in document order.

A paragraph outside a table is a row of one cell. A table's cells sit in the table's grid:
gridSpan makes a cell span columns, vMerge continues a cell down (the continued cells are
empty, as in a text copy). A cell's paragraphs are its wrapped lines, joined as one text.
"""

from __future__ import annotations

import io
import zipfile

from extract.cells import Cell, CellDocument, Page, Row, join_wrapped, positioned_row
from extract.records import ExtractError

FORMAT = "docx"


def _table_cells(table, table_no: int) -> list[list[Cell]]:
    from docx.oxml.ns import qn

    rows: list[list[Cell]] = []
    open_merges: dict[int, Cell] = {}  # column → the cell a vMerge continues
    for row_no, tr in enumerate(table._tbl.tr_lst, start=1):
        col = 1 + tr.grid_before
        cells: list[Cell] = []
        for tc in tr.tc_lst:
            span = tc.grid_span
            merge = tc.vMerge
            if merge == "continue" and col in open_merges:
                above = open_merges[col]
                open_merges[col] = Cell(above.row, above.col, above.text, above.location, above.rowspan + 1, above.colspan)
                _replace(rows, above, open_merges[col])
            else:
                texts = [
                    "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
                    for paragraph in tc.iter(qn("w:p"))
                ]
                cell = Cell(row_no, col, join_wrapped(texts), f"table {table_no} row {row_no} col {col}", 1, span)
                cells.append(cell)
                if merge == "restart":
                    open_merges[col] = cell
                else:
                    open_merges.pop(col, None)
            col += span
        rows.append(cells)
    return rows


def _replace(rows: list[list[Cell]], old: Cell, new: Cell) -> None:
    """Grow a vertically merged cell already placed in an earlier row."""
    placed = rows[old.row - 1]
    placed[placed.index(old)] = new


def read(data: bytes) -> CellDocument:
    import docx  # imported here: a text-only run never pays for it
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ExtractError(f"corrupted Word document: can't open it as .docx ({error})") from None
    rows: list[Row] = []
    cells: list[Cell] = []
    table_no = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_no += 1
            for row_cells in _table_cells(block, table_no):
                number = len(rows) + 1
                placed = [Cell(number, c.col, c.text, c.location, c.rowspan, c.colspan) for c in row_cells if c.text]
                cells.extend(placed)
                rows.append(positioned_row(number, placed, f"table {table_no} row {row_cells[0].row if row_cells else ''}".strip()))
        else:
            number = len(rows) + 1
            text = block.text.strip()
            location = f"paragraph {number}"
            if text:
                cells.append(Cell(number, 1, text, location))
            rows.append(positioned_row(number, cells[-1:] if text else [], location))
    return CellDocument(FORMAT, [Page(1, "document", rows, cells)], FORMAT)
