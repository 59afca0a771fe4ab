"""Bytes → lines: the encodings public Chinese documents come in, and refusing what is not text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.records import ExtractError


@dataclass(frozen=True)
class DecodedText:
    lines: list[str]  # line endings removed; lines[0] is line 1
    encoding: str  # "utf-8", "utf-8-sig" or "gb18030"


# The C0 control characters a line may not hold: all but the tab and the form feed (a page
# break, as pdftotext writes between pages), with LF and a CR before LF (or at the very end)
# being the line ends that decoding removes. Searching the whole text
# finds the first offending character at once instead of testing every character of every line.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]|\r(?!\n|\Z)")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_document(data: bytes) -> DecodedText:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK; LF or CRLF line ends.

    A file that is valid UTF-8 up to a bad byte and already carries non-ASCII UTF-8 text is a
    damaged UTF-8 file, not a GB18030 one: decoding it as GB18030 would turn the rest into
    plausible-looking garbage, so it is refused with the line of the first bad byte.
    """
    if not data.strip():
        raise ExtractError("empty file: nothing to extract", None)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ExtractError(
            f"binary file: NUL byte at offset {nul}; expected a text document", _line_of(data, nul)
        )
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            text, encoding = data[3:].decode("utf-8"), "utf-8-sig"
        else:
            text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        prefix = data[: utf8_error.start]
        if any(byte >= 0x80 for byte in prefix):
            raise ExtractError(
                f"undecodable bytes: invalid UTF-8 at offset {utf8_error.start} "
                f"({data[utf8_error.start:utf8_error.start + 4]!r}) in a UTF-8 document",
                _line_of(data, utf8_error.start),
            ) from None
        try:
            text, encoding = data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gb_error:
            raise ExtractError(
                f"undecodable bytes at offset {gb_error.start}: neither UTF-8 nor GB18030/GBK",
                _line_of(data, gb_error.start),
            ) from None
    # split("\n") rather than splitlines(): the latter also breaks on form feeds and U+2028,
    # which would shift every line number after them away from what an editor shows.
    lines = text.split("\n")
    if "\r" in text:  # CRLF line ends; most files have none, and their lines need no pass
        lines = [line.removesuffix("\r") for line in lines]
    if lines and lines[-1] == "":
        lines.pop()
    control = _CONTROL.search(text)
    if control is not None:
        raise ExtractError(
            f"binary or corrupted text: control character U+{ord(control.group()):04X}",
            text.count("\n", 0, control.start()) + 1,
        )
    return DecodedText(lines=lines, encoding=encoding)
