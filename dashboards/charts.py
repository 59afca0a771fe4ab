"""Altair charts of mart rows. Amounts are drawn as floats (a chart needs no exact cents); the
figures a person reads are in the tables beside them, formatted from the exact decimals."""

from __future__ import annotations

import altair as alt
import pandas as pd

FUNDING_SOURCES = {
    "fiscal_wan": "财政拨款",
    "special_account_wan": "财政专户拨款",
    "other_wan": "其他资金",
}


def funding_by_year_department(rows: pd.DataFrame) -> alt.Chart:
    """One stacked bar per fiscal year and department, split by funding source."""
    data = rows.assign(label=rows["fiscal_year"].astype(str) + " · " + rows["department_name"]).melt(
        id_vars=["label", "fiscal_year"],
        value_vars=list(FUNDING_SOURCES),
        var_name="source",
        value_name="amount",
    )
    data["source"] = data["source"].map(FUNDING_SOURCES)
    data["amount"] = data["amount"].astype(float)
    order = list(dict.fromkeys(data.sort_values("fiscal_year", ascending=False)["label"]))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=360)),
            x=alt.X("sum(amount):Q", title="万元"),
            color=alt.Color("source:N", title="资金来源 Funding source", sort=list(FUNDING_SOURCES.values())),
            tooltip=["label", "source", alt.Tooltip("amount:Q", format=",.2f", title="万元")],
        )
    )


def ranking(rows: pd.DataFrame, name: str, value: str, title: str) -> alt.Chart:
    """Horizontal bars, largest first; the year is part of the label, as a name can recur."""
    data = pd.DataFrame(
        {
            "label": rows["fiscal_year"].astype(str) + " · " + rows[name].astype(str),
            value: rows[value].astype(float),
        }
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360)),
            x=alt.X(f"{value}:Q", title=title),
            tooltip=["label", alt.Tooltip(f"{value}:Q", format=",.2f", title=title)],
        )
    )


def changes(rows: pd.DataFrame, label: str, change: str) -> alt.Chart:
    """Diverging bars of a change: increases and decreases in two colours."""
    data = rows[[label, change]].assign(**{change: rows[change].astype(float)})
    data["direction"] = data[change].map(lambda value: "增加 Increase" if value >= 0 else "减少 Decrease")
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360)),
            x=alt.X(f"{change}:Q", title="变化 Change (万元)"),
            color=alt.Color(
                "direction:N",
                title=None,
                scale=alt.Scale(domain=["增加 Increase", "减少 Decrease"], range=["#2e7d32", "#c62828"]),
            ),
            tooltip=[label, alt.Tooltip(f"{change}:Q", format="+,.2f", title="万元")],
        )
    )


def coverage_heatmap(rows: pd.DataFrame, categories: dict[str, str]) -> alt.Chart:
    """Units down, indicator categories across, shaded by the share of projects covered."""
    data = rows.assign(label=rows["fiscal_year"].astype(str) + " · " + rows["unit_name"]).melt(
        id_vars=["label"], value_vars=list(categories), var_name="category", value_name="share"
    )
    data["category"] = data["category"].map(categories)
    data["share"] = data["share"].astype(float)
    return (
        alt.Chart(data)
        .mark_rect()
        .encode(
            y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=360)),
            x=alt.X(
                "category:N",
                title=None,
                sort=list(categories.values()),
                axis=alt.Axis(labelAngle=0, orient="top"),
            ),
            color=alt.Color("share:Q", title="覆盖率 Share", scale=alt.Scale(domain=[0, 1], scheme="greens")),
            tooltip=["label", "category", alt.Tooltip("share:Q", format=".1%", title="覆盖率")],
        )
    )
