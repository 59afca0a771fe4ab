"""Mart rows turned into the tables a person reads: Chinese headers, exactly formatted figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from dashboards.formatting import markdown_safe

Column = tuple[str, Callable[[object], str]]  # header, and how to write each value


def readable(rows: pd.DataFrame, columns: Mapping[str, Column]) -> pd.DataFrame:
    """Select, rename and write mart columns as text, in the order given (for st.dataframe)."""
    return pd.DataFrame(
        {header: [write(value) for value in rows[name]] for name, (header, write) in columns.items()}
    )


def markdown_table(rows: pd.DataFrame, columns: Mapping[str, Column]) -> pd.DataFrame:
    """The same for st.table, which renders every cell as Markdown: escaped to show as written."""
    return readable(rows, columns).map(markdown_safe)
