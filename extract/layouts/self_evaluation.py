"""Self-evaluations (项目支出绩效自评表): a project after its year, target next to result.

A document holds one form or several (one per project, each under its own title).

A form of label cells and value cells: the project's labels (项目名称, 主管部门, 实施单位 …), the
budget execution block (项目预算执行情况 / 项目资金: 年初预算数, 全年预算数, 全年执行数, 执行率,
分值, 得分, one row per funding source or a single row), the goals (全年绩效目标 beside
全年目标实际完成情况) and the indicator grid, whose header carries a result column (实际完成值 /
全年完成值) beside the target; then a 合计 / 总分 row, a 说明 row and the template's notes.

Every label is read through the header vocabulary (`seeds/header_vocabulary.csv`): the template
is recognized by a title holding a `title` label of the vocabulary's self_evaluation section and
an indicator header with an `achieved` column; a variant's other labels are seed rows. The shared
pieces come from extract/grid.py: label-value pairs, the indicator grid with its inherited
categories, amount rows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from extract.cells import Row
from extract.grid import (
    GridCell,
    GridIndicator,
    cells_of,
    indicator_header,
    label_values,
    read_amounts,
    read_indicators,
)
from extract.layouts.dispositions import line_dispositions
from extract.records import (
    BudgetRow,
    ExtractError,
    IndicatorItem,
    LineDisposition,
    LineUse,
    ParsedDocument,
    ProjectAmountItem,
    RowKind,
)
from extract.vocabulary import HeaderMap, marker_pattern, read_label, squeeze, vocabulary

LAYOUT = "self_evaluation"
TEMPLATE = "self_evaluation"

_GOAL_SECTIONS = ("goals",)
# A label row names the project's facts, or a goal with its text beside it (年度绩效目标 | …).
_FACT_SECTIONS = ("project", *_GOAL_SECTIONS)
_EXECUTION_SECTION = "execution"
# The template's own labels: its title words and the rows closing the form.
_TEMPLATE_SECTION = "self_evaluation"
_INSTRUCTION_SECTION = "instructions"
_AMOUNT_SECTIONS = ("amounts",)
_BLOCK = "execution"
_MONEY_MEASURES = frozenset({"initial_budget", "annual_budget", "executed"})
# The BudgetRow fields a project label may fill; other labels (项目联系人, 联系电话 …) stay in the
# document's cells.
_PROJECT_FIELDS = {
    "project_name": "name",
    "unit_name": "unit_name",
    "managing_department": "managing_department",
    "project_type": "project_type",
    "project_level": "project_level",
    "start_year": "start_year",
    "end_year": "end_year",
    "summary": "summary",
}
_YEAR = re.compile(r"(\d{4})\s*年")
_YEAR_LINE = re.compile(r"[（(]?\s*(\d{4})\s*年度?\s*[）)]?")
_LABEL_HEAD = re.compile(r"^(?P<head>[^：:]+)[：:]")


def detect(rows: Sequence[Row]) -> bool:
    """A self-evaluation title (自评表, as the vocabulary's self_evaluation section says) and,
    below it, an indicator header with a column for what was achieved."""
    titles = _title_indexes(rows)
    return bool(titles) and _grid_header(rows, titles[0], len(rows)) is not None


def _title_indexes(rows: Sequence[Row]) -> list[int]:
    """Where each form starts: a row of one cell holding the template's title words."""
    titles, markers = _titles()
    return [
        index for index, row in enumerate(rows)
        # Every row is asked; most hold no character of any title word.
        if (markers is None or markers.search(row.text))
        and len(cells := cells_of(row)) == 1 and any(title in squeeze(cells[0].text) for title in titles)
    ]


@functools.cache
def _titles() -> tuple[list[str], re.Pattern[str] | None]:
    """The template's title words, and a pattern of characters one of which a row holding one
    must hold."""
    titles = [
        key for key in vocabulary().keys(_TEMPLATE_SECTION)
        if (match := vocabulary().match(key, [_TEMPLATE_SECTION])) and match.field == "title"
    ]
    return titles, marker_pattern(titles)


def _grid_header(rows: Sequence[Row], after: int, end: int) -> tuple[int, HeaderMap] | None:
    for index in range(after + 1, end):
        header = indicator_header(rows[index])
        if header is not None and "achieved" in header.fields:
            return index, header
    return None


@dataclass
class _Form:
    """What the rows above the indicator grid print, and what became of each row."""

    facts: dict[str, str] = field(default_factory=dict)  # BudgetRow field → value
    fact_lines: list[int] = field(default_factory=list)
    name_line: int | None = None
    department: str | None = None  # 部门名称 / 单位名称 where printed
    goal: str | None = None
    amounts: list[ProjectAmountItem] = field(default_factory=list)
    amount_unit: str | None = None
    furniture: dict[int, str] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    unparsed: dict[int, str] = field(default_factory=dict)


def _execution_header(row: Row) -> tuple[GridCell, dict[int, tuple[str, str | None]]] | None:
    """(block label, value columns) when the row opens an execution block: a label, then only
    cells the vocabulary's execution section knows (全年预算数, 全年执行数, 执行率 …)."""
    cells = cells_of(row)
    if len(cells) < 2:
        return None
    matches = [vocabulary().match(cell.text, [_EXECUTION_SECTION]) for cell in cells[1:]]
    if not all(matches):
        return None
    block_unit = read_label(cells[0].text).amount_unit
    columns: dict[int, tuple[str, str | None]] = {}
    for cell, match in zip(cells[1:], matches):
        assert match is not None
        unit = (match.label.amount_unit or block_unit) if match.field in _MONEY_MEASURES else None
        columns[cell.column] = (match.field, unit)
    return cells[0], columns


def _goal_header(row: Row) -> dict[int, str] | None:
    """Goal column → field (goal / achieved_goal) when every cell of the row is a goal label:
    the texts are then on the row below."""
    cells = cells_of(row)
    matches = [vocabulary().match(cell.text, _GOAL_SECTIONS) for cell in cells]
    if not cells or not all(matches):
        return None
    return {cell.column: match.field for cell, match in zip(cells, matches) if match}


def _read_execution(
    rows: Sequence[Row], block: GridCell, columns: dict[int, tuple[str, str | None]], first_item: int
) -> list[ProjectAmountItem]:
    """The block's items, one per row × value column, numbered on from first_item.

    Rows labelled between the block label and the figures (年度资金总额, 其中：当年财政拨款 …) are
    read as an amount block. A block without row labels (one line of figures) is the project's
    whole budget: its items are labelled by the block, field total, and no check sum of others.
    The project_source_line is set once the project is known.
    """
    first_value = min(columns)
    labels = [
        cell.column for row in rows for cell in cells_of(row) if block.column < cell.column < first_value
    ]
    if labels:
        return [
            ProjectAmountItem(
                project_source_line=0,
                item_no=first_item + offset,
                source_line=item.line,
                block=block.text,
                block_field=_BLOCK,
                label=item.label,
                field=item.field,
                measure=item.measure,
                value=item.value,
                amount_unit=item.amount_unit,
                parent_item_no=first_item + item.parent if item.parent is not None else None,
                is_total=item.is_total,
                value_column=item.value_column,
            )
            for offset, item in enumerate(read_amounts(rows, min(labels), columns, _AMOUNT_SECTIONS))
        ]
    items = []
    for row in rows:
        values = {cell.column: cell.text for cell in cells_of(row)}
        for column, (measure, unit) in sorted(columns.items()):
            items.append(
                ProjectAmountItem(
                    project_source_line=0,
                    item_no=first_item + len(items),
                    source_line=row.number,
                    block=block.text,
                    block_field=_BLOCK,
                    label=block.text,
                    field="total",
                    measure=measure,
                    value=values.get(column),
                    amount_unit=unit,
                    parent_item_no=None,
                    is_total=False,
                    value_column=column if column in values else None,
                )
            )
    return items


def _read_form(rows: Sequence[Row], start: int, end: int) -> _Form:
    """The rows between the title and the indicator header (indexes start..end-1)."""
    form = _Form()
    index = start
    while index < end:
        row = rows[index]
        index += 1
        if not row.text.strip():
            continue
        execution = _execution_header(row)
        goals = _goal_header(row)
        if execution:
            block, columns = execution
            block_rows: list[Row] = []
            while index < end and not any(c.column <= block.column for c in cells_of(rows[index])):
                if rows[index].text.strip():
                    block_rows.append(rows[index])
                index += 1
            form.furniture[row.number] = (
                f"header of the {block.text} block (raw.project_amount_items)"
                if block_rows
                else f"header of the {block.text} block, no row of figures under it"
            )
            form.amounts.extend(_read_execution(block_rows, block, columns, len(form.amounts) + 1))
            form.used.update(block_row.number for block_row in block_rows)
            form.amount_unit = form.amount_unit or next(
                (unit for _, (_, unit) in sorted(columns.items()) if unit), None
            )
        elif goals:
            below = next((at for at in range(index, end) if rows[at].text.strip()), None)
            texts = {cell.column: cell.text for cell in cells_of(rows[below])} if below is not None else {}
            goal_columns = [column for column, name in goals.items() if name == "goal" and column in texts]
            if below is None or not goal_columns:
                form.unparsed[row.number] = "goal labels without the goal text on the row below"
                continue
            # The rightmost goal label heads the text: the leftmost is the block's own label
            # (当年绩效目标 over 全年绩效目标) where the template prints both.
            form.goal = texts[max(goal_columns)]
            labels = " / ".join(cell.text for cell in cells_of(row))
            form.furniture[row.number] = f"goal labels ({labels}): the texts are on the row below"
            # The achieved goal's text has no raw column (yet): it stays in raw.document_cells.
            form.used.add(rows[below].number)
            index = below + 1
        else:
            _read_facts(form, row)
    return form


def _read_facts(form: _Form, row: Row) -> None:
    """The project labels of a row and their values. A row with cells no label explains keeps
    what its labels say but is recorded as unparsed, naming those cells."""
    pairs, stray = label_values(row, _FACT_SECTIONS)
    if not pairs or stray:
        texts = " | ".join(cell.text[:20] for cell in (stray if pairs else cells_of(row)))
        form.unparsed[row.number] = (
            f"cells that are no project label or value of the self-evaluation template ({texts}): "
            "add their labels to seeds/header_vocabulary.csv if they belong to the form"
        )
    if not pairs:
        return
    for pair in pairs:
        if pair.field == "department_name":
            form.department = pair.text
        if pair.field == "goal" and pair.text is not None:
            form.goal = form.goal or pair.text
        target = _PROJECT_FIELDS.get(pair.field)
        if target and pair.text is not None:
            form.facts.setdefault(target, pair.text)
            if target == "name":
                form.name_line = row.number
    if not stray:
        form.fact_lines.append(row.number)


def _closing_field(row: Row) -> str | None:
    """total / deviation_note / notes for the rows the template closes with."""
    cells = cells_of(row)
    if not cells:
        return None
    text = cells[0].text
    match = vocabulary().match(text, [_TEMPLATE_SECTION])
    head = _LABEL_HEAD.match(squeeze(text))
    if match is None and head:
        match = vocabulary().match(head["head"], [_TEMPLATE_SECTION])
    return match.field if match else None


def _is_instruction(text: str) -> bool:
    match = vocabulary().match(text, [_INSTRUCTION_SECTION])
    return match is not None


@dataclass
class _Closing:
    furniture: dict[int, str] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    unparsed: dict[int, str] = field(default_factory=dict)
    deviation_note: str | None = None


def _read_closing(rows: Sequence[Row], header: HeaderMap) -> _Closing:
    """The 合计 / 总分, 说明 and 备注 rows after the grid, and anything after them."""
    closing = _Closing()
    for row in rows:
        cells = cells_of(row)
        if not cells:
            continue
        kind = _closing_field(row)
        rest = cells[1:]
        if kind == "total":
            printed = ", ".join(f"{_column_name(header, cell.column)} {cell.text}" for cell in rest)
            closing.furniture[row.number] = (
                f"{cells[0].text} row: the printed sums of the indicators' columns ({printed}), "
                "a check sum recomputed downstream"
                if rest
                else f"{cells[0].text} row left empty: the template's sum of weights and scores, "
                "not filled in"
            )
        elif kind == "deviation_note":
            note = " ".join(cell.text for cell in rest) or None
            if note is None or _is_instruction(note):
                closing.furniture[row.number] = (
                    f"{cells[0].text} row holds only the template's instruction: no deviation reason given"
                    if note else f"{cells[0].text} row left empty: no deviation reason given"
                )
            else:
                closing.deviation_note = note
                closing.used.add(row.number)
        elif kind == "notes":
            closing.furniture[row.number] = f"the template's notes ({cells[0].text[:10]})"
        else:
            closing.unparsed[row.number] = (
                "text after the indicator grid that is no 合计, 说明 or 备注 row of the template"
            )
    return closing


def _column_name(header: HeaderMap, column: int) -> str:
    match = header.columns.get(column)
    return squeeze(match.label.printed) if match else f"column {column + 1}"


def _grid_end(rows: Sequence[Row], start: int, end: int) -> int:
    return next((index for index in range(start, end) if _closing_field(rows[index])), end)


def _indicator(
    item: GridIndicator, number: int, project_line: int, single_category: bool, note: str | None
) -> IndicatorItem:
    # A grid with one category column (指标类型) prints the top level there, whatever the
    # vocabulary calls the column; its categories are level 1.
    level1, level2 = (item.level2, None) if single_category else (item.level1, item.level2)
    values = item.values
    return IndicatorItem(
        project_source_line=project_line,
        source_line=item.line,
        item_no=number,
        level1=level1,
        level2=level2,
        indicator_name=item.name,
        cycle_target=values.get("cycle_target"),
        annual_target=values.get("annual_target"),
        item_text=item.text,
        level1_above=item.level1_above,
        comparator=values.get("comparator"),
        measure_unit=values.get("measure_unit"),
        weight=values.get("weight"),
        achieved=values.get("achieved"),
        score=values.get("score"),
        # The 说明 row's one text for all indicators, where the grid has no column of its own.
        deviation_reason=values.get("deviation_reason") or note,
        remark=values.get("remark"),
    )


@dataclass
class _Evaluation:
    """One form read: its project, indicators and execution items, and its rows' uses."""

    title: str
    project: BudgetRow
    indicators: list[IndicatorItem]
    amounts: list[ProjectAmountItem]
    year: int | None
    year_evidence: str | None
    department: str | None
    furniture: dict[int, str]
    budget_lines: set[int]
    indicator_lines: set[int]
    unparsed: dict[int, str]


def _year_line(rows: Sequence[Row], start: int, end: int) -> int | None:
    """The index of a year printed on its own under the title (（2024年度）), if it is there."""
    below = next((index for index in range(start, end) if rows[index].text.strip()), None)
    if below is None:
        return None
    cells = cells_of(rows[below])
    return below if len(cells) == 1 and _YEAR_LINE.fullmatch(cells[0].text) else None


def _evaluation(rows: Sequence[Row], title_index: int, end: int) -> _Evaluation:
    """The form from its title (rows[title_index]) up to the next form's title (index end)."""
    title_row = rows[title_index]
    found = _grid_header(rows, title_index, end)
    if found is None:
        raise ExtractError(
            "self-evaluation title without an indicator grid under it (a header naming the "
            "indicator, its target and what was achieved: 三级指标 / 指标值 / 实际完成值 …)",
            title_row.number,
        )
    header_index, header = found
    title = cells_of(title_row)[0].text
    furniture = {title_row.number: "title", rows[header_index].number: "indicator grid header"}
    year, evidence = _YEAR.search(title), f"title, row {title_row.number}"
    start = title_index + 1
    year_index = _year_line(rows, start, header_index)
    if year_index is not None:
        furniture[rows[year_index].number] = "year line under the title"
        start = year_index + 1
        if year is None:
            year = _YEAR_LINE.fullmatch(cells_of(rows[year_index])[0].text)
            evidence = f"year line, row {rows[year_index].number}"
    form = _read_form(rows, start, header_index)
    if form.name_line is None or "name" not in form.facts:
        raise ExtractError(
            "self-evaluation without a 项目名称 (project name) label and value above its indicator grid",
            title_row.number,
        )
    grid_end = _grid_end(rows, header_index + 1, end)
    reading = read_indicators(rows[header_index + 1 : grid_end], header)
    closing = _read_closing(rows[grid_end:end], header)
    single_category = "level1" not in header.fields and "level2" in header.fields
    indicators = [
        _indicator(item, number, form.name_line, single_category, closing.deviation_note)
        for number, item in enumerate(reading.indicators, start=1)
    ]
    budget_lines = {*form.fact_lines, *form.used}
    indicator_lines = {item.source_line for item in indicators} | closing.used
    project = BudgetRow(
        source_line=form.name_line,
        end_line=max({form.name_line} | budget_lines | indicator_lines),
        row_kind=RowKind.PROJECT,
        unit_name=form.facts.get("unit_name"),
        name=form.facts["name"],
        goal_text=form.goal,
        amount_unit=form.amount_unit,
        managing_department=form.facts.get("managing_department"),
        project_type=form.facts.get("project_type"),
        project_level=form.facts.get("project_level"),
        start_year=form.facts.get("start_year"),
        end_year=form.facts.get("end_year"),
        summary=form.facts.get("summary"),
        template=TEMPLATE,
    )
    return _Evaluation(
        title=title,
        project=project,
        indicators=indicators,
        amounts=[replace(item, project_source_line=form.name_line) for item in form.amounts],
        year=int(year.group(1)) if year else None,
        year_evidence=evidence if year else None,
        department=form.department or form.facts.get("managing_department"),
        furniture={**furniture, **form.furniture, **closing.furniture},
        budget_lines=budget_lines,
        indicator_lines=indicator_lines,
        unparsed={**form.unparsed, **reading.unparsed, **closing.unparsed},
    )


def _agreed(evaluations: list[_Evaluation], what: str, value: Callable[[_Evaluation], object]) -> None:
    """The forms of one document name one department and one year; a second one is another
    document bound into the file."""
    first = evaluations[0]
    for other in evaluations[1:]:
        if value(other) is not None and value(other) != value(first):
            raise ExtractError(
                f"this form's {what} ({value(other)}) differs from the first form's "
                f"({value(first)}, row {first.project.source_line}): two documents in one file? split them",
                other.project.source_line,
            )


def parse(rows: Sequence[Row], hints: Mapping[str, str]) -> ParsedDocument:
    """Read the self-evaluations of a document, one form (one project) per title.

    hints: unused; the form prints what it needs (the catalog may still give the year or unit).
    """
    titles = _title_indexes(rows)
    if not titles:
        raise ExtractError("no self-evaluation title (…项目支出绩效自评表): not a self-evaluation")
    evaluations = [
        _evaluation(rows, start, end) for start, end in zip(titles, [*titles[1:], len(rows)])
    ]
    _agreed(evaluations, "department", lambda evaluation: evaluation.department)
    _agreed(evaluations, "year", lambda evaluation: evaluation.year)
    unparsed = {row.number: "text before the title" for row in rows[: titles[0]] if row.text.strip()}
    furniture: dict[int, str] = {}
    budget_lines: set[int] = set()
    indicator_lines: set[int] = set()
    for evaluation in evaluations:
        furniture.update(evaluation.furniture)
        budget_lines |= evaluation.budget_lines
        indicator_lines |= evaluation.indicator_lines
        unparsed.update(evaluation.unparsed)
    lines = [
        LineDisposition(d.line_no, LineUse.INDICATOR, d.reason) if d.line_no in indicator_lines else d
        for d in line_dispositions(rows, furniture, budget_lines | indicator_lines, unparsed)
    ]
    first = evaluations[0]
    return ParsedDocument(
        layout=LAYOUT,
        title=first.title,
        department_name=first.department,
        fiscal_year=first.year,
        fiscal_year_evidence=first.year_evidence,
        amount_unit=next((e.project.amount_unit for e in evaluations if e.project.amount_unit), None),
        rows=[evaluation.project for evaluation in evaluations],
        indicators=[item for evaluation in evaluations for item in evaluation.indicators],
        lines=lines,
        templates=[TEMPLATE],
        amounts=[item for evaluation in evaluations for item in evaluation.amounts],
    )
