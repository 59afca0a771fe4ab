"""PostgreSQL: the raw hand-over COPYed into schema `raw`, dbt-postgres builds `build_*`, and
publishing swaps a copy of `build_marts` in as `marts`, which the `analyst` role reads.

The server is the user's ($PERFDW_POSTGRES_URL) or a private one under $PERFDW_HOME/postgres
(perfdw.engines.postgres_server). psycopg2 is imported only when a method needs it, so that
`perfdw stop` and a DuckDB-only install can import this module.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Sequence

from perfdw.engines import Progress
from perfdw.engines.postgres_server import (
    Connection, PrivateServer, ServerUnavailable, ensure_private_server, parse_url, stop_private_server, user_url,
)
from perfdw.paths import PUBLISHING_PREFIX, Paths

# The variable the postgres output of profiles.yml reads the password from (dbt's subprocess
# inherits it): vars end up in dbt's artifacts, the environment does not.
PASSWORD_VARIABLE = "PGPASSWORD"


def _connect(connection: Connection, **options):
    import psycopg2

    try:
        return psycopg2.connect(**connection.connect_args(), **options)
    except psycopg2.OperationalError as error:
        where = f"{connection.user}@{connection.host}:{connection.port}/{connection.dbname}"
        hint = "check $PERFDW_POSTGRES_URL" if user_url() else "run `perfdw stop` and try again"
        raise ServerUnavailable(f"cannot connect to PostgreSQL as {where}: {str(error).strip()}; {hint}") from None


class PostgresEngine:
    name = "postgres"

    def connection(self, paths: Paths) -> Connection:
        """The warehouse owner's connection; the private server is started if it isn't running."""
        url = user_url()
        if url:
            return parse_url(url)
        return ensure_private_server(paths.postgres_dir).superuser()

    def prepare(self, paths: Paths, progress: Progress) -> None:
        connection = self.connection(paths)
        con = _connect(connection)
        con.close()
        if connection.password is not None:
            os.environ[PASSWORD_VARIABLE] = connection.password
        progress(f"postgres: {connection.user}@{connection.host}:{connection.port}/{connection.dbname}"
                 f"{'' if user_url() else f' (private server, {paths.postgres_dir})'}")

    def dbt_vars(self, paths: Paths) -> dict[str, object]:
        c = self.connection(paths)
        return {"postgres_host": c.host, "postgres_port": c.port, "postgres_user": c.user, "postgres_dbname": c.dbname}

    def land_raw(self, paths: Paths, years: Sequence[int] | None, progress: Progress) -> None:
        from perfdw.engines.postgres_raw import land_raw

        con = _connect(self.connection(paths))
        try:
            loaded = land_raw(con, paths.raw_parquet, years)
        finally:
            con.close()
        progress(f"postgres: raw tables of {', '.join(map(str, loaded)) or 'no year'} landed")

    def warm_up(self) -> None:
        from expectations.runner import import_gx

        import_gx()
        import expectations.postgres_source  # noqa: F401 - imported for its cost, now

    def validate(self, paths: Paths, year: int | None, progress: Progress, loaded_years: Sequence[int] | None):
        from expectations.postgres_source import PostgresBatches
        from expectations.runner import run_validation

        return run_validation(paths, year=year, progress=progress, loaded_years=loaded_years,
                              batches=PostgresBatches(self.connection(paths)))

    def publish(self, paths: Paths, metadata: dict | None, per_year: Collection[str],
                years: Sequence[int] | None = None):
        from perfdw.engines.postgres_publish import APPLICATION_NAME, publish_marts
        from perfdw.publish import Publication

        # A publisher killed while its transaction waits (e.g. for a reader's lock) is noticed
        # by the server within a second, which rolls it back and frees the old marts.
        con = _connect(self.connection(paths), application_name=APPLICATION_NAME,
                       options="-c client_connection_check_interval=1000")
        try:
            relations, published_at, years = publish_marts(con, metadata)
        finally:
            con.close()
        self._record(paths, relations, published_at, years, metadata)
        return Publication(database=paths.postgres_dir, parquet_dir=paths.parquet, relations=relations,
                           published_at=published_at)

    def _record(self, paths: Paths, relations: list[str], published_at: str, years: list[int],
                metadata: dict | None) -> None:
        """published.json, as DuckDB's publish writes it, plus the engine and the years published."""
        c = self.connection(paths)
        staged = paths.home / f"{PUBLISHING_PREFIX}published.json"
        staged.write_text(json.dumps(
            {"published_at": published_at, "engine": self.name,
             "database": f"postgresql://{c.host}:{c.port}/{c.dbname}", "schema": "marts",
             "relations": relations, "fiscal_years": years, **(metadata or {})},
            ensure_ascii=False, indent=2,
        ), encoding="utf-8")
        os.replace(staged, paths.published_json)

    def query(self, paths: Paths, sql: str) -> tuple[list[str], list[tuple]]:
        url = user_url()
        if url:
            # A user's server: their account, in transactions the server keeps read-only.
            connection = parse_url(url)
        else:
            # The private server (started on demand): the analyst login, which may read the
            # published marts and nothing else.
            if not PrivateServer(paths.postgres_dir).exists():
                raise FileNotFoundError(f"nothing published on postgres yet: no private server in {paths.postgres_dir} "
                                        "(run `perfdw run --engine postgres`, or set $PERFDW_POSTGRES_URL)")
            connection = ensure_private_server(paths.postgres_dir).analyst()
        con = _connect(connection, application_name="perfdw sql",
                       options="-c default_transaction_read_only=on -c search_path=marts")
        try:
            con.set_session(readonly=True)
            with con.cursor() as cur:
                cur.execute(sql)
                columns = [column.name for column in cur.description or []]
                rows = cur.fetchall() if cur.description else []
            con.rollback()
        finally:
            con.close()
        return columns, rows

    def stop(self, paths: Paths) -> str | None:
        if stop_private_server(paths.postgres_dir):
            return f"the private PostgreSQL server ({paths.postgres_dir})"
        return None


ENGINE = PostgresEngine()
