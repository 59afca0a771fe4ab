"""The yearly-load job, its daily schedule in publishing season, and the documents sensor."""


import json

import dagster as dg

from orchestration.defs.document_watch import scan_documents
from orchestration.defs.partitions import fiscal_year_partitions
from orchestration.defs.writer_executor import in_process_writer
from perfdw.paths import resolve_paths

load_fiscal_year = dg.define_asset_job(
    "load_fiscal_year",
    selection=dg.AssetSelection.all(),
    # One process: a load is a chain of steps on one DuckDB file, and the multiprocess
    # executor would spend 10–20 s starting each of them.
    executor_def=in_process_writer,
    description="Extract a fiscal year's documents, build its models and the cross-year marts, "
    "validate, publish.",
)


@dg.schedule(
    job=load_fiscal_year,
    # Budgets are published in the first months of the year: look every morning, January–April.
    cron_schedule="0 6 * 1-4 *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def publishing_season(context: dg.ScheduleEvaluationContext):
    year = str(context.scheduled_execution_time.year)
    return dg.RunRequest(partition_key=year, run_key=f"publishing-season-{context.scheduled_execution_time:%Y-%m-%d}")


@dg.sensor(job=load_fiscal_year, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def documents_folder(context: dg.SensorEvaluationContext):
    """A new, changed or removed document requests a load of its fiscal year."""
    previous = json.loads(context.cursor) if context.cursor else {}
    changes, state = scan_documents(resolve_paths().documents, previous)
    requests = []
    years = {key for key in fiscal_year_partitions.get_partition_keys()}
    for change in changes:
        if change.change == "refused" or change.fiscal_year is None:
            context.log.warning(f"{change.source_file} not loaded: {change.reason}")
            continue
        if str(change.fiscal_year) not in years:
            context.log.warning(f"{change.source_file}: fiscal year {change.fiscal_year} has no partition")
            continue
        requests.append(dg.RunRequest(partition_key=str(change.fiscal_year), run_key=change.run_key,
                                      tags={"perfdw/document": change.source_file, "perfdw/change": change.change}))
    context.update_cursor(json.dumps(state))
    if not requests:
        return dg.SkipReason("no new, changed or removed document")
    return requests
