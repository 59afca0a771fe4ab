"""The pipeline benchmark: every stage on the bundled corpus and on synthetic corpora, with floors.

For each corpus (the bundled documents, then a synthetic corpus per scale):

1. extract, dbt build, validate and publish, each in a process of its own, on a warehouse of
   the corpus's own;
2. the two floors on the same input: DuckDB's read_csv over the same document bytes, and the
   dbt models' (and data tests') compiled SQL run directly in DuckDB on a copy of the warehouse;
3. on another empty warehouse, the whole `perfdw run` through Dagster, then `perfdw run --year Y`
   on it for each fiscal year Y of the corpus (reloading one year), each against the full run.

Each stage's process is measured from outside: wall time, CPU time (user + sys of the process
and every process it waited for, from wait4) and peak RSS (the largest single process of that
tree: ru_maxrss is a maximum, not a sum). Inside, the child times its own call apart from
interpreter start-up and imports ("call s"). Each stage is repeated from the same starting state
up to `repeats` times while its runs together stay under `repeat_budget_s`; every figure is the
median over those runs. Results go to $PERFDW_HOME/bench/bench-<timestamp>.json (and
latest.json), each stage's output to $PERFDW_HOME/bench/logs/.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from bench.synth import BUNDLED_DOCUMENTS, PROJECT_ROOT, at_least_one, generate_corpus
from perfdw.engines import ENGINES
from perfdw.paths import resolve_paths

STAGES = ("extract", "dbt", "validate", "publish", "read_csv", "dbt_sql", "run", "reload")
PIPELINE_STAGES = ("extract", "dbt", "validate", "publish")
FLOOR_STAGES = ("read_csv", "dbt_sql")  # references the pipeline's stages are measured against
LABELS = {
    "extract": "extract",
    "dbt": "dbt build",
    "validate": "validate (GX)",
    "publish": "publish",
    "read_csv": "floor: DuckDB read_csv",
    "dbt_sql": "floor: compiled SQL",
    "run": "perfdw run (Dagster)",
    "reload": "perfdw run --year",
}
MB = 1_000_000
DEFAULT_SEED = 0
STAGE_TIMEOUT_S = 3 * 3600
# What CI runs (`--quick`): the stages one by one and the floors, no Dagster run (its own tests
# cover it), one synthetic corpus, one run each.
QUICK_STAGES = ("extract", "dbt", "validate", "publish", "read_csv", "dbt_sql")

# The targets (shown, not enforced).
TARGET_BUNDLED_RUN_S = 10.0
TARGET_RELOAD_SHARE = 0.40
TARGET_SCALE = 1000
TARGET_LARGE_RUN_S = 60.0
TARGET_LARGE_RELOAD_SHARE = 0.30
TARGET_LARGE_PEAK_MB = 3000.0
TARGET_EXTRACT_VS_READ_CSV = 0.25
TARGET_EXTRACT_SCALE = 100  # the scale the issue reads the extract target at
GROWTH_FROM_SCALE = 10
# "no faster than linearly": the fitted exponent of cost against scale, with room for noise.
TARGET_GROWTH_EXPONENT = 1.05


# --------------------------------------------------------------------------------------------
# Measuring one stage


def label(stage: str) -> str:
    """A stage's name in the table; a reload is measured per fiscal year ("reload 2024")."""
    base, _, year = stage.partition(" ")
    return f"{LABELS[base]} {year}".strip()


