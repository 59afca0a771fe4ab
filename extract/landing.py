"""Land extracted documents in the raw schema: a batch of documents per transaction, whole or not at all."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from extract.document import EXTRACTOR_VERSION, ExtractedDocument
from extract.records import BudgetRow, IndicatorItem, LineUse, OverviewItem, ProjectAmountItem

RAW_SCHEMA_SQL = Path(__file__).with_name("raw_schema.sql")

# Child tables first, so that a half-finished delete could never orphan anything (it can't
# anyway: it runs in the batch's transaction).
RAW_TABLES = (
    "document_cells",
    "unparsed_lines",
    "document_lines",
    "unit_indicator_items",
    "unit_overview_items",
    "project_amount_items",
    "indicator_items",
    "budget_rows",
    "documents",
)


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RAW_SCHEMA_SQL.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class LoadedDocument:
    """What the warehouse holds of a document: enough to tell whether it must be read again."""

    sha256: str
    fiscal_year: int
    extractor_version: str
    catalog_entry: str | None


def loaded_documents(con: duckdb.DuckDBPyConnection) -> dict[str, LoadedDocument]:
    """source_file → what the warehouse holds of it."""
    rows = con.execute(
        "select source_file, sha256, fiscal_year, extractor_version, catalog_entry from raw.documents"
    ).fetchall()
    return {source_file: LoadedDocument(*held) for source_file, *held in rows}


def held_summaries(con: duckdb.DuckDBPyConnection, source_files: Collection[str]) -> dict[str, dict]:
    """source_file → the summary (corpus._summary) of a document as landed, without reading it again."""
    if not source_files:
        return {}
    rows = con.execute(
        """
        with held as (
            select document_id, source_file, fiscal_year, layout
            from raw.documents
            where source_file in (select unnest(?))
        ),

        budget_rows as (
            select
                document_id,
                count(distinct unit_name) filter (where row_kind <> 'grand_total')
                    + coalesce(bool_or(unit_name is null and row_kind <> 'grand_total'), false)::integer as units,
                count(*) filter (where row_kind = 'project') as projects
            from raw.budget_rows
            where document_id in (select document_id from held)
            group by document_id
        ),

        indicators as (
            select document_id, count(*) as indicators
            from raw.indicator_items
            where document_id in (select document_id from held)
            group by document_id
        ),

        unit_indicators as (
            select document_id, count(*) as unit_indicators
            from raw.unit_indicator_items
            where document_id in (select document_id from held)
            group by document_id
        ),

        unparsed as (
            select document_id, count(*) as unparsed_lines
            from raw.unparsed_lines
            where document_id in (select document_id from held)
            group by document_id
        )

        select
            held.source_file, held.fiscal_year, held.layout,
            coalesce(budget_rows.units, 0), coalesce(budget_rows.projects, 0),
            coalesce(indicators.indicators, 0), coalesce(unit_indicators.unit_indicators, 0),
            coalesce(unparsed.unparsed_lines, 0)
        from held
        left join budget_rows using (document_id)
        left join indicators using (document_id)
        left join unit_indicators using (document_id)
        left join unparsed using (document_id)
        """,
        [list(source_files)],
    ).fetchall()
    return {
        source_file: {
            "fiscal_year": year, "layout": layout, "units": units, "projects": projects,
            "indicators": indicators, "unit_indicators": unit_indicators, "unparsed_lines": unparsed,
        }
        for source_file, year, layout, units, projects, indicators, unit_indicators, unparsed in rows
    }


Columns = dict[str, list | pa.Array]  # column → its value in each row, rows in landing order

# row_kind lands as its value; the offsets only serve the indicator split.
_BUDGET_ROW_FIELDS = tuple(
    f.name for f in fields(BudgetRow) if f.name not in ("row_kind", "indicator_line_offsets")
)
_OVERVIEW_FIELDS = tuple(f.name for f in fields(OverviewItem))
_INDICATOR_FIELDS = ("source_line", "item_no", "level1", "level2", "indicator_name", "cycle_target",
                     "annual_target", "item_text", "level1_above")
# Only the project indicators carry the self-evaluation columns (the raw contract of issue 13).
_PROJECT_INDICATOR_FIELDS = _INDICATOR_FIELDS + (
    "comparator", "measure_unit", "weight", "achieved", "score", "deviation_reason", "remark"
)
_AMOUNT_FIELDS = tuple(f.name for f in fields(ProjectAmountItem) if f.name != "value_column")


def _repeated(value: str, rows: int) -> pa.Array:
    """The value in each row. Repeated by Arrow: a Python list of the same string costs its
    conversion per row. The scalar typed, since pyarrow infers an untyped one's type a hundred
    times slower; and no repeat for no rows, which takes pyarrow a millisecond."""
    return pa.repeat(pa.scalar(value, pa.string()), rows) if rows else pa.nulls(0, pa.string())


def _with_lineage(doc: ExtractedDocument, columns: Columns, rows: int) -> Columns:
    return {"document_id": _repeated(doc.document_id, rows), "source_file": _repeated(doc.source_file, rows), **columns}


def _attributes(records: Sequence[object], names: Sequence[str]) -> Columns:
    return {name: [getattr(record, name) for record in records] for name in names}


def _locations(doc: ExtractedDocument, lines: Sequence[int]) -> list[str | None]:
    """Where each row sits; None for a text file's line, which its number locates (staging
    writes it as `line N`: a string per line of every text document costs the text path)."""
    if _is_text(doc):
        return [None] * len(lines)
    return [doc.rows[line - 1].location for line in lines]


def _cell_location(doc: ExtractedDocument, line: int, column: int | None) -> str | None:
    """Where a value cell sits (Sheet1!F12, page 2 (…)); its row's location when the cell is
    empty or the document is a text file (None: the line number locates it)."""
    if _is_text(doc):
        return None
    row = doc.rows[line - 1]
    if column is not None:
        page = next(page for page in doc.cells.pages if page.rows and page.rows[0].number <= line <= page.rows[-1].number)
        within = line - page.rows[0].number + 1
        cell = next((c for c in page.cells or [] if c.row == within and c.col == column + 1), None)
        if cell is not None:
            return cell.location
    return row.location


def _is_text(doc: ExtractedDocument) -> bool:
    return all(page.cells is None for page in doc.cells.pages)


def _indicator_columns(
    doc: ExtractedDocument, items: list[IndicatorItem], parent: str, names: Sequence[str] = _INDICATOR_FIELDS
) -> Columns:
    columns = {parent: [item.project_source_line for item in items], **_attributes(items, names)}
    return _with_lineage(doc, columns, len(items))


def _cell_columns(doc: ExtractedDocument) -> Columns:
    # A text file's cells are its lines split at the tabs: the file itself, already accounted
    # for line by line in document_lines. Landing them again would double the text path's cost
    # (measured: 12 s → 32 s at scale 100) for nothing a reader of the file can't see.
    pages = [(page, page.cells) for page in doc.cells.pages if page.cells is not None]
    cells = [cell for _, page in pages for cell in page]
    return _with_lineage(
        doc,
        {
            "page_no": [page.number for page, page_of in pages for _ in page_of],
            "page_name": [page.name for page, page_of in pages for _ in page_of],
            "row_no": [cell.row for cell in cells],
            "col_no": [cell.col for cell in cells],
            "rowspan": [cell.rowspan for cell in cells],
            "colspan": [cell.colspan for cell in cells],
            "text": [cell.text for cell in cells],
            "location": [cell.location for cell in cells],
        },
        len(cells),
    )


def document_rows(doc: ExtractedDocument) -> dict[str, Columns]:
    """The rows each raw table gets for one document, column by column.

    All but raw.documents.extracted_at, which is the time the rows land. Plain lists of str,
    int and None: cheap to send from a worker process and to turn into one Arrow table per batch.
    """
    parsed = doc.parsed
    documents = {
        "sha256": [doc.sha256],
        "department_name": [doc.department_name],
        "fiscal_year": [doc.fiscal_year],
        "fiscal_year_source": [doc.fiscal_year_source],
        "catalog_entry": [doc.catalog_entry],
        "layout": [parsed.layout],
        "amount_unit": [parsed.amount_unit],
        "title": [parsed.title],
        "line_count": [doc.line_count],
        "encoding": [doc.encoding],
        "format": [doc.format],
        "extractor_version": [EXTRACTOR_VERSION],
        "templates": [",".join(parsed.templates)],
    }
    budget_rows = {
        "row_no": list(range(1, len(parsed.rows) + 1)),
        **_attributes(parsed.rows, _BUDGET_ROW_FIELDS),
        "row_kind": [row.row_kind.value for row in parsed.rows],
        "source_location": _locations(doc, [row.source_line for row in parsed.rows]),
    }
    indicators = _indicator_columns(doc, parsed.indicators, "project_source_line", _PROJECT_INDICATOR_FIELDS)
    indicators["source_location"] = _locations(doc, [item.source_line for item in parsed.indicators])
    overview = {
        "item_no": list(range(1, len(parsed.unit_overview) + 1)),
        **_attributes(parsed.unit_overview, _OVERVIEW_FIELDS),
        "source_location": _locations(doc, [item.source_line for item in parsed.unit_overview]),
    }
    amounts = {
        **_attributes(parsed.amounts, _AMOUNT_FIELDS),
        "source_location": [_cell_location(doc, item.source_line, item.value_column) for item in parsed.amounts],
    }
    document_lines = {
        "line_no": [d.line_no for d in parsed.lines],
        "line_use": [d.use.value for d in parsed.lines],
        "reason": [d.reason or None for d in parsed.lines],
        "location": _locations(doc, [d.line_no for d in parsed.lines]),
    }
    unparsed = [d for d in parsed.lines if d.use is LineUse.UNPARSED]
    unparsed_lines = {
        "line_no": [d.line_no for d in unparsed],
        "line_text": [doc.rows[d.line_no - 1].text for d in unparsed],
        "reason": [d.reason for d in unparsed],
    }
    return {
        "documents": _with_lineage(doc, documents, 1),
        "budget_rows": _with_lineage(doc, budget_rows, len(parsed.rows)),
        "indicator_items": indicators,
        "unit_overview_items": _with_lineage(doc, overview, len(parsed.unit_overview)),
        "project_amount_items": _with_lineage(doc, amounts, len(parsed.amounts)),
        "unit_indicator_items": _indicator_columns(doc, parsed.unit_indicators, "overview_source_line"),
        "document_lines": _with_lineage(doc, document_lines, len(parsed.lines)),
        "unparsed_lines": _with_lineage(doc, unparsed_lines, len(unparsed)),
        "document_cells": _cell_columns(doc),
    }


def document_tables(doc: ExtractedDocument) -> dict[str, pa.Table]:
    """document_rows as one Arrow table per raw table."""
    return {table: pa.table(columns) for table, columns in document_rows(doc).items()}


@dataclass(frozen=True)
class PackedRows:
    """A document's rows for each raw table as an Arrow IPC stream.

    Built in the worker process that parsed the document: turning Python values into Arrow is
    a good part of landing's cost, which the one process that writes the warehouse would
    otherwise pay for every document; and a stream crosses back to it as one buffer, where a
    pickled Arrow table is an object per buffer and a list of values an object per value.
    """

    streams: dict[str, bytes]
    row_count: int

    def tables(self) -> dict[str, pa.Table]:
        return {table: pa.ipc.open_stream(stream).read_all() for table, stream in self.streams.items()}


def pack_rows(doc: ExtractedDocument) -> PackedRows:
    streams: dict[str, bytes] = {}
    count = 0
    for name, table in document_tables(doc).items():
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        streams[name] = sink.getvalue().to_pybytes()
        count += table.num_rows
    return PackedRows(streams, count)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    if rows.num_rows == 0:
        return
    con.register("landing_rows", rows)
    try:
        con.execute(f"insert into raw.{table} by name select * from landing_rows")
    finally:
        con.unregister("landing_rows")


def delete_documents(con: duckdb.DuckDBPyConnection, source_files: list[str]) -> None:
    for table in RAW_TABLES:
        con.execute(f"delete from raw.{table} where source_file in (select unnest(?))", [source_files])


def land_documents(
    con: duckdb.DuckDBPyConnection,
    documents: Sequence[dict[str, pa.Table]],
    replaced: Collection[str],
    extracted_at: datetime,
) -> None:
    """Land the rows of several documents in one transaction, all of them or none.

    replaced: the source files among them that the warehouse already holds; only their old
    rows need deleting (a delete per table costs as much as the inserts of a small document).
    """
    con.execute("begin transaction")
    try:
        if replaced:
            delete_documents(con, list(replaced))
        for table in reversed(RAW_TABLES):
            # A column all null in one document is typed null there, a string or number in
            # another: promoted to the latter, as if the batch's values had been typed together.
            rows = pa.concat_tables([tables[table] for tables in documents], promote_options="default")
            if table == "documents":
                rows = rows.append_column("extracted_at", pa.array([extracted_at] * len(documents)))
            _insert(con, table, rows)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
