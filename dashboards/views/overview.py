"""Overview: planned spend per fiscal year and department by funding source; largest units and
programs."""

from __future__ import annotations

import streamlit as st

from dashboards import charts, filters, formatting, queries
from dashboards.tables import markdown_table

TOP = 10

st.title("预算支出概览 Overview of planned spend")
st.caption("金额单位：万元 (amounts in 10,000 CNY) · 来源：已发布的数据集市 published marts")

year = filters.year("overview_year")
department = filters.department("overview_department")
unit = filters.unit(department, "overview_unit")

totals = queries.spend_totals(year, department, unit)
if totals["total_wan"] is None:
    st.warning(f"所选范围没有数据 No data for this selection ({filters.describe(year, department, unit)}).")
    st.stop()

headline, count = st.columns([3, 1])
headline.metric("计划支出合计 Total planned spend", formatting.wan(totals["total_wan"]))
count.metric("项目数 Projects", str(totals["project_count"]))
sources = st.columns(3)
sources[0].metric("财政拨款 Fiscal appropriation", formatting.wan(totals["fiscal_wan"]))
sources[1].metric("财政专户拨款 Special account", formatting.wan(totals["special_account_wan"]))
sources[2].metric("其他资金 Other funds", formatting.wan(totals["other_wan"]))
if totals["units_without_split"]:
    st.caption(
        f"{totals['units_without_split']} 个单位未按资金来源分列，其金额只计入合计。 "
        f"{totals['units_without_split']} unit(s) print no split by funding source: "
        "their amounts count in the total only."
    )

st.subheader("按年度和部门 By fiscal year and department")
by_year = queries.spend_by_year_department(year, department, unit)
st.altair_chart(charts.funding_by_year_department(by_year), width="stretch")
st.table(
    markdown_table(
        by_year,
        {
            "fiscal_year": ("年度 Year", formatting.text),
            "department_name": ("部门 Department", formatting.text),
            "project_count": ("项目数 Projects", formatting.text),
            "total_wan": ("总计 Total", formatting.wan),
            "fiscal_wan": ("财政拨款", formatting.wan),
            "special_account_wan": ("财政专户拨款", formatting.wan),
            "other_wan": ("其他资金", formatting.wan),
        },
    ),
    hide_index=True,
)

left, right = st.columns(2)
with left:
    st.subheader(f"最大的单位 Largest units (top {TOP})")
    largest_units = queries.largest_units(year, department, unit, TOP)
    st.altair_chart(charts.ranking(largest_units, "unit_name", "total_wan", "总计 万元"), width="stretch")
    st.table(
        markdown_table(
            largest_units,
            {
                "fiscal_year": ("年度 Year", formatting.text),
                "unit_name": ("单位 Unit", formatting.text),
                "project_count": ("项目数", formatting.text),
                "total_wan": ("总计 Total", formatting.wan),
            },
        ),
        hide_index=True,
    )
with right:
    st.subheader(f"最大的项目 Largest programs (top {TOP})")
    largest_programs = queries.largest_programs(year, department, unit, TOP)
    st.altair_chart(
        charts.ranking(largest_programs, "program_name", "total_wan", "总计 万元"), width="stretch"
    )
    st.table(
        markdown_table(
            largest_programs,
            {
                "fiscal_year": ("年度 Year", formatting.text),
                "program_name": ("项目 Program", formatting.text),
                "project_count": ("项目数", formatting.text),
                "total_wan": ("总计 Total", formatting.wan),
            },
        ),
        hide_index=True,
    )
