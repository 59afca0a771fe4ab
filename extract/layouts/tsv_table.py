"""Budget tables exported as tab-separated text: one row per line, seven cells.

Each page repeats a title, the 部门名称 (or 单位名称) line, 单位：万元 and, on some pages, the
column header; blank lines separate the pages. A row is one line: 项目名称, 总计, 财政拨款,
财政专户拨款, 其他资金, 绩效目标, 绩效指标, cells possibly wrapped in <p>…</p>.

The same table read from a workbook, a ruled PDF or an HTML page comes as rows of positioned
cells: there a row simply ends at its last non-empty cell, a title or 单位 line is a row with one
non-empty cell, and a department and unit printed side by side are two furniture cells.

The column header is recognized through the header vocabulary (`seeds/header_vocabulary.csv`,
sections project_table, project, amounts and goals), and the columns are read by the field each
header cell names: a variant that prints the same seven columns under other labels, or in
another order, is a few seed rows.

Some exports dropped one empty cell of a row, so the row has six cells and everything after the
lost one sits one column to the left. Which column was lost is read from evidence, never
guessed: first from the row itself (an amount can't be a text, an indicator list is 绩效指标,
总计 is the sum of the funding sources); where that leaves several readings, from the printed
subtotal of the row's spending unit, which the unit's projects must add up to per column.
"""

from __future__ import annotations

import functools
import itertools
import math
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
from extract.vocabulary import HeaderMap, vocabulary

LAYOUT = "tsv_table"

_SECTIONS = ("project_table", "project", "amounts", "goals")
# The vocabulary field each BudgetRow field is printed under.
_VOCABULARY_FIELDS = {
    "project_name": "name",
    "total": "total",
    "fiscal": "fiscal",
    "special_account": "special_account",
    "other": "other",
    "goal": "goal_text",
    "indicator_text": "indicator_text",
}
# BudgetRow fields in the order a row's values are kept in, whatever order the header prints.
_AMOUNT_FIELDS = ("total", "fiscal", "special_account", "other")
_SOURCE_FIELDS = _AMOUNT_FIELDS[1:]
_TEXT_FIELDS = ("goal_text", "indicator_text")
_FIELDS = ("name", *_AMOUNT_FIELDS, *_TEXT_FIELDS)
_WIDTH = len(_FIELDS)
# How messages name a field's column: the bundled tables' labels.
_COLUMN = dict(zip(_FIELDS, ("项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标")))
_SHIFTED_CELLS = _WIDTH - 1

_TITLE_MARK = "项目支出绩效目标表"
_TITLE_YEAR = re.compile(r"(\d{4})年项目支出绩效目标表")
_AMOUNT_UNIT = re.compile(r"单位[:：]\s*(?P<unit>[万千]?元)")
# The amount unit may share the department's line ("部门名称：… 单位：万元").
_DEPARTMENT = re.compile(
    rf"(?P<label>部门名称|单位名称)[:：]\s*(?P<name>\S.*?)(?:\s+{_AMOUNT_UNIT.pattern})?"
)
_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
# An indicator list opens with item 1 and a level-1 code ("1、1-产出指标", "1、3-满意度指标");
# goal texts number their points "1." or "1、提升…", never "1、<digit>-".
_INDICATOR_LIST = re.compile(r"1、[1-9]-\D")
# Only the paragraph tags: indicator targets print "<1%" and ">90%", which are text.
_PARAGRAPH_TAG = re.compile(r"</?p>")
_GRAND_TOTAL = "合计"
# Amounts are printed rounded to 0.01: a sum of n printed values may miss the printed total by
# up to half a cent per value, plus half a cent for the total itself.
_HALF_CENT = Decimal("0.005")
_MAX_COMBINATIONS = 100_000

_Values = tuple[str | None, ...]  # one per field of _FIELDS; None for an empty cell
_Order = tuple[str, ...]  # the fields of _FIELDS in the order the header prints them


