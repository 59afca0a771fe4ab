"""The Spark sessions perfdw opens itself, with the settings of the `spark` output of profiles.yml.

profiles.yml is the one place the Spark settings are written (warehouse folder, metastore,
shuffle partitions, decimal rules …): dbt's session reads them as its server-side parameters,
and perfdw's own sessions (validate, publish, query: spark_worker) read them from there too,
with the same vars, so both see one warehouse. pyspark is imported only inside the functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Template

from perfdw.paths import Paths
from perfdw.settings import DBT_PROFILES, profile_output

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

TARGET = "spark"
# Spark's own log lines (INFO and WARN from the JVM) would bury perfdw's progress lines.
LOG_LEVEL = "ERROR"


def dbt_vars(paths: Paths) -> dict[str, object]:
    """The vars the `spark` output and the raw hook (macros/engines/spark.sql) read."""
    from extract.landing import RAW_TABLES

    return {"spark_dir": str(paths.spark_dir), "raw_parquet": str(paths.raw_parquet), "raw_tables": list(RAW_TABLES)}


def session_conf(paths: Paths, profiles: Path = DBT_PROFILES) -> dict[str, str]:
    """The `spark` output's server_side_parameters, rendered with this warehouse's vars."""
    parameters = profile_output(TARGET, profiles).get("server_side_parameters") or {}
    variables = dbt_vars(paths)

    def var(name: str, default: object = None) -> object:
        return variables.get(name, default)

    def env_var(name: str, default: str | None = None) -> str | None:
        import os

        return os.environ.get(name, default)

    return {key: Template(str(value)).render(var=var, env_var=env_var) for key, value in parameters.items()}


def hive_session(paths: Paths) -> "SparkSession":
    """A session on the warehouse's metastore, as dbt's: one process at a time (embedded Derby)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("perfdw").enableHiveSupport()
    for key, value in session_conf(paths).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel(LOG_LEVEL)
    return session


def catalog_free_session(paths: Paths, scratch: Path) -> "SparkSession":
    """A session without the metastore (an in-memory catalog over `scratch`), for readers that
    must not wait for, or block, a load holding the metastore."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("perfdw-reader")
    for key, value in session_conf(paths).items():
        if not key.startswith("spark.hadoop.javax.jdo"):
            builder = builder.config(key, value)
    builder = builder.config("spark.sql.catalogImplementation", "in-memory")
    builder = builder.config("spark.sql.warehouse.dir", str(scratch))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel(LOG_LEVEL)
    return session
