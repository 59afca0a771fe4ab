"""Web pages (.html/.htm, lxml): tables with rowspan/colspan, text outside them as rows of one cell.

The charset comes from a byte-order mark, else the page's <meta> declaration, else UTF-8 if the
bytes are valid UTF-8, else GB18030 (a superset of GBK and GB2312, which Chinese sites declare
or forget to).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace

from extract.cells import Cell, CellDocument, Page, Row, join_wrapped, positioned_row
from extract.records import ExtractError

FORMAT = "html"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# GBK and GB2312 pages use characters beyond their declared set more often than not.
_CHINESE = {"gbk", "gb2312", "gb18030", "x-gbk", "cp936"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "li", "pre", "title"}
_SPACE = re.compile(r"[ \t\r\n\f]+")


def decode(data: bytes) -> tuple[str, str]:
    """The page's text and the charset it was read in."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        encoding = "gb18030" if name in _CHINESE else name
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise ExtractError(f"unknown charset {name!r} declared in the page's <meta>") from None
        except UnicodeDecodeError as error:
            raise ExtractError(f"bytes at offset {error.start} are not {name}, the charset the page declares") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        raise ExtractError(
            f"undecodable bytes at offset {error.start}: no charset declared, and neither UTF-8 nor GB18030"
        ) from None


def _text(element) -> str:
    """An element's text as a browser shows it: whitespace collapsed, <br> breaks a wrapped line."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return join_wrapped([_SPACE.sub(" ", piece) for piece in element.text_content().split("\n")])


def _table_rows(table, table_no: int) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    occupied: set[tuple[int, int]] = set()
    trs = [tr for tr in table.iter("tr") if tr.getparent() is table or tr.getparent().getparent() is table]
    for row_no, tr in enumerate(trs, start=1):
        col = 1
        cells: list[Cell] = []
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (row_no, col) in occupied:
                col += 1
            rowspan = max(1, int(td.get("rowspan", "1") or 1))
            colspan = max(1, int(td.get("colspan", "1") or 1))
            for r in range(row_no, row_no + rowspan):
                for c in range(col, col + colspan):
                    occupied.add((r, c))
            text = _text(td)
            if text:
                cells.append(Cell(row_no, col, text, f"table {table_no} row {row_no} col {col}", rowspan, colspan))
            col += colspan
        rows.append(cells)
    return rows


def read(data: bytes) -> CellDocument:
    import lxml.html  # imported here: a text-only run never pays for it
    from lxml.etree import ParserError

    text, encoding = decode(data)
    try:
        root = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as error:
        raise ExtractError(f"not an HTML page: {error}") from None
    tables = [table for table in root.iter("table") if not any(a.tag == "table" for a in table.iterancestors())]
    if not tables:
        raise ExtractError("HTML page without a table: nothing to extract")
    rows: list[Row] = []
    cells: list[Cell] = []

    def add(row_cells: list[Cell], location: str) -> None:
        number = len(rows) + 1
        placed = [replace(cell, row=number) for cell in row_cells]
        cells.extend(placed)
        rows.append(positioned_row(number, placed, location))

    table_no = 0
    body = root.body if root.find("body") is not None else root
    for element in body.iter():
        if element.tag == "table" and element in tables:
            table_no += 1
            for row_no, row_cells in enumerate(_table_rows(element, table_no), start=1):
                add(row_cells, f"table {table_no} row {row_no}")
        elif element.tag in _BLOCKS and not any(a.tag == "table" for a in element.iterancestors()):
            line = _text(element)
            if line:
                add([Cell(0, 1, line, f"<{element.tag}> {len(rows) + 1}")], f"<{element.tag}>")
    return CellDocument(FORMAT, [Page(1, "page", rows, cells)], encoding)
