"""How the pipeline calls dbt: the one place that knows its executable, arguments and manifest.

A load's dbt build runs through dagster-dbt (orchestration/defs/dbt_assets.py), which turns dbt's
events into asset materializations and checks; the command line and the benchmark run that same
op. What the invocation says — which dbt, which vars, which warehouse file, which fiscal year,
where the artifacts go — is decided here, so every caller builds the same command.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, chdir, contextmanager
from importlib.metadata import version as installed_version
from pathlib import Path

from perfdw.dbt_process import WORKING_DIR_ENV
from perfdw.engines import DEFAULT_ENGINE, get_engine
from perfdw.environment import environment_variable
from perfdw.grouped_checks import grouped_check_selectors, read_groups
from perfdw.manifest import UnreadableManifest, read_manifest
from perfdw.paths import PROJECT_ROOT, Paths, resolve_paths

# A load's dbt build. dbt unit tests check the SQL, not the data: they run in `make test`.
# The log file at info: at debug, dbt logs every SQL statement it sends (10 MB a load), with
# its worker threads queueing on the file's lock; the SQL of each node stays in target/run/.
BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test", "--log-level-file", "info")

MANIFEST = PROJECT_ROOT / "target" / "manifest.json"
# dbt's partial-parse state, in each target folder (dbt's own file name).
PARTIAL_PARSE = "partial_parse.msgpack"
# What prepare_manifest parsed the project with: the arguments dbt keys its partial-parse state
# on, and dbt's version.
PARSED_WITH = MANIFEST.with_name("perfdw-parsed-with.json")
# What the manifest is parsed from: a change to any of these makes it stale.
_DBT_SOURCES = ("models", "seeds", "macros", "tests/dbt")
_DBT_FILES = ("dbt_project.yml", "profiles.yml")


def dbt_executable() -> str:
    """The dbt of this interpreter's environment, not whichever one is first on PATH, started
    as `perfdw-dbt` (perfdw.dbt_process): dbt's command line with the collector settled."""
    return str(Path(sys.executable).with_name("perfdw-dbt"))


def dbt_vars(paths: Paths, engine: str = DEFAULT_ENGINE) -> dict[str, object]:
    """The vars of a load: where the engine's warehouse is (for DuckDB its file, relative to
    the warehouse folder dbt runs in), which its output in profiles.yml reads. The same for
    every fiscal year: dbt re-parses the whole project when a var changes."""
    return get_engine(engine).dbt_vars(paths)


def _parse_key(paths: Paths, engine: str) -> list[str]:
    """The arguments of a load that dbt's partial-parse state is only valid for: the target and
    the vars (dbt hashes them, and the connection values the profile renders from them)."""
    return ["--target", engine, "--vars", json.dumps(dbt_vars(paths, engine))]


# The fiscal year a dbt build replaces (macros/fiscal_year.sql reads it while models run).
FISCAL_YEAR_ENV = "PERFDW_FISCAL_YEAR"


def fiscal_year_environment(year: int | None) -> AbstractContextManager[None]:
    """PERFDW_FISCAL_YEAR set to `year` (empty for every year) for the dbt process started
    inside, which inherits this process's environment; restored afterwards."""
    return environment_variable(FISCAL_YEAR_ENV, "" if year is None else str(year))


@contextmanager
def dbt_environment(paths: Paths, year: int | None) -> Iterator[None]:
    """The environment of a load's dbt process, started inside: its fiscal year
    (fiscal_year_environment) and its working folder, the warehouse's (perfdw-dbt moves there),
    which the DuckDB file is named relative to (dbt_vars)."""
    with fiscal_year_environment(year), environment_variable(WORKING_DIR_ENV, str(paths.home)):
        yield


# A one-year load leaves out the seeds the warehouse already holds as they are, with the tests
# on them alone: seeds are the only nodes not downstream of the documents, so everything else
# is rebuilt or tested again. `cautious` keeps the tests of models against seeds (e.g.
# relationships to a code list) and leaves out only tests all of whose parents are left out:
# excluding a seed eagerly would exclude those too, and `buildable` also excludes them as soon
# as the exclusion names a test of the model (the grouped checks do).
UNCHANGED_SEEDS = "resource_type:seed,state:unmodified"


