"""Validation (blocking Great Expectations checks) and the published serving copy.

What publishing waits for and what the checks are attached to both come from the dbt manifest:
every model of the published schema, whatever marts are added later.
"""


import dagster as dg
from dagster_dbt import get_asset_key_for_model

from expectations.suites import RELATION_MODELS
from orchestration.defs.dbt_assets import dbt_models
from orchestration.defs.extract_assets import BACKFILL, extract_failures_of_run
from orchestration.defs.project import dbt_project
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.years import fiscal_years_of_run_tags, years_of_run
from perfdw.manifest import published_models
from perfdw.pipeline import StepFailed, documents_not_loaded, publish_step, validate_step
from perfdw.progress import report, timed_step

# The suites validate marts built by the per-year models; their results gate publishing.
VALIDATED = {suite: get_asset_key_for_model([dbt_models], model) for suite, model in RELATION_MODELS.items()}
PUBLISHED = [get_asset_key_for_model([dbt_models], model) for model in published_models(dbt_project.manifest_path)]


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(name=f"gx_{suite}", asset=asset, blocking=True,
                          description=f"Great Expectations suite `{suite}` (expectations/suites.py)")
        for suite, asset in VALIDATED.items()
    ],
    name="great_expectations",
)
def great_expectations_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    years = years_of_run(context)
    summary = None
    for year in years:
        try:
            with timed_step(context.log.info, f"validate {year or 'all years'}"):
                loaded = None if year is None else [y for y in years if y is not None]
                summary = validate_step(warehouse.paths, year, context.log.info, loaded_years=loaded,
                                        engine=warehouse.engine_name)
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
def published_marts(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    years = fiscal_years_of_run_tags(context.run.tags)
    with timed_step(context.log.info, "publish"):
        publication = publish_step(warehouse.paths, {"run_id": context.run.run_id, "engine": warehouse.engine_name},
                                   years=years, engine=warehouse.engine_name)
        if publication.incremental:
            # Only a load of some years (never None) takes this path.
            report(context.log.info, f"publish: serving copy from the previous one, rows of fiscal "
                   f"{'year' if len(years) == 1 else 'years'} {', '.join(map(str, years))} "
                   "and the cross-year relations replaced")
        elif publication.full_copy_reason:
            report(context.log.info, f"publish: serving copy written whole ({publication.full_copy_reason})")
    yield dg.MaterializeResult(
        metadata={
            "database": dg.MetadataValue.path(str(publication.database)),
            "parquet": dg.MetadataValue.path(str(publication.parquet_dir)),
            "published_at": publication.published_at,
            "relations": len(publication.relations),
            "serving_copy": "incremental" if publication.incremental else "whole",
        }
    )
    # Everything else is published; the run still fails, naming the documents it could not load.
    failures = extract_failures_of_run(context)
    if failures:
        raise documents_not_loaded(failures)
