"""Budget tables as text extracted from a PDF: every cell wrapped, the column grid lost.

The text keeps each cell's reading order but not where the cell sat. A row prints its wrapped
name (projects indented, spending units not), then its non-empty amounts on one line (a short
project name may share that line), then its goal text (绩效目标) and its numbered indicator
list (绩效指标), each wrapped over lines. Every page repeats the title, the department line,
the column header and the 合计 row, possibly in the middle of a project's text.

The column header is recognized through the header vocabulary (sections project_table, project,
amounts, goals): the value columns printed as one line of words, the project column
(项目名称（资金使用单位）) on lines of its own, possibly wrapped. The amounts of a row are placed
in the columns in the order the header prints them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from extract.cells import Row
from extract.layouts.dispositions import line_dispositions
from extract.records import (
    BudgetRow,
    ExtractError,
    LineDisposition,
    ParsedDocument,
    RowKind,
)
from extract.vocabulary import vocabulary

LAYOUT = "pdf_text"

_SECTIONS = ("project_table", "project", "amounts", "goals")
_AMOUNT_FIELDS = ("total", "fiscal", "special_account", "other")
_VALUE_FIELDS = frozenset((*_AMOUNT_FIELDS, "goal", "indicator_text"))
_NAME_HEADER_MAX_LINES = 4
_TITLE_MARK = "绩效目标表"
_AMOUNT_UNIT = r"[万千]?元"
_DEPARTMENT = re.compile(
    rf"(?:部门|单位)名称[:：]\s*(?P<name>.*?)(?:\s+单位[:：]\s*(?P<unit>{_AMOUNT_UNIT}))?"
)
_UNIT_OF_AMOUNT = re.compile(rf"单位[:：]\s*(?P<unit>{_AMOUNT_UNIT})")
_GRAND_TOTAL = re.compile(r"合计(?:\s|$)")
# A decimal point is required: wrapped names print bare years ("2022-2024年信息", "区人社局2024").
_AMOUNT = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+"
_AMOUNTS = re.compile(rf"{_AMOUNT}(?:\s+{_AMOUNT})*")
_NAME_WITH_AMOUNTS = re.compile(rf"(?P<name>.*?\S)\s+(?P<amounts>{_AMOUNTS.pattern})")
_TOTAL_ROW = re.compile(rf"合计\s+{_AMOUNTS.pattern}")
# The list opens with item 1 and a one-digit level-1 code ("1、1-产出指标"); goal texts number
# their points "1." and never "1、d-".
_INDICATOR_START = re.compile(r"1、[1-9]-\D")
_YEAR = re.compile(r"(?:19|20)\d{2}(?=年)")
# Whitespace between two CJK characters is a PDF text artefact: Chinese names have no spaces.
_PDF_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_SOURCE_COLUMNS = {"fiscal": "财政拨款", "special_account": "财政专户拨款", "other": "其他资金"}
_SINGLE_SOURCE_HINT = "single_source_column"
_TOTAL_KIND = "合计 (grand total) row"


def detect(rows: Sequence[Row]) -> bool:
    """The column header printed as space-separated words, and not a tab anywhere: one cell
    per row, the table's columns lost."""
    if any("\t" in row.text for row in rows):
        return False
    texts = [row.text.strip() for row in rows]
    return any(_value_header(text) for text in texts) and any(
        _is_name_header(text) or _opens_name_header(text) for text in texts
    )


def _value_header(text: str) -> tuple[str, ...] | None:
    """The fields of the value columns' header line in printed order, if the line is one: each
    word a label of the vocabulary, together every value column once."""
    words = text.split()
    if len(words) != len(_VALUE_FIELDS):
        return None
    header = vocabulary().header(enumerate(words), _SECTIONS)
    order = tuple(match.field for _, match in sorted(header.columns.items()))
    if header.unmapped or len(set(order)) != len(order) or set(order) != _VALUE_FIELDS:
        return None
    return order


def _is_name_header(text: str) -> bool:
    """The project column's header (项目名称（资金使用单位）): a label naming the project, with
    the spending unit in brackets (without them the words would be a project's own name)."""
    # The bracket first: every line of the document is asked, and few end with one.
    if not text.rstrip().endswith("）"):
        return False
    match = vocabulary().match(_PDF_SPACE.sub("", text), _SECTIONS)
    return match is not None and match.field == "project_name"


