"""Overview page: totals by funding source for the selection, per year and department."""

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboards import formatting
from tests.dashboard.published import marts

DEPARTMENT = "广州市人力资源和社会保障局"
SPEND_SQL = """
    select sum(project_count) as project_count, sum(total_wan) as total_wan, sum(fiscal_wan) as fiscal_wan,
           sum(special_account_wan) as special_account_wan, sum(other_wan) as other_wan
    from marts.mart_spend_by_unit_year
    where ($year is null or fiscal_year = $year) and ($department is null or department_name = $department)
"""


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def _expected(home: Path, year: int | None, department: str | None) -> dict[str, str]:
    row = marts(home, SPEND_SQL, {"year": year, "department": department}).iloc[0]
    return {
        "计划支出合计 Total planned spend": formatting.wan(row["total_wan"]),
        "项目数 Projects": str(row["project_count"]),
        "财政拨款 Fiscal appropriation": formatting.wan(row["fiscal_wan"]),
        "财政专户拨款 Special account": formatting.wan(row["special_account_wan"]),
        "其他资金 Other funds": formatting.wan(row["other_wan"]),
    }


def test_default_shows_every_year_and_department(
    app_on: Callable[[str | None], AppTest], published_home: Path
) -> None:
    app = app_on(None)
    assert not app.exception and not app.error
    assert _metrics(app) == _expected(published_home, None, None)
    by_year = app.table[0].value
    departments = marts(
        published_home, "select distinct fiscal_year, department_name from marts.mart_spend_by_unit_year"
    )
    assert len(by_year) == len(departments)
    row = by_year[
        (by_year["年度 Year"] == "2026")
        & (by_year["部门 Department"] == formatting.markdown_safe(DEPARTMENT))
    ]
    assert row["总计 Total"].tolist() == [
        _expected(published_home, 2026, DEPARTMENT)["计划支出合计 Total planned spend"]
    ]


def test_year_and_department_filters(app_on: Callable[[str | None], AppTest], published_home: Path) -> None:
    app = app_on(None)
    app.selectbox(key="overview_year").set_value(2026).run()
    app.selectbox(key="overview_department").set_value(DEPARTMENT).run()
    assert not app.exception
    assert _metrics(app) == _expected(published_home, 2026, DEPARTMENT)
    units = marts(
        published_home,
        "select distinct unit_name from marts.mart_spend_by_unit_year where department_name = $d",
        {"d": DEPARTMENT},
    )
    assert app.selectbox(key="overview_unit").options[1:] == sorted(units["unit_name"])
    largest = app.table[1].value
    assert set(largest["单位 Unit"]) <= {formatting.markdown_safe(name) for name in units["unit_name"]}


def test_unit_filter(app_on: Callable[[str | None], AppTest], published_home: Path) -> None:
    unit = marts(
        published_home,
        """select unit_name, total_wan from marts.mart_spend_by_unit_year
           where department_name = $d and fiscal_year = 2026 and unit_name <> $d
           order by total_wan desc limit 1""",
        {"d": DEPARTMENT},
    ).iloc[0]
    app = app_on(None)
    app.selectbox(key="overview_department").set_value(DEPARTMENT).run()
    app.selectbox(key="overview_unit").set_value(unit["unit_name"]).run()
    assert not app.exception
    assert _metrics(app)["计划支出合计 Total planned spend"] == formatting.wan(unit["total_wan"])


def test_year_without_data_says_so_instead_of_zero(app_on: Callable[[str | None], AppTest]) -> None:
    app = app_on(None)
    app.selectbox(key="overview_department").set_value(DEPARTMENT).run()
    other_year = next(year for year in app.selectbox(key="overview_year").options[1:] if year != "2026")
    app.selectbox(key="overview_year").set_value(int(other_year)).run()
    assert not app.exception
    assert [warning.value for warning in app.warning] == [
        f"所选范围没有数据 No data for this selection ({other_year} 年 · {DEPARTMENT} · 全部单位)."
    ]
    assert not app.metric and not app.table


def test_units_without_a_funding_split_are_pointed_out(
    app_on: Callable[[str | None], AppTest], published_home: Path
) -> None:
    # Wuchuan's forms print no split by funding source: its money is in the total only.
    unsplit = marts(
        published_home, "select count(*) as n from marts.mart_spend_by_unit_year where fiscal_wan is null"
    )["n"][0]
    assert unsplit > 0
    captions = [caption.value for caption in app_on(None).caption]
    assert any(caption.startswith(f"{unsplit} 个单位未按资金来源分列") for caption in captions), captions
