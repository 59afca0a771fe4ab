"""Forms: documents of one-table-per-entity templates, each table under a title row.

A title row names its template by a title word of the header vocabulary (section `titles`:
项目支出绩效目标表, 绩效目标填报表, 项目申报表 → project_form; 整体预算绩效目标表 → unit_target),
and the row after it starts with a label the vocabulary knows (项目名称, 部门名称 …). The file
name plays no part. A form is read by its labels (extract/grid.py): label-value pairs, headed
goal columns, amount blocks and an indicator grid; what each label means is in the seed.

A text copy of a form drops the empty cells of merged ones unevenly, so cells are read by what
they say and columns count only under a header row that names them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from extract.cells import Row
from extract.grid import (
    AmountItem,
    GridCell,
    GridIndicator,
    GridReading,
    LabelValue,
    cells_of,
    indicator_header,
    label_values,
    read_amounts,
    read_indicators,
    rows_of_pairs,
)
from extract.records import (
    BudgetRow,
    ExtractError,
    IndicatorItem,
    LineDisposition,
    LineUse,
    OverviewItem,
    ParsedDocument,
    ProjectAmountItem,
    RowKind,
)
from extract.vocabulary import marker_pattern, read_label, squeeze, vocabulary

LAYOUT = "forms"
PROJECT_FORM, UNIT_TARGET = "project_form", "unit_target"

_FORM_SECTIONS = ("project", "amounts", "goals")
_AMOUNT_BLOCKS = ("funding_sources", "spending_details", "execution")
_TITLE_LENGTH = 60  # a title is a short line; a sentence naming a form is no title
_YEAR = re.compile(r"\d{4}")
_TITLE_YEAR = re.compile(r"(?P<year>\d{4})\s*年")
_AMOUNT = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?P<unit>[万千]?元)")
_NARRATIVE_UNIT = re.compile(r"\d(?P<unit>万元|元)")
_NUMBERED_TASK = re.compile(r"^任务\s*\d+\s*[:：]$")
_UNIT_LINE = re.compile(r"^(?:金额)?单位\s*[:：]\s*(?P<unit>万元|元)$")
# A form ends where a row's first cell is a label of its own (填表人, 联系电话 …), not a grid row.
_END_OF_GRID_SECTIONS = ("project", "amounts", "goals", "blocks")


def _template(row: Row) -> str | None:
    """The template a title row names, or None when the row is no title."""
    cells = cells_of(row)
    # A title may share its row with one more cell (单位：元, a date).
    if not 1 <= len(cells) <= 2 or len(cells[0].text) > _TITLE_LENGTH:
        return None
    text = squeeze(cells[0].text)
    words = sorted(vocabulary().keys("titles"), key=len, reverse=True)
    word = next((word for word in words if word in text), None)
    match = vocabulary().match(word, ["titles"]) if word else None
    return match.field if match else None


def _opens_form(row: Row) -> bool:
    """A form's first row: a known label, then a value (not a column header of a table)."""
    cells = cells_of(row)
    if not cells or vocabulary().match(cells[0].text, ["project"]) is None:
        return False
    return vocabulary().match(cells[1].text, ["project", "amounts", "project_table"]) is None


def _titles(rows: Sequence[Row]) -> list[tuple[int, str]]:
    """(index, template) of every form title: a title row whose next non-blank row opens a form."""
    found = []
    markers = _title_markers()
    # Most rows hold no character of any title word: only the others are read as cells.
    for index, row in enumerate(rows):
        if markers is not None and not markers.search(row.text):
            continue
        template = _template(row)
        if template is None:
            continue
        # One-cell lines may come between (填报单位（盖章）：…); the first row of cells opens the form.
        # (A row of one cell has no tab: most rows are passed over without splitting them.)
        following = next(
            (other for other in rows[index + 1 :] if "\t" in other.text and len(cells_of(other)) > 1), None
        )
        if following is not None and _opens_form(following):
            found.append((index, template))
    return found


@functools.cache
def _title_markers() -> re.Pattern[str] | None:
    return marker_pattern(vocabulary().keys("titles"))


def detect(rows: Sequence[Row]) -> bool:
    return bool(_titles(rows))


@dataclass
class _Uses:
    by_line: dict[int, LineDisposition] = field(default_factory=dict)

    def set(self, line: int, use: LineUse, reason: str = "") -> None:
        self.by_line[line] = LineDisposition(line, use, reason)


