"""The dbt project as Dagster sees it, and the paths every asset shares."""

from __future__ import annotations

import os
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.defs.dbt_resource import VenvDbtCliResource
from perfdw.paths import PROJECT_ROOT, resolve_paths
from perfdw.pipeline import dbt_executable

# prepare_if_dev() runs `dbt parse` with whichever `dbt` is on PATH; make that this venv's, so
# `.venv/bin/dagster dev` works without an activated venv.
os.environ["PATH"] = os.pathsep.join([str(Path(dbt_executable()).parent), os.environ.get("PATH", "")])

dbt_project = DbtProject(project_dir=PROJECT_ROOT, profiles_dir=PROJECT_ROOT)
# Under `dagster dev` this (re)builds target/manifest.json; tests and CI run `dbt parse` first.
dbt_project.prepare_if_dev()

dbt_resource = VenvDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())

# Every asset that writes the pipeline's database runs in this pool; its limit of 1
# (dagster.yaml) keeps two loads from ever writing at once.
WAREHOUSE_POOL = "perfdw_warehouse"


def paths():
    """Resolved at run time, so PERFDW_HOME / PERFDW_DOCUMENTS of the running process apply."""
    return resolve_paths()
