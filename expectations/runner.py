"""Run the suites with Great Expectations against the built warehouse; write Data Docs and JSON.

GX 1.x has no DuckDB data source that works (see STACK-NOTES), so each relation is read through a
read-only DuckDB connection into a pandas DataFrame and validated as a whole-DataFrame batch.
The differences being checked were computed exactly (DECIMAL) in dbt; only the comparison with
the tolerance happens here.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from perfdw.paths import Paths

# GX logs every data-docs page it renders; our own progress lines say what matters.
logging.getLogger("great_expectations").setLevel(logging.ERROR)


@dataclass
class ValidationSummary:
    success: bool
    validated_at: str
    fiscal_year: int | None
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    suites: dict[str, dict] = field(default_factory=dict)
    reconciliation: list[dict] = field(default_factory=list)
    data_docs: str | None = None
    summary_json: str | None = None


def _read(database: Path, relation: str, columns: list[str] | None, year: int | None) -> pd.DataFrame:
    selected = ", ".join(f'"{column}"' for column in columns) if columns else "*"
    with duckdb.connect(str(database), read_only=True) as con:
        if year is None:
            return con.execute(f"select {selected} from {relation}").df()
        return con.execute(f"select {selected} from {relation} where fiscal_year = ?", [year]).df()


def _reconciliation_lines(frame: pd.DataFrame, statuses: set[str]) -> list[str]:
    rows = frame[frame["status"].isin(statuses)]
    return [
        f"{row.source_file} · {row.unit_name if isinstance(row.unit_name, str) else '合计'} · "
        f"{row.amount_column}: printed "
        f"{row.printed_wan:,.2f}, summed {row.summed_wan:,.2f}, difference {row.difference_wan:+,.2f} 万元"
        + (f" (known: {row.known_reason})" if row.status == "known_discrepancy" else "")
        for row in rows.itertuples()
    ]


def _unexpected(result) -> str:
    details = result.result or {}
    sample = details.get("partial_unexpected_list") or details.get("observed_value")
    count = details.get("unexpected_count")
    column = result.expectation_config.kwargs.get("column", "")
    what = (result.expectation_config.meta or {}).get("checks", result.expectation_config.type)
    return f"{what} [{column}]: " + (f"{count} rows, e.g. {sample}" if count else f"observed {sample}")


def run_validation(
    paths: Paths, year: int | None = None, progress: Callable[[str], None] = lambda _: None
) -> ValidationSummary:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from expectations.suites import suites

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
    source = context.data_sources.add_pandas("warehouse")
    summary = ValidationSummary(
        success=True,
        validated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        fiscal_year=year,
    )
    with duckdb.connect(str(paths.pipeline_db), read_only=True) as con:
        taxonomy = con.execute("select category_level, category_code from marts.dim_indicator_category").fetchall()
    level1 = [code for level, code in taxonomy if level == 1]
    level2 = [code for level, code in taxonomy if level == 2]
    for suite in suites(level1, level2):
        if suite.full_load_only and year is not None:
            continue
        # One suite's frame at a time: a fact table of a province's corpus is large.
        frame = _read(paths.pipeline_db, suite.relation, suite.columns(), year)
        gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.name, expectations=suite.expectations))
        batch = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(name=suite.name, validation_definitions=[definition],
                          actions=[gx.checkpoint.UpdateDataDocsAction(name="docs")])
        )
        result = checkpoint.run(batch_parameters={"dataframe": frame})
        validation = next(iter(result.run_results.values()))
        failed = [r for r in validation.results if not r.success and r.expectation_config.severity.value == "critical"]
        warned = [r for r in validation.results if not r.success and r.expectation_config.severity.value != "critical"]
        summary.suites[suite.name] = {
            "relation": suite.relation, "rows": len(frame), "success": not failed,
            "evaluated": len(validation.results), "failed": len(failed), "warnings": len(warned),
        }
        if suite.name == "reconciliation":
            summary.reconciliation = [
                {key: (str(value) if value is not None else None) for key, value in row.items()}
                for row in frame.astype(object).where(frame.notna(), None).to_dict("records")
            ]
            summary.failures += _reconciliation_lines(frame, {"mismatch"})
            summary.warnings += _reconciliation_lines(frame, {"known_discrepancy"})
            failed = [r for r in failed if r.expectation_config.kwargs.get("column") != "status"]
            warned = []
        summary.failures += [f"{suite.name}: {_unexpected(r)}" for r in failed]
        summary.warnings += [f"{suite.name}: {_unexpected(r)}" for r in warned]
        progress(f"  {suite.name:<15} {len(frame):>6} rows  {'passed' if not failed else 'FAILED'}"
                 f"{f', {len(warned)} warnings' if warned else ''}")
    summary.success = not summary.failures
    index = docs_dir / "index.html"
    summary.data_docs = str(index) if index.exists() else None
    summary.summary_json = str(paths.validation_summary)
    Path(summary.summary_json).write_text(json.dumps(asdict(summary), ensure_ascii=False, indent=2), encoding="utf-8")
    return summary
