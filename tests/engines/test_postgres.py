"""The PostgreSQL engine on a real private server (Debian's initdb + pg_ctl), loaded once per
session with the bundled corpus (tests/engines/postgres_server.py). No mocks.

The tests that publish again publish the same build with other metadata: the marts' rows stay
those of the load, and `marts.publication` tells one publication from another. `perfdw stop`
is tested last in this file (it stops the session's server).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
import psycopg2.errors
import pytest

from perfdw.dbt import MANIFEST, prepare_manifest
from perfdw.engines import get_engine
from perfdw.engines.postgres_publish import APPLICATION_NAME
from perfdw.engines.postgres_raw import land_raw
from perfdw.engines.postgres_server import (
    PrivateServer, ServerUnavailable, ensure_private_server, parse_url, stop_private_server,
)
from perfdw.manifest import published_models
from perfdw.paths import Paths
from tests.conftest import DOCUMENTS, REPO
from tests.engines.postgres_server import perfdw, postgres_home  # noqa: F401 - the session fixture

ENGINE = get_engine("postgres")
PUBLISHED_SCHEMAS_LEFT = "select nspname from pg_namespace where nspname like 'marts%' order by 1"


def _paths(home: Path) -> Paths:
    return Paths(home=home, documents=DOCUMENTS)


def _server(home: Path) -> PrivateServer:
    return PrivateServer(_paths(home).postgres_dir)


def _connect(home: Path, analyst: bool = False, **options):
    server = _server(home)
    return psycopg2.connect(**(server.analyst() if analyst else server.superuser()).connect_args(), **options)


def _rows(con, sql: str) -> list[tuple]:
    with con.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def _publication(home: Path) -> dict:
    con = _connect(home, analyst=True)
    try:
        ((metadata,),) = _rows(con, "select metadata from marts.publication")
    finally:
        con.close()
    return json.loads(metadata)


@pytest.fixture(scope="module")
def marts() -> list[str]:
    prepare_manifest()
    return published_models(MANIFEST)


def _wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _publisher_waits_on_lock(home: Path) -> bool:
    con = _connect(home)
    try:
        return bool(_rows(con, f"select count(*) from pg_stat_activity where application_name = '{APPLICATION_NAME}' "
                               "and wait_event_type = 'Lock'")[0][0])
    finally:
        con.close()


def _publisher_gone(home: Path) -> bool:
    con = _connect(home)
    try:
        return not _rows(con, f"select 1 from pg_stat_activity where application_name = '{APPLICATION_NAME}'")
    finally:
        con.close()


def test_every_mart_equals_duckdbs(postgres_home: Path, published_home: Path, marts: list[str]) -> None:
    """Same rows as DuckDB's published copy of the same documents: multisets, decimals exact
    (both engines give DECIMAL(24,6) amounts the same scale, so no normalization)."""
    assert marts, "the manifest lists no published mart"
    con = _connect(postgres_home)
    problems = []
    try:
        with duckdb.connect(str(published_home / "perfdw.duckdb"), read_only=True) as duck:
            for mart in marts:
                cursor = duck.execute(f'select * from marts."{mart}"')
                duck_columns, duck_rows = [c[0] for c in cursor.description], cursor.fetchall()
                with con.cursor() as cur:
                    cur.execute(f'select * from marts."{mart}"')
                    pg_columns, pg_rows = [c.name for c in cur.description], cur.fetchall()
                if pg_columns != duck_columns:
                    problems.append(f"{mart}: columns {pg_columns} on postgres, {duck_columns} on duckdb")
                    continue
                only_pg = Counter(pg_rows) - Counter(duck_rows)
                only_duck = Counter(duck_rows) - Counter(pg_rows)
                if only_pg or only_duck:
                    problems.append(
                        f"{mart}: {len(pg_rows)} rows on postgres, {len(duck_rows)} on duckdb; "
                        f"only on postgres: {list(only_pg.elements())[:3]}; only on duckdb: {list(only_duck.elements())[:3]}"
                    )
    finally:
        con.close()
    assert not problems, "\n".join(problems)


def test_amounts_are_exact_decimals(postgres_home: Path) -> None:
    con = _connect(postgres_home)
    try:
        types = dict(_rows(con, "select column_name, format_type(atttypid, atttypmod) from information_schema.columns "
                                "join pg_attribute on attrelid = 'marts.fct_project_budget'::regclass and attname = column_name "
                                "where table_schema = 'marts' and table_name = 'fct_project_budget'"))
        total = _rows(con, "select sum(total_wan) from marts.fct_project_budget")[0][0]
    finally:
        con.close()
    assert {types[c] for c in ("total_wan", "fiscal_wan", "special_account_wan", "other_wan")} == {"numeric(24,6)"}
    assert isinstance(total, Decimal) and total.as_tuple().exponent == -6


def test_perfdw_sql_counts_the_projects(postgres_home: Path) -> None:
    result = perfdw("sql", "--engine", "postgres", "select count(*) from marts.fct_project_budget", home=postgres_home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2].strip() == "354", result.stdout
    as_csv = perfdw("sql", "--engine", "postgres", "--csv",
                    "select fiscal_year, sum(total_wan) as total from fct_project_budget group by 1 order by 1",
                    home=postgres_home)
    assert as_csv.returncode == 0, as_csv.stderr
    lines = as_csv.stdout.splitlines()
    assert lines[0] == "fiscal_year,total" and len(lines) == 5
    assert all(len(line.split(",")[1].split(".")[1]) == 6 for line in lines[1:]), lines  # exact, six decimals


def test_perfdw_sql_reads_nothing_but_the_marts(postgres_home: Path) -> None:
    raw = perfdw("sql", "--engine", "postgres", "select count(*) from raw.documents", home=postgres_home)
    assert raw.returncode == 1 and "permission denied for schema raw" in raw.stderr, raw.stderr
    write = perfdw("sql", "--engine", "postgres", "delete from marts.fct_project_budget", home=postgres_home)
    assert write.returncode == 1 and "read-only transaction" in write.stderr, write.stderr


def test_analyst_reads_the_marts_only(postgres_home: Path, marts: list[str]) -> None:
    con = _connect(postgres_home, analyst=True)
    con.autocommit = True
    try:
        for mart in marts + ["publication"]:
            _rows(con, f'select count(*) from marts."{mart}"')
        assert _rows(con, "select count(*) from marts.fct_project_budget") == [(354,)]
        refused = {
            "insert into marts.fct_project_budget (project_id) values ('x')": psycopg2.errors.InsufficientPrivilege,
            "update marts.dim_document set layout = 'x'": psycopg2.errors.InsufficientPrivilege,
            "create table marts.scratch (a int)": psycopg2.errors.InsufficientPrivilege,
            "create table public.scratch (a int)": psycopg2.errors.InsufficientPrivilege,
            "create schema scratch": psycopg2.errors.InsufficientPrivilege,
            "select count(*) from raw.documents": psycopg2.errors.InsufficientPrivilege,
            "select count(*) from build_marts.fct_project_budget": psycopg2.errors.InsufficientPrivilege,
            "select count(*) from build_staging.stg_documents": psycopg2.errors.InsufficientPrivilege,
            "select count(*) from build_intermediate.int_projects": psycopg2.errors.InsufficientPrivilege,
        }
        for sql, error in refused.items():
            with pytest.raises(error, match="permission denied"):
                _rows(con, sql)
        (login, group) = _rows(con, "select (select rolcanlogin from pg_roles where rolname = 'perfdw_analyst'), "
                                    "(select rolcanlogin from pg_roles where rolname = 'analyst')")[0]
        assert (login, group) == (True, False)
    finally:
        con.close()


def test_one_year_land_replaces_that_year_only(postgres_home: Path) -> None:
    """The rows of 2024 are written anew (new xmin), the other years' are not touched."""
    con = _connect(postgres_home)
    query = ("select d.fiscal_year, count(*), min(r.xmin::text::bigint), max(r.xmin::text::bigint) "
             "from raw.indicator_items r join raw.documents d using (document_id) group by 1 order by 1")
    try:
        before = {year: (count, low, high) for year, count, low, high in _rows(con, query)}
        land_raw(con, _paths(postgres_home).raw_parquet, [2024])
        after = {year: (count, low, high) for year, count, low, high in _rows(con, query)}
        con.rollback()
    finally:
        con.close()
    assert before.keys() == after.keys() == {2023, 2024, 2025, 2026}
    assert {year: values[0] for year, values in after.items()} == {year: values[0] for year, values in before.items()}
    assert after[2024][1] > before[2024][2]  # rewritten
    assert all(after[year] == before[year] for year in (2023, 2025, 2026))


