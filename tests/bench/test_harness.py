"""The benchmark harness's own plumbing (no timings are asserted: the benchmark is not a test).

CI runs the real benchmark once at scale 10; these only keep the cheap parts honest: a stage runs
in a child process and is measured, results land as JSON and print as a table.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from bench.child import _dbt_build, _model_order, dbt_duckdb_settings
from bench.harness import TARGET_EXTRACT_SCALE, TARGET_SCALE, _targets, dagster_steps, format_table, run_bench
from perfdw.paths import resolve_paths
from perfdw.pipeline import extract_step
from tests.conftest import DOCUMENTS


def test_a_floor_only_bench_measures_writes_json_and_prints_a_table(tmp_path):
    result = run_bench([1], tmp_path, repeats=2, stages=("read_csv",), progress=lambda _: None)
    names = [corpus["name"] for corpus in result["corpora"]]
    assert names == ["bundled", "scale 1"]
    for corpus in result["corpora"]:
        floor = corpus["stages"]["read_csv"]
        assert floor["runs"] == 2, floor
        assert floor["wall_s"] > 0 and floor["cpu_s"] > 0 and floor["peak_rss_mb"] > 10
        assert floor["call_s"] <= floor["wall_s"]
        texts = [path.read_bytes() for path in Path(corpus["documents_dir"]).glob("*.txt")]
        lines = sum(text.count(b"\n") + (not text.endswith(b"\n")) for text in texts)
        assert floor["detail"]["lines"] == lines  # every line of every document, blank ones too
    saved = json.loads((tmp_path / "bench" / "latest.json").read_text(encoding="utf-8"))
    assert [corpus["name"] for corpus in saved["corpora"]] == names
    table = format_table(result)
    assert "floor: DuckDB read_csv" in table and "scale 1" in table and "targets" in table
    assert (tmp_path / "bench" / "corpora" / "scale-1-seed-0" / "catalog.toml").exists()


def test_a_failing_stage_is_reported_not_raised(tmp_path):
    missing = tmp_path / "no-such-home"
    result = run_bench([], missing, repeats=1, stages=("validate",), progress=lambda _: None)
    # validate needs a built warehouse; without extract and dbt it fails, and says so.
    stage = result["corpora"][0]["stages"]["validate"]
    assert stage["runs"] == 0 and stage["error"]
    assert "FAILED" in format_table(result)


def test_peak_memory_target_counts_the_pipeline_stages_not_the_floors():
    peaks = {"extract": 1800.0, "dbt": 2500.0, "reload 2024": 2600.0, "read_csv": 900.0, "dbt_sql": 4000.0}
    large = {"name": f"scale {TARGET_SCALE}", "stages": {s: {"peak_rss_mb": mb} for s, mb in peaks.items()}, "ratios": {}}
    (peak,) = [t for t in _targets({"corpora": [large]}) if t["target"].endswith("peak memory")]
    assert (peak["value"], peak["status"]) == (2600.0, "PASS")


def test_the_extract_target_is_read_at_its_scale_else_at_the_largest_measured():
    def corpus(name, ratio):
        return {"name": name, "stages": {}, "ratios": {"extract_vs_read_csv": ratio}}

    def extract_target(corpora):
        (target,) = [t for t in _targets({"corpora": corpora}) if t["target"].startswith("extract throughput")]
        return target["value"], target["note"]

    scales = [corpus("bundled", 0.30), corpus(f"scale {TARGET_EXTRACT_SCALE}", 0.09), corpus("scale 1000", 0.05)]
    assert extract_target(scales) == (0.09, f"on scale {TARGET_EXTRACT_SCALE}")
    assert extract_target(scales[:1]) == (0.30, f"on bundled (target is at scale {TARGET_EXTRACT_SCALE})")
    assert extract_target([]) == (None, "")


def test_the_dbt_stage_runs_the_dbt_op_without_the_great_expectations_checks(tmp_path):
    paths = resolve_paths(tmp_path / "home", DOCUMENTS)
    extract_step(paths)
    _dbt_build({"home": str(paths.home), "documents": str(paths.documents)})()
    results = json.loads((paths.dbt_target() / "run_results.json").read_text(encoding="utf-8"))["results"]
    assert {result["status"] for result in results} <= {"success", "pass", "warn", "no-op"}
    assert any(result["unique_id"].startswith("test.") for result in results)  # dbt's own tests ran
    assert not paths.validation_dir.exists()  # no suite of Great Expectations did


def test_the_compiled_sql_floor_has_dbt_s_duckdb_memory_limit():
    settings = dbt_duckdb_settings()
    limit = "select current_setting('memory_limit')"
    with duckdb.connect(config=settings) as floor, duckdb.connect() as dbt_like, duckdb.connect() as default:
        dbt_like.execute(f"set memory_limit = '{settings['memory_limit']}'")
        assert floor.execute(limit).fetchone() == dbt_like.execute(limit).fetchone()
        assert floor.execute(limit).fetchone() != default.execute(limit).fetchone()


def test_models_run_in_dependency_order_without_ephemeral_ones():
    def node(name, depends=(), materialized="view"):
        return {
            "resource_type": "model", "name": name, "config": {"materialized": materialized},
            "depends_on": {"nodes": [f"model.p.{d}" for d in depends]},
        }

    manifest = {"nodes": {
        "model.p.mart": node("mart", ["int", "stg"], "table"),
        "model.p.int": node("int", ["stg", "eph"]),
        "model.p.eph": node("eph", ["stg"], "ephemeral"),
        "model.p.stg": node("stg"),
        "test.p.t": {"resource_type": "test", "name": "t", "config": {}, "depends_on": {"nodes": []}},
    }}
    assert [n["name"] for n in _model_order(manifest)] == ["stg", "int", "mart"]


def test_dagster_step_lines_are_read_from_the_run_log(tmp_path):
    log = tmp_path / "run.log"
    log.write_text(
        "run: fiscal year 2023–2026 → /x\n▶ extract all years\n✔ extract all years (3.2 s)\n"
        "✔ dbt build all years (61.8 s)\nrun: done in 70.0 s\n",
        encoding="utf-8",
    )
    assert dagster_steps(log) == {"extract all years": 3.2, "dbt build all years": 61.8}


def test_format_throughput_measures_each_rendering_against_its_reference(tmp_path):
    import shutil

    from bench.formats import FIXTURES, format_formats, measure_formats

    for name in ("2023-guangzhou-tianhe-hrss.pdf", "2023-guangzhou-tianhe-hrss.xlsx", "scanned.pdf"):
        shutil.copy(FIXTURES / name, tmp_path)
    rows = measure_formats(tmp_path, repeats=1)
    assert [(row["file"], row["unit"]) for row in rows] == [
        ("2023-guangzhou-tianhe-hrss.pdf", "pages"),
        ("2023-guangzhou-tianhe-hrss.xlsx", "cells"),
    ]
    pdf, xlsx = rows
    import pypdfium2

    from tests.conftest import document_lines

    assert pdf["count"] == len(pypdfium2.PdfDocument(str(tmp_path / pdf["file"])))
    fields = [f for line in document_lines("2023-guangzhou-tianhe-hrss.txt") for f in line.split("\t") if f.strip()]
    assert xlsx["count"] == len(fields)
    assert all(row["ours_per_s"] > 0 for row in rows)
    assert "2023-guangzhou-tianhe-hrss.pdf" in format_formats(rows)
