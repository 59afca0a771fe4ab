"""Run the suites with Great Expectations against the built warehouse; write Data Docs and JSON.

GX 1.x has no DuckDB data source that works (see STACK-NOTES), so on DuckDB each suite's frame
is read through a read-only DuckDB connection into a pandas DataFrame and validated as a
whole-DataFrame batch. Other engines validate through GX's own data source for them: they give
`run_validation` a `Batches` (e.g. expectations/postgres_source.py). The differences being
checked were computed exactly (DECIMAL) in SQL; only the comparison with the tolerances happens here.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pandas as pd

from expectations.frames import published_comparison, read_model
from expectations.suites import FROM_PUBLISHED, Suite, suites
from perfdw.paths import Paths

# GX logs every data-docs page it renders; our own progress lines say what matters.
logging.getLogger("great_expectations").setLevel(logging.ERROR)
# A message names each flagged row up to this many per expectation, then counts the rest.
MAX_ROWS_NAMED = 20


@dataclass
class ValidationSummary:
    success: bool
    validated_at: str
    fiscal_year: int | None
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    suites: dict[str, dict] = field(default_factory=dict)
    reconciliation: list[dict] = field(default_factory=list)
    data_docs: str | None = None
    summary_json: str | None = None


@dataclass
class SuiteBatch:
    """What GX validates for one suite, on whichever data source the engine has."""

    definition: Any  # a GX batch definition
    parameters: dict[str, Any]  # its batch parameters
    rows: Sequence[dict[str, Any]]  # the rows validated, to name the flagged ones
    # The position in `rows` of each row an expectation flagged, from GX's unexpected_index_list.
    flagged: Callable[[list[Any]], list[int]]
    result_format: dict[str, Any] = field(default_factory=dict)  # added to COMPLETE


class Batches(Protocol):
    """An engine's way to give each suite its batch."""

    errors: tuple[type[Exception], ...]  # what a failed read raises

    def location(self, suite: Suite) -> str:
        """Where the suite's rows are read, for messages."""

    def batch(self, context, suite: Suite, year: int | None, loaded_years: Sequence[int] | None,
              notes: list[str]) -> SuiteBatch | None:
        """The suite's batch; None when there is nothing to compare with (a note says why)."""


class DuckDBBatches:
    """DuckDB: pandas DataFrames read from the pipeline's file (and the published copy)."""

    errors = (duckdb.Error,)

    def __init__(self, paths: Paths):
        self.paths = paths
        self.source = None

    def location(self, suite: Suite) -> str:
        read = self.paths.published_db if suite.source == FROM_PUBLISHED else self.paths.pipeline_db
        return f"marts.{suite.relation_model} of {read}"

    def batch(self, context, suite: Suite, year: int | None, loaded_years: Sequence[int] | None,
              notes: list[str]) -> SuiteBatch | None:
        frame = _frame(suite, self.paths, year, loaded_years, notes)
        if frame is None:
            return None
        if self.source is None:
            self.source = context.data_sources.add_pandas("warehouse")
        definition = self.source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("all")
        # GX names a flagged row of a DataFrame by its index, here 0 … n-1.
        return SuiteBatch(definition, {"dataframe": frame}, FrameRows(frame),
                          lambda indexes: [int(index) for index in indexes])


class FrameRows(Sequence[dict[str, Any]]):
    """A DataFrame's rows as dicts, each made when asked for: messages name only the rows an
    expectation flagged, and a dict per row of every frame was a third of validation's time at
    scale 1000 (hundreds of thousands of rows)."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def __len__(self) -> int:
        return len(self.frame)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.frame.iloc[index].to_dict()

    def __iter__(self):
        return iter(self.frame.to_dict("records"))


def _rows_named(result, batch: SuiteBatch, describe: Callable[[dict], str]) -> list[str]:
    """One line per row the expectation flagged, from the batch's rows."""
    indexes = batch.flagged((result.result or {}).get("unexpected_index_list") or [])
    lines = [describe(batch.rows[index]) for index in indexes[:MAX_ROWS_NAMED]]
    if len(indexes) > MAX_ROWS_NAMED:
        lines.append(f"… and {len(indexes) - MAX_ROWS_NAMED} more")
    if not indexes:  # GX could not evaluate the expectation at all
        lines.append(f"not evaluated: {(result.exception_info or {}).get('exception_message')}")
    return lines


def _messages(suite_name: str, result, batch: SuiteBatch, describe: Callable[[dict], str]) -> list[str]:
    checks = (result.expectation_config.meta or {}).get("checks", result.expectation_config.type)
    return [f"{suite_name}: {checks}: {line}" for line in _rows_named(result, batch, describe)]


