"""Which data tests a load runs as one query per table (the `single_table_checks` test).

A dbt test node costs tens of milliseconds of dbt's own work whatever the data, and on Spark a
job each: ~300 single-table checks were most of a load's dbt time. A table that declares
`single_table_checks` gets them run in one query by that test
(tests/dbt/generic/single_table_checks.sql, rendering each check with its own macro), and a
load leaves the checks themselves out. They stay declared column by column, where they
document the contract, and `dbt build` outside a load runs them as before.

The rule of which checks a group stands for is written twice, here and in
macros/single_table_checks.sql, because the test needs it at dbt's run time and the load's
selection before dbt starts; tests/integration/test_dbt_build.py compiles every group and
checks that both give the same checks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Mapping

from perfdw.manifest import read_manifest

GROUP_TEST = "single_table_checks"
_RELATION = re.compile(r"\s*(ref|source)\s*\(")


def is_single_table_check(node: Mapping[str, Any], parents: list[str]) -> bool:
    """A generic test reading only `parents` (one table) with dbt's default outcome (severity
    error, fails on any row, nothing stored) and arguments free of Jinja and of ref()/source()."""
    meta = node.get("test_metadata") or {}
    config = node["config"]
    arguments = {key: value for key, value in (meta.get("kwargs") or {}).items() if key != "model"}
    return (
        node["resource_type"] == "test"
        and bool(meta.get("name")) and meta["name"] != GROUP_TEST
        and node["depends_on"]["nodes"] == parents
        and config.get("enabled", True)
        and str(config.get("severity", "")).lower() == "error"
        and config.get("fail_calc") == "count(*)"
        and str(config.get("error_if", "")).replace(" ", "") == "!=0"
        and config.get("limit") is None
        and not config.get("store_failures")
        and not any(_rendered_by_dbt(value) for value in arguments.values())
    )


def _rendered_by_dbt(argument: Any) -> bool:
    """Jinja, or a ref()/source() that dbt resolves for the test's own node only."""
    text = str(argument)
    return "{{" in text or "{%" in text or bool(_RELATION.match(text))


def groups(manifest: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each single_table_checks test node's name → the names of the checks it runs."""
    nodes = list(manifest["nodes"].values())
    tests = [node for node in nodes if node["resource_type"] == "test"]
    return {
        group["name"]: sorted(node["name"] for node in tests
                              if is_single_table_check(node, group["depends_on"]["nodes"]))
        for group in tests
        if (group.get("test_metadata") or {}).get("name") == GROUP_TEST and group["config"].get("enabled", True)
    }


def read_groups(manifest_path: Path) -> dict[str, list[str]]:
    return groups(read_manifest(manifest_path))


def grouped_check_names(manifest_path: Path) -> list[str]:
    """Every check a load runs inside a group rather than as its own test node."""
    return sorted({name for members in read_groups(manifest_path).values() for name in members})


def grouped_check_selectors(manifest: Mapping[str, Any]) -> list[str]:
    """dbt selectors that together select exactly the grouped checks, for a load's --exclude.

    dbt matches every selector against every node: the ~300 checks by name cost ~0.4 s of each
    load's start-up. So a kind of check (a test macro at one severity) all of whose tests are
    grouped is named once, `test_name:<macro>,config.severity:<severity>`; the grouped checks of
    a kind that also has tests of its own (in no group, or not plain) are named one by one.
    """
    grouped = {name for members in groups(manifest).values() for name in members}
    kinds: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if node["resource_type"] == "test" and meta.get("name"):
            kinds[(meta["name"], str(node["config"].get("severity", "")).lower())].append(node["name"])
    # `test_name:` also matches unit tests by their name
    unit_test_names = {test["name"] for test in manifest.get("unit_tests", {}).values()}
    selectors: list[str] = []
    for (kind, severity), names in sorted(kinds.items()):
        members = sorted(name for name in names if name in grouped)
        if members and len(members) == len(names) and kind not in unit_test_names:
            selectors.append(f"test_name:{kind},config.severity:{severity}")
        else:
            selectors += members
    return selectors
