"""Which one-year loads may skip the seeds: only with the state of a build the warehouse still holds."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from perfdw.dbt import build_args, record_state, reusable_state
from perfdw.paths import Paths

SEED = {"resource_type": "seed", "schema": "seeds", "alias": "target_units"}
MODEL = {"resource_type": "model", "schema": "marts", "alias": "dim_unit"}


def _warehouse(tmp_path: Path, tables: list[str]) -> Paths:
    paths = Paths(home=tmp_path / "home", documents=tmp_path / "documents")
    paths.home.mkdir()
    with duckdb.connect(str(paths.pipeline_db)) as con:
        for table in tables:
            schema, name = table.split(".")
            con.execute(f"create schema if not exists {schema}")
            con.execute(f"create table {schema}.{name} (x int)")
    return paths


def _built(paths: Paths) -> None:
    """What a successful dbt build leaves: its manifest in the target folder, kept as state."""
    target = paths.dbt_target()
    target.mkdir(parents=True, exist_ok=True)
    (target / "manifest.json").write_text(json.dumps({"nodes": {"seed.a": SEED, "model.b": MODEL}}))
    record_state(paths)


def test_a_year_load_after_a_build_skips_the_unchanged_seeds(tmp_path):
    paths = _warehouse(tmp_path, ["seeds.target_units"])
    assert reusable_state(paths, 2024) is None  # never built: everything
    _built(paths)
    state = reusable_state(paths, 2024)
    assert state == paths.dbt_state
    args = build_args(paths, 2024, state)
    assert args[args.index("--state") + 1] == str(paths.dbt_state)
    assert args[args.index("--exclude") + 1].split()[0] == "resource_type:seed,state:unmodified"
    assert args[args.index("--indirect-selection") + 1] == "cautious"


def test_a_full_load_rebuilds_everything(tmp_path):
    paths = _warehouse(tmp_path, ["seeds.target_units"])
    _built(paths)
    assert reusable_state(paths, None) is None
    args = build_args(paths, None, reusable_state(paths, None))
    assert "--state" not in args
    # only the checks the single_table_checks groups run (perfdw.grouped_checks), no seed
    assert "state:unmodified" not in args[args.index("--exclude") + 1]


def test_a_warehouse_that_lost_its_seeds_builds_them_again(tmp_path):
    paths = _warehouse(tmp_path, ["marts.dim_unit"])
    _built(paths)
    assert reusable_state(paths, 2024) is None


def test_a_damaged_state_builds_the_seeds_again(tmp_path):
    paths = _warehouse(tmp_path, ["seeds.target_units"])
    _built(paths)
    state = paths.dbt_state / "manifest.json"
    state.write_text(state.read_text()[:20])
    assert reusable_state(paths, 2024) is None