def build_args(
    paths: Paths, year: int | None, state: Path | None = None, engine: str = DEFAULT_ENGINE
) -> list[str]:
    """A load's `dbt build` on `engine` (the profiles.yml output of that name): the checks
    each table's single_table_checks test runs in one query left out as nodes of their own
    (perfdw.grouped_checks); with `state` (reusable_state), seeds unchanged since it too. A load
    of every year rebuilds the per-year models whole (--full-refresh); one of one year replaces
    that year's rows. Run in dbt_environment(paths, year)."""
    args = [*BUILD_ARGS, *_parse_key(paths, engine)]
    if year is None:
        args.append("--full-refresh")
    excluded = grouped_check_selectors(read_manifest(MANIFEST))
    if state is not None:
        args += ["--state", str(state), "--indirect-selection", "cautious"]
        excluded = [UNCHANGED_SEEDS, *excluded]
    if excluded:
        args += ["--exclude", " ".join(excluded)]
    return args


def _seed_relations(manifest: Path) -> set[tuple[str, str]]:
    nodes = read_manifest(manifest)["nodes"].values()
    return {(node["schema"], node["alias"]) for node in nodes if node["resource_type"] == "seed"}


def reusable_state(paths: Paths, year: int | None, engine: str = DEFAULT_ENGINE) -> Path | None:
    """The manifest of this warehouse's last successful build, if a load of `year` may skip
    the seeds it left unchanged: only one-year loads do (a full load rebuilds everything), and
    only while the warehouse still holds every seed that build loaded (a warehouse file deleted
    and extracted anew has none)."""
    manifest = paths.dbt_state / "manifest.json"
    # Another engine's build leaves its seeds elsewhere: only DuckDB's are looked up here.
    if year is None or engine != DEFAULT_ENGINE or not manifest.is_file() or not paths.pipeline_db.is_file():
        return None
    import duckdb

    with duckdb.connect(str(paths.pipeline_db), read_only=True) as con:
        present = set(con.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = current_database()"
        ).fetchall())
    try:
        seeds = _seed_relations(manifest)
    except UnreadableManifest:
        return None  # a damaged state: build the seeds too
    return paths.dbt_state if seeds <= present else None


def record_state(paths: Paths) -> None:
    """Keep the manifest of a successful build as the state the next one-year load compares with."""
    paths.dbt_state.mkdir(parents=True, exist_ok=True)
    staged = paths.dbt_state / "manifest.json.tmp"
    shutil.copyfile(paths.dbt_target() / "manifest.json", staged)
    os.replace(staged, paths.dbt_state / "manifest.json")


def _newest_source() -> float:
    files = [PROJECT_ROOT / name for name in _DBT_FILES]
    files += [p for folder in _DBT_SOURCES for p in (PROJECT_ROOT / folder).rglob("*") if p.is_file()]
    return max(path.stat().st_mtime for path in files)


def _readable(manifest: Path) -> bool:
    try:
        read_manifest(manifest)  # every load reads it next: the parse is kept
    except UnreadableManifest:
        return False
    return True


def _parsed_with() -> dict[str, object]:
    """What prepare_manifest parses with: a DuckDB load's parse key, and dbt's version. The
    key is taken for the default warehouse folder, and fits every other because a DuckDB load's
    vars name its file relative to its folder (dbt_vars)."""
    default = resolve_paths(home=PROJECT_ROOT / "warehouse")
    return {"args": _parse_key(default, DEFAULT_ENGINE), "dbt": installed_version("dbt-core")}


def _current(manifest: Path) -> bool:
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source() or not _readable(manifest):
        return False
    try:
        return json.loads(PARSED_WITH.read_text(encoding="utf-8")) == _parsed_with()
    except (OSError, ValueError):
        return False


