"""Whether a load of some fiscal years can start its serving copy from the previous one.

Only when the copy a full publication would write differs from the previous one in nothing but
the loaded years' rows of the per-year models and the cross-year relations (which are replaced
whole anyway). That is read from the relations themselves, never from a list of names: the same
relations with the same columns and types on both sides, and every per-year model's rows of the
years not loaded the same (same year fingerprint) in the pipeline and in the previous copy.
Anything else — no previous copy, a relation added or removed, a column changed, a pipeline
whose other years moved since the last publication — makes the copy be written whole.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import duckdb

# Per relation, its columns in order as (name, type).
Columns = Mapping[str, tuple[tuple[str, str], ...]]
# Per fiscal year (as text, the key of .year-fingerprints.json), "count:sum of row hashes:columns".
YearFingerprints = Mapping[str, str]


@dataclass(frozen=True)
class Shape:
    """What decides whether one side can stand for the other: columns and per-year fingerprints."""

    columns: Columns
    fingerprints: Mapping[str, YearFingerprints]


def relation_columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str,
                     leave_out: Collection[str] = ()) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every table and view of catalog.schema with its columns (views as they would be copied)."""
    rows = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? order by table_name, ordinal_position",
        [catalog, schema],
    ).fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        if table not in leave_out:
            columns.setdefault(table, []).append((column, kind))
    return {table: tuple(described) for table, described in columns.items()}


def year_fingerprints(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    """Count, sum of row hashes and columns per fiscal year: equal rows give equal fingerprints
    on either side of a copy. A row's hash ignores column names and a decimal's width, so the
    columns are part of the fingerprint: a renamed or retyped column makes another file."""
    described = con.execute(f"describe select * from {relation}").fetchall()
    columns = hashlib.sha256(repr([(name, kind) for name, kind, *_ in described]).encode()).hexdigest()[:16]
    rows = con.execute(
        f"select fiscal_year, count(*), sum(hash(t)::hugeint) from {relation} as t group by 1"
    ).fetchall()
    return {str(year): f"{count}:{total}:{columns}" for year, count, total in rows}


def _other_years(fingerprints: YearFingerprints, years: Sequence[int]) -> dict[str, str]:
    loaded = {str(year) for year in years}
    return {year: fingerprint for year, fingerprint in fingerprints.items() if year not in loaded}


def why_written_whole(years: Sequence[int] | None, pipeline: Shape, previous: Shape | None) -> str | None:
    """Why the serving copy can't start from the previous one; None when it can.

    years: the fiscal years the load rebuilt (None: all of them). The fingerprints of `previous`
    need only cover the years not loaded.
    """
    if years is None:
        return "a load of every fiscal year"
    if previous is None:
        return "no previous serving copy"
    added = sorted(set(pipeline.columns) - set(previous.columns))
    if added:
        return f"relations added since the previous copy: {', '.join(added)}"
    removed = sorted(set(previous.columns) - set(pipeline.columns))
    if removed:
        return f"relations removed since the previous copy: {', '.join(removed)}"
    changed = sorted(name for name, columns in pipeline.columns.items() if previous.columns[name] != columns)
    if changed:
        return f"columns changed since the previous copy: {', '.join(changed)}"
    for name, fingerprints in sorted(pipeline.fingerprints.items()):
        ours = _other_years(fingerprints, years)
        theirs = _other_years(previous.fingerprints.get(name, {}), years)
        moved = sorted(year for year in set(ours) | set(theirs) if ours.get(year) != theirs.get(year))
        if moved:
            return f"{name}: rows of fiscal years not loaded ({', '.join(moved)}) differ from the previous copy's"
    return None
