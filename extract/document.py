"""One document, start to finish: bytes → pages of cells → layout → records, checked against its
catalog entry."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from extract.catalog import CatalogEntry, entry_facts
from extract.cells import CellDocument, Row, document_rows
from extract.indicators import split_indicator_text
from extract.layouts import detect_layout
from extract.readers import read_document
from extract.records import (
    BudgetRow,
    ExtractError,
    IndicatorItem,
    LineDisposition,
    LineUse,
    ParsedDocument,
    RowKind,
)
from extract.targets import target_rows
from perfdw.settings import reconciliation_tolerance_wan

EXTRACTOR_VERSION = "1.2.0"
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


@dataclass(frozen=True)
class ExtractedDocument:
    source_file: str
    sha256: str
    document_id: str
    encoding: str
    format: str  # txt | pdf | xlsx | xls | docx | html
    line_count: int  # rows of the document (lines of a text file)
    department_name: str
    fiscal_year: int
    fiscal_year_source: str
    catalog_entry: str | None  # the catalog's facts the document was read with (catalog.entry_facts)
    parsed: ParsedDocument
    cells: CellDocument  # every page/sheet and cell, as read
    rows: list[Row]  # the document's rows in order; rows[n - 1] is row (or line) n


def document_id_for(sha256: str) -> str:
    """Content-addressed: the same bytes always give the same id, and so the same project keys."""
    return sha256[:16]


def _same_name(a: str, b: str) -> bool:
    # PDF text puts stray spaces inside names ("保障局 （本级）"); brackets come full or half width.
    def canonical(name: str) -> str:
        return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")

    return canonical(a) == canonical(b)


def _indicator_items(row: BudgetRow) -> list[IndicatorItem]:
    try:
        split = split_indicator_text(row.indicator_text)
    except ValueError as error:
        raise ExtractError(f"indicator list can't be split: {error}", row.source_line) from None
    offsets = [offset for offset, _ in row.indicator_line_offsets]

    def line_at(position: int) -> int:
        index = bisect.bisect_right(offsets, position) - 1
        return row.indicator_line_offsets[index][1] if index >= 0 else row.source_line

    return [
        IndicatorItem(
            project_source_line=row.source_line,
            source_line=line_at(item.start),
            item_no=position,
            level1=item.level1,
            level2=item.level2,
            indicator_name=item.indicator_name,
            cycle_target=item.cycle_target,
            annual_target=item.annual_target,
            item_text=item.item_text,
        )
        for position, item in enumerate(split, start=1)
    ]


# Each printed figure is rounded to 0.01, so a sum of dozens of them may drift by a few
# hundredths: the same tolerance as the reconciliation downstream (one dbt var).
_ROUNDING = reconciliation_tolerance_wan()


def _total(row: BudgetRow) -> Decimal:
    try:
        return Decimal((row.total or "0").replace(",", ""))
    except InvalidOperation:
        raise ExtractError(f"总计 {row.total!r} is not a number", row.source_line) from None


def _check_not_cut_off(parsed: ParsedDocument, last_line: int) -> None:
    """A table that stops early shows in its own check sums; a row-level parser can't see it.

    The units' subtotals must add up to the grand total, and the last unit's projects must not
    fall short of its subtotal: missing rows at the end make both fail. (A unit elsewhere in the
    document may disagree with its projects — some documents do — and is reported downstream.)
    """
    grand = [row for row in parsed.rows if row.row_kind is RowKind.GRAND_TOTAL]
    units = [row for row in parsed.rows if row.row_kind is RowKind.UNIT]
    if not grand or not units:
        return
    units_sum = sum((_total(unit) for unit in units), Decimal(0))
    if abs(_total(grand[0]) - units_sum) > _ROUNDING:
        raise ExtractError(
            f"cut off? the units' subtotals add up to {units_sum} but 合计 (line "
            f"{grand[0].source_line}) prints {grand[0].total}: rows seem to be missing at the end",
            last_line,
        )
    last_unit = units[-1]
    projects_sum = sum(
        (_total(row) for row in parsed.rows
         if row.row_kind is RowKind.PROJECT and row.source_line > last_unit.source_line),
        Decimal(0),
    )
    if _total(last_unit) - projects_sum > _ROUNDING:
        raise ExtractError(
            f"cut off? the projects of the last unit {last_unit.name} (line {last_unit.source_line}) "
            f"add up to {projects_sum} of its printed {last_unit.total}: rows seem to be missing at the end",
            last_line,
        )


def _resolve_year(parsed: ParsedDocument, entry: CatalogEntry | None) -> tuple[int, str]:
    printed, listed = parsed.fiscal_year, entry.fiscal_year if entry else None
    if printed is not None and listed is not None and printed != listed:
        raise ExtractError(
            f"fiscal year {printed} printed in the document ({parsed.fiscal_year_evidence}) "
            f"contradicts the catalog entry's {listed}; correct catalog.toml or the file"
        )
    if printed is not None:
        return printed, f"document: {parsed.fiscal_year_evidence}"
    if listed is not None:
        evidence = entry.fiscal_year_evidence if entry else None
        return listed, "catalog" + (f": {evidence}" if evidence else "")
    raise ExtractError(
        "fiscal year can't be determined: the document prints none and catalog.toml has no "
        "fiscal_year for it; add an entry with the year"
    )


def _resolve_amount_unit(parsed: ParsedDocument, entry: CatalogEntry | None) -> ParsedDocument:
    """The unit the document prints (单位：万元, 总计（万元）, 77000.00元); else the catalog's."""
    listed = entry.amount_unit if entry else None
    if parsed.amount_unit is not None:
        if listed and listed != parsed.amount_unit:
            raise ExtractError(
                f"amounts printed in {parsed.amount_unit} but the catalog entry says "
                f"{listed}; correct catalog.toml or the file"
            )
        return parsed
    if listed is None:
        raise ExtractError(
            "amount unit can't be determined: the document prints none (单位：万元, 单位：元, or a "
            "column header like 总计（万元）) and catalog.toml has no amount_unit for it; add one"
        )
    return replace(parsed, amount_unit=listed, rows=[replace(row, amount_unit=listed) for row in parsed.rows])


