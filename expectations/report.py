"""What `perfdw validate` prints: the reconciliation table (per document and unit, printed vs
summed), then the other suites' failures and warnings — cross-table reconciliation, continuity
across years, drift against the published copy — each under its own heading."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from expectations.runner import ValidationSummary
from perfdw.paths import Paths

COLUMNS = {"total": "总计", "fiscal": "财政拨款", "special_account": "财政专户拨款", "other": "其他资金"}
HEADINGS = {
    "reconciliation": "printed check sums (合计, unit subtotals) against their projects",
    "cross_table": "across tables: printed figures, raw rows, dim_document and the marts against the facts",
    "continuity": "continuity across years",
    "published": "against the last published load",
}


def last_summary(paths: Paths) -> ValidationSummary | SimpleNamespace:
    data = json.loads(paths.validation_summary.read_text(encoding="utf-8"))
    return SimpleNamespace(**{"notes": [], **data})


def _money(text: str | None) -> str:
    if text in (None, "None"):
        return ""
    try:
        return f"{Decimal(text):,.2f}"
    except InvalidOperation:
        return text


def _by_suite(lines: list[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for line in lines:
        suite, _, rest = line.partition(": ")
        grouped.setdefault(suite if suite in HEADINGS else "", []).append(rest if suite in HEADINGS else line)
    return grouped


def print_report(summary) -> None:
    rows = sorted(
        summary.reconciliation,
        key=lambda r: (r["source_file"], r["check_level"] != "document", r["unit_name"] or "", r["amount_column"]),
    )
    header = f"{'document':<32} {'unit':<28} {'column':<8} {'printed':>16} {'summed':>16} {'difference':>11}  status"
    print(header)
    print("-" * len(header))
    for row in rows:
        unit = "合计 (document)" if row["check_level"] == "document" else row["unit_name"]
        print(
            f"{row['source_file'][:32]:<32} {unit[:28]:<28} {COLUMNS.get(row['amount_column'], row['amount_column']):<8} "
            f"{_money(row['printed_wan']):>16} {_money(row['summed_wan']):>16} {_money(row['difference_wan']):>11}  {row['status']}"
        )
    failures, warnings = _by_suite(summary.failures), _by_suite(summary.warnings)
    notes = _by_suite(summary.notes)
    for suite in [*HEADINGS, ""]:
        if not (failures.get(suite) or warnings.get(suite) or notes.get(suite)):
            continue
        print()
        print(f"{HEADINGS.get(suite, 'other')}:")
        for line in failures.get(suite, []):
            print(f"  FAILED: {line}")
        for line in warnings.get(suite, []):
            print(f"  warning: {line}")
        for line in notes.get(suite, []):
            print(f"  note: {line}")
    verdict = "passed" if summary.success else "FAILED"
    print()
    print(f"validation {verdict}: {len(summary.failures)} failures, {len(summary.warnings)} warnings")
    print(f"  data docs     {summary.data_docs}")
    print(f"  summary json  {summary.summary_json}")
