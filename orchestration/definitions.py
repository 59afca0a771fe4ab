"""Everything Dagster loads: `dagster dev` from the repo root finds this through pyproject.toml.

Every module of orchestration/defs/ (the project's defs folder, named in pyproject.toml) is
scanned for assets, checks, jobs, schedules, sensors and `@dg.definitions` (the resources, the
writer-lock executor): a new file there is picked up with no list to update.
"""

from __future__ import annotations

import dagster as dg

from perfdw.paths import PROJECT_ROOT

defs = dg.load_from_defs_folder(path_within_project=PROJECT_ROOT)
