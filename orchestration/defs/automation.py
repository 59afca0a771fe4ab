"""The yearly-load job, its daily schedule in publishing season, and the documents sensor."""


import json

import dagster as dg

from orchestration.defs.document_watch import scan_documents, years_to_load
from orchestration.defs.partitions import fiscal_year_partitions
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.writer_executor import in_process_writer
from perfdw.published_documents import read_published_documents

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
def documents_folder(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """A fiscal year whose documents differ from those its published marts were built from
    requests one load of that year (orchestration/defs/document_watch.py)."""
    cursor = json.loads(context.cursor) if context.cursor else {}
    # The cursor caches each file's hash and fiscal year, so an unchanged file isn't parsed again,
    # and the run keys already requested; what is loaded comes from the warehouse.
    previous, requested = cursor.get("files", {}), cursor.get("requested", {})
    paths = warehouse.paths
    changes, state = scan_documents(paths.documents, previous)
    for change in changes:
        if change.change == "refused":
            year = f" (fiscal year {change.fiscal_year} in the catalog)" if change.fiscal_year else ""
            context.log.warning(f"{change.source_file} not loaded{year}: {change.reason}")
    years = set(fiscal_year_partitions.get_partition_keys())
    requests, pending = [], {}
    for load in years_to_load(state, read_published_documents(paths.published_documents)):
        year = str(load.fiscal_year)
        pending[year] = load.run_key
        if requested.get(year) == load.run_key:
            continue
        if year not in years:
            context.log.warning(f"fiscal year {year} has no partition: {', '.join(load.differences)}")
            continue
        requests.append(dg.RunRequest(
            partition_key=year, run_key=load.run_key,
            # Dagster caps a tag value at 255 characters.
            tags={"perfdw/documents": "; ".join(load.differences)[:255]},
        ))
    context.update_cursor(json.dumps({"files": state, "requested": pending}))
    if not requests:
        return dg.SkipReason("every fiscal year's documents are published or their load was requested")
    return requests
