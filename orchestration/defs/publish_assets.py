"""Validation (blocking Great Expectations checks) and the published serving copy."""


import dagster as dg

from orchestration.defs.extract_assets import BACKFILL, extract_failures_of_run
from orchestration.defs.project import paths
from orchestration.defs.years import fiscal_years_of_run_tags, years_of_run
from perfdw.pipeline import StepFailed, publish_step, validate_step
from perfdw.progress import timed_step

# The suites validate marts built by the per-year models; their results gate publishing.
VALIDATED = {
    "reconciliation": dg.AssetKey(["marts", "rpt_reconciliation"]),
    "projects": dg.AssetKey(["marts", "fct_project_budget"]),
    "indicators": dg.AssetKey(["marts", "fct_performance_indicator"]),
    "years": dg.AssetKey(["marts", "dim_document"]),
}
# Publishing waits for every mart; the dbt keys are [schema, model].
PUBLISHED = [dg.AssetKey(["marts", name]) for name in (
    "rpt_reconciliation", "fct_project_budget", "fct_performance_indicator", "dim_document", "dim_unit",
    "dim_area", "dim_program", "dim_indicator_category", "mart_spend_by_unit_year",
    "mart_indicator_coverage", "mart_yoy_spend",
)]


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(name=f"gx_{suite}", asset=asset, blocking=True,
                          description=f"Great Expectations suite `{suite}` (expectations/suites.py)")
        for suite, asset in VALIDATED.items()
    ],
    name="great_expectations",
)
def great_expectations_checks(context: dg.AssetCheckExecutionContext):
    years = years_of_run(context)
    summary = None
    for year in years:
        try:
            with timed_step(context.log.info, f"validate {year or 'all years'}"):
                summary = validate_step(paths(), year, context.log.info)
        except StepFailed as failure:
            context.log.error(str(failure))
            for suite, asset in VALIDATED.items():
                yield dg.AssetCheckResult(
                    check_name=f"gx_{suite}", asset_key=asset, passed=False,
                    metadata={"failure": str(failure)},
                )
            return
    for suite, asset in VALIDATED.items():
        result = summary.suites.get(suite, {"success": True, "skipped": "full load only"})
        yield dg.AssetCheckResult(
            check_name=f"gx_{suite}", asset_key=asset, passed=bool(result["success"]),
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                **{k: v for k, v in result.items() if isinstance(v, (int, str, bool))},
                "warnings": dg.MetadataValue.json([w for w in summary.warnings if suite in w or suite == "reconciliation"]),
                "data_docs": dg.MetadataValue.path(summary.data_docs or ""),
                "summary_json": dg.MetadataValue.path(summary.summary_json or ""),
            },
        )


@dg.asset(
    key=["published_marts"],
    deps=PUBLISHED,
    group_name="publish",
    kinds={"duckdb", "parquet"},
    backfill_policy=BACKFILL,
    description="发布 — the read-only serving copy $PERFDW_HOME/perfdw.duckdb and Parquet files of every mart.",
)
def published_marts(context: dg.AssetExecutionContext):
    with timed_step(context.log.info, "publish"):
        publication = publish_step(paths(), {"run_id": context.run.run_id},
                                   years=fiscal_years_of_run_tags(context.run.tags))
    yield dg.MaterializeResult(
        metadata={
            "database": dg.MetadataValue.path(str(publication.database)),
            "parquet": dg.MetadataValue.path(str(publication.parquet_dir)),
            "published_at": publication.published_at,
            "relations": len(publication.relations),
        }
    )
    # Everything else is published; the run still fails, naming the documents it could not load.
    failures = extract_failures_of_run(context)
    if failures:
        raise StepFailed("; ".join(failures) + " (every other document was loaded and published)")
