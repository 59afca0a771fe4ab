"""Where the PostgreSQL engine's server is: the user's ($PERFDW_POSTGRES_URL) or a private one.

The private server is a cluster of Debian's binaries under `$PERFDW_HOME/postgres`: `initdb` on
first use, started on demand on a free port of 127.0.0.1 (remembered in a file beside the
cluster, reused while it runs), stopped by `perfdw stop`. It listens on TCP only, so nothing
depends on /var/run/postgresql, and it uses password authentication with generated passwords
kept beside the cluster (readable by the warehouse's owner only). The cluster uses the C locale:
text sorts and compares by code point, as in DuckDB, so ordered windows and min/max over names
give the same answers on both engines.

`initdb` refuses to run as root, so as root the server runs as the `postgres` system user, which
then owns the cluster folder and must be able to reach it.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import secrets
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

URL_VARIABLE = "PERFDW_POSTGRES_URL"
SERVER_USER = "postgres"  # the system user that runs the private server when perfdw runs as root
SUPERUSER = "perfdw"
DATABASE = "perfdw"
ANALYST_LOGIN = "perfdw_analyst"  # the private server's login in the analyst role (perfdw sql)
BINARIES = Path("/usr/lib/postgresql")
START_TIMEOUT_S = 60


class ServerUnavailable(RuntimeError):
    """The server can't be reached or started; the message says what to do."""


@dataclass(frozen=True)
class Connection:
    host: str
    port: int
    user: str
    dbname: str
    password: str | None

    def connect_args(self) -> dict[str, object]:
        """Keyword arguments of psycopg2.connect."""
        args: dict[str, object] = {"host": self.host, "port": self.port, "user": self.user, "dbname": self.dbname}
        if self.password is not None:
            args["password"] = self.password
        return args

    def as_user(self, user: str, password: str | None) -> "Connection":
        return Connection(self.host, self.port, user, self.dbname, password)


def parse_url(url: str) -> Connection:
    """postgresql://user[:password]@host[:port]/dbname → Connection."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname or not parts.path.strip("/"):
        raise ServerUnavailable(
            f"{URL_VARIABLE} must look like postgresql://user:password@host:port/database, got {_redacted(url)!r}"
        )
    return Connection(
        host=parts.hostname, port=parts.port or 5432, user=unquote(parts.username or "postgres"),
        dbname=unquote(parts.path.strip("/")), password=unquote(parts.password) if parts.password else None,
    )


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def user_url() -> str | None:
    return os.environ.get(URL_VARIABLE) or None


@dataclass(frozen=True)
class PrivateServer:
    """The private cluster of one warehouse, and the files beside it."""

    folder: Path  # paths.postgres_dir

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def port_file(self) -> Path:
        return self.folder / "port"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def exists(self) -> bool:
        """Whether the cluster was initialized (it may be stopped)."""
        return (self.data / "PG_VERSION").is_file()

    def password_file(self, role: str) -> Path:
        return self.folder / f"{role}.password"

    def password(self, role: str) -> str:
        return self.password_file(role).read_text(encoding="utf-8").strip()

    def superuser(self) -> Connection:
        return Connection("127.0.0.1", int(self.port_file.read_text().strip()), SUPERUSER, DATABASE,
                          self.password(SUPERUSER))

    def analyst(self) -> Connection:
        return self.superuser().as_user(ANALYST_LOGIN, self.password(ANALYST_LOGIN))


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _as_server_user(command: list[str]) -> list[str]:
    if not _running_as_root():
        return command
    return ["runuser", "-u", SERVER_USER, "--", *command]


def bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries (Debian: /usr/lib/postgresql/<version>/bin)."""
    found = [folder / "bin" for folder in BINARIES.glob("*") if (folder / "bin" / "initdb").is_file()
             and (folder / "bin" / "pg_ctl").is_file() and folder.name.split(".")[0].isdigit()]
    if not found:
        raise ServerUnavailable(
            f"PostgreSQL's server is not installed (no {BINARIES}/<version>/bin/initdb): install it "
            f"(as root: apt-get install -y postgresql) or point perfdw at your server with "
            f"{URL_VARIABLE}=postgresql://user:password@host:port/database"
        )
    return max(found, key=lambda path: [int(part) for part in path.parent.name.split(".") if part.isdigit()])


