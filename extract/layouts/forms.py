"""Forms: one 项目支出绩效目标表 per project, optionally after a unit overview form.

A form is a grid of label cells and value cells, copied out as tab-separated text. Merged cells
come out as empty cells, and how many of them varies from form to form: the same label's value
sits one column further right in some forms, and an indicator row leaves out the category cells
it shares with the row above, sometimes together with the empty cells that would have kept the
others in place. Cells are therefore read by what they say, not by their column; columns count
only where a header row names the columns printed under it (goals, the overview's tables).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from extract.cells import Row
from extract.records import (
    BudgetRow,
    ExtractError,
    IndicatorItem,
    LineDisposition,
    LineUse,
    OverviewItem,
    ParsedDocument,
    RowKind,
)

LAYOUT = "forms"

PROJECT_TITLE = "项目支出绩效目标表"
OVERVIEW_TITLE = "部门下属单位整体预算绩效目标表"

# The labels of a project form, in printed order; each one is required.
_NAME = "项目名称"
_GOALS = "总体绩效目标"
_GRID = "绩效指标"
_FORM_LABELS = (
    _NAME, "项目类型", "项目等级", "主管部门", "实施期限", "预算金额", "项目概述", _GOALS, _GRID
)
# The keyed cells of each value-carrying label row; a key's value is the next non-empty cell.
# 实施期限 and 预算金额 carry no value of their own, only their keys do.
_ROW_KEYS: dict[str, tuple[str, ...]] = {
    _NAME: (_NAME,),
    "项目类型": ("项目类型",),
    "项目等级": ("项目等级",),
    "主管部门": ("主管部门", "用款单位"),
    "实施期限": ("实施期限", "起始年度", "到期年度"),
    "预算金额": ("预算金额", "总金额", "当年度金额"),
    "项目概述": ("项目概述",),
}
_REQUIRED_VALUES = (_NAME, "起始年度", "总金额", "当年度金额")
_AMOUNT = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?P<unit>[万千]?元)")
_YEAR = re.compile(r"\d{4}")
_CYCLE_GOAL_HEADER = "实施周期总目标"
_ANNUAL_GOAL_HEADER = "当年度目标"

_GRID_HEADER = ("绩效指标", "一级指标", "二级指标", "三级指标")
_CYCLE, _ANNUAL = "cycle", "annual"
_LEVEL3 = re.compile(r"指标\s*\d+\s*[：:]")
_LEVEL1_NAMES = frozenset({"产出指标", "效益指标", "满意度指标", "成本指标"})
# 成本指标 is a level 1 in newer templates but also the level 2 under 产出指标 (this corpus uses it
# so), so only these three names make a lone category cell a level 1.
_LEVEL1_ONLY_NAMES = _LEVEL1_NAMES - {"成本指标"}
_CATEGORIES_ONLY = "indicator grid row with categories but no indicator"

_OVERVIEW_DEPARTMENT = "部门名称"
_BUDGET_VALUE_HEADER = "预算金额"
_TASK_HEADERS = ("名称", "主要实施内容", "拟投入的资金", "期望达到的目标")
_UNIT_IN_HEADER = re.compile(r"[（(](?P<unit>[^（()）]*元)[）)]")


@dataclass(frozen=True)
class _Cell:
    column: int
    text: str


def _cells(line: str) -> list[_Cell]:
    """The non-empty cells of a row; empty cells are only the shadows of merged ones."""
    return [
        _Cell(column, text.strip()) for column, text in enumerate(line.split("\t")) if text.strip()
    ]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def detect(rows: Sequence[Row]) -> bool:
    """A 项目支出绩效目标表 title row whose next non-blank row is a `项目名称<TAB>…` label row."""
    lines = [row.text for row in rows]
    for number, line in enumerate(lines):
        if line.strip() != PROJECT_TITLE:
            continue
        following = next((cells for cells in map(_cells, lines[number + 1 :]) if cells), [])
        if len(following) > 1 and following[0] == _Cell(0, _NAME):
            return True
    return False


@dataclass(frozen=True)
class _ProjectForm:
    row: BudgetRow
    indicators: list[IndicatorItem]
    uses: dict[int, LineDisposition]
    year: int
    year_line: int  # the 实施期限 line, where the fiscal year is read


@dataclass(frozen=True)
class _Overview:
    title_line: int
    items: list[OverviewItem]
    indicators: list[IndicatorItem]
    uses: dict[int, LineDisposition]
    department: str | None


def parse(rows: Sequence[Row], hints: Mapping[str, str]) -> ParsedDocument:
    """Read every form of the document. Forms print all they need: no catalog hint applies.

    A row's cells sit in the form's grid columns (tab-separated in a text copy, where merged
    cells leave empty ones), which is all the forms are read by.
    """
    lines = [row.text for row in rows]
    titles = [
        n
        for n, line in enumerate(lines, start=1)
        if line.strip() in (PROJECT_TITLE, OVERVIEW_TITLE)
    ]
    if not any(lines[n - 1].strip() == PROJECT_TITLE for n in titles):
        raise ExtractError(f"no {PROJECT_TITLE} form: no line reads just {PROJECT_TITLE!r}")
    uses = {n: _outside_forms(n, lines[n - 1]) for n in range(1, titles[0])}
    projects: list[_ProjectForm] = []
    overview: _Overview | None = None
    for title_no, next_title in zip(titles, titles[1:] + [len(lines) + 1]):
        uses[title_no] = LineDisposition(title_no, LineUse.FURNITURE, "form title")
        body = range(title_no + 1, next_title)
        if lines[title_no - 1].strip() == PROJECT_TITLE:
            projects.append(_project_form(lines, title_no, body))
            uses.update(projects[-1].uses)
        elif overview is None:
            overview = _overview_form(lines, title_no, body)
            uses.update(overview.uses)
        else:
            raise ExtractError(
                f"a second {OVERVIEW_TITLE} form (the first is at line {overview.title_line}); "
                "a document holds one unit overview",
                title_no,
            )
    first = projects[0]
    _check_forms_agree(projects)
    department = overview.department if overview else None
    return ParsedDocument(
        layout=LAYOUT,
        title=lines[titles[0] - 1].strip(),
        department_name=department or first.row.managing_department,
        fiscal_year=first.year,
        fiscal_year_evidence=f"实施期限 起始年度, line {first.year_line}",
        amount_unit=first.row.amount_unit,
        rows=[project.row for project in projects],
        indicators=[item for project in projects for item in project.indicators],
        unit_overview=overview.items if overview else [],
        unit_indicators=overview.indicators if overview else [],
        lines=[uses[n] for n in range(1, len(lines) + 1)],
    )


def _outside_forms(line_no: int, line: str) -> LineDisposition:
    if not line.strip():
        return LineDisposition(line_no, LineUse.BLANK)
    return LineDisposition(line_no, LineUse.UNPARSED, "text before the first form title")


def _check_forms_agree(projects: Sequence[_ProjectForm]) -> None:
    """One document, one fiscal year and one amount unit: a form that differs is an error."""
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


def _project_form(lines: list[str], title_no: int, body: range) -> _ProjectForm:
    uses: dict[int, LineDisposition] = {}
    labelled: dict[str, tuple[int, list[_Cell]]] = {}
    goal_rows: list[tuple[int, list[_Cell]]] = []
    grid_rows: list[int] = []
    for n in body:
        cells = _cells(lines[n - 1])
        if not cells:
            uses[n] = LineDisposition(n, LineUse.BLANK)
        elif _GRID in labelled:
            grid_rows.append(n)
        elif cells[0].column == 0 and cells[0].text in _FORM_LABELS:
            if cells[0].text in labelled:
                raise ExtractError(
                    f"a second {cells[0].text} row in the form titled at line {title_no}; is a "
                    f"{PROJECT_TITLE} title line missing?",
                    n,
                )
            labelled[cells[0].text] = (n, cells)
            uses[n] = (
                LineDisposition(n, LineUse.FURNITURE, "indicator grid header")
                if cells[0].text == _GRID
                else LineDisposition(n, LineUse.BUDGET_ROW)
            )
        elif cells[0].column > 0 and _GOALS in labelled:
            goal_rows.append((n, cells))
            uses[n] = LineDisposition(n, LineUse.BUDGET_ROW)
        else:
            uses[n] = LineDisposition(n, LineUse.UNPARSED, "project form row with an unknown label")
    last = max((n for n in body if lines[n - 1].strip()), default=title_no)
    missing = [label for label in _FORM_LABELS if label not in labelled]
    if missing:
        raise ExtractError(
            f"the {PROJECT_TITLE} form titled at line {title_no} ends at line {last} without "
            f"{'、'.join(missing)}: the form is cut off",
            last,
        )
    values: dict[str, str | None] = {}
    value_lines: dict[str, int] = {}
    for label, keys in _ROW_KEYS.items():
        n, cells = labelled[label]
        values.update(_keyed(cells, keys, n))
        value_lines.update(dict.fromkeys(keys, n))
    required = {key: _required(values, key, value_lines[key]) for key in _REQUIRED_VALUES}
    if not _YEAR.fullmatch(required["起始年度"]):
        raise ExtractError(f"起始年度 {required['起始年度']!r} is not a year", value_lines["起始年度"])
    amount_unit = _amount_unit(required["总金额"], required["当年度金额"], value_lines["总金额"])
    cycle_goal, goal = _goals(*labelled[_GOALS], goal_rows)
    name_line = labelled[_NAME][0]
    kinds = _target_kinds(*labelled[_GRID])
    items, grid_uses = _grid(lines, grid_rows, kinds, name_line, LineUse.INDICATOR)
    if not items:
        raise ExtractError(f"the {_GRID} grid has no indicator row: the form is cut off", last)
    uses.update(grid_uses)
    row = BudgetRow(
        source_line=name_line,
        end_line=last,
        row_kind=RowKind.PROJECT,
        unit_name=values["用款单位"],
        name=required[_NAME],
        total=required["总金额"],
        annual_amount=required["当年度金额"],
        amount_unit=amount_unit,
        goal_text=goal,
        cycle_goal_text=cycle_goal,
        project_type=values["项目类型"],
        project_level=values["项目等级"],
        managing_department=values["主管部门"],
        start_year=required["起始年度"],
        end_year=values["到期年度"],
        summary=values["项目概述"],
    )
    return _ProjectForm(
        row=row,
        indicators=items,
        uses=uses,
        year=int(required["起始年度"]),
        year_line=value_lines["起始年度"],
    )


def _keyed(cells: list[_Cell], keys: tuple[str, ...], line_no: int) -> dict[str, str | None]:
    """Each key's value is the cell right after it, unless that cell is another key (empty)."""
    texts = [cell.text for cell in cells]
    values: dict[str, str | None] = {}
    used: set[int] = set()
    for key in keys:
        if key not in texts:
            raise ExtractError(
                f"{texts[0]} row has no {key} cell: expected {' / '.join(keys)}", line_no
            )
        at = texts.index(key)
        has_value = at + 1 < len(texts) and texts[at + 1] not in keys
        values[key] = texts[at + 1] if has_value else None
        used.update((at, at + 1) if has_value else (at,))
    stray = [text for at, text in enumerate(texts) if at not in used]
    if stray:
        raise ExtractError(f"{texts[0]} row has cells that belong to no label: {stray}", line_no)
    return values


