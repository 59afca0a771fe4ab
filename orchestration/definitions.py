"""Everything Dagster loads: `dagster dev` from the repo root finds this through pyproject.toml."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.automation import documents_folder, load_fiscal_year, publishing_season
from orchestration.defs.dbt_assets import dbt_models
from orchestration.defs.extract_assets import raw_tables, source_documents
from orchestration.defs.project import dbt_resource
from orchestration.defs.publish_assets import great_expectations_checks, published_marts

defs = dg.Definitions(
    assets=[source_documents, raw_tables, dbt_models, published_marts],
    asset_checks=[great_expectations_checks],
    jobs=[load_fiscal_year],
    schedules=[publishing_season],
    sensors=[documents_folder],
    resources={"dbt": dbt_resource},
)
