"""Every page in headless Chromium over a real published warehouse: key figures from the marts on
screen, no error box, Chinese drawn with a CJK font; a screenshot of each page; and a load that
runs while the page is open."""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from dashboards import formatting
from tests.dashboard.published import LOAD_TIMEOUT_S, PERFDW, REPO, marts

DEPARTMENT = "广州市人力资源和社会保障局"
RENDER_TIMEOUT_MS = 30_000
RELOAD_PAUSE_S = 2
ERROR_BOXES = '[data-testid="stException"], [data-testid="stAlertContentError"]'
HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Figure:
    """Texts that must appear together in one table row of the page."""

    texts: tuple[str, ...]


def overview_figure(home: Path) -> Figure:
    total = marts(
        home,
        "select sum(total_wan) as total from marts.mart_spend_by_unit_year where fiscal_year = 2026 and department_name = $d",
        {"d": DEPARTMENT},
    )["total"][0]
    return Figure(("2026", DEPARTMENT, formatting.wan(total)))


def yoy_program_figure(home: Path) -> Figure:
    """The program with the largest increase between the latest two years with program data."""
    row = marts(
        home,
        """with years as (select distinct fiscal_year from marts.mart_spend_comparison
                          where dimension = 'program' and total_wan is not null
                          order by fiscal_year desc limit 2)
           select dimension_value, change_wan from marts.mart_spend_comparison
           where dimension = 'program' and fiscal_year = (select max(fiscal_year) from years)
             and prior_fiscal_year = (select min(fiscal_year) from years) and change_wan > 0
           order by change_wan desc limit 1""",
    ).iloc[0]
    return Figure((row["dimension_value"], formatting.signed_wan(row["change_wan"])))


def coverage_figure(home: Path) -> Figure:
    row = marts(
        home,
        """select unit_name, project_count, share_with_output from marts.mart_indicator_coverage
           where fiscal_year = 2026 order by project_count desc, unit_name limit 1""",
    ).iloc[0]
    return Figure(("2026", row["unit_name"], formatting.share(row["share_with_output"])))


def largest_project(home: Path) -> tuple[str, str]:
    row = marts(
        home, "select project_name, total_wan from marts.fct_project_budget order by total_wan desc limit 1"
    ).iloc[0]
    return row["project_name"], formatting.wan(row["total_wan"])


def _row_with(page: Page, figure: Figure) -> Locator:
    rows = page.locator('[data-testid="stTable"] tr')
    for text in figure.texts:
        rows = rows.filter(has_text=text)
    return rows.first


def _settled(page: Page) -> None:
    """Wait until Streamlit has finished the run and the charts are drawn."""
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=RENDER_TIMEOUT_MS)
    for chart in page.locator('[data-testid="stVegaLiteChart"]').all():
        expect(chart.locator("svg, canvas").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)


def _assert_no_error_box(page: Page) -> None:
    assert page.locator(ERROR_BOXES).count() == 0, page.locator(ERROR_BOXES).all_inner_texts()


def _cjk_families() -> set[str]:
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=True
    ).stdout
    return {family.strip() for line in listed.splitlines() for family in line.split(",")}


def _assert_chinese_drawn_with_a_cjk_font(page: Page) -> None:
    """Chromium reports which installed font drew the title's glyphs: every Han character of it
    must come from a font that covers Chinese, not a fallback drawing empty boxes."""
    title = page.locator("h1").first.inner_text()
    han = len(HAN.findall(title))
    assert han > 0, title
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cjk = _cjk_families()
    assert cjk, "no font covering Chinese is installed: run scripts/install-test-packages.sh as root (make test does)"
    drawn_by_cjk = sum(font["glyphCount"] for font in fonts if font["familyName"] in cjk)
    assert drawn_by_cjk >= han, fonts