def _required(values: Mapping[str, str | None], key: str, line_no: int) -> str:
    value = values[key]
    if value is None:
        raise ExtractError(f"{key} has no value: the form is cut off or damaged", line_no)
    return value


def _amount_unit(total: str, annual: str, line_no: int) -> str:
    """The unit both amounts print; they stay strings here, so only their shape is checked."""
    units = set()
    for amount in (total, annual):
        match = _AMOUNT.fullmatch(amount)
        if match is None:
            raise ExtractError(
                f"{amount!r} is not an amount with its unit (like 77000.00元)", line_no
            )
        units.add(match["unit"])
    if len(units) != 1:
        raise ExtractError(
            f"总金额 {total!r} and 当年度金额 {annual!r} are in different units", line_no
        )
    return units.pop()


def _goals(
    header_no: int, header: list[_Cell], rows: list[tuple[int, list[_Cell]]]
) -> tuple[str | None, str | None]:
    """(实施周期总目标, 当年度目标): each goal cell sits under its header cell's column."""
    cycle, annual = (
        next((cell.column for cell in header if cell.text.startswith(name)), None)
        for name in (_CYCLE_GOAL_HEADER, _ANNUAL_GOAL_HEADER)
    )
    if cycle is None or annual is None:
        raise ExtractError(
            f"{_GOALS} header lacks {_CYCLE_GOAL_HEADER} or {_ANNUAL_GOAL_HEADER}", header_no
        )
    texts: dict[int, list[str]] = {cycle: [], annual: []}
    for n, cells in rows:
        for cell in cells:
            if cell.column not in texts:
                raise ExtractError(
                    f"goal cell in column {cell.column + 1} sits under neither "
                    f"{_CYCLE_GOAL_HEADER} "
                    f"(column {cycle + 1}) nor {_ANNUAL_GOAL_HEADER} (column {annual + 1}) of "
                    f"line {header_no}",
                    n,
                )
            texts[cell.column].append(cell.text)
    # Goals printed on several rows are separate points (目标1, 目标2), not a wrapped sentence.
    return "\n".join(texts[cycle]) or None, "\n".join(texts[annual]) or None


