"""One measured stage in a process of its own: `python -m bench.child STAGE ARGS_JSON RESULT_JSON`.

The harness starts this module once per stage and measures the whole process from outside (wall,
CPU and peak RSS through wait4). Inside, the stage's own call is timed too, after the imports it
needs, so that the result separates the work from interpreter start-up and imports.

Stages: the pipeline's own steps (perfdw.pipeline; dbt through the load job's dbt op), the whole `perfdw run` through Dagster and a
one-year reload, and two floors: DuckDB's read_csv over the same document bytes, and the dbt
models' compiled SQL executed directly in DuckDB.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from collections.abc import Callable
from graphlib import TopologicalSorter
from pathlib import Path

RAW_ROW_TABLES = ("budget_rows", "indicator_items", "unit_indicator_items")


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _paths(args: dict):
    from perfdw.paths import resolve_paths

    return resolve_paths(args["home"], args["documents"])


def raw_counts(database: Path) -> dict[str, int]:
    """Rows per raw table of a pipeline database (after the clock stopped)."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        tables = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
        ).fetchall()]
        return {table: con.execute(f"select count(*) from raw.{table}").fetchone()[0] for table in tables}


def _document_files(documents: Path) -> list[str]:
    from extract.corpus import document_files

    return sorted(str(path) for path in document_files(documents))


# --------------------------------------------------------------------------------------------
# Stages: each returns (prepare, call); prepare does the imports, call is what the clock measures.


def _pipeline_step(name: str) -> Callable[[dict], tuple[Callable, Callable]]:
    def stage(args: dict):
        from perfdw import pipeline

        paths = _paths(args)
        step = getattr(pipeline, name)
        if name == "validate_step":
            import great_expectations  # noqa: F401  (5 s of imports, counted apart from the call)
        if name == "publish_step":
            return lambda: step(paths)
        return lambda: step(paths, args.get("year"))

    return stage


def _dbt_build(args: dict):
    """The load's dbt op alone, as production runs it: dagster-dbt in the load job. Its dbt tests
    are asset checks of the op; Great Expectations' checks on the same assets are left out: the
    validate stage measures them (selected with the assets, they added a whole validation)."""
    from orchestration.defs.dbt_assets import dbt_models
    from orchestration.execute import execute_load, failure_lines, fault_tracebacks

    paths = _paths(args)

    def call():
        result = execute_load(paths, args.get("year"), asset_selection=list(dbt_models.keys),
                              asset_check_selection=dbt_models.check_keys)
        if not result.success:
            for traceback in fault_tracebacks(result):  # into the stage's log
                print(traceback, file=sys.stderr)
            raise RuntimeError("\n".join(failure_lines(result)) or "dbt build failed")

    return call


def _perfdw_run(args: dict):
    from perfdw_cli import main as cli

    argv = ["run", "--home", args["home"], "--documents", args["documents"]]
    if args.get("year"):
        argv += ["--year", str(args["year"])]

    def call():
        code = cli.main(argv)
        if code:
            raise RuntimeError(f"perfdw {' '.join(argv)} exited with {code}")

    return call


def _read_csv_floor(args: dict):
    """DuckDB reading the same bytes into a table: every line of every document, with its file."""
    import duckdb

    files = _document_files(Path(args["documents"]))
    database = Path(args["work"]) / "floor_read_csv.duckdb"
    database.unlink(missing_ok=True)
    # One VARCHAR column per line: a delimiter that never occurs in a document (the extractor
    # refuses control characters), no quoting, every line kept (blank ones too).
    sql = (
        "create table document_text as select * from read_csv(?, columns = {'line': 'VARCHAR'}, "
        f"delim = '{chr(1)}', quote = '', escape = '', header = false, auto_detect = false, "
        "new_line = '\\n', filename = true, strict_mode = false)"
    )

    def call():
        with duckdb.connect(str(database)) as con:
            con.execute(sql, [files])
            return {"lines": con.execute("select count(*) from document_text").fetchone()[0]}

    return call


