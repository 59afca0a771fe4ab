"""Write the fictional documents of the 绩效目标表 family as Excel workbooks.

One workbook per template variant, in tests/fixtures/family/ (see its README.md): a
Shanghai-style 财政项目支出绩效目标填报表, a 部门（单位）整体支出绩效目标表 and a Ministry of Finance
项目支出绩效自评表. Places, units and figures are invented. The workbooks carry what real ones do:
merged cells, number formats (`0%`, `#,##0.00`), numbers stored as fractions under a percent
format, and formulas with the value Excel would have cached for them (openpyxl cannot compute a
formula, so the value is computed here, exactly, and written into the cell's cached value).

scripts/render_fixtures.py renders them to .pdf, .html and .docx; their hand reading is
tests/reference/family_reading.json.

Deterministic: the same bytes on every run (fixed document dates and zip entry times).
"""

from __future__ import annotations

import argparse
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, localcontext
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "fixtures" / "family"

FONT = "WenQuanYi Zen Hei"  # the CJK font scripts/install-fixture-tools.sh installs
FIXED_TIME = datetime(2026, 1, 15, 9, 0, 0)
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

Value = str | Decimal | int | None


@dataclass
class Cell:
    """One cell: text, a number (Decimal, written as a number), or a formula with its value."""

    ref: str
    value: Value
    number_format: str = "General"
    formula: str | None = None
    align: str = "left"
    bold: bool = False


@dataclass
class Document:
    stem: str
    sheet: str
    widths: list[float]
    cells: list[Cell] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    title_rows: int = 1
    landscape: bool = False

    def put(self, ref: str, value: Value, **style: object) -> None:
        self.cells.append(Cell(ref, value, **style))  # type: ignore[arg-type]

    def span(self, area: str, value: Value, **style: object) -> None:
        """A merged range; its value sits in the top-left cell, as Excel stores it. A range of
        one cell (a category with one indicator) is just that cell."""
        first, last = area.split(":")
        if first != last:
            self.merges.append(area)
        self.put(first, value, **style)


