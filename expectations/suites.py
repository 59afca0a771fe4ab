"""The validation suites: what must hold in the built warehouse before anything is published.

Each suite validates one small table or view that dbt already shaped for it (the reconciliation
report, the project facts, …), read through a read-only connection. Cross-row arithmetic lives
in dbt (rpt_reconciliation, split_difference_wan); the suites assert its outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import great_expectations as gx
from great_expectations.expectations import Expectation

# Every figure is printed rounded to 0.01 万元. A printed subtotal is compared with a sum of up to
# a few hundred printed projects, each off by at most half a cent, but rounding errors mostly
# cancel: in the bundled corpus the largest rounding gap is 0.01. 0.05 leaves room for larger
# units while still catching a single mistyped cent-level digit of 0.06 and more. It is the same
# figure as dbt's reconciliation_tolerance_wan var, which decides rpt_reconciliation.status.
RECONCILIATION_TOLERANCE_WAN = Decimal("0.05")
# A project's 总计 against 财政拨款 + 财政专户拨款 + 其他资金: four printed figures, each rounded
# to 0.01, so they may be 0.01 apart (2026-guangzhou-hrss.txt lines 10, 275 and 367 are).
ROW_SPLIT_TOLERANCE_WAN = Decimal("0.01")
FISCAL_YEARS = [2023, 2024, 2025, 2026]
AMOUNT_COLUMNS = ["total_wan", "fiscal_wan", "special_account_wan", "other_wan"]


@dataclass(frozen=True)
class Suite:
    name: str
    relation: str  # marts.<name>; filtered to one fiscal year when one is validated
    expectations: list[Expectation]
    full_load_only: bool = False  # only meaningful when every year was loaded
    # The report is read whole (it is printed and saved); the facts only as far as the
    # expectations look, which at a province's scale is the difference between 0.5 and 6 GB.
    whole_relation: bool = False

    def columns(self) -> list[str] | None:
        """The columns to read: those the expectations name, or None for every column."""
        if self.whole_relation:
            return None
        named: list[str] = []
        for expectation in self.expectations:
            fields = expectation.configuration.kwargs
            for column in [fields.get("column"), *(fields.get("column_list") or [])]:
                if column and column not in named:
                    named.append(column)
        return named


def _between(column: str, bound: Decimal, **meta) -> Expectation:
    return gx.expectations.ExpectColumnValuesToBeBetween(
        column=column, min_value=float(-bound), max_value=float(bound), meta=meta
    )


def suites(taxonomy_level1: list[str], taxonomy_level2: list[str]) -> list[Suite]:
    return [
        Suite(
            "reconciliation",
            "marts.rpt_reconciliation",
            [
                # A difference passes when it is rounding or matches its register entry
                # (seeds/known_source_discrepancies.csv); any other difference fails.
                gx.expectations.ExpectColumnValuesToBeInSet(
                    column="status", value_set=["ok", "known_discrepancy"],
                    meta={"checks": "printed subtotal / 合计 = sum of projects, per amount column"},
                ),
                # Registered discrepancies still deserve a look: a warning names each of them.
                gx.expectations.ExpectColumnValuesToNotBeInSet(
                    column="status", value_set=["known_discrepancy"], severity="warning",
                    meta={"checks": "no registered source discrepancy is involved"},
                ),
                gx.expectations.ExpectColumnValuesToNotBeNull(column="printed_wan"),
                gx.expectations.ExpectColumnValuesToNotBeNull(column="summed_wan"),
            ],
            whole_relation=True,
        ),
        Suite(
            "projects",
            "marts.fct_project_budget",
            [
                gx.expectations.ExpectColumnValuesToBeUnique(column="project_id"),
                gx.expectations.ExpectColumnValuesToNotBeNull(column="project_id"),
                gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=["document_id", "source_line"]),
                # 总计 = 财政拨款 + 财政专户拨款 + 其他资金 where the document prints a split
                # (split_difference_wan is null where it doesn't).
                _between("split_difference_wan", ROW_SPLIT_TOLERANCE_WAN,
                         checks="total = fiscal + special account + other"),
                *[
                    gx.expectations.ExpectColumnValuesToBeBetween(column=column, min_value=0)
                    for column in AMOUNT_COLUMNS
                ],
                gx.expectations.ExpectColumnValuesToNotBeNull(column="total_wan"),
                # Some documents print projects without indicators (2026 lines 199–203).
                gx.expectations.ExpectColumnValuesToBeBetween(
                    column="indicator_count", min_value=1, severity="warning",
                    meta={"checks": "every project has at least one indicator"},
                ),
            ],
        ),
        Suite(
            "indicators",
            "marts.fct_performance_indicator",
            [
                gx.expectations.ExpectColumnValuesToBeUnique(column="indicator_id"),
                gx.expectations.ExpectColumnValuesToBeInSet(column="level1_code", value_set=taxonomy_level1),
                gx.expectations.ExpectColumnValuesToBeInSet(column="level2_code", value_set=taxonomy_level2),
                gx.expectations.ExpectColumnValuesToBeInSet(
                    column="target_comparator", value_set=[">=", ">", "<=", "<", "=", "between"]
                ),
            ],
        ),
        Suite(
            "years",
            "marts.dim_document",
            [
                gx.expectations.ExpectColumnDistinctValuesToContainSet(
                    column="fiscal_year", value_set=FISCAL_YEARS,
                    meta={"checks": "after a full load every fiscal year 2023–2026 is present"},
                ),
            ],
            full_load_only=True,
        ),
    ]
