"""The collector settings of the project's short-lived processes (perfdw.collector) keep
collecting what a process makes afterwards, and its programs keep their exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from perfdw.dbt import dbt_executable

BIN = Path(sys.executable).parent


def _python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize("young_threshold", [None, 50_000])
def test_after_settling_a_cycle_made_later_is_still_collected(young_threshold):
    # In a process of its own: settling freezes whatever the test runner holds.
    printed = _python(
        "import gc, weakref\n"
        "from perfdw import collector\n"
        f"collector.settle({young_threshold})\n"
        "class Node: pass\n"
        "a, b = Node(), Node(); a.other, b.other = b, a\n"
        "alive = weakref.ref(a); del a, b\n"
        "gc.collect()\n"
        "print(gc.isenabled(), gc.get_threshold()[0], alive() is None)"
    )
    assert printed == f"True {young_threshold or 700} True"


def test_objects_alive_when_settling_are_left_out_of_later_passes():
    printed = _python(
        "import gc\n"
        "from perfdw import collector\n"
        "kept = [[] for _ in range(1000)]\n"
        "collector.settle()\n"
        "print(gc.get_freeze_count() >= 1000)"
    )
    assert printed == "True"


@pytest.mark.parametrize("argv", [["--version"], ["no-such-command"], ["build", "--no-such-flag"]])
def test_perfdw_dbt_is_dbt_output_and_exit_code(argv):
    ours = subprocess.run([dbt_executable(), *argv], capture_output=True, text=True)
    theirs = subprocess.run([str(BIN / "dbt"), *argv], capture_output=True, text=True)
    assert Path(dbt_executable()).name == "perfdw-dbt"
    assert ours.returncode == theirs.returncode
    assert ours.stdout == theirs.stdout
    assert ours.stderr == theirs.stderr


def test_the_perfdw_program_keeps_its_exit_code(tmp_path):
    ok = subprocess.run([str(BIN / "perfdw"), "status", "--home", str(tmp_path)], capture_output=True, text=True)
    refused = subprocess.run([str(BIN / "perfdw"), "run", "--home", str(tmp_path), "--year", "1999"],
                             capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert refused.returncode == 1 and "no fiscal-year partition 1999" in refused.stdout