def wan(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


# --- 1. Shanghai-style project form -------------------------------------------------------


def project_form() -> Document:
    doc = Document("2025-songlan-wangchuan-project-form", "填报表", [11, 13, 16, 16, 12, 16])
    doc.span("A1:F1", "2025年度财政项目支出绩效目标填报表", align="center", bold=True)
    doc.span("A2:F2", "填报单位（盖章）：松岚市望川区人力资源和社会保障局")
    doc.put("A3", "项目名称", align="center")
    doc.span("B3:F3", "望川区公共实训基地改造提升项目")
    doc.put("A4", "主管部门", align="center")
    doc.span("B4:C4", "松岚市望川区人力资源和社会保障局")
    doc.put("D4", "实施单位", align="center")
    doc.span("E4:F4", "松岚市望川区职业技能公共实训中心")
    doc.span("A5:A7", "项目资金（元）", align="center")
    fiscal, other = wan("3,186,450.75"), wan("215,000.00")
    doc.span("B5:C5", "年度资金总额")
    doc.span("D5:F5", fiscal + other, number_format="#,##0.00", formula="=D6+D7", align="right")
    doc.span("B6:C6", "其中：财政拨款")
    doc.span("D6:F6", fiscal, number_format="#,##0.00", align="right")
    doc.span("B7:C7", "其他资金")
    doc.span("D7:F7", other, number_format="#,##0.00", align="right")
    doc.span("A8:A9", "绩效目标", align="center")
    doc.span("B8:C8", "项目总目标", align="center")
    doc.span("D8:F8", "年度总体目标", align="center")
    doc.span(
        "B9:C9",
        "用三年时间将区公共实训基地建成集技能培训、技能评价、创业孵化于一体的综合性实训平台，"
        "年培训能力达到5000人次。",
    )
    doc.span(
        "D9:F9",
        "完成实训场地改造500平方米，新增实训工位120个，全年开展技能培训1800人次以上，"
        "参训人员取证率不低于85%。",
    )
    doc.put("A10", "一级指标", align="center")
    doc.put("B10", "二级指标", align="center")
    doc.span("C10:D10", "三级指标", align="center")
    doc.span("E10:F10", "指标值", align="center")
    indicators = [
        ("实训场地改造面积", "≥500.00(平方米)"),
        ("新增实训工位数", "≥120(个)"),
        ("年度开展技能培训人次", "≥1800(人次)"),
        ("改造工程验收合格率", "=100.00(%)"),
        ("参训人员取证率", "≥85.00(%)"),
        ("实训设备到货安装时限", "≤30(天)"),
        ("项目完成时间", "2025年11月底前"),
        ("单位面积改造成本", "≤2800.00(元/平方米)"),
        ("参训人员就业创业能力", "明显提升"),
        ("培训后半年内就业率", "≥70.00(%)"),
        ("实训设备正常使用年限", "≥5(年)"),
        ("参训学员满意度", "≥90.00(%)"),
        ("合作企业满意度", "≥85(%)"),
    ]
    first = 11
    for offset, (name, target) in enumerate(indicators):
        row = first + offset
        doc.span(f"C{row}:D{row}", name)
        doc.span(f"E{row}:F{row}", target)
    # 一级/二级 labels centred in their merged ranges: printed, they sit on a middle row.
    for area, label in [("A11:A18", "产出指标"), ("A19:A21", "效益指标"), ("A22:A23", "满意度指标")]:
        doc.span(area, label, align="center")
    for area, label in [
        ("B11:B13", "数量指标"),
        ("B14:B15", "质量指标"),
        ("B16:B17", "时效指标"),
        ("B18:B18", "成本指标"),
        ("B19:B20", "社会效益指标"),
        ("B21:B21", "可持续影响指标"),
        ("B22:B23", "服务对象满意度指标"),
    ]:
        doc.span(area, label, align="center")
    return doc


# --- 2. Unit-level target table -----------------------------------------------------------


def unit_target() -> Document:
    doc = Document("2026-songlan-veterans-unit-overall", "Sheet1", [12, 18, 16, 32, 13, 22])
    doc.span("A1:F1", "2026年部门（单位）整体支出绩效目标表", align="center", bold=True)
    doc.put("A2", "部门（单位）名称", align="center")
    doc.span("B2:F2", "松岚市退役军人事务局")
    doc.span("A3:A6", "年度预算资金（万元）", align="center")
    appropriation, carried, other = wan("3980.25"), wan("512.35"), wan("74.60")
    basic, project = wan("1286.45"), wan("3280.75")
    doc.put("B3", "年度资金总额")
    # Printed 0.10 above the sum of its sources: the document's own slip, kept on purpose.
    doc.put("C3", wan("4567.30"), number_format="#,##0.00", align="right")
    doc.put("D3", "基本支出")
    doc.put("E3", basic, number_format="#,##0.00", align="right")
    doc.put("B4", "其中：当年财政拨款")
    doc.put("C4", appropriation, number_format="#,##0.00", align="right")
    doc.put("D4", "项目支出")
    doc.put("E4", project, number_format="#,##0.00", align="right")
    doc.put("B5", "上年结转")
    doc.put("C5", carried, number_format="#,##0.00", align="right")
    doc.put("D5", "支出合计")
    doc.put("E5", basic + project, number_format="#,##0.00", formula="=E3+E4", align="right")
    doc.put("B6", "其他资金")
    doc.put("C6", other, number_format="0.00", align="right")
    doc.span("F3:F6", None)
    doc.put("A7", "年度总体目标", align="center")
    doc.span(
        "B7:F7",
        "目标1：落实退役军人就业创业扶持政策，全年组织就业创业培训600人以上。\n"
        "目标2：按时足额发放优抚对象抚恤补助，发放准确率100%。\n"
        "目标3：保障光荣院正常运转，集中供养对象生活保障水平稳步提高。",
    )
    doc.span("A8:A11", "年度主要任务", align="center")
    doc.put("B8", "任务名称", align="center")
    doc.span("C8:D8", "主要内容", align="center")
    doc.put("E8", "预算金额（万元）", align="center")
    doc.put("F8", "预期达到的效果", align="center")
    tasks = [
        (
            "退役军人就业创业扶持",
            "举办退役军人专场招聘会，开展适应性培训和职业技能培训，落实创业担保贷款贴息。",
            "620.00",
            "帮助退役军人实现就业800人以上",
        ),
        (
            "优抚对象抚恤补助发放",
            "按规定标准向重点优抚对象发放定期抚恤金、定期生活补助和医疗补助。",
            "2,150.80",
            "抚恤补助按时足额发放",
        ),
        (
            "光荣院运转保障",
            "保障光荣院日常运转、集中供养对象生活和护理支出。",
            "309.95",
            "集中供养对象生活保障水平稳步提高",
        ),
    ]
    for offset, (name, content, amount, effect) in enumerate(tasks):
        row = 9 + offset
        doc.put(f"B{row}", name)
        doc.span(f"C{row}:D{row}", content)
        doc.put(f"E{row}", wan(amount), number_format="#,##0.00", align="right")
        doc.put(f"F{row}", effect)
    doc.span("A12:A22", "绩效指标", align="center")
    doc.put("B12", "一级指标", align="center")
    doc.put("C12", "二级指标", align="center")
    doc.put("D12", "三级指标", align="center")
    doc.span("E12:F12", "指标值", align="center")
    rows: list[tuple[str, Value, str]] = [
        ("退役军人就业创业培训人数", "≥600人", "General"),
        ("优抚对象抚恤补助覆盖人数", "12380人", "General"),
        ("抚恤补助发放准确率", Decimal("1"), "0%"),
        ("抚恤补助按时发放率", Decimal("0.98"), "0%"),
        ("光荣院人均年度运转成本", "≤4.5万元", "General"),
        ("退役军人就业率", "≥90%", "General"),
        ("光荣院集中供养对象生活保障水平", "稳步提高", "General"),
        ("退役军人服务保障体系", "持续完善", "General"),
        ("退役军人及其他优抚对象满意度", "≧92%", "General"),
        ("光荣院供养对象满意度", "≥90%", "General"),
    ]
    for offset, (name, target, number_format) in enumerate(rows):
        row = 13 + offset
        doc.put(f"D{row}", name)
        doc.span(f"E{row}:F{row}", target, number_format=number_format, align="left")
    for area, label in [("B13:B17", "产出指标"), ("B18:B20", "效益指标"), ("B21:B22", "满意度指标")]:
        doc.span(area, label, align="center")
    for area, label in [
        ("C13:C14", "数量指标"),
        ("C15:C15", "质量指标"),
        ("C16:C16", "时效指标"),
        ("C17:C17", "成本指标"),
        ("C18:C19", "社会效益指标"),
        ("C20:C20", "可持续影响指标"),
        ("C21:C22", "服务对象满意度指标"),
    ]:
        doc.span(area, label, align="center")
    return doc


# --- 3. Ministry of Finance self-evaluation -------------------------------------------------


def self_evaluation() -> Document:
    doc = Document(
        "2024-songlan-wangchuan-self-evaluation",
        "自评表",
        [8, 10, 12, 18, 12, 12, 10, 10, 12, 18],
        landscape=True,
    )
    doc.span("A1:J1", "项目支出绩效自评表", align="center", bold=True)
    doc.span("A2:J2", "（2024年度）", align="center")
    doc.span("A3:B3", "项目名称", align="center")
    doc.span("C3:J3", "望川区退役军人创业孵化补助")
    doc.span("A4:B4", "主管部门", align="center")
    doc.span("C4:F4", "松岚市望川区退役军人事务局")
    doc.span("G4:H4", "实施单位", align="center")
    doc.span("I4:J4", "松岚市望川区退役军人服务中心")
    doc.span("A5:B9", "项目资金（万元）", align="center")
    doc.span("C5:D5", None)
    for column, label in zip("EFGHIJ", ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        doc.put(f"{column}5", label, align="center")
    # (label, 年初预算数, 全年预算数, 全年执行数) of the three sources.
    sources = [
        ("其中：当年财政拨款", "180.00", "180.00", "171.36"),
        ("上年结转资金", "20.00", "20.00", "20.00"),
        ("其他资金", "0.00", "10.00", "8.50"),
    ]
    doc.span("C6:D6", "年度资金总额")
    for column in "EFG":
        total = sum((wan(row["EFG".index(column) + 1]) for row in sources), Decimal(0))
        doc.put(f"{column}6", total, number_format="0.00", formula=f"=SUM({column}7:{column}9)", align="right")
    doc.put("H6", Decimal(10), align="center")
    planned = sum((wan(row[2]) for row in sources), Decimal(0))
    spent = sum((wan(row[3]) for row in sources), Decimal(0))
    doc.put("I6", ratio(spent, planned), number_format="0.00%", formula="=G6/F6", align="right")
    doc.put("J6", Decimal("9.52"), number_format="0.00", align="right")
    for offset, (label, initial, planned_, spent_) in enumerate(sources):
        row = 7 + offset
        doc.span(f"C{row}:D{row}", label)
        doc.put(f"E{row}", wan(initial), number_format="0.00", align="right")
        doc.put(f"F{row}", wan(planned_), number_format="0.00", align="right")
        doc.put(f"G{row}", wan(spent_), number_format="0.00", align="right")
        doc.put(f"H{row}", "—", align="center")
        doc.put(
            f"I{row}",
            ratio(wan(spent_), wan(planned_)),
            number_format="0.00%",
            formula=f"=G{row}/F{row}",
            align="right",
        )
        doc.put(f"J{row}", "—", align="center")
    doc.span("A10:A11", "年度总体目标", align="center")
    doc.span("B10:F10", "预期目标", align="center")
    doc.span("G10:J10", "实际完成情况", align="center")
    doc.span(
        "B11:F11",
        "扶持退役军人创办创业实体40个以上，发放创业孵化补助120人次，带动就业300人以上。",
    )
    doc.span(
        "G11:J11",
        "扶持创业实体46个，发放创业孵化补助103人次，带动就业342人，受扶持对象满意度93.5%。",
    )
    doc.span("A12:A21", "绩效指标", align="center")
    for column, label in zip(
        "BCDEFGH", ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    ):
        doc.put(f"{column}12", label, align="center")
    doc.span("I12:J12", "偏差原因分析及改进措施", align="center")
    shortfall = (
        "部分申报对象未通过资格审核，补助人次未达预期；下一步提前开展政策宣传和资格预审。"
    )
    # (三级指标, 年度指标值, its format, 实际完成值, its format, 得分, 偏差原因)
    rows: list[tuple[str, Value, str, Value, str, str, str | None]] = [
        ("扶持退役军人创业实体数", "≥40个", "General", "46个", "General", "10", None),
        ("发放创业孵化补助人次", "≥120人次", "General", "103人次", "General", "8.58", shortfall),
        ("补助资金发放准确率", Decimal("1"), "0%", Decimal("1"), "0%", "10", None),
        ("补助资金拨付时限", "≤30天", "General", "25天", "General", "10", None),
        ("人均补助标准", "≤1.5万元", "General", "1.4万元", "General", "10", None),
        ("带动就业人数", "≥300人", "General", "342人", "General", "10", None),
        ("创业实体存活一年以上比例", "≥80%", "General", Decimal("0.86"), "0%", "10", None),
        ("退役军人创业服务机制", "建立健全", "General", "已建立并运行", "General", "10", None),
        ("受扶持退役军人满意度", "≥90%", "General", Decimal("0.935"), "0.0%", "10", None),
    ]
    for offset, (name, target, target_format, achieved, achieved_format, score, reason) in enumerate(
        rows
    ):
        row = 13 + offset
        doc.put(f"D{row}", name)
        doc.put(f"E{row}", target, number_format=target_format, align="center")
        doc.put(f"F{row}", achieved, number_format=achieved_format, align="center")
        doc.put(f"G{row}", Decimal(10), align="center")
        doc.put(f"H{row}", Decimal(score), number_format="0.00", align="center")
        doc.span(f"I{row}:J{row}", reason)
    for area, label in [("B13:B17", "产出指标"), ("B18:B20", "效益指标"), ("B21:B21", "满意度指标")]:
        doc.span(area, label, align="center")
    for area, label in [
        ("C13:C14", "数量指标"),
        ("C15:C15", "质量指标"),
        ("C16:C16", "时效指标"),
        ("C17:C17", "成本指标"),
        ("C18:C19", "社会效益指标"),
        ("C20:C20", "可持续影响指标"),
        ("C21:C21", "服务对象满意度指标"),
    ]:
        doc.span(area, label, align="center")
    doc.span("A22:F22", "总分", align="center")
    weights = Decimal(10) * len(rows) + Decimal(10)
    scores = sum((Decimal(row[5]) for row in rows), Decimal(0)) + Decimal("9.52")
    doc.put("G22", weights, formula="=SUM(G13:G21)+H6", align="center")
    doc.put("H22", scores, number_format="0.00", formula="=SUM(H13:H21)+J6", align="center")
    doc.span("I22:J22", None)
    return doc


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    # What Excel caches: the quotient to double precision (17 significant digits is enough).
    with localcontext() as context:
        context.prec = 17
        return numerator / denominator


# --- writing ----------------------------------------------------------------------------------


def build(doc: Document) -> tuple[bytes, dict[str, Decimal]]:
    """The workbook's bytes as openpyxl writes them, and each formula cell's value to cache."""
    workbook = Workbook()
    sheet: Worksheet = workbook.active
    sheet.title = doc.sheet
    for index, width in enumerate(doc.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    cached: dict[str, Decimal] = {}
    for cell in doc.cells:
        target = sheet[cell.ref]
        if cell.formula:
            target.value = cell.formula
            assert isinstance(cell.value, Decimal)
            cached[cell.ref] = cell.value
        elif isinstance(cell.value, Decimal):
            # A float's shortest repr is the decimal itself for these figures (2–3 places).
            integral = cell.value == cell.value.to_integral()
            target.value = int(cell.value) if integral else float(cell.value)
        else:
            target.value = cell.value
            if isinstance(cell.value, str) and cell.value.startswith("="):
                # A target such as `=100.00(%)` is text, typed with a leading apostrophe.
                target.data_type = "s"
                target.quotePrefix = True
        target.number_format = cell.number_format
        target.font = Font(name=FONT, size=14 if cell.bold else 10, bold=cell.bold)
        target.alignment = Alignment(horizontal=cell.align, vertical="center", wrap_text=True)
    for area in doc.merges:
        sheet.merge_cells(area)
    for row, height in row_heights(doc).items():
        sheet.row_dimensions[row].height = height
    last_column = get_column_letter(len(doc.widths))
    last_row = max(int(re.sub(r"[A-Z]", "", c.ref)) for c in doc.cells)
    for row in sheet.iter_rows(min_row=doc.title_rows + 1, max_row=last_row, max_col=len(doc.widths)):
        for target in row:
            target.border = GRID
    sheet.print_area = f"A1:{last_column}{last_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if doc.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    workbook.properties.creator = "perfdw fixtures"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), cached


def _span_width(doc: Document, ref: str) -> float:
    """The width (in Excel's character units) of the cell or of the merged range it starts."""
    area = next((a for a in doc.merges if a.split(":")[0] == ref), f"{ref}:{ref}")
    first, last = (column_index_from_string(re.sub(r"\d", "", part)) for part in area.split(":"))
    return sum(doc.widths[first - 1 : last])


def _area_rows(doc: Document, ref: str) -> int:
    area = next((a for a in doc.merges if a.split(":")[0] == ref), f"{ref}:{ref}")
    first, last = (int(re.sub(r"[A-Z]", "", part)) for part in area.split(":"))
    return last - first + 1


def row_heights(doc: Document) -> dict[int, float]:
    """Each row's height in points, from the wrapped lines of its longest text. Office suites
    do not grow a row for text in a merged cell, so without this the text would be cut."""
    heights: dict[int, float] = {}
    for cell in doc.cells:
        if not isinstance(cell.value, str):
            continue
        room = _span_width(doc, cell.ref) - 1.5
        lines = 0
        for part in cell.value.split("\n"):
            # A full-width character takes about two of Excel's character units at 10 pt.
            need = sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in part)
            lines += max(1, math.ceil(need / room))
        lines = math.ceil(lines / _area_rows(doc, cell.ref))
        row = int(re.sub(r"[A-Z]", "", cell.ref))
        size = 14 if cell.bold else 10
        heights[row] = max(heights.get(row, 0.0), lines * (size + 4) + 4)
    return heights


def _number(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def settle(data: bytes, cached: dict[str, Decimal]) -> bytes:
    """Write each formula's cached value, pin the document dates and the zip entry times."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = content.decode("utf-8")
                for ref, value in cached.items():
                    pattern = rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/?>(</v>)?'
                    text, count = re.subn(pattern, rf"\g<1><v>{_number(value)}</v>", text)
                    if count != 1:
                        raise SystemExit(f"formula cell {ref}: found {count} times in {info.filename}")
                content = text.encode("utf-8")
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


DOCUMENTS = (project_form, unit_target, self_evaluation)


def main_into(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for make in DOCUMENTS:
        doc = make()
        data, cached = build(doc)
        path = out / f"{doc.stem}.xlsx"
        path.write_bytes(settle(data, cached))
        print(f"{path.name}: {len(doc.cells)} cells, {len(doc.merges)} merged ranges")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    main_into(parser.parse_args().out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