def _screenshot(page: Page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main pane, so a full-page screenshot of the
    window shows only the first screen; grow the window to the pane's height for the picture."""
    viewport = page.viewport_size
    assert viewport is not None
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size(
        {"width": viewport["width"], "height": min(max(height, viewport["height"]), 12_000)}
    )
    _settled(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)


def _check_page(page: Page, url: str, title: str, figure: Figure, screenshots: Path, name: str) -> None:
    page.goto(url)
    expect(page.locator("h1").first).to_contain_text(title, timeout=RENDER_TIMEOUT_MS)
    expect(_row_with(page, figure)).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    _settled(page)
    _assert_no_error_box(page)
    _assert_chinese_drawn_with_a_cjk_font(page)
    _screenshot(page, screenshots / f"{name}.png")


def test_overview(page: Page, dashboard_url: str, published_home: Path, screenshots: Path) -> None:
    _check_page(page, dashboard_url, "预算支出概览", overview_figure(published_home), screenshots, "overview")


def test_year_over_year(page: Page, dashboard_url: str, published_home: Path, screenshots: Path) -> None:
    page.goto(f"{dashboard_url}/yoy")
    expect(page.locator("h1").first).to_contain_text("同比", timeout=RENDER_TIMEOUT_MS)
    page.get_by_text("项目 Program", exact=True).click()
    expect(_row_with(page, yoy_program_figure(published_home))).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    _settled(page)
    _assert_no_error_box(page)
    _assert_chinese_drawn_with_a_cjk_font(page)
    _screenshot(page, screenshots / "yoy.png")


def test_indicator_coverage(page: Page, dashboard_url: str, published_home: Path, screenshots: Path) -> None:
    _check_page(
        page,
        f"{dashboard_url}/coverage",
        "指标覆盖",
        coverage_figure(published_home),
        screenshots,
        "coverage",
    )


def test_project(page: Page, dashboard_url: str, published_home: Path, screenshots: Path) -> None:
    name, total = largest_project(published_home)
    page.goto(f"{dashboard_url}/project")
    search = page.get_by_label("搜索项目名称 Search project name")
    search.fill(name)
    search.press("Enter")
    expect(page.locator("h2").filter(has_text=name).first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text(total, timeout=RENDER_TIMEOUT_MS)
    _settled(page)
    _assert_no_error_box(page)
    _assert_chinese_drawn_with_a_cjk_font(page)
    _screenshot(page, screenshots / "project.png")


def _published_at(home: Path) -> str:
    return marts(home, "select max(published_at) as published_at from marts.publication")["published_at"][0]


def test_a_load_runs_while_the_page_is_open(
    page: Page, dashboard_url: str, published_home: Path, screenshots: Path, tmp_path: Path
) -> None:
    figure = overview_figure(published_home)
    before = _published_at(published_home)
    page.goto(dashboard_url)
    expect(_row_with(page, figure)).to_be_visible(timeout=RENDER_TIMEOUT_MS)

    log_path = tmp_path / "load.log"
    with log_path.open("w") as log:
        # A real load into the home the app is serving: extract, dbt, validate, republish.
        load = subprocess.Popen(
            [str(PERFDW), "run"],
            cwd=REPO,
            env={**os.environ, "PERFDW_HOME": str(published_home)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        # Keep the app reading the published copy while the load writes and republishes it.
        reloads = 0
        deadline = time.monotonic() + LOAD_TIMEOUT_S
        while load.poll() is None and time.monotonic() < deadline:
            page.reload()
            expect(_row_with(page, figure)).to_be_visible(timeout=RENDER_TIMEOUT_MS)
            _assert_no_error_box(page)
            reloads += 1
            time.sleep(RELOAD_PAUSE_S)
        returncode = load.wait(timeout=max(1.0, deadline - time.monotonic()))
    assert returncode == 0, log_path.read_text()[-5000:]
    assert reloads > 0, "the load ended before the page could be reloaded during it"

    after = _published_at(published_home)
    assert after != before, "the load did not republish"
    page.reload()
    expect(page.get_by_text(f"Published at {after}")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(_row_with(page, figure)).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    _settled(page)
    _assert_no_error_box(page)
    _screenshot(page, screenshots / "overview-after-load.png")
