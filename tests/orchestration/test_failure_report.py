"""How `perfdw run` reports a failed step: one line that says why; a traceback only for a fault.

A step fails on purpose (perfdw.pipeline.StepFailed and the other errors of
orchestration.execute.EXPLAINED) with a message that names the file, the line and what to do:
that line is the report. Any other exception is a bug, and the process's in-memory run storage
goes with it, so its traceback is printed. The steps run for real, in-process; only the extract
function is replaced by one that fails the way each case needs.
"""

from __future__ import annotations

import pytest

from orchestration.defs import extract_assets
from perfdw.paths import resolve_paths
from perfdw.pipeline import StepFailed
from perfdw_cli.run import run_years
from tests.conftest import DOCUMENTS


def _failing_extract(error: Exception):
    def extract_that_fails(paths, year, progress):
        raise error

    return extract_that_fails


def _run(monkeypatch, tmp_path, error: Exception) -> list[str]:
    monkeypatch.setattr(extract_assets, "extract_step", _failing_extract(error))
    printed: list[str] = []
    assert run_years(resolve_paths(tmp_path / "home", DOCUMENTS), [2025], printed.append) is False
    return printed


def test_a_step_that_fails_on_purpose_is_one_line_with_its_message_and_no_traceback(monkeypatch, tmp_path, capfd):
    printed = _run(monkeypatch, tmp_path, StepFailed("extract: 2025-x.txt:3: unknown layout"))

    assert [line for line in printed if line.startswith("error:")] == [
        "error: step raw_tables failed: extract: 2025-x.txt:3: unknown layout"
    ]
    # Dagster's own console log of the failure (its event, the step's stack) stays in the run's storage.
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Stack Trace" not in captured.err, captured.err
    assert "STEP_FAILURE" not in captured.err + captured.out


def test_each_reason_of_a_failed_step_is_a_line_of_its_own_under_the_step_s(monkeypatch, tmp_path):
    reasons = ["2024-empty.txt: empty file: nothing to extract", "2025-x.txt:1: binary file: NUL byte at offset 0"]
    printed = _run(monkeypatch, tmp_path, StepFailed("extract: 2 documents not loaded", reasons))

    assert [line for line in printed if line.startswith("error:")] == [
        "error: step raw_tables failed: extract: 2 documents not loaded",
        f"error:   {reasons[0]}",
        f"error:   {reasons[1]}",
    ]


@pytest.mark.parametrize("error", [KeyError("fiscal_year"), ZeroDivisionError("division by zero")],
                         ids=["KeyError", "ZeroDivisionError"])
def test_a_fault_in_a_step_names_its_exception_and_prints_its_traceback(monkeypatch, tmp_path, capfd, error):
    printed = _run(monkeypatch, tmp_path, error)

    name = type(error).__name__
    errors = [line for line in printed if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: step raw_tables failed: {name}: "), errors
    stderr = capfd.readouterr().err
    # the frame that raised it, by file and function, as a bug report needs
    assert "extract_that_fails" in stderr and __file__ in stderr, stderr
    assert any(line.startswith(f"{name}: ") for line in stderr.splitlines()), stderr
