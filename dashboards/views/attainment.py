"""Target attainment: from project self-evaluations (项目支出绩效自评表), per unit and year, how many
indicators met their target, the scores, and how much of the budget was spent; then the
indicators that missed, with the reason the unit gave."""

from __future__ import annotations

import streamlit as st

from dashboards import formatting, queries
from dashboards.filters import ALL
from dashboards.tables import markdown_table

st.title("目标达成 Target attainment")
st.caption(
    "来自项目支出绩效自评表：指标完成值与目标值的比较、得分和预算执行率。 "
    "From project self-evaluations: achieved values against targets, scores and budget execution."
)

years = queries.attainment_years()
if not years:
    # The bundled budget documents print targets, not results: say so instead of an empty table.
    st.info(
        "尚未载入项目支出绩效自评表，暂无目标达成数据。将自评表放入文档目录并重新运行 `perfdw run` 后，此页会显示结果。\n\n"
        "No project self-evaluation (项目支出绩效自评表) has been loaded yet, so there is nothing to "
        "compare. Add self-evaluations to the documents folder and run `perfdw run` again."
    )
    st.stop()


def _label(value: object) -> str:
    return ALL if value is None else str(value)


year = st.sidebar.selectbox("年度 Year", [None, *years], format_func=_label, key="attainment_year")
department = st.sidebar.selectbox(
    "部门 Department", [None, *queries.attainment_departments()], format_func=_label, key="attainment_department"
)

rows = queries.attainment(year, department)
if rows.empty:
    st.warning("所选范围没有自评数据 No self-evaluation for this selection.")
    st.stop()

st.table(
    markdown_table(
        rows,
        {
            "fiscal_year": ("年度 Year", formatting.text),
            "unit_name": ("单位 Unit", formatting.text),
            "evaluated_project_count": ("自评项目 Projects", formatting.text),
            "indicator_count": ("指标 Indicators", formatting.text),
            "indicators_with_result": ("可判定 With a result", formatting.text),
            "met_count": ("达成 Met", formatting.text),
            "share_met": ("达成率 Share met", formatting.share),
            "total_score": ("得分 Score", formatting.plain),
            "execution_rate_pct": ("执行率 Execution rate", formatting.percent),
            "executed_wan": ("执行数 Executed (万元)", formatting.wan),
        },
    ),
    hide_index=True,
)

st.subheader("未达成的指标 Indicators that missed their target")
unmet = queries.unmet_indicators(year, department)
if unmet.empty:
    st.success("所选范围内没有未达成的指标。 No indicator in this selection missed its target.")
else:
    st.table(
        markdown_table(
            unmet,
            {
                "fiscal_year": ("年度 Year", formatting.text),
                "unit_name": ("单位 Unit", formatting.text),
                "project_name": ("项目 Project", formatting.text),
                "indicator_name": ("指标 Indicator", formatting.text),
                "target_printed": ("目标 Target", formatting.text),
                "achieved_printed": ("完成 Achieved", formatting.text),
                "deviation_reason": ("偏差原因 Reason", formatting.text),
                "source_file": ("文件 Document", formatting.text),
                "source_line": ("行 Line", formatting.text),
            },
        ),
        hide_index=True,
    )
