"""The cycle collector in the project's short-lived processes: a load, its dbt build, extract's
workers, the benchmark's stages.

Each imports libraries that live until the process ends (Dagster, dbt, Great Expectations: about
half a million objects), then allocates millions of short-lived objects that reference counting
frees. CPython's collector walks every tracked object on each full pass, and again in the passes
of the interpreter's shutdown: on the bundled corpus, full passes took 0.8 s of a load's run and
1.4 s of its exit, 0.5 s of dbt's build and 0.5 s of its exit (bench/PERFORMANCE.md, sixth round).
`gc.freeze()` moves the objects alive so far out of every later pass; cycles made afterwards are
still collected.
"""

from __future__ import annotations

import gc


def settle(young_threshold: int | None = None) -> None:
    """Once a process has imported what it runs: leave those objects out of later passes.

    With `young_threshold`, also collect the young generation after that many new objects
    instead of CPython's 700: for a process whose garbage is small objects (extract's workers).
    A load keeps the default: there, rarer passes left cyclic garbage holding large frames alive
    longer, 30–95 MB more at the peak for no measurable time."""
    gc.freeze()
    if young_threshold is not None:
        gc.set_threshold(young_threshold)


def skip_exit_passes() -> None:
    """Right before a process exits: its objects go with it, so the shutdown's passes would only
    walk them. Exit handlers still run and files still close; an object kept alive only by a
    reference cycle is not finalized, which this project never relies on (connections and files
    are closed by `with`)."""
    gc.freeze()
