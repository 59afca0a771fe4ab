"""Publish on PostgreSQL: `build_marts` copied into a new schema and swapped in as `marts`.

Everything happens in ONE transaction: the copy (views become tables, so the published marts
stand alone), the `publication` table, the grants to the `analyst` role, then the swap: the old
`marts` renamed away and dropped, the new schema renamed `marts`. A reader sees the old marts or
the new ones, never a mix. Dropping the old tables waits for readers still inside a query (or
an open transaction) over them, so they finish undisturbed; readers arriving meanwhile wait
for the commit and then read the new marts. A publisher killed at any point leaves nothing but
a rolled-back transaction: `marts` as it was.

The `analyst` role (NOLOGIN; users are granted it) may use schema `marts` and read its tables,
and nothing else of the warehouse: it has no grant on `raw` or `build_*`.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

BUILD_SCHEMA = "build_marts"
PUBLISHED_SCHEMA = "marts"
ANALYST_ROLE = "analyst"
APPLICATION_NAME = "perfdw publish"


def ensure_analyst_role(cur) -> None:
    import psycopg2.errors

    cur.execute("select 1 from pg_roles where rolname = %s", [ANALYST_ROLE])
    if cur.fetchone() is None:
        try:
            cur.execute(f"create role {ANALYST_ROLE} nologin")
        except psycopg2.errors.InsufficientPrivilege:
            raise PermissionError(
                f"the role '{ANALYST_ROLE}' that may read the published marts does not exist, and this account "
                f"may not create it: ask the server's administrator to run `create role {ANALYST_ROLE} nologin`"
            ) from None


def _relations(cur) -> list[str]:
    cur.execute("select table_name from information_schema.tables where table_schema = %s order by table_name",
                [BUILD_SCHEMA])
    return [name for (name,) in cur.fetchall()]


def publish_marts(con, metadata: dict | None) -> tuple[list[str], str, list[int]]:
    """Copy and swap in one transaction; (relations, published_at, fiscal years published)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ").lower()
    incoming, retired = f"marts_publishing_{stamp}", f"marts_retired_{stamp}"
    published_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with con, con.cursor() as cur:
        relations = _relations(cur)
        if not relations:
            raise RuntimeError(f"nothing to publish: schema {BUILD_SCHEMA} is empty or missing (run the dbt build)")
        cur.execute(f"create schema {incoming}")
        for name in relations:
            cur.execute(f'create table {incoming}."{name}" as select * from {BUILD_SCHEMA}."{name}"')
        cur.execute(f"create table {incoming}.publication (published_at text, metadata text)")
        cur.execute(f"insert into {incoming}.publication values (%s, %s)",
                    [published_at, json.dumps(metadata or {}, ensure_ascii=False)])
        ensure_analyst_role(cur)
        cur.execute(f"grant usage on schema {incoming} to {ANALYST_ROLE}")
        cur.execute(f"grant select on all tables in schema {incoming} to {ANALYST_ROLE}")
        cur.execute(f"select distinct fiscal_year from {incoming}.dim_document order by 1")
        years = [int(year) for (year,) in cur.fetchall()]
        cur.execute("select 1 from pg_namespace where nspname = %s", [PUBLISHED_SCHEMA])
        if cur.fetchone():
            cur.execute(f"alter schema {PUBLISHED_SCHEMA} rename to {retired}")
            cur.execute(f"alter schema {incoming} rename to {PUBLISHED_SCHEMA}")
            cur.execute(f"drop schema {retired} cascade")
        else:
            cur.execute(f"alter schema {incoming} rename to {PUBLISHED_SCHEMA}")
    return relations, published_at, years
