"""Land extracted documents in the raw schema: one transaction per document, whole or not at all."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from extract.document import EXTRACTOR_VERSION, ExtractedDocument
from extract.records import IndicatorItem, LineUse

RAW_SCHEMA_SQL = Path(__file__).with_name("raw_schema.sql")

# Child tables first, so that a half-finished delete could never orphan anything (it can't
# anyway: it runs in the document's transaction).
RAW_TABLES = (
    "unparsed_lines",
    "document_lines",
    "unit_indicator_items",
    "unit_overview_items",
    "indicator_items",
    "budget_rows",
    "documents",
)


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RAW_SCHEMA_SQL.read_text(encoding="utf-8"))


def loaded_documents(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, int, str]]:
    """source_file → (sha256, fiscal_year, extractor_version) of what the warehouse holds."""
    rows = con.execute(
        "select source_file, sha256, fiscal_year, extractor_version from raw.documents"
    ).fetchall()
    return {source_file: (sha, year, version) for source_file, sha, year, version in rows}


def _frame(records: list[dict], columns: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=columns)


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    con.register("landing_frame", frame)
    try:
        con.execute(f"insert into raw.{table} by name select * from landing_frame")
    finally:
        con.unregister("landing_frame")


def _indicator_frame(doc: ExtractedDocument, items: list[IndicatorItem], parent: str) -> pd.DataFrame:
    records = []
    for item in items:
        record = asdict(item)
        record[parent] = record.pop("project_source_line")
        records.append({"document_id": doc.document_id, "source_file": doc.source_file, **record})
    columns = ["document_id", "source_file", parent, "source_line", "item_no", "level1", "level2",
               "indicator_name", "cycle_target", "annual_target", "item_text"]
    return _frame(records, columns)


def frames_for(doc: ExtractedDocument, extracted_at: datetime) -> dict[str, pd.DataFrame]:
    """The rows each raw table gets for one document."""
    parsed = doc.parsed
    lineage = {"document_id": doc.document_id, "source_file": doc.source_file}
    documents = _frame(
        [{
            **lineage,
            "sha256": doc.sha256,
            "department_name": doc.department_name,
            "fiscal_year": doc.fiscal_year,
            "fiscal_year_source": doc.fiscal_year_source,
            "layout": parsed.layout,
            "amount_unit": parsed.amount_unit,
            "title": parsed.title,
            "line_count": doc.line_count,
            "encoding": doc.encoding,
            "extracted_at": extracted_at,
            "extractor_version": EXTRACTOR_VERSION,
        }]
    )
    budget_records = []
    for row_no, row in enumerate(parsed.rows, start=1):
        record = asdict(row)
        record.pop("indicator_line_offsets")
        record["row_kind"] = row.row_kind.value
        budget_records.append({**lineage, "row_no": row_no, **record})
    overview = [
        {**lineage, "item_no": item_no, **asdict(item)}
        for item_no, item in enumerate(parsed.unit_overview, start=1)
    ]
    document_lines = [
        {**lineage, "line_no": d.line_no, "line_use": d.use.value, "reason": d.reason or None}
        for d in parsed.lines
    ]
    unparsed = [
        {**lineage, "line_no": d.line_no, "line_text": doc.lines[d.line_no - 1], "reason": d.reason}
        for d in parsed.lines
        if d.use is LineUse.UNPARSED
    ]
    return {
        "documents": documents,
        "budget_rows": _frame(budget_records),
        "indicator_items": _indicator_frame(doc, parsed.indicators, "project_source_line"),
        "unit_overview_items": _frame(overview),
        "unit_indicator_items": _indicator_frame(doc, parsed.unit_indicators, "overview_source_line"),
        "document_lines": _frame(document_lines),
        "unparsed_lines": _frame(unparsed),
    }


def delete_documents(con: duckdb.DuckDBPyConnection, source_files: list[str]) -> None:
    for table in RAW_TABLES:
        con.execute(f"delete from raw.{table} where source_file in (select unnest(?))", [source_files])


def replace_document(
    con: duckdb.DuckDBPyConnection,
    doc: ExtractedDocument,
    extracted_at: datetime,
) -> None:
    """Swap a document's rows for its new extraction in one transaction."""
    frames = frames_for(doc, extracted_at)
    con.execute("begin transaction")
    try:
        delete_documents(con, [doc.source_file])
        for table in reversed(RAW_TABLES):
            _insert(con, table, frames[table])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
