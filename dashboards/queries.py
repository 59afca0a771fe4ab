"""Every query the dashboard runs, each against the published marts with bound parameters.

Filters reach SQL only as named parameters ($year, $department, …); a NULL parameter means
"all". Figures come from the marts as they are: the queries select, filter, sum units into a
department and rank, but compute no change or share of their own (that is the marts' job).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from dashboards.warehouse import fetch

Dimension = Literal["unit", "program", "area"]

# The selection shared by the spend and coverage marts; NULL means no filter.
_SELECTION = """
    ($year is null or fiscal_year = $year)
    and ($department is null or department_name = $department)
    and ($unit is null or unit_name = $unit)
"""


def _selection(year: int | None, department: str | None, unit: str | None) -> dict[str, object]:
    return {"year": year, "department": department, "unit": unit}


def published_at() -> str | None:
    rows = fetch("select max(published_at) as published_at from marts.publication")
    return None if rows.empty else rows.iloc[0]["published_at"]


def fiscal_years() -> list[int]:
    rows = fetch("select distinct fiscal_year from marts.mart_spend_by_unit_year order by fiscal_year desc")
    return [int(year) for year in rows["fiscal_year"]]


def departments() -> list[str]:
    rows = fetch(
        "select distinct department_name from marts.mart_spend_by_unit_year order by department_name"
    )
    return list(rows["department_name"])


def units(department: str | None) -> list[str]:
    rows = fetch(
        """select distinct unit_name from marts.mart_spend_by_unit_year
           where $department is null or department_name = $department order by unit_name""",
        {"department": department},
    )
    return list(rows["unit_name"])


def spend_totals(year: int | None, department: str | None, unit: str | None) -> pd.Series:
    """Planned spend of the selection by funding source (all NULL when it has no data), and how
    many of its units print no split by funding source (their money is in the total only)."""
    rows = fetch(
        f"""select sum(project_count) as project_count, sum(total_wan) as total_wan,
                   sum(fiscal_wan) as fiscal_wan, sum(special_account_wan) as special_account_wan,
                   sum(other_wan) as other_wan,
                   count(*) filter (where fiscal_wan is null) as units_without_split
            from marts.mart_spend_by_unit_year where {_SELECTION}""",
        _selection(year, department, unit),
    )
    return rows.iloc[0]


def spend_by_year_department(year: int | None, department: str | None, unit: str | None) -> pd.DataFrame:
    return fetch(
        f"""select fiscal_year, department_name, sum(project_count) as project_count,
                   sum(total_wan) as total_wan, sum(fiscal_wan) as fiscal_wan,
                   sum(special_account_wan) as special_account_wan, sum(other_wan) as other_wan
            from marts.mart_spend_by_unit_year where {_SELECTION}
            group by fiscal_year, department_name
            order by fiscal_year desc, total_wan desc""",
        _selection(year, department, unit),
    )


def largest_units(year: int | None, department: str | None, unit: str | None, limit: int) -> pd.DataFrame:
    return fetch(
        f"""select fiscal_year, department_name, unit_name, project_count, total_wan
            from marts.mart_spend_by_unit_year where {_SELECTION}
            order by total_wan desc, unit_name limit $limit""",
        {**_selection(year, department, unit), "limit": limit},
    )


def largest_programs(year: int | None, department: str | None, unit: str | None, limit: int) -> pd.DataFrame:
    """Programs (a project name shared across units, areas and years) by planned spend."""
    return fetch(
        f"""select fiscal_year, program_name, count(*) as project_count, sum(total_wan) as total_wan
            from marts.fct_project_budget where {_SELECTION}
            group by fiscal_year, program_id, program_name
            order by total_wan desc, program_name limit $limit""",
        {**_selection(year, department, unit), "limit": limit},
    )


def coverage(year: int | None, department: str | None, unit: str | None) -> pd.DataFrame:
    """Indicator coverage per unit and year; shares are fractions of the unit's projects."""
    return fetch(
        f"""select fiscal_year, department_name, unit_name, project_count, projects_with_indicators,
                   indicator_count,
                   share_with_output as output_share, share_with_effect as effect_share,
                   share_with_satisfaction as satisfaction_share, share_with_cost as cost_share,
                   indicators_per_project, quantitative_share
            from marts.mart_indicator_coverage where {_SELECTION}
            order by fiscal_year desc, department_name, unit_name""",
        _selection(year, department, unit),
    )


def projects_without_indicators(year: int | None, department: str | None, unit: str | None) -> pd.DataFrame:
    return fetch(
        f"""select fiscal_year, department_name, unit_name, project_name, total_wan, source_file, source_line
            from marts.fct_project_budget as project
            where {_SELECTION}
              and not exists (select 1 from marts.fct_performance_indicator as indicator
                              where indicator.project_id = project.project_id)
            order by fiscal_year desc, department_name, unit_name, source_line""",
        _selection(year, department, unit),
    )


