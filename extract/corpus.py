"""Extract a documents folder into the pipeline's DuckDB file: the `perfdw extract` step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from extract.catalog import load_catalog
from extract.document import EXTRACTOR_VERSION, ExtractedDocument, extract_document
from extract.landing import delete_documents, ensure_raw_schema, loaded_documents, replace_document
from extract.records import ExtractError, RowKind

DOCUMENT_SUFFIX = ".txt"


@dataclass(frozen=True)
class DocumentOutcome:
    source_file: str
    status: str  # loaded | unchanged | skipped | removed | failed
    fiscal_year: int | None = None
    layout: str | None = None
    units: int = 0
    projects: int = 0
    indicators: int = 0
    unparsed_lines: int = 0
    error: str | None = None


@dataclass
class ExtractReport:
    outcomes: list[DocumentOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[DocumentOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]


def document_files(documents_dir: Path) -> list[Path]:
    return sorted(p for p in documents_dir.iterdir() if p.is_file() and p.suffix == DOCUMENT_SUFFIX)


def _summary(doc: ExtractedDocument) -> dict:
    rows = doc.parsed.rows
    return {
        "fiscal_year": doc.fiscal_year,
        "layout": doc.parsed.layout,
        "units": len({row.unit_name for row in rows if row.row_kind is not RowKind.GRAND_TOTAL}),
        "projects": sum(row.row_kind is RowKind.PROJECT for row in rows),
        "indicators": len(doc.parsed.indicators),
        "unparsed_lines": sum(d.use.value == "unparsed" for d in doc.parsed.lines),
    }


def extract_corpus(
    documents_dir: Path,
    database: Path,
    year: int | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> ExtractReport:
    """Land every document of the folder (or of one fiscal year) in schema raw.

    Each document is parsed in full before anything is written and lands in one transaction, so
    a bad document leaves its previous rows (if any) untouched and the others still load. An
    unchanged document (same sha256, same extractor) is not written again; a document that left
    the folder is removed, but only within the year being extracted.
    """
    if not documents_dir.is_dir():
        raise ExtractError(f"documents folder not found: {documents_dir}")
    catalog = load_catalog(documents_dir)
    files = document_files(documents_dir)
    database.parent.mkdir(parents=True, exist_ok=True)
    report = ExtractReport()
    with duckdb.connect(str(database)) as con:
        ensure_raw_schema(con)
        loaded = loaded_documents(con)
        seen_content: dict[str, str] = {}
        for path in files:
            entry = catalog.get(path.name)
            if year is not None and entry and entry.fiscal_year not in (None, year):
                report.outcomes.append(DocumentOutcome(path.name, "skipped", entry.fiscal_year))
                continue
            try:
                doc = extract_document(path, entry)
                twin = seen_content.get(doc.document_id)
                if twin:
                    raise ExtractError(f"same content as {twin}: a document is loaded once", source_file=path.name)
                seen_content[doc.document_id] = path.name
            except ExtractError as error:
                progress(f"  FAILED {error}")
                report.outcomes.append(DocumentOutcome(path.name, "failed", error=str(error)))
                continue
            summary = _summary(doc)
            if year is not None and doc.fiscal_year != year:
                report.outcomes.append(DocumentOutcome(path.name, "skipped", doc.fiscal_year))
                continue
            if loaded.get(path.name) == (doc.sha256, doc.fiscal_year, EXTRACTOR_VERSION):
                status = "unchanged"
            else:
                replace_document(con, doc, datetime.now(timezone.utc).replace(tzinfo=None))
                status = "loaded"
            outcome = DocumentOutcome(path.name, status, **summary)
            progress(
                f"  {status:<9} {path.name}: {outcome.layout}, {outcome.fiscal_year}, "
                f"{outcome.units} units, {outcome.projects} projects, {outcome.indicators} indicators, "
                f"{outcome.unparsed_lines} unparsed lines"
            )
            report.outcomes.append(outcome)
        present = {path.name for path in files}
        gone = [
            source_file
            for source_file, (_, loaded_year, _) in loaded.items()
            if source_file not in present and (year is None or loaded_year == year)
        ]
        if gone:
            con.execute("begin transaction")
            delete_documents(con, gone)
            con.execute("commit")
            for source_file in gone:
                progress(f"  removed   {source_file}: no longer in {documents_dir}")
                report.outcomes.append(DocumentOutcome(source_file, "removed", loaded[source_file][1]))
    return report
