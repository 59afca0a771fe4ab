"""The writer lock between real processes: a second writer waits and names the holder, a killed
holder releases it, a timeout is one clear error, and a process may take it again inside."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from perfdw.warehouse_lock import WarehouseLockTimeout, describe_holder, writer_lock

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from perfdw.warehouse_lock import writer_lock

    with writer_lock(Path(sys.argv[1]), holder="test holder"):
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    print("released", flush=True)
    """
)

WAITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from perfdw.warehouse_lock import writer_lock

    started = time.monotonic()
    with writer_lock(Path(sys.argv[1]), holder="test waiter", progress=lambda line: print(line, flush=True)):
        print(f"acquired after {time.monotonic() - started:.1f}", flush=True)
    """
)


def _start_holder(lock: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_a_second_writer_waits_names_the_holder_and_then_proceeds(tmp_path):
    lock = tmp_path / "pipeline.lock"
    holder = _start_holder(lock, 3)
    waiter = subprocess.run([sys.executable, "-c", WAITER, str(lock)], capture_output=True, text=True, timeout=60)
    assert holder.wait(timeout=30) == 0
    assert holder.stdout.read().strip() == "released"
    lines = waiter.stdout.splitlines()
    waiting = [line for line in lines if "waiting for" in line]
    assert len(waiting) == 1, lines
    assert f"pid {holder.pid} (test holder) since " in waiting[0]
    assert float(lines[-1].removeprefix("acquired after ")) >= 1.5, lines


def test_a_holder_killed_with_sigkill_releases_the_lock(tmp_path):
    lock = tmp_path / "pipeline.lock"
    holder = _start_holder(lock, 600)
    assert "test holder" in describe_holder(lock)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    started = time.monotonic()
    with writer_lock(lock, holder="after the kill", timeout=10):
        assert "after the kill" in describe_holder(lock)
    assert time.monotonic() - started < 5


def test_waiting_past_the_timeout_is_one_error_naming_the_holder(tmp_path, monkeypatch):
    lock = tmp_path / "pipeline.lock"
    holder = _start_holder(lock, 600)
    try:
        monkeypatch.setenv("PERFDW_LOCK_TIMEOUT", "1.5")
        lines: list[str] = []
        started = time.monotonic()
        with pytest.raises(WarehouseLockTimeout) as error:
            with writer_lock(lock, progress=lines.append):
                pytest.fail("took a lock that another process holds")
        assert 1.5 <= time.monotonic() - started < 10
        assert f"pid {holder.pid} (test holder)" in str(error.value)
        assert "PERFDW_LOCK_TIMEOUT" in str(error.value)
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_a_process_takes_the_lock_again_inside_without_waiting_and_keeps_it_until_the_outer_block_ends(tmp_path):
    lock = tmp_path / "pipeline.lock"
    with writer_lock(lock, holder="outer"):
        with writer_lock(lock, holder="inner", timeout=0):
            pass
        # Still held after the inner block: another process can't take it.
        other = subprocess.run([sys.executable, "-c", WAITER.replace("writer_lock(Path(sys.argv[1]),",
                                "writer_lock(Path(sys.argv[1]), timeout=0.5,"), str(lock)],
                               capture_output=True, text=True, timeout=60)
        assert other.returncode != 0 and "WarehouseLockTimeout" in other.stderr
        assert "(outer)" in other.stderr
    assert describe_holder(lock).startswith("another process")  # emptied on release


def test_a_bad_timeout_setting_is_refused_with_its_name(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFDW_LOCK_TIMEOUT", "half an hour")
    with pytest.raises(ValueError, match="PERFDW_LOCK_TIMEOUT"):
        with writer_lock(tmp_path / "pipeline.lock"):
            pass


def test_status_does_not_wait_for_a_load_and_names_it(tmp_path, capsys):
    import duckdb

    from perfdw.paths import Paths
    from perfdw_cli.status import print_status

    paths = Paths(home=tmp_path, documents=tmp_path)
    duckdb.connect(str(paths.pipeline_db)).close()
    holder = _start_holder(paths.writer_lock, 600)
    try:
        started = time.monotonic()
        assert print_status(paths) == 1
        assert time.monotonic() - started < 5
        assert f"a load is writing {paths.pipeline_db} right now (pid {holder.pid} (test holder)" in capsys.readouterr().out
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_perfdw_run_that_cannot_take_the_lock_says_so_in_one_line_and_writes_nothing(tmp_path):
    """`perfdw run` takes the lock for the whole run, before Dagster starts a step: a timeout or a
    bad setting there is one error line naming the holder or the setting, not a traceback."""
    from perfdw.paths import Paths

    perfdw = str(Path(sys.executable).with_name("perfdw"))
    paths = Paths(home=tmp_path, documents=tmp_path)
    holder = _start_holder(paths.writer_lock, 600)
    try:
        for setting, expected in (("1", f"is held by pid {holder.pid} (test holder)"),
                                  ("soon", "PERFDW_LOCK_TIMEOUT='soon' is not a number of seconds")):
            run = subprocess.run([perfdw, "run", "--home", str(tmp_path)], capture_output=True, text=True,
                                 timeout=300, env={**os.environ, "PERFDW_LOCK_TIMEOUT": setting})
            assert run.returncode == 1
            errors = [line for line in run.stdout.splitlines() if line.startswith("error:")]
            assert len(errors) == 1 and expected in errors[0]
            assert "Traceback" not in run.stderr
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pipeline.lock"]


@pytest.mark.parametrize("command", [["run", "--year", "2025"], ["extract"], ["validate"]])
def test_a_warehouse_folder_that_cannot_be_made_is_one_error_line(tmp_path, command):
    """A --home under a file (any user, root included, gets ENOTDIR): the command names the
    folder and what to do, instead of a traceback."""
    perfdw = str(Path(sys.executable).with_name("perfdw"))
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    home = tmp_path / "a-file" / "warehouse"
    run = subprocess.run([perfdw, *command, "--home", str(home)], capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    errors = [line for line in (run.stdout + run.stderr).splitlines() if line.startswith("error:")]
    assert errors == [f"error: cannot write the warehouse folder {home}: Not a directory ({home}); "
                      "choose a folder this user can write with --home or $PERFDW_HOME"], run.stdout + run.stderr
    assert "Traceback" not in run.stderr
