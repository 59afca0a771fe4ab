"""The building blocks of one-table-per-entity templates (forms, unit-level tables, self-evaluations).

A template is a grid of cells: label cells, the values next to them, headed blocks of rows.
Every function here is pure and works on rows of cells (`Row.text` split at the tabs gives the
columns; an empty cell is a merged cell's shadow or a blank). What a label means comes from the
header vocabulary (`seeds/header_vocabulary.csv`), never from the code:

- `cells_of(row)`: the non-empty cells of a row, with their columns;
- `label_values(row, sections)`: the labels of a row and the value right of each (several pairs
  per row); `rows_of_pairs(rows, sections)` the same over rows, a row of labels heading the row
  of values under it;
- `indicator_header(row)` and `read_indicators(rows, header)`: an indicator grid (一级 / 二级 /
  三级指标 and the columns beside them), the category levels inherited over merged cells;
- `read_amounts(rows, …)`: an amount block (a list of label + value, or a grid of label + one
  value per column), 其中 rows as parts of the row above and 合计 rows as totals.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.cells import Row
from extract.vocabulary import FieldMatch, HeaderMap, read_label, vocabulary

GRID_SECTION = "indicator_grid"
LEVEL1_SECTION = "indicator_level1"
LEVEL2_SECTION = "indicator_level2"
AMOUNT_SECTION = "amounts"
TOTAL = "total"
# A row label numbered 指标1： (Wuchuan's forms): the number is the form's, not the indicator's name.
_NUMBERED_INDICATOR = re.compile(r"^\s*指标\s*\d+\s*[：:]")
_NUMBERED_LABEL = re.compile(r"^\s*(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")
CATEGORIES_ONLY = "indicator grid row with categories but no indicator"
NO_INDICATOR = "indicator grid row without an indicator name"


@dataclass(frozen=True, slots=True)
class GridCell:
    column: int  # 0-based position among the row's tab-separated cells
    text: str  # stripped


def cells_of(row: Row | str) -> list[GridCell]:
    """The non-empty cells of a row; the empty ones are merged shadows or blanks."""
    text = row if isinstance(row, str) else row.text
    return [GridCell(column, cell.strip()) for column, cell in enumerate(text.split("\t")) if cell.strip()]


# ---------------------------------------------------------------- label-value pairs


@dataclass(frozen=True, slots=True)
class LabelValue:
    line: int  # Row.number
    label: GridCell
    match: FieldMatch
    value: GridCell | None  # the next non-empty cell right of the label, unless it is a label too

    @property
    def field(self) -> str:
        return self.match.field

    @property
    def text(self) -> str | None:
        return self.value.text if self.value else None


def label_values(row: Row, sections: Sequence[str]) -> tuple[list[LabelValue], list[GridCell]]:
    """The row's labels (cells the vocabulary maps in these sections), each with its value, and the
    cells that are neither a label nor a label's value (for the caller to place or report)."""
    cells = cells_of(row)
    matches = [vocabulary().match(cell.text, sections) for cell in cells]
    pairs: list[LabelValue] = []
    stray: list[GridCell] = []
    used: set[int] = set()
    for at, (cell, match) in enumerate(zip(cells, matches)):
        if match is None:
            if at not in used:
                stray.append(cell)
            continue
        has_value = at + 1 < len(cells) and matches[at + 1] is None
        pairs.append(LabelValue(row.number, cell, match, cells[at + 1] if has_value else None))
        if has_value:
            used.add(at + 1)
    return pairs, stray


def rows_of_pairs(rows: Sequence[Row], sections: Sequence[str]) -> list[tuple[Row, list[LabelValue]]]:
    """Label-value pairs over rows, where a row of labels without values may head the row below:
    `资金总额 | 财政拨款 | 其他资金` over `100 | 80 | 20` pairs each label with the value under it.
    Each row with the pairs it gave: a heading row none, the row under it its labels' pairs."""
    result: list[tuple[Row, list[LabelValue]]] = []
    heading: dict[int, LabelValue] = {}
    for row in rows:
        pairs, stray = label_values(row, sections)
        if heading and not pairs and stray and all(cell.column in heading for cell in stray):
            under = [LabelValue(row.number, heading[cell.column].label, heading[cell.column].match, cell) for cell in stray]
            result.append((row, under))
            heading = {}
            continue
        headed = [pair for pair in pairs if pair.value is None]
        heading = {pair.label.column: pair for pair in headed} if len(headed) >= 2 and not stray else {}
        result.append((row, [] if heading else pairs))
    return result


