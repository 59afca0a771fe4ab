"""The raw source's accepted values in dbt are the one copy of the extract's own names."""

from __future__ import annotations

from pathlib import Path

import yaml

from extract.layouts import LAYOUTS

SOURCES = Path(__file__).resolve().parents[2] / "models" / "staging" / "_staging__sources.yml"


def _accepted_values(table: str, column: str) -> set[str]:
    sources = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"]
    tables = {t["name"]: t for source in sources for t in source["tables"]}
    columns = {c["name"]: c for c in tables[table]["columns"]}
    for test in columns[column]["data_tests"]:
        if isinstance(test, dict) and "accepted_values" in test:
            return set(test["accepted_values"]["arguments"]["values"])
    raise AssertionError(f"raw.{table}.{column} has no accepted_values test")


def test_every_layout_extract_can_write_is_accepted_by_dbt_and_no_other() -> None:
    assert _accepted_values("documents", "layout") == {layout.LAYOUT for layout in LAYOUTS}
