"""Workbooks (.xlsx with openpyxl, legacy .xls with xlrd): every sheet's cells as displayed.

Values are the cached results Excel or WPS saved (formulas are not recalculated), shown with the
cell's number format; a formula saved without its result is computed where it is a plain sum
(extract/readers/formulas.py). A merged range is one cell with its spans, its covered cells are
empty.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

from extract.cells import Cell, CellDocument, Page, grid_rows, join_wrapped
from extract.readers.formulas import evaluate
from extract.readers.number_format import display_value
from extract.records import ExtractError

_Merged = dict[tuple[int, int], tuple[int, int]]  # top-left (row, col) → (rowspan, colspan)


def _text(value: object, number_format: str | None) -> str:
    # A line break typed inside a cell (Alt+Enter) wraps the cell's text: one text, like any
    # other wrapped cell.
    return join_wrapped(display_value(value, number_format).splitlines())


def _sheet_page(
    name: str, number: int, first_row: int, values: Iterable[tuple[int, int, object, str | None]], merged: _Merged
) -> Page:
    cells = []
    last_row = 0
    for row, col, value, number_format in values:
        text = _text(value, number_format)
        if not text.strip():
            continue
        rowspan, colspan = merged.get((row, col), (1, 1))
        cells.append(Cell(row, col, text.strip(), f"{name}!{_column_name(col)}{row}", rowspan, colspan))
        last_row = max(last_row, row + rowspan - 1)
    return Page(number, name, grid_rows(cells, last_row, first_row, f"{name}!A{{row}}"), cells)


def _column_name(col: int) -> str:
    name = ""
    while col:
        col, remainder = divmod(col - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def read_xlsx(data: bytes) -> CellDocument:
    import openpyxl  # imported here: a text-only run never pays for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # data_only: the values the file saved, not the formulas; not read_only, which has no
        # merged ranges.
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ExtractError(f"corrupted workbook: can't open it as .xlsx ({error})") from None
    pages: list[Page] = []
    has_uncached = _has_uncached_formulas(data)
    for number, sheet in enumerate(book.worksheets, start=1):
        merged: _Merged = {
            (span.min_row, span.min_col): (span.max_row - span.min_row + 1, span.max_col - span.min_col + 1)
            for span in sheet.merged_cells.ranges
        }
        formulas = _uncached_formulas(data, sheet.title) if has_uncached else {}
        values = (
            (cell.row, cell.column, _value(sheet, formulas, cell.row, cell.column), cell.number_format)
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None or (cell.row, cell.column) in formulas
        )
        first_row = sum(len(page.rows) for page in pages) + 1
        pages.append(_sheet_page(sheet.title, number, first_row, values, merged))
    return CellDocument("xlsx", pages, "xlsx")


_UNCACHED = re.compile(rb"(?:</f>|<f[^>]*/>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def _has_uncached_formulas(data: bytes) -> bool:
    """Whether a sheet stores a formula without its result (<f>…</f>, no value or an empty one);
    most files have none, and then the formulas are not loaded at all."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            _UNCACHED.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _uncached_formulas(data: bytes, title: str) -> dict[tuple[int, int], str]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data))[title]
    return {
        (cell.row, cell.column): cell.value
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    }


def _value(sheet, formulas: dict[tuple[int, int], str], row: int, col: int, depth: int = 0) -> object:
    """A cell's saved value; a formula saved without one, computed (a sum of cells may sum
    other such formulas, hence the recursion, bounded against a circular reference)."""
    value = sheet.cell(row, col).value
    formula = formulas.get((row, col))
    if value is not None or formula is None or depth > 50:
        return value
    return evaluate(formula, lambda r, c: _value(sheet, formulas, r, c, depth + 1))


def read_xls(data: bytes) -> CellDocument:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise ExtractError("password-protected workbook: save it without a password") from None
        raise ExtractError(f"corrupted workbook: can't open it as .xls ({error})") from None
    except (AssertionError, IndexError, KeyError, ValueError, OSError) as error:
        raise ExtractError(f"corrupted workbook: can't open it as .xls ({error!r})") from None
    pages: list[Page] = []
    for number, sheet in enumerate(book.sheets(), start=1):
        merged: _Merged = {
            (top + 1, left + 1): (bottom - top, right - left)
            for top, bottom, left, right in sheet.merged_cells
        }

        def values(sheet=sheet):
            for row in range(sheet.nrows):
                for col in range(sheet.ncols):
                    cell = sheet.cell(row, col)
                    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        continue
                    value = cell.value
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        value = bool(value)
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        value = xlrd.error_text_from_code.get(value, "#ERROR")
                    xf = book.xf_list[cell.xf_index]
                    number_format = book.format_map[xf.format_key].format_str
                    yield row + 1, col + 1, value, number_format

        first_row = sum(len(page.rows) for page in pages) + 1
        pages.append(_sheet_page(sheet.name, number, first_row, values(), merged))
    return CellDocument("xls", pages, "xls")