# ---------------------------------------------------------------- indicator grids


def indicator_header(row: Row) -> HeaderMap | None:
    """The row as an indicator grid's header: it names the indicator column and at least one of
    the category or target columns. Cells the vocabulary does not know stay in `unmapped`
    (the grid's own label, 绩效指标, sits left of the header cells in many forms)."""
    header = vocabulary().header(((cell.column, cell.text) for cell in cells_of(row)), [GRID_SECTION])
    names = set(header.fields)
    if "indicator_name" in names and names & {"level1", "level2", "annual_target", "cycle_target"}:
        return header
    return None


@dataclass(frozen=True, slots=True)
class GridIndicator:
    """One indicator row of a grid, every value as printed."""

    line: int  # Row.number
    level1: str | None  # the printed or merged level 1 (a slip printed in its column stays, see level1_above)
    level2: str | None
    level1_above: str | None  # the merged level 1 where the row's level-1 cell prints a level-2 name
    name: str | None  # 三级指标 / 指标内容 / 指标名称, without a 指标N： number
    values: dict[str, str]  # every other printed cell by the field of its header column
    text: str  # the row as printed


@dataclass
class GridReading:
    indicators: list[GridIndicator] = field(default_factory=list)
    # Rows that are no indicator, with why: categories alone (they still head the rows below) or
    # cells the header does not explain.
    unparsed: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Printed:
    """What one grid row prints: its category cells and, if any, its indicator."""

    line: int
    level1: str | None
    level2: str | None
    slip: str | None  # a level-2 name printed in the level-1 column
    indicator: tuple[str | None, dict[str, str]] | None  # (name, values) or None for categories alone
    text: str


def read_indicators(rows: Sequence[Row], header: HeaderMap) -> GridReading:
    """Read the rows under an indicator grid header into indicators.

    A row whose cells sit in the header's columns is read by column. A text copy of a form may
    drop the empty cells of merged categories, so a row whose cells don't fit the columns is read
    by order: the categories, then the indicator (the cell numbered 指标N：, else the one after
    the categories), then one cell per column right of the indicator column.

    Categories are merged over the rows they head. A merged cell's text sits on its first row
    (a workbook, a ruled PDF) or on its middle row (a PDF copied as text): when the first row of
    the grid prints no category of a level that rows below print, the labels are centred and
    each applies to the rows around it.
    """
    printed: list[_Printed] = []
    reading = GridReading()
    for row in rows:
        cells = cells_of(row)
        if not cells:
            continue
        found = _read_row(row, cells, header)
        if isinstance(found, str):
            reading.unparsed[row.number] = found
        else:
            printed.append(found)
    levels = _assign_levels(printed)
    for entry, (level1, level2) in zip(printed, levels):
        if entry.indicator is None:
            reading.unparsed[entry.line] = CATEGORIES_ONLY
            continue
        name, values = entry.indicator
        reading.indicators.append(
            GridIndicator(
                line=entry.line,
                level1=entry.slip if entry.slip and entry.slip != level1 else level1,
                level2=level2,
                level1_above=level1 if entry.slip and entry.slip != level1 else None,
                name=name,
                values=values,
                text=entry.text,
            )
        )
    return reading


@functools.cache
def _level_names(section: str) -> frozenset[str]:
    return vocabulary().keys(section)


def _is_level1(text: str) -> bool:
    return read_label(text).key in _level_names(LEVEL1_SECTION)


def _is_level2(text: str) -> bool:
    return read_label(text).key in _level_names(LEVEL2_SECTION)


