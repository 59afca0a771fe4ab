"""Render the bundled documents as published formats, and bad-input samples, for the tests.

Writes tests/fixtures/published/ (see its README.md). Each bundled document goes through a real
office suite: the script writes a flat ODF spreadsheet (.fods) whose cells are all typed as text,
and LibreOffice (headless) converts it to .xlsx and to .pdf. The tab-separated documents convert
as they are (a line is a row, a field is a cell); the Huadu document, text from a PDF whose
columns were lost, is laid out as the table it prints, and that layout is checked against its
own printed sums and against what `perfdw extract` lands from the text.

It also renders the fictional documents of the wider 绩效目标表 family (tests/fixtures/family/):
scripts/make_family_fixtures.py writes them as .xlsx, LibreOffice prints each to .pdf, saves it
as a web page (.html) and opens that page in Writer to save a .docx; every string their hand
reading (tests/reference/family_reading.json) says is displayed must be in every rendering.
`--only family` does just this part.

Run by `make fixtures` (after scripts/install-fixture-tools.sh). Re-runnable: it rewrites every
file it makes.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = REPO / "data" / "documents"
OUT = REPO / "tests" / "fixtures" / "published"
FAMILY_OUT = REPO / "tests" / "fixtures" / "family"
FAMILY_READING = REPO / "tests" / "reference" / "family_reading.json"
CATALOG = DOCUMENTS / "catalog.toml"

TSV_DOCUMENTS = (
    "2023-guangzhou-tianhe-hrss",
    "2024-wuchuan-hrss",
    "2025-guangzhou-panyu-hrss",
    "2026-guangzhou-hrss",
)
PDF_TEXT_DOCUMENT = "2024-guangzhou-huadu-hrss"
HTML_DOCX_DOCUMENT = "2023-guangzhou-tianhe-hrss"
XLS_DOCUMENT = "2025-guangzhou-panyu-hrss"
SCANNED_FROM = "2023-guangzhou-tianhe-hrss"

FONT = "WenQuanYi Zen Hei"
WORKBOOK_PASSWORD = "perfdw"
PDF_PASSWORD = "perfdw"

# A4 landscape with 1 cm margins leaves 27.7 cm; keep a little slack, or LibreOffice's rounding
# of column widths pushes the last column onto a page of its own.
PAGE_WIDTH_CM = 29.7
PAGE_HEIGHT_CM = 21.0
MARGIN_CM = 1.0
USABLE_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM - 0.4
MIN_COLUMN_CM = 1.9  # "1,408,104.19" at 7 pt fits on one line
FONT_SIZE_PT = 7

HEADER = (
    "项目名称（资金使用单位）",
    "总计",
    "财政拨款",
    "财政专户拨款",
    "其他资金",
    "绩效目标",
    "绩效指标",
)
SOURCE_COLUMN = {"fiscal": 2, "special_account": 3, "other": 4}  # catalog hint → HEADER index

ODF_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}


class FixtureError(Exception):
    pass


# --- the sheets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """Rows of text cells; a row of one cell with no tab after it spans the table's width."""

    name: str
    rows: list[list[str]]
    header_rows: tuple[int, int] | None = None  # 0-based rows to repeat on every printed page

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=1)


def tsv_sheet(path: Path) -> Sheet:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line opens no row
    return Sheet("Sheet1", [line.split("\t") if line else [] for line in lines])


# --- the Huadu document: the table its PDF text prints ------------------------------------

_AMOUNT = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}"
_AMOUNTS_LINE = re.compile(rf"(?P<name>.*?)\s*(?P<amounts>{_AMOUNT}(?: {_AMOUNT})*)")
_INDICATORS_START = re.compile(r"1、\d-")


@dataclass
class LaidRow:
    kind: str  # grand_total | unit | project
    name: list[str]
    amounts: list[str] | None = None
    goal: str = ""
    indicators: str = ""


def _page_header(lines: list[str]) -> tuple[list[str], str]:
    """The first page's header lines (title … column header) and its 合计 line, both repeated
    on every page: everything above the first 合计 line is header."""
    for index, line in enumerate(lines):
        if line.startswith("合计 "):
            header = [text for text in (raw.strip() for raw in lines[:index]) if text]
            return header, line.strip()
    raise FixtureError("no 合计 line: not the PDF-text table this script lays out")


def _add_name_line(row: LaidRow, text: str) -> LaidRow:
    """A line of a row's wrapped name; the amounts end the name, on its last line or their own."""
    amounts = _AMOUNTS_LINE.fullmatch(text)
    if amounts:
        if amounts["name"]:
            row.name.append(amounts["name"])
        row.amounts = amounts["amounts"].split()
    else:
        row.name.append(text)
    return row


