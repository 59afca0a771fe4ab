"""The documents folder and the raw tables the extract step lands from it."""


import warnings

import dagster as dg

from extract.landing import RAW_TABLES
from orchestration.defs.partitions import fiscal_year_partitions
from orchestration.defs.project import WAREHOUSE_POOL
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.years import years_of_run
from perfdw.pipeline import ExtractFailed, extract_step
from perfdw.progress import report as report_progress
from perfdw.progress import timed_step

# A backfill over 2023–2026 is one run (one extract, one dbt build), not four. Dagster marks the
# `backfill_policy` parameter beta and says so at every import, i.e. in every `perfdw run`'s
# output; we chose it knowingly and pin the version, so the warning is noise to users.
BACKFILL = dg.BackfillPolicy.single_run()
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

source_documents = dg.AssetSpec(
    key=["source_documents"],
    description="项目支出绩效目标表 — the documents folder ($PERFDW_DOCUMENTS) and its catalog.toml.",
    group_name="extract",
    kinds={"file"},
)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(key=["raw", table], deps=[source_documents], group_name="extract", kinds={"duckdb"})
        for table in RAW_TABLES
    ],
    partitions_def=fiscal_year_partitions,
    backfill_policy=BACKFILL,
    pool=WAREHOUSE_POOL,
    can_subset=False,
)
def raw_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """perfdw extract: decode, detect the layout, parse and land each document of the year."""
    outcomes, failures = [], []
    for year in years_of_run(context):
        with timed_step(context.log.info, f"extract {year or 'all years'}"):
            try:
                report = extract_step(warehouse.paths, year, context.log.info)
            except ExtractFailed as failure:
                # The other documents landed: the run builds and publishes them, then fails
                # naming this (published_marts). Stopping here would leave them in raw but in no
                # model, and the next load of another year would fail on that.
                for line in str(failure).splitlines():
                    report_progress(context.log.warning, f"error: {line}")
                report, failures = failure.report, [*failures, *failure.reasons]
        outcomes += [o for o in report.outcomes if o.status in ("loaded", "unchanged")]
    counts = {
        "documents": len(outcomes),
        "projects": sum(o.projects for o in outcomes),
        "indicators": sum(o.indicators for o in outcomes),
        "unit_indicators": sum(o.unit_indicators for o in outcomes),
        "unparsed_lines": sum(o.unparsed_lines for o in outcomes),
    }
    by_year: dict[str, dict[str, int]] = {}
    for o in outcomes:
        year = by_year.setdefault(str(o.fiscal_year), {"documents": 0, "projects": 0, "indicators": 0})
        year["documents"] += 1
        year["projects"] += o.projects
        year["indicators"] += o.indicators
    for table in RAW_TABLES:
        yield dg.MaterializeResult(
            asset_key=["raw", table],
            metadata={**counts, "rows_by_year": dg.MetadataValue.json(by_year),
                      **({FAILED_DOCUMENTS: dg.MetadataValue.json(failures)} if failures else {})},
        )


FAILED_DOCUMENTS = "failed_documents"


def extract_failures_of_run(context: dg.AssetExecutionContext) -> list[str]:
    """The extract errors of this run, one per document, as raw_tables recorded them on its
    materializations."""
    records = context.instance.get_records_for_run(
        context.run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    ).records
    for record in records:
        materialization = record.event_log_entry.asset_materialization
        if materialization is not None and FAILED_DOCUMENTS in materialization.metadata:
            return list(materialization.metadata[FAILED_DOCUMENTS].value)
    return []
