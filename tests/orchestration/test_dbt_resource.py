"""The dbt resource skips dagster-dbt's `dbt --version` probe and adapter set-up, and stays right."""

from __future__ import annotations

import inspect
import re
import subprocess

from dagster_dbt import DbtCliResource
from dagster_dbt.core import resource as dagster_dbt_resource

from orchestration.defs.project import dbt_project, dbt_resource
from perfdw.dbt import dbt_executable


def test_the_version_it_reports_is_the_one_dbt_prints():
    printed = subprocess.run([dbt_executable(), "--version"], capture_output=True, text=True, check=True).stdout
    core = re.search(r"installed: (\d+\.\d+\.\d+)", printed)[1]
    assert str(dbt_resource._cli_version) == core


def test_what_it_overrides_is_what_dagster_dbt_calls_before_each_invocation():
    # If dagster-dbt renames these, the overrides would silently stop applying.
    calls = inspect.getsource(DbtCliResource.cli)
    for member in ("_cli_version", "_initialize_dbt_core_adapter"):
        assert member in vars(DbtCliResource)
        assert f"self.{member}" in calls


def test_an_invocation_runs_dbt_once_and_has_no_adapter(tmp_path, monkeypatch):
    def no_probe(*args, **kwargs):
        raise AssertionError(f"dbt probed with {args}")

    monkeypatch.setattr(dagster_dbt_resource, "check_output", no_probe)
    monkeypatch.setenv("PERFDW_HOME", str(tmp_path / "home"))
    fresh = dbt_resource.model_copy()  # its own, not yet computed, cached version

    invocation = fresh.cli(["parse"], manifest=dbt_project.manifest_path, target_path=tmp_path / "target")
    invocation.wait()

    assert invocation.is_successful()
    assert invocation.adapter is None
    assert (tmp_path / "target" / "manifest.json").exists()