def detect(rows: Sequence[Row]) -> bool:
    """A column header row: the project name (资金使用单位) then the six value columns, as the
    vocabulary names them (or a header printed over two rows, see _two_row_headers)."""
    return any(_header_order(_cells(row)) for row in rows if "\t" in row.text) or bool(
        _two_row_headers(rows)
    )


@functools.lru_cache(maxsize=65536)
def _opens_header(first_cell: str) -> bool:
    """Whether a row's first cell names the project column: only then can it be the header.

    Cached: every row's first cell is asked, and most are project names seen once per page.
    """
    match = vocabulary().match(first_cell, _SECTIONS)
    return match is not None and _VOCABULARY_FIELDS.get(match.field) == "name"


def _header_map(cells: Sequence[str]) -> HeaderMap:
    return vocabulary().header(enumerate(cells), _SECTIONS)


def _header_order(cells: Sequence[str]) -> _Order | None:
    """The fields of a column header row in printed order; None when the row is no such header.

    The header names each of the seven fields once, in adjacent columns from the first, and
    holds no cell the vocabulary doesn't know.
    """
    if not cells or not _opens_header(cells[0]):
        return None
    header = _header_map(cells)
    order = tuple(_VOCABULARY_FIELDS.get(match.field, "") for _, match in sorted(header.columns.items()))
    if header.unmapped or sorted(header.columns) != list(range(_WIDTH)) or set(order) != set(_FIELDS):
        return None
    return order


def _two_row_headers(rows: Sequence[Row]) -> dict[int, _Order]:
    """The upper rows (1-based) of column headers printed over two rows of a grid, each with
    the fields the two rows name together.

    A web page or Word table may group columns under a spanning cell (资金来源 over 财政拨款,
    财政专户拨款, 其他资金), the other header cells spanning both rows: the row below then
    holds the column names the group cell stands over, and together they read as the header.
    """
    uppers: dict[int, _Order] = {}
    for index, (upper, lower) in enumerate(zip(rows, rows[1:]), start=1):
        if not (upper.positioned and lower.positioned):
            continue
        top, bottom = _cells(upper), _cells(lower)
        if not _opens_header(top[0]):
            continue
        width = max(len(top), len(bottom))
        top, bottom = top + ("",) * (width - len(top)), bottom + ("",) * (width - len(bottom))
        order = _header_order([below or above for above, below in zip(top, bottom)])
        if order and not _header_order(top):
            uppers[index] = order
    return uppers


def _cells(row: Row) -> tuple[str, ...]:
    text = _PARAGRAPH_TAG.sub("", row.text) if "p>" in row.text else row.text
    cells = tuple(cell.strip() for cell in text.split("\t"))
    if not row.positioned:
        return cells
    # Positioned cells: a row ends at its last non-empty cell, so the empty ones up to the
    # table's width are there even though nothing was printed in them.
    return cells + ("",) * (_WIDTH - len(cells)) if len(cells) < _WIDTH else cells


def _header_unit(cells: Sequence[str]) -> str | None:
    """The amount unit a header prints on its columns (总计（万元）), if it does."""
    units = {
        match.label.amount_unit
        for match in _header_map(cells).columns.values()
        if match.label.amount_unit
    }
    return units.pop() if len(units) == 1 else None


@dataclass(frozen=True)
class _Reading:
    """One way of placing a row's printed cells in the seven columns."""

    values: _Values
    lost: tuple[str, ...] = ()  # fields one of which was dropped (all give these values)

    def get(self, name: str) -> str | None:
        return self.values[_FIELDS.index(name)]


@dataclass
class _Row:
    line_no: int
    readings: list[_Reading]  # exactly one once the row is settled
    kind: RowKind
    unit_name: str | None
    resolution: str | None = None

    @property
    def reading(self) -> _Reading:
        return self.readings[0]


@dataclass
class _Page:
    """What the page furniture printed, and which lines it took."""

    furniture: dict[int, str] = field(default_factory=dict)
    title: str | None = None
    title_line: int | None = None
    department: str | None = None
    department_line: int | None = None
    department_label: str | None = None
    amount_unit: str | None = None
    amount_unit_line: int | None = None