@dataclass(frozen=True)
class _ProjectForm:
    row: BudgetRow
    indicators: list[IndicatorItem]
    amounts: list[ProjectAmountItem]
    year: int | None
    year_evidence: str | None
    year_line: int | None


@dataclass(frozen=True)
class _Overview:
    title_line: int
    items: list[OverviewItem]
    indicators: list[IndicatorItem]
    department: str | None
    unit: str | None


def parse(rows: Sequence[Row], hints: Mapping[str, str]) -> ParsedDocument:
    """Read every form of the document. Forms print all they need: no catalog hint applies."""
    titles = _titles(rows)
    if not titles:
        raise ExtractError("no form: no title row (…绩效目标表, …申报表) followed by a labelled row")
    uses = _Uses()
    for row in rows[: titles[0][0]]:
        if row.text.strip():
            uses.set(row.number, LineUse.UNPARSED, "text before the first form title")
        else:
            uses.set(row.number, LineUse.BLANK)
    projects: list[_ProjectForm] = []
    overview: _Overview | None = None
    templates: list[str] = []
    bounds = [index for index, _ in titles] + [len(rows)]
    for (start, template), end in zip(titles, bounds[1:]):
        title, body = rows[start], list(rows[start + 1 : end])
        uses.set(title.number, LineUse.FURNITURE, "form title")
        if template not in templates:
            templates.append(template)
        if template == PROJECT_FORM:
            projects.append(_project_form(title, body, uses))
        elif overview is None:
            overview = _overview_form(title, body, uses)
        else:
            raise ExtractError(
                f"a second unit-level form (the first is at line {overview.title_line}); "
                "a document holds one",
                title.number,
            )
    _check_not_cut_off(rows[titles[-1][0]], list(rows[titles[-1][0] + 1 :]))
    _check_forms_agree(projects)
    first_title = rows[titles[0][0]]
    year, evidence = _fiscal_year(projects, first_title)
    department = (overview.department if overview else None) or (
        projects[0].row.managing_department if projects else None
    )
    unit = (
        projects[0].row.amount_unit
        if projects and projects[0].row.amount_unit
        else (overview.unit if overview else None)
    )
    return ParsedDocument(
        layout=LAYOUT,
        title=first_title.text.strip(),
        department_name=department,
        fiscal_year=year,
        fiscal_year_evidence=evidence,
        amount_unit=unit,
        rows=[project.row for project in projects],
        indicators=[item for project in projects for item in project.indicators],
        unit_overview=overview.items if overview else [],
        unit_indicators=overview.indicators if overview else [],
        lines=[uses.by_line[row.number] for row in rows],
        templates=templates,
        amounts=[item for project in projects for item in project.amounts],
    )


def _fiscal_year(projects: Sequence[_ProjectForm], title: Row) -> tuple[int | None, str | None]:
    """The projects' 起始年度 where printed, else the year in the document's title."""
    if projects and projects[0].year is not None:
        return projects[0].year, projects[0].year_evidence
    match = _TITLE_YEAR.search(title.text)
    if match:
        return int(match["year"]), f"title, line {title.number}"
    return None, None


def _check_not_cut_off(title: Row, body: Sequence[Row]) -> None:
    """A text copy prints a form's rows with the form's width in tabs (only tabs say where a
    text row's cells are); a file whose last row is narrower, its last cell filled, was cut off
    inside that row."""
    texts = [row for row in body if row.text.strip() and not row.positioned]
    if not texts:
        return
    width = Counter(len(row.text.split("\t")) for row in texts).most_common(1)[0][0]
    last = texts[-1]
    cells = last.text.split("\t")
    if 1 < len(cells) < width and cells[-1].strip():
        raise ExtractError(
            f"the last row has {len(cells)} cells where the rows of the form titled at line "
            f"{title.number} have {width}: the file is cut off after {cells[-1].strip()[:20]!r}",
            last.number,
        )


