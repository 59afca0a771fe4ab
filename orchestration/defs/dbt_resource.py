"""dagster-dbt's dbt resource without the two probes it makes before every dbt invocation.

Before each `dbt build`, DbtCliResource runs `dbt --version` in a subprocess (1.6 s here) to
learn which dbt it drives, and loads the dbt project and its macros in this process (0.9 s)
to hand an adapter to the invocation. The first answer is known without asking: the `dbt`
executable is dbt-core from this same venv (perfdw.dbt.dbt_executable). The adapter
serves only to fetch row counts and column metadata, which our assets don't ask for. On a
20-second load, those 2.5 s were an eighth of the time (bench/PERFORMANCE.md).

Both are private members of dagster-dbt 0.29 (pinned); tests/orchestration/test_dbt_resource.py
fails if they move, rather than letting the probes silently come back.
"""

from __future__ import annotations

from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging.version import Version


class VenvDbtCliResource(DbtCliResource):
    """A DbtCliResource for the dbt-core installed alongside it, with no adapter handle."""

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - dagster-dbt's signature
        return None