def _decimal(amount: str | None) -> Decimal:
    return Decimal(amount.replace(",", "")) if amount else Decimal(0)


def _shown(amount: str | None) -> str:
    return amount if amount else "none"


def _tolerance(summands: int) -> Decimal:
    return _HALF_CENT * (summands + 1)


def _page_line(page: _Page, number: int, text: str) -> bool:
    """Take a line without tabs as page furniture if it is one; False if it is not."""
    department = _DEPARTMENT.fullmatch(text)
    amount_unit = _AMOUNT_UNIT.fullmatch(text)
    if _TITLE_MARK in text:
        if page.title is None:
            page.title, page.title_line = text, number
            page.furniture[number] = "page title"
        elif text == page.title:
            page.furniture[number] = "page title (repeated)"
        else:
            raise ExtractError(
                f"page title {text!r} differs from the first one on line {page.title_line} "
                f"({page.title!r}): two documents in one file? split them",
                number,
            )
    elif department:
        label, name = department["label"], department["name"]
        if department["unit"]:
            _amount_unit_line(page, number, department["unit"])
        if page.department is None:
            page.department, page.department_line, page.department_label = name, number, label
            page.furniture[number] = f"department line ({label})"
        elif (label, name) == (page.department_label, page.department):
            page.furniture[number] = f"department line ({label}, repeated)"
        else:
            raise ExtractError(
                f"{label} {name!r} differs from the {page.department_label} on line "
                f"{page.department_line} ({page.department!r}): two documents in one file? "
                "split them",
                number,
            )
    elif amount_unit:
        _amount_unit_line(page, number, amount_unit["unit"])
    else:
        return False
    return True


def _amount_unit_line(page: _Page, number: int, unit: str) -> None:
    if page.amount_unit is None:
        page.amount_unit, page.amount_unit_line = unit, number
        page.furniture.setdefault(number, "amount unit line (单位)")
    elif unit == page.amount_unit:
        page.furniture.setdefault(number, "amount unit line (单位, repeated)")
    else:
        raise ExtractError(
            f"amounts in {unit} here but in {page.amount_unit} on line "
            f"{page.amount_unit_line}: one table can't mix units",
            number,
        )


def _text_rejection(field_name: str, value: str | None) -> str | None:
    """Why a text column can't hold this cell, if it can't."""
    if value is None:
        return None
    if _AMOUNT.fullmatch(value):
        return f"amount {value} in {_COLUMN[field_name]}"
    is_list = bool(_INDICATOR_LIST.match(value))
    if field_name == "goal_text" and is_list:
        return "an indicator list in 绩效目标"
    if field_name == "indicator_text" and not is_list:
        return "绩效指标 text that is not an indicator list"
    return None


def _rejection(values: _Values) -> str | None:
    """Why a reading of a shifted row can't be right, or None when nothing speaks against it."""
    by_field = dict(zip(_FIELDS, values))
    for name in _AMOUNT_FIELDS:
        value = by_field[name]
        if value is not None and not _AMOUNT.fullmatch(value):
            return f"{value[:20]!r} in {_COLUMN[name]}, not an amount"
    for name in _TEXT_FIELDS:
        reason = _text_rejection(name, by_field[name])
        if reason:
            return reason
    parts = [by_field[name] for name in _SOURCE_FIELDS if by_field[name] is not None]
    summed = sum((_decimal(part) for part in parts), Decimal(0))
    total = by_field["total"]
    if abs(_decimal(total) - summed) > _tolerance(len(parts)):
        return f"总计 {_shown(total)} is not the sum of its sources ({summed})"
    return None