def _check_forms_agree(projects: Sequence[_ProjectForm]) -> None:
    """One document, one fiscal year and one amount unit: a form that differs is an error."""
    if not projects:
        return
    first = projects[0]
    for project in projects[1:]:
        if project.year != first.year:
            raise ExtractError(
                f"起始年度 {project.row.start_year} disagrees with {first.row.start_year} printed "
                f"at line {first.year_line}; every form of a document must share its fiscal year",
                project.year_line,
            )
        if project.row.amount_unit != first.row.amount_unit:
            raise ExtractError(
                f"amounts in {project.row.amount_unit} while the form of line "
                f"{first.row.source_line} prints {first.row.amount_unit}; one unit per document",
                project.row.source_line,
            )


# ---------------------------------------------------------------- project forms


@dataclass
class _Block:
    """An amount block being read: its header and the rows under it."""

    label: str
    field: str
    label_column: int  # -1 for a key/value grid: its labels sit anywhere right of the block label
    value_columns: dict[int, tuple[str, str | None]]  # column → (measure, amount unit); none in a key/value grid
    unit: str | None
    rows: list[Row] = field(default_factory=list)


def _block_header(row: Row) -> _Block | None:
    """A row opening an amount block: a block label (项目资金来源, 项目支出明细预算 …), then the
    label column's header and the value columns' headers (金额); or, with no value header, a
    key/value grid whose pairs follow the block label on this row and the rows below."""
    cells = cells_of(row)
    at, match = next(
        (
            (i, m)
            for i, cell in enumerate(cells)
            if (m := vocabulary().match(cell.text, ["blocks"])) and m.field in _AMOUNT_BLOCKS
        ),
        (None, None),
    )
    if at is None or match is None:
        return None
    unit = match.label.amount_unit
    rest = cells[at + 1 :]
    values = {
        cell.column: (m.field, read_label(cell.text).amount_unit or unit)
        for cell in rest
        if (m := vocabulary().match(cell.text, ["amount_columns", "execution"]))
    }
    labels = [cell for cell in rest if cell.column not in values and cell.column < min(values, default=0)]
    if values:
        label_column = labels[-1].column if labels else cells[at].column
        return _Block(cells[at].text, match.field, label_column, values, unit)
    return _Block(cells[at].text, match.field, -1, {}, unit, [row])