def _opens_name_header(text: str) -> bool:
    """The first line of a project column header wrapped inside its brackets (项目名称（资金使)."""
    head, bracket, tail = text.partition("（")
    if not bracket or "）" in tail:
        return False
    match = vocabulary().match(head, _SECTIONS)
    return match is not None and match.field == "project_name"


@dataclass(frozen=True)
class _PageFurniture:
    reasons: dict[int, str]  # furniture line → why
    title: str | None
    title_line: int | None
    department: str | None
    amount_unit: str | None
    amount_order: tuple[str, ...]  # the amount columns in the order the header prints them


@dataclass
class _Row:
    kind: RowKind
    lines: list[int]  # the row's own non-blank lines, furniture excluded
    name_parts: list[str]
    amounts: tuple[str, ...] | None = None
    amounts_line: int | None = None
    goal: list[tuple[int, str]] = field(default_factory=list)
    indicators: list[tuple[int, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return "".join(self.name_parts)


def _page_furniture(lines: list[str]) -> _PageFurniture:
    """Find the page header lines (first and repeated) and read the facts they print."""
    reasons: dict[int, str] = {}
    seen: set[str] = set()
    title: str | None = None
    title_line: int | None = None
    department: str | None = None
    department_text: str | None = None
    amount_unit: str | None = None
    grand_total: str | None = None
    header_lines: list[int] = []
    header_text = ""
    amount_order: tuple[str, ...] | None = None

    def mark(kind: str, *numbers: int) -> None:
        reason = f"page header repeated: {kind}" if kind in seen else kind
        seen.add(kind)
        reasons.update(dict.fromkeys(numbers, reason))

    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        if header_lines:
            joined = header_text + text
            if _is_name_header(joined):
                mark("column header 项目名称 (wrapped)", *header_lines, number)
                header_lines, header_text = [], ""
                continue
            if "）" not in text and len(header_lines) < _NAME_HEADER_MAX_LINES:
                header_lines.append(number)
                header_text = joined
                continue
            # Never closed: not a header after all, so the row parser gets those lines.
            header_lines, header_text = [], ""
        department_match = _DEPARTMENT.fullmatch(text)
        unit_match = _UNIT_OF_AMOUNT.fullmatch(text)
        if title is None and grand_total is None and _TITLE_MARK in text:
            title, title_line = text, number
            mark("title", number)
        elif text == title:
            mark("title", number)
        elif department_match:
            if department_text is None:
                department_text = text
                department = _PDF_SPACE.sub("", department_match["name"])
                amount_unit = department_match["unit"] or amount_unit
            elif text != department_text:
                raise ExtractError(
                    f"department line {text!r} differs from the first one ({department_text!r}):"
                    " two documents in one file? split them",
                    number,
                )
            mark("department line (部门名称, 单位)", number)
        elif unit_match:
            if amount_unit is not None and unit_match["unit"] != amount_unit:
                raise ExtractError(
                    f"amount unit {unit_match['unit']} differs from {amount_unit} printed above",
                    number,
                )
            amount_unit = unit_match["unit"]
            mark("amount unit line (单位)", number)
        elif value_order := _value_header(text):
            order = tuple(name for name in value_order if name in _AMOUNT_FIELDS)
            if amount_order is not None and order != amount_order:
                raise ExtractError(
                    f"column header {text!r} prints the amount columns in another order than the "
                    "header above: which order the rows follow can't be told",
                    number,
                )
            amount_order = order
            mark("column header", number)
        elif _is_name_header(text):
            mark("column header 项目名称", number)
        elif _opens_name_header(text):
            header_lines, header_text = [number], text
        elif grand_total is None and _GRAND_TOTAL.match(text):
            # The first 合计 is the grand-total row itself; only its repeats are furniture.
            grand_total = text
            seen.add(_TOTAL_KIND)
        elif text == grand_total:
            mark(_TOTAL_KIND, number)
        elif _TOTAL_ROW.fullmatch(text):
            raise ExtractError(
                f"合计 row {text!r} disagrees with the grand total printed first ({grand_total!r})",
                number,
            )
    return _PageFurniture(
        reasons, title, title_line, department, amount_unit, amount_order or _AMOUNT_FIELDS
    )


def _start_row(kind: RowKind, number: int, text: str) -> _Row:
    row = _Row(kind=kind, lines=[], name_parts=[])
    if _AMOUNTS.fullmatch(text):
        raise ExtractError(f"amounts {text!r} with no row name before them", number)
    _continue_name(row, number, text)
    return row


def _continue_name(row: _Row, number: int, text: str) -> None:
    row.lines.append(number)
    with_amounts = _NAME_WITH_AMOUNTS.fullmatch(text)
    if _AMOUNTS.fullmatch(text):
        row.amounts, row.amounts_line = tuple(text.split()), number
    elif with_amounts:
        row.name_parts.append(with_amounts["name"])
        row.amounts, row.amounts_line = tuple(with_amounts["amounts"].split()), number
    else:
        row.name_parts.append(text)


def _add_text(row: _Row, number: int, text: str) -> None:
    if _AMOUNTS.fullmatch(text):
        raise ExtractError(
            f"amounts {text!r} inside the text of the project starting on line {row.lines[0]} "
            f"({row.name}): a spending-unit row after a project can't be told apart from that "
            "project's text here (unit names are not indented)",
            number,
        )
    row.lines.append(number)
    if row.indicators or _INDICATOR_START.match(text):
        row.indicators.append((number, text))
    else:
        row.goal.append((number, text))


def _read_rows(lines: list[str], furniture: Mapping[int, str]) -> tuple[list[_Row], dict[int, str]]:
    """Group the content lines into rows; returns the rows and the lines that fit none."""
    rows: list[_Row] = []
    unparsed: dict[int, str] = {}
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or number in furniture:
            continue
        indented = raw[:1].isspace()
        current = rows[-1] if rows else None
        if current is None:
            if _GRAND_TOTAL.match(text):
                rows.append(_start_row(RowKind.GRAND_TOTAL, number, text))
            else:
                unparsed[number] = "text before the 合计 (grand total) row"
        elif current.amounts is None:
            if indented:
                raise ExtractError(
                    f"the row starting on line {current.lines[0]} ({current.name}) has no amounts "
                    f"line before the next project name on line {number}",
                    current.lines[0],
                )
            _continue_name(current, number, text)
        elif indented:
            rows.append(_start_row(RowKind.PROJECT, number, text))
        elif current.kind is RowKind.PROJECT:
            _add_text(current, number, text)
        else:
            rows.append(_start_row(RowKind.UNIT, number, text))
    _check_complete(rows)
    return rows, unparsed


def _check_complete(rows: list[_Row]) -> None:
    if not rows:
        raise ExtractError("no 合计 (grand total) row: not a budget table, or its text is missing")
    last = rows[-1]
    if last.amounts is None:
        raise ExtractError(
            f"document ends inside the row starting on line {last.lines[0]} ({last.name}): "
            "its amounts line is missing (file cut off?)",
            last.lines[0],
        )
    if last.kind is RowKind.PROJECT and not last.goal and not last.indicators:
        raise ExtractError(
            f"document ends after the amounts of the project starting on line {last.lines[0]} "
            f"({last.name}): its goal and indicator text are missing (file cut off?)",
            last.amounts_line,
        )


def _decimal(amount: str) -> Decimal:
    return Decimal(amount.replace(",", ""))


def _columns(
    amounts: tuple[str, ...], number: int, hints: Mapping[str, str], order: tuple[str, ...]
) -> tuple[str, str | None, str | None, str | None, str | None]:
    """(total, fiscal, special_account, other, shift_resolution) from the printed amounts.

    order: the amount columns as the header prints them.
    """
    if len(amounts) == 4:
        placed = dict(zip(order, amounts))
        return placed["total"], placed["fiscal"], placed["special_account"], placed["other"], None
    # Two amounts are 总计 and one source: 总计 is the one at its own end of the header.
    if len(amounts) != 2 or order.index("total") not in (0, len(order) - 1):
        raise ExtractError(
            f"{len(amounts)} amounts ({' '.join(amounts)}): the PDF text lost the column "
            "positions, and only 2 (总计 and one source) or 4 (every column) can be placed "
            "without guessing",
            number,
        )
    total, single = amounts if order[0] == "total" else reversed(amounts)
    if _decimal(total) != _decimal(single):
        raise ExtractError(
            f"2 amounts ({total} {single}) but the second is not the total: they can't be "
            "总计 and a single funding source",
            number,
        )
    column = hints.get(_SINGLE_SOURCE_HINT)
    if column is None:
        raise ExtractError(
            f"2 amounts ({total} {single}) printed without column positions: which funding "
            "source the second is can't be read from the text; add "
            f'hints = {{ {_SINGLE_SOURCE_HINT} = "fiscal" }} (or "special_account", "other") '
            "to the document's catalog.toml entry, as the published PDF shows",
            number,
        )
    if column not in _SOURCE_COLUMNS:
        raise ExtractError(
            f"catalog hint {_SINGLE_SOURCE_HINT} = {column!r} is not one of "
            f"{', '.join(_SOURCE_COLUMNS)}",
            number,
        )
    sources = {key: single if key == column else None for key in _SOURCE_COLUMNS}
    resolution = (
        f"2 amounts printed without column positions: second read as {_SOURCE_COLUMNS[column]} "
        f"(catalog: {_SINGLE_SOURCE_HINT})"
    )
    return total, sources["fiscal"], sources["special_account"], sources["other"], resolution


def _joined(parts: list[tuple[int, str]]) -> tuple[str | None, tuple[tuple[int, int], ...]]:
    """Wrapped lines joined with nothing between them, and where each line starts in the text."""
    offsets: list[tuple[int, int]] = []
    position = 0
    for number, text in parts:
        offsets.append((position, number))
        position += len(text)
    return "".join(text for _, text in parts) or None, tuple(offsets)


def _budget_rows(
    rows: list[_Row], hints: Mapping[str, str], page: _PageFurniture
) -> list[BudgetRow]:
    budget_rows: list[BudgetRow] = []
    unit_name: str | None = None
    for row in rows:
        # Every row got its amounts before the next began, and _check_complete saw the last.
        assert row.amounts is not None and row.amounts_line is not None
        if row.kind is RowKind.UNIT:
            unit_name = row.name
        total, fiscal, special, other, resolution = _columns(
            row.amounts, row.amounts_line, hints, page.amount_order
        )
        goal_text, _ = _joined(row.goal)
        indicator_text, offsets = _joined(row.indicators)
        budget_rows.append(
            BudgetRow(
                source_line=row.lines[0],
                end_line=row.lines[-1],
                row_kind=row.kind,
                unit_name=None if row.kind is RowKind.GRAND_TOTAL else unit_name,
                name=row.name,
                total=total,
                fiscal=fiscal,
                special_account=special,
                other=other,
                goal_text=goal_text,
                indicator_text=indicator_text,
                indicator_line_offsets=offsets,
                shift_resolution=resolution,
                amount_unit=page.amount_unit,
            )
        )
    return budget_rows


def _dispositions(
    lines: Sequence[Row], furniture: Mapping[int, str], unparsed: Mapping[int, str], rows: list[_Row]
) -> list[LineDisposition]:
    return line_dispositions(lines, furniture, {number for row in rows for number in row.lines}, unparsed)


def parse(rows: Sequence[Row], hints: Mapping[str, str]) -> ParsedDocument:
    """Read a PDF-text budget table into rows, one disposition per row (a line of the text).

    The amount unit is None when the document prints none (the catalog then says what it is).
    """
    lines = [row.text for row in rows]
    page = _page_furniture(lines)
    table_rows, unparsed = _read_rows(lines, page.reasons)
    year = _YEAR.search(page.title) if page.title else None
    return ParsedDocument(
        layout=LAYOUT,
        title=page.title,
        department_name=page.department,
        fiscal_year=int(year.group()) if year else None,
        fiscal_year_evidence=f"title line {page.title_line}" if year else None,
        amount_unit=page.amount_unit,
        rows=_budget_rows(table_rows, hints, page),
        lines=_dispositions(rows, page.reasons, unparsed, table_rows),
    )