def lay_out_pdf_text(path: Path) -> tuple[list[str], list[LaidRow]]:
    """Read the wrapped cells back into rows: (the lines above the table, the rows)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header, total_line = _page_header(lines)
    repeated = set(header) | {total_line}
    rows: list[LaidRow] = []
    in_header = True
    for raw in lines:
        text = raw.strip()
        if not text:
            continue
        if in_header:
            if text == total_line:
                in_header = False
                rows.append(LaidRow("grand_total", ["合计"], text.split()[1:]))
            continue
        if text in repeated:
            continue
        current = rows[-1]
        if current.amounts is None:
            _add_name_line(current, text)
        elif raw[:1].isspace():
            rows.append(_add_name_line(LaidRow("project", []), text))
        elif current.kind != "project":
            rows.append(_add_name_line(LaidRow("unit", []), text))
        elif _AMOUNTS_LINE.fullmatch(text):
            # A unit row after a project: its name would have been read as the project's text.
            raise FixtureError(f"amounts {text!r} inside the text of {''.join(current.name)}")
        elif current.indicators or _INDICATORS_START.match(text):
            current.indicators += text
        else:
            current.goal += text
    if rows[-1].amounts is None:
        raise FixtureError(f"the last row ({''.join(rows[-1].name)}) has no amounts")
    for row in rows:
        assert row.amounts is not None
        if len(row.amounts) != 2 or Decimal(row.amounts[0].replace(",", "")) != Decimal(
            row.amounts[1].replace(",", "")
        ):
            raise FixtureError(
                f"{''.join(row.name)}: amounts {row.amounts} are not 总计 and one equal source"
            )
    title_lines = [text for text in header if "绩效目标表" in text or "单位：" in text]
    return title_lines, rows


def check_sums(rows: list[LaidRow]) -> dict[str, int]:
    """The 合计 is the sum of the units, each unit the sum of its projects (decimal)."""

    def amount(row: LaidRow) -> Decimal:
        assert row.amounts is not None
        return Decimal(row.amounts[0].replace(",", ""))

    total, units = rows[0], [row for row in rows if row.kind == "unit"]
    if total.kind != "grand_total" or sum(map(amount, units)) != amount(total):
        raise FixtureError(f"合计 {total.amounts} is not the sum of the {len(units)} unit rows")
    unit: LaidRow | None = None
    projects: dict[int, list[LaidRow]] = {}
    for row in rows[1:]:
        if row.kind == "unit":
            unit = row
            projects[id(unit)] = []
        elif unit is None:
            raise FixtureError(f"project {''.join(row.name)} before any unit row")
        else:
            projects[id(unit)].append(row)
    for unit in units:
        spent = sum(map(amount, projects[id(unit)]), Decimal(0))
        if spent != amount(unit):
            raise FixtureError(f"unit {''.join(unit.name)}: {unit.amounts[0]} ≠ Σ projects {spent}")
    return {"units": len(units), "projects": sum(len(p) for p in projects.values())}


def pdf_text_sheet(title_lines: list[str], rows: list[LaidRow], single_source: str) -> Sheet:
    source = SOURCE_COLUMN[single_source]
    table: list[list[str]] = [[line] for line in title_lines]
    header_row = len(table)
    table.append(list(HEADER))
    for row in rows:
        assert row.amounts is not None
        cells = ["".join(row.name), row.amounts[0], "", "", "", row.goal, row.indicators]
        cells[source] = row.amounts[1]
        table.append(cells)
    return Sheet("Sheet1", table, header_rows=(header_row, header_row))


def check_against_extract(stem: str, rows: list[LaidRow], sheet: Sheet) -> int:
    """The sheet's rows, field by field, against what `perfdw extract` lands from the text:
    the text is the truth."""
    perfdw = REPO / ".venv" / "bin" / "perfdw"
    if not perfdw.exists():
        raise FixtureError(f"{perfdw} missing: run `make setup` first")
    with tempfile.TemporaryDirectory() as home:
        run([str(perfdw), "extract", "--documents", str(DOCUMENTS), "--home", home])
        query = (
            "select row_kind, coalesce(unit_name, ''), name, total, coalesce(fiscal, ''),"
            " coalesce(special_account, ''), coalesce(other, ''), coalesce(goal_text, ''),"
            " coalesce(indicator_text, '') from raw.budget_rows"
            f" where source_file = '{stem}.txt' order by row_no"
        )
        script = (
            "import duckdb, json, sys\n"
            "c = duckdb.connect(sys.argv[1], read_only=True)\n"
            "print(json.dumps(c.execute(sys.argv[2]).fetchall()))\n"
        )
        out = run(
            [str(REPO / ".venv" / "bin" / "python"), "-c", script, f"{home}/pipeline.duckdb", query]
        )
    landed = [tuple(row) for row in json.loads(out)]
    # What the sheet's cells say, with each row's kind and unit as the table implies them.
    laid: list[tuple[str, ...]] = []
    unit_name = ""
    data = sheet.rows[sheet.header_rows[1] + 1 :] if sheet.header_rows else []
    for row, cells in zip(rows, data, strict=True):
        if row.kind == "unit":
            unit_name = cells[0]
        laid.append((row.kind, "" if row.kind == "grand_total" else unit_name, *cells))
    if len(landed) != len(laid):
        raise FixtureError(f"{len(laid)} rows laid out, but perfdw extract lands {len(landed)}")
    fields = (
        "row_kind",
        "unit_name",
        "name",
        "total",
        "fiscal",
        "special_account",
        "other",
        "goal_text",
        "indicator_text",
    )
    for index, (mine, theirs) in enumerate(zip(laid, landed, strict=True)):
        for field, a, b in zip(fields, mine, theirs, strict=True):
            if a != b:
                raise FixtureError(f"row {index + 1} {field}: laid out {a!r}, extract has {b!r}")
    return len(landed)


# --- flat ODF spreadsheet -----------------------------------------------------------------


def _odf_text(value: str) -> str:
    """A cell's text as ODF paragraph content: runs of spaces (and a leading one) are elements."""

    def spaces(match: re.Match[str]) -> str:
        run_ = match.group()
        keep = "" if match.start() == 0 else " "
        rest = len(run_) - len(keep)
        return keep + (f'<text:s text:c="{rest}"/>' if rest else "")

    return re.sub(r" {2,}|^ ", spaces, html.escape(value, quote=False))


