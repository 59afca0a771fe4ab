"""Year-over-year page: two years side by side from mart_yoy_spend, defaults, and years without data."""

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboards import formatting
from tests.dashboard.published import marts

DEPARTMENT = "广州市人力资源和社会保障局"


def _years_with_data(home: Path, dimension: str) -> list[int]:
    rows = marts(
        home,
        """select distinct fiscal_year from marts.mart_spend_comparison
           where dimension = $dimension and total_wan is not null order by fiscal_year desc""",
        {"dimension": dimension},
    )
    return [int(year) for year in rows["fiscal_year"]]


def _comparison(home: Path, dimension: str, year: int, base_year: int) -> pd.DataFrame:
    return marts(
        home,
        """select dimension_value, prior_total_wan, total_wan, change_wan, change_pct from marts.mart_spend_comparison
           where dimension = $dimension and fiscal_year = $year and prior_fiscal_year = $base_year
           order by dimension_value""",
        {"dimension": dimension, "year": year, "base_year": base_year},
    )


def _assert_shows(app: AppTest, expected: pd.DataFrame, year: int, base_year: int) -> None:
    """The full comparison, the totals and the top changes on screen are the mart's rows."""
    shown = app.dataframe[0].value.sort_values(app.dataframe[0].value.columns[0]).reset_index(drop=True)
    assert shown.iloc[:, 0].tolist() == expected["dimension_value"].tolist()
    assert shown[f"{base_year} 年"].tolist() == [formatting.wan(v) for v in expected["prior_total_wan"]]
    assert shown[f"{year} 年"].tolist() == [formatting.wan(v) for v in expected["total_wan"]]
    assert shown["变化 Change"].tolist() == [formatting.signed_wan(v) for v in expected["change_wan"]]
    assert shown["变化率 Change %"].tolist() == [formatting.signed_percent(v) for v in expected["change_pct"]]
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics[f"{base_year} 年合计 Total"] == formatting.wan(expected["prior_total_wan"].dropna().sum())
    assert metrics[f"{year} 年合计 Total"] == formatting.wan(expected["total_wan"].dropna().sum())
    changed = expected.dropna(subset=["change_wan"])
    assert metrics["两年都有数据 In both years"] == str(len(changed))
    increases = changed[changed["change_wan"] > 0].sort_values("change_wan", ascending=False)
    if increases.empty:
        return
    top = app.table[0].value
    assert top.iloc[0, 0] == formatting.markdown_safe(increases["dimension_value"].iloc[0])
    assert top["变化 Change"].iloc[0] == formatting.signed_wan(increases["change_wan"].iloc[0])


def test_defaults_to_the_latest_two_years_with_data(
    app_on: Callable[[str | None], AppTest], published_home: Path
) -> None:
    year, base_year = _years_with_data(published_home, "unit")[:2]
    app = app_on("views/yoy.py")
    assert not app.exception and not app.error and not app.warning
    assert app.selectbox(key="yoy_year:unit:None").value == year
    assert app.selectbox(key="yoy_base_year:unit:None").value == base_year
    _assert_shows(app, _comparison(published_home, "unit", year, base_year), year, base_year)


def test_programs_and_areas(app_on: Callable[[str | None], AppTest], published_home: Path) -> None:
    app = app_on("views/yoy.py")
    for dimension, header in (("program", "项目 Program"), ("area", "受益地区 Beneficiary area")):
        app.radio(key="yoy_dimension").set_value(dimension).run()
        assert not app.exception
        year, base_year = _years_with_data(published_home, dimension)[:2]
        assert app.dataframe[0].value.columns[0] == header
        _assert_shows(app, _comparison(published_home, dimension, year, base_year), year, base_year)


def test_any_two_years_can_be_compared(app_on: Callable[[str | None], AppTest], published_home: Path) -> None:
    year, *_, base_year = _years_with_data(published_home, "area")  # the latest and the earliest
    app = app_on("views/yoy.py")
    app.radio(key="yoy_dimension").set_value("area").run()
    app.selectbox(key="yoy_base_year:area:None").set_value(base_year).run()
    assert not app.exception and not app.warning
    _assert_shows(app, _comparison(published_home, "area", year, base_year), year, base_year)


def test_a_year_without_data_is_said_not_shown_as_zero(app_on: Callable[[str | None], AppTest]) -> None:
    app = app_on("views/yoy.py")
    app.selectbox(key="yoy_department").set_value(DEPARTMENT).run()
    year_box = app.selectbox(key=f"yoy_year:unit:{DEPARTMENT}")
    base_box = app.selectbox(key=f"yoy_base_year:unit:{DEPARTMENT}")
    assert year_box.value == 2026  # the department's only year with data
    missing_year = base_box.value
    assert missing_year != 2026
    assert not app.exception
    assert f"{missing_year} 年没有数据（{DEPARTMENT}） No data for {missing_year} in this selection." in [
        warning.value for warning in app.warning
    ]
    assert not app.table  # no side-by-side table of zeros


def test_the_same_year_twice_asks_for_two_years(app_on: Callable[[str | None], AppTest]) -> None:
    app = app_on("views/yoy.py")
    year = app.selectbox(key="yoy_year:unit:None").value
    app.selectbox(key="yoy_base_year:unit:None").set_value(year).run()
    assert not app.exception
    assert "请选择两个不同的年度。 Pick two different years." in [warning.value for warning in app.warning]
    assert not app.table
