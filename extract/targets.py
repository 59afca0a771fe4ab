"""Which pages or sheets of a document hold target tables (项目支出绩效目标表 and its family), and
which hold other tables (收支总表, narrative …) that are recorded as such and skipped."""

from __future__ import annotations

import re

from extract.cells import CellDocument, Page, Row
from extract.layouts import LAYOUTS, matching_layouts, unknown_header
from extract.records import ExtractError

# A page opens a new table when one of its first rows is a title: one cell naming a table
# (…表, …表（含转移支付项目）). The target tables' titles share the words 绩效目标表
# (项目支出绩效目标表, 整体预算绩效目标表 …).
_TITLE = re.compile(r".*表(?:[（(][^）)]*[）)])?")
_TITLE_ROWS = 3
_TARGET_TITLE = "绩效目标表"


def _page_title(page: Page) -> str | None:
    tops = [row.text.strip() for row in page.rows if row.text.strip()][:_TITLE_ROWS]
    return next((text for text in tops if "\t" not in text and _TITLE.fullmatch(text)), None)


def _target_pages(document: CellDocument) -> set[int] | None:
    """The pages (sheets) that hold target tables, or None where every page is read as one.

    A workbook's sheets are separate tables: a sheet is a target when a layout recognises it.
    A PDF's pages run on: a page with a title of its own starts a table, a page without one
    continues the table before it; a run of pages is a target when its title is a target
    table's or a layout recognises one of its pages. Other runs (收支总表, narrative …) are not.
    Text files, Word documents and web pages are read whole.
    """
    if document.format in ("xlsx", "xls"):
        return {page.number for page in document.pages if matching_layouts(page.rows)}
    if document.format != "pdf":
        return None
    runs: list[tuple[str | None, list[Page]]] = []
    for page in document.pages:
        title = _page_title(page)
        if title is not None or not runs:
            runs.append((title, []))
        runs[-1][1].append(page)
    targets: set[int] = set()
    for title, pages in runs:
        if (title and _TARGET_TITLE in title) or any(matching_layouts(page.rows) for page in pages):
            targets.update(page.number for page in pages)
    return targets


def target_rows(document: CellDocument, rows: list[Row]) -> tuple[list[Row], dict[int, str]]:
    """The rows the layout reads, and why each row of a page that is no target table is not.

    A page or sheet that holds no target table (收支总表, narrative …) is recorded as another
    table and blanked for the layout, which then reads only the target pages.
    """
    targets = _target_pages(document)
    if targets is None:
        return rows, {}
    kind = "sheet" if document.format in ("xlsx", "xls") else "page"
    if not targets:
        names = ", ".join(page.name for page in document.pages)
        known = ", ".join(layout.LAYOUT for layout in LAYOUTS)
        raise ExtractError(
            f"no target table (项目支出绩效目标表 as {known}) in any {kind}: {names}; "
            f"{unknown_header(rows)}"
        )
    others: dict[int, str] = {}
    for page in document.pages:
        if page.number in targets:
            continue
        first = next((row.text.split("\t")[0].strip() for row in page.rows if row.text.strip()), "")
        where = f"sheet {page.name}" if kind == "sheet" else page.name
        reason = f"{where}: not a target table (first text {first[:30]!r})"
        others.update((row.number, reason) for row in page.rows if row.text.strip())
    return [row._replace(text="") if row.number in others else row for row in rows], others
