from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.published import REPO

APP = REPO / "dashboards" / "app.py"
# The first run of a fresh AppTest imports Streamlit, Altair and pandas: give it time on 2 cores.
RUN_TIMEOUT_S = 60



def open_app(home: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None) -> AppTest:
    """The app over `home`, run once, on `page` (a file under dashboards/, e.g. "views/yoy.py")."""
    monkeypatch.setenv("PERFDW_HOME", str(home))
    # Streamlit installs the app as sys.modules["__main__"] and leaves it there; a process pool
    # started later in this test session (extract's) would run the app in every worker.
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])
    app = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S).run()
    if page is not None:
        app.switch_page(page).run()
    return app


@pytest.fixture
def app_on(published_home: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], AppTest]:
    return lambda page=None: open_app(published_home, monkeypatch, page)
