"""One LineDisposition per line, shared by the table layouts."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from extract.cells import Row
from extract.records import LineDisposition, LineUse


def line_dispositions(
    lines: Sequence[Row], furniture: Mapping[int, str], row_lines: Collection[int], unparsed: Mapping[int, str]
) -> list[LineDisposition]:
    """Blank, furniture (with its reason), part of a budget row, or unparsed (with its reason)."""
    dispositions = []
    for number, line in enumerate(lines, start=1):
        if not line.text.strip():
            dispositions.append(LineDisposition(number, LineUse.BLANK))
        elif number in furniture:
            dispositions.append(LineDisposition(number, LineUse.FURNITURE, furniture[number]))
        elif number in row_lines:
            dispositions.append(LineDisposition(number, LineUse.BUDGET_ROW))
        else:
            dispositions.append(LineDisposition(number, LineUse.UNPARSED, unparsed[number]))
    return dispositions