def _frame(
    suite: Suite, paths: Paths, year: int | None, loaded_years: Sequence[int] | None, notes: list[str]
) -> pd.DataFrame | None:
    """The rows the suite validates; None when there is nothing to compare with."""
    if suite.source != FROM_PUBLISHED:
        return read_model(paths.pipeline_db, suite.relation_model, suite.years(year))
    if not paths.published_db.is_file():
        notes.append(f"{suite.name}: no previous load ({paths.published_db} does not exist): nothing to compare")
        return None
    return published_comparison(paths.pipeline_db, paths.published_db, loaded_years)


def import_gx():
    """great_expectations, imported without pyspark unless this process already uses Spark.

    GX imports every backend it finds installed; pyspark alone (installed with the Spark
    engine's extra) adds 2-3 s to every DuckDB or PostgreSQL validation that never touches
    it. The Spark engine validates in its own worker process, which has pyspark loaded
    before it gets here.
    """
    import sys

    if "great_expectations" in sys.modules or "pyspark" in sys.modules:
        import great_expectations

        return great_expectations
    sys.modules["pyspark"] = None  # an import of it now raises ImportError, as if absent
    try:
        import great_expectations
    finally:
        del sys.modules["pyspark"]
    return great_expectations


def run_validation(
    paths: Paths,
    year: int | None = None,
    progress: Callable[[str], None] = lambda _: None,
    loaded_years: Sequence[int] | None = None,
    batches: Batches | None = None,
) -> ValidationSummary:
    """Validate the pipeline's warehouse after a load of `year` (None: every year).

    loaded_years: the fiscal years this load rebuilt, which may differ from the published copy
    (default: `year`, or every year); every other year must be exactly as published.
    batches: the engine's data source (default: DuckDB's pipeline file through pandas).
    """
    gx = import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if loaded_years is None and year is not None:
        loaded_years = [year]
    out = paths.validation_dir
    docs_dir = paths.data_docs_dir
    shutil.rmtree(docs_dir, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        site_name="perfdw",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    batches = batches or DuckDBBatches(paths)
    summary = ValidationSummary(
        success=True,
        validated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        fiscal_year=year,
    )
    for suite in suites():
        try:
            batch = batches.batch(context, suite, year, loaded_years, summary.notes)
        except batches.errors as error:
            summary.failures.append(f"{suite.name}: cannot read {batches.location(suite)}: {error}")
            summary.suites[suite.name] = {"relation": f"marts.{suite.relation_model}", "success": False}
            progress(f"  {suite.name:<15} FAILED: cannot read its rows")
            continue
        if batch is None:
            summary.suites[suite.name] = {"relation": f"marts.{suite.relation_model}", "success": True,
                                          "skipped": "no previous load"}
            progress(f"  {suite.name:<15} no previous load: nothing to compare")
            continue
        gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.name, expectations=suite.expectations))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch.definition, suite=gx_suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(name=suite.name, validation_definitions=[definition],
                          # COMPLETE: the index of every flagged row, so messages can name them
                          result_format={"result_format": "COMPLETE", **batch.result_format})
        )
        result = checkpoint.run(batch_parameters=batch.parameters)
        validation = next(iter(result.run_results.values()))
        failed = [r for r in validation.results if not r.success and r.expectation_config.severity.value == "critical"]
        warned = [r for r in validation.results if not r.success and r.expectation_config.severity.value != "critical"]
        summary.suites[suite.name] = {
            "relation": f"marts.{suite.relation_model}", "rows": len(batch.rows), "success": not failed,
            "evaluated": len(validation.results), "failed": len(failed), "warnings": len(warned),
        }
        if suite.name == "reconciliation":
            summary.reconciliation = [
                {key: (str(value) if value is not None else None) for key, value in row.items()}
                for row in batch.rows
            ]
        for r in failed:
            summary.failures += _messages(suite.name, r, batch, suite.describe)
        for r in warned:
            summary.warnings += _messages(suite.name, r, batch, suite.describe)
        progress(f"  {suite.name:<15} {len(batch.rows):>6} rows  {'passed' if not failed else 'FAILED'}"
                 f"{f', {len(warned)} warnings' if warned else ''}")
    summary.success = not summary.failures
    # Once for every suite: each build renders the site's index again (GX compiles its page
    # templates anew for every page), which per suite was most of validation's time.
    context.build_data_docs(site_names=["perfdw"])
    index = docs_dir / "index.html"
    summary.data_docs = str(index) if index.exists() else None
    summary.summary_json = str(paths.validation_summary)
    Path(summary.summary_json).write_text(
        # Its fields are JSON already: asdict() would deep-copy every reconciliation row first.
        json.dumps({f.name: getattr(summary, f.name) for f in fields(summary)}, ensure_ascii=False, indent=2,
                   default=str), encoding="utf-8"
    )
    return summary
