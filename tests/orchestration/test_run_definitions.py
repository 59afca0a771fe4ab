"""`perfdw run` executes the same definitions `dagster dev` loads, without the UI's component library."""

from __future__ import annotations

import dagster as dg


def _contents(defs: dg.Definitions) -> dict[str, list[str]]:
    repository = defs.get_repository_def()
    job = defs.resolve_job_def("load_fiscal_year")
    return {
        "assets": sorted(key.to_user_string() for key in defs.resolve_all_asset_keys()),
        "checks": sorted(key.to_user_string() for key in defs.resolve_asset_graph().asset_check_keys),
        "jobs": sorted(repository.job_names),
        "sensors": sorted(sensor.name for sensor in repository.sensor_defs),
        "schedules": sorted(schedule.name for schedule in repository.schedule_defs),
        "resources": sorted(repository.get_top_level_resources()),
        "load job executor": [job.executor_def.name],
        "load job steps": sorted(job.graph.node_dict),
    }


def test_a_run_executes_every_definition_dagster_dev_loads():
    from orchestration.definitions import defs as loaded_by_dagster_dev
    from orchestration.execute import run_definitions

    executed = run_definitions()
    expected = _contents(loaded_by_dagster_dev)
    assert _contents(executed) == expected
    assert "dbt_models" in expected["load job steps"] and "documents_folder" in expected["sensors"]
    # what the run leaves out: the component types' schemas, which only the UI reads
    assert "plugin_component_types_json" in loaded_by_dagster_dev.metadata
    assert "plugin_component_types_json" not in executed.metadata