def column_widths(sheet: Sheet) -> list[float]:
    """Widths in cm shared out by the square root of each column's longest text, so long text
    columns get room without starving the amounts; at least MIN_COLUMN_CM each."""
    longest = [1] * sheet.width
    for row in sheet.rows:
        if len(row) < 2:
            continue  # spanning lines don't size columns
        for index, value in enumerate(row):
            longest[index] = max(longest[index], len(value))
    weights = [math.sqrt(length) for length in longest]
    widths = [0.0] * sheet.width
    fixed = [False] * sheet.width
    while True:
        free = USABLE_WIDTH_CM - sum(w for w, f in zip(widths, fixed) if f)
        scale = free / sum(w for w, f in zip(weights, fixed) if not f)
        narrow = [
            i for i in range(sheet.width) if not fixed[i] and weights[i] * scale < MIN_COLUMN_CM
        ]
        if not narrow:
            return [
                round(widths[i] if fixed[i] else weights[i] * scale, 2) for i in range(sheet.width)
            ]
        for i in narrow:
            widths[i], fixed[i] = MIN_COLUMN_CM, True


_PT_PER_CM = 72 / 2.54
_LINE_PT = 1.3 * FONT_SIZE_PT  # WenQuanYi Zen Hei's line height, measured on a rendered page
_CELL_INSET_CM = 0.25  # LibreOffice's text inset inside a cell, and some slack


def _text_width_pt(text: str) -> float:
    # Full-width (CJK) characters take a whole em; the rest about half of one.
    return sum(FONT_SIZE_PT * (1.0 if ord(ch) > 0x2E7F else 0.55) for ch in text)


def row_height(row: list[str], widths: list[float]) -> int:
    """The row's height in 1/100 cm, from our own estimate of the wrapped lines.

    LibreOffice's optimal row height comes out a line short for long CJK cells when printed,
    so the last line spills below the cell's border (and into the next row's box, where a PDF
    reader would take it for that row's text). An estimate with a spare line keeps every line
    inside its box, at the price of some white space.
    """
    spans = [sum(widths)] if len(row) == 1 else widths[: len(row)]
    lines = 1
    for value, width_cm in zip(row, spans):
        if not value:
            continue
        room = (width_cm - _CELL_INSET_CM) * _PT_PER_CM
        wrapped = math.ceil(_text_width_pt(value) / room)
        lines = max(lines, math.ceil(wrapped * 1.05) + 1 if wrapped > 2 else wrapped)
    return math.ceil((lines * _LINE_PT + 3) / _PT_PER_CM * 100)