def _project_form(title: Row, body: list[Row], uses: _Uses) -> _ProjectForm:
    pairs: list[LabelValue] = []
    printed_unit: str | None = None
    goal_columns: dict[int, str] = {}
    goals: dict[str, list[str]] = {"goal": [], "cycle_goal": []}
    blocks: list[_Block] = []
    block: _Block | None = None
    grid_header, grid_rows, grid_line = None, [], 0
    for row in body:
        cells = cells_of(row)
        if not cells:
            uses.set(row.number, LineUse.BLANK)
            continue
        if grid_header is not None and not _ends_grid(cells[0]):
            grid_rows.append(row)
            continue
        if len(cells) == 1 and (unit_line := _UNIT_LINE.match(squeeze(cells[0].text))):
            printed_unit = unit_line["unit"]
            uses.set(row.number, LineUse.FURNITURE, "amount unit line")
            continue
        if (header := indicator_header(row)) is not None:
            grid_header, grid_line, block = header, row.number, None
            uses.set(row.number, LineUse.FURNITURE, "indicator grid header")
            continue
        if block is not None and (
            (block.label_column >= 0 and cells[0].column >= block.label_column)
            or (block.label_column < 0 and cells[0].column > 0)
        ):
            block.rows.append(row)
            uses.set(row.number, LineUse.BUDGET_ROW)
            continue
        block = None
        if goal_columns and cells[0].column > 0:
            for cell in cells:
                column = max((c for c in goal_columns if c <= cell.column), default=min(goal_columns))
                goals[goal_columns[column]].append(cell.text)
            uses.set(row.number, LineUse.BUDGET_ROW)
            continue
        goal_columns = {}
        if (opened := _block_header(row)) is not None:
            block = opened
            blocks.append(block)
            uses.set(row.number, LineUse.BUDGET_ROW if block.rows else LineUse.FURNITURE,
                     "" if block.rows else "amount block header")
            continue
        found, stray = label_values(row, _FORM_SECTIONS)
        if not found:
            in_cells = [_label_in_cell(row, cell) for cell in cells]
            found = [pair for pairs_of_cell in in_cells for pair in pairs_of_cell] if all(in_cells) else []
        if not found and len(cells) == 1 and vocabulary().match(cells[0].text, ["blocks"]):
            uses.set(row.number, LineUse.FURNITURE, "block label on a row of its own")
            continue
        if not found:
            uses.set(row.number, LineUse.UNPARSED, "form row with a label the vocabulary does not know")
            continue
        # Goal labels without a value head the goal texts printed under them on the next rows
        # (总体绩效目标 | 实施周期总目标 | 当年度目标; 绩效目标 | 项目总目标 | 年度总体目标).
        goal_columns = {p.label.column: p.field for p in found if p.field in goals and p.value is None}
        pairs.extend(p for p in found if p.field not in goals or p.value is not None)
        uses.set(
            row.number,
            LineUse.BUDGET_ROW,
            f"cells read as no label's value: {[cell.text for cell in stray]}" if stray else "",
        )
    last = max((row.number for row in body if row.text.strip()), default=title.number)
    values = _first_values(pairs)
    name = values.get("project_name")
    if name is None:
        raise ExtractError(
            f"the form titled at line {title.number} prints no project name (项目名称 and its value)",
            last,
        )
    amounts = _block_items(blocks)
    has_amount = values.get("total") or values.get("annual_amount") or amounts
    missing = ([] if has_amount else ["an amount (预算金额 / 项目总预算 / 项目资金)"]) + (
        [] if grid_header else ["an indicator grid (绩效指标)"]
    )
    if missing:
        raise ExtractError(
            f"the form titled at line {title.number} ends at line {last} without "
            f"{' and '.join(missing)}: the form is cut off",
            last,
        )
    name_line = next(p.line for p in pairs if p.field == "project_name" and p.value)
    reading = read_indicators(grid_rows, grid_header)
    if not reading.indicators:
        raise ExtractError(f"the indicator grid of line {grid_line} has no indicator row: the form is cut off", last)
    for row in grid_rows:
        if not row.text.strip():
            uses.set(row.number, LineUse.BLANK)
        elif row.number in reading.unparsed:
            uses.set(row.number, LineUse.UNPARSED, reading.unparsed[row.number])
        else:
            uses.set(row.number, LineUse.INDICATOR)
    start_year = values.get("start_year")
    if start_year is not None and not _YEAR.fullmatch(start_year):
        raise ExtractError(f"起始年度 {start_year!r} is not a year", _line_of(pairs, "start_year"))
    total = values.get("total") or next((i.value for _, i in amounts if i.is_total and i.value), None)
    unit = _amount_unit(pairs, blocks, values) or printed_unit
    narrative = _narrative_unit(body)
    row = BudgetRow(
        source_line=name_line,
        end_line=last,
        row_kind=RowKind.PROJECT,
        unit_name=values.get("unit_name"),
        name=name,
        total=total,
        annual_amount=values.get("annual_amount"),
        amount_unit=unit or narrative,
        goal_text="\n".join(goals["goal"]) or values.get("goal"),
        cycle_goal_text="\n".join(goals["cycle_goal"]) or values.get("cycle_goal"),
        project_type=values.get("project_type"),
        project_level=values.get("project_level"),
        managing_department=values.get("managing_department") or values.get("department_name"),
        start_year=start_year,
        end_year=values.get("end_year"),
        summary=values.get("summary"),
        template=PROJECT_FORM,
    )
    return _ProjectForm(
        row=row,
        indicators=_indicators(reading, grid_rows, name_line),
        amounts=_amount_records(amounts, blocks, name_line, unit or narrative),
        year=int(start_year) if start_year else None,
        year_evidence=f"实施期限 起始年度, line {_line_of(pairs, 'start_year')}" if start_year else None,
        year_line=_line_of(pairs, "start_year") if start_year else None,
    )


def _label_in_cell(row: Row, cell: GridCell) -> list[LabelValue]:
    """A label and its value printed in one cell (填报单位（盖章）：某某局, 填表人：某某)."""
    label, colon, value = cell.text.replace(":", "：").partition("：")
    match = vocabulary().match(label, _FORM_SECTIONS) if colon and value.strip() else None
    if match is None:
        return []
    return [LabelValue(row.number, GridCell(cell.column, label), match, GridCell(cell.column, value.strip()))]


def _ends_grid(cell: GridCell) -> bool:
    label = cell.text.replace(":", "：").partition("：")[0]
    return vocabulary().match(label, _END_OF_GRID_SECTIONS) is not None


