"""The pipeline's steps as plain functions: extract → dbt → validate → publish.

The Dagster assets (orchestration/) call these same functions, so the command line, the
orchestrator, the benchmark and the tests all run one implementation. This package is the core:
it imports the steps below it (extract, expectations) and nothing above it (orchestration, the
command line, dashboards, bench). The dbt step's invocation is decided in perfdw.dbt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from perfdw.paths import Paths
from perfdw.warehouse_lock import writer_lock

Progress = Callable[[str], None]


class StepFailed(Exception):
    """A step that failed; the message says which and why, for the command line to print: a
    headline, then one indented line per reason (a document's error, a failed expectation),
    each naming its file and line, so that none of them is lost in one long line."""

    def __init__(self, headline: str, reasons: Sequence[str] = ()) -> None:
        super().__init__("\n".join([headline, *(f"  {reason}" for reason in reasons)]))
        self.headline = headline
        self.reasons = list(reasons)


class ExtractFailed(StepFailed):
    """Some documents failed; the others landed, and `report` says which is which."""

    def __init__(self, report) -> None:
        errors = [outcome.error or outcome.source_file for outcome in report.failed]
        super().__init__(f"extract: {_counted(len(errors), 'document')} not loaded", errors)
        self.report = report


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def documents_not_loaded(errors: Sequence[str]) -> StepFailed:
    """The failure of a load that published every document but these (their extract errors)."""
    return StepFailed(
        f"{_counted(len(errors), 'document')} not loaded; every other document was loaded and published", errors
    )


def _quiet(_: str) -> None:
    pass


def extract_documents(paths: Paths, year: int | None = None, progress: Progress = _quiet):
    """Land the documents of `year` (None: all) in raw and write their Parquet hand-over.

    The caller holds the writer lock. Raises extract.records.ExtractError when nothing could be
    read at all (no folder, a bad catalog); a failed document is in the report instead.
    """
    from extract.corpus import extract_corpus
    from perfdw.handover import write_raw_parquet

    report = extract_corpus(paths.documents, paths.pipeline_db, year, progress)
    # Also after some documents failed: the others landed, and every engine reads them from here.
    write_raw_parquet(paths.pipeline_db, paths.raw_parquet, None if year is None else [year])
    return report


def extract_step(paths: Paths, year: int | None = None, progress: Progress = _quiet):
    from extract.records import ExtractError

    try:
        with writer_lock(paths.writer_lock, progress=progress):
            report = extract_documents(paths, year, progress)
    except ExtractError as error:
        raise StepFailed(f"extract: {error}") from None
    if report.failed:
        raise ExtractFailed(report)
    return report


def validate_step(
    paths: Paths, year: int | None = None, progress: Progress = _quiet, loaded_years: list[int] | None = None,
    engine: str | None = None,
):
    """Validate one year (None: all) on `engine` (None: $PERFDW_ENGINE or DuckDB). `loaded_years`:
    every year the load changed (default: `year`), so that a run over several years doesn't take
    its other years' changes for drift."""
    from perfdw.engines import get_engine

    with writer_lock(paths.writer_lock, progress=progress):
        summary = get_engine(engine).validate(paths, year, progress, loaded_years)
    if not summary.success:
        raise StepFailed(f"validate {year or 'all years'}: {_counted(len(summary.failures), 'failed expectation')}",
                         summary.failures)
    return summary


def publish_step(
    paths: Paths, metadata: dict | None = None, years: list[int] | None = None, engine: str | None = None
):
    """Publish the marts on `engine`; record the documents of `years` (None: all) as published.
    `years` are also what the load rebuilt, which an engine may publish alone."""
    from perfdw.dbt import MANIFEST
    from perfdw.engines import get_engine
    from perfdw.manifest import per_year_models
    from perfdw.published_documents import record_published_documents

    with writer_lock(paths.writer_lock):
        publication = get_engine(engine).publish(paths, metadata, per_year_models(MANIFEST), years)
        record_published_documents(paths.pipeline_db, paths.published_documents, years)
    return publication