def _target_kinds(header_no: int, header: list[_Cell]) -> tuple[str, ...]:
    """The target columns a grid header names: 实施周期指标值 and/or 当年度指标值 (or 指标值)."""
    texts = tuple(cell.text for cell in header)
    kinds = tuple(
        _CYCLE if text.startswith("实施周期") else _ANNUAL for text in texts[len(_GRID_HEADER) :]
    )
    valid = sorted(kinds) in ([_ANNUAL], [_ANNUAL, _CYCLE])
    if texts[: len(_GRID_HEADER)] != _GRID_HEADER or not valid:
        raise ExtractError(
            f"indicator grid header {list(texts)} does not read {' '.join(_GRID_HEADER)} followed "
            "by a target column for the year and optionally one for the implementation cycle",
            header_no,
        )
    return kinds


def _grid(
    lines: list[str], rows: Iterable[int], kinds: tuple[str, ...], owner_line: int, use: LineUse
) -> tuple[list[IndicatorItem], dict[int, LineDisposition]]:
    """An indicator grid's rows: categories, then a `指标N：` cell, then one cell per target."""
    items: list[IndicatorItem] = []
    uses: dict[int, LineDisposition] = {}
    levels: tuple[str | None, str | None] = (None, None)
    for n in rows:
        cells = _cells(lines[n - 1])
        if not cells:
            uses[n] = LineDisposition(n, LineUse.BLANK)
            continue
        at, level3 = next(
            ((i, match) for i, cell in enumerate(cells) if (match := _LEVEL3.match(cell.text))),
            (len(cells), None),
        )
        categories = [cell.text for cell in cells[:at]]
        if level3 is None:
            if all(_squeezed(text).endswith("指标") for text in categories):
                # Printed categories still head the merged cells of the rows below.
                levels = _levels(categories, levels, n)
                uses[n] = LineDisposition(n, LineUse.UNPARSED, _CATEGORIES_ONLY)
            else:
                uses[n] = LineDisposition(
                    n, LineUse.UNPARSED, "indicator grid row without a 指标N： cell"
                )
            continue
        levels = _levels(categories, levels, n)
        printed_level1 = categories[0] if len(categories) == 2 else None
        targets = [cell.text for cell in cells[at + 1 :]]
        if not targets:
            raise ExtractError(
                "indicator row has a 指标N： cell but no target cells: the row is cut off", n
            )
        if len(targets) != len(kinds):
            raise ExtractError(
                f"indicator row has {len(targets)} target cells where the grid header names "
                f"{len(kinds)}; an empty target can't be placed",
                n,
            )
        target = dict(zip(kinds, targets))
        items.append(
            IndicatorItem(
                project_source_line=owner_line,
                source_line=n,
                item_no=len(items) + 1,
                # A level-1 cell that prints no level-1 name stays as printed; the merged
                # level 1 above goes beside it for dbt to judge.
                level1=printed_level1 if printed_level1 and printed_level1 != levels[0] else levels[0],
                level2=levels[1],
                level1_above=levels[0] if printed_level1 and printed_level1 != levels[0] else None,
                indicator_name=cells[at].text[level3.end() :].strip() or None,
                cycle_target=target.get(_CYCLE),
                annual_target=target.get(_ANNUAL),
                item_text=lines[n - 1],
            )
        )
        uses[n] = LineDisposition(n, use)
    return items, uses


