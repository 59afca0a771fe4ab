"""The frames the suites validate hold each value as DuckDB's own Python API gives it: Decimal
for an amount, int, str, and None where a value is missing (a row's description reads
`row["unit_name"] or "合计"`, which NaN would break)."""

from __future__ import annotations

import duckdb

from expectations.frames import read_model
from perfdw.paths import Paths


def _typed(rows) -> list[tuple]:
    """Each row as (type, value) pairs, in an order that does not depend on the read's."""
    return sorted((tuple((type(value).__name__, value) for value in row) for row in rows), key=repr)


def test_every_mart_reads_as_fetchall_gives_it(paths: Paths):
    with duckdb.connect(str(paths.pipeline_db), read_only=True) as con:
        marts = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()]
        expected = {mart: con.execute(f"select * from marts.{mart}").fetchall() for mart in marts}
    kinds: set[str] = set()
    for mart in marts:
        frame = read_model(paths.pipeline_db, mart, None)
        rows = list(frame.itertuples(index=False, name=None))
        assert _typed(rows) == _typed(expected[mart]), mart
        kinds |= {type(value).__name__ for row in rows for value in row}
    # the comparison covered every kind of value the suites read
    assert {"Decimal", "int", "str", "NoneType", "bool"} <= kinds


def test_one_year_reads_only_its_rows(paths: Paths):
    frame = read_model(paths.pipeline_db, "rpt_reconciliation", [2024])
    assert len(frame) > 0
    assert set(frame["fiscal_year"]) == {2024}
