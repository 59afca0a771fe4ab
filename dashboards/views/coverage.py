"""Indicator coverage: per unit and year, which share of projects promise outputs, effects,
satisfaction and cost, how many indicators a project has, how many targets are quantitative;
and the projects that list no indicator at all."""

from __future__ import annotations

import streamlit as st

from dashboards import charts, filters, formatting, queries
from dashboards.tables import markdown_table

CATEGORIES = {
    "output_share": "产出 Output",
    "effect_share": "效益 Effect",
    "satisfaction_share": "满意度 Satisfaction",
    "cost_share": "成本 Cost",
}

st.title("指标覆盖 Indicator coverage")
st.caption(
    "每个单位和年度中，至少有一个该类指标的项目所占比例。 Share of a unit's projects with at least one indicator of each category."
)

year = filters.year("coverage_year")
department = filters.department("coverage_department")
unit = filters.unit(department, "coverage_unit")

rows = queries.coverage(year, department, unit)
if rows.empty:
    st.warning(f"所选范围没有数据 No data for this selection ({filters.describe(year, department, unit)}).")
    st.stop()

st.altair_chart(charts.coverage_heatmap(rows, CATEGORIES), width="stretch")
st.table(
    markdown_table(
        rows,
        {
            "fiscal_year": ("年度 Year", formatting.text),
            "unit_name": ("单位 Unit", formatting.text),
            "project_count": ("项目数 Projects", formatting.text),
            "projects_with_indicators": ("有指标的项目 With indicators", formatting.text),
            **{column: (label, formatting.share) for column, label in CATEGORIES.items()},
            "indicators_per_project": ("每项目指标数 Indicators per project", formatting.ratio),
            "quantitative_share": ("定量目标占比 Quantitative targets", formatting.share),
        },
    ),
    hide_index=True,
)

st.subheader("没有绩效指标的项目 Projects with no indicators")
missing = queries.projects_without_indicators(year, department, unit)
if missing.empty:
    st.success("所选范围内每个项目都列出了绩效指标。 Every project in this selection lists indicators.")
else:
    st.table(
        markdown_table(
            missing,
            {
                "fiscal_year": ("年度 Year", formatting.text),
                "unit_name": ("单位 Unit", formatting.text),
                "project_name": ("项目 Project", formatting.text),
                "total_wan": ("总计 Total (万元)", formatting.wan),
                "source_file": ("文件 Document", formatting.text),
                "source_line": ("行 Line", formatting.text),
            },
        ),
        hide_index=True,
    )