def _first_values(pairs: Sequence[LabelValue]) -> dict[str, str]:
    """Each field's first printed value (a group label such as 预算金额 prints none itself)."""
    values: dict[str, str] = {}
    for pair in pairs:
        if pair.text is not None:
            values.setdefault(pair.field, pair.text)
    return values


def _line_of(pairs: Sequence[LabelValue], field_name: str) -> int:
    return next(pair.line for pair in pairs if pair.field == field_name and pair.text is not None)


def _amount_unit(pairs: Sequence[LabelValue], blocks: Sequence[_Block], values: Mapping[str, str]) -> str | None:
    """The unit the amounts print: a suffix (77000.00元), a label's （万元）, a block's （元）."""
    for key in ("total", "annual_amount"):
        match = _AMOUNT.fullmatch(values.get(key, ""))
        if match:
            return match["unit"]
    for pair in pairs:
        if pair.field in ("total", "annual_amount") and pair.match.label.amount_unit:
            return pair.match.label.amount_unit
    return next((block.unit for block in blocks if block.unit), None)


def _narrative_unit(body: Sequence[Row]) -> str | None:
    """A form that labels no amount with its unit names it in its text (…3080万元): the one unit
    written after figures, if there is exactly one."""
    units = {match["unit"] for row in body for match in _NARRATIVE_UNIT.finditer(row.text)}
    return units.pop() if len(units) == 1 else None


def _block_items(blocks: Sequence[_Block]) -> list[tuple[_Block, AmountItem]]:
    found: list[tuple[_Block, AmountItem]] = []
    for block in blocks:
        if block.value_columns:
            items = read_amounts(block.rows, block.label_column, block.value_columns)
        else:
            items = _pair_items(block)
        found.extend((block, item) for item in items)
    return found


def _pair_items(block: _Block) -> list[AmountItem]:
    """A key/value amount grid: label-value pairs on the block's rows, 其中 as parts."""
    items: list[AmountItem] = []
    parent: int | None = None
    for row, found in rows_of_pairs(block.rows, ["amounts"]):
        for pair in found:
            if pair.match.section != "amounts" or pair.label.text == block.label:
                continue
            is_total = pair.field == "total"
            part = pair.match.label.part_of_above
            items.append(
                AmountItem(
                    line=pair.line,
                    value_column=pair.value.column if pair.value else None,
                    label=pair.label.text,
                    field=pair.field,
                    measure="amount",
                    value=pair.text,
                    amount_unit=pair.match.label.amount_unit or block.unit,
                    parent=parent if part and not is_total else None,
                    is_total=is_total,
                )
            )
            if is_total:
                parent = None  # 其中 rows under a total are the block's items (see read_amounts)
            elif not part:
                parent = len(items) - 1
    return items


def _amount_records(
    found: Sequence[tuple[_Block, AmountItem]], blocks: Sequence[_Block], project_line: int, unit: str | None
) -> list[ProjectAmountItem]:
    # parent indexes count within each block; item numbers run over the project.
    records: list[ProjectAmountItem] = []
    offsets: dict[int, int] = {}
    for block_item_index, (block, item) in enumerate(found):
        offsets.setdefault(id(block), block_item_index)
    for number, (block, item) in enumerate(found, start=1):
        records.append(
            ProjectAmountItem(
                project_source_line=project_line,
                item_no=number,
                source_line=item.line,
                block=block.label,
                block_field=block.field,
                label=item.label,
                field=item.field,
                measure=item.measure,
                value=item.value,
                amount_unit=item.amount_unit or unit,
                parent_item_no=offsets[id(block)] + item.parent + 1 if item.parent is not None else None,
                is_total=item.is_total,
                value_column=item.value_column,
            )
        )
    return records


_GRID_VALUES = ("cycle_target", "annual_target", "comparator", "measure_unit", "weight", "achieved",
                "score", "deviation_reason", "remark")


def _indicators(reading: GridReading, rows: Sequence[Row], owner_line: int) -> list[IndicatorItem]:
    """The grid's indicators; in a text copy, an indicator row with no target cell lost them."""
    text_rows = {row.number for row in rows if not row.positioned}
    for item in reading.indicators:
        if item.line in text_rows and not (item.values.get("annual_target") or item.values.get("cycle_target")):
            raise ExtractError("indicator row has its indicator but no target cells: the row is cut off", item.line)
    return [_indicator(item, owner_line, n) for n, item in enumerate(reading.indicators, start=1)]