def search_projects(text: str, limit: int) -> pd.DataFrame:
    """Projects whose name contains the text literally: no LIKE, so % and _ are plain characters."""
    return fetch(
        """select project_id, fiscal_year, department_name, unit_name, project_name, total_wan
           from marts.fct_project_budget where contains(project_name, $text)
           order by fiscal_year desc, department_name, unit_name, source_line limit $limit""",
        {"text": text, "limit": limit},
    )


def project(project_id: str) -> pd.Series | None:
    rows = fetch(
        """select project.*, document.sha256, document.layout, document.title as document_title
           from marts.fct_project_budget as project
           left join marts.dim_document as document on document.document_id = project.document_id
           where project.project_id = $project_id""",
        {"project_id": project_id},
    )
    return None if rows.empty else rows.iloc[0]


def project_indicators(project_id: str) -> pd.DataFrame:
    return fetch(
        """select item_no, level1_name, level2_name, indicator_name, cycle_target, annual_target,
                  target_comparator, target_value, target_value_max, target_unit, is_quantitative,
                  source_line
           from marts.fct_performance_indicator where project_id = $project_id order by item_no""",
        {"project_id": project_id},
    )


def yoy_years(dimension: Dimension, department: str | None) -> list[int]:
    """Fiscal years with spend for this dimension (and department, for units), latest first."""
    rows = fetch(
        """select distinct fiscal_year from marts.mart_spend_comparison
           where dimension = $dimension and ($department is null or department_name = $department)
             and total_wan is not null
           order by fiscal_year desc""",
        {"dimension": dimension, "department": department},
    )
    return [int(year) for year in rows["fiscal_year"]]


_YOY_PAIR = """
    dimension = $dimension and ($department is null or department_name = $department)
    and fiscal_year = $year and prior_fiscal_year = $base_year
"""


def yoy_totals(dimension: Dimension, department: str | None, year: int, base_year: int) -> pd.Series:
    """Both years' spend over the compared members, and how many have data in both years."""
    rows = fetch(
        f"""select sum(prior_total_wan) as base_amount, sum(total_wan) as amount,
                   count(change_wan) as in_both_years
            from marts.mart_spend_comparison where {_YOY_PAIR}""",
        {"dimension": dimension, "department": department, "year": year, "base_year": base_year},
    )
    return rows.iloc[0]


def yoy_comparison(dimension: Dimension, department: str | None, year: int, base_year: int) -> pd.DataFrame:
    """One row per unit, program or area with data in either year: both amounts, change and
    change % as the mart computes them (a side with no data is NULL, not 0)."""
    return fetch(
        f"""select dimension_value as name, prior_total_wan as base_amount, total_wan as amount,
                   change_wan as change, change_pct
            from marts.mart_spend_comparison where {_YOY_PAIR}
            order by total_wan desc nulls last, prior_total_wan desc nulls last, name""",
        {"dimension": dimension, "department": department, "year": year, "base_year": base_year},
    )


def attainment_years() -> list[int]:
    """Years with project self-evaluations (mart_target_attainment), latest first."""
    rows = fetch("select distinct fiscal_year from marts.mart_target_attainment order by fiscal_year desc")
    return [int(year) for year in rows["fiscal_year"]]


def attainment_departments() -> list[str]:
    rows = fetch("select distinct department_name from marts.mart_target_attainment order by department_name")
    return list(rows["department_name"])


def attainment(year: int | None, department: str | None) -> pd.DataFrame:
    """Target attainment per unit and year as the mart states it (shares and rates included)."""
    return fetch(
        """select fiscal_year, department_name, unit_name, evaluated_project_count, indicator_count,
                  indicators_with_result, met_count, not_met_count, not_comparable_count, share_met,
                  total_weight, total_score, annual_budget_wan, executed_wan, execution_rate_pct
           from marts.mart_target_attainment
           where ($year is null or fiscal_year = $year)
             and ($department is null or department_name = $department)
           order by fiscal_year desc, department_name, unit_name""",
        {"year": year, "department": department},
    )


def unmet_indicators(year: int | None, department: str | None) -> pd.DataFrame:
    """Self-evaluated indicators that missed their target, with the reason printed for it."""
    return fetch(
        """select fiscal_year, unit_name, project_name, indicator_name, target_printed, achieved_printed,
                  deviation_reason, source_file, source_line
           from marts.fct_indicator_result
           where result_status = 'not_met'
             and ($year is null or fiscal_year = $year)
             and ($department is null or department_name = $department)
           order by fiscal_year desc, unit_name, project_name, item_no""",
        {"year": year, "department": department},
    )
