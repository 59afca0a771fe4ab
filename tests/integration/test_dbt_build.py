"""The dbt warehouse on the bundled corpus.

`perfdw extract` lands the five documents in a temporary warehouse ($PERFDW_HOME), `dbt build`
(seeds, models, data and unit tests) runs on it from the repository root with
DBT_PROFILES_DIR there, and the marts are checked through short read-only connections:
354 projects with their amounts exactly as printed, 1,790 indicators, the unit-year mart
summing to the projects, the reconciliation report's statuses, and a one-year rebuild
(`PERFDW_FISCAL_YEAR=2024 dbt build`) that leaves every other year's rows untouched.
The build runs once per test session (module fixture).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from perfdw.dbt import MANIFEST, PARSED_WITH, dbt_vars, name_failed_checks, prepare_manifest
from perfdw.grouped_checks import grouped_check_selectors, groups
from perfdw.manifest import read_manifest
from perfdw.paths import resolve_paths
from perfdw.settings import reconciliation_tolerance_wan

REPO = Path(__file__).resolve().parents[2]
PER_YEAR_MARTS = ("fct_project_budget", "fct_performance_indicator", "rpt_reconciliation")

# The printed check sums that disagree in the source documents themselves
# (seeds/known_source_discrepancies.csv): (source_file, unit_name or None, amount_column).
KNOWN_DISCREPANCIES = {
    ("2026-guangzhou-hrss.txt", "广州市人力资源和社会保障局", "total"),
    ("2026-guangzhou-hrss.txt", "广州市人力资源和社会保障局", "fiscal"),
    ("2026-guangzhou-hrss.txt", "广州市工贸技师学院", "fiscal"),
    ("2026-guangzhou-hrss.txt", "广州市工贸技师学院", "special_account"),
    ("2026-guangzhou-hrss.txt", None, "total"),
    ("2026-guangzhou-hrss.txt", None, "fiscal"),
    ("2026-guangzhou-hrss.txt", None, "special_account"),
    ("2024-wuchuan-hrss.txt", "吴川市人力资源和社会保障局", "total"),
    ("2024-wuchuan-hrss.txt", None, "total"),
    # the unit form's own check sum: 收入来源 = 基本支出 + 项目支出
    ("2024-wuchuan-hrss.txt", "吴川市人力资源和社会保障局", "unit_income_vs_spend"),
}


def _executable(name: str) -> str:
    """The venv's own executable (the one next to this Python), else whatever PATH has."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed in the project's environment")
    return found


def build_env(home: Path) -> dict[str, str]:
    """The environment of `perfdw extract` + `dbt build` into a warehouse of its own."""
    return {
        **os.environ,
        "PERFDW_HOME": str(home),
        "DBT_PROFILES_DIR": str(REPO),
        # compiled SQL, manifest and logs of this build stay out of the repository's target/
        "DBT_TARGET_PATH": str(home / "dbt_target"),
        "DBT_LOG_PATH": str(home / "dbt_logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def _run(args: list[str], env: dict[str, str], timeout: int = 300) -> str:
    result = subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} exited {result.returncode}\n"
            f"--- stdout (tail) ---\n{result.stdout[-6000:]}\n--- stderr (tail) ---\n{result.stderr[-3000:]}"
        )
    return result.stdout


