"""A dbt command handed to a standby (perfdw.dbt_standby) is the command perfdw-dbt would have
run itself: same output, exit code, working folder, environment and interruption."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

from perfdw.dbt import dbt_executable, prepare_manifest
from perfdw.dbt_process import WORKING_DIR_ENV
from perfdw.dbt_standby import SOCKET_ENV, Standby
from perfdw.paths import PROJECT_ROOT

# dbt stamps its lines with the time of day
_CLOCK = re.compile(r"\d\d:\d\d:\d\d")


def _dbt(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    result = subprocess.run([dbt_executable(), *args], cwd=cwd, env=env, capture_output=True, text=True)
    return result.returncode, _CLOCK.sub("T", result.stdout), _CLOCK.sub("T", result.stderr)


def _alone() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != SOCKET_ENV}


def _standby_processes() -> list[int]:
    """This process's children that are standbys (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(re.search(r"^PPid:\s+(\d+)", status, re.M).group(1))
        if parent == os.getpid() and b"perfdw.dbt_standby" in command and "State:\tZ" not in status:
            found.append(int(entry.name))
    return found


def _until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize("args", [["--version"], ["no-such-command"], ["debug", "--no-such-flag"]])
def test_a_command_on_standby_prints_and_exits_as_perfdw_dbt_alone(args, tmp_path):
    alone = _dbt(args, tmp_path, _alone())
    with Standby() as standby:
        assert standby.waiting
        handed = _dbt(args, tmp_path, dict(os.environ))
        assert not standby.waiting, "the standby did not take the command"
    assert handed == alone
    assert alone[0] == (0 if args == ["--version"] else 2)


def test_the_standby_runs_in_the_callers_folder_and_environment(tmp_path):
    # Without DBT_PROFILES_DIR, dbt looks for profiles.yml in the working folder first.
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "profiles.yml").write_text("{}\n")
    elsewhere = tmp_path / "elsewhere"
    with Standby() as standby:
        in_folder = _dbt(["debug", "--config-dir"], tmp_path / "here", dict(os.environ))
        assert not standby.waiting
        standby.ready()
        assert standby.waiting
        named = _dbt(["debug", "--config-dir"], tmp_path / "here", {**os.environ, "DBT_PROFILES_DIR": str(elsewhere)})
        assert not standby.waiting
    assert in_folder[0] == named[0] == 0
    assert str(tmp_path / "here") in in_folder[1] and str(elsewhere) not in in_folder[1]
    assert str(elsewhere) in named[1]


def test_perfdw_dbt_runs_dbt_in_the_folder_its_environment_names(tmp_path):
    """dagster-dbt starts dbt in the project's folder; a load's dbt runs in its warehouse's,
    which the DuckDB file is named relative to, itself or on standby."""
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    (warehouse / "profiles.yml").write_text("{}\n")
    env = {**_alone(), WORKING_DIR_ENV: str(warehouse)}
    alone = _dbt(["debug", "--config-dir"], tmp_path, env)
    with Standby() as standby:
        standby.ready()
        on_standby = _dbt(["debug", "--config-dir"], tmp_path, {**env, SOCKET_ENV: os.environ[SOCKET_ENV]})
        assert not standby.waiting
    assert alone == on_standby and alone[0] == 0
    assert str(warehouse) in alone[1]


def _mapped(pid: int, library: str) -> bool:
    try:
        return library in (Path("/proc") / str(pid) / "maps").read_text()
    except OSError:
        return False


def _rehearsals(folder: Path) -> list[Path]:
    return list(folder.glob("perfdw-dbt-rehearsal-*"))


@pytest.fixture
def parsed_project() -> None:
    """The state a rehearsal starts from: the project parsed as the orchestrator parses it."""
    prepare_manifest()


