"""The validation suites: what must hold across tables and years before anything is published.

dbt's own tests already stop the build on what one model can say about itself (unique keys,
not-null columns, accepted values, relationships, row-level arithmetic), so nothing here repeats
them: by the time validation runs they have passed. The suites assert what spans tables, years
and loads, on small frames whose exact arithmetic (DECIMAL) was done in SQL — the dbt views
rpt_cross_table_reconciliation and rpt_year_continuity, rpt_reconciliation, and the comparison
with the published copy (expectations/frames.py). Tolerances and thresholds are dbt vars
(perfdw/settings.py).

Each suite names the dbt model it validates (`relation_model`): the asset its result gates.
RELATION_MODELS gives the same without importing Great Expectations (about 5 s), for code that
only needs to know which asset each suite checks (the Dagster definitions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from perfdw import settings

if TYPE_CHECKING:
    from great_expectations.expectations import Expectation

Row = Mapping[str, object]

# How a suite's frame is made: rows of a dbt model, or the comparison with the published copy,
# which dbt can't see (it is another file).
FROM_MODEL = "model"
FROM_PUBLISHED = "published"

# suite → the dbt model (schema marts) whose rows it validates. The published suite compares
# the facts with the published copy: it gates fct_project_budget.
RELATION_MODELS = {
    "reconciliation": "rpt_reconciliation",
    "cross_table": "rpt_cross_table_reconciliation",
    "continuity": "rpt_year_continuity",
    "published": "fct_project_budget",
}


@dataclass(frozen=True)
class Suite:
    name: str
    relation_model: str  # the dbt model (schema marts) whose rows the suite validates
    expectations: list[Expectation]
    describe: Callable[[Row], str]  # one flagged row, naming its document / unit / year
    source: str = FROM_MODEL
    # The fiscal years whose rows a load of `year` must look at (None: every year).
    years: Callable[[int | None], list[int] | None] = field(default=lambda year: None if year is None else [year])


def _between(column: str, bound: Decimal, checks: str, severity: str = "critical") -> Expectation:
    import great_expectations as gx

    # Bounds are floats in GX's configuration; the column holds Decimals, which Python compares
    # with a float exactly, so 0.05 passes and 0.06 fails.
    return gx.expectations.ExpectColumnValuesToBeBetween(
        column=column, min_value=float(-bound), max_value=float(bound), severity=severity, meta={"checks": checks}
    )


def _amount(value: object) -> str:
    return "—" if value is None else f"{Decimal(str(value)):,.2f}"


def _reconciliation_row(row: Row) -> str:
    unit = row["unit_name"] or "合计"
    known = f" (known: {row['known_reason']})" if row["status"] == "known_discrepancy" else ""
    return (
        f"{row['source_file']} line {row['printed_source_line']} · {unit} · {row['amount_column']}: printed "
        f"{_amount(row['printed_wan'])}, summed {_amount(row['summed_wan'])}, difference "
        f"{Decimal(str(row['difference_wan'])):+,.2f} {row.get('value_unit') or '万元'}{known}"
    )


def _cross_table_row(row: Row) -> str:
    where = " · ".join(str(part) for part in (row["fiscal_year"], row["source_file"], row["unit_name"]) if part)
    return (
        f"{where} · {row['measure']}: {row['reported_by']} reports {_amount(row['reported_value'])}, "
        f"the facts {_amount(row['fact_value'])} (difference {Decimal(str(row['difference'])):+,.2f})"
    )


def _continuity_row(row: Row) -> str:
    before = f"{row['prior_fiscal_year']}: {_amount(row['prior_total_wan'])} 万元"
    after = (
        f"{row['fiscal_year']}: absent" if row["status"] == "vanished"
        else f"{row['fiscal_year']}: {_amount(row['total_wan'])} 万元"
    )
    change = f" ({Decimal(str(row['change_pct'])):+.2f}%)" if row["change_pct"] is not None else ""
    return f"{row['department_name']} · {row['dimension']} {row['dimension_value']}: {before} → {after}{change}"


def _published_row(row: Row) -> str:
    change = f"{Decimal(str(row['difference'])):+,.2f}"
    return (
        f"fiscal year {row['fiscal_year']} · {row['measure']}: published {_amount(row['published_value'])}, "
        f"now {_amount(row['current_value'])} ({change})"
    )


def suites() -> list[Suite]:
    import great_expectations as gx

    tolerance = settings.reconciliation_tolerance_wan()
    return [
        Suite(
            "reconciliation",
            RELATION_MODELS["reconciliation"],
            [
                # dbt only warns on a mismatch (the table must still be built to be read):
                # here it fails the load.
                gx.expectations.ExpectColumnValuesToBeInSet(
                    column="status", value_set=["ok", "known_discrepancy"],
                    meta={"checks": "printed subtotal / 合计 = sum of its projects, per amount column"},
                ),
                # Registered discrepancies still deserve a look: a warning names each of them.
                gx.expectations.ExpectColumnValuesToNotBeInSet(
                    column="status", value_set=["known_discrepancy"], severity="warning",
                    meta={"checks": "registered source discrepancy"},
                ),
            ],
            _reconciliation_row,
        ),
        Suite(
            "cross_table",
            RELATION_MODELS["cross_table"],
            [
                _between("printed_unexplained_wan", tolerance,
                         "the printed 合计 and subtotals = the facts (fct_project_budget), "
                         f"within {tolerance} 万元 or a registered difference"),
                _between("exact_difference", Decimal(0),
                         "raw rows, dim_document and the unit × year marts = the facts, exactly"),
            ],
            _cross_table_row,
        ),
        Suite(
            "continuity",
            RELATION_MODELS["continuity"],
            [
                gx.expectations.ExpectColumnValuesToNotBeInSet(
                    column="status", value_set=["vanished"], severity="warning",
                    meta={"checks": "a unit or program of the year before is still there"},
                ),
                _between("change_pct", settings.year_on_year_change_threshold_pct(),
                         f"a unit's total moves at most {settings.year_on_year_change_threshold_pct()}% "
                         "year on year", severity="warning"),
            ],
            _continuity_row,
            # loading year Y changes how Y compares with Y − 1 and how Y + 1 compares with Y
            years=lambda year: None if year is None else [year, year + 1],
        ),
        Suite(
            "published",
            RELATION_MODELS["published"],
            [
                _between("other_year_difference", Decimal(0),
                         "a fiscal year not being loaded is unchanged from the published copy"),
                _between("reloaded_change_pct", settings.published_drift_threshold_pct(),
                         f"a loaded year's counts and totals move at most "
                         f"{settings.published_drift_threshold_pct()}% from the published copy", severity="warning"),
                _between("reloaded_share_change_points", settings.indicator_mix_drift_threshold_points(),
                         f"a loaded year's level-1 indicator mix moves at most "
                         f"{settings.indicator_mix_drift_threshold_points()} points from the published copy",
                         severity="warning"),
            ],
            _published_row,
            source=FROM_PUBLISHED,
            years=lambda year: None,
        ),
    ]
