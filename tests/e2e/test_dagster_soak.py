"""`perfdw dagster` as a service: a real `dagster dev` (webserver and daemon) over a loaded warehouse.

A restart launches nothing. A burst of document changes in three years (renamed, new, removed,
changed, one bad), a run as the schedule requests it and a backfill, all at once: every run
succeeds or fails naming the bad document (having published every other one), none fails on
DuckDB's lock, and the published marts equal a clean rebuild of the same documents. Both on the instance `perfdw dagster` makes and on a DAGSTER_HOME of the
user's that lacks the project's settings (runs then start together and wait for the lock).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DOCUMENTS, REPO
from tests.e2e.conftest import perfdw
from tests.e2e.test_dagster import _graphql

PERFDW = str(Path(sys.executable).with_name("perfdw"))
LOCK_ERROR = b"Could not set lock"
BAD = "2025-broken.txt"
ENDED = ("SUCCESS", "FAILURE", "CANCELED")

RUNS = """{ runsOrError { ... on Runs { results { runId status tags { key value } } } } }"""
RUN_EVENTS = """query($id: ID!, $after: String) { logsForRun(runId: $id, afterCursor: $after) {
  ... on EventConnection { cursor hasMore events {
  __typename ... on ExecutionStepFailureEvent { error { message causes { message } } } } } } }"""
REPOSITORY = """{ repositoriesOrError { ... on RepositoryConnection { nodes { name location { name } } } } }"""
LAUNCH = """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""
BACKFILL = """mutation($params: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $params) {
  __typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message } } }"""
SENSOR_TICKS = """query($selector: SensorSelector!) { sensorOrError(sensorSelector: $selector) {
  ... on Sensor { sensorState { ticks(limit: 20) { status timestamp } } } } }"""