def _read_row(row: Row, cells: list[GridCell], header: HeaderMap) -> _Printed | str:
    columns = {column: match.field for column, match in header.columns.items()}
    by_field = header.fields
    name_column = by_field["indicator_name"]
    at = next((i for i, cell in enumerate(cells) if _NUMBERED_INDICATOR.match(cell.text)), None)
    aligned = all(cell.column in columns for cell in cells)
    if at is None and aligned:
        at = next((i for i, cell in enumerate(cells) if cell.column == name_column), None)
    if at is None and not aligned:
        after = [c for c in columns if c > name_column]
        at = len(cells) - len(after) - 1 if len(cells) > len(after) else None
        if at is not None and not all(_is_category(cell.text) for cell in cells[:at]):
            at = None
    before = cells if at is None else cells[:at]
    if at is None:
        if before and all(cell.column < name_column for cell in before) and all(
            _is_category(cell.text) for cell in before
        ):
            level1, level2, slip = _categories(before, columns, aligned)
            return _Printed(row.number, level1, level2, slip, None, row.text)
        return NO_INDICATOR
    name_cell = cells[at]
    rest = cells[at + 1 :]
    if name_cell.column == name_column and all(cell.column in columns for cell in rest):
        values = {columns[cell.column]: cell.text for cell in rest}
    else:
        after = [columns[c] for c in sorted(columns) if c > name_column]
        if len(rest) != len(after):
            return (
                f"indicator row has {len(rest)} cells right of its indicator where the header "
                f"names {len(after)}; an empty cell can't be placed"
            )
        values = dict(zip(after, (cell.text for cell in rest)))
    level1, level2, slip = _categories(before, columns, aligned and name_cell.column == name_column)
    name = _NUMBERED_INDICATOR.sub("", name_cell.text).strip() or None
    return _Printed(row.number, level1, level2, slip, (name, values), row.text)


def _is_category(text: str) -> bool:
    return _is_level1(text) or _is_level2(text) or read_label(text).key.endswith("指标")


def _categories(
    cells: list[GridCell], columns: dict[int, str], by_column: bool
) -> tuple[str | None, str | None, str | None]:
    """(new level 1, new level 2, slip) printed by a row's category cells; None where merged.

    By column where the cells sit in the header's level columns. Otherwise two cells are level 1
    and level 2, and a lone cell is a level 2 unless only a level 1 bears its name. A level-1
    cell printing a level-2 name (质量指标 under 产出指标) is a slip: it is kept as printed and
    the merged level 1 stays.
    """
    if by_column and all(columns.get(cell.column) in ("level1", "level2") for cell in cells):
        printed = {columns[cell.column]: cell.text for cell in cells}
        level1, level2 = printed.get("level1"), printed.get("level2")
    elif len(cells) >= 2:
        level1, level2 = cells[-2].text, cells[-1].text
    elif len(cells) == 1:
        only = cells[0].text
        level1, level2 = (only, None) if _is_level1(only) and not _is_level2(only) else (None, only)
    else:
        level1, level2 = None, None
    if level1 is not None and _is_level2(level1) and not _is_level1(level1):
        return None, level2, level1
    return level1, level2, None


def _assign_levels(printed: list[_Printed]) -> list[tuple[str | None, str | None]]:
    """(level 1, level 2) of each row from the labels printed on some rows (see read_indicators).

    A level is centred when the grid's first row prints none of it and a later row does; a
    level 2 is read within its level 1's rows (a new level 1 closes the merged level 2 above)."""
    level1s = [entry.level1 for entry in printed]
    level2s = [entry.level2 for entry in printed]
    level1_of = _spans(level1s, _centred(level1s))
    centred2 = _centred(level2s)
    result: list[tuple[str | None, str | None]] = []
    start = 0
    while start < len(printed):
        end = start
        while end + 1 < len(printed) and level1_of[end + 1] == level1_of[start]:
            end += 1
        level2_of = _spans(level2s[start : end + 1], centred2)
        for index in range(start, end + 1):
            label1, label2 = level1_of[index], level2_of[index - start]
            result.append((label1[1] if label1 else None, label2[1] if label2 else None))
        start = end + 1
    return result


