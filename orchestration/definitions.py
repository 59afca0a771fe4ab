"""Everything Dagster loads: `dagster dev` from the repo root finds this through pyproject.toml.

Every module of orchestration/defs/ is scanned for assets, checks, jobs, schedules, sensors and
`@dg.definitions` (the resources): a new file there is picked up with no list to update.
"""

from __future__ import annotations

import dagster as dg

import orchestration.defs

defs = dg.load_defs(defs_root=orchestration.defs)
