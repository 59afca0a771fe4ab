"""Word documents (.docx, python-docx): paragraphs and tables in document order.

A paragraph outside a table is a row of one cell. A table's cells sit in the table's grid:
gridSpan makes a cell span columns, vMerge continues a cell down (the continued cells are
empty, as in a text copy). A cell's paragraphs are its wrapped lines, joined as one text.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from extract.cells import Cell, CellDocument, Page, Row, join_wrapped, positioned_row
from extract.records import ExtractError

FORMAT = "docx"


def _table_cells(table, table_no: int) -> list[list[Cell]]:
    """Each row's cells in the table's grid; a vMerge "continue" cell grows the one above."""
    from docx.oxml.ns import qn

    placed: list[list[tuple[int, str, int]]] = []  # per row: (column, text, colspan)
    rowspans: dict[tuple[int, int], int] = {}  # (row, column) of a cell → rows it spans
    merging: dict[int, tuple[int, int]] = {}  # column → the cell a vMerge there continues
    for row_no, tr in enumerate(table._tbl.tr_lst, start=1):
        col = 1 + tr.grid_before
        row: list[tuple[int, str, int]] = []
        for tc in tr.tc_lst:
            if tc.vMerge == "continue" and col in merging:
                rowspans[merging[col]] += 1
            else:
                texts = [
                    "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
                    for paragraph in tc.iter(qn("w:p"))
                ]
                row.append((col, join_wrapped(texts), tc.grid_span))
                rowspans[(row_no, col)] = 1
                if tc.vMerge == "restart":
                    merging[col] = (row_no, col)
                else:
                    merging.pop(col, None)
            col += tc.grid_span
        placed.append(row)
    return [
        [
            Cell(row_no, col, text, f"table {table_no} row {row_no} col {col}", rowspans[(row_no, col)], colspan)
            for col, text, colspan in row
        ]
        for row_no, row in enumerate(placed, start=1)
    ]


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
            for table_row, row_cells in enumerate(_table_cells(block, table_no), start=1):
                number = len(rows) + 1
                # Cells keep their place in the table; the row's number is its place in the document.
                placed = [replace(cell, row=number) for cell in row_cells if cell.text]
                cells.extend(placed)
                rows.append(positioned_row(number, placed, f"table {table_no} row {table_row}"))
        else:
            number = len(rows) + 1
            location = f"paragraph {number}"
            paragraph = [Cell(number, 1, block.text.strip(), location)] if block.text.strip() else []
            cells.extend(paragraph)
            rows.append(positioned_row(number, paragraph, location))
    return CellDocument(FORMAT, [Page(1, "document", rows, cells)], FORMAT)