def _indicator(item: GridIndicator, owner_line: int, item_no: int) -> IndicatorItem:
    values = {key: item.values.get(key) for key in _GRID_VALUES}
    return IndicatorItem(
        project_source_line=owner_line,
        source_line=item.line,
        item_no=item_no,
        level1=item.level1,
        level2=item.level2,
        indicator_name=item.name,
        item_text=item.text,
        level1_above=item.level1_above,
        **values,
    )


# ---------------------------------------------------------------- unit-level forms


@dataclass(frozen=True)
class _BudgetColumns:
    """预算整体情况: label and amount column pairs, each under a group name (单位预算支出, …)."""

    pairs: tuple[tuple[int, int, str], ...]  # (label column, amount column, group name)
    unit: str | None


@dataclass(frozen=True)
class _LabelColumns:
    """Amount labels printed over the row of their values."""

    labels: dict[int, str]  # column → label as printed


def _fits(cells: list[GridCell], columns: object) -> bool:
    """Whether a row without a label of its own sits in the label columns of the table above."""
    if not isinstance(columns, _BudgetColumns) or not cells:
        return False
    return {cell.column for cell in cells} <= {label for label, _, _ in columns.pairs}


def _amount_labels(cells: list[GridCell]) -> _LabelColumns | None:
    matches = [vocabulary().match(cell.text, ("unit_budget", "amounts")) for cell in cells]
    if len(cells) >= 2 and all(matches):
        return _LabelColumns({cell.column: cell.text for cell in cells})
    return None


@dataclass(frozen=True)
class _TaskColumns:
    """年度重点工作任务: the columns of 名称, 主要实施内容, 拟投入的资金, 期望达到的目标."""

    columns: dict[str, int]
    unit: str | None


_ITEM_OF_BLOCK = {"key_tasks": "key_task", "other_tasks": "other_task"}
_TASK_FIELDS = ("task_name", "task_content", "task_amount", "task_expected")
_OVERVIEW_SECTIONS = ("unit_budget", "amounts", "project", "goals")


def _overview_header(cells: list[GridCell]) -> _BudgetColumns | _TaskColumns | None:
    """A header row of the overview's tables: amount columns (预算金额（万元）) each after its
    group name, or the key tasks' columns."""
    header = vocabulary().header(((cell.column, cell.text) for cell in cells), ["key_task"])
    if all(name in header.fields for name in _TASK_FIELDS):
        units = [m.label.amount_unit for m in header.columns.values() if m.label.amount_unit]
        return _TaskColumns(header.fields, units[0] if units else None)
    amount_at = [
        at for at, cell in enumerate(cells)
        if at > 0 and (m := vocabulary().match(cell.text, ["amount_columns"])) and m.field == "amount"
    ]
    if amount_at:
        pairs = tuple((cells[at - 1].column, cells[at].column, cells[at - 1].text) for at in amount_at)
        return _BudgetColumns(pairs, read_label(cells[amount_at[0]].text).amount_unit)
    return None


