"""`perfdw …`: a thin command line over the pipeline's steps (perfdw), the orchestrator's load
job (orchestration), the dashboard and the benchmark. It holds no pipeline logic of its own."""

from __future__ import annotations

import argparse
import sys
import time

from perfdw import collector
from perfdw.engines import ENGINES, UnknownEngine, resolve_engine
from perfdw.paths import resolve_paths


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--home", help="warehouse directory (default $PERFDW_HOME or ./warehouse)")
    parser.add_argument(
        "--documents", help="documents folder (default $PERFDW_DOCUMENTS or data/documents)"
    )


def _extract(args: argparse.Namespace) -> int:
    from extract.corpus import unit_level_part
    from extract.records import ExtractError
    from perfdw.pipeline import extract_documents
    from perfdw.warehouse_lock import WarehouseLockError, writer_lock

    paths = resolve_paths(args.home, args.documents)
    scope = f"fiscal year {args.year}" if args.year else "all years"
    print(f"extract: {paths.documents} → {paths.pipeline_db} ({scope})", flush=True)
    started = time.perf_counter()
    try:
        with writer_lock(paths.writer_lock, progress=lambda line: print(line, flush=True)):
            report = extract_documents(paths, args.year, lambda line: print(line, flush=True))
    except (ExtractError, WarehouseLockError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    loaded = [o for o in report.outcomes if o.status in ("loaded", "unchanged")]
    print(
        f"extract: {len(loaded)} documents in the warehouse, "
        f"{sum(o.projects for o in loaded)} projects, {sum(o.indicators for o in loaded)} indicators, "
        f"{unit_level_part(sum(o.unit_indicators for o in loaded))}"
        f"{len(report.failed)} failed ({time.perf_counter() - started:.1f} s)"
    )
    for outcome in report.failed:
        print(f"error: {outcome.error}", file=sys.stderr)
    return 1 if report.failed else 0


def _engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=ENGINES,
                        help="duckdb (default), postgres or spark (default $PERFDW_ENGINE or duckdb)")


def _run(args: argparse.Namespace) -> int:
    from perfdw.dbt_standby import Standby

    # dbt imports and parses in a process of its own while this one imports the orchestrator.
    with Standby(rehearse=True) as standby:
        from perfdw_cli.run import run_years  # the orchestrator's definitions: Dagster, dagster-dbt

        collector.settle()
        paths = resolve_paths(args.home, args.documents)
        engine = resolve_engine(args.engine)
        started = time.perf_counter()
        ok = run_years(paths, args.year or None, lambda line: print(line, flush=True), engine, standby)
    if not ok:
        return 1
    print(f"run: done in {time.perf_counter() - started:.1f} s")
    if engine == "duckdb":
        print(f"  serving copy  {paths.published_db}")
        print(f"  parquet       {paths.parquet}")
    else:
        print(f"  published     schema marts on {engine}: perfdw sql --engine {engine} \"select …\"")
    print(f"  data docs     {paths.data_docs_index}")
    return 0


def _sql(args: argparse.Namespace) -> int:
    from perfdw_cli.sql import run_query

    return run_query(resolve_paths(args.home, args.documents), resolve_engine(args.engine), args.query, args.csv)


def _stop(args: argparse.Namespace) -> int:
    from perfdw.engines import get_engine

    paths = resolve_paths(args.home, args.documents)
    stopped = [what for what in (get_engine(name).stop(paths) for name in ENGINES) if what]
    for what in stopped:
        print(f"stop: stopped {what}")
    if not stopped:
        print(f"stop: nothing of {paths.home} was running")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from expectations.report import print_report
    from perfdw.pipeline import StepFailed, validate_step
    from perfdw.warehouse_lock import WarehouseLockError

    paths = resolve_paths(args.home, args.documents)
    started = time.time()
    try:
        summary = validate_step(paths, args.year, lambda line: print(line, flush=True))
    except (StepFailed, WarehouseLockError) as failure:
        from expectations.report import last_summary

        # The failed validation's own report, which lists what failed; a failure before it ran
        # (nothing loaded) has none, and its message is the whole story.
        reported = paths.validation_summary.is_file() and paths.validation_summary.stat().st_mtime >= started
        if reported:
            print_report(last_summary(paths))
        headline = getattr(failure, "headline", None)
        print(f"error: {headline} (above)" if reported and headline else f"error: {failure}", file=sys.stderr)
        return 1
    print_report(summary)
    return 0


def _status(args: argparse.Namespace) -> int:
    from perfdw_cli.status import print_status

    return print_status(resolve_paths(args.home, args.documents))


def _dashboard(args: argparse.Namespace) -> int:
    from dashboards.launch import serve

    paths = resolve_paths(args.home, args.documents)
    print(f"dashboard: http://127.0.0.1:{args.port} (reading {paths.published_db}; Ctrl-C stops it)")
    return serve(args.port, paths.home)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perfdw", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="land the documents as raw tables")
    _common(extract)
    extract.add_argument("--year", type=int, help="only the documents of this fiscal year")
    extract.set_defaults(handler=_extract)

    run = commands.add_parser("run", help="extract → dbt → validate → publish, through Dagster")
    _common(run)
    run.add_argument("--year", type=int, action="append", help="a fiscal year (repeatable; default all)")
    _engine_option(run)
    run.set_defaults(handler=_run)

    sql = commands.add_parser("sql", help="one read-only query on the published marts of an engine")
    _common(sql)
    _engine_option(sql)
    sql.add_argument("--csv", action="store_true", help="print CSV instead of an aligned table")
    sql.add_argument("query", help='e.g. "select count(*) from marts.fct_project_budget"')
    sql.set_defaults(handler=_sql)

    stop = commands.add_parser("stop", help="stop the private PostgreSQL server of this warehouse, if running")
    _common(stop)
    stop.set_defaults(handler=_stop)

    validate = commands.add_parser("validate", help="run the Great Expectations suites")
    _common(validate)
    validate.add_argument("--year", type=int, help="only this fiscal year")
    validate.set_defaults(handler=_validate)

    status = commands.add_parser("status", help="what is loaded and published")
    _common(status)
    status.set_defaults(handler=_status)

    dashboard = commands.add_parser("dashboard", help="the year-over-year dashboard on localhost")
    _common(dashboard)
    dashboard.add_argument("--port", type=int, default=8501)
    dashboard.set_defaults(handler=_dashboard)
    # The benchmark tools keep their own argument parsers; these two just hand over.
    commands.add_parser("synth", help="write a synthetic corpus (bench/synth.py)", add_help=False)
    commands.add_parser("bench", help="benchmark the pipeline (bench/harness.py)", add_help=False)
    commands.add_parser("dagster", help="dagster dev on a persistent instance (orchestration/instance.py)",
                        add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "synth":
        from bench.synth import main as synth_main

        return synth_main(argv[1:])
    if argv and argv[0] == "bench":
        from bench.harness import main as bench_main

        return bench_main(argv[1:])
    if argv and argv[0] == "dagster":
        from orchestration.instance import main as dagster_main

        return dagster_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except UnknownEngine as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def entry() -> int:
    """The `perfdw` program: main(), then an exit without the collector's shutdown passes."""
    code = main()
    collector.skip_exit_passes()
    return code


if __name__ == "__main__":
    sys.exit(entry())
