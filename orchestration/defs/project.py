"""The dbt project as Dagster sees it."""

from __future__ import annotations

from dagster_dbt import DbtProject

from orchestration.defs.dbt_resource import VenvDbtCliResource
from perfdw.dbt import dbt_executable, prepare_manifest
from perfdw.paths import PROJECT_ROOT

# The manifest is (re)parsed here, the one place, whoever loads the definitions: `dagster dev`,
# `perfdw run`, the benchmark, the tests.
prepare_manifest()
dbt_project = DbtProject(project_dir=PROJECT_ROOT, profiles_dir=PROJECT_ROOT)
dbt_resource = VenvDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())

# Every asset that writes the pipeline's database runs in this pool; its limit of 1
# (dagster.yaml) keeps two loads from ever writing at once.
WAREHOUSE_POOL = "perfdw_warehouse"