def fods(sheet: Sheet) -> str:
    width = sheet.width
    widths = column_widths(sheet)
    heights = [row_height(row, widths) for row in sheet.rows]
    row_styles = "".join(
        f'<style:style style:name="ro{height}" style:family="table-row"><style:table-row-properties'
        f' style:row-height="{height / 100}cm" style:use-optimal-row-height="false" fo:break-before="auto"/>'
        "</style:style>"
        for height in sorted(set(heights))
    )
    columns = "".join(
        f'<style:style style:name="co{i}" style:family="table-column">'
        f'<style:table-column-properties fo:break-before="auto" style:column-width="{w}cm"/>'
        "</style:style>"
        for i, w in enumerate(widths)
    )
    grid_cell = 'fo:border="0.5pt solid #000000" fo:wrap-option="wrap" style:vertical-align="top"'
    styles = f"""
  <office:font-face-decls>
    <style:font-face style:name="{FONT}" svg:font-family="'{FONT}'" style:font-family-generic="swiss"/>
  </office:font-face-decls>
  <office:styles>
    <style:default-style style:family="table-cell">
      <style:paragraph-properties style:tab-stop-distance="1.25cm"/>
      <style:text-properties style:font-name="{FONT}" fo:font-size="{FONT_SIZE_PT}pt"
        style:font-name-asian="{FONT}" style:font-size-asian="{FONT_SIZE_PT}pt"
        style:font-name-complex="{FONT}" style:font-size-complex="{FONT_SIZE_PT}pt"
        fo:language="zh" fo:country="CN" style:language-asian="zh" style:country-asian="CN"/>
    </style:default-style>
    <style:style style:name="Default" style:family="table-cell"/>
  </office:styles>
  <office:automatic-styles>
    {columns}
    {row_styles}
    <style:style style:name="ta" style:family="table" style:master-page-name="Landscape">
      <style:table-properties table:display="true"/>
    </style:style>
    <style:style style:name="grid" style:family="table-cell" style:parent-style-name="Default">
      <style:table-cell-properties {grid_cell}/>
    </style:style>
    <style:style style:name="head" style:family="table-cell" style:parent-style-name="Default">
      <style:table-cell-properties {grid_cell}/>
      <style:paragraph-properties fo:text-align="center"/>
      <style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/>
    </style:style>
    <style:style style:name="line" style:family="table-cell" style:parent-style-name="Default">
      <style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/>
    </style:style>
    <style:page-layout style:name="pm">
      <style:page-layout-properties fo:page-width="{PAGE_WIDTH_CM}cm" fo:page-height="{PAGE_HEIGHT_CM}cm"
        style:print-orientation="landscape" fo:margin-top="{MARGIN_CM}cm" fo:margin-bottom="{MARGIN_CM}cm"
        fo:margin-left="{MARGIN_CM}cm" fo:margin-right="{MARGIN_CM}cm" style:print="objects charts drawings zero-values"
        style:print-page-order="ttb" style:first-page-number="continue" style:scale-to="100%"/>
      <style:header-style/>
      <style:footer-style/>
    </style:page-layout>
  </office:automatic-styles>
  <office:master-styles>
    <style:master-page style:name="Landscape" style:page-layout-name="pm">
      <style:header style:display="false"/>
      <style:footer style:display="false"/>
    </style:master-page>
  </office:master-styles>"""
    body: list[str] = []
    for i in range(width):
        body.append(
            f'<table:table-column table:style-name="co{i}" table:default-cell-style-name="Default"/>'
        )
    for number, row in enumerate(sheet.rows):
        is_header = (
            sheet.header_rows is not None and sheet.header_rows[0] <= number <= sheet.header_rows[1]
        )
        if sheet.header_rows is not None and number == sheet.header_rows[0]:
            body.append("<table:table-header-rows>")
        cells: list[str] = []
        if len(row) == 1 and width > 1:
            cells.append(
                f'<table:table-cell table:style-name="line" table:number-columns-spanned="{width}"'
                f' table:number-rows-spanned="1" office:value-type="string"><text:p>{_odf_text(row[0])}</text:p>'
                f'</table:table-cell><table:covered-table-cell table:number-columns-repeated="{width - 1}"/>'
            )
        elif row:
            style = "head" if is_header else "grid"
            for value in row + [""] * (width - len(row)):
                content = (
                    f' office:value-type="string"><text:p>{_odf_text(value)}</text:p>'
                    if value
                    else ">"
                )
                cells.append(
                    f'<table:table-cell table:style-name="{style}"{content}</table:table-cell>'
                )
        body.append(
            f'<table:table-row table:style-name="ro{heights[number]}">{"".join(cells)}</table:table-row>'
        )
        if sheet.header_rows is not None and number == sheet.header_rows[1]:
            body.append("</table:table-header-rows>")
    namespaces = " ".join(f'xmlns:{k}="{v}"' for k, v in ODF_NS.items())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {namespaces} xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
{styles}
  <office:body>
    <office:spreadsheet>
      <table:table table:name="{html.escape(sheet.name)}" table:style-name="ta">
{chr(10).join(body)}
      </table:table>
    </office:spreadsheet>
  </office:body>
