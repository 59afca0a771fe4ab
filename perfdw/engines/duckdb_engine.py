"""DuckDB, the default engine: extract lands raw straight in the pipeline's file, dbt-duckdb
builds it there, and publishing copies the marts to the read-only serving copy and Parquet."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from perfdw.engines import Progress
from perfdw.paths import Paths


class DuckDBEngine:
    name = "duckdb"

    def prepare(self, paths: Paths, progress: Progress) -> None:
        pass

    def dbt_vars(self, paths: Paths) -> dict[str, object]:
        # profiles.yml reads the file from this var. Relative to the warehouse folder, where dbt
        # runs: the same string for every warehouse, so dbt's partial-parse state, which is
        # keyed on the vars and the connection's path, carries over to a new one (perfdw.dbt).
        return {"warehouse_db": str(paths.pipeline_db.relative_to(paths.home))}

    def land_raw(self, paths: Paths, years: Sequence[int] | None, progress: Progress) -> None:
        pass  # extract wrote the raw schema of pipeline.duckdb itself

    def warm_up(self) -> None:
        from expectations.runner import import_gx

        import_gx()

    def validate(self, paths: Paths, year: int | None, progress: Progress, loaded_years: Sequence[int] | None):
        from expectations.runner import run_validation
        from perfdw.pipeline import StepFailed

        if not paths.pipeline_db.is_file():
            raise StepFailed(f"validate: nothing loaded yet: {paths.pipeline_db} does not exist (run `perfdw run`)")
        return run_validation(paths, year=year, progress=progress, loaded_years=loaded_years)

    def publish(self, paths: Paths, metadata: dict | None, per_year: Collection[str],
                years: Sequence[int] | None = None):
        from perfdw.publish import publish

        return publish(paths, metadata, per_year, years)

    def query(self, paths: Paths, sql: str) -> tuple[list[str], list[tuple]]:
        import duckdb

        if not paths.published_db.is_file():
            raise FileNotFoundError(f"nothing published yet: {paths.published_db} does not exist (run `perfdw run`)")
        with duckdb.connect(str(paths.published_db), read_only=True) as con:
            cursor = con.execute(sql)
            return [column[0] for column in cursor.description or []], cursor.fetchall()

    def stop(self, paths: Paths) -> str | None:
        return None


ENGINE = DuckDBEngine()
