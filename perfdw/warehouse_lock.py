"""One writer at a time on the pipeline's database, enforced by the code that writes it.

DuckDB lets one process open a file read-write, or any number read-only, and refuses every
other open at once ("Could not set lock on file"). Two loads started together (two Dagster
runs, a run and a `perfdw extract`) would fail each other. Every step that opens the pipeline's
database — read-write or read-only, since a reader also blocks a writer — takes this exclusive
lock first and waits for it, instead of failing.

The lock is `fcntl.flock` on a file beside the database: the OS releases it when its holder
exits or is killed, so a crashed load never leaves the warehouse locked. The holder writes who
it is (pid, command or Dagster run, since when) into the file, for a waiting process to log.
It is reentrant within a process: a Dagster run holds it from its first step to its last (so
no other run's steps interleave with it) and the steps inside take it again without waiting.

Readers of the published copy (perfdw.duckdb, the dashboard, Parquet) never take it.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

TIMEOUT_VARIABLE = "PERFDW_LOCK_TIMEOUT"
# A full load of a large corpus takes a few minutes here; half an hour covers a queue of them.
DEFAULT_TIMEOUT_SECONDS = 30 * 60
_POLL_SECONDS = 0.5
UNNAMED_HOLDER = "another process (it has not written its name yet)"


class WarehouseLockError(Exception):
    """The lock could not be taken; the message says why and what to do."""


class WarehouseLockTimeout(WarehouseLockError, TimeoutError):
    """The lock was not free within the timeout; the message names the holder."""


class LockTimeoutSetting(WarehouseLockError, ValueError):
    """$PERFDW_LOCK_TIMEOUT is not a number of seconds."""


class WarehouseNotWritable(WarehouseLockError):
    """The lock file can't be created: the warehouse folder can't be made or written."""


# lock file → [open descriptor, depth] of the locks this process holds.
_held: dict[Path, list[int]] = {}
_held_guard = threading.Lock()


def timeout_seconds() -> float:
    """$PERFDW_LOCK_TIMEOUT (seconds) or the default."""
    value = os.environ.get(TIMEOUT_VARIABLE)
    if not value:
        return DEFAULT_TIMEOUT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise LockTimeoutSetting(f"{TIMEOUT_VARIABLE}={value!r} is not a number of seconds") from None
    if seconds < 0:
        raise LockTimeoutSetting(f"{TIMEOUT_VARIABLE}={value!r} must not be negative")
    return seconds


def describe_holder(lock_file: Path) -> str:
    """Who holds the lock, as its holder wrote it: 'pid 123 (perfdw run) since 2026-…'."""
    try:
        holder = json.loads(lock_file.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        holder = {}
    if not holder:
        return UNNAMED_HOLDER
    return f"pid {holder.get('pid')} ({holder.get('holder')}) since {holder.get('since')}"


def _command() -> str:
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv and sys.argv[0] else "python"
    # A worker's arguments can be a whole serialized job: the start says what it is.
    return command if len(command) <= 120 else command[:117] + "..."


@contextmanager
def writer_lock(
    lock_file: Path,
    holder: str | None = None,
    progress: Callable[[str], None] = lambda message: None,
    timeout: float | None = None,
) -> Iterator[None]:
    """Hold the exclusive lock on `lock_file` for the duration of the block.

    `holder` says who takes it (default: this process's command line). While another process
    holds it, one line naming that holder goes to `progress` (again only if the holder
    changes); after `timeout` seconds (default $PERFDW_LOCK_TIMEOUT or 30 minutes) it raises
    WarehouseLockTimeout naming the holder.
    """
    lock_file = lock_file.resolve()
    with _held_guard:
        if lock_file in _held:
            _held[lock_file][1] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[lock_file][1] -= 1
        return

    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise WarehouseNotWritable(
            f"cannot write the warehouse folder {lock_file.parent}: {error.strerror} ({error.filename}); "
            "choose a folder this user can write with --home or $PERFDW_HOME"
        ) from None
    try:
        _acquire(fd, lock_file, progress, timeout_seconds() if timeout is None else timeout)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({
            "pid": os.getpid(),
            "holder": holder or _command(),
            "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }).encode("utf-8"), 0)
        with _held_guard:
            _held[lock_file] = [fd, 1]
        try:
            yield
        finally:
            with _held_guard:
                del _held[lock_file]
            # Emptied before release, so a waiter never reads a holder that has left.
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, lock_file: Path, progress: Callable[[str], None], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    started = time.monotonic()
    told, unnamed_since = None, None
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass
        else:
            if told is not None:
                progress(f"warehouse lock: acquired after {time.monotonic() - started:.1f} s")
            return
        holder = describe_holder(lock_file)
        if time.monotonic() >= deadline:
            raise WarehouseLockTimeout(
                f"the warehouse is still being written after {timeout:.0f} s: {lock_file} is held by "
                f"{holder}. Wait for it to finish, or raise {TIMEOUT_VARIABLE} (seconds)."
            )
        # A holder writes its name just after taking the lock: give it a moment before saying
        # "unknown", so that one holder makes one line.
        if holder == UNNAMED_HOLDER:
            unnamed_since = unnamed_since or time.monotonic()
        else:
            unnamed_since = None
        if holder != told and not (unnamed_since and time.monotonic() - unnamed_since < 2):
            progress(f"warehouse lock: waiting for {holder} to finish writing ({lock_file})")
            told = holder
        time.sleep(_POLL_SECONDS)
