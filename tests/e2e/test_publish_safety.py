"""Only validated data is published, atomically, and readers never block a load."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from perfdw.publish import YEAR_FINGERPRINTS
from tests.conftest import DOCUMENTS, REPO
from tests.e2e.conftest import perfdw, published

PANYU = "2025-guangzhou-panyu-hrss.txt"


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_changed_amount_fails_validation_and_leaves_the_published_copy_untouched(home_copy, tmp_path):
    documents = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, documents)
    panyu = documents / PANYU
    # One project's amount raised by 0.10 万元: its unit subtotal (line 11) no longer adds up.
    text = panyu.read_text(encoding="utf-8")
    assert text.count("购置经费\t38.44\t38.44") == 1
    panyu.write_text(text.replace("购置经费\t38.44\t38.44", "购置经费\t38.54\t38.54"), encoding="utf-8")
    before = sha(home_copy / "perfdw.duckdb"), sha(home_copy / "published.json")

    result = perfdw("run", "--year", "2025", home=home_copy, documents=documents)

    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    # The failed checks' line, then one line per failed expectation, each naming the file and
    # line; not Dagster's list of the failed checks before it.
    assert errors[0].startswith("error: checks gx_") and "failed: validate 2025: " in errors[0], result.stdout
    assert not any("blocking asset checks" in line for line in errors), result.stdout
    assert errors[1:] and all(line.startswith("error:   ") and PANYU in line for line in errors[1:]), result.stdout
    assert any(
        re.search(rf"{re.escape(PANYU)} line 1[01] · ", line) and "广州市番禺区人力资源和社会保障局" in line
        and "total" in line and "-0.10" in line
        for line in errors
    ), result.stdout
    # the reason is the report: no traceback, no copy of it from Dagster's log on stderr
    assert "dagster - ERROR" not in result.stderr and "Stack Trace" not in result.stderr, result.stderr
    assert (sha(home_copy / "perfdw.duckdb"), sha(home_copy / "published.json")) == before
    # `perfdw validate` of the same warehouse prints its reconciliation table, the mismatch in it
    validated = perfdw("validate", "--year", "2025", home=home_copy, documents=documents)
    assert validated.returncode == 1
    assert any(line.startswith(PANYU) and line.endswith("mismatch") and "-0.10" in line
               for line in validated.stdout.splitlines()), validated.stdout
    # the report lists each failure; the error line counts them and points there
    failed = [line for line in validated.stdout.splitlines() if line.startswith("  FAILED: ")]
    assert validated.stderr == f"error: validate 2025: {len(failed)} failed expectations (above)\n", validated.stderr
    assert len(failed) == len(errors) - 1


PUBLISH = (
    "import json, sys; from perfdw.paths import resolve_paths; from perfdw.publish import publish; "
    "from perfdw.dbt import MANIFEST; from perfdw.manifest import per_year_models; "
    "print(publish(resolve_paths(sys.argv[1]), per_year=per_year_models(MANIFEST), "
    "years=json.loads(sys.argv[2])).incremental)"
)


@pytest.mark.parametrize("years", [None, [2025]], ids=["whole copy", "one year into a copy of the previous"])
def test_killing_the_publisher_at_any_moment_leaves_a_whole_published_copy(home_copy, years):
    publisher = [sys.executable, "-c", PUBLISH, str(home_copy), json.dumps(years)]
    interrupted = 0
    for attempt in range(12):
        process = subprocess.Popen(publisher, cwd=REPO, stdout=subprocess.DEVNULL)
        time.sleep(0.3 + 0.25 * attempt)  # from before the first write to after the swap
        killed = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        interrupted += killed and any(home_copy.glob(".publishing-*"))
        # Whatever the moment of the kill, the copy is a complete, readable publication.
        assert published(home_copy, "select count(*) from marts.fct_project_budget") == [(354,)]
        parquet = home_copy / "parquet"
        marts = list(parquet.glob("*.parquet")) + [folder for folder in parquet.iterdir() if folder.is_dir()]
        assert len(marts) >= 11 and all(any(folder.glob("*.parquet")) for folder in marts if folder.is_dir())
        assert json.loads((parquet / YEAR_FINGERPRINTS).read_text(encoding="utf-8"))
    assert interrupted >= 1, "no kill landed while a publication was being written"
    # The next publication clears what the killed ones left behind, and took the path tested.
    done = subprocess.run(publisher, cwd=REPO, timeout=120, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(years is not None)
    assert list(home_copy.glob(".publishing-*")) == []


def test_a_reader_holding_the_serving_copy_does_not_block_a_load(home_copy):
    reader = duckdb.connect(str(home_copy / "perfdw.duckdb"), read_only=True)
    try:
        before = reader.execute("select published_at from marts.publication").fetchall()
        result = perfdw("run", "--year", "2025", home=home_copy)
        assert result.returncode == 0, result.stdout + result.stderr
        # The reader still sees the copy it opened; a new reader sees the new one.
        assert reader.execute("select published_at from marts.publication").fetchall() == before
        assert reader.execute("select count(*) from marts.fct_project_budget").fetchall() == [(354,)]
    finally:
        reader.close()
    assert published(home_copy, "select published_at from marts.publication") != before
