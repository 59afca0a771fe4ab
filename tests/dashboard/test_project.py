"""Project page: search by name, amounts, indicators with parsed targets, source document and line;
and search text that is a quote or a piece of SQL."""

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import formatting
from tests.dashboard.published import marts

NO_MATCH = "没有名称包含该文字的项目。 No project name contains this text."


def _search(app: AppTest, text: str) -> AppTest:
    app.text_input(key="project_search").input(text).run()
    assert not app.exception
    return app


def test_empty_search_asks_for_a_name(app_on: Callable[[str | None], AppTest]) -> None:
    app = app_on("views/project.py")
    assert [info.value for info in app.info] == ["输入项目名称的一部分。 Type part of a project name."]


def test_project_with_the_most_indicators(
    app_on: Callable[[str | None], AppTest], published_home: Path
) -> None:
    project = marts(
        published_home,
        """select p.project_id, p.project_name, p.fiscal_year, p.unit_name, p.total_wan, p.fiscal_wan,
                  p.special_account_wan, p.other_wan, p.source_file, p.source_line, count(*) as indicators
           from marts.fct_project_budget p join marts.fct_performance_indicator i using (project_id)
           group by all order by indicators desc, p.project_id limit 1""",
    ).iloc[0]
    indicators = marts(
        published_home,
        "select annual_target, target_value from marts.fct_performance_indicator where project_id = $id order by item_no",
        {"id": project["project_id"]},
    )
    app = _search(app_on("views/project.py"), project["project_name"])
    label = f"{project['fiscal_year']} · {project['unit_name']} · {project['project_name']}"
    choice = app.selectbox(key="project_choice")
    assert label in choice.options
    choice.set_value(project["project_id"]).run()
    assert not app.exception
    assert app.header[0].value == formatting.markdown_safe(project["project_name"])
    assert [metric.value for metric in app.metric] == [
        formatting.wan(project[column])
        for column in ("total_wan", "fiscal_wan", "special_account_wan", "other_wan")
    ]
    source = next(markdown.value for markdown in app.markdown if "Document" in markdown.value)
    assert f"`{project['source_file']}` · 行 Line: **{project['source_line']}**" in source
    shown = app.table[0].value
    assert len(shown) == project["indicators"]
    assert shown["年度指标值 Annual target"].tolist() == [
        formatting.text(v) for v in indicators["annual_target"]
    ]
    assert shown["目标值 Value"].tolist() == [formatting.plain(v) for v in indicators["target_value"]]


@pytest.mark.parametrize(
    "typed", ["'", "' or '1'='1", "'; drop table marts.fct_project_budget; --", "%", "_", '" OR ""="']
)
def test_quotes_and_sql_fragments_find_nothing_and_break_nothing(
    app_on: Callable[[str | None], AppTest], published_home: Path, typed: str
) -> None:
    app = _search(app_on("views/project.py"), typed)
    assert [warning.value for warning in app.warning] == [NO_MATCH]
    assert not app.error and not app.metric and not app.table
    # The same session still finds a real project afterwards.
    name = marts(
        published_home, "select project_name from marts.fct_project_budget order by total_wan desc limit 1"
    )
    _search(app, name["project_name"][0])
    assert not app.warning
    assert app.header[0].value == formatting.markdown_safe(name["project_name"][0])
