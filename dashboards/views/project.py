"""Project: find a project by name; its amounts, its indicators with parsed targets, and the
document and line it was read from."""

from __future__ import annotations

import streamlit as st

from dashboards import formatting, queries
from dashboards.tables import markdown_table

MATCHES_SHOWN = 50

st.title("项目 Project")
text = st.text_input(
    "搜索项目名称 Search project name", placeholder="例如 e.g. 就业补助资金", key="project_search"
).strip()
if not text:
    st.info("输入项目名称的一部分。 Type part of a project name.")
    st.stop()

matches = queries.search_projects(text, MATCHES_SHOWN)
if matches.empty:
    # The search text is not echoed: it is the reader's own input, shown in the box above.
    st.warning("没有名称包含该文字的项目。 No project name contains this text.")
    st.stop()

if len(matches) == MATCHES_SHOWN:
    st.caption(
        f"只显示前 {MATCHES_SHOWN} 个匹配项目 Showing the first {MATCHES_SHOWN} matches; refine the search."
    )
labels = {
    row.project_id: f"{row.fiscal_year} · {row.unit_name} · {row.project_name}"
    for row in matches.itertuples()
}
project_id = st.selectbox(
    f"匹配的项目 Matching projects ({len(matches)})",
    list(labels),
    format_func=labels.__getitem__,
    key="project_choice",
)
project = queries.project(project_id)
if project is None:
    # A load replaced the published copy between the search and this query.
    st.warning("该项目已不在最新发布的数据中。 This project is no longer in the published data.")
    st.stop()

st.header(formatting.markdown_safe(project["project_name"]))
st.caption(
    formatting.markdown_safe(
        f"{project['fiscal_year']} 年 · {project['department_name']} · {project['unit_name']}"
    )
)
amounts = st.columns(4)
amounts[0].metric("总计 Total (万元)", formatting.wan(project["total_wan"]))
amounts[1].metric("财政拨款 Fiscal appropriation", formatting.wan(project["fiscal_wan"]))
amounts[2].metric("财政专户拨款 Special account", formatting.wan(project["special_account_wan"]))
amounts[3].metric("其他资金 Other funds", formatting.wan(project["other_wan"]))

if project["goal_text"] is not None:
    st.subheader("绩效目标 Performance goal")
    st.markdown(formatting.markdown_safe(project["goal_text"]))

st.subheader("来源 Source")
st.markdown(
    f"文件 Document: `{project['source_file']}` · 行 Line: **{project['source_line']}**  \n"
    f"{formatting.markdown_safe(formatting.text(project['document_title']))} · "
    f"版式 Layout: {project['layout']} · 原始金额单位 Amounts printed in: {project['amount_unit']} · "
    f"SHA-256: `{project['sha256']}`"
)

st.subheader("绩效指标 Performance indicators")
indicators = queries.project_indicators(project_id)
if indicators.empty:
    st.info("该项目没有列出绩效指标。 This project lists no performance indicators.")
    st.stop()
st.table(
    markdown_table(
        indicators,
        {
            "item_no": ("序号 No.", formatting.text),
            "level1_name": ("一级指标 Level 1", formatting.text),
            "level2_name": ("二级指标 Level 2", formatting.text),
            "indicator_name": ("指标 Indicator", formatting.text),
            "cycle_target": ("实施周期指标值 Cycle target", formatting.text),
            "annual_target": ("年度指标值 Annual target", formatting.text),
            "target_comparator": ("比较 Comparator", formatting.text),
            "target_value": ("目标值 Value", formatting.plain),
            "target_value_max": ("上限 Up to", formatting.plain),
            "target_unit": ("单位 Unit", formatting.text),
            "is_quantitative": ("定量 Quantitative", formatting.yes_no),
            "source_line": ("行 Line", formatting.text),
        },
    ),
    hide_index=True,
)
