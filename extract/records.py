"""The common record model every layout parser returns.

Parsers own document structure only: which printed text belongs to which row. Every value
stays a string exactly as printed (types, units and meaning are dbt's job), and every record
carries the 1-based line numbers it came from so that any mart row can be traced back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class RowKind(str, Enum):
    GRAND_TOTAL = "grand_total"
    UNIT = "unit"
    PROJECT = "project"


class LineUse(str, Enum):
    """What a line of a document went into; every line gets exactly one."""

    BLANK = "blank"  # empty or whitespace only
    FURNITURE = "furniture"  # titles, repeated headers, page furniture
    BUDGET_ROW = "budget_row"  # part of a row of raw.budget_rows (incl. its goal/indicator text)
    INDICATOR = "indicator"  # a grid row of raw.indicator_items (forms)
    OVERVIEW = "overview"  # part of a unit overview form (raw.unit_overview_items / unit indicators)
    UNPARSED = "unparsed"  # went nowhere: lands in raw.unparsed_lines with a reason
    OTHER_TABLE = "other_table"  # a sheet that is no target table (收支总表, …): skipped, with why


@dataclass(frozen=True)
class LineDisposition:
    line_no: int
    use: LineUse
    reason: str = ""  # why, for furniture and unparsed lines (e.g. "repeated column header")


@dataclass(frozen=True)
class BudgetRow:
    source_line: int  # first line of the row (the 项目名称 line in a form)
    end_line: int  # last line the row occupies, goal and indicator text included
    row_kind: RowKind
    unit_name: str | None  # the spending unit a project belongs to; a unit row's own name
    name: str  # wrapped lines joined with nothing between them, <p> tags stripped
    total: str | None = None  # amounts exactly as printed ("57,849.59", "77000.00元"), None if empty
    fiscal: str | None = None
    special_account: str | None = None
    other: str | None = None
    goal_text: str | None = None
    indicator_text: str | None = None  # the numbered list as printed (tables); None in forms
    # Where each printed line of a wrapped indicator_text starts: (char offset in indicator_text,
    # line_no). Lets the common step give each indicator item the line it starts on. A text on a
    # single line may leave it empty: source_line then falls back to the row's line.
    indicator_line_offsets: tuple[tuple[int, int], ...] = ()
    shift_resolution: str | None = None  # how a row with a lost or unpositioned column was read
    amount_unit: str | None = "万元"  # None until the catalog tells, where the document prints none
    # Forms only (project forms print these; tables don't)
    annual_amount: str | None = None  # 当年度金额
    cycle_goal_text: str | None = None  # 实施周期总目标
    project_type: str | None = None  # 项目类型
    project_level: str | None = None  # 项目等级
    managing_department: str | None = None  # 主管部门
    start_year: str | None = None  # 实施期限 起始年度
    end_year: str | None = None  # 实施期限 到期年度
    summary: str | None = None  # 项目概述
    # The template of the table the row came from: project_table (a table, one row per
    # project), project_form (one project per form) or self_evaluation.
    template: str = "project_table"


@dataclass(frozen=True)
class IndicatorItem:
    project_source_line: int  # source_line of the BudgetRow (or unit overview) it belongs to
    source_line: int  # line where the item starts
    item_no: int  # position in its project's list: 1, 2, ...
    level1: str | None  # as printed: "1-产出指标" (tables) or "产出指标" (forms)
    level2: str | None  # as printed: "11-数量指标" or "数量指标"
    indicator_name: str | None
    cycle_target: str | None  # 实施周期指标值
    annual_target: str | None  # 年度指标值 / 当年度指标值 / 指标值
    item_text: str  # the item exactly as printed, for lineage and audits
    # Forms: the level 1 of the merged cell above, where the row's own level-1 cell prints a
    # name that is no level 1 (质量指标 under 产出指标). level1 keeps what is printed; dbt
    # decides what it means.
    level1_above: str | None = None
    # Columns of the grids that print them (self-evaluations, some forms), as printed.
    comparator: str | None = None  # 指标性质 in its own column: ≥, =, ≤, 无 …
    measure_unit: str | None = None  # 计量单位
    weight: str | None = None  # 分值 / 权重 / 指标权重
    achieved: str | None = None  # 实际完成值 / 全年完成值
    score: str | None = None  # 得分
    deviation_reason: str | None = None  # 偏差原因 / 未完成原因
    remark: str | None = None  # 备注 / 评价标准


@dataclass(frozen=True)
class ProjectAmountItem:
    """One row (and column) of an amount block of a one-project form: 资金来源, 支出明细,
    项目资金, 项目预算执行情况 — the amounts that are none of budget_rows' columns."""

    project_source_line: int  # source_line of the BudgetRow
    item_no: int  # order within the project, 1-based
    source_line: int  # row of the value cell
    block: str  # the block's label as printed (项目资金来源, 项目资金（元）…)
    block_field: str  # funding_sources | spending_details | execution
    label: str  # the row's label as printed
    field: str | None  # the vocabulary field of the label; None for a free detail line
    measure: str  # the column's vocabulary field in a grid; 'amount' in a one-value block
    value: str | None  # as displayed; None when the cell is empty
    amount_unit: str | None  # 万元 | 元; None for a rate or score
    parent_item_no: int | None  # a 其中 row: the item it is part of
    is_total: bool  # a 合计 / 总计 / 年度资金总额 row: a check sum of its block
    value_column: int | None = None  # 0-based column of the value cell, for its location