</office:document>
"""


# --- LibreOffice ----------------------------------------------------------------------------


def run(command: list[str], **kwargs: object) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise FixtureError(
            f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}"
        )
    return result.stdout


class Office:
    """soffice with a profile of its own, so it neither clashes with a running LibreOffice nor
    depends on the user's settings."""

    def __init__(self, scratch: Path) -> None:
        self.profile = (scratch / "lo-profile").as_uri()

    def convert(
        self, target: str, sources: list[Path], outdir: Path, infilter: str | None = None
    ) -> None:
        command = ["soffice", f"-env:UserInstallation={self.profile}", "--headless", "--norestore"]
        if infilter:
            command.append(f"--infilter={infilter}")
        command += ["--convert-to", target, "--outdir", str(outdir), *map(str, sources)]
        run(command, timeout=600)
        for source in sources:
            produced = outdir / f"{source.stem}.{target.split(':')[0]}"
            if not produced.exists():
                raise FixtureError(f"soffice made no {produced.name} from {source.name}")


# --- checks on what LibreOffice wrote -------------------------------------------------------

_XLSX = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def xlsx_cells(path: Path) -> dict[tuple[int, int], tuple[str, str]]:
    """(row, column) → (cell type, text) of the first sheet, read with the standard library."""
    with zipfile.ZipFile(path) as archive:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            for item in root.findall("m:si", _XLSX):
                shared.append("".join(t.text or "" for t in item.iter(f"{{{_XLSX['m']}}}t")))
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    cells: dict[tuple[int, int], tuple[str, str]] = {}
    for cell in sheet.iter(f"{{{_XLSX['m']}}}c"):
        ref = cell.attrib["r"]
        letters = re.match(r"[A-Z]+", ref).group()  # type: ignore[union-attr]
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        row = int(ref[len(letters) :])
        kind = cell.attrib.get("t", "n")
        value = cell.find("m:v", _XLSX)
        if kind == "s" and value is not None:
            cells[(row, column)] = (kind, shared[int(value.text or "0")])
        elif kind == "inlineStr":
            cells[(row, column)] = (
                kind,
                "".join(t.text or "" for t in cell.iter(f"{{{_XLSX['m']}}}t")),
            )
        elif value is not None:
            cells[(row, column)] = (kind, value.text or "")
    return cells


def check_xlsx(path: Path, sheet: Sheet) -> int:
    """Every non-empty cell is a text cell holding exactly the source text; nothing else."""
    cells = xlsx_cells(path)
    expected = {
        (r + 1, c + 1): value
        for r, row in enumerate(sheet.rows)
        for c, value in enumerate(row)
        if value
    }
    for key, value in expected.items():
        got = cells.get(key)
        if got is None or got[0] not in ("s", "inlineStr", "str") or got[1] != value:
            raise FixtureError(
                f"{path.name} R{key[0]}C{key[1]}: expected text {value!r}, got {got!r}"
            )
    extra = set(cells) - set(expected)
    if extra:
        raise FixtureError(f"{path.name}: cells not in the source: {sorted(extra)[:5]}")
    return len(expected)


def check_pdf(path: Path, sheet: Sheet) -> int:
    """The PDF embeds its fonts and its text layer holds every character of every cell (a row
    taller than a page would be cut off by Calc: this catches it)."""
    fonts = run(["pdffonts", str(path)]).splitlines()[2:]
    if not fonts or any(line.split()[-5] != "yes" for line in fonts):
        raise FixtureError(f"{path.name}: a font is not embedded:\n" + "\n".join(fonts))
    printed = Counter(re.sub(r"\s", "", run(["pdftotext", "-layout", str(path), "-"])))
    source = Counter(re.sub(r"\s", "", "".join("".join(row) for row in sheet.rows)))
    missing = source - printed
    if missing:
        raise FixtureError(
            f"{path.name}: text missing from the PDF: {dict(missing.most_common(10))}"
        )
    pages = run(["pdfinfo", str(path)])
    return int(re.search(r"Pages:\s+(\d+)", pages).group(1))  # type: ignore[union-attr]