def _levels(
    categories: list[str], above: tuple[str | None, str | None], line_no: int
) -> tuple[str | None, str | None]:
    """(level 1, level 2) of a grid row from its printed category cells and the row above.

    A missing cell is merged with the one above. Two cells are level 1 and level 2, except that
    a first cell that is no level-1 name is a level 2 printed in the level-1 column (the level 1
    is then the merged one above). A lone cell is a level 2 under the level 1 above, unless it
    can only be a level 1.
    """
    if any(not _squeezed(text).endswith("指标") for text in categories) or len(categories) > 2:
        raise ExtractError(
            f"indicator row has {categories} before its 指标N： cell; expected at most a level-1 "
            "and a level-2 category name (…指标)",
            line_no,
        )
    if not categories:
        return above
    if len(categories) == 1:
        (only,) = categories
        return (only, None) if _squeezed(only) in _LEVEL1_ONLY_NAMES else (above[0], only)
    first, second = categories
    return (first if _squeezed(first) in _LEVEL1_NAMES else above[0]), second


@dataclass(frozen=True)
class _BudgetColumns:
    """预算整体情况: label and amount column pairs, each under a group name (单位预算支出, …)."""

    pairs: tuple[tuple[int, int, str], ...]  # (label column, amount column, group name)
    unit: str | None


