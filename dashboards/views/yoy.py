"""Year over year: two fiscal years side by side by unit, program or beneficiary area, with the
change and change % that mart_spend_comparison computes (mart_yoy_spend is its rows against the
year before; any two years can be compared here). A year without data is said, not shown as 0."""

from __future__ import annotations

import streamlit as st

from dashboards import charts, filters, formatting, queries
from dashboards.tables import markdown_table, readable

TOP = 10
DIMENSIONS: dict[queries.Dimension, str] = {
    "unit": "单位 Spending unit",
    "program": "项目 Program",
    "area": "受益地区 Beneficiary area",
}

st.title("同比 Year over year")
st.caption("金额单位：万元 (amounts in 10,000 CNY)")

dimension = st.sidebar.radio(
    "比较维度 Compare by", list(DIMENSIONS), format_func=DIMENSIONS.__getitem__, key="yoy_dimension"
)
if dimension == "unit":
    department = filters.department("yoy_department")
else:
    # The mart compares programs and areas across departments: a department filter has no rows.
    department = None
    st.sidebar.caption("项目和地区跨部门比较。 Programs and areas are compared across departments.")

with_data = queries.yoy_years(dimension, department)
all_years = queries.fiscal_years()
# The defaults are the latest two years with data for this selection; keying the widgets by the
# selection re-applies them whenever the selection changes.
selection_key = f"{dimension}:{department}"
year = st.sidebar.selectbox(
    "比较年度 Year",
    all_years,
    index=all_years.index(with_data[0]) if with_data else 0,
    key=f"yoy_year:{selection_key}",
)
base_year = st.sidebar.selectbox(
    "基准年度 Compared with",
    all_years,
    index=all_years.index(with_data[1]) if len(with_data) > 1 else min(1, len(all_years) - 1),
    key=f"yoy_base_year:{selection_key}",
)

scope = formatting.markdown_safe(department or "全部部门 all departments")
if len(with_data) < 2:
    st.info(
        f"{scope}：只有 {len(with_data)} 个年度有数据。 Fewer than two years have data for this selection."
    )
missing = [y for y in (base_year, year) if y not in with_data]
for absent in missing:
    st.warning(f"{absent} 年没有数据（{scope}） No data for {absent} in this selection.")
if year == base_year:
    st.warning("请选择两个不同的年度。 Pick two different years.")
if missing or year == base_year:
    st.stop()

label = DIMENSIONS[dimension]
st.subheader(f"{base_year} → {year} · {label}")
totals = queries.yoy_totals(dimension, department, year, base_year)
metrics = st.columns(3)
metrics[0].metric(f"{base_year} 年合计 Total", formatting.wan(totals["base_amount"]))
metrics[1].metric(f"{year} 年合计 Total", formatting.wan(totals["amount"]))
metrics[2].metric("两年都有数据 In both years", str(totals["in_both_years"]))

rows = queries.yoy_comparison(dimension, department, year, base_year)
columns = {
    "name": (label, formatting.text),
    "base_amount": (f"{base_year} 年", formatting.wan),
    "amount": (f"{year} 年", formatting.wan),
    "change": ("变化 Change", formatting.signed_wan),
    "change_pct": ("变化率 Change %", formatting.signed_percent),
}
changed = rows.dropna(subset=["change"])
increases = changed[changed["change"] > 0].sort_values("change", ascending=False).head(TOP)
decreases = changed[changed["change"] < 0].sort_values("change").head(TOP)
if changed.empty:
    st.info(
        f"没有{label}在两个年度都有数据，无法计算变化。 No {label} has data in both years: there is no change."
    )
elif increases.empty and decreases.empty:
    st.info("两个年度都有数据的条目金额没有变化。 Nothing present in both years changed.")
else:
    st.altair_chart(
        charts.changes(changed.loc[[*increases.index, *decreases.index]], "name", "change"),
        width="stretch",
    )
    left, right = st.columns(2)
    for column, title, top in (
        (left, "增加最多 Top increases", increases),
        (right, "减少最多 Top decreases", decreases),
    ):
        with column:
            st.subheader(title)
            if top.empty:
                st.caption("没有 None")
                continue
            st.table(markdown_table(top, columns), hide_index=True)

st.subheader(f"全部 All ({len(rows)})")
st.caption("“无数据”表示该年度没有这一条目，而不是金额为零。 “无数据” means no data that year, not zero.")
st.dataframe(readable(rows, columns), hide_index=True, width="stretch")