def _own_temp_folder(tmp_path: Path, monkeypatch) -> Path:
    """A temp folder of the test's own, for this process and the standbys it starts."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # tempfile reads TMPDIR once, then caches it
    return scratch


@pytest.mark.usefixtures("parsed_project")
def test_perfdw_dbt_ends_after_the_standby_has_let_go_of_the_warehouse(tmp_path, monkeypatch):
    # dbt-duckdb closes its database as dbt's process exits, writing what the command wrote
    # into the file (a checkpoint); whoever waits for perfdw-dbt (the load) opens it next.
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: held\nversion: '1.0.0'\nconfig-version: 2\nprofile: held\n")
    (project / "profiles.yml").write_text(
        f"held:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: {tmp_path / 'held.duckdb'}\n"
        "      settings:\n        checkpoint_threshold: 1GB\n"
    )
    # An update of every row: it stays in the write-ahead log until the database closes.
    (project / "models" / "numbers.sql").write_text(
        "{{ config(materialized='table', post_hook='update {{ this }} set n = n + 1') }}"
        " select range as n from range(6000000)"
    )
    scratch = _own_temp_folder(tmp_path, monkeypatch)
    for _ in range(2):
        # As a load's: a standby that has parsed a project while it waited (it exits slower).
        with Standby(rehearse=True) as standby:
            _until(lambda: len(_standby_processes()) == 1)
            (pid,) = _standby_processes()
            _until(lambda: _mapped(pid, "_duckdb.") and _rehearsals(scratch) == [], seconds=120)
            code, out, _err = _dbt(["run", "--project-dir", str(project), "--profiles-dir", str(project)],
                                   tmp_path, dict(os.environ))
            assert not standby.waiting, "the standby did not take the command"
            assert code == 0, out
            # no "Conflicting lock is held in … (PID of the standby)"
            with duckdb.connect(str(tmp_path / "held.duckdb")) as con:
                assert con.execute("select count(*) from numbers").fetchone() == (6000000,)


@pytest.mark.usefixtures("parsed_project")
def test_a_rehearsing_standby_parses_the_project_while_it_waits(tmp_path, monkeypatch):
    scratch = _own_temp_folder(tmp_path, monkeypatch)
    with Standby(rehearse=True) as standby:
        _until(lambda: len(_standby_processes()) == 1)
        (pid,) = _standby_processes()
        # dbt loads its adapter (and with it DuckDB's library) when it parses, not when imported
        _until(lambda: _mapped(pid, "_duckdb."), seconds=120)
        _until(lambda: _rehearsals(scratch) == [], seconds=120)
        assert standby.waiting
        code, out, _err = _dbt(["--version"], tmp_path, dict(os.environ))
        assert not standby.waiting and code == 0 and "Core:" in out
    assert _standby_processes() == []
    assert [path.name for path in scratch.iterdir()] == []


@pytest.mark.usefixtures("parsed_project")
def test_a_standby_stopped_while_it_rehearses_leaves_nothing_behind(tmp_path, monkeypatch):
    scratch = _own_temp_folder(tmp_path, monkeypatch)
    with Standby(rehearse=True):
        _until(lambda: _rehearsals(scratch) != [], seconds=120)
    assert _standby_processes() == []
    assert [path.name for path in scratch.iterdir()] == []


def test_a_working_folder_that_is_not_there_is_one_line_and_exit_2(tmp_path):
    gone = tmp_path / "no-such-warehouse"
    code, out, err = _dbt(["--version"], tmp_path, {**_alone(), WORKING_DIR_ENV: str(gone)})
    assert (code, out) == (2, "")
    assert err.strip() == f"perfdw-dbt: cannot run dbt in {gone} (${WORKING_DIR_ENV}): No such file or directory"


def test_a_second_command_runs_in_perfdw_dbt_itself(tmp_path):
    with Standby() as standby:
        first = _dbt(["--version"], tmp_path, dict(os.environ))
        assert not standby.waiting
        second = _dbt(["--version"], tmp_path, dict(os.environ))
    assert first == second and first[0] == 0


def test_an_unused_standby_is_stopped_and_leaves_nothing_behind():
    with Standby():
        _until(lambda: len(_standby_processes()) == 1)
        address = Path(os.environ[SOCKET_ENV])
        assert address.exists()
    assert _standby_processes() == []
    assert not address.parent.exists()
    assert SOCKET_ENV not in os.environ


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


def _parse(tmp_path: Path) -> subprocess.Popen:
    # A full parse of the project: seconds of work to interrupt.
    return subprocess.Popen(
        [dbt_executable(), "parse", "--no-partial-parse", "--project-dir", str(PROJECT_ROOT),
         "--profiles-dir", str(PROJECT_ROOT), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def test_a_signal_to_perfdw_dbt_interrupts_the_command_on_standby(tmp_path):
    with Standby() as standby:
        _until(lambda: len(_standby_processes()) == 1)
        parse = _parse(tmp_path)
        _until(lambda: not standby.waiting)
        # Once dbt has started its command (click's own handling before that says "Aborted!")
        _until(lambda: "Running with dbt" in _text(tmp_path / "logs" / "dbt.log"))
        parse.send_signal(signal.SIGINT)
        output, _ = parse.communicate(timeout=60)
    # As dbt alone: the interrupted parse ends with KeyboardInterrupt and exit code 2.
    assert parse.returncode == 2, output[-2000:]
    assert "KeyboardInterrupt" in output
    assert not (tmp_path / "target" / "manifest.json").exists()


def test_killing_perfdw_dbt_kills_the_command_on_standby(tmp_path):
    with Standby() as standby:
        _until(lambda: len(_standby_processes()) == 1)
        parse = _parse(tmp_path)
        _until(lambda: not standby.waiting)
        parse.kill()
        parse.communicate(timeout=60)
        _until(lambda: _standby_processes() == [], seconds=10)
    assert not (tmp_path / "target" / "manifest.json").exists()


def test_without_a_socket_dbt_starts_as_without_a_standby(tmp_path, monkeypatch):
    # A Unix socket's name holds at most 107 bytes: a temp folder this deep can't hold one.
    deep = tmp_path / ("d" * 120)
    deep.mkdir()
    monkeypatch.setenv("TMPDIR", str(deep))
    monkeypatch.setattr(tempfile, "tempdir", None)  # tempfile reads TMPDIR once, then caches it
    with Standby() as standby:
        assert not standby.waiting
        assert _standby_processes() == []
        handed = _dbt(["--version"], tmp_path, dict(os.environ))
    assert handed == _dbt(["--version"], tmp_path, _alone())
    assert handed[0] == 0
    assert list(deep.iterdir()) == []
