"""With nothing published, every page explains how to load data instead of failing."""

from pathlib import Path

import pytest

from tests.dashboard.conftest import open_app


@pytest.mark.parametrize(
    "page", [None, "views/yoy.py", "views/coverage.py", "views/attainment.py", "views/project.py"]
)
def test_empty_home_says_how_to_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str | None
) -> None:
    app = open_app(tmp_path, monkeypatch, page)
    assert not app.exception
    assert not app.error
    assert "No data published yet" in app.title[0].value
    assert [code.value for code in app.code] == ["perfdw run"]
    assert str(tmp_path / "perfdw.duckdb") in app.caption[0].value
    assert not app.metric and not app.table