@dataclass(frozen=True)
class _TaskColumns:
    """年度重点工作任务: 名称, 主要实施内容, 拟投入的资金, 期望达到的目标."""

    name: int
    content: int
    amount: int
    target: int
    unit: str | None


def _overview_header(cells: list[_Cell]) -> _BudgetColumns | _TaskColumns | None:
    texts = [cell.text for cell in cells]
    if any(text.startswith(_BUDGET_VALUE_HEADER) for text in texts):
        pairs = tuple(
            (cells[at - 1].column, cell.column, cells[at - 1].text)
            for at, cell in enumerate(cells)
            if at > 0 and cell.text.startswith(_BUDGET_VALUE_HEADER)
        )
        return _BudgetColumns(pairs, _unit_of(texts))
    name, content, amount, target = (
        next((cell.column for cell in cells if cell.text.startswith(header)), None)
        for header in _TASK_HEADERS
    )
    if name is None or content is None or amount is None or target is None:
        return None
    return _TaskColumns(name, content, amount, target, _unit_of(texts))


def _unit_of(texts: list[str]) -> str | None:
    return next((match["unit"] for text in texts if (match := _UNIT_IN_HEADER.search(text))), None)


def _unit(columns: _BudgetColumns | _TaskColumns, amount: str | None) -> str | None:
    # An empty amount has no unit: the header's unit describes printed amounts only.
    return columns.unit if amount is not None else None


