"""`perfdw run` on the bundled corpus: validated, published, readable by analysts' tools."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from perfdw.dbt import MANIFEST
from perfdw.manifest import contract_columns, per_year_models, published_models
from tests.e2e.conftest import perfdw, published

# The marts every analyst and dashboard relies on (DESIGN.md, "The marts contract"); the published
# copy must hold at least these, with at least these columns, whatever else is added.
CONTRACT = {
    "fct_project_budget": {"project_id", "fiscal_year", "department_name", "unit_name", "project_name", "total_wan",
                           "fiscal_wan", "special_account_wan", "other_wan", "source_file", "source_line"},
    "fct_performance_indicator": {"indicator_id", "indicator_grain", "project_id", "item_no", "fiscal_year",
                                  "level1_code", "level1_name",
                                  "level2_code", "level2_name", "indicator_name", "cycle_target", "annual_target",
                                  "target_comparator", "target_value", "target_unit", "is_quantitative",
                                  "source_file", "source_line"},
    "dim_document": {"document_id", "source_file", "sha256", "department_name", "fiscal_year", "layout", "amount_unit"},
    "dim_unit": {"unit_id", "unit_name", "department_name"},
    "mart_spend_by_unit_year": {"fiscal_year", "department_name", "unit_name", "project_count", "total_wan",
                                "fiscal_wan", "special_account_wan", "other_wan"},
    "mart_indicator_coverage": {"fiscal_year", "department_name", "unit_name", "project_count",
                                "projects_with_indicators", "indicator_count", "share_with_output",
                                "share_with_effect", "share_with_satisfaction", "share_with_cost"},
    "mart_yoy_spend": {"dimension", "dimension_value", "fiscal_year", "total_wan", "prior_total_wan", "change_wan",
                       "change_pct"},
    "rpt_reconciliation": {"source_file", "unit_name", "amount_column", "printed_wan", "summed_wan",
                           "difference_wan", "status"},
    # the wider family (issue 13): unit-level target tables and project self-evaluations
    "fct_unit_budget": {"fiscal_year", "department_name", "unit_name", "staff_count", "basic_spend_wan",
                        "project_spend_wan", "total_wan", "fiscal_wan", "other_wan", "source_file", "source_line"},
    "fct_key_task": {"fiscal_year", "unit_name", "task_name", "content", "amount_wan", "expected_result",
                     "source_file", "source_line"},
    "fct_indicator_result": {"project_id", "fiscal_year", "unit_name", "indicator_name", "target_printed",
                             "target_comparator", "target_value", "target_unit", "achieved_printed",
                             "achieved_value", "weight", "score", "result_status", "deviation_reason",
                             "source_file", "source_line"},
    "fct_project_execution": {"project_id", "fiscal_year", "initial_budget_wan", "annual_budget_wan", "executed_wan",
                              "execution_rate_printed", "execution_rate_pct", "score", "source_file", "source_line"},
    "mart_target_attainment": {"fiscal_year", "department_name", "unit_name", "indicators_with_result", "met_count",
                               "share_met", "total_score", "execution_rate_pct"},
}


def test_published_copy_holds_every_year_and_the_hand_counted_rows(published_home):
    assert published(published_home, "select count(*) from marts.fct_project_budget") == [(354,)]
    # 1790 project indicators, and the six of 2024-wuchuan-hrss.txt's unit-level form (lines 22-27)
    assert published(
        published_home, "select indicator_grain, count(*) from marts.fct_performance_indicator group by 1 order by 1"
    ) == [("project", 1790), ("unit", 6)]
    assert published(published_home, "select distinct fiscal_year from marts.dim_document order by 1") == [
        (2023,), (2024,), (2025,), (2026,)
    ]
    # The 2026 合计 as printed, to the cent, reached the serving copy unchanged.
    assert published(
        published_home,
        "select printed_wan from marts.rpt_reconciliation where source_file = '2026-guangzhou-hrss.txt' "
        "and check_level = 'document' and amount_column = 'total'",
    ) == [(__import__("decimal").Decimal("1408104.19"),)]


def _published_columns(home: Path) -> dict[str, list[str]]:
    rows = published(
        home, "select table_name, column_name from information_schema.columns where table_schema = 'marts' "
        "order by table_name, ordinal_position",
    )
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def test_every_mart_the_manifest_names_is_published_with_its_contract_columns(published_home):
    declared = contract_columns(MANIFEST)
    actual = _published_columns(published_home)
    assert published_models(MANIFEST) == sorted(declared) and len(declared) >= len(CONTRACT)
    for model, columns in declared.items():
        assert actual.get(model) == columns, model


def test_published_copy_meets_the_marts_contract(published_home):
    actual = _published_columns(published_home)
    for model, required in CONTRACT.items():
        missing = required - set(actual.get(model, []))
        assert not missing, f"marts.{model} lacks {sorted(missing)}"


def test_every_mart_is_also_published_as_parquet(published_home):
    parquet = published_home / "parquet"
    assert parquet.is_symlink()
    per_year = per_year_models(MANIFEST)
    assert {"fct_project_budget", "fct_performance_indicator"} <= set(per_year)
    for mart in published_models(MANIFEST):
        files = f"{parquet / mart}/*.parquet" if mart in per_year else f"{parquet / mart}.parquet"
        rows = published(published_home, f"select fiscal_year, count(*) from read_parquet('{files}') group by all order by all"
                         if mart in per_year else f"select count(*) from read_parquet('{files}')")
        assert rows == published(published_home, f"select fiscal_year, count(*) from marts.{mart} group by all order by all"
                                 if mart in per_year else f"select count(*) from marts.{mart}"), mart
    # A per-year model's file per fiscal year holds that year's rows only.
    for file in (parquet / "fct_project_budget").glob("*.parquet"):
        assert published(published_home, f"select distinct fiscal_year from read_parquet('{file}')") == [(int(file.stem),)]


def test_serving_copy_opens_read_only_in_the_duckdb_shell(published_home):
    shell = Path(sys.executable).with_name("duckdb")
    result = subprocess.run(
        [str(shell), "-readonly", "-csv", str(published_home / "perfdw.duckdb"),
         "-c", "select count(*) as projects from marts.fct_project_budget"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["projects", "354"]


def test_validation_results_are_written_as_data_docs_and_json(published_home):
    summary = json.loads((published_home / "validation" / "summary.json").read_text(encoding="utf-8"))
    assert summary["success"] is True and summary["failures"] == []
    assert {name for name, suite in summary["suites"].items() if suite["success"]} == {
        "reconciliation", "cross_table", "continuity", "published"
    }
    # The registered source discrepancies pass, each with a warning that names it.
    named = [w for w in summary["warnings"] if "广州市工贸技师学院 · fiscal:" in w]
    assert len(named) == 1 and "-737.45" in named[0]
    docs = published_home / "validation" / "data_docs"
    assert (docs / "index.html").is_file()
    # one page per suite's result (validations/<suite>/<run>/<time>/<batch>.html), of every suite
    # that ran: a first load has no published copy to compare with
    ran = {name for name, suite in summary["suites"].items() if "skipped" not in suite}
    assert {page.relative_to(docs / "validations").parts[0] for page in (docs / "validations").rglob("*.html")} == ran
    assert {"reconciliation", "cross_table", "continuity"} <= ran


def test_validate_prints_the_reconciliation_table(home_copy):
    result = perfdw("validate", home=home_copy, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(
        l.startswith("2026-guangzhou-hrss.txt") and "广州市人力资源和社会保障局 " in l and "98.02" in l
        and l.endswith("known_discrepancy") for l in lines
    )
    assert "validation passed" in result.stdout


def test_validate_before_anything_was_loaded_says_so_in_one_line_and_writes_no_report(tmp_path):
    home = tmp_path / "home"
    result = perfdw("validate", home=home, timeout=300)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: validate: nothing loaded yet: {home / 'pipeline.duckdb'} does not exist (run `perfdw run`)"
    )
    assert not (home / "validation").exists() and not (home / "pipeline.duckdb").exists()


def test_status_reports_each_year_loaded_validated_and_published(home_copy):
    result = perfdw("status", home=home_copy, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line[:4].isdigit()}
    assert sorted(rows) == ["2023", "2024", "2025", "2026"]
    assert rows["2026"][1:5] == ["1", "244", "1307", "passed"]
    assert rows["2024"][1:4] == ["2", "60", "266"]


def test_a_new_warehouse_s_first_build_parses_only_what_changed(published_home):
    """A first load starts dbt from the partial-parse state prepared with the orchestrator's
    definitions: dbt logs why it falls back to parsing the whole project (3–4 s) when that state
    does not fit, e.g. when the vars name this warehouse's own path. The log begins with the
    warehouse's first build (other tests may load it again later)."""
    log = (published_home / "dbt" / "duckdb" / "dbt.log").read_text(encoding="utf-8")
    events = [json.loads(line)["info"] for line in log.splitlines()]
    starts = [index for index, event in enumerate(events) if event["name"] == "MainReportVersion"]
    assert starts[:1] == [0]
    first_build = events[: starts[1] if len(starts) > 1 else None]
    assert any(event["name"] == "StatsLine" for event in first_build)  # it ran to its end
    full_parse = [event["msg"] for event in first_build if event["name"] in ("UnableToPartialParse", "PartialParsingNotEnabled")]
    assert full_parse == []