def loaded_years(home: Path) -> list[int]:
    """The fiscal years a loaded warehouse holds documents of: the years a reload can take."""
    with duckdb.connect(str(resolve_paths(home).pipeline_db), read_only=True) as con:
        return [year for (year,) in con.execute("select distinct fiscal_year from raw.documents order by 1").fetchall()]


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def measure_stage(stage: str, args: dict, work: Path, env: dict[str, str]) -> dict:
    """Run one stage in a child process (its own process group) and measure it from outside."""
    work.mkdir(parents=True, exist_ok=True)
    result_file = work / f"{stage}.result.json"
    log_file = work / f"{stage}.log"
    result_file.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.child", stage, json.dumps(args), str(result_file)]
    load_before = os.getloadavg()[0]
    with open(log_file, "wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        timer = threading.Timer(STAGE_TIMEOUT_S, _kill_group, [process])
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    inner = json.loads(result_file.read_text(encoding="utf-8")) if result_file.exists() else {}
    measured = {
        "stage": stage,
        "ok": process.returncode == 0 and inner.get("ok", False),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # Linux: KiB
        "call_s": inner.get("call_s"),
        "call_cpu_s": inner.get("call_cpu_s"),
        "detail": inner.get("detail"),
        "raw": inner.get("raw"),
        "log": str(log_file),
    }
    if stage in ("run", "reload"):
        measured["steps"] = dagster_steps(log_file)
    if not measured["ok"]:
        tail = log_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
        measured["error"] = inner.get("error") or f"exit code {process.returncode}"
        measured["log_tail"] = tail
    return measured


_STEP_LINE = re.compile(r"^✔ (?P<step>.+?) \((?P<seconds>[0-9.]+) s\)$")


def dagster_steps(log_file: Path) -> dict[str, float]:
    """Step timings `perfdw run` prints ("✔ dbt build all years (61.8 s)")."""
    steps: dict[str, float] = {}
    for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _STEP_LINE.match(line.strip())
        if match:
            steps[match["step"]] = steps.get(match["step"], 0.0) + float(match["seconds"])
    return steps


def dbt_node_timings(run_results: Path, top: int = 8) -> dict:
    """From dbt's run_results.json: time summed over nodes by kind, and the slowest nodes."""
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    by_kind: dict[str, float] = {}
    for result in results:
        kind = result["unique_id"].split(".", 1)[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + result["execution_time"]
    slowest = sorted(results, key=lambda result: result["execution_time"], reverse=True)[:top]
    return {
        "nodes": len(results),
        "execution_s_by_kind": {kind: round(seconds, 2) for kind, seconds in sorted(by_kind.items())},
        "slowest": [[r["unique_id"], round(r["execution_time"], 2)] for r in slowest],
    }


def _child_env(stage: str, home: Path, documents: Path) -> dict[str, str]:
    python_path = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
    env = {
        **os.environ,
        "PYTHONPATH": python_path,
        "PERFDW_HOME": str(home),
        "PERFDW_DOCUMENTS": str(documents),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    for variable in ("DBT_TARGET_PATH", "DBT_LOG_PATH"):
        env.pop(variable, None)
    return env


# --------------------------------------------------------------------------------------------
# One corpus


def corpus_size(documents: Path) -> dict:
    from extract.corpus import document_files

    files = document_files(documents)
    return {"documents": len(files), "bytes": sum(path.stat().st_size for path in files)}


def _fresh(home: Path) -> None:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    os.sync()  # earlier writes and deletes settle before the clock runs


def _bench_stages(
    documents: Path,
    work: Path,
    logs: Path,
    stages: Sequence[str],
    repeats: int,
    repeat_budget_s: float,
    progress: Callable[[str], None] = print,
    name: str = "",
) -> dict[str, list[dict]]:
    """Every selected stage, each repeated from the same starting state while runs are short.

    A stage runs up to `repeats` times, and again only while its runs so far took less than
    `repeat_budget_s` together. Extract starts from an empty warehouse each time, dbt build from
    a copy of the extracted one; validate and publish only read the built warehouse (and
    replace their own output); the whole Dagster run starts from an empty warehouse, the
    one-year reloads (`perfdw run --year Y`, each fiscal year of the corpus in turn) run on the
    loaded one.
    """
    shutil.rmtree(logs, ignore_errors=True)
    staged, whole = work / "staged", work / "whole"
    snapshot = work / "extracted.duckdb"
    results: dict[str, list[dict]] = {}

    def measure(stage: str, home: Path, before: Callable[[], None] | None = None, **extra) -> bool:
        if stage.partition(" ")[0] not in stages:
            return False
        runs = results.setdefault(stage, [])
        for repetition in range(max(1, repeats)):
            if before:
                before()
            args = {"documents": str(documents), "home": str(home), "work": str(home), **extra}
            stage_logs = logs / f"{stage}-{repetition + 1}"
            # The child knows the stage ("reload"); its arguments say which year.
            base = stage.partition(" ")[0]
            runs.append(measure_stage(base, args, stage_logs, _child_env(base, home, documents)))
            last = runs[-1]
            progress(
                f"  {name} · {label(stage)} #{repetition + 1}: {last['wall_s']:.1f} s"
                + ("" if last["ok"] else f" FAILED ({last.get('error')}; log {stage_logs})")
            )
            run_results = resolve_paths(home).dbt_target() / "run_results.json"
            if stage == "dbt" and run_results.exists():
                shutil.copyfile(run_results, stage_logs / "run_results.json")
                runs[-1]["nodes"] = dbt_node_timings(stage_logs / "run_results.json")
            if not runs[-1]["ok"] or sum(run["wall_s"] for run in runs) >= repeat_budget_s:
                break
        return runs[-1]["ok"]

    def skipped(stage: str, reason: str) -> None:
        if stage in stages:
            results[stage] = [{"stage": stage, "ok": False, "skipped": reason}]

    def restore_extracted() -> None:
        # The warehouse as extracted; dbt's parse state beside it stays, as it would for a user.
        shutil.copyfile(snapshot, staged / "pipeline.duckdb")
        os.sync()

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ok = measure("extract", staged, lambda: _fresh(staged))
    if ok:
        shutil.copyfile(staged / "pipeline.duckdb", snapshot)
        ok = measure("dbt", staged, restore_extracted)
    else:
        skipped("dbt", "needs a successful extract")
    for stage in ("validate", "publish"):
        if ok:
            ok = measure(stage, staged)
        else:
            skipped(stage, "an earlier stage failed")
    if "extract" not in stages:
        _fresh(staged)
    measure("read_csv", staged)
    manifest = resolve_paths(staged).dbt_target() / "manifest.json"
    if results.get("dbt", [{}])[-1].get("ok") and manifest.exists():
        measure("dbt_sql", staged, manifest=str(manifest))
    else:
        skipped("dbt_sql", "needs a successful dbt build")
    if measure("run", whole, lambda: _fresh(whole)):
        for year in loaded_years(whole):
            measure(f"reload {year}", whole, year=year)
    else:
        skipped("reload", "needs a successful full run")
    return results


def _median(values: list[float]) -> float | None:
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def _summarise(measured: list[dict], stage: str, size: dict, rows: int | None) -> dict:
    good = [m for m in measured if m.get("ok")]
    summary: dict = {"stage": stage, "label": label(stage), "runs": len(good)}
    if not good:
        failed = next((m for m in measured if not m.get("ok")), {})
        summary["error"] = failed.get("error") or failed.get("skipped") or "not run"
        if failed.get("log_tail"):
            summary["log_tail"] = failed["log_tail"]
        return summary
    for key in ("wall_s", "cpu_s", "peak_rss_mb", "call_s", "call_cpu_s"):
        summary[key] = _median([m.get(key) for m in good])
    summary["wall_s_all"] = [round(m["wall_s"], 3) for m in good]
    wall = summary["wall_s"]
    summary["mb_per_s"] = size["bytes"] / MB / wall if wall else None
    summary["rows_per_s"] = rows / wall if rows and wall else None
    summary["load_avg"] = _median([m.get("load_after") for m in good])
    for key in ("steps", "nodes"):
        if good[-1].get(key):
            summary[key] = good[-1][key]
    if stage.partition(" ")[0] in ("run", "reload") and all(m.get("steps") for m in good):
        names = good[-1]["steps"].keys()
        summary["steps"] = {name: _median([m["steps"].get(name) for m in good]) for name in names}
    details = [m["detail"] for m in good if m.get("detail")]
    if details:
        summary["detail"] = details[-1]
        if stage == "dbt_sql":
            summary["models_s"] = _median([d.get("models_s") for d in details])
            summary["tests_s"] = _median([d.get("tests_s") for d in details])
    return summary


def bench_corpus(
    name: str,
    documents: Path,
    work: Path,
    repeats: int,
    stages: Sequence[str] = STAGES,
    repeat_budget_s: float = 60.0,
    progress: Callable[[str], None] = print,
    corpus_info: dict | None = None,
    logs: Path | None = None,
) -> dict:
    size = corpus_size(documents)
    logs = logs or work / "logs"
    measured = _bench_stages(
        documents, work / "run", logs, stages, repeats, repeat_budget_s, progress, name
    )
    raw = next(
        (m["raw"] for stage in ("extract", "run") for m in measured.get(stage, []) if m.get("raw")), None
    )
    rows = sum(raw.get(table, 0) for table in ("budget_rows", "indicator_items", "unit_indicator_items")) if raw else None
    # In the order of STAGES, each year's reload in place of "reload".
    measured_stages = [name for stage in STAGES if stage in stages
                       for name in ([stage] if stage != "reload" else sorted(k for k in measured if k.startswith("reload ")))]
    stats = {stage: _summarise(measured.get(stage, []), stage, size, rows) for stage in measured_stages}
    corpus = {
        "name": name,
        "documents_dir": str(documents),
        **size,
        "rows": rows,
        "raw": raw,
        "stages": stats,
        "ratios": _ratios(stats),
        "logs": str(logs),
        **({"synthetic": corpus_info} if corpus_info else {}),
    }
    shutil.rmtree(work / "run", ignore_errors=True)
    return corpus


def _ratios(stats: dict[str, dict]) -> dict:
    def get(stage: str, key: str) -> float | None:
        return stats.get(stage, {}).get(key)

    ratios: dict = {}
    extract, read_csv = get("extract", "call_s"), get("read_csv", "call_s")
    if extract and read_csv:
        # Throughput on the same bytes: (bytes / extract time) / (bytes / read_csv time).
        ratios["extract_vs_read_csv"] = read_csv / extract
    dbt, sql = get("dbt", "call_s"), get("dbt_sql", "call_s")
    if dbt and sql:
        ratios["dbt_overhead"] = dbt / sql
    run = get("run", "wall_s")
    shares = {stage.partition(" ")[2]: get(stage, "wall_s") / run
              for stage in stats if stage.startswith("reload ") and run and get(stage, "wall_s")}
    if shares:
        # Each year's reload against the full run; the target holds for every year, so the largest.
        ratios["reload_share_by_year"] = shares
        ratios["reload_share"] = max(shares.values())
    staged = [get(stage, "wall_s") for stage in PIPELINE_STAGES]
    if all(staged):
        ratios["stages_wall_s"] = sum(staged)
    return ratios


# --------------------------------------------------------------------------------------------
# The whole benchmark


def _synth_stamp(scale: int, seed: int) -> str:
    digest = hashlib.sha256((PROJECT_ROOT / "bench" / "synth.py").read_bytes())
    for path in sorted(BUNDLED_DOCUMENTS.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return f"scale={scale} seed={seed} generator={digest.hexdigest()[:16]}"


def synthetic_corpus(root: Path, scale: int, seed: int, progress: Callable[[str], None] = print) -> tuple[Path, dict]:
    """The corpus of a scale and seed under `root`, generated unless an identical one is there."""
    out = root / f"scale-{scale}-seed-{seed}"
    stamp_file = out / ".synth-stamp"
    info_file = out.parent / f"scale-{scale}-seed-{seed}.json"
    stamp = _synth_stamp(scale, seed)
    if stamp_file.exists() and stamp_file.read_text() == stamp and info_file.exists():
        return out, json.loads(info_file.read_text(encoding="utf-8"))
    progress(f"synth: generating scale {scale} (seed {seed}) into {out}")
    started = time.perf_counter()
    summary = generate_corpus(scale, seed, out)
    info = {**summary.to_dict(), "generate_s": round(time.perf_counter() - started, 2)}
    info_file.write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    stamp_file.write_text(stamp)
    return out, info


def machine() -> dict:
    cpu_model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for package in ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "great_expectations", "pandas"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # noqa: BLE001
            versions[package] = None
    return {
        "platform": platform.platform(),
        "cpu": cpu_model,
        "cpus": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "versions": versions,
    }


def run_bench(
    scales: list[int],
    home: Path,
    repeats: int,
    *,
    seed: int = DEFAULT_SEED,
    bundled: bool = True,
    stages: Sequence[str] = STAGES,
    repeat_budget_s: float = 60.0,
    progress: Callable[[str], None] = print,
) -> dict:
    """Benchmark the bundled corpus (unless bundled=False) and a synthetic corpus per scale.

    Writes the result as JSON under `home`/bench/ and returns it. Corpora are generated into
    `home`/bench/corpora/ once per (scale, seed, generator version) and reused.
    """
    home = Path(home).resolve()
    root = resolve_paths(home).bench_dir
    root.mkdir(parents=True, exist_ok=True)
    unknown = set(stages) - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stages {sorted(unknown)}; known: {', '.join(STAGES)}")
    started = datetime.now(timezone.utc)
    result: dict = {
        "started_at": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "scales": list(scales), "seed": seed, "repeats": repeats, "bundled": bundled,
            "stages": list(stages), "repeat_budget_s": repeat_budget_s,
        },
        "corpora": [],
    }
    targets: list[tuple[str, Path, dict | None]] = []
    if bundled:
        targets.append(("bundled", BUNDLED_DOCUMENTS, None))
    for scale in scales:
        documents, info = synthetic_corpus(root / "corpora", scale, seed, progress)
        targets.append((f"scale {scale}", documents, info))
    for name, documents, info in targets:
        progress(f"bench: {name} ({documents})")
        slug = name.replace(" ", "-")
        corpus = bench_corpus(
            name, documents, root / "work" / slug, repeats, stages,
            repeat_budget_s, progress, info, logs=root / "logs" / slug,
        )
        corpus["scale"] = info["scale"] if info else None
        result["corpora"].append(corpus)
    shutil.rmtree(root / "work", ignore_errors=True)
    result["growth"] = _growth(result["corpora"])
    result["targets"] = _targets(result)
    result["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return write_result(result, root, "bench", started)


def write_result(result: dict, root: Path, prefix: str, started: datetime) -> dict:
    """The result as <prefix>-<start time>.json and as the latest of its kind; its path in result["json"]."""
    file = root / f"{prefix}-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    text = json.dumps(result, ensure_ascii=False, indent=2, default=str)
    file.write_text(text, encoding="utf-8")
    (root / ("latest.json" if prefix == "bench" else f"{prefix}-latest.json")).write_text(text, encoding="utf-8")
    result["json"] = str(file)
    return result


def _end_to_end(corpus: dict) -> tuple[float | None, str]:
    run = corpus["stages"].get("run", {}).get("wall_s")
    if run:
        return run, "perfdw run"
    staged = corpus["ratios"].get("stages_wall_s")
    return staged, "sum of the stages"


def _growth(corpora: list[dict]) -> dict:
    """How cost grows from scale 10 (or the smallest) to the largest scale: the fitted exponent."""
    synthetic = sorted((c for c in corpora if c.get("scale")), key=lambda c: c["scale"])
    if len(synthetic) < 2:
        return {}
    small = next((c for c in synthetic if c["scale"] == GROWTH_FROM_SCALE), synthetic[0])
    large = synthetic[-1]
    if large is small:
        return {}
    growth: dict = {"from_scale": small["scale"], "to_scale": large["scale"], "stages": {}}
    factor = large["bytes"] / small["bytes"]
    for stage in STAGES:
        a = small["stages"].get(stage, {}).get("wall_s")
        b = large["stages"].get(stage, {}).get("wall_s")
        if a and b:
            growth["stages"][stage] = {"ratio": b / a, "exponent": math.log(b / a) / math.log(factor)}
    a, _ = _end_to_end(small)
    b, how = _end_to_end(large)
    if a and b:
        growth["end_to_end"] = {"ratio": b / a, "exponent": math.log(b / a) / math.log(factor), "measured_as": how}
    growth["size_factor"] = factor
    return growth


def _worst_year(corpus: dict | None) -> str:
    shares = (corpus or {}).get("ratios", {}).get("reload_share_by_year")
    return f"the slowest of the years, perfdw run --year {max(shares, key=shares.get)}" if shares else ""


def _targets(result: dict) -> list[dict]:
    corpora = {corpus["name"]: corpus for corpus in result["corpora"]}
    targets: list[dict] = []

    def add(name: str, value: float | None, limit: float, unit: str, note: str = "", lower_is_better: bool = True):
        if value is None:
            status = "n/a"
        else:
            status = "PASS" if (value < limit if lower_is_better else value >= limit) else "FAIL"
        targets.append({"target": name, "value": value, "limit": limit, "unit": unit, "status": status, "note": note})

    bundled = corpora.get("bundled")
    add("bundled corpus: perfdw run wall", bundled and bundled["stages"].get("run", {}).get("wall_s"),
        TARGET_BUNDLED_RUN_S, "s", "all four years, warm venv")
    add("bundled corpus: reloading one year vs full run", bundled and bundled["ratios"].get("reload_share"),
        TARGET_RELOAD_SHARE, "share", _worst_year(bundled))
    large = corpora.get(f"scale {TARGET_SCALE}")
    value, how = _end_to_end(large) if large else (None, "")
    add(f"scale {TARGET_SCALE}: end to end", value, TARGET_LARGE_RUN_S, "s", how)
    add(f"scale {TARGET_SCALE}: reloading one year vs full run", large and large["ratios"].get("reload_share"),
        TARGET_LARGE_RELOAD_SHARE, "share", _worst_year(large))
    peak = None
    if large:
        peaks = [
            stage["peak_rss_mb"] for name, stage in large["stages"].items()
            if name.partition(" ")[0] not in FLOOR_STAGES and stage.get("peak_rss_mb")
        ]
        peak = max(peaks) if peaks else None
    add(f"scale {TARGET_SCALE}: peak memory", peak, TARGET_LARGE_PEAK_MB, "MB",
        "largest process of a pipeline stage (not of the floors)")
    growth = result.get("growth", {}).get("end_to_end")
    add(
        f"cost growth scale {result.get('growth', {}).get('from_scale', GROWTH_FROM_SCALE)}→"
        f"{result.get('growth', {}).get('to_scale', TARGET_SCALE)}: exponent",
        growth and growth["exponent"], TARGET_GROWTH_EXPONENT, "",
        "time ∝ size^exponent; 1 is linear" + ("" if result.get("growth", {}).get("to_scale") == TARGET_SCALE else
                                               f" (target is to scale {TARGET_SCALE})"),
    )
    # At the target's scale when the run has it, else the largest scale measured, which says so.
    measured = [c for c in result["corpora"] if c["ratios"].get("extract_vs_read_csv")]
    target_corpus = f"scale {TARGET_EXTRACT_SCALE}"
    at = next((c for c in measured if c["name"] == target_corpus), measured[-1] if measured else None)
    note = "" if at is None else f"on {at['name']}" + (
        "" if at["name"] == target_corpus else f" (target is at {target_corpus})")
    add("extract throughput vs DuckDB read_csv", at and at["ratios"]["extract_vs_read_csv"],
        TARGET_EXTRACT_VS_READ_CSV, "×", note, lower_is_better=False)
    return targets


# --------------------------------------------------------------------------------------------
# The table


def _fmt(value: float | None, digits: int = 2, thousands: bool = False) -> str:
    if value is None:
        return "–"
    if thousands:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def format_table(result: dict) -> str:
    m = result["machine"]
    lines = [
        f"perfdw bench, {result['started_at']} · {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, "
        f"Python {m['python']}, duckdb {m['versions'].get('duckdb')}, dbt-core {m['versions'].get('dbt-core')}, "
        f"dagster {m['versions'].get('dagster')}",
        f"median of up to {result['settings']['repeats']} runs per stage (runs = how many; a stage is repeated while its runs total under {result['settings']['repeat_budget_s']:g} s); "
        "wall/CPU/peak of the stage's whole process, call = the stage's own call without start-up and imports; "
        "rows = budget rows + indicator items landed in raw; MB = document text (10^6 bytes); "
        "load = 1-minute load average when the stage ended (above the CPU count, figures are inflated "
        "by other work on the machine)",
        "",
    ]
    header = (f"{'corpus':<10} {'stage':<24} {'runs':>4} {'wall s':>8} {'call s':>8} {'CPU s':>8} "
              f"{'peak MB':>8} {'rows/s':>9} {'MB/s':>7} {'load':>5}  note")
    lines += [header, "-" * len(header)]
    for corpus in result["corpora"]:
        synthetic = corpus.get("synthetic") or {}
        projects = synthetic.get("projects")
        lines.append(
            f"{corpus['name']:<10} {corpus['documents']} documents, {corpus['bytes'] / MB:.2f} MB, "
            f"{_fmt(corpus['rows'], thousands=True)} rows"
            + (f" ({projects:,} projects, {synthetic.get('indicators'):,} indicators)" if projects else "")
        )
        ratios = corpus["ratios"]
        for stage, s in corpus["stages"].items():
            note = ""
            if stage == "extract" and ratios.get("extract_vs_read_csv"):
                note = f"{ratios['extract_vs_read_csv']:.3f}× read_csv throughput"
            elif stage == "dbt" and ratios.get("dbt_overhead"):
                note = f"{ratios['dbt_overhead']:.1f}× the compiled SQL"
            elif stage == "dbt_sql" and s.get("models_s") is not None:
                note = f"models {s['models_s']:.2f}s + tests {s['tests_s']:.2f}s"
            elif stage.startswith("reload ") and stage.partition(" ")[2] in ratios.get("reload_share_by_year", {}):
                note = f"{ratios['reload_share_by_year'][stage.partition(' ')[2]]:.2f}× the full run"
            elif stage == "run" and ratios.get("stages_wall_s"):
                note = f"stages one by one: {ratios['stages_wall_s']:.1f}s"
            if s.get("error"):
                note = "FAILED: " + s["error"].splitlines()[0][:70]
            lines.append(
                f"{'':<10} {label(stage):<24} {s.get('runs', 0):>4} {_fmt(s.get('wall_s')):>8} "
                f"{_fmt(s.get('call_s')):>8} {_fmt(s.get('cpu_s')):>8} {_fmt(s.get('peak_rss_mb'), 0):>8} "
                f"{_fmt(s.get('rows_per_s'), thousands=True):>9} {_fmt(s.get('mb_per_s')):>7} "
                f"{_fmt(s.get('load_avg'), 1):>5}  {note}"
            )
        for stage in ("dbt", "run"):
            s = corpus["stages"].get(stage) or {}
            if stage == "dbt" and s.get("nodes"):
                nodes = s["nodes"]
                kinds = ", ".join(f"{kind} {sec:.1f}" for kind, sec in nodes["execution_s_by_kind"].items())
                slowest = ", ".join(f"{uid.split('.')[-1]} {sec:.1f}" for uid, sec in nodes["slowest"][:3])
                lines.append(f"{'':<12}dbt build: {nodes['nodes']} nodes; node time (s) {kinds}; slowest {slowest}")
            if stage == "run" and s.get("steps"):
                steps = ", ".join(f"{name} {sec:.1f}" for name, sec in s["steps"].items())
                lines.append(f"{'':<12}Dagster steps (s): {steps}")
    growth = result.get("growth") or {}
    if growth.get("stages"):
        lines += ["", f"growth from scale {growth['from_scale']} to {growth['to_scale']} "
                      f"({growth['size_factor']:.0f}× the bytes): wall-time ratio (exponent; 1 = linear)"]
        lines.append("  " + ", ".join(
            f"{LABELS[stage]} {g['ratio']:.1f}× ({g['exponent']:.2f})" for stage, g in growth["stages"].items()
        ))
    lines += ["", "targets (shown, not enforced):"]
    for target in result.get("targets", []):
        value = target["value"]
        shown = "–" if value is None else (f"{value:.0%}" if target["unit"] == "share" else f"{value:,.2f} {target['unit']}".strip())
        limit = f"{target['limit']:.0%}" if target["unit"] == "share" else f"{target['limit']:g} {target['unit']}".strip()
        relation = "≥" if target["target"].startswith("extract throughput") else "<"
        lines.append(f"  {target['status']:<5} {target['target']}: {shown} ({relation} {limit})"
                     + (f"; {target['note']}" if target["note"] else ""))
    if result.get("json"):
        lines += ["", f"JSON: {result['json']}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="perfdw bench", description=__doc__.split("\n")[0])
    parser.add_argument("--home", help="warehouse directory; results go to HOME/bench (default $PERFDW_HOME)")
    parser.add_argument(
        "--scale", type=at_least_one, action="append", default=[], help="a synthetic scale (repeatable)"
    )
    parser.add_argument("--repeats", type=at_least_one, default=3)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled corpus")
    parser.add_argument("--stages", help=f"comma-separated subset of {','.join(STAGES)}")
    parser.add_argument(
        "--quick", action="store_true",
        help="CI: no bundled corpus, one run, no Dagster run (stages: " + ",".join(QUICK_STAGES) + ")",
    )
    parser.add_argument(
        "--formats", action="store_true",
        help="only the readers of published formats: PDF pages/s against pdftotext -layout, "
        "workbook cells/s against python-calamine (bench/formats.py)",
    )
    parser.add_argument(
        "--engine", action="append", choices=ENGINES, default=[],
        help="compare the whole perfdw run on these engines side by side (repeatable; bench/engines.py)",
    )
    args = parser.parse_args(argv)
    if args.engine:
        from bench.engines import format_engine_table, run_engine_bench

        result = run_engine_bench(args.engine, args.scale, resolve_paths(args.home).home, args.repeats,
                                  seed=args.seed, bundled=not args.no_bundled,
                                  progress=lambda line: print(line, flush=True))
        print()
        print(format_engine_table(result))
        return 1 if any(e["error"] for c in result["corpora"] for e in c["engines"].values()) else 0
    if args.formats:
        from bench.formats import format_formats, measure_formats

        print(format_formats(measure_formats(repeats=args.repeats)))
        return 0
    home = resolve_paths(args.home).home
    stages = tuple(args.stages.split(",")) if args.stages else (QUICK_STAGES if args.quick else STAGES)
    try:
        result = run_bench(
            args.scale, home, 1 if args.quick else args.repeats, seed=args.seed,
            bundled=not (args.no_bundled or args.quick), stages=stages,
            progress=lambda line: print(line, flush=True),
        )
    except (ValueError, OSError) as error:
        parser.error(str(error))
    print()
    print(format_table(result))
    failed = [s for c in result["corpora"] for s in c["stages"].values() if s.get("error")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
