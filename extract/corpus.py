"""Extract a documents folder into the pipeline's DuckDB file: the `perfdw extract` step."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from extract.catalog import CatalogEntry, entry_facts, load_catalog
from extract.document import EXTRACTOR_VERSION, ExtractedDocument, document_id_for, extract_document
from extract.landing import (
    LoadedDocument,
    PackedRows,
    delete_documents,
    ensure_raw_schema,
    held_summaries,
    land_documents,
    loaded_documents,
    pack_rows,
)
from extract.readers import SUPPORTED_EXTENSIONS, is_document
from extract.records import ExtractError, RowKind
from perfdw import collector


@dataclass(frozen=True)
class DocumentOutcome:
    source_file: str
    status: str  # loaded | unchanged | skipped | removed | failed
    fiscal_year: int | None = None
    layout: str | None = None
    units: int = 0
    projects: int = 0
    indicators: int = 0
    unit_indicators: int = 0  # of a unit-level target table (部门整体绩效目标), beside its projects'
    unparsed_lines: int = 0
    error: str | None = None


@dataclass
class ExtractReport:
    outcomes: list[DocumentOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[DocumentOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]


def document_files(documents_dir: Path) -> list[Path]:
    """Every file of the folder with an extension a reader takes (or refuses by name)."""
    return sorted(p for p in documents_dir.iterdir() if p.is_file() and is_document(p))


def _held_as_it_is(path: Path, entry: CatalogEntry | None, held: LoadedDocument | None) -> bool:
    """Whether the warehouse holds the document as reading it now would give: same bytes, same
    extractor, same catalog facts. Then it isn't read again (parsing is most of a load's extract)."""
    if held is None or (held.extractor_version, held.catalog_entry) != (EXTRACTOR_VERSION, entry_facts(entry)):
        return False
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == held.sha256
    except OSError:
        return False  # reading it again names the error


def _summary(doc: ExtractedDocument) -> dict:
    rows = doc.parsed.rows
    return {
        "fiscal_year": doc.fiscal_year,
        "layout": doc.parsed.layout,
        "units": len({row.unit_name for row in rows if row.row_kind is not RowKind.GRAND_TOTAL}),
        "projects": sum(row.row_kind is RowKind.PROJECT for row in rows),
        "indicators": len(doc.parsed.indicators),
        "unit_indicators": len(doc.parsed.unit_indicators),
        "unparsed_lines": sum(d.use.value == "unparsed" for d in doc.parsed.lines),
    }


# Parsed documents land together, up to this many documents or rows per transaction: a
# transaction (and its deletes) costs about as much as the inserts of a small document.
_BATCH_DOCUMENTS = 25
_BATCH_ROWS = 200_000
# With fewer documents, starting worker processes takes longer than parsing them here.
_POOL_MIN_DOCUMENTS = 8
_CHECKPOINT_THRESHOLD = "1GB"  # DuckDB's write-ahead log size that triggers a checkpoint
_GC_YOUNG_THRESHOLD = 50_000  # new objects between two cycle-collector passes in a worker


@dataclass(frozen=True)
class _Parsed:
    """A document parsed in full, reduced to what landing and the report need."""

    source_file: str
    document_id: str
    sha256: str
    fiscal_year: int
    summary: dict
    rows: PackedRows


def _parse(path: Path, entry: CatalogEntry | None) -> _Parsed | ExtractError:
    """Parse one document; runs in a worker process, so a refusal is returned, not raised."""
    try:
        doc = extract_document(path, entry)
    except ExtractError as error:
        return error
    return _Parsed(
        doc.source_file, doc.document_id, doc.sha256, doc.fiscal_year, _summary(doc), pack_rows(doc)
    )


def _start_worker() -> None:
    # Parsing allocates millions of short-lived objects (rows, cells, records) and frees them
    # by reference counting: the cycle collector's passes over each 700 new objects, all
    # survivors, took about 5% of a worker's time.
    collector.settle(young_threshold=_GC_YOUNG_THRESHOLD)


Job = tuple[Path, CatalogEntry | None]


def _first_result(pending: deque[tuple[Job, Future[_Parsed | ExtractError]]]) -> _Parsed | ExtractError:
    # Dropped from the queue only once its result is in: if the pool breaks, it is parsed again.
    result = pending[0][1].result()
    pending.popleft()
    return result


def _parsed_in_order(jobs: list[Job]) -> Iterator[_Parsed | ExtractError]:
    """Each job's result, in the jobs' order; parsed by a pool of processes when that pays."""
    workers = os.cpu_count() or 1
    if workers < 2 or len(jobs) < _POOL_MIN_DOCUMENTS:
        yield from (_parse(*job) for job in jobs)
        return
    # spawn, not fork: the caller may run threads (DuckDB's, Dagster's) that a fork would copy
    # mid-operation.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker)
    # Enough parsed ahead to keep the workers busy while a batch lands, few enough to bound memory.
    window = _BATCH_DOCUMENTS + 2 * workers
    pending: deque[tuple[Job, Future[_Parsed | ExtractError]]] = deque()
    submitted = 0
    try:
        for job in jobs:
            pending.append((job, pool.submit(_parse, *job)))
            submitted += 1
            if len(pending) >= window:
                yield _first_result(pending)
        while pending:
            yield _first_result(pending)
    except BrokenProcessPool as error:
        # A worker died: killed for memory, or it re-ran the caller's own script (spawned
        # workers import the main module) and failed there. The documents still load, here.
        rest = [job for job, _ in pending] + jobs[submitted:]
        # A warning, not a progress line: library callers pass no progress, and they are the
        # ones who can act on it.
        warnings.warn(
            f"extract's worker processes stopped ({error}); parsing the remaining {len(rest)} "
            "documents in this process. A script of your own that calls extract must keep its "
            'top level under `if __name__ == "__main__":`, since each worker process imports it.',
            RuntimeWarning,
            stacklevel=2,
        )
        yield from (_parse(*job) for job in rest)
    finally:
        pool.shutdown(cancel_futures=True)


class _Landing:
    """Lands parsed documents a batch per transaction, and reports every document in file order
    once the batch it belongs to is in."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        loaded: dict[str, LoadedDocument],
        report: ExtractReport,
        progress: Callable[[str], None],
    ):
        self._con, self._loaded, self._report, self._progress = con, loaded, report, progress
        self._queue: list[tuple[DocumentOutcome, str | None, _Parsed | None]] = []
        self._documents = self._rows = 0

    def __enter__(self) -> _Landing:
        return self

    def __exit__(self, *exc_info: object) -> None:
        # Even when the run stops, what was parsed before lands, as it would one by one.
        self.flush()

    def add(self, outcome: DocumentOutcome, line: str | None = None, parsed: _Parsed | None = None) -> None:
        """Queue a document's outcome and progress line, and its rows if it is to be written."""
        self._queue.append((outcome, line, parsed))
        if parsed is not None:
            self._documents += 1
            self._rows += parsed.rows.row_count
            if self._documents >= _BATCH_DOCUMENTS or self._rows >= _BATCH_ROWS:
                self.flush()

    def flush(self) -> None:
        queue, self._queue, self._documents, self._rows = self._queue, [], 0, 0
        self._land([parsed for _, _, parsed in queue if parsed is not None])
        for outcome, line, _ in queue:
            self._tell(outcome, line)

    def _land(self, batch: list[_Parsed]) -> None:
        if batch:
            land_documents(
                self._con,
                [parsed.rows.tables() for parsed in batch],
                [parsed.source_file for parsed in batch if parsed.source_file in self._loaded],
                datetime.now(timezone.utc).replace(tzinfo=None),
            )

    def _tell(self, outcome: DocumentOutcome, line: str | None) -> None:
        if line is not None:
            self._progress(line)
        self._report.outcomes.append(outcome)