def _run(command: list[str], what: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(_as_server_user(command), capture_output=True, text=True)
    if result.returncode != 0:
        raise ServerUnavailable(f"{what} failed: {(result.stderr or result.stdout).strip()}")
    return result


def _give_to_server_user(path: Path) -> None:
    if _running_as_root():
        account = pwd.getpwnam(SERVER_USER)
        os.chown(path, account.pw_uid, account.pw_gid)


def hand_to_server_user(folder: Path) -> None:
    """As root, the cluster's folder belongs to the `postgres` user, who must be able to reach it:
    every folder above it traversable by other users."""
    if not _running_as_root():
        return
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise ServerUnavailable(
            f"perfdw runs as root and the private PostgreSQL server must run as the '{SERVER_USER}' system user, "
            f"which does not exist: install postgresql (apt-get install -y postgresql), run perfdw as another "
            f"user, or set {URL_VARIABLE}"
        ) from None
    _give_to_server_user(folder)
    check = subprocess.run(_as_server_user(["test", "-w", str(folder), "-a", "-x", str(folder)]))
    if check.returncode != 0:
        raise ServerUnavailable(
            f"the private PostgreSQL server runs as the '{SERVER_USER}' system user (perfdw runs as root), which "
            f"cannot reach {folder}: a folder above it is not traversable by other users (e.g. a mode 0700 "
            f"home or /tmp/pytest-of-root); use a PERFDW_HOME that '{SERVER_USER}' can reach (chmod o+x its "
            f"parents), run perfdw as a non-root user, or set {URL_VARIABLE}"
        )


def _write_secret(path: Path, value: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(value + "\n")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _locked(server: PrivateServer) -> Iterator[None]:
    """One process at a time initializes, starts or stops the cluster."""
    with open(server.folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _initdb(server: PrivateServer, binaries: Path) -> None:
    _write_secret(server.password_file(SUPERUSER), secrets.token_urlsafe(24))
    # initdb reads the password from a file it (the server user) can read; gone right after.
    pwfile = server.folder / ".initdb-password"
    _write_secret(pwfile, server.password(SUPERUSER))
    _give_to_server_user(pwfile)
    shutil.rmtree(server.data, ignore_errors=True)  # what an interrupted initdb left (no PG_VERSION)
    try:
        _run([str(binaries / "initdb"), "-D", str(server.data), "-U", SUPERUSER, f"--pwfile={pwfile}",
              "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-instructions"],
             f"initdb of the private PostgreSQL cluster {server.data}")
    finally:
        pwfile.unlink(missing_ok=True)
    # TCP on the loopback only (the port is given at start); no Unix socket in a system folder.
    with open(server.data / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n")


def _is_running(server: PrivateServer, binaries: Path) -> bool:
    status = subprocess.run(_as_server_user([str(binaries / "pg_ctl"), "status", "-D", str(server.data)]),
                            capture_output=True, text=True)
    return status.returncode == 0


def _stop(server: PrivateServer, binaries: Path) -> None:
    _run([str(binaries / "pg_ctl"), "stop", "-D", str(server.data), "-m", "fast", "-w"],
         "stopping the private PostgreSQL server")
    server.port_file.unlink(missing_ok=True)


def _start(server: PrivateServer, binaries: Path) -> None:
    port = _free_port()
    server.port_file.write_text(f"{port}\n", encoding="utf-8")
    _run([str(binaries / "pg_ctl"), "start", "-D", str(server.data), "-l", str(server.log), "-w",
          "-t", str(START_TIMEOUT_S), "-o", f"-p {port}"],
         f"starting the private PostgreSQL server (log: {server.log})")


def _create_database_and_roles(server: PrivateServer) -> None:
    """The warehouse's database and the analyst login, if missing (a start interrupted before)."""
    import psycopg2

    admin = server.superuser()
    con = psycopg2.connect(**{**admin.connect_args(), "dbname": "postgres"})
    try:
        con.autocommit = True  # CREATE DATABASE refuses to run in a transaction
        with con.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = %s", [DATABASE])
            if cur.fetchone() is None:
                cur.execute(f'create database "{DATABASE}"')
    finally:
        con.close()
    if not server.password_file(ANALYST_LOGIN).is_file():
        _write_secret(server.password_file(ANALYST_LOGIN), secrets.token_urlsafe(24))
    from perfdw.engines.postgres_publish import ensure_analyst_role

    con = psycopg2.connect(**admin.connect_args())
    try:
        with con, con.cursor() as cur:
            ensure_analyst_role(cur)
            cur.execute("select 1 from pg_roles where rolname = %s", [ANALYST_LOGIN])
            verb = "alter" if cur.fetchone() else "create"
            cur.execute(f"{verb} role {ANALYST_LOGIN} login password %s", [server.password(ANALYST_LOGIN)])
            cur.execute(f"grant analyst to {ANALYST_LOGIN}")
    finally:
        con.close()


def ensure_private_server(folder: Path) -> PrivateServer:
    """The private server of `folder`, initialized and started if need be."""
    server = PrivateServer(folder)
    binaries = bin_dir()
    folder.mkdir(parents=True, exist_ok=True)
    hand_to_server_user(folder)
    with _locked(server):
        if not server.exists():
            _initdb(server, binaries)
        if not server.password_file(SUPERUSER).is_file():
            raise ServerUnavailable(
                f"the private PostgreSQL cluster {server.data} has lost its password file "
                f"{server.password_file(SUPERUSER)}: remove {folder} to start afresh (its marts are rebuilt by "
                f"the next `perfdw run --engine postgres`)"
            )
        running = _is_running(server, binaries)
        if running and not server.port_file.is_file():
            _stop(server, binaries)  # running on a port nobody remembers
            running = False
        if not running:
            _start(server, binaries)
        _create_database_and_roles(server)
    return server


def stop_private_server(folder: Path) -> bool:
    """Stop the private server of `folder`; False when there was none running."""
    server = PrivateServer(folder)
    if not server.exists():
        return False
    binaries = bin_dir()
    with _locked(server):
        if not _is_running(server, binaries):
            return False
        _stop(server, binaries)
    return True
