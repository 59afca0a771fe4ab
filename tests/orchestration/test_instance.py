"""The project's Dagster instance settings reach the instance `perfdw dagster` runs."""

from __future__ import annotations

import yaml

from orchestration.instance import PROJECT_SETTINGS, prepare_instance

PROJECT = yaml.safe_load(PROJECT_SETTINGS.read_text(encoding="utf-8"))


def test_a_new_instance_folder_gets_the_project_settings(tmp_path):
    home = tmp_path / "dagster"
    assert prepare_instance(home, chosen_by_user=True) == []
    assert yaml.safe_load((home / "dagster.yaml").read_text(encoding="utf-8")) == PROJECT
    assert PROJECT["concurrency"]["runs"]["max_concurrent_runs"] == 1
    assert PROJECT["telemetry"]["enabled"] is False


def test_a_users_own_instance_settings_are_kept_and_what_they_lack_is_named(tmp_path):
    home = tmp_path / "mine"
    home.mkdir()
    own = "telemetry:\n  enabled: true\npython_logs:\n  python_log_level: INFO\n"
    (home / "dagster.yaml").write_text(own, encoding="utf-8")
    warnings = prepare_instance(home, chosen_by_user=True)
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == own
    text = "\n".join(warnings)
    assert str(home / "dagster.yaml") in warnings[0]
    assert "concurrency.runs.max_concurrent_runs: 1 (yours: absent)" in text
    assert "concurrency.pools.default_limit: 1 (yours: absent)" in text
    assert "telemetry.enabled: False (yours: True)" in text


def test_our_own_instance_folder_is_brought_up_to_the_project_settings_keeping_the_rest(tmp_path):
    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "concurrency:\n  runs:\n    max_concurrent_runs: 4\npython_logs:\n  python_log_level: INFO\n", encoding="utf-8"
    )
    assert prepare_instance(home, chosen_by_user=False) == []
    written = yaml.safe_load((home / "dagster.yaml").read_text(encoding="utf-8"))
    assert written["python_logs"] == {"python_log_level": "INFO"}
    assert prepare_instance(home, chosen_by_user=True) == []  # nothing left to warn about
    assert written["concurrency"]["runs"]["max_concurrent_runs"] == 1
