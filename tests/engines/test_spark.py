"""The Spark engine on the bundled corpus: one real `perfdw run --engine spark` per session
(tests/engines/spark_load.py), then what an analyst and the load rely on."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from perfdw.dbt import MANIFEST, prepare_manifest
from perfdw.manifest import published_models
from tests.engines.spark_load import SparkLoad, load_once, perfdw, reader_session

SAMPLE = 5


@pytest.fixture(scope="session")
def spark_load(published_home: Path, tmp_path_factory: pytest.TempPathFactory) -> SparkLoad:
    return load_once(published_home, tmp_path_factory.mktemp("spark") / "home")


@pytest.fixture(scope="module")
def spark_reader(spark_load: SparkLoad, tmp_path_factory: pytest.TempPathFactory):
    yield from reader_session(spark_load.home, tmp_path_factory.mktemp("spark-reader"))


def _duckdb_rows(home: Path, mart: str) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(home / "perfdw.duckdb"), read_only=True) as con:
        cursor = con.execute(f"select * from marts.{mart}")
        return [c[0] for c in cursor.description], cursor.fetchall()


def test_every_mart_holds_the_same_rows_as_on_duckdb(spark_load: SparkLoad, spark_reader, published_home: Path):
    prepare_manifest()
    marts = published_models(MANIFEST)
    assert "fct_project_budget" in marts and len(marts) > 10
    differences = []
    for mart in marts:
        columns, expected = _duckdb_rows(published_home, mart)
        frame = spark_reader.table(f"marts.{mart}")
        assert frame.columns == columns, f"{mart}: columns on spark {frame.columns}, on duckdb {columns}"
        actual = [tuple(row) for row in frame.collect()]
        floats = {columns[i] for row in actual for i, value in enumerate(row) if isinstance(value, float)}
        assert not floats, f"{mart}: floating-point values on spark in {sorted(floats)}"
        # Decimals compare by value (Decimal('1.50') == Decimal('1.5')); both engines give
        # DECIMAL(24,6) amounts, so no normalization is involved.
        missing, extra = Counter(expected) - Counter(actual), Counter(actual) - Counter(expected)
        if missing or extra:
            differences.append(
                f"{mart}: {sum(missing.values())} rows only on duckdb, e.g. {list(missing)[:SAMPLE]}; "
                f"{sum(extra.values())} only on spark, e.g. {list(extra)[:SAMPLE]}"
            )
    assert not differences, "\n".join(differences)


def test_amounts_are_exact_decimals_on_spark(spark_reader):
    types = dict(spark_reader.table("marts.fct_project_budget").dtypes)
    assert types["total_wan"] == "decimal(24,6)" and types["fiscal_wan"] == "decimal(24,6)"
    (total,) = spark_reader.sql("select sum(total_wan) from marts.fct_project_budget").first()
    assert isinstance(total, Decimal) and total > 0


def test_perfdw_sql_counts_the_projects(spark_load: SparkLoad):
    result = perfdw("sql", "--engine", "spark", "select count(*) from marts.fct_project_budget", home=spark_load.home)
    assert result.returncode == 0, result.stderr
    assert "354" in [line.strip() for line in result.stdout.splitlines()], result.stdout


@pytest.mark.parametrize("statement", [
    "insert into marts.dim_unit select * from marts.dim_unit",
    "drop table marts.fct_project_budget",
    "create table marts.copy as select * from marts.dim_unit",
    "with u as (select * from marts.dim_unit) insert into marts.dim_unit select * from u",
    "set spark.sql.ansi.enabled = false",
    "cache table marts.dim_unit",
])
def test_a_statement_that_is_not_a_query_is_refused(spark_reader, statement: str):
    from perfdw.engines.spark_query import NotAQuery, check_is_query

    with pytest.raises(NotAQuery, match="only a query"):
        check_is_query(spark_reader, statement)


def test_perfdw_sql_refuses_a_write_and_changes_nothing(spark_load: SparkLoad, spark_reader):
    before = spark_reader.table("marts.dim_unit").count()
    result = perfdw("sql", "--engine", "spark", "insert into marts.dim_unit select * from marts.dim_unit",
                    home=spark_load.home)
    assert result.returncode == 1
    assert "only a query" in result.stderr and "InsertIntoStatement" in result.stderr, result.stderr
    assert spark_reader.table("marts.dim_unit").count() == before


def _summary(home: Path) -> dict:
    return json.loads((home / "validation" / "summary.json").read_text(encoding="utf-8"))


def test_the_load_validated_on_spark_with_duckdbs_findings(spark_load: SparkLoad, published_home: Path):
    summary, on_duckdb = _summary(spark_load.home), _summary(published_home)
    assert summary["success"], summary["failures"]
    assert summary["suites"]["reconciliation"]["rows"] > 0 and summary["suites"]["cross_table"]["rows"] > 0
    for suite in ("reconciliation", "cross_table", "continuity"):
        assert summary["suites"][suite]["rows"] == on_duckdb["suites"][suite]["rows"], suite
        assert summary["suites"][suite]["evaluated"] == on_duckdb["suites"][suite]["evaluated"], suite
    # the same warnings, word for word: the registered discrepancies, the vanished units …
    assert any("registered source discrepancy" in warning for warning in summary["warnings"])
    assert sorted(summary["warnings"]) == sorted(on_duckdb["warnings"])
    # (a partitioned table has its partition column last: rows compare as mappings)
    def rows(found: dict) -> list[str]:
        return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in found["reconciliation"])

    assert rows(summary) == rows(on_duckdb)
    published = json.loads((spark_load.home / "published.json").read_text(encoding="utf-8"))
    assert published["engine"] == "spark" and "fct_project_budget" in published["relations"]
