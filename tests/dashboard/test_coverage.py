"""Indicator coverage page: shares per unit and year from mart_indicator_coverage, and the projects
listing no indicator."""

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboards import formatting
from tests.dashboard.published import marts

DEPARTMENT = "广州市人力资源和社会保障局"


def _select(app: AppTest, year: int, department: str) -> AppTest:
    app.selectbox(key="coverage_year").set_value(year).run()
    app.selectbox(key="coverage_department").set_value(department).run()
    assert not app.exception and not app.error
    return app


def test_shares_per_unit_match_the_mart(
    app_on: Callable[[str | None], AppTest], published_home: Path
) -> None:
    expected = marts(
        published_home,
        """select unit_name, project_count, share_with_output, share_with_satisfaction, quantitative_share
           from marts.mart_indicator_coverage where fiscal_year = 2026 and department_name = $d
           order by unit_name""",
        {"d": DEPARTMENT},
    )
    assert not expected.empty
    shown = _select(app_on("views/coverage.py"), 2026, DEPARTMENT).table[0].value
    assert shown["单位 Unit"].tolist() == [formatting.markdown_safe(name) for name in expected["unit_name"]]
    assert shown["项目数 Projects"].tolist() == [str(n) for n in expected["project_count"]]
    assert shown["产出 Output"].tolist() == [formatting.share(v) for v in expected["share_with_output"]]
    assert shown["满意度 Satisfaction"].tolist() == [
        formatting.share(v) for v in expected["share_with_satisfaction"]
    ]
    assert shown["定量目标占比 Quantitative targets"].tolist() == [
        formatting.share(v) for v in expected["quantitative_share"]
    ]


def test_projects_without_indicators(app_on: Callable[[str | None], AppTest], published_home: Path) -> None:
    expected = marts(
        published_home,
        """select project_name from marts.fct_project_budget p
           where fiscal_year = 2026 and department_name = $d
             and project_id not in (select project_id from marts.fct_performance_indicator
                                    where indicator_grain = 'project')
           order by unit_name, source_line""",
        {"d": DEPARTMENT},
    )
    app = _select(app_on("views/coverage.py"), 2026, DEPARTMENT)
    if expected.empty:
        assert [s.value for s in app.success] == [
            "所选范围内每个项目都列出了绩效指标。 Every project in this selection lists indicators."
        ]
    else:
        assert sorted(app.table[1].value["项目 Project"]) == sorted(
            formatting.markdown_safe(name) for name in expected["project_name"]
        )


def test_year_without_data(app_on: Callable[[str | None], AppTest]) -> None:
    app = app_on("views/coverage.py")
    other_year = next(y for y in app.selectbox(key="coverage_year").options[1:] if y != "2026")
    app = _select(app, int(other_year), DEPARTMENT)
    assert [w.value for w in app.warning] == [
        f"所选范围没有数据 No data for this selection ({other_year} 年 · {DEPARTMENT} · 全部单位)."
    ]
    assert not app.table