def _overview_form(title: Row, body: list[Row], uses: _Uses) -> _Overview:
    """The unit-level form: labelled values, headed tables, and an indicator grid at the end."""
    items: list[OverviewItem] = []
    section: str | None = None
    columns: _BudgetColumns | _TaskColumns | _LabelColumns | None = None
    grid_header, grid_rows = None, []
    for row in body:
        cells = cells_of(row)
        label = cells[0].text if cells and cells[0].column == 0 else None
        rest = cells[1:] if label else cells
        if grid_header is not None:
            grid_rows.append(row)
        elif not cells:
            uses.set(row.number, LineUse.BLANK)
        elif (header := indicator_header(row)) is not None:
            grid_header = header
            uses.set(row.number, LineUse.FURNITURE, "indicator grid header")
        elif (table := _overview_header(rest)) is not None:
            section, columns = label or section, table
            uses.set(row.number, LineUse.FURNITURE, "overview table header (its group names go to detail)")
        elif not _fits(rest if label is None else [], columns) and (labels := _amount_labels(rest)) is not None:
            # 资金总额 | 财政拨款 | 其他资金 over the row of their amounts.
            section, columns = label or section, labels
            uses.set(row.number, LineUse.FURNITURE, "overview amount labels over their values")
        else:
            # 其他需完成的任务 prints its tasks in the columns of the task table just above it.
            block = vocabulary().match(label, ["blocks"]) if label else None
            if label and not (isinstance(columns, _TaskColumns) and block and block.field == "other_tasks"):
                columns = None
            section = label or section
            found = _overview_items(row.number, section, rest if label else cells, columns)
            items.extend(found)
            if found:
                uses.set(row.number, LineUse.OVERVIEW)
            else:
                uses.set(row.number, LineUse.UNPARSED, "overview row that reads as no label and value")
    indicators: list[IndicatorItem] = []
    if grid_header is not None:
        reading = read_indicators(grid_rows, grid_header)
        for row in grid_rows:
            if not row.text.strip():
                uses.set(row.number, LineUse.BLANK)
            elif row.number in reading.unparsed:
                uses.set(row.number, LineUse.UNPARSED, reading.unparsed[row.number])
            else:
                uses.set(row.number, LineUse.OVERVIEW)
        indicators = _indicators(reading, grid_rows, title.number)
    department = next((item.value for item in items if item.field == "department_name"), None)
    unit = next((item.unit for item in items if item.unit), None)
    return _Overview(title.number, items, indicators, department, unit)


def _field_of(label: str, section: str | None) -> str | None:
    match = vocabulary().match(label, _OVERVIEW_SECTIONS)
    if match:
        return match.field
    block = vocabulary().match(section, ["blocks"]) if section else None
    # A block's rows are its items: the tasks of 其他需完成的任务 are each an other_task.
    return _ITEM_OF_BLOCK.get(block.field, block.field) if block else None


def _overview_items(
    line_no: int,
    section: str | None,
    cells: list[GridCell],
    columns: _BudgetColumns | _TaskColumns | _LabelColumns | None,
) -> list[OverviewItem]:
    """A row's labelled values; none when its cells don't read as labels and values."""
    if section is None:
        return []
    at = {cell.column: cell.text for cell in cells}
    if isinstance(columns, _LabelColumns):
        if set(at) - set(columns.labels):
            return []
        unit = read_label(section).amount_unit
        return [
            OverviewItem(
                line_no, section, label, at.get(column), (read_label(label).amount_unit or unit) if column in at else None,
                field=_field_of(label, None),
            )
            for column, label in columns.labels.items()
        ]
    if isinstance(columns, _BudgetColumns):
        placed = {column for label, amount, _ in columns.pairs for column in (label, amount)}
        unlabelled = any(amount in at and label not in at for label, amount, _ in columns.pairs)
        if set(at) - placed or unlabelled:
            return []
        return [
            OverviewItem(
                line_no, section, at[label], at.get(amount),
                columns.unit if at.get(amount) is not None else None, group,
                field=_field_of(at[label], None),
            )
            for label, amount, group in columns.pairs
            if label in at
        ]
    if isinstance(columns, _TaskColumns) and at:
        name, content, amount, target = (columns.columns[key] for key in _TASK_FIELDS)
        if set(at) - {name, content, amount, target} or not (name in at or content in at):
            return []
        # A name cell that only numbers the task ("任务1:") reads as one label with the content.
        printed = at.get(name, "")
        task = printed + at.get(content, "") if _NUMBERED_TASK.match(printed) or not printed else printed
        block = vocabulary().match(section, ["blocks"])
        return [
            OverviewItem(
                line_no, section, task, at.get(amount),
                columns.unit if at.get(amount) is not None else None, at.get(target),
                field="other_task" if block and block.field == "other_tasks" else "key_task",
                content=at.get(content),
            )
        ]
    texts = [cell.text for cell in cells]
    if len(texts) <= 1:
        return [OverviewItem(line_no, section, section, texts[0] if texts else None, field=_field_of(section, None))]
    if len(texts) % 2:
        return []
    # Amounts under a section labelled with their unit (年度预算资金（万元）) are in that unit.
    unit = read_label(section).amount_unit
    return [
        OverviewItem(
            line_no, section, texts[at], texts[at + 1], unit, field=_field_of(texts[at], section)
        )
        for at in range(0, len(texts), 2)
    ]