def _centred(labels: list[str | None]) -> bool:
    return bool(labels) and labels[0] is None and any(label is not None for label in labels)


def _spans(labels: list[str | None], centred: bool) -> list[tuple[int, str] | None]:
    """Which printed label covers each row: (its row index, its text), None for no label.

    Top-aligned: a label covers its row and the unlabelled rows below it. Centred: a label
    covers as many unlabelled rows above it as below, the rows between two labels split
    between them, the last label all the rows below it.
    """
    covering: list[tuple[int, str] | None] = [None] * len(labels)
    positions = [index for index, label in enumerate(labels) if label is not None]
    if not centred:
        current: tuple[int, str] | None = None
        for index, label in enumerate(labels):
            if label is not None:
                current = (index, label)
            covering[index] = current
        return covering
    start = 0
    for number, position in enumerate(positions):
        label = labels[position]
        assert label is not None
        if number + 1 == len(positions):
            last = len(labels) - 1
        else:
            gap = positions[number + 1] - position - 1
            last = position + min(position - start, gap)
        for index in range(start, last + 1):
            covering[index] = (position, label)
        start = last + 1
    return covering


# ---------------------------------------------------------------- amount blocks


@dataclass(frozen=True, slots=True)
class AmountItem:
    line: int  # Row.number of the value cell
    value_column: int | None  # the value cell's column (None when the row prints no value)
    label: str  # the row's label as printed
    field: str | None  # the label's vocabulary field; None for a free detail line
    measure: str  # the column's field in a grid; 'amount' in a one-value block
    value: str | None  # as displayed; None when empty
    amount_unit: str | None
    parent: int | None  # index (in the returned list) of the item a 其中 row is part of
    is_total: bool


def read_amounts(
    rows: Sequence[Row],
    label_column: int,
    value_columns: dict[int, tuple[str, str | None]],
    sections: Sequence[str] = (AMOUNT_SECTION,),
) -> list[AmountItem]:
    """An amount block's rows: a label in label_column, values in value_columns
    (column → (measure, amount unit)). A row with a label and no value is still an item.

    A `其中：` row is part of the item above it, and so is an unnumbered row right after a part
    where the block numbers its items (1. …, 2. …); under a total row, though, 其中 rows are the
    block's own items (年度资金总额, 其中：财政拨款, 其他资金). A row whose label means a total
    (合计, 总计, 年度资金总额) is a check sum of the block, not an item of it.
    """
    items: list[AmountItem] = []
    numbered = any(_NUMBERED_LABEL.match(_label_at(row, label_column) or "") for row in rows)
    parent: int | None = None  # index of the first item of the row the next 其中 rows are part of
    in_parts = False
    for row in rows:
        label = _label_at(row, label_column)
        if label is None:
            continue
        read = read_label(label)
        match = vocabulary().match(label, sections)
        is_total = match is not None and match.field == TOTAL
        part = read.part_of_above or (in_parts and numbered and not _NUMBERED_LABEL.match(label))
        in_parts = part
        values = {cell.column: cell.text for cell in cells_of(row) if cell.column in value_columns}
        for offset, (column, (measure, unit)) in enumerate(sorted(value_columns.items())):
            value = values.get(column)
            items.append(
                AmountItem(
                    line=row.number,
                    value_column=column if value is not None else None,
                    label=label,
                    field=match.field if match else None,
                    measure=measure,
                    value=value,
                    amount_unit=unit,
                    parent=parent + offset if parent is not None and part and not is_total else None,
                    is_total=is_total,
                )
            )
        if is_total:
            # 其中 rows right under a total break the total down: they are items of the block.
            parent = None
        elif not part:
            parent = len(items) - len(value_columns)
    return items


def _label_at(row: Row, column: int) -> str | None:
    cells = {cell.column: cell.text for cell in cells_of(row)}
    return cells.get(column)
