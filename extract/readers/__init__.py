"""One reader per file format, chosen by the file's extension and checked against its bytes.

SUPPORTED_EXTENSIONS is the one list of what `perfdw extract`, the catalog and the Dagster
sensor take. Legacy binary Word/WPS files are listed too, so that they are named and refused
with a reason instead of being passed over in silence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extract.cells import CellDocument
from extract.readers import html, pdf, text, word, workbook
from extract.records import ExtractError

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: legacy Office, and encrypted OOXML
_PDF = b"%PDF-"

# extension → (reader, what its bytes must start with; None: text, checked by decoding)
_READERS: dict[str, tuple[Callable[[bytes], CellDocument], bytes | None]] = {
    ".txt": (text.read, None),
    ".pdf": (pdf.read, _PDF),
    ".xlsx": (workbook.read_xlsx, _ZIP),
    ".xls": (workbook.read_xls, _OLE2),
    ".docx": (word.read, _ZIP),
    ".html": (html.read, None),
    ".htm": (html.read, None),
}
_LEGACY = {".doc", ".wps", ".et", ".dps"}
SUPPORTED_EXTENSIONS: tuple[str, ...] = (*_READERS, *sorted(_LEGACY))

_KINDS = {_ZIP: "a zip package (.xlsx/.docx)", _OLE2: "a legacy Office file (.xls/.doc)", _PDF: "a PDF"}


def is_document(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_EXTENSIONS


def _actual_kind(data: bytes) -> str:
    return next((kind for magic, kind in _KINDS.items() if data.startswith(magic)), "not an office file or PDF")


def read_document(path: Path, data: bytes) -> CellDocument:
    """The document's pages of cells. Raises ExtractError (without the file name) when it can't."""
    suffix = path.suffix.lower()
    if suffix in _LEGACY:
        raise ExtractError("legacy binary Word/WPS is not supported: save as .docx or PDF")
    reader, magic = _READERS[suffix]
    if not data:
        raise ExtractError("empty file: nothing to extract")
    if suffix == ".xlsx" and data.startswith(_OLE2):
        # Excel and WPS wrap a password-protected workbook in a Compound File.
        raise ExtractError("password-protected (encrypted) workbook: save it without a password")
    if magic is not None and not data.startswith(magic):
        raise ExtractError(
            f"the file's contents are {_actual_kind(data)}, not what its extension {suffix} says: "
            "rename it to its real type"
        )
    if magic is None and suffix == ".txt" and any(data.startswith(m) for m in _KINDS):
        raise ExtractError(f"the file is {_actual_kind(data)}, not text: rename it to its real type")
    return reader(data)