def test_a_one_year_reload_replaces_that_year_only(postgres_home: Path, marts: list[str]) -> None:
    """`perfdw run --engine postgres --year 2024`: the per-year facts (incremental, delete+insert)
    rewrite the rows of 2024 and leave the other years' rows as they were; the same documents
    give the same published marts."""
    def snapshot(con) -> dict[str, Counter]:
        return {mart: Counter(_rows(con, f'select * from marts."{mart}"')) for mart in marts}

    facts = ("select fiscal_year, min(xmin::text::bigint), max(xmin::text::bigint) "
             "from build_marts.fct_project_budget group by 1 order by 1")
    con = _connect(postgres_home)
    try:
        before, facts_before = snapshot(con), dict((y, (lo, hi)) for y, lo, hi in _rows(con, facts))
    finally:
        con.close()
    result = perfdw("run", "--engine", "postgres", "--year", "2024", home=postgres_home)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    con = _connect(postgres_home)
    try:
        after, facts_after = snapshot(con), dict((y, (lo, hi)) for y, lo, hi in _rows(con, facts))
    finally:
        con.close()
    assert facts_after[2024][0] > facts_before[2024][1], "the 2024 facts were not rewritten"
    assert {y: v for y, v in facts_after.items() if y != 2024} == {y: v for y, v in facts_before.items() if y != 2024}
    changed = [mart for mart in marts if after[mart] != before[mart]]
    assert not changed, f"a reload of unchanged documents changed {changed}"