def check_pdf_cells(path: Path, sheet: Sheet, scratch: Path) -> int:
    """Read the PDF's tables back as a PDF reader would (pdfplumber: cells from the ruling
    lines, characters by position) and require every ruled row to hold the source fields, so
    no text sits outside its cell's box. pdfplumber runs from the throwaway tools venv."""
    spec = scratch / f"{path.stem}.cells.json"
    repeated = sheet.rows[sheet.header_rows[0]] if sheet.header_rows else None
    rows = [row for row in sheet.rows if len(row) > 1]
    spec.write_text(
        json.dumps({"rows": rows, "repeated": repeated}, ensure_ascii=False), encoding="utf-8"
    )
    python = fixture_venv() / "bin" / "python"
    return int(run([str(python), __file__, "--pdf-cells", str(path), str(spec)]))


def _squeezed(text: str | None) -> str:
    # Wrapping inside a cell adds line breaks, and pdfplumber reads some gaps as spaces.
    return re.sub(r"\s", "", text or "")


def pdf_cells(path: Path, spec_path: Path) -> int:
    """The --pdf-cells side of check_pdf_cells: prints the number of rows that matched."""
    import pdfplumber  # only in the tools venv

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    repeated = [_squeezed(cell) for cell in spec["repeated"]] if spec["repeated"] else None
    read: list[list[str]] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                for row in table:
                    cells = [_squeezed(cell) for cell in row]
                    if cells == repeated and repeated in read:
                        continue  # the header that the PDF repeats on every page
                    read.append(cells)
    expected = [[_squeezed(cell) for cell in row] for row in spec["rows"]]
    if len(read) != len(expected):
        raise FixtureError(
            f"{path.name}: {len(read)} ruled rows read back, {len(expected)} in the source"
        )
    for index, (got, want) in enumerate(zip(read, expected, strict=True)):
        want = want + [""] * (len(got) - len(want))
        if got != want:
            column = next(i for i, (a, b) in enumerate(zip(got, want)) if a != b)
            a, b = got[column], want[column]
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            raise FixtureError(
                f"{path.name}: ruled row {index + 1} column {column + 1} reads back as "
                f"…{a[max(0, at - 10) : at + 20]!r}…, the source has …{b[max(0, at - 10) : at + 20]!r}…"
            )
    return len(read)


# --- the other formats and the bad inputs ----------------------------------------------------


def tianhe_html(sheet: Sheet) -> str:
    """A web page: GBK, one table. Each column header is split in two rows (a 资金来源 group over
    the three sources) so that the page has header cells with rowspan and colspan, as many
    published tables do; lines of one field span the table."""
    width = sheet.width
    body: list[str] = []
    for row in sheet.rows:
        if not row:
            continue
        if tuple(row) == HEADER:
            body.append(
                "<tr>"
                f'<th rowspan="2">{HEADER[0]}</th><th rowspan="2">{HEADER[1]}</th>'
                '<th colspan="3">资金来源</th>'
                f'<th rowspan="2">{HEADER[5]}</th><th rowspan="2">{HEADER[6]}</th></tr>'
                f"<tr><th>{HEADER[2]}</th><th>{HEADER[3]}</th><th>{HEADER[4]}</th></tr>"
            )
        elif len(row) == 1:
            body.append(f'<tr><td colspan="{width}">{html.escape(row[0])}</td></tr>')
        else:
            body.append("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>")
    rows = "\n".join(body)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="gbk">
<title>{html.escape(next((row[0] for row in sheet.rows if len(row) == 1), ""))}</title>
<style>table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #000; vertical-align: top; }}</style>
</head>
<body>
<table>
{rows}
</table>
</body>
</html>
"""


NO_TABLE_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="gbk">
<title>部门预算公开说明</title>
</head>
<body>
<h1>部门预算公开说明</h1>
<p>根据预算公开的有关规定，现将本部门预算情况说明如下。</p>
<p>一、部门主要职能：贯彻执行人力资源和社会保障工作的法律法规和方针政策。</p>
<p>二、项目支出绩效目标表见附件（单位：万元）。</p>
</body>
</html>
"""

# A 收支总表 (revenue and expenditure summary): a budget table, but no performance targets.
# The figures are invented for this sample and add up.
NO_TARGET_SHEET = Sheet(
    "Sheet1",
    [
        ["收支总表"],
        ["部门名称：示例区人力资源和社会保障局"],
        ["单位：万元"],
        ["收入", "", "支出", ""],
        ["项目", "预算数", "项目", "预算数"],
        ["一、一般公共预算拨款收入", "1,200.00", "一、社会保障和就业支出", "1,050.00"],
        ["二、政府性基金预算拨款收入", "0.00", "二、卫生健康支出", "100.00"],
        ["三、事业收入", "50.00", "三、住房保障支出", "100.00"],
        ["收入总计", "1,250.00", "支出总计", "1,250.00"],
    ],
)