def _misplaced(values: _Values) -> bool:
    """Whether a full-width row's cells can't be in the header's columns as they stand."""
    by_field = dict(zip(_FIELDS, values))
    return any(
        by_field[name] is not None and not _AMOUNT.fullmatch(by_field[name]) for name in _AMOUNT_FIELDS
    ) or any(_text_rejection(name, by_field[name]) for name in _TEXT_FIELDS)


def _by_field(printed: _Values, order: _Order) -> _Values:
    """Values in printed column order, rearranged into the order of _FIELDS."""
    return tuple(printed[order.index(name)] for name in _FIELDS)


def _readings(
    number: int, cells: tuple[str, ...], order: _Order, positioned: bool = False
) -> tuple[list[_Reading], dict[str, str]]:
    """Every reading of a row the printed cells allow; for a shifted row, why others were not.

    order: the fields of the header's columns. positioned: the cells come from a grid (a sheet,
    a ruled PDF) where a row that lost a cell still shows an empty last column; such a row is
    read as the shorter row it is.
    """
    printed = tuple(cell or None for cell in cells)
    values = _by_field(printed, order) if len(cells) == _WIDTH else printed
    if positioned and len(cells) == _WIDTH and printed[-1] is None and _misplaced(values):
        cells, printed = cells[:-1], printed[:-1]
    if len(cells) == _WIDTH:
        for name in _AMOUNT_FIELDS:
            value = values[_FIELDS.index(name)]
            if value is not None and not _AMOUNT.fullmatch(value):
                raise ExtractError(
                    f"{_COLUMN[name]} cell {value[:30]!r} is not an amount: the row's cells are "
                    "not in the header's columns",
                    number,
                )
        return [_Reading(values)], {}
    if len(cells) != _SHIFTED_CELLS:
        raise ExtractError(
            f"row has {len(cells)} tab-separated cells where the header has {_WIDTH} "
            f"(or {_SHIFTED_CELLS} when an empty column was lost): the row is cut off or "
            "broken over lines; restore the full row",
            number,
        )
    by_values: dict[_Values, list[str]] = {}
    rejected: dict[str, str] = {}
    for position in range(1, _WIDTH):
        candidate = _by_field(printed[:position] + (None,) + printed[position:], order)
        reason = _rejection(candidate)
        if reason:
            rejected[order[position]] = reason
        else:
            by_values.setdefault(candidate, []).append(order[position])
    if not by_values:
        why = "; ".join(f"lost {_COLUMN[name]}: {reason}" for name, reason in rejected.items())
        raise ExtractError(
            f"row has {_SHIFTED_CELLS} cells but no empty column can have been lost ({why}): "
            "the row is cut off or damaged",
            number,
        )
    return [_Reading(found, tuple(lost)) for found, lost in by_values.items()], rejected


def _lost_phrase(reading: _Reading) -> str:
    names = [_COLUMN[name] for name in reading.lost]
    if len(names) == 1:
        return f"lost the empty {names[0]} column"
    return f"lost one of the empty {', '.join(names)} columns (either reads the same)"


def _sources(reading: _Reading) -> str:
    return ", ".join(
        f"{_COLUMN[name]} {reading.get(name)}" for name in _SOURCE_FIELDS if reading.get(name)
    )


def _placement(reading: _Reading) -> str:
    amounts = ", ".join(
        f"{_COLUMN[name]} {reading.get(name)}" for name in _AMOUNT_FIELDS if reading.get(name)
    )
    goal, indicators = reading.get("goal_text"), reading.get("indicator_text")
    text = ""
    if indicators and not goal:
        text = ", the text as 绩效指标 (it is an indicator list)"
    elif goal and not indicators:
        text = ", the text as 绩效目标 (it is not an indicator list)"
    return f"read as {amounts or 'no amounts'}{text}"


def _row_resolution(reading: _Reading, rejected: Mapping[str, str]) -> str:
    others = "; ".join(f"{_COLUMN[name]} ({reason})" for name, reason in rejected.items())
    return (
        f"{_SHIFTED_CELLS} cells where the header has {_WIDTH}: {_lost_phrase(reading)}; "
        f"{_placement(reading)}; other lost columns rejected: {others}"
    )