def test_a_reader_finishes_undisturbed_while_a_publish_waits(postgres_home: Path) -> None:
    paths = _paths(postgres_home)
    old = _publication(postgres_home)
    reader = _connect(postgres_home, analyst=True)
    done = threading.Event()
    failure: list[BaseException] = []

    def publish() -> None:
        try:
            ENGINE.publish(paths, {"test": "publish while reading"}, ())
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failure.append(error)
        finally:
            done.set()

    try:
        first = _rows(reader, "select count(*), sum(total_wan) from marts.fct_project_budget")
        publisher = threading.Thread(target=publish)
        publisher.start()
        _wait_for(lambda: _publisher_waits_on_lock(postgres_home), "the publish to wait for the reader")
        # In the middle of its transaction, the reader still reads the old marts, whole.
        assert _rows(reader, "select count(*), sum(total_wan) from marts.fct_project_budget") == first
        assert json.loads(_rows(reader, "select metadata from marts.publication")[0][0]) == old
        assert _rows(reader, "select count(*) from marts.fct_project_budget, pg_sleep(1)") == [(354,)]
        assert not done.is_set(), "the publish finished while a reader held the old marts"
        reader.commit()
        publisher.join(60)
        assert done.is_set() and not failure, failure
    finally:
        reader.close()
    assert _publication(postgres_home) == {"test": "publish while reading"}
    con = _connect(postgres_home)
    try:
        assert _rows(con, PUBLISHED_SCHEMAS_LEFT) == [("marts",)]
    finally:
        con.close()


def test_a_killed_publish_leaves_the_marts_as_they_were(postgres_home: Path, marts: list[str]) -> None:
    old = _publication(postgres_home)
    counts = "select " + ", ".join(f'(select count(*) from marts."{mart}")' for mart in marts)
    reader = _connect(postgres_home, analyst=True)
    before = _rows(reader, counts)  # holds the old marts: the publish stops before its commit
    env = {key: value for key, value in os.environ.items() if key != "PERFDW_POSTGRES_URL"}
    publisher = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from perfdw.engines import get_engine; from perfdw.paths import Paths; "
         "get_engine('postgres').publish(Paths(Path(sys.argv[1]), Path(sys.argv[2])), {'test': 'killed'}, ())",
         str(postgres_home), str(DOCUMENTS)],
        cwd=REPO, env=env,
    )
    try:
        _wait_for(lambda: _publisher_waits_on_lock(postgres_home), "the publish to reach its swap")
        publisher.send_signal(signal.SIGKILL)
        publisher.wait(30)
    finally:
        if publisher.poll() is None:
            publisher.kill()
        reader.commit()
        reader.close()
    _wait_for(lambda: _publisher_gone(postgres_home), "the killed publisher's session to end", timeout=30)
    assert _publication(postgres_home) == old
    con = _connect(postgres_home, analyst=True)
    try:
        assert _rows(con, counts) == before
    finally:
        con.close()
    admin = _connect(postgres_home)
    try:
        assert _rows(admin, PUBLISHED_SCHEMAS_LEFT) == [("marts",)]
    finally:
        admin.close()
    ENGINE.publish(_paths(postgres_home), {"test": "after the killed one"}, ())
    assert _publication(postgres_home) == {"test": "after the killed one"}


def test_status_tells_the_published_years(postgres_home: Path) -> None:
    result = perfdw("status", home=postgres_home)
    assert result.returncode == 0, result.stderr
    published_at = json.loads((postgres_home / "published.json").read_text(encoding="utf-8"))["published_at"]
    rows = [line.split() for line in result.stdout.splitlines()[2:]]
    assert [(row[0], row[-1]) for row in rows] == [(year, published_at) for year in ("2023", "2024", "2025", "2026")]


