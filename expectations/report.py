"""The reconciliation table `perfdw validate` prints: per document and unit, printed vs summed."""

from __future__ import annotations

import json
from types import SimpleNamespace

from expectations.runner import ValidationSummary
from perfdw.paths import Paths

COLUMNS = {"total": "总计", "fiscal": "财政拨款", "special_account": "财政专户拨款", "other": "其他资金"}


def last_summary(paths: Paths) -> ValidationSummary | SimpleNamespace:
    data = json.loads(paths.validation_summary.read_text(encoding="utf-8"))
    return SimpleNamespace(**data)


def _money(text: str | None) -> str:
    return "" if text in (None, "None") else f"{float(text):,.2f}" if "." in text else text


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
    for warning in summary.warnings:
        print(f"warning: {warning}")
    for failure in summary.failures:
        print(f"FAILED: {failure}")
    verdict = "passed" if summary.success else "FAILED"
    print(f"validation {verdict}: {len(summary.failures)} failures, {len(summary.warnings)} warnings")
    print(f"  data docs     {summary.data_docs}")
    print(f"  summary json  {summary.summary_json}")