def _check_paragraphs(number: int, line: str, order: _Order) -> None:
    """A cell that opens a <p> and never closes it was cut off inside its text."""
    if "p>" not in line:  # most rows hold no paragraph tag: no need to look cell by cell
        return
    for position, cell in enumerate(line.split("\t")):
        if cell.count("<p>") != cell.count("</p>"):
            raise ExtractError(
                f"{_COLUMN[order[position]] if position < _WIDTH else 'cell'} cell opens <p> "
                "without closing it (or closes one never opened): the row is cut off; restore "
                "the full row",
                number,
            )


def _is_furniture(text: str) -> bool:
    return _TITLE_MARK in text or bool(_DEPARTMENT.fullmatch(text) or _AMOUNT_UNIT.fullmatch(text))


def _furniture_cells(page: _Page, number: int, row: Row) -> bool:
    """Take a positioned row whose every non-empty cell is page furniture (the department and
    the unit side by side, say) as furniture; False if some cell is not."""
    texts = [text.strip() for text in row.text.split("\t") if text.strip()]
    if not all(_is_furniture(text) for text in texts):
        return False
    return all([_page_line(page, number, text) for text in texts])


def _scan(
    rows: Sequence[Row],
) -> tuple[_Page, list[tuple[int, tuple[str, ...], bool]], dict[int, str], _Order]:
    """Split the rows into page furniture, table rows and text that is neither; the fields of
    the header's columns."""
    page = _Page()
    table: list[tuple[int, tuple[str, ...], bool]] = []
    unparsed: dict[int, str] = {}
    header_line: int | None = None
    order: _Order = _FIELDS
    group_rows = _two_row_headers(rows)
    for number, row in enumerate(rows, start=1):
        line = row.text
        if not line.strip():
            continue
        if number in group_rows:
            page.furniture[number] = "column header (upper row, with a column group)"
            continue
        if "\t" not in line or (row.positioned and _furniture_cells(page, number, row)):
            if "\t" not in line and not _page_line(page, number, line.strip()):
                unparsed[number] = (
                    "text outside the table: not a title, 部门名称/单位名称 or 单位 line"
                )
            continue
        cells = _cells(row)
        header_order = group_rows.get(number - 1) or _header_order(cells)
        if header_order:
            unit = _header_unit(cells)
            if unit:
                _amount_unit_line(page, number, unit)
            first = header_line is None
            if not first and header_order != order:
                raise ExtractError(
                    f"column header prints its columns in another order than the header on line "
                    f"{header_line}: which order the rows follow can't be told",
                    number,
                )
            page.furniture[number] = "column header" if first else "column header (repeated)"
            header_line, order = (number, header_order) if first else (header_line, order)
        elif _opens_header(cells[0]):
            header = _header_map(cells)
            named = {_VOCABULARY_FIELDS.get(match.field) for match in header.columns.values()}
            missing = ", ".join(_COLUMN[name] for name in _FIELDS if name not in named)
            raise ExtractError(
                f"column header {' | '.join(cell for cell in cells if cell)} is not this table's "
                f"({header.describe()}; columns not found: {missing or 'none'}): add the labels "
                "to seeds/header_vocabulary.csv if they name these columns",
                number,
            )
        elif header_line is None:
            raise ExtractError(
                "table row before the column header (项目名称（资金使用单位） 总计 …): its columns "
                "are unknown",
                number,
            )
        else:
            _check_paragraphs(number, line, order)
            table.append((number, cells, row.positioned))
    last = max((number for number, row in enumerate(rows, start=1) if row.text.strip()), default=0)
    if header_line is not None and last > header_line and last in unparsed:
        raise ExtractError(
            f"document ends with text that is not a table row ({rows[last - 1].text.strip()[:30]!r}):"
            " a row cut off before its first tab? restore the full row",
            last,
        )
    return page, table, unparsed, order