def _resolve_department(parsed: ParsedDocument, entry: CatalogEntry | None) -> str:
    printed, listed = parsed.department_name, entry.department_name if entry else None
    if printed and listed and not _same_name(printed, listed):
        raise ExtractError(
            f"department {printed!r} printed in the document contradicts the catalog entry's "
            f"{listed!r}; correct catalog.toml or the file"
        )
    if printed or listed:
        # Whitespace between two Chinese characters is a rendering artefact (PDF text, a
        # department and 单位 printed on one line): Chinese names have no spaces.
        return _CJK_SPACE.sub("", (printed or listed).strip())
    raise ExtractError(
        "department can't be determined: the document prints no 部门名称 and catalog.toml has "
        "no department_name for it"
    )


def extract_document(path: Path, entry: CatalogEntry | None) -> ExtractedDocument:
    """Read and parse one document. Raises ExtractError naming the file (and line or page)."""
    all_rows: list[Row] | None = None
    try:
        data = path.read_bytes()
        sha256 = hashlib.sha256(data).hexdigest()
        cells = read_document(path, data)
        all_rows = document_rows(cells)
        rows, others = target_rows(cells, all_rows)
        layout = detect_layout(rows)
        parsed = layout.parse(rows, entry.hints if entry else {})
        if others:
            parsed.lines = [
                LineDisposition(d.line_no, LineUse.OTHER_TABLE, others[d.line_no]) if d.line_no in others else d
                for d in parsed.lines
            ]
        parsed = _resolve_amount_unit(parsed, entry)
        fiscal_year, year_source = _resolve_year(parsed, entry)
        department = _resolve_department(parsed, entry)
        if len(parsed.lines) != len(rows):
            raise ExtractError(
                f"{layout.LAYOUT} parser accounted for {len(parsed.lines)} of {len(rows)} rows"
            )
        _check_not_cut_off(parsed, len(rows))
        items = [item for row in parsed.rows if row.indicator_text for item in _indicator_items(row)]
        parsed = replace(parsed, indicators=parsed.indicators + items)
    except ExtractError as error:
        raise _located(error, all_rows).with_file(path.name) from None
    except OSError as error:
        raise ExtractError(f"can't read: {error.strerror}", source_file=path.name) from None
    return ExtractedDocument(
        source_file=path.name,
        sha256=sha256,
        document_id=document_id_for(sha256),
        encoding=cells.encoding,
        format=cells.format,
        line_count=len(all_rows),
        department_name=department,
        fiscal_year=fiscal_year,
        fiscal_year_source=year_source,
        catalog_entry=entry_facts(entry),
        parsed=parsed,
        cells=cells,
        rows=all_rows,
    )


def _located(error: ExtractError, rows: list[Row] | None) -> ExtractError:
    """An error at row n of a sheet or PDF names where the row sits, not just its ordinal."""
    if rows is None or error.line_no is None or not 0 < error.line_no <= len(rows):
        return error
    row = rows[error.line_no - 1]
    if row.location is None:
        return error
    return ExtractError(f"{row.location} (row {error.line_no}): {error.message}", None, error.source_file)
