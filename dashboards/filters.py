"""Sidebar filters shared by the pages. Options come from the marts, so a person can only pick
values that exist; the chosen values go to the queries as bound parameters."""

from __future__ import annotations

import streamlit as st

from dashboards import queries
from dashboards.formatting import markdown_safe

ALL = "全部 All"


def _label(value: object) -> str:
    return ALL if value is None else str(value)


def year(key: str) -> int | None:
    options: list[int | None] = [None, *queries.fiscal_years()]
    return st.sidebar.selectbox("预算年度 Fiscal year", options, format_func=_label, key=key)


def department(key: str) -> str | None:
    options: list[str | None] = [None, *queries.departments()]
    return st.sidebar.selectbox("部门 Department", options, format_func=_label, key=key)


def unit(department: str | None, key: str) -> str | None:
    options: list[str | None] = [None, *queries.units(department)]
    return st.sidebar.selectbox("单位 Spending unit", options, format_func=_label, key=key)


def describe(year: int | None, department: str | None, unit: str | None) -> str:
    """The selection in words, Markdown-safe, for messages such as "no data for …"."""
    parts = [f"{year} 年" if year else "全部年度", department or "全部部门", unit or "全部单位"]
    return markdown_safe(" · ".join(parts))