class DagsterDev:
    """`perfdw dagster` in its own process group, on a port in 8500–8999, and GraphQL against it."""

    def __init__(self, home: Path, documents: Path, log: Path, dagster_home: Path | None = None):
        self.port = random.randint(8500, 8999)
        self.log_path = log
        env = {**os.environ, "PERFDW_HOME": str(home), "PERFDW_DOCUMENTS": str(documents)}
        env.pop("DAGSTER_HOME", None)
        if dagster_home is not None:
            env["DAGSTER_HOME"] = str(dagster_home)
        self._log = open(log, "w")
        self.process = subprocess.Popen(
            [PERFDW, "dagster", "--port", str(self.port), "--host", "127.0.0.1"],
            cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.repository: dict = {}

    def query(self, query: str, variables: dict | None = None) -> dict:
        return _graphql(self.port, query, variables)

    def wait_until_serving(self, timeout: float = 240) -> dict:
        """The repository selector, once the webserver serves the definitions."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                nodes = self.query(REPOSITORY)["repositoriesOrError"].get("nodes")
                if nodes:
                    self.repository = {"repositoryLocationName": nodes[0]["location"]["name"],
                                       "repositoryName": nodes[0]["name"]}
                    return self.repository
            except (OSError, AssertionError):
                pass
            assert self.process.poll() is None, self.log_path.read_text()
            assert time.monotonic() < deadline, "dagster dev did not serve its definitions in time"
            time.sleep(2)

    def wait_for_sensor_tick(self, after: float, timeout: float = 150) -> dict:
        """The first finished tick of the documents sensor that started after `after` (epoch s)."""
        selector = {**self.repository, "sensorName": "documents_folder"}
        deadline = time.monotonic() + timeout
        while True:
            ticks = self.query(SENSOR_TICKS, {"selector": selector})["sensorOrError"]["sensorState"]["ticks"]
            done = [t for t in ticks if t["timestamp"] > after and t["status"] != "STARTED"]
            if done:
                return min(done, key=lambda t: t["timestamp"])
            assert time.monotonic() < deadline, "the documents sensor did not tick"
            time.sleep(2)

    def runs(self) -> list[dict]:
        return self.query(RUNS)["runsOrError"]["results"]

    def failure_messages(self, run_id: str) -> list[str]:
        # A run logs a thousand events and more (every dbt test is one): read every page.
        events, after = [], None
        while True:
            page = self.query(RUN_EVENTS, {"id": run_id, "after": after})["logsForRun"]
            events += page["events"]
            if not page["hasMore"]:
                break
            after = page["cursor"]
        return [
            " ".join([e["error"]["message"], *(c["message"] for c in e["error"]["causes"])])
            for e in events if e["__typename"] == "ExecutionStepFailureEvent"
        ]

    def settle(self, timeout: float = 600) -> list[dict]:
        """Every run ended, the backfill's included, and a sensor tick after that requested nothing."""
        deadline = time.monotonic() + timeout
        while True:
            runs = self.runs()
            backfilled = any(t["key"] == "dagster/backfill" for r in runs for t in r["tags"])
            if backfilled and all(r["status"] in ENDED for r in runs):
                tick = self.wait_for_sensor_tick(after=time.time())
                runs = self.runs()
                if tick["status"] == "SKIPPED" and all(r["status"] in ENDED for r in runs):
                    return runs
            assert time.monotonic() < deadline, f"runs did not settle: {runs}"
            time.sleep(3)

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass
        finally:
            self._log.close()


def _tags(run: dict) -> dict[str, str]:
    return {t["key"]: t["value"] for t in run["tags"]}


def _years(run: dict) -> list[str]:
    tags = _tags(run)
    if "dagster/partition" in tags:
        return [tags["dagster/partition"]]
    first, last = int(tags["dagster/asset_partition_range_start"]), int(tags["dagster/asset_partition_range_end"])
    return [str(year) for year in range(first, last + 1)]


def _sensor_runs(runs: list[dict]) -> list[tuple[str, str]]:
    return sorted((_tags(r)["dagster/partition"], r["status"]) for r in runs if "dagster/sensor_name" in _tags(r))


def _marts(database: Path) -> dict[str, list[tuple]]:
    """Every table of schema marts but the publication stamp; TIMESTAMP columns (load times) left out."""
    with duckdb.connect(str(database), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()
            if t != "publication"]
        rows = {}
        for table in tables:
            columns = [name for name, kind in con.execute(
                f"select column_name, column_type from (describe marts.{table})").fetchall() if "TIMESTAMP" not in kind]
            rows[table] = con.execute(f"select {', '.join(columns)} from marts.{table} order by all").fetchall()
    return rows


def _assert_no_lock_error(*roots: Path) -> None:
    for root in roots:
        for path in ([root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]):
            assert LOCK_ERROR not in path.read_bytes(), f"DuckDB lock error in {path}"


def test_a_restarted_dagster_over_a_loaded_warehouse_launches_no_run(home_copy, tmp_path):
    documents = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, documents)
    for attempt in ("first", "restarted"):
        server = DagsterDev(home_copy, documents, tmp_path / f"dagster-{attempt}.log")
        try:
            server.wait_until_serving()
            tick = server.wait_for_sensor_tick(after=time.time() - 5)
            assert tick["status"] == "SKIPPED"
            assert server.runs() == []
        finally:
            server.stop()
    # The instance is the persistent one under the warehouse, with the project's settings.
    assert "max_concurrent_runs: 1" in (home_copy / "dagster" / "dagster.yaml").read_text(encoding="utf-8")


def _burst(documents: Path) -> None:
    """Changes in three fiscal years at once, the bad document among them."""
    catalog = (documents / "catalog.toml").read_text(encoding="utf-8")
    # Renamed (same bytes; its catalog entry renamed with it): 2023.
    (documents / "2023-guangzhou-tianhe-hrss.txt").rename(documents / "2023-tianhe-hrss-renamed.txt")
    catalog = catalog.replace('["2023-guangzhou-tianhe-hrss.txt"]', '["2023-tianhe-hrss-renamed.txt"]')
    # New (a revised edition with CRLF line ends) and removed (the edition it replaces): 2024.
    huadu = documents / "2024-guangzhou-huadu-hrss.txt"
    (documents / "2024-huadu-hrss-revised.txt").write_bytes(huadu.read_bytes().replace(b"\n", b"\r\n"))
    huadu.unlink()
    catalog = catalog.replace('["2024-guangzhou-huadu-hrss.txt"]', '["2024-huadu-hrss-revised.txt"]')
    # Changed, and beside it a bad one (binary), catalogued for the same year: 2025.
    panyu = documents / "2025-guangzhou-panyu-hrss.txt"
    panyu.write_bytes(panyu.read_bytes() + b"\n")
    (documents / BAD).write_bytes(bytes(range(256)) * 8)
    catalog += f'\n["{BAD}"]\ndepartment_name = "广州市番禺区人力资源和社会保障局（本级）"\nfiscal_year = 2025\namount_unit = "万元"\n'
    (documents / "catalog.toml").write_text(catalog, encoding="utf-8")


