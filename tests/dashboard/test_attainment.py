"""Target attainment page: an explicit empty state while no self-evaluation is loaded (the bundled
corpus has none), and the mart's figures once one is."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dashboards import formatting
from tests.dashboard.conftest import open_app

PAGE = "views/attainment.py"


def test_without_self_evaluations_the_page_says_so(published_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with duckdb.connect(str(published_home / "perfdw.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.mart_target_attainment").fetchall() == [(0,)]
    app = open_app(published_home, monkeypatch, PAGE)
    assert not app.exception and not app.error
    assert app.title[0].value == "目标达成 Target attainment"
    assert "No project self-evaluation" in app.info[0].value
    assert not app.table


def test_a_loaded_self_evaluation_is_shown_with_its_unmet_indicator(
    published_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The app reads only the published marts: a copy of them holding one evaluated unit-year.
    home = tmp_path / "home"
    shutil.copytree(published_home, home, ignore=shutil.ignore_patterns("*.lock", "dbt*", "parquet*"))
    with duckdb.connect(str(home / "perfdw.duckdb")) as con:
        con.execute("""
            insert into marts.mart_target_attainment by name
            select 'u2021' as unit_year_id, 2021 as fiscal_year, '渝中区人力资源和社会保障局' as department_name,
                   'u' as unit_id, '渝中区就业和人才中心' as unit_name, 1 as evaluated_project_count,
                   16 as indicator_count, 14 as indicators_with_result, 13 as met_count, 1 as not_met_count,
                   2 as not_comparable_count, 0.9286 as share_met, 100 as total_weight, null as total_score,
                   7574 as annual_budget_wan, 6643 as executed_wan, 87.71 as execution_rate_pct""")
        con.execute("""
            insert into marts.fct_indicator_result by name
            select 'r11' as indicator_result_id, 'p' as project_id, 11 as item_no, 2021 as fiscal_year,
                   '渝中区人力资源和社会保障局' as department_name, 'u' as unit_id,
                   '渝中区就业和人才中心' as unit_name, '就业补助资金' as project_name,
                   '预算执行率' as indicator_name, '90' as target_printed, '88%' as achieved_printed,
                   'not_met' as result_status, '年底部分资金未拨付' as deviation_reason,
                   'self-evaluation.xlsx' as source_file, 21 as source_line""")
    app = open_app(home, monkeypatch, PAGE)
    assert not app.exception and not app.error and not app.info
    summary = app.table[0].value
    assert summary["单位 Unit"].tolist() == ["渝中区就业和人才中心"]
    assert summary["达成率 Share met"].tolist() == [formatting.share(Decimal("0.9286"))] == ["92.86%"]
    assert summary["执行率 Execution rate"].tolist() == ["87.71%"]
    assert summary["执行数 Executed (万元)"].tolist() == ["6,643.00"]
    unmet = app.table[1].value
    assert unmet["指标 Indicator"].tolist() == ["预算执行率"]
    assert unmet["偏差原因 Reason"].tolist() == ["年底部分资金未拨付"]