def _classify(
    table: list[tuple[int, tuple[str, ...], bool]], order: _Order
) -> tuple[list[_Row], dict[int, str], dict[int, str]]:
    """Rows with their kind and unit; repeated 合计 lines; rows that are neither."""
    rows: list[_Row] = []
    repeated_totals: dict[int, str] = {}
    unplaced: dict[int, str] = {}
    if not table:
        raise ExtractError("no table rows after the column header: the table is empty or cut off")
    first_line, first_cells, _ = table[0]
    if re.sub(r"\s", "", first_cells[0]) != _GRAND_TOTAL:
        raise ExtractError(
            f"the first row is {first_cells[0]!r}, not 合计: the grand total the units must add "
            "up to is missing",
            first_line,
        )
    unit_name: str | None = None
    for number, cells, positioned in table:
        name = cells[0]
        if rows and re.sub(r"\s", "", name) == _GRAND_TOTAL:
            if cells != first_cells:
                raise ExtractError(
                    f"合计 row differs from the grand total on line {first_line}: which one is "
                    "the document's total?",
                    number,
                )
            repeated_totals[number] = f"repeated 合计 (grand total) row, same as line {first_line}"
            continue
        if not name:
            raise ExtractError("row without a 项目名称: its first cell is empty", number)
        readings, rejected = _readings(number, cells, order, positioned)
        # Readings differ only in where values sit, never in whether there are amounts or texts.
        reading = readings[0]
        has_amounts = any(reading.get(field_name) for field_name in _AMOUNT_FIELDS)
        has_texts = any(reading.get(field_name) for field_name in _TEXT_FIELDS)
        if not rows:
            kind = RowKind.GRAND_TOTAL
        elif has_texts:
            if unit_name is None:
                raise ExtractError(
                    f"project {name!r} before any spending-unit row: which unit it belongs to "
                    "is unknown",
                    number,
                )
            kind = RowKind.PROJECT
        elif has_amounts:
            kind = RowKind.UNIT
            unit_name = name
        else:
            unplaced[number] = (
                "row with a name but no amounts, goal or indicators: neither a unit nor a project"
            )
            continue
        decided = len(readings) == 1 and len(readings[0].values) == _WIDTH and bool(readings[0].lost)
        rows.append(
            _Row(
                number,
                readings,
                kind,
                None if kind is RowKind.GRAND_TOTAL else unit_name,
                _row_resolution(reading, rejected) if decided else None,
            )
        )
    return rows, repeated_totals, unplaced


def _amounts(reading: _Reading) -> tuple[Decimal, ...]:
    return tuple(_decimal(reading.get(name)) for name in _AMOUNT_FIELDS)


def _column_sums(amounts: Sequence[tuple[Decimal, ...]]) -> tuple[Decimal, ...]:
    return tuple(
        sum((row[column] for row in amounts), Decimal(0)) for column in range(len(_AMOUNT_FIELDS))
    )