@pytest.mark.parametrize("instance", ["perfdw dagster's own", "the user's, without the project settings"])
def test_a_burst_of_changes_a_schedule_tick_and_a_backfill_at_once(instance, home_copy, tmp_path):
    started = time.monotonic()
    documents = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, documents)
    dagster_home = None
    if instance.startswith("the user's"):
        dagster_home = tmp_path / "my-dagster"
        dagster_home.mkdir()
        (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    log = tmp_path / "dagster-dev.log"
    server = DagsterDev(home_copy, documents, log, dagster_home)
    try:
        repository = server.wait_until_serving()
        _burst(documents)
        # At the same moment: the run the schedule requests in publishing season (its year)…
        scheduled = server.query(LAUNCH, {"params": {
            "selector": {**repository, "jobName": "load_fiscal_year"},
            "executionMetadata": {"tags": [{"key": "dagster/partition", "value": "2026"},
                                           {"key": "dagster/schedule_name", "value": "publishing_season"}]},
        }})["launchRun"]
        assert scheduled["__typename"] == "LaunchRunSuccess", scheduled
        # …and a backfill of the job, as from its partitions page in the UI.
        backfill = server.query(BACKFILL, {"params": {
            "selector": {"partitionSetName": "load_fiscal_year_partition_set", "repositorySelector": repository},
            "partitionNames": ["2025", "2026"], "fromFailure": False,
        }})["launchPartitionBackfill"]
        assert backfill["__typename"] == "LaunchBackfillSuccess", backfill

        runs = server.settle()
        # One run per year, not one per document; the year of the bad document fails.
        assert _sensor_runs(runs) == [("2023", "SUCCESS"), ("2024", "SUCCESS"), ("2025", "FAILURE")], runs
        # Exactly the runs that load 2025 fail (the sensor's, the backfill's one run over
        # 2025–2026), naming the bad document and nothing else; the scheduled 2026 run succeeds.
        assert len(runs) == 5, runs
        for run in runs:
            assert run["status"] == ("FAILURE" if "2025" in _years(run) else "SUCCESS"), runs
            if run["status"] == "FAILURE":
                messages = server.failure_messages(run["runId"])
                assert messages and all(BAD in m for m in messages), (run, messages)
        # The failed runs published every other document: the sensor has nothing left to request
        # (settle() saw a quiet tick) until the bad document changes.
        if dagster_home is not None:
            text = log.read_text(encoding="utf-8")
            assert f"warning: {dagster_home / 'dagster.yaml'} lacks the project's instance settings" in text
            assert "concurrency.runs.max_concurrent_runs: 1 (yours: absent)" in text
            # Without the run queue, runs started together: they waited for the lock, named its holder.
            assert "warehouse lock: waiting for pid " in text and "(Dagster run " in text
        _assert_no_lock_error(log, dagster_home or home_copy / "dagster")
    finally:
        server.stop()

    # A clean full rebuild of the same documents, the bad one included: it fails the same way.
    reference = tmp_path / "reference"
    rebuilt = perfdw("run", home=reference, documents=documents)
    assert rebuilt.returncode == 1, rebuilt.stdout + rebuilt.stderr
    # named live by the extract, then at the end: the step's line, and the document's under it
    errors = [line for line in rebuilt.stdout.splitlines() if line.startswith("error:")]
    assert errors[-2:] == [
        "error: step published_marts failed: 1 document not loaded; every other document was loaded and published",
        errors[-1],
    ] and errors[-1].startswith(f"error:   {BAD}:1: binary file"), rebuilt.stdout
    assert errors[:2] == ["error: extract: 1 document not loaded", errors[-1]], rebuilt.stdout
    served, clean = _marts(home_copy / "perfdw.duckdb"), _marts(reference / "perfdw.duckdb")
    assert served.keys() == clean.keys() and len(served) >= 10
    for table in clean:
        assert served[table] == clean[table], table
    documents_served = [" ".join(map(str, row)) for row in served["dim_document"]]
    assert any("2024-huadu-hrss-revised.txt" in row for row in documents_served)
    assert not any("2024-guangzhou-huadu-hrss.txt" in row for row in documents_served)
    assert time.monotonic() - started < 900
