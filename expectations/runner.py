"""Run the suites with Great Expectations against the built warehouse; write Data Docs and JSON.

GX 1.x has no DuckDB data source that works (see STACK-NOTES), so on DuckDB each suite's frame
is read through a read-only DuckDB connection into a pandas DataFrame and validated as a
whole-DataFrame batch; another engine brings its own `Frames` (GX's data source for it, e.g.
expectations/spark_source.py). The differences being checked were computed exactly (DECIMAL)
in SQL; only the comparison with the tolerances happens here.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

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
    """One suite's rows: what GX validates, and the same rows as Python values for messages."""

    data: object  # the batch parameter `dataframe`: a pandas or a Spark DataFrame
    rows: list[dict]  # in the order GX's row index counts them
    # GX's unexpected_index_column_names: a column holding each row's position in `rows`
    # (a Spark DataFrame has no index of its own); None: the DataFrame's own index.
    index_column: str | None = None

    def row(self, index: object) -> dict:
        return self.rows[index[self.index_column] if self.index_column else index]


class Frames(Protocol):
    """Where the suites' rows come from: DuckDB into pandas here, Spark (expectations/spark_source)."""

    read_errors: tuple[type[Exception], ...]

    def add_source(self, context): ...

    def batch(self, suite: Suite, paths: Paths, year: int | None, loaded_years: Sequence[int] | None,
              notes: list[str]) -> SuiteBatch | None: ...

    def location(self, suite: Suite, paths: Paths) -> str: ...


class DuckDBFrames:
    """GX 1.x has no working DuckDB source: rows are read into pandas (see the module's doc)."""

    read_errors = (duckdb.Error,)

    def add_source(self, context):
        return context.data_sources.add_pandas("warehouse")

    def batch(self, suite, paths, year, loaded_years, notes):
        frame = _frame(suite, paths, year, loaded_years, notes)
        return None if frame is None else SuiteBatch(frame, frame.to_dict("records"))

    def location(self, suite, paths):
        read = paths.published_db if suite.source == FROM_PUBLISHED else paths.pipeline_db
        return f"marts.{suite.relation_model} of {read}"


def _rows_named(result, batch: SuiteBatch, describe: Callable[[dict], str]) -> list[str]:
    """One line per row the expectation flagged (GX gives their index)."""
    indexes = (result.result or {}).get("unexpected_index_list") or []
    lines = [describe(batch.row(index)) for index in indexes[:MAX_ROWS_NAMED]]
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


def run_validation(
    paths: Paths,
    year: int | None = None,
    progress: Callable[[str], None] = lambda _: None,
    loaded_years: Sequence[int] | None = None,
    frames: Frames | None = None,
) -> ValidationSummary:
    """Validate the pipeline's warehouse after a load of `year` (None: every year).

    loaded_years: the fiscal years this load rebuilt, which may differ from the published copy
    (default: `year`, or every year); every other year must be exactly as published.
    frames: where the rows come from (default: DuckDB's pipeline file, through pandas).
    """
    import great_expectations as gx
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
    frames = frames or DuckDBFrames()
    source = frames.add_source(context)
    summary = ValidationSummary(
        success=True,
        validated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        fiscal_year=year,
    )
    for suite in suites():
        try:
            batch = frames.batch(suite, paths, year, loaded_years, summary.notes)
        except frames.read_errors as error:
            summary.failures.append(f"{suite.name}: cannot read {frames.location(suite, paths)}: {error}")
            summary.suites[suite.name] = {"relation": f"marts.{suite.relation_model}", "success": False}
            progress(f"  {suite.name:<15} FAILED: cannot read its rows")
            continue
        if batch is None:
            summary.suites[suite.name] = {"relation": f"marts.{suite.relation_model}", "success": True,
                                          "skipped": "no previous load"}
            progress(f"  {suite.name:<15} no previous load: nothing to compare")
            continue
        gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.name, expectations=suite.expectations))
        whole = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=whole, suite=gx_suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(name=suite.name, validation_definitions=[definition],
                          actions=[gx.checkpoint.UpdateDataDocsAction(name="docs")],
                          # COMPLETE: the index of every flagged row, so messages can name them
                          result_format={"result_format": "COMPLETE", **(
                              {"unexpected_index_column_names": [batch.index_column]} if batch.index_column else {})})
        )
        result = checkpoint.run(batch_parameters={"dataframe": batch.data})
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
    index = docs_dir / "index.html"
    summary.data_docs = str(index) if index.exists() else None
    summary.summary_json = str(paths.validation_summary)
    Path(summary.summary_json).write_text(
        json.dumps(asdict(summary), ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    return summary