LEGACY_DOC_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>项目支出绩效目标表</title></head>
<body><p>项目支出绩效目标表</p>
<table border="1"><tr><td>项目名称</td><td>总计</td></tr><tr><td>就业补助资金</td><td>19,192.50</td></tr></table>
</body></html>
"""


def encrypt_workbook(source: Path, target: Path) -> None:
    """msoffcrypto-tool, from the throwaway venv scripts/install-fixture-tools.sh makes."""
    tool = fixture_venv() / "bin" / "msoffcrypto-tool"
    if not tool.exists():
        raise FixtureError(f"{tool} missing: run scripts/install-fixture-tools.sh")
    run([str(tool), "-e", "-p", WORKBOOK_PASSWORD, str(source), str(target)])
    decrypted = target.with_suffix(".decrypted")
    run([str(tool), "-p", WORKBOOK_PASSWORD, str(target), str(decrypted)])
    if decrypted.read_bytes() != source.read_bytes():
        raise FixtureError(f"{target.name} does not decrypt to {source.name}")
    decrypted.unlink()


def fixture_venv() -> Path:
    return Path(tempfile.gettempdir()) / "perfdw-fixture-tools"


# --- the fictional family documents ---------------------------------------------------------


def family_strings(document: dict[str, object]) -> list[str]:
    """What the reading says a reader sees: names, labels, targets, achieved values and amounts
    as displayed."""
    strings: list[str] = []
    for key in ("department", "implementing_unit", "project_name"):
        if isinstance(document.get(key), str):
            strings.append(str(document[key]))
    for amount in document["amounts"]:  # type: ignore[attr-defined]
        strings += [amount["label"], amount["displayed"]]
    for indicator in document["indicators"]:  # type: ignore[attr-defined]
        strings += [indicator["name"], indicator["target_printed"]]
        if "achieved_printed" in indicator:
            strings.append(indicator["achieved_printed"])
        if indicator.get("deviation_reason"):
            strings.append(indicator["deviation_reason"])
    return strings


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return "".join(node.text or "" for node in root.iter(f"{ns}t"))


def html_text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def render_family(office: Office) -> None:
    import make_family_fixtures  # scripts/ is this script's own directory, on sys.path

    make_family_fixtures.main_into(FAMILY_OUT)
    workbooks = sorted(FAMILY_OUT.glob("*.xlsx"))
    office.convert("pdf:calc_pdf_Export", workbooks, FAMILY_OUT)
    office.convert("html:HTML (StarCalc)", workbooks, FAMILY_OUT)
    pages = [FAMILY_OUT / f"{book.stem}.html" for book in workbooks]
    office.convert("docx:MS Word 2007 XML", pages, FAMILY_OUT, infilter="HTML (StarWriter)")
    reading = json.loads(FAMILY_READING.read_text(encoding="utf-8"))["documents"]
    for book in workbooks:
        strings = [_squeezed(text) for text in family_strings(reading[book.stem])]
        pdf = FAMILY_OUT / f"{book.stem}.pdf"
        texts = {
            # Reading order, not layout: a wrapped cell keeps its lines together.
            "pdf": run(["pdftotext", str(pdf), "-"]),
            "html": html_text(FAMILY_OUT / f"{book.stem}.html"),
            "docx": docx_text(FAMILY_OUT / f"{book.stem}.docx"),
        }
        for kind, text in texts.items():
            flat = _squeezed(text)
            missing = [s for s in strings if s not in flat]
            if missing:
                raise FixtureError(f"{book.stem}.{kind}: not displayed: {missing[:5]}")
        fonts = run(["pdffonts", str(pdf)]).splitlines()[2:]
        if not fonts or any(line.split()[-5] != "yes" for line in fonts):
            raise FixtureError(f"{pdf.name}: a font is not embedded")
        count = int(re.search(r"Pages:\s+(\d+)", run(["pdfinfo", str(pdf)])).group(1))  # type: ignore[union-attr]
        print(
            f"{book.stem}: .pdf ({count} page(s), fonts embedded), .html, .docx each display "
            f"the reading's {len(strings)} strings"
        )


# --- the whole run --------------------------------------------------------------------------


def catalog_single_source(stem: str) -> str:
    import tomllib

    entry = tomllib.loads(CATALOG.read_text(encoding="utf-8"))[f"{stem}.txt"]
    return entry["hints"]["single_source_column"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--only", choices=("family",), help="render only the fictional family documents"
    )
    parser.add_argument(
        "--pdf-cells", nargs=2, type=Path, metavar=("PDF", "SPEC"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.pdf_cells:
        print(pdf_cells(*args.pdf_cells))
        return 0
    if args.only == "family":
        with tempfile.TemporaryDirectory(prefix="perfdw-fixtures-") as scratch_name:
            render_family(Office(Path(scratch_name)))
        return 0
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="perfdw-fixtures-") as scratch_name:
        scratch = Path(scratch_name)
        office = Office(scratch)
        sheets: dict[str, Sheet] = {
            stem: tsv_sheet(DOCUMENTS / f"{stem}.txt") for stem in TSV_DOCUMENTS
        }

        single_source = catalog_single_source(PDF_TEXT_DOCUMENT)
        title_lines, laid = lay_out_pdf_text(DOCUMENTS / f"{PDF_TEXT_DOCUMENT}.txt")
        counts = check_sums(laid)
        sheets[PDF_TEXT_DOCUMENT] = pdf_text_sheet(title_lines, laid, single_source)
        landed = check_against_extract(PDF_TEXT_DOCUMENT, laid, sheets[PDF_TEXT_DOCUMENT])
        print(
            f"{PDF_TEXT_DOCUMENT}: {counts['units']} unit(s), {counts['projects']} projects; "
            f"合计 = Σ units = Σ projects; {landed} rows equal perfdw extract's field by field"
        )
        sheets["no-target-table"] = NO_TARGET_SHEET

        sources = []
        for stem, sheet in sheets.items():
            source = scratch / f"{stem}.fods"
            source.write_text(fods(sheet), encoding="utf-8")
            sources.append(source)
        office.convert("xlsx:Calc MS Excel 2007 XML", sources, out)
        office.convert(
            "pdf:calc_pdf_Export", [s for s in sources if s.stem != "no-target-table"], out
        )
        office.convert("xls:MS Excel 97", [scratch / f"{XLS_DOCUMENT}.fods"], out)
        # The .xls is checked by reading it back through LibreOffice into an .xlsx.
        xls_back = scratch / "xls-back"
        office.convert("xlsx:Calc MS Excel 2007 XML", [out / f"{XLS_DOCUMENT}.xls"], xls_back)
        cells = check_xlsx(xls_back / f"{XLS_DOCUMENT}.xlsx", sheets[XLS_DOCUMENT])
        print(f"{XLS_DOCUMENT}.xls: {cells} text cells equal the source (read back by LibreOffice)")
        for stem, sheet in sheets.items():
            cells = check_xlsx(out / f"{stem}.xlsx", sheet)
            line = f"{stem}.xlsx: {cells} text cells equal the source"
            if stem != "no-target-table":
                pdf = out / f"{stem}.pdf"
                line += (
                    f"; {stem}.pdf: {check_pdf(pdf, sheet)} pages, fonts embedded, "
                    f"{check_pdf_cells(pdf, sheet, scratch)} ruled rows read back cell by cell"
                )
            print(line)

        page = scratch / f"{HTML_DOCX_DOCUMENT}.html"
        page.write_bytes(tianhe_html(sheets[HTML_DOCX_DOCUMENT]).encode("gbk"))
        shutil.copy(page, out / page.name)
        office.convert("docx:MS Word 2007 XML", [page], out, infilter="HTML (StarWriter)")
        (out / "no-table.html").write_bytes(NO_TABLE_HTML.encode("gbk"))
        legacy = scratch / "legacy.html"
        legacy.write_text(LEGACY_DOC_HTML, encoding="utf-8")
        office.convert("doc:MS Word 97", [legacy], out, infilter="HTML (StarWriter)")

        real = out / f"{HTML_DOCX_DOCUMENT}.xlsx"
        data = real.read_bytes()
        (out / "corrupted.xlsx").write_bytes(data[: len(data) // 2])
        encrypt_workbook(real, out / "password.xlsx")
        run(
            [
                "qpdf",
                "--encrypt",
                PDF_PASSWORD,
                PDF_PASSWORD,
                "256",
                "--",
                str(out / f"{HTML_DOCX_DOCUMENT}.pdf"),
                str(out / "encrypted.pdf"),
            ]
        )
        image = scratch / "page"
        run(
            [
                "pdftoppm",
                "-f",
                "1",
                "-l",
                "1",
                "-r",
                "100",
                "-gray",
                "-png",
                "-singlefile",
                str(out / f"{SCANNED_FROM}.pdf"),
                str(image),
            ]
        )
        run(["img2pdf", "--pagesize", "A4^T", "-o", str(out / "scanned.pdf"), f"{image}.png"])
        if run(["pdftotext", str(out / "scanned.pdf"), "-"]).strip():
            raise FixtureError("scanned.pdf has a text layer")
        render_family(office)
    total = sum(path.stat().st_size for path in out.iterdir())
    print(f"{out}: {len(list(out.iterdir()))} files, {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except FixtureError as error:
        print(f"render_fixtures: {error}", file=sys.stderr)
        sys.exit(1)
