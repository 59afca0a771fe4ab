"""Everything Dagster loads: `dagster dev` from the repo root finds this through pyproject.toml."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.automation import documents_folder, load_fiscal_year, publishing_season
from orchestration.defs.dbt_assets import dbt_models
from orchestration.defs.extract_assets import raw_tables, source_documents
from orchestration.defs.project import dbt_resource
from orchestration.defs.publish_assets import great_expectations_checks, published_marts
from orchestration.defs.writer_executor import in_process_writer

defs = dg.Definitions(
    assets=[source_documents, raw_tables, dbt_models, published_marts],
    asset_checks=[great_expectations_checks],
    jobs=[load_fiscal_year],
    schedules=[publishing_season],
    sensors=[documents_folder],
    resources={"dbt": dbt_resource},
    # Also for the jobs Dagster makes itself (materializing assets from the UI, asset backfills):
    # one process that holds the warehouse's writer lock for the whole run.
    executor=in_process_writer,
)
