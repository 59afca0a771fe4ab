"""The engines side by side: the whole `perfdw run` of each corpus on each engine.

`perfdw bench --engine duckdb --engine postgres --engine spark [--scale 10 --scale 100]`:
for the bundled corpus (unless --no-bundled) and each synthetic scale, one empty warehouse per
engine and the full load on it (extract, dbt build, validation, publishing), repeated and
measured from outside as every other stage (bench.harness.measure_stage): wall time, CPU time
and the peak RSS of the load's process tree. A PostgreSQL server runs detached from that tree,
so its own peak (the largest server process, from /proc) is reported beside it; the private
server is started before the clock runs (a user's server would already be up) and stopped after.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from bench.harness import (
    MB, _child_env, _fresh, corpus_size, machine, measure_stage, synthetic_corpus, write_result,
)
from bench.synth import BUNDLED_DOCUMENTS
from perfdw.engines import get_engine
from perfdw.paths import resolve_paths


def _server_peak_mb(postgres_dir: Path) -> float | None:
    """The largest peak RSS (VmHWM) among the processes of the private server, if one runs."""
    pid_files = list(postgres_dir.rglob("postmaster.pid")) if postgres_dir.is_dir() else []
    if not pid_files:
        return None
    postmaster = pid_files[0].read_text().splitlines()[0].strip()
    peaks = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = dict(
                line.split(":", 1) for line in (proc / "status").read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if proc.name == postmaster or status.get("PPid", "").strip() == postmaster:
            peaks.append(int(status.get("VmHWM", "0 kB").split()[0]) / 1024)
    return max(peaks) if peaks else None


def bench_engine(engine: str, documents: Path, home: Path, repeats: int, logs: Path,
                 progress: Callable[[str], None]) -> dict:
    paths = resolve_paths(home, documents)
    runs = []
    for repetition in range(repeats):
        get_engine(engine).stop(paths)  # the server's cluster lives in the home about to be emptied
        _fresh(home)
        get_engine(engine).prepare(paths, lambda _: None)
        env = {**_child_env("run", home, documents), "PERFDW_ENGINE": engine}
        measured = measure_stage("run", {"documents": str(documents), "home": str(home)},
                                 logs / f"{engine}-{repetition + 1}", env)
        measured["server_peak_mb"] = _server_peak_mb(paths.postgres_dir)
        runs.append(measured)
        progress(f"  {engine} #{repetition + 1}: {measured['wall_s']:.1f} s"
                 + ("" if measured["ok"] else f" FAILED ({measured.get('error')}; log {measured['log']})"))
        if not measured["ok"]:
            break
    get_engine(engine).stop(paths)
    good = [run for run in runs if run["ok"]]

    def median(key: str) -> float | None:
        values = [run[key] for run in good if run.get(key) is not None]
        return statistics.median(values) if values else None

    return {
        "engine": engine, "runs": len(good), "ok": len(good) == len(runs),
        "wall_s": median("wall_s"), "cpu_s": median("cpu_s"), "peak_rss_mb": median("peak_rss_mb"),
        "server_peak_mb": median("server_peak_mb"), "load_avg": median("load_after"),
        "error": next((run.get("error") for run in runs if not run["ok"]), None),
    }


def run_engine_bench(engines: Sequence[str], scales: Sequence[int], home: Path, repeats: int, *,
                     seed: int, bundled: bool, progress: Callable[[str], None] = print) -> dict:
    home = Path(home).resolve()
    root = resolve_paths(home).bench_dir
    root.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc)
    result: dict = {"started_at": started.isoformat(timespec="seconds"), "machine": machine(),
                    "settings": {"engines": list(engines), "scales": list(scales), "repeats": repeats,
                                 "seed": seed, "bundled": bundled},
                    "corpora": []}
    targets: list[tuple[str, Path]] = [("bundled", BUNDLED_DOCUMENTS)] if bundled else []
    for scale in scales:
        targets.append((f"scale {scale}", synthetic_corpus(root / "corpora", scale, seed, progress)[0]))
    for name, documents in targets:
        progress(f"bench engines: {name} ({documents})")
        slug = name.replace(" ", "-")
        corpus = {"name": name, **corpus_size(documents), "engines": {}}
        for engine in engines:
            corpus["engines"][engine] = bench_engine(
                engine, documents, root / "work" / slug / engine, repeats, root / "logs" / "engines" / slug, progress
            )
        result["corpora"].append(corpus)
    result["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return write_result(result, root, "engines", started)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def format_engine_table(result: dict) -> str:
    m = result["machine"]
    engines = result["settings"]["engines"]
    lines = [
        f"perfdw bench --engine, {result['started_at']} · {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, "
        f"Python {m['python']}",
        f"the whole `perfdw run` from an empty warehouse, median of {result['settings']['repeats']} runs; "
        "peak MB = the load's process tree (for Spark the JVM is in it); server MB = the PostgreSQL "
        "server's largest process, outside that tree",
        "",
    ]
    header = f"{'corpus':<30}" + "".join(f"{engine + ' s':>12}{engine + ' MB':>13}" for engine in engines)
    lines += [header, "-" * len(header)]
    for corpus in result["corpora"]:
        label = f"{corpus['name']} ({corpus['documents']} docs, {corpus['bytes'] / MB:.1f} MB)"
        cells = []
        for engine in engines:
            e = corpus["engines"][engine]
            memory = _fmt(e["peak_rss_mb"], 0) + (f"+{_fmt(e['server_peak_mb'], 0)}" if e.get("server_peak_mb") else "")
            cells.append(f"{('FAILED' if not e['ok'] else _fmt(e['wall_s'])):>12}{memory:>13}")
        lines.append(f"{label:<30}" + "".join(cells))
    failed = [(c["name"], n, e["error"]) for c in result["corpora"] for n, e in c["engines"].items() if e["error"]]
    lines += [f"FAILED {name} on {engine}: {error}" for name, engine, error in failed]
    if result.get("json"):
        lines += ["", f"JSON: {result['json']}"]
    return "\n".join(lines)