def _query(database: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    """A short read-only look: dbt holds the file lock while it runs, so never keep it open."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, parameters or []).fetchall()


def _checksums(database: Path, years_except: int) -> dict[str, list[tuple]]:
    return {
        model: _query(
            database,
            f"select fiscal_year, count(*), bit_xor(hash(t)) from marts.{model} as t "
            "where fiscal_year <> ? group by fiscal_year order by fiscal_year",
            [years_except],
        )
        for model in PER_YEAR_MARTS
    }


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> dict:
    home = tmp_path_factory.mktemp("perfdw_home")
    env = build_env(home)
    _run([_executable("perfdw"), "extract"], env)
    build_log = _run([_executable("dbt"), "build"], env)
    results = json.loads((home / "dbt_target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    statuses = {result["unique_id"].split(".")[2]: result["status"] for result in results}
    return {"home": home, "env": env, "db": home / "pipeline.duckdb", "build_log": build_log, "statuses": statuses}


def test_build_has_no_deprecation_warnings(warehouse):
    assert "deprecat" not in warehouse["build_log"].lower()


def test_docs_generate_runs(warehouse):
    _run([_executable("dbt"), "docs", "generate"], warehouse["env"])
    assert (warehouse["home"] / "dbt_target" / "catalog.json").exists()


def test_project_and_indicator_counts(warehouse):
    db = warehouse["db"]
    assert _query(db, "select count(*) from marts.fct_project_budget") == [(354,)]
    # 1790 project indicators, and the six of 2024-wuchuan-hrss.txt's unit-level form (lines 22-27)
    assert _query(
        db, "select indicator_grain, count(*) from marts.fct_performance_indicator group by 1 order by 1"
    ) == [("project", 1790), ("unit", 6)]
    per_document = dict(
        _query(db, "select source_file, count(*) from marts.fct_project_budget group by source_file")
    )
    assert per_document == {
        "2023-guangzhou-tianhe-hrss.txt": 27,
        "2024-guangzhou-huadu-hrss.txt": 47,
        "2024-wuchuan-hrss.txt": 13,
        "2025-guangzhou-panyu-hrss.txt": 23,
        "2026-guangzhou-hrss.txt": 244,
    }


def test_amounts_are_exact_decimals_as_printed(warehouse):
    db = warehouse["db"]
    types = dict(
        _query(
            db,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'fct_project_budget' and column_name like '%_wan'",
        )
    )
    assert set(types.values()) == {"DECIMAL(24,6)"}, types
    printed = _query(
        db,
        """select project.project_id, raw.amount_unit, raw.total, raw.fiscal, raw.special_account,
                  raw.other, raw.annual_amount, project.total_wan, project.fiscal_wan,
                  project.special_account_wan, project.other_wan
           from marts.fct_project_budget as project
           inner join raw.budget_rows as raw
               on raw.document_id = project.document_id and raw.source_line = project.source_line""",
    )
    assert len(printed) == 354

    def amount(text: str | None) -> Decimal | None:
        if text is None or not text.replace("<p>", "").replace("</p>", "").strip():
            return None
        return Decimal(text.replace(",", "").replace("<p>", "").replace("</p>", "").replace("元", "").strip())

    for row in printed:
        _, unit, total, fiscal, special, other, annual, total_wan, fiscal_wan, special_wan, other_wan = row
        if unit == "元":  # forms: the budget year's amount is 当年度金额, 元 / 10 000 exactly
            assert total_wan * 10000 == amount(annual), row
            assert (fiscal_wan, special_wan, other_wan) == (None, None, None), row
        else:
            assert total_wan == amount(total), row
            assert fiscal_wan == (amount(fiscal) or 0), row
            assert special_wan == (amount(special) or 0), row
            assert other_wan == (amount(other) or 0), row


def test_spend_by_unit_year_sums_equal_the_projects(warehouse):
    rows = _query(
        warehouse["db"],
        """with projects as (
               select fiscal_year, unit_id, count(*) as project_count, sum(total_wan) as total_wan,
                      sum(fiscal_wan) as fiscal_wan, sum(special_account_wan) as special_account_wan,
                      sum(other_wan) as other_wan
               from marts.fct_project_budget group by fiscal_year, unit_id
           )
           select projects.*, mart.project_count, mart.total_wan, mart.fiscal_wan,
                  mart.special_account_wan, mart.other_wan
           from projects
           full outer join marts.mart_spend_by_unit_year as mart
               on mart.fiscal_year = projects.fiscal_year and mart.unit_id = projects.unit_id""",
    )
    assert len(rows) == 25
    for row in rows:
        assert row[2:7] == row[7:12], row
    total = _query(warehouse["db"], "select sum(total_wan) from marts.mart_spend_by_unit_year")[0][0]
    assert total == _query(warehouse["db"], "select sum(total_wan) from marts.fct_project_budget")[0][0]


def test_reconciliation_statuses(warehouse):
    rows = _query(
        warehouse["db"],
        "select source_file, unit_name, amount_column, status, difference_wan from marts.rpt_reconciliation",
    )
    statuses = {}
    for source_file, unit_name, amount_column, status, difference in rows:
        statuses[status] = statuses.get(status, 0) + 1
        key = (source_file, unit_name, amount_column)
        if key in KNOWN_DISCREPANCIES:
            assert status == "known_discrepancy", (key, difference)
        else:
            assert status == "ok", (key, status, difference)
            assert abs(difference) <= reconciliation_tolerance_wan(), (key, difference)
    assert statuses == {"ok": len(rows) - len(KNOWN_DISCREPANCIES), "known_discrepancy": len(KNOWN_DISCREPANCIES)}
    # every document is reconciled, at document level and per unit
    checked = _query(
        warehouse["db"],
        "select count(distinct document_id), count(distinct case when check_level = 'unit' then unit_id end) "
        "from marts.rpt_reconciliation",
    )
    assert checked == [(5, 25)]


def test_rebuilding_one_year_leaves_the_other_years_untouched(warehouse):
    """Change a 2023 and a 2024 project in the raw layer, rebuild 2024 only: the 2024 row
    changes, the 2023 row (and every other year's rows) stay exactly as they were."""
    db, env = warehouse["db"], warehouse["env"]
    before = _checksums(db, years_except=2024)
    targets = _query(
        db,
        """select fiscal_year, min(document_id), min(source_line) from marts.fct_project_budget
           where fiscal_year in (2023, 2024) and source_file <> '2024-wuchuan-hrss.txt'
           group by fiscal_year order by fiscal_year""",
    )
    (_, doc_2023, line_2023), (_, doc_2024, line_2024) = targets
    with duckdb.connect(str(db)) as con:
        for document_id, source_line in ((doc_2023, line_2023), (doc_2024, line_2024)):
            con.execute(
                "update raw.budget_rows set goal_text = 'changed for the rebuild test' "
                "where document_id = ? and source_line = ?",
                [document_id, source_line],
            )

    _run([_executable("dbt"), "build"], {**env, "PERFDW_FISCAL_YEAR": "2024"})

    # the intermediate projects as well as the facts: the 2023 row, although changed in raw,
    # is the one built before, so that year was not rebuilt
    for relation in ("marts.fct_project_budget", "intermediate.int_projects"):
        goal = f"select goal_text from {relation} where document_id = ? and source_line = ?"
        assert _query(db, goal, [doc_2024, line_2024]) == [("changed for the rebuild test",)], relation
        assert _query(db, goal, [doc_2023, line_2023]) != [("changed for the rebuild test",)], relation
    assert _checksums(db, years_except=2024) == before
    counts = dict(_query(db, "select fiscal_year, count(*) from marts.fct_project_budget group by 1"))
    assert counts == {2023: 27, 2024: 60, 2025: 23, 2026: 244}


def test_a_one_year_build_inserts_each_row_once(warehouse, tmp_path):
    """The per-year models of a one-year build insert their query's rows straight into their
    tables (macros/engines/duckdb.sql): dbt's temporary relation is a view, not a table the
    rows are first written to; and the year's rows are the same as a table would have given."""
    db, env = warehouse["db"], warehouse["env"]
    before = _query(db, "select count(*), bit_xor(hash(t)) from marts.fct_performance_indicator as t "
                        "where fiscal_year = 2025")
    _run([_executable("dbt"), "run", "--select", "tag:per_year", "--log-level-file", "debug",
          "--log-path", str(tmp_path), "--target-path", str(tmp_path / "target")],
         {**env, "PERFDW_FISCAL_YEAR": "2025"})
    log = (tmp_path / "dbt.log").read_text(encoding="utf-8")
    viewed = set(re.findall(r'create temporary view \\?"(\w+)__dbt_tmp\d+', log))
    nodes = json.loads(MANIFEST.read_text(encoding="utf-8"))["nodes"].values()
    assert viewed == {node["name"] for node in nodes if "per_year" in node["tags"]}
    assert "create temporary table" not in log
    assert _query(db, "select count(*), bit_xor(hash(t)) from marts.fct_performance_indicator as t "
                      "where fiscal_year = 2025") == before


def test_marts_name_where_each_fact_sits(warehouse):
    # The bundled documents are text: every project and indicator sits on its own line.
    for model in ("fct_project_budget", "fct_performance_indicator"):
        mismatched = _query(
            warehouse["db"],
            f"select count(*), count(*) filter (where source_location <> 'line ' || source_line) "
            f"from marts.{model}",
        )
        assert mismatched[0][0] > 0 and mismatched[0][1] == 0, model


AGREEMENT = "assert_target_reading_agreement"


def _agreement_after(warehouse, tmp_path: Path, tamper: str) -> subprocess.CompletedProcess:
    """Run the target-reading agreement test on a copy of the built warehouse after `tamper`."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(warehouse["db"], home / "pipeline.duckdb")
    with duckdb.connect(str(home / "pipeline.duckdb")) as con:
        con.execute(tamper)
    env = {**warehouse["env"], "PERFDW_HOME": str(home), "DBT_TARGET_PATH": str(home / "dbt_target"),
           "DBT_LOG_PATH": str(home / "dbt_logs")}
    return subprocess.run([_executable("dbt"), "test", "--select", AGREEMENT], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_target_reading_agreement_measures_the_blind_reference(warehouse, tmp_path):
    # The full build passed, this test included: at least 99% of the 370 reference indicators
    # agree. Misreading the unit of a handful of them (2% of the reference) makes it fail.
    reference = _query(warehouse["db"], "select count(*) from seeds.target_readings_blind")[0][0]
    assert reference >= 300
    wrong = _agreement_after(warehouse, tmp_path, f"""
        update marts.fct_performance_indicator set target_unit = 'wrong'
        where indicator_id in (
            select f.indicator_id from marts.fct_performance_indicator f
            join seeds.target_readings_blind r using (source_file, project_source_line, item_no)
            where f.target_unit is not null limit {reference // 50 + 1})""")
    assert wrong.returncode != 0 and f"Failure in test {AGREEMENT}" in wrong.stdout, wrong.stdout[-2000:]


def test_target_reading_agreement_fails_when_the_reference_finds_nothing(warehouse, tmp_path):
    # The documents are loaded but their indicators moved (another numbering): nothing joins.
    moved = _agreement_after(warehouse, tmp_path, "update marts.fct_performance_indicator set item_no = item_no + 1000")
    assert moved.returncode != 0 and f"Failure in test {AGREEMENT}" in moved.stdout, moved.stdout[-2000:]


def test_each_group_runs_the_checks_a_load_leaves_out(warehouse):
    # The load leaves out what perfdw.grouped_checks says the groups run; each group's compiled
    # SQL says what it really runs (macros/single_table_checks.sql): the two rules must agree.
    manifest = json.loads((warehouse["home"] / "dbt_target" / "manifest.json").read_text(encoding="utf-8"))
    expected = groups(manifest)
    compiled = {
        node["name"]: set(re.findall(r"select '([a-z0-9_]+)' as test_name",
                                     (REPO / node["compiled_path"]).read_text(encoding="utf-8")))
        for node in manifest["nodes"].values() if node["name"] in expected
    }
    assert compiled.keys() == expected.keys()
    assert {group: sorted(checks) for group, checks in compiled.items()} == expected
    # Every check a load leaves out is one the build ran on its own and passed.
    assert {warehouse["statuses"][check] for checks in expected.values() for check in checks} == {"pass"}
    assert {warehouse["statuses"][group] for group in expected} == {"pass"}


def test_the_loads_exclusion_selects_exactly_the_grouped_checks(warehouse):
    manifest = json.loads((warehouse["home"] / "dbt_target" / "manifest.json").read_text(encoding="utf-8"))
    selectors = grouped_check_selectors(manifest)
    assert any(selector.startswith("test_name:") for selector in selectors)
    listed = _run([_executable("dbt"), "ls", "--quiet", "--resource-type", "test", "--output", "name",
                   "--select", *selectors], warehouse["env"])
    assert sorted(listed.split()) == sorted({check for checks in groups(manifest).values() for check in checks})


def test_a_failed_group_is_reported_by_the_names_of_its_failed_checks(warehouse, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(warehouse["db"], home / "pipeline.duckdb")
    with duckdb.connect(str(home / "pipeline.duckdb")) as con:
        con.execute("update marts.fct_project_budget set unit_name = null where fiscal_year = 2024")
        con.execute("update marts.fct_project_budget set project_id = (select min(project_id) from marts.fct_project_budget)")
    paths = resolve_paths(home)
    group = "single_table_checks_fct_project_budget_"
    env = {**warehouse["env"], "PERFDW_HOME": str(home)}

    def named_after_a_failed_load_of(year: int | None) -> tuple[list[str], list[str]]:
        failed = subprocess.run(
            [_executable("dbt"), "test", "--select", group, "--target", "duckdb", "--vars", json.dumps(dbt_vars(paths)),
             "--project-dir", str(REPO), "--target-path", str(paths.dbt_target()), "--log-path", str(home / "dbt_logs")],
            cwd=home, env={**env, "PERFDW_FISCAL_YEAR": "" if year is None else str(year)},
            capture_output=True, text=True, timeout=300,
        )
        assert failed.returncode != 0 and f"Failure in test {group}" in failed.stdout, failed.stdout[-2000:]
        lines: list[str] = []
        return name_failed_checks(paths, year, progress=lines.append), lines

    named, lines = named_after_a_failed_load_of(None)
    assert named == ["not_null_fct_project_budget_unit_name", "unique_fct_project_budget_project_id"]
    assert any("Failure in test not_null_fct_project_budget_unit_name" in line for line in lines)
    # from the build's partial-parse state: not the whole project parsed again
    log = (paths.dbt_target() / "failed-groups" / "dbt.log").read_text(encoding="utf-8")
    assert "Running with dbt" in log and "Unable to do partial parsing" not in log
    # A load of 2026 tested 2026's rows: the nulls of 2024 are not among its failures.
    named, _ = named_after_a_failed_load_of(2026)
    assert named == ["unique_fct_project_budget_project_id"]


def _test_groups(home: Path, env: dict[str, str], year: int | None, *groups_: str) -> set[str]:
    """The groups among `groups_` that fail when run as a load of `year` (None: every year) does."""
    paths = resolve_paths(home)
    result = subprocess.run(
        [_executable("dbt"), "test", "--select", *groups_, "--vars", json.dumps(dbt_vars(paths)),
         "--project-dir", str(REPO), "--target-path", str(home / f"dbt_target_{year}"),
         "--log-path", str(home / "dbt_logs")],
        cwd=home, env={**env, "PERFDW_HOME": str(home), "PERFDW_FISCAL_YEAR": "" if year is None else str(year)},
        capture_output=True, text=True, timeout=300,
    )
    failed = set(re.findall(r"Failure in test (\S+)", result.stdout))
    assert result.returncode == (1 if failed else 0), result.stdout[-3000:]
    return failed


def test_a_one_year_load_tests_the_rows_it_wrote(warehouse, tmp_path):
    """A load of one year checks that year's rows of the per-year models, the staging views and
    the raw tables, and every row of what it rebuilds whole; the other years' rows were checked
    by the loads that wrote them. A view's checks read it once (a materialized CTE) and still fail."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(warehouse["db"], home / "pipeline.duckdb")
    with duckdb.connect(str(home / "pipeline.duckdb")) as con:
        # a per-year fact, a raw table (read by the staging views) and, through the fact, a view
        con.execute("update marts.fct_project_budget set unit_name = null where fiscal_year = 2024")
        con.execute(
            "update raw.budget_rows set amount_unit = '千元' where rowid = (select min(rowid) from raw.budget_rows"
            " where document_id in (select document_id from raw.documents where fiscal_year = 2024))"
        )
        con.execute("update marts.fct_project_budget set unit_id = null where fiscal_year = 2026")
    per_year, raw, view = (
        "single_table_checks_fct_project_budget_", "source_single_table_checks_raw_budget_rows_",
        "single_table_checks_mart_spend_by_unit_year_",
    )
    assert _test_groups(home, warehouse["env"], 2025, per_year, raw) == set()
    assert _test_groups(home, warehouse["env"], 2024, per_year, raw) == {per_year, raw}
    assert _test_groups(home, warehouse["env"], None, per_year, raw, view) == {per_year, raw, view}
    assert _test_groups(home, warehouse["env"], 2025, view) == {view}


def test_a_manifest_cut_short_is_parsed_again():
    """An interrupted `dbt parse` leaves target/manifest.json newer than every dbt file but not
    JSON; the next load parses the project again instead of failing on it."""
    prepare_manifest()
    whole = MANIFEST.read_bytes()
    try:
        MANIFEST.write_bytes(whole[: len(whole) // 2])
        assert prepare_manifest() == MANIFEST
        assert sorted(read_manifest(MANIFEST)["nodes"]) == sorted(json.loads(whole)["nodes"])
    finally:
        try:
            json.loads(MANIFEST.read_bytes())
        except ValueError:  # not parsed again: leave the other tests a whole manifest
            MANIFEST.write_bytes(whole)


def test_a_manifest_parsed_with_other_arguments_is_parsed_again():
    """The project's parse is a DuckDB load's (its target and vars), so that dagster-dbt can
    start a new warehouse's build from its partial-parse state; one parsed otherwise (by hand,
    or by an older perfdw or dbt) is parsed again, though newer than every dbt file."""
    prepare_manifest()
    stamped = json.loads(PARSED_WITH.read_text(encoding="utf-8"))
    assert stamped["args"] == ["--target", "duckdb", "--vars", json.dumps({"warehouse_db": "pipeline.duckdb"})]
    PARSED_WITH.write_text(json.dumps({**stamped, "args": ["--target", "duckdb"]}), encoding="utf-8")
    parsed_before = MANIFEST.stat().st_mtime_ns
    assert prepare_manifest() == MANIFEST
    assert MANIFEST.stat().st_mtime_ns > parsed_before
    assert json.loads(PARSED_WITH.read_text(encoding="utf-8")) == stamped