def prepare_manifest() -> Path:
    """target/manifest.json, parsed again only when a dbt file is newer (a few seconds), when
    the file is not readable (a parse interrupted while writing it), or when it was parsed with
    other arguments or another dbt.

    Loading the dbt assets needs it: the orchestrator calls this when its definitions load, so
    `dagster dev`, `perfdw run`, the benchmark and the tests all get it from here. The parse is
    a DuckDB load's: dagster-dbt starts a build whose target folder has no partial-parse state
    yet (a new warehouse's first) from the one parsed here, and dbt then parses only what
    changed since instead of the whole project (3–4 s), where the vars and profile fit.
    """
    if _current(MANIFEST):
        return MANIFEST
    parsed_with = _parsed_with()
    result = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(PROJECT_ROOT),
         "--profiles-dir", str(PROJECT_ROOT), *parsed_with["args"]],
        cwd=PROJECT_ROOT, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout[-4000:]}{result.stderr[-2000:]}")
    staged = PARSED_WITH.with_suffix(".tmp")
    staged.write_text(json.dumps(parsed_with), encoding="utf-8")
    os.replace(staged, PARSED_WITH)
    MANIFEST.touch()
    return MANIFEST


def rehearse_parse(run: Callable[[list[str]], object]) -> None:
    """Parse the project once, as a load's dbt is about to, in a scratch folder: `run` runs a
    dbt command in this process (the dbt on standby, perfdw.dbt_standby, while it waits).

    dbt does a good part of a parse's work only once per process (importing the adapter and
    the parsers, generating the (de)serializers of its manifest classes, compiling templates):
    in a process that has parsed before, the load's own partial parse takes 0.35–0.5 s instead
    of 1.2 s here. The load's command still parses itself, in its own folder, from its own
    state: nothing of this parse reaches it but the warm process. It starts from the state
    prepare_manifest left, with its arguments, so it parses only what changed since; with no
    such state it does nothing rather than parse the whole project on the load's second core.
    """
    with tempfile.TemporaryDirectory(prefix="perfdw-dbt-rehearsal-") as folder:
        if not _start_from_state(MANIFEST.parent, Path(folder)):
            return
        # A DuckDB load's vars name the warehouse file relative to the folder dbt runs in: here
        # the scratch folder (a parse opens no connection).
        with chdir(folder):
            run(["parse", "--quiet", "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT),
                 *_parsed_with()["args"], "--target-path", folder, "--log-path", folder])


def _start_from_state(source: Path, target: Path) -> bool:
    """Give the dbt target folder `target` the partial-parse state of `source`, as dagster-dbt
    does for a build's new target folder: dbt then parses only what changed since, where the
    vars and profile are the same. False when `source` has none."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / PARTIAL_PARSE, target / PARTIAL_PARSE)
    except OSError:
        return False
    return True


class DbtChecksFailed(Exception):
    """A load's dbt build failed on data tests, named one by one."""


def _failed(run_results: Path) -> list[str]:
    if not run_results.is_file():
        return []
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    return [result["unique_id"].split(".")[2] for result in results if result["status"] in ("fail", "error")]


def name_failed_checks(
    paths: Paths, year: int | None, engine: str = DEFAULT_ENGINE, progress=lambda _: None
) -> list[str]:
    """After a failed build of `year` (None: every year): the checks of each failed
    single_table_checks group run again as the tests they are, over the rows the build tested,
    so that dbt reports each by name as it would outside a group; returns the names of those
    that failed (empty when no group failed).

    Only a failure pays for this second dbt invocation.
    """
    groups = read_groups(MANIFEST)
    failed_groups = [name for name in _failed(paths.dbt_target(engine) / "run_results.json") if name in groups]
    checks = sorted({check for group in failed_groups for check in groups[group]})
    if not checks:
        return []
    target = paths.dbt_target(engine) / "failed-groups"
    progress(f"dbt: {', '.join(failed_groups)} failed; running its checks one by one to name them")
    # The build's vars: from its state, dbt parses only what changed instead of the whole project.
    _start_from_state(paths.dbt_target(engine), target)
    with dbt_environment(paths, year):
        result = subprocess.run(
            [dbt_executable(), "test", "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT),
             *_parse_key(paths, engine), "--target-path", str(target), "--log-path", str(target), "--select", *checks],
            cwd=paths.home, capture_output=True, text=True,
        )
    for line in result.stdout.splitlines():
        progress(line)
    return sorted(_failed(target / "run_results.json"))
