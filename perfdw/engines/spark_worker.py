"""One Spark step in its own short-lived process (see perfdw.engines.spark_engine for why).

    python -m perfdw.engines.spark_worker ACTION HOME DOCUMENTS REQUEST RESULT

ACTION is validate, publish or query; REQUEST a pickled dict of its arguments. The result is
pickled to RESULT as (True, value) or (False, the error's message); progress lines go to
stdout. The process exits when the step is done, and with it its JVM and the metastore it held.
"""

from __future__ import annotations

import pickle
import sys
import tempfile
from pathlib import Path

from perfdw.paths import Paths


def _validate(paths: Paths, request: dict):
    from expectations.runner import run_validation
    from expectations.spark_source import SparkBatches
    from perfdw.engines.spark_session import hive_session

    return run_validation(paths, year=request["year"], progress=lambda line: print(line, flush=True),
                          loaded_years=request["loaded_years"], batches=SparkBatches(hive_session(paths), paths))


def _publish(paths: Paths, request: dict):
    from perfdw.dbt import MANIFEST
    from perfdw.engines.spark_publish import publish
    from perfdw.engines.spark_session import hive_session
    from perfdw.manifest import contract_columns
    from perfdw.publish import Publication

    result = publish(hive_session(paths), paths, request["metadata"], contract_columns(MANIFEST))
    return Publication(database=Path(result["root"]), parquet_dir=Path(result["root"]),
                       relations=result["relations"], published_at=result["published_at"])


def _query(paths: Paths, request: dict):
    from perfdw.engines.spark_publish import published_tables
    from perfdw.engines.spark_query import run_query
    from perfdw.engines.spark_session import catalog_free_session

    tables = published_tables(paths)  # before starting a JVM: nothing published, nothing to start
    with tempfile.TemporaryDirectory(prefix="perfdw-spark-query-") as scratch:
        return run_query(catalog_free_session(paths, Path(scratch)), tables, request["sql"])


ACTIONS = {"validate": _validate, "publish": _publish, "query": _query}


def _message(error: BaseException) -> str:
    # A Spark error's first lines say what was wrong; the JVM stack trace below them does not.
    text = str(error).strip()
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("at ")]
    return "\n".join(lines[:6]) or type(error).__name__


def main(argv: list[str]) -> int:
    action, home, documents, request_file, result_file = argv
    paths = Paths(home=Path(home), documents=Path(documents))
    request = pickle.loads(Path(request_file).read_bytes())
    try:
        outcome = (True, ACTIONS[action](paths, request))
    except Exception as error:  # reported to the parent process, which raises it there
        outcome = (False, _message(error))
    Path(result_file).write_bytes(pickle.dumps(outcome))
    return 0 if outcome[0] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
