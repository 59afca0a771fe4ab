"""One line per pipeline step, with its timing, wherever the step runs.

Steps log through Dagster (the UI shows the lines); the command line, which runs the same
definitions in-process, also installs a printer here so a person at a terminal sees them live.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_printer: Callable[[str], None] | None = None


def print_progress_to(printer: Callable[[str], None] | None) -> None:
    global _printer
    _printer = printer


def report(log: Callable[[str], None], message: str) -> None:
    log(message)
    if _printer is not None:
        _printer(message)


@contextmanager
def timed_step(log: Callable[[str], None], name: str) -> Iterator[None]:
    started = time.perf_counter()
    report(log, f"▶ {name}")
    yield
    report(log, f"✔ {name} ({time.perf_counter() - started:.1f} s)")
