"""The suites' rows on Spark: Spark DataFrames validated through GX's Spark data source.

The suites validate the build (database `build_marts`); the published suite compares it with
the last publication (database `marts`), both in the one metastore, with the same SQL as on
DuckDB (expectations/frames.py). A Spark DataFrame has no row index for GX to report flagged
rows by, so each gets a `_row` column, its position in the rows collected for the messages;
the frame is checkpointed first so that GX and the collection see the same numbering.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from expectations.frames import comparison_sql
from expectations.runner import SuiteBatch
from expectations.suites import FROM_PUBLISHED, Suite
from perfdw.paths import Paths

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

BUILD = "build_marts"
PUBLISHED = "marts"
ROW = "_row"


def _numbered(frame: "DataFrame") -> tuple["DataFrame", list[dict]]:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    # Ordered by every column: rows that tie are equal, so any numbering of them names the same.
    order = Window.orderBy(*[F.col(f"`{name}`") for name in frame.columns])
    numbered = frame.withColumn(ROW, F.row_number().over(order) - 1).localCheckpoint()
    rows = [row.asDict() for row in numbered.orderBy(ROW).collect()]
    for row in rows:
        del row[ROW]
    return numbered, rows


class SparkBatches:
    """expectations.runner.Batches on Spark: DataFrames through GX's Spark data source."""

    def __init__(self, spark: "SparkSession", paths: Paths):
        from pyspark.errors import PySparkException

        self.spark = spark
        self.paths = paths
        self.errors = (PySparkException,)
        self.source = None

    def _published_exists(self) -> bool:
        return self.spark.catalog.tableExists(f"{PUBLISHED}.fct_project_budget")

    def _frame(self, suite: Suite, year: int | None, loaded_years: Sequence[int] | None,
               notes: list[str]) -> "DataFrame | None":
        if suite.source == FROM_PUBLISHED:
            if not self._published_exists():
                notes.append(f"{suite.name}: no previous load (database {PUBLISHED} on spark has no "
                             "fct_project_budget): nothing to compare")
                return None
            return self.spark.sql(comparison_sql(BUILD, PUBLISHED, loaded_years))
        frame = self.spark.table(f"{BUILD}.{suite.relation_model}")
        years = suite.years(year)
        if years is not None:
            frame = frame.where(frame["fiscal_year"].isin([int(y) for y in years]))
        return frame

    def batch(self, context, suite: Suite, year: int | None, loaded_years: Sequence[int] | None,
              notes: list[str]) -> SuiteBatch | None:
        frame = self._frame(suite, year, loaded_years, notes)
        if frame is None:
            return None
        numbered, rows = _numbered(frame)
        if self.source is None:
            self.source = context.data_sources.add_spark("warehouse")
        definition = self.source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("all")
        # A Spark DataFrame has no index: GX reports each flagged row by its `_row` column.
        return SuiteBatch(definition, {"dataframe": numbered}, rows,
                          lambda indexes: [int(index[ROW]) for index in indexes],
                          {"unexpected_index_column_names": [ROW]})

    def location(self, suite: Suite) -> str:
        database = PUBLISHED if suite.source == FROM_PUBLISHED else BUILD
        return f"{database}.{suite.relation_model} on spark ({self.paths.spark_dir})"