@dataclass(frozen=True)
class OverviewItem:
    """One labelled value of a unit overview form (部门下属单位整体预算绩效目标表)."""

    source_line: int
    section: str  # e.g. "基本信息", "预算整体情况", "年度重点工作任务"
    label: str  # e.g. "财政供养人员数", "基本支出", "任务1:粤菜师傅和南粤家政、广东技工工程费"
    value: str | None  # as printed
    unit: str | None = None  # "万元" where the form says so
    detail: str | None = None  # e.g. a task's 期望达到的目标
    field: str | None = None  # the label's vocabulary field (basic_spend, key_task, …)
    content: str | None = None  # a key task's 主要实施内容


@dataclass
class ParsedDocument:
    layout: str  # "tsv_table" | "pdf_text" | "forms"
    title: str | None  # the printed title line
    department_name: str | None  # as printed (部门名称), None if not printed
    fiscal_year: int | None  # as printed in the document, None if not printed
    fiscal_year_evidence: str | None  # where the year was read ("title line 3", ...)
    amount_unit: str | None  # the document's main amount unit as printed: "万元" or "元"; None if none is
    rows: list[BudgetRow] = field(default_factory=list)
    indicators: list[IndicatorItem] = field(default_factory=list)
    unit_overview: list[OverviewItem] = field(default_factory=list)
    unit_indicators: list[IndicatorItem] = field(default_factory=list)
    lines: list[LineDisposition] = field(default_factory=list)  # one per line of the document
    # The templates recognized, in order of first appearance (project_table, project_form,
    # unit_target, self_evaluation).
    templates: list[str] = field(default_factory=lambda: ["project_table"])
    amounts: list[ProjectAmountItem] = field(default_factory=list)


class ExtractError(Exception):
    """A document that can't be read faithfully. Names the file and, where it applies, the line."""

    def __init__(self, message: str, line_no: int | None = None, source_file: str | None = None):
        super().__init__(message)
        self.message = message
        self.line_no = line_no
        self.source_file = source_file

    def __reduce__(self):
        # Documents are parsed in worker processes: the error must cross back with file and line.
        return ExtractError, (self.message, self.line_no, self.source_file)

    def with_file(self, source_file: str) -> "ExtractError":
        return ExtractError(self.message, self.line_no, source_file)

    def __str__(self) -> str:
        if self.source_file is None:
            return self.message if self.line_no is None else f"line {self.line_no}: {self.message}"
        where = self.source_file if self.line_no is None else f"{self.source_file}:{self.line_no}"
        return f"{where}: {self.message}"
