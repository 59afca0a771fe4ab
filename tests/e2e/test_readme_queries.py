"""The README's example queries run on the published copy and say what they promise."""

from __future__ import annotations

import re
from decimal import Decimal

from tests.conftest import REPO
from tests.e2e.conftest import published


def readme_queries() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Query the marts", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def test_the_readme_has_five_example_queries():
    assert len(readme_queries()) == 5


def test_spend_by_unit_and_year(published_home):
    rows = published(published_home, readme_queries()[0])
    assert rows[0][:2] == (2026, "广州市社会保险基金管理中心")
    assert [r[3] for r in rows] == sorted((r[3] for r in rows), reverse=True)
    projects = published(published_home, "select sum(total_wan) from marts.fct_project_budget "
                         "where unit_name = '广州市社会保险基金管理中心' and fiscal_year = 2026")
    assert rows[0][3] == projects[0][0]


def test_indicator_coverage(published_home):
    rows = published(published_home, readme_queries()[1])
    # 2026 lines 199–203: five projects of this unit print no indicators.
    assert [(r[0], r[1], r[2] - r[3]) for r in rows] == [(2026, "广州市干部和人才健康管理中心", 5)]


def test_yoy_by_program(published_home):
    program, prior, total, change, pct = published(published_home, readme_queries()[2])[0]
    assert change == total - prior and pct == round(change / prior * 100, 2)


def test_transfer_payments_by_district(published_home):
    rows = published(published_home, readme_queries()[3])
    assert len(rows) == 3 and all(r[0].endswith("区") and r[2] > 0 for r in rows)


def test_project_traced_to_its_source_line(published_home):
    rows = published(published_home, readme_queries()[4])
    name, _, total, source_file, line = rows[1]
    assert (source_file, line, total) == ("2024-guangzhou-huadu-hrss.txt", 21, Decimal("21.21"))
    printed = (REPO / "data" / "documents" / source_file).read_text(encoding="utf-8").split("\n")
    # The PDF text wraps the name; its first line is the row's source line.
    assert printed[line - 1].strip() == "花都区公共服" and name.startswith("花都区公共服")
