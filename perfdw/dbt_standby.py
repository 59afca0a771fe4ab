"""A dbt process on standby: started as `perfdw run` starts, it imports dbt (1.3–1.5 s here)
on the second core while the load imports Dagster, then runs the load's dbt command as its own.
Asked to, it also parses the project once while it waits, to warm itself up for the command's
own parse (perfdw.dbt.rehearse_parse).

dagster-dbt starts `perfdw-dbt` as always (perfdw.dbt_process). When $PERFDW_DBT_STANDBY names a
standby's socket, perfdw-dbt hands the command over: its arguments, working folder, environment
and standard streams (their file descriptors, over the Unix socket). It then forwards the
signals it gets and exits with the command's exit code. So output, exit code and interruption
are what they would be had perfdw-dbt run dbt itself. A standby takes one command; perfdw-dbt
runs a command itself when no standby takes it (none started, already taken, or gone).

The standby is `python -m perfdw.dbt_standby LISTENING_FD PARENT_FD [rehearse]`, started by `Standby` only.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from perfdw.environment import environment_variable

SOCKET_ENV = "PERFDW_DBT_STANDBY"
_STREAMS = (0, 1, 2)
_LENGTH = 8  # bytes of the command's length, ahead of its JSON


# ---------------------------------------------------------------------------------------------
# The load's side


class Standby:
    """The standby of the dbt commands this process starts (their environment names its socket).

    `ready()` starts one unless one is waiting; leaving the `with` block stops a standby no
    command took and waits for one that ran a command to exit. Where no standby can be started
    (e.g. a temp folder whose path is longer than a Unix socket's name may be), dbt starts in
    `perfdw-dbt` as it does without one."""

    def __init__(self, rehearse: bool = False) -> None:
        # Whether each standby parses the project while it waits (perfdw.dbt.rehearse_parse).
        self._rehearse = rehearse
        self._cleanup = ExitStack()
        self._address = ""
        self._process: subprocess.Popen | None = None
        self._alive: int | None = None

    def __enter__(self) -> Standby:
        folder = self._cleanup.enter_context(tempfile.TemporaryDirectory(prefix="perfdw-dbt-"))
        self._address = os.path.join(folder, "standby.sock")
        self._cleanup.enter_context(environment_variable(SOCKET_ENV, self._address))
        self._cleanup.callback(self._stop)
        self.ready()
        return self

    def __exit__(self, *_exc) -> None:
        self._cleanup.close()

    @property
    def pid(self) -> int | None:
        """The process id of the standby started last, until it is stopped."""
        return None if self._process is None else self._process.pid

    @property
    def waiting(self) -> bool:
        """A standby is up (or importing) and has taken no command yet: it removes its socket's
        name as it takes one."""
        return self._process is not None and self._process.poll() is None and os.path.exists(self._address)

    def ready(self) -> None:
        if self.waiting:
            return
        self._stop()
        # The standby leaves when this pipe closes: when the load ends (or dies) without it.
        alive_read, alive_write = os.pipe()
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
                # Bound before the standby starts: a command started meanwhile waits in the
                # backlog while the standby imports, instead of finding no socket.
                listener.bind(self._address)
                listener.listen(1)
                self._process = subprocess.Popen(
                    [sys.executable, "-m", __name__, str(listener.fileno()), str(alive_read),
                     *(["rehearse"] if self._rehearse else [])],
                    pass_fds=(listener.fileno(), alive_read),
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
        except OSError:
            os.close(alive_write)
            if os.path.exists(self._address):
                os.unlink(self._address)
            return
        finally:
            os.close(alive_read)
        self._alive = alive_write

    def _stop(self) -> None:
        if self._alive is not None:
            os.close(self._alive)
            self._alive = None
        if self._process is None:
            return
        if os.path.exists(self._address):  # never took a command: idle, or still importing
            self._process.terminate()
            os.unlink(self._address)
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


# ---------------------------------------------------------------------------------------------
# perfdw-dbt's side


def hand_over(args: list[str]) -> int | None:
    """Run `dbt args` in the standby the environment names: its exit code, or None when no
    standby takes the command."""
    address = os.environ.get(SOCKET_ENV)
    if not address:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with connection:
        try:
            connection.connect(address)
            command = json.dumps({"args": args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
            socket.send_fds(connection, [len(command).to_bytes(_LENGTH, "big") + command], list(_STREAMS))
            replies = connection.makefile("rb")
            # The standby's process id, once it has taken the command; nothing if it did not.
            taken = replies.readline()
        except OSError:
            return None
        if not taken.startswith(b"pid "):
            return None
        pid = int(taken.split()[1])
        with _process_handle(pid) as standby:
            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(number, lambda received, _frame: os.kill(pid, received))
            ended = replies.readline()
            # Whoever waits for perfdw-dbt may next open what dbt had open (a DuckDB file takes
            # one process at a time): perfdw-dbt ends after the standby has, as it would after
            # running dbt itself.
            if standby is not None:
                select.select([standby], [], [])
    if not ended.startswith(b"exit "):
        print(f"perfdw-dbt: dbt (process {pid}, on standby) ended without an exit code", file=sys.stderr)
        return 1
    return int(ended.split()[1])


@contextmanager
def _process_handle(pid: int) -> Iterator[int | None]:
    """A pidfd of process `pid` (readable once it has ended), or None where there is none."""
    try:
        handle = os.pidfd_open(pid)
    except (OSError, AttributeError):  # gone already, or a kernel or Python without pidfds
        yield None
        return
    try:
        yield handle
    finally:
        os.close(handle)


# ---------------------------------------------------------------------------------------------
# The standby's side


def _receive(connection: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _address = socket.recv_fds(connection, 1 << 16, len(_STREAMS))
    if len(data) < _LENGTH or len(fds) != len(_STREAMS):
        raise ConnectionError("incomplete command")
    size = int.from_bytes(data[:_LENGTH], "big")
    body = bytearray(data[_LENGTH:])
    while len(body) < size:
        chunk = connection.recv(size - len(body))
        if not chunk:
            raise ConnectionError("incomplete command")
        body += chunk
    return json.loads(body), fds


def _adopt(command: dict, fds: list[int]) -> None:
    """Become the process perfdw-dbt would have been: its streams, folder and environment."""
    for fd, stream in zip(fds, _STREAMS):
        os.dup2(fd, stream)
        os.close(fd)
    # Decided at start-up from the standby's own stdout (/dev/null); dbt decides colour per call.
    sys.stdout.reconfigure(line_buffering=os.isatty(1))
    os.chdir(command["cwd"])
    os.environ.clear()
    os.environ.update(command["env"])


def _release_streams() -> None:
    """Let go of perfdw-dbt's streams: whoever reads them sees their end when perfdw-dbt
    exits, not when this process does."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    devnull = os.open(os.devnull, os.O_RDWR)
    for stream in _STREAMS:
        os.dup2(devnull, stream)
    os.close(devnull)


def _end_with_caller(connection: socket.socket, done: threading.Event) -> None:
    """perfdw-dbt killed before the command ended: end the command the same way."""
    try:
        gone = connection.recv(1) == b""
    except OSError:
        gone = True
    if gone and not done.is_set():
        os.kill(os.getpid(), signal.SIGKILL)


def _interrupted(_number: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _rehearse(cli: Callable) -> None:
    """Warm this process up for the command with a parse of the project (perfdw.dbt.rehearse_parse)."""
    from perfdw.dbt import rehearse_parse
    from perfdw.dbt_process import run_dbt

    # Stopped while it parses (the load ended without dbt), the scratch folder goes with it.
    previous = signal.signal(signal.SIGTERM, _interrupted)
    try:
        rehearse_parse(lambda args: run_dbt(cli, args))
    except Exception:  # a warm-up only: the command parses for itself whatever happened here
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(listening_fd: int, parent_fd: int, rehearse: bool = False) -> None:
    from perfdw.dbt_process import run_dbt, settled_dbt

    listener = socket.socket(fileno=listening_fd)
    cli = settled_dbt()
    waiting, _, _ = select.select([listener, parent_fd], [], [], 0)
    if rehearse and not waiting:
        _rehearse(cli)
    ready, _, _ = select.select([listener, parent_fd], [], [])
    if listener not in ready:
        return
    connection, _ = listener.accept()
    os.unlink(listener.getsockname())
    listener.close()
    os.close(parent_fd)
    with connection:
        try:
            command, fds = _receive(connection)
        except (OSError, ValueError):
            return  # perfdw-dbt gets no process id and runs the command itself
        _adopt(command, fds)
        connection.sendall(f"pid {os.getpid()}\n".encode())
        done = threading.Event()
        threading.Thread(target=_end_with_caller, args=(connection, done), daemon=True).start()
        code = run_dbt(cli, command["args"])
        done.set()
        _release_streams()
        connection.sendall(f"exit {code}\n".encode())


if __name__ == "__main__":
    from perfdw import collector

    try:
        serve(int(sys.argv[1]), int(sys.argv[2]), rehearse=sys.argv[3:] == ["rehearse"])
    except KeyboardInterrupt:  # a terminal's Ctrl-C reaches the whole process group, idle or not
        sys.exit(130)
    collector.skip_exit_passes()
