"""Text files: a line is a row, its tab-separated fields are its cells, a form feed breaks the page."""

from __future__ import annotations

from extract.cells import CellDocument, Page, Row
from extract.decoding import decode_document

FORMAT = "txt"
_FORM_FEED = "\x0c"


def rows_from_lines(lines: list[str]) -> list[Row]:
    """Line n becomes row n with the line's text exactly as it is."""
    return [Row(number, line) for number, line in enumerate(lines, start=1)]


def read(data: bytes) -> CellDocument:
    decoded = decode_document(data)
    lines = decoded.lines
    # Looked for in the bytes, at C speed: no multi-byte character of UTF-8 or GB18030 holds 0x0C.
    if b"\x0c" not in data:
        return CellDocument(FORMAT, [Page(1, "page 1", rows_from_lines(lines), None)], decoded.encoding)
    # pdftotext ends every page with a form feed, so the next page starts on the line holding it.
    pages: list[Page] = []
    rows: list[Row] = []
    for number, line in enumerate(lines, start=1):
        if _FORM_FEED in line and rows:
            pages.append(Page(len(pages) + 1, f"page {len(pages) + 1}", rows, None))
            rows = []
        rows.append(Row(number, line.replace(_FORM_FEED, "")))
    pages.append(Page(len(pages) + 1, f"page {len(pages) + 1}", rows, None))
    return CellDocument(FORMAT, pages, decoded.encoding)
