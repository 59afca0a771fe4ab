"""The Dagster definitions: they load, a partition materializes in-process, loads are
idempotent, a year-by-year backfill equals `perfdw run`, and `dagster dev` serves and runs them."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import dagster as dg
import duckdb

from expectations.suites import RELATION_MODELS
from perfdw.dbt import MANIFEST
from perfdw.manifest import published_models
from perfdw.paths import resolve_paths
from tests.conftest import DOCUMENTS, REPO
from tests.e2e.conftest import published


def test_definitions_load_with_every_asset_check_and_automation():
    from orchestration.definitions import defs

    dg.Definitions.validate_loadable(defs)
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"source_documents", "raw/budget_rows", "staging/stg_budget_rows", "marts/fct_project_budget",
            "marts/mart_yoy_spend", "published_marts"} <= keys
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert {f"gx_{suite}" for suite in RELATION_MODELS} <= checks
    # dbt tests: a group of single-table checks is one asset check, its checks none of their own
    assert any(name.startswith("single_table_checks_fct_project_budget") for name in checks)
    assert not any(name.startswith("unique_fct_project_budget_project_id") for name in checks)
    assert any(name.startswith("relationships_fct_project_budget_unit_id") for name in checks)
    assert {s.name for s in defs.schedules} == {"publishing_season"}
    assert {s.name for s in defs.sensors} == {"documents_folder"}


def _load(home: Path, year: int | None) -> dg.ExecuteInProcessResult:
    """One run of the load job: a year, or (None) the backfill of every year.

    Every asset has a single-run backfill policy, so Dagster backfills 2023–2026 as one run over
    the partition range; this launches that run the way the backfill daemon does. The warehouse
    is named in the run's resource config only: no environment variable points at it.
    """
    from orchestration.execute import execute_load

    return execute_load(resolve_paths(home, DOCUMENTS), year)


def test_a_run_in_process_holds_the_warehouse_from_its_first_step_to_its_last_with_dbt_on_standby(tmp_path, monkeypatch):
    """As a run under `dagster dev` does (the job's executor): no other writer gets the lock between
    two steps of `perfdw run`, and the dbt step runs on a standby the run started."""
    import orchestration.defs.writer_executor as writer_executor
    from perfdw.dbt_standby import SOCKET_ENV, Standby

    monkeypatch.delenv(SOCKET_ENV, raising=False)
    home = tmp_path / "home"
    lock = resolve_paths(home, DOCUMENTS).writer_lock
    instance = dg.DagsterInstance.ephemeral()
    monkeypatch.setattr(dg.DagsterInstance, "ephemeral", staticmethod(lambda: instance))
    standbys: list[int | None] = []

    class Recorded(Standby):
        def __exit__(self, *exc):
            standbys.append(self.pid)
            super().__exit__(*exc)

    monkeypatch.setattr(writer_executor, "Standby", Recorded)
    got_in: list[float] = []  # when another writer held the lock
    done = threading.Event()

    def another_writer():
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT)
        try:
            while not done.is_set():
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    pass
                else:
                    got_in.append(time.time())
                    fcntl.flock(fd, fcntl.LOCK_UN)
                time.sleep(0.002)
        finally:
            os.close(fd)

    def wait_for_the_writer_to_get_in(after: int) -> None:
        # So the lock is shown free before the run and after it, whatever the thread's scheduling.
        deadline = time.monotonic() + 30
        while len(got_in) <= after and time.monotonic() < deadline:
            time.sleep(0.01)

    writer = threading.Thread(target=another_writer)
    writer.start()
    try:
        wait_for_the_writer_to_get_in(0)
        result = _load(home, 2024)
        wait_for_the_writer_to_get_in(len(got_in))
    finally:
        done.set()
        writer.join()
    assert result.success
    steps = [record for record in instance.all_logs(result.run_id)
             if record.dagster_event and record.dagster_event.event_type_value in ("STEP_START", "STEP_SUCCESS")]
    assert {record.step_key for record in steps} >= {"raw_tables", "dbt_models", "great_expectations", "published_marts"}
    first_start, last_end = steps[0].timestamp, steps[-1].timestamp
    assert got_in and not [moment for moment in got_in if first_start <= moment <= last_end]
    dbt_log = [json.loads(line) for line in (home / "dbt" / "duckdb" / "dbt.log").read_text().splitlines()]
    dbt_pids = {event["info"]["pid"] for event in dbt_log if event["info"]["name"] == "MainReportVersion"}
    assert len(standbys) == 1 and dbt_pids == set(standbys)


def _mart_rows(home: Path, mart: str) -> list[tuple]:
    with duckdb.connect(str(home / "perfdw.duckdb"), read_only=True) as con:
        columns = [name for name, kind in con.execute(f"select column_name, column_type from (describe marts.{mart})").fetchall()
                   if "TIMESTAMP" not in kind]
        return con.execute(f"select {', '.join(columns)} from marts.{mart} order by all").fetchall()


def test_a_partition_loads_idempotently_and_a_backfill_equals_the_full_run(tmp_path, monkeypatch, published_home):
    monkeypatch.delenv("PERFDW_HOME", raising=False)
    home = tmp_path / "home"
    first = _load(home, 2024)
    assert first.success
    materialized = {e.asset_key.to_user_string() for e in first.get_asset_materialization_events()}
    assert {"raw/budget_rows", "marts/fct_project_budget", "published_marts"} <= materialized
    assert published(home, "select fiscal_year, count(*) from marts.fct_project_budget group by 1") == [(2024, 60)]
    totals = _mart_rows(home, "mart_spend_by_unit_year")

    assert _load(home, 2024).success
    assert _mart_rows(home, "mart_spend_by_unit_year") == totals

    backfill = _load(home, None)
    assert backfill.success
    for mart in published_models(MANIFEST):
        assert _mart_rows(home, mart) == _mart_rows(published_home, mart), mart


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body
    return body["data"]


REPOSITORY = """{ repositoriesOrError { ... on RepositoryConnection { nodes { name location { name }
  assetNodes { assetKey { path } } partitionSets { name partitionsOrError { ... on Partitions { results { name } } } } } } } }"""
LAUNCH = """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""
STATUS = """query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"""


def test_dagster_dev_serves_the_definitions_and_runs_a_year(tmp_path):
    port = _free_port()
    # Only the 2024 documents: the documents sensor (running by default) requests its own 2024
    # load on start-up, which must not add other years to what this test counts.
    documents = tmp_path / "documents"
    documents.mkdir()
    for source in [DOCUMENTS / "catalog.toml", *DOCUMENTS.glob("2024-*.txt")]:
        shutil.copy(source, documents)
    env = {**os.environ, "PERFDW_HOME": str(tmp_path / "home"), "PERFDW_DOCUMENTS": str(documents)}
    env.pop("DAGSTER_HOME", None)
    log = open(tmp_path / "dagster-dev.log", "w")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster")), "dev", "--port", str(port), "--host", "127.0.0.1"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                data = _graphql(port, REPOSITORY)
                if data["repositoriesOrError"].get("nodes"):
                    break
            except (OSError, AssertionError):
                pass
            assert server.poll() is None, (tmp_path / "dagster-dev.log").read_text()
            assert time.monotonic() < deadline, "dagster dev did not serve its definitions in time"
            time.sleep(2)
        repository = data["repositoriesOrError"]["nodes"][0]
        assets = {"/".join(node["assetKey"]["path"]) for node in repository["assetNodes"]}
        assert {"raw/budget_rows", "marts/fct_project_budget", "published_marts"} <= assets
        partitions = {
            p["name"]: [r["name"] for r in p["partitionsOrError"]["results"]] for p in repository["partitionSets"]
        }
        assert partitions["load_fiscal_year_partition_set"][:4] == ["2023", "2024", "2025", "2026"]

        launched = _graphql(port, LAUNCH, {"params": {
            "selector": {"repositoryLocationName": repository["location"]["name"],
                         "repositoryName": repository["name"], "jobName": "load_fiscal_year"},
            "executionMetadata": {"tags": [{"key": "dagster/partition", "value": "2024"}]},
        }})["launchRun"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["run"]["runId"]
        deadline = time.monotonic() + 600
        while (status := _graphql(port, STATUS, {"id": run_id})["runOrError"]["status"]) not in (
            "SUCCESS", "FAILURE", "CANCELED"
        ):
            assert time.monotonic() < deadline, f"run {run_id} still {status}"
            time.sleep(3)
        assert status == "SUCCESS", (tmp_path / "dagster-dev.log").read_text()[-3000:]
        assert published(tmp_path / "home", "select count(*) from marts.fct_project_budget") == [(60,)]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
        log.close()