def test_validation_on_postgres_names_the_flagged_rows(postgres_home: Path) -> None:
    """Through GX's postgres data source: a reconciliation row broken in the build fails the
    suite with a message naming its document and line; once restored, every suite passes,
    the comparison with the published marts included."""
    paths = _paths(postgres_home)
    con = _connect(postgres_home)
    con.autocommit = True
    try:
        ((file, line, unit, column),) = _rows(
            con, "select source_file, printed_source_line, unit_name, amount_column from build_marts.rpt_reconciliation "
                 "where status = 'ok' and unit_name is not null order by source_file, printed_source_line, amount_column limit 1")
        broken = (f"update build_marts.rpt_reconciliation set status = '{{}}' where source_file = '{file}' "
                  f"and printed_source_line = {line} and amount_column = '{column}' and unit_name = '{unit}'")
        _rows(con, broken.format("mismatch") + " returning 1")
        try:
            summary = ENGINE.validate(paths, None, lambda _: None, None)
        finally:
            _rows(con, broken.format("ok") + " returning 1")
        assert not summary.success
        assert any(f"{file} line {line} · {unit} · {column}" in failure for failure in summary.failures), summary.failures
        again = ENGINE.validate(paths, None, lambda _: None, None)
        ((reconciliation_rows,),) = _rows(con, "select count(*) from build_marts.rpt_reconciliation")
    finally:
        con.close()
    assert again.success, again.failures
    assert again.suites["published"]["rows"] > 0 and again.suites["published"]["success"]
    assert again.suites["reconciliation"]["rows"] == reconciliation_rows


def test_query_on_a_users_server_runs_read_only(postgres_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With $PERFDW_POSTGRES_URL the account is the user's own (here the owner of every table):
    perfdw sql reads in read-only transactions, so even the owner's writes are refused."""
    admin = _server(postgres_home).superuser()
    monkeypatch.setenv("PERFDW_POSTGRES_URL",
                       f"postgresql://{admin.user}:{admin.password}@{admin.host}:{admin.port}/{admin.dbname}")
    paths = _paths(postgres_home)
    columns, rows = ENGINE.query(paths, "select count(*) as projects from marts.fct_project_budget")
    assert (columns, rows) == (["projects"], [(354,)])
    for sql in ("delete from marts.fct_project_budget", "create table marts.scratch (a int)"):
        with pytest.raises(psycopg2.errors.ReadOnlySqlTransaction):
            ENGINE.query(paths, sql)


def test_a_home_the_server_user_cannot_reach_is_refused(tmp_path: Path) -> None:
    """As root the server runs as `postgres`, which can't reach pytest's own temporary folders
    (mode 0700): refused before initdb, with what to do. As another user, the server is theirs."""
    folder = tmp_path / "postgres"
    if os.geteuid() == 0:
        with pytest.raises(ServerUnavailable, match="cannot reach .*PERFDW_POSTGRES_URL"):
            ensure_private_server(folder)
        assert not PrivateServer(folder).exists()
        return
    server = ensure_private_server(folder)
    try:
        psycopg2.connect(**server.superuser().connect_args()).close()
    finally:
        assert stop_private_server(folder)


def test_a_users_server_url() -> None:
    c = parse_url("postgresql://ana%40bureau:s%3Acret@db.example:6543/finance")
    assert (c.user, c.password, c.host, c.port, c.dbname) == ("ana@bureau", "s:cret", "db.example", 6543, "finance")
    with pytest.raises(ServerUnavailable, match=r"\*\*\*") as error:
        parse_url("mysql://ana:secret@db.example/finance")
    assert "secret" not in str(error.value)


def test_perfdw_stop_stops_the_private_server(postgres_home: Path) -> None:
    """Last: it stops the session's server."""
    server = _server(postgres_home)
    admin = server.superuser()
    result = perfdw("stop", home=postgres_home)
    assert result.returncode == 0, result.stderr
    assert "stop: stopped the private PostgreSQL server" in result.stdout, result.stdout + result.stderr
    assert "nothing" not in result.stdout
    assert not server.port_file.exists()
    with pytest.raises(psycopg2.OperationalError):
        psycopg2.connect(**admin.connect_args(), connect_timeout=3)
    assert not stop_private_server(server.folder)  # nothing left running
    again = perfdw("stop", home=postgres_home)
    assert again.returncode == 0 and "was running" in again.stdout
