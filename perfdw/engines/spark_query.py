"""`perfdw sql --engine spark`: one read-only query on the published marts.

Read-only by construction, twice over:
- The session has no metastore (an in-memory catalog in a scratch folder): database `marts`
  in it is declared afresh over the Parquet folders of the last publication, so nothing it
  could change outlives the process, and a load holding the metastore is neither waited for
  nor disturbed.
- The statement is parsed into Spark's logical plan first (the parser alone: nothing runs),
  and refused unless the plan is a query: a plan containing a command (CREATE, INSERT, DROP,
  SET, CACHE …, which `spark.sql` would execute at once) or a parsed statement never reaches
  `spark.sql`. Whatever passes is a lazy DataFrame, collected.
Decimal columns arrive as Python Decimals, exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# Interfaces of Spark's logical plans that mean "does something" rather than "reads".
NOT_A_QUERY = (
    "org.apache.spark.sql.catalyst.plans.logical.Command",
    "org.apache.spark.sql.catalyst.plans.logical.ParsedStatement",
    "org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement",
)


class NotAQuery(ValueError):
    pass


def _classes(spark: "SparkSession") -> list[object]:
    jvm = spark.sparkContext._jvm
    found = []
    for name in NOT_A_QUERY:
        try:
            found.append(jvm.java.lang.Class.forName(name))
        except Exception:  # an interface this Spark version doesn't have
            continue
    return found


def _offending_node(plan: object, classes: list[object]) -> str | None:
    """The class name of the first node of the plan that is not part of a query, if any."""
    pending = [plan]
    while pending:
        node = pending.pop()
        if any(cls.isInstance(node) for cls in classes):
            return node.getClass().getSimpleName()
        children = node.children()
        pending.extend(children.apply(i) for i in range(children.size()))
        # subqueries inside expressions (WHERE x IN (SELECT …)) are plans too
        inner = node.subqueries()
        pending.extend(inner.apply(i) for i in range(inner.size()))
    return None


def check_is_query(spark: "SparkSession", sql: str) -> None:
    plan = spark._jsparkSession.sessionState().sqlParser().parsePlan(sql)
    offending = _offending_node(plan, _classes(spark))
    if offending is not None:
        raise NotAQuery(f"only a query (SELECT … / WITH … SELECT …) may run on the published marts; this is {offending}")


def declare_published(spark: "SparkSession", tables: dict[str, str]) -> None:
    spark.sql("create database if not exists marts")
    for name, folder in tables.items():
        spark.catalog.createTable(f"marts.{name}", path=folder, source="parquet")
    spark.sql("use marts")


def run_query(spark: "SparkSession", tables: dict[str, str], sql: str) -> tuple[list[str], list[tuple]]:
    declare_published(spark, tables)
    check_is_query(spark, sql)
    frame = spark.sql(sql)
    return list(frame.columns), [tuple(row) for row in frame.collect()]