def _model_order(manifest: dict) -> list[dict]:
    models = {
        key: node for key, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["config"].get("materialized") != "ephemeral"
    }
    graph = TopologicalSorter(
        {key: [dep for dep in node["depends_on"]["nodes"] if dep in models] for key, node in models.items()}
    )
    return [models[key] for key in graph.static_order()]


def dbt_duckdb_settings() -> dict[str, str]:
    """The DuckDB settings of profiles.yml's `duckdb` output, which dbt's connection runs with."""
    from perfdw.settings import profile_output

    return {key: str(value) for key, value in (profile_output("duckdb").get("settings") or {}).items()}


def _sql_floor(args: dict):
    """The dbt models' compiled SQL, run directly in DuckDB on a copy of the built warehouse.

    The copy already holds raw and the seeds (and dbt's relations, which are replaced): the
    models are rebuilt in dependency order (tables and incremental models as tables, views as
    views), then every data test's compiled query is run, as `dbt build` does both; with dbt's
    DuckDB settings (its memory limit), so that the two compare.
    """
    import duckdb

    manifest = json.loads(Path(args["manifest"]).read_text(encoding="utf-8"))
    models = _model_order(manifest)
    tests = [
        node for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("compiled_code")
    ]
    missing = [node["name"] for node in models if not node.get("compiled_code")]
    if missing:
        raise RuntimeError(f"manifest has no compiled SQL for {missing[:5]}: run dbt build first")
    source = Path(args["home"]) / "pipeline.duckdb"
    floor_dir = Path(args["work"]) / "floor_sql"
    shutil.rmtree(floor_dir, ignore_errors=True)
    floor_dir.mkdir(parents=True)
    database = floor_dir / "pipeline.duckdb"  # same catalog name as dbt's relation names
    shutil.copyfile(source, database)

    def call():
        timings: dict[str, float] = {}
        with duckdb.connect(str(database), config=dbt_duckdb_settings()) as con:
            started = time.perf_counter()
            for node in models:
                kind = "view" if node["config"].get("materialized") == "view" else "table"
                con.execute(f"create or replace {kind} {node['relation_name']} as (\n{node['compiled_code']}\n)")
            timings["models_s"] = time.perf_counter() - started
            started = time.perf_counter()
            for node in tests:
                con.execute(f"select count(*) from (\n{node['compiled_code']}\n) as dbt_test")
            timings["tests_s"] = time.perf_counter() - started
        return {"models": len(models), "tests": len(tests), **timings}

    return call


STAGES: dict[str, Callable[[dict], Callable]] = {
    "extract": _pipeline_step("extract_step"),
    "dbt": _dbt_build,
    "validate": _pipeline_step("validate_step"),
    "publish": _pipeline_step("publish_step"),
    "run": _perfdw_run,
    "reload": _perfdw_run,
    "read_csv": _read_csv_floor,
    "dbt_sql": _sql_floor,
}


def main(argv: list[str]) -> int:
    stage, args_json, result_path = argv
    args = json.loads(args_json)
    result: dict = {"stage": stage}
    try:
        call = STAGES[stage](args)
        cpu, started = _cpu(), time.perf_counter()
        detail = call()
        result["call_s"] = time.perf_counter() - started
        result["call_cpu_s"] = _cpu() - cpu
        result["detail"] = detail if isinstance(detail, dict) else None
        if stage in ("extract", "run"):
            result["raw"] = raw_counts(Path(args["home"]) / "pipeline.duckdb")
        result["ok"] = True
    except BaseException as error:  # noqa: BLE001  (reported to the harness, which decides)
        import traceback

        result["ok"] = False
        result["error"] = f"{type(error).__name__}: {error}"
        traceback.print_exc()
    Path(result_path).write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    from perfdw import collector

    code = main(sys.argv[1:])
    # As the `perfdw` program exits (perfdw_cli.main.entry): measured from outside, its exit counts.
    collector.skip_exit_passes()
    sys.exit(code)