def extract_corpus(
    documents_dir: Path,
    database: Path,
    year: int | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> ExtractReport:
    """Land every document of the folder (or of one fiscal year) in schema raw.

    Each document is parsed in full before anything is written and lands in one transaction
    (shared with other parsed documents), so a bad document leaves its previous rows (if any)
    untouched and the others still load. An unchanged document (same sha256, extractor and
    catalog facts) is neither read nor written again; a document that left the folder is
    removed, but only within the year being extracted.
    """
    if not documents_dir.is_dir():
        raise ExtractError(f"documents folder not found: {documents_dir}")
    catalog = load_catalog(documents_dir)
    files = document_files(documents_dir)
    if not files:
        # A load removes what left the folder: an empty one (a wrong path, a share not mounted)
        # would empty the warehouse and publish nothing over the last good copy.
        raise ExtractError(
            f"no documents in {documents_dir}: no file ending in {' '.join(SUPPORTED_EXTENSIONS)}; "
            "nothing to load (to empty the warehouse, delete its folder)"
        )
    listed = [(path, catalog.get(path.name)) for path in files]

    def skipped_by_catalog(entry: CatalogEntry | None) -> bool:
        return year is not None and entry is not None and entry.fiscal_year not in (None, year)

    database.parent.mkdir(parents=True, exist_ok=True)
    report = ExtractReport()
    with duckdb.connect(str(database)) as con:
        # The default checkpoints every 16 MB of log, and each checkpoint rewrites the growing
        # primary key indexes whole: a large corpus spent a fifth of its time there. Rarer
        # checkpoints cost memory (1.9 GB instead of 0.9 GB at 5,000 documents), not time.
        con.execute(f"set checkpoint_threshold = '{_CHECKPOINT_THRESHOLD}'")
        # A batch is a few thousand rows per table: DuckDB's threads spent more time handing
        # them over than inserting (landing took twice the CPU with two), and the parsing
        # workers have the other cores.
        con.execute("set threads = 1")
        ensure_raw_schema(con)
        loaded = loaded_documents(con)
        # Documents that left the folder go first, so that a renamed one lands under its new name.
        present = {path.name for path in files}
        gone = [
            source_file
            for source_file, held in loaded.items()
            if source_file not in present and (year is None or held.fiscal_year == year)
        ]
        if gone:
            con.execute("begin transaction")
            delete_documents(con, gone)
            con.execute("commit")
            for source_file in gone:
                progress(f"  removed   {source_file}: no longer in {documents_dir}")
                report.outcomes.append(DocumentOutcome(source_file, "removed", loaded[source_file].fiscal_year))
        # Content already loaded under a name still in the folder counts as seen: a copy of it
        # under another name fails, whichever of the two names sorts first.
        seen_content = {
            document_id_for(held.sha256): source_file
            for source_file, held in loaded.items()
            if source_file in present
        }
        to_read = [(path, entry) for path, entry in listed if not skipped_by_catalog(entry)]
        unchanged = {path.name for path, entry in to_read if _held_as_it_is(path, entry, loaded.get(path.name))}
        jobs = [(path, entry) for path, entry in to_read if path.name not in unchanged]
        summaries = held_summaries(con, [name for name in unchanged if year in (None, loaded[name].fiscal_year)])
        with _Landing(con, loaded, report, progress) as landing, closing(_parsed_in_order(jobs)) as results:
            for path, entry in listed:
                if skipped_by_catalog(entry):
                    landing.add(DocumentOutcome(path.name, "skipped", entry.fiscal_year))
                    continue
                if path.name in unchanged:
                    if path.name in summaries:
                        landing.add(*_outcome(path.name, "unchanged", summaries[path.name]))
                    else:  # another year's
                        landing.add(DocumentOutcome(path.name, "skipped", loaded[path.name].fiscal_year))
                    continue
                result = next(results)
                twin = seen_content.get(result.document_id) if isinstance(result, _Parsed) else None
                if twin and twin != path.name:
                    result = ExtractError(
                        f"same content as {twin}: a document is loaded once", source_file=path.name
                    )
                if isinstance(result, ExtractError):
                    landing.add(DocumentOutcome(path.name, "failed", error=str(result)), f"  FAILED {result}")
                    continue
                seen_content[result.document_id] = path.name
                if year is not None and result.fiscal_year != year:
                    landing.add(DocumentOutcome(path.name, "skipped", result.fiscal_year))
                    continue
                landing.add(*_outcome(path.name, "loaded", result.summary), result)
    return report


def _outcome(source_file: str, status: str, summary: dict) -> tuple[DocumentOutcome, str]:
    outcome = DocumentOutcome(source_file, status, **summary)
    line = (
        f"  {status:<9} {source_file}: {outcome.layout}, {outcome.fiscal_year}, "
        f"{outcome.units} units, {outcome.projects} projects, {outcome.indicators} indicators, "
        f"{unit_level_part(outcome.unit_indicators)}{outcome.unparsed_lines} unparsed lines"
    )
    return outcome, line


def unit_level_part(unit_indicators: int) -> str:
    """The unit-level indicators of a progress or summary line, where there are any: most
    documents are project target tables and have none."""
    return f"{unit_indicators} unit-level indicators, " if unit_indicators else ""