def _overview_form(lines: list[str], title_no: int, body: range) -> _Overview:
    """The unit overview: labelled values, two headed tables, and an indicator grid at the end."""
    uses: dict[int, LineDisposition] = {}
    items: list[OverviewItem] = []
    section: str | None = None
    columns: _BudgetColumns | _TaskColumns | None = None
    grid_rows: list[int] = []
    kinds: tuple[str, ...] = ()
    for n in body:
        cells = _cells(lines[n - 1])
        label = cells[0].text if cells and cells[0].column == 0 else None
        rest = cells[1:] if label else cells
        if kinds:
            grid_rows.append(n)
        elif not cells:
            uses[n] = LineDisposition(n, LineUse.BLANK)
        elif label == _GRID:
            kinds = _target_kinds(n, cells)
            uses[n] = LineDisposition(n, LineUse.FURNITURE, "indicator grid header")
        elif (header := _overview_header(rest)) is not None:
            section, columns = label or section, header
            uses[n] = LineDisposition(
                n, LineUse.FURNITURE, "overview table header (its group names go to detail)"
            )
        else:
            # 其他需完成的任务 prints its tasks in the columns of the task table just above it.
            if label and not (isinstance(columns, _TaskColumns) and "任务" in label):
                columns = None
            section = label or section
            found = _overview_items(n, section, rest if label else cells, columns)
            items.extend(found)
            uses[n] = (
                LineDisposition(n, LineUse.OVERVIEW)
                if found
                else LineDisposition(
                    n, LineUse.UNPARSED, "overview row that reads as no label and value"
                )
            )
    indicators, grid_uses = _grid(lines, grid_rows, kinds, title_no, LineUse.OVERVIEW)
    uses.update(grid_uses)
    department = next((item.value for item in items if item.label == _OVERVIEW_DEPARTMENT), None)
    return _Overview(
        title_line=title_no, items=items, indicators=indicators, uses=uses, department=department
    )


def _overview_items(
    line_no: int,
    section: str | None,
    cells: list[_Cell],
    columns: _BudgetColumns | _TaskColumns | None,
) -> list[OverviewItem]:
    """A row's labelled values; none when its cells don't read as labels and values."""
    if section is None:
        return []
    at = {cell.column: cell.text for cell in cells}
    if isinstance(columns, _BudgetColumns):
        placed = {column for label, amount, _ in columns.pairs for column in (label, amount)}
        unlabelled = any(amount in at and label not in at for label, amount, _ in columns.pairs)
        if set(at) - placed or unlabelled:
            return []
        return [
            OverviewItem(
                line_no, section, at[label], at.get(amount), _unit(columns, at.get(amount)), group
            )
            for label, amount, group in columns.pairs
            if label in at
        ]
    if isinstance(columns, _TaskColumns):
        placed = {columns.name, columns.content, columns.amount, columns.target}
        if set(at) - placed or not (columns.name in at or columns.content in at):
            return []
        # The task's name cell ("任务1:") and its content read as one label.
        label = at.get(columns.name, "") + at.get(columns.content, "")
        return [
            OverviewItem(
                line_no,
                section,
                label,
                at.get(columns.amount),
                _unit(columns, at.get(columns.amount)),
                at.get(columns.target),
            )
        ]
    texts = [cell.text for cell in cells]
    if len(texts) <= 1:
        return [OverviewItem(line_no, section, section, texts[0] if texts else None)]
    if len(texts) % 2:
        return []
    return [
        OverviewItem(line_no, section, texts[at], texts[at + 1]) for at in range(0, len(texts), 2)
    ]
