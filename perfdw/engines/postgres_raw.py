"""The hand-over's Parquet files (perfdw.handover) → schema `raw` of the PostgreSQL warehouse.

Each raw table's columns and types are those of its Parquet files (which extract wrote from
its own raw schema), so nothing here repeats the list of columns. A load is one transaction:
dbt, which reads `raw` in another session, sees the raw tables before the load or after it,
never half of them. Rows go in through COPY … FROM STDIN (CSV streamed from the Parquet
record batches), not row by row.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from extract.landing import RAW_TABLES
from perfdw.handover import FILE_NAME, PARTITION, partition_dir

SCHEMA = "raw"
BATCH_ROWS = 50_000
# The hand-over keeps the partition column in the folder name only; it is this table's own
# column (the other tables find their year through it), so it comes back from the folder.
OWN_PARTITION_TABLE = "documents"


class HandoverMissing(RuntimeError):
    pass


def _postgres_type(arrow_type) -> str:
    """Spelled as PostgreSQL's format_type spells it, so that an unchanged table is recognized."""
    import pyarrow as pa

    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "text"
    if pa.types.is_int16(arrow_type):
        return "smallint"
    if pa.types.is_int32(arrow_type):
        return "integer"
    if pa.types.is_int64(arrow_type):
        return "bigint"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_decimal(arrow_type):
        return f"numeric({arrow_type.precision},{arrow_type.scale})"
    if pa.types.is_date32(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "timestamp with time zone" if arrow_type.tz else "timestamp without time zone"
    raise TypeError(f"no PostgreSQL type for the Parquet type {arrow_type} of the raw hand-over")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def years_on_disk(raw_dir: Path) -> list[int]:
    return sorted({int(folder.name.split("=", 1)[1]) for folder in raw_dir.glob(f"*/{PARTITION}=*")
                   if folder.is_dir()})


def _files(raw_dir: Path, table: str, years: Sequence[int]) -> list[tuple[int, Path]]:
    return [(year, file) for year in years if (file := partition_dir(raw_dir, table, year) / FILE_NAME).is_file()]


def table_columns(raw_dir: Path, table: str) -> list[tuple[str, str]]:
    """(name, PostgreSQL type) of a raw table, from any of its Parquet files."""
    import pyarrow.parquet as pq

    files = sorted((raw_dir / table).glob(f"{PARTITION}=*/{FILE_NAME}"))
    if not files:
        raise HandoverMissing(
            f"no Parquet hand-over of raw.{table} in {raw_dir / table}: run `perfdw extract` (or `perfdw run`) first"
        )
    schema = pq.read_schema(files[0])
    columns = [(field.name, _postgres_type(field.type)) for field in schema]
    if table == OWN_PARTITION_TABLE and PARTITION not in schema.names:
        columns.append((PARTITION, "integer"))
    return columns


def _csv_batches(file: Path, columns: list[str], year: int) -> Iterator[io.BytesIO]:
    """The file's rows as CSV, a batch at a time: nulls unquoted and empty, '' quoted, as COPY
    reads them; a column the file lacks is the partition's, `year`."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
    # ParquetFile reads the file's own columns only: no fiscal_year from the Hive folder name.
    for batch in pq.ParquetFile(file).iter_batches(batch_size=BATCH_ROWS):
        if PARTITION in columns and PARTITION not in batch.schema.names:
            batch = batch.append_column(PARTITION, pa.array([year] * batch.num_rows, pa.int32()))
        batch = batch.select(columns)
        buffer = io.BytesIO()
        pa_csv.write_csv(batch, buffer, options)
        buffer.seek(0)
        yield buffer


def _existing_columns(cur, table: str) -> list[tuple[str, str]]:
    cur.execute(
        "select attname, format_type(atttypid, atttypmod) from pg_attribute "
        "where attrelid = to_regclass(%s) and attnum > 0 and not attisdropped order by attnum",
        [f"{SCHEMA}.{_quoted(table)}"],
    )
    return [(name, kind) for name, kind in cur.fetchall()]


def land_raw(con, raw_dir: Path, years: Sequence[int] | None) -> list[int]:
    """Replace the raw rows of `years` (None: all) with the hand-over's, in one transaction.

    A table whose columns changed (a new extract version) is recreated and every year reloaded.
    Returns the years loaded.
    """
    on_disk = years_on_disk(raw_dir)
    columns = {table: table_columns(raw_dir, table) for table in RAW_TABLES}
    with con, con.cursor() as cur:
        cur.execute(f"create schema if not exists {SCHEMA}")
        changed = False
        for table, wanted in columns.items():
            if _existing_columns(cur, table) != wanted:
                # Dependent staging views go too; the dbt build that follows recreates them.
                cur.execute(f"drop table if exists {SCHEMA}.{_quoted(table)} cascade")
                cur.execute(f"create table {SCHEMA}.{_quoted(table)} ("
                            + ", ".join(f"{_quoted(name)} {kind}" for name, kind in wanted) + ")")
                changed = True
        scope = on_disk if years is None or changed else sorted(set(years))
        if years is None or changed:
            cur.execute("truncate " + ", ".join(f"{SCHEMA}.{_quoted(table)}" for table in RAW_TABLES))
        else:
            # documents is last in RAW_TABLES: the other tables find their rows through it.
            for table in RAW_TABLES:
                cur.execute(
                    f"delete from {SCHEMA}.{_quoted(table)} where document_id in "
                    f"(select document_id from {SCHEMA}.documents where fiscal_year = any(%s))", [list(scope)],
                )
        for table, wanted in columns.items():
            copy = (f"copy {SCHEMA}.{_quoted(table)} (" + ", ".join(_quoted(name) for name, _ in wanted)
                    + ") from stdin with (format csv)")
            for year, file in _files(raw_dir, table, scope):
                for batch in _csv_batches(file, [name for name, _ in wanted], year):
                    cur.copy_expert(copy, batch)
    return list(scope)
