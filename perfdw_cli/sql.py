"""`perfdw sql`: one read-only query on the published marts of an engine, printed."""

from __future__ import annotations

import csv
import sys
from decimal import Decimal

from perfdw.paths import Paths


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # exact, never 1E+3
    return str(value)


def format_table(columns: list[str], rows: list[tuple]) -> str:
    """Columns aligned, numbers to the right; a row count below."""
    cells = [[_text(value) for value in row] for row in rows]
    numeric = [all(isinstance(row[i], (int, float, Decimal)) or row[i] is None for row in rows) and bool(rows)
               for i in range(len(columns))]

    def width(text: str) -> int:  # a CJK character takes two columns of a terminal
        return sum(2 if "\u2e80" <= char <= "\uffef" else 1 for char in text)

    widths = [max([width(name)] + [width(row[i]) for row in cells]) for i, name in enumerate(columns)]

    def line(values: list[str]) -> str:
        padded = []
        for i, text in enumerate(values):
            pad = " " * (widths[i] - width(text))
            padded.append(pad + text if numeric[i] else text + pad)
        return "  ".join(padded).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)] + [line(row) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def run_query(paths: Paths, engine: str, query: str, as_csv: bool = False) -> int:
    from perfdw.engines import get_engine

    if not query.strip():
        print('error: sql: the query is empty; e.g. perfdw sql "select count(*) from marts.fct_project_budget"',
              file=sys.stderr)
        return 1
    try:
        columns, rows = get_engine(engine).query(paths, query)
    except Exception as error:  # the engine's own message says what was wrong with the query
        print(f"error: sql on {engine}: {str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__}",
              file=sys.stderr)
        return 1
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_text(value) for value in row] for row in rows])
    else:
        print(format_table(columns, rows))
    return 0
