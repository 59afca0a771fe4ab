"""The dashboard's entry point: `perfdw dashboard`, or `streamlit run dashboards/app.py`."""

from __future__ import annotations

import streamlit as st

from dashboards import queries, warehouse

st.set_page_config(page_title="perfdw · 项目支出绩效目标", layout="wide")

navigation = st.navigation(
    [
        st.Page("views/overview.py", title="概览 Overview", icon=":material/bar_chart:", default=True),
        st.Page(
            "views/yoy.py", title="同比 Year over year", icon=":material/compare_arrows:", url_path="yoy"
        ),
        st.Page(
            "views/coverage.py",
            title="指标覆盖 Indicator coverage",
            icon=":material/checklist:",
            url_path="coverage",
        ),
        st.Page(
            "views/attainment.py",
            title="目标达成 Target attainment",
            icon=":material/task_alt:",
            url_path="attainment",
        ),
        st.Page("views/project.py", title="项目 Project", icon=":material/search:", url_path="project"),
    ]
)

if not warehouse.is_published():
    # A fresh checkout has no published copy yet: explain how to make one instead of failing.
    st.title("尚无数据 No data published yet")
    st.info(
        "还没有发布的数据仓库。运行下面的命令载入文档并发布数据，然后刷新本页。\n\n"
        "No published warehouse was found. Load and publish the documents, then reload this page."
    )
    st.code("perfdw run", language="bash")
    st.caption(f"查找位置 Looked for: `{warehouse.published_db()}` (PERFDW_HOME)")
    st.stop()

st.sidebar.caption(f"数据发布于 Published at {queries.published_at()}")
navigation.run()