def _settle_unit(unit: _Row, projects: list[_Row]) -> None:
    """Pick the one combination of the projects' readings that adds up to the unit subtotal."""
    open_rows = [row for row in projects if len(row.readings) > 1]
    if not open_rows:
        return
    lines = ", ".join(str(row.line_no) for row in open_rows)
    printed = _amounts(unit.reading)
    settled = _column_sums([_amounts(row.reading) for row in projects if len(row.readings) == 1])
    tolerance = _tolerance(len(projects))
    combinations = math.prod(len(row.readings) for row in open_rows)
    if combinations > _MAX_COMBINATIONS:
        raise ExtractError(
            f"{len(open_rows)} shifted rows of unit {unit.unit_name!r} (lines {lines}) allow "
            f"{combinations} readings, too many to check against its subtotal",
            open_rows[0].line_no,
        )
    # Each reading's amounts are parsed once, not once per combination it takes part in.
    options = [[(reading, _amounts(reading)) for reading in row.readings] for row in open_rows]
    fitting = [
        tuple(reading for reading, _ in choice)
        for choice in itertools.product(*options)
        if all(
            abs(fixed + chosen - total) <= tolerance
            for fixed, chosen, total in zip(
                settled, _column_sums([amounts for _, amounts in choice]), printed
            )
        )
    ]
    if len(fitting) != 1:
        raise ExtractError(
            f"shifted rows of unit {unit.unit_name!r} (lines {lines}) can be read in "
            f"{combinations} ways, and {len(fitting) or 'none'} of those readings make its "
            f"projects add up to its subtotal on line "
            f"{unit.line_no}: which column each row lost can't be decided; check the "
            "published table",
            open_rows[0].line_no,
        )
    subtotal = ", ".join(
        f"{_COLUMN[name]} {_shown(unit.reading.get(name))}" for name in _AMOUNT_FIELDS
    )
    for row, chosen in zip(open_rows, fitting[0]):
        others = "; ".join(
            f"{_lost_phrase(reading)} ({_sources(reading)})"
            for reading in row.readings
            if reading is not chosen
        )
        row.readings = [chosen]
        row.resolution = (
            f"{_SHIFTED_CELLS} cells where the header has {_WIDTH}: "
            f"{_lost_phrase(chosen)}; {_placement(chosen)}, because only with this reading of "
            f"the unit's shifted rows (lines {lines}) do the projects of {unit.unit_name} add up "
            f"to its subtotal on line {unit.line_no} ({subtotal}); other readings: {others}"
        )


def _settle(rows: list[_Row]) -> None:
    """Decide the rows whose own cells allow several readings, unit by unit."""
    for row in rows:
        if len(row.readings) > 1 and row.kind is not RowKind.PROJECT:
            raise ExtractError(
                f"{row.kind.value} row can be read in {len(row.readings)} ways (which empty "
                "column was lost can't be told from its cells), and only a project's reading "
                "can be checked against a subtotal",
                row.line_no,
            )
    units = [index for index, row in enumerate(rows) if row.kind is RowKind.UNIT]
    for start, end in zip(units, [*units[1:], len(rows)]):
        _settle_unit(rows[start], rows[start + 1 : end])


def _budget_row(row: _Row, amount_unit: str | None) -> BudgetRow:
    reading = row.reading
    return BudgetRow(
        source_line=row.line_no,
        end_line=row.line_no,
        row_kind=row.kind,
        unit_name=row.unit_name,
        name=reading.get("name") or "",
        total=reading.get("total"),
        fiscal=reading.get("fiscal"),
        special_account=reading.get("special_account"),
        other=reading.get("other"),
        goal_text=reading.get("goal_text"),
        indicator_text=reading.get("indicator_text"),
        shift_resolution=row.resolution,
        amount_unit=amount_unit,
    )


def _dispositions(
    lines: Sequence[Row], furniture: Mapping[int, str], rows: list[_Row], unparsed: Mapping[int, str]
) -> list[LineDisposition]:
    return line_dispositions(lines, furniture, {row.line_no for row in rows}, unparsed)


def parse(lines: Sequence[Row], hints: Mapping[str, str]) -> ParsedDocument:
    """Read a tab-separated budget table into rows, one disposition per line.

    hints: unused; the table prints every fact this layout needs. The amount unit is None when
    the document prints none (the catalog then says what it is).
    """
    page, table, unparsed, order = _scan(lines)
    rows, repeated_totals, unplaced = _classify(table, order)
    _settle(rows)
    year = _TITLE_YEAR.search(page.title) if page.title else None
    return ParsedDocument(
        layout=LAYOUT,
        title=page.title,
        department_name=page.department,
        fiscal_year=int(year.group(1)) if year else None,
        fiscal_year_evidence=f"title, line {page.title_line}" if year else None,
        amount_unit=page.amount_unit,
        rows=[_budget_row(row, page.amount_unit) for row in rows],
        lines=_dispositions(
            lines, {**page.furniture, **repeated_totals}, rows, {**unparsed, **unplaced}
        ),
    )
