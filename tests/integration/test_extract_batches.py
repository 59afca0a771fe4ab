"""Parsing in worker processes and landing in batches change nothing but the time it takes.

A corpus with bad documents among many good ones lands exactly as it does parsed here, one
document per transaction: same rows, same outcomes, same progress lines in the same order.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extract import corpus
from extract.landing import RAW_TABLES
from tests.conftest import DOCUMENTS, REPO
from tests.integration.test_extract_bad_input import GUANGZHOU, _truncated_mid_row


def _copy(documents: Path, name: str, copy: str, blank_lines: int) -> None:
    """Another document with the same catalog entry; trailing blank lines make its content its own."""
    (documents / copy).write_bytes((DOCUMENTS / name).read_bytes() + b"\n" * blank_lines)
    catalog = documents / "catalog.toml"
    text = catalog.read_text(encoding="utf-8")
    entry = text.split(f'["{name}"]\n', 1)[1].split('\n["', 1)[0]
    catalog.write_text(f'{text}\n["{copy}"]\n{entry}\n', encoding="utf-8")


@pytest.fixture(scope="module")
def many_documents(tmp_path_factory) -> Path:
    documents = tmp_path_factory.mktemp("many") / "docs"
    shutil.copytree(DOCUMENTS, documents)
    for name in sorted(p.name for p in DOCUMENTS.glob("*.txt")):
        for n in (1, 2):
            _copy(documents, name, f"{name.removesuffix('.txt')}-copy{n}.txt", n)
    _truncated_mid_row(documents)
    shutil.copy(DOCUMENTS / GUANGZHOU, documents / "2026-hrss-twin.txt")
    return documents


def _extract(documents: Path, database: Path) -> tuple[list, list[str]]:
    lines: list[str] = []
    report = corpus.extract_corpus(documents, database, progress=lines.append)
    return report.outcomes, lines


def _tables(database: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {
            table: con.execute(f"select * exclude (extracted_at) from raw.{table} order by all").fetchall()
            if table == "documents"
            else con.execute(f"select * from raw.{table} order by all").fetchall()
            for table in RAW_TABLES
        }


def test_pool_and_batches_land_what_one_document_at_a_time_lands(many_documents, tmp_path, monkeypatch):
    pools = []
    real_pool = corpus.ProcessPoolExecutor

    def pool(*args, **kwargs):
        pools.append(real_pool(*args, **kwargs))
        return pools[-1]

    monkeypatch.setattr(corpus, "_BATCH_DOCUMENTS", 4)
    with monkeypatch.context() as spying:
        spying.setattr(corpus, "ProcessPoolExecutor", pool)
        batched = _extract(many_documents, tmp_path / "batched.duckdb")
    assert len(pools) == (1 if (os.cpu_count() or 1) > 1 else 0)

    monkeypatch.setattr(corpus, "_POOL_MIN_DOCUMENTS", 10**9)
    monkeypatch.setattr(corpus, "_BATCH_DOCUMENTS", 1)
    one_by_one = _extract(many_documents, tmp_path / "one_by_one.duckdb")

    assert batched == one_by_one
    outcomes, lines = batched
    failed = {o.source_file: o.error for o in outcomes if o.status == "failed"}
    assert failed.keys() == {"cut.txt", "2026-hrss-twin.txt"}
    assert failed["cut.txt"].startswith("cut.txt:200: ")
    assert failed["2026-hrss-twin.txt"] == f"2026-hrss-twin.txt: same content as {GUANGZHOU}: a document is loaded once"
    assert all(o.source_file in line for o, line in zip(outcomes, lines, strict=True))
    tables = _tables(tmp_path / "batched.duckdb")
    assert tables == _tables(tmp_path / "one_by_one.duckdb")
    assert len(tables["documents"]) == 15


def test_re_extracting_in_batches_replaces_only_what_changed(many_documents, tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "_BATCH_DOCUMENTS", 4)
    documents, database = tmp_path / "docs", tmp_path / "warehouse.duckdb"
    shutil.copytree(many_documents, documents)
    first, _ = _extract(documents, database)
    before = _tables(database)
    (documents / "cut.txt").unlink()
    changed = documents / "2025-guangzhou-panyu-hrss-copy1.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("购置经费\t38.44\t38.44", "购置经费\t38.45\t38.45"),
        encoding="utf-8",
    )

    second, _ = _extract(documents, database)

    statuses = {o.source_file: o.status for o in second}
    assert statuses.pop(changed.name) == "loaded"
    assert set(statuses.values()) == {"unchanged", "failed"}
    after = _tables(database)
    changed_rows = {
        table: [row for row in rows if changed.name not in row] for table, rows in after.items()
    }
    assert changed_rows == {
        table: [row for row in rows if changed.name not in row] for table, rows in before.items()
    }
    assert len(first) == len(second) + 1


def _sources(database: Path) -> list[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        return [name for (name,) in con.execute("select source_file from raw.documents order by 1").fetchall()]


def test_a_renamed_document_lands_under_its_new_name(tmp_path):
    documents, database = tmp_path / "docs", tmp_path / "warehouse.duckdb"
    documents.mkdir()
    shutil.copy(DOCUMENTS / GUANGZHOU, documents / "y.txt")
    corpus.extract_corpus(documents, database)
    # Same content, so the same document_id: the old name must be gone before the new one lands.
    (documents / "y.txt").rename(documents / "z.txt")

    outcomes = corpus.extract_corpus(documents, database).outcomes

    assert [(o.source_file, o.status) for o in outcomes] == [("y.txt", "removed"), ("z.txt", "loaded")]
    assert _sources(database) == ["z.txt"]


def test_a_copy_of_a_loaded_document_fails_whichever_name_sorts_first(tmp_path):
    documents, database = tmp_path / "docs", tmp_path / "warehouse.duckdb"
    documents.mkdir()
    shutil.copy(DOCUMENTS / GUANGZHOU, documents / "y.txt")
    corpus.extract_corpus(documents, database)
    shutil.copy(DOCUMENTS / GUANGZHOU, documents / "a.txt")
    (documents / "b.txt").write_bytes((DOCUMENTS / GUANGZHOU).read_bytes() + b"\n")

    outcomes = corpus.extract_corpus(documents, database).outcomes

    assert [(o.source_file, o.status) for o in outcomes] == [
        ("a.txt", "failed"), ("b.txt", "loaded"), ("y.txt", "unchanged"),
    ]
    assert outcomes[0].error == "a.txt: same content as y.txt: a document is loaded once"
    assert _sources(database) == ["b.txt", "y.txt"]


def test_a_script_without_a_main_guard_still_extracts_and_is_told_why_it_was_slow(many_documents, tmp_path):
    # Spawned workers re-run the caller's main script; an ad-hoc one rarely has
    # `if __name__ == "__main__":`, so its workers die. The documents must load all the same.
    script = tmp_path / "load.py"
    script.write_text(
        "from pathlib import Path\n"
        "from extract.corpus import extract_corpus\n"
        "print('script ran', flush=True)\n"
        f"report = extract_corpus(Path({str(many_documents)!r}), Path({str(tmp_path / 'w.duckdb')!r}))\n"
        "print('loaded', sum(o.status == 'loaded' for o in report.outcomes), flush=True)\n",
        encoding="utf-8",
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1] == f"loaded {len(_sources_of(many_documents))}"
    assert "RuntimeWarning: extract's worker processes stopped" in result.stderr
    assert 'under `if __name__ == "__main__":`' in result.stderr
    assert _sources(tmp_path / "w.duckdb") == _sources_of(many_documents)


def _sources_of(documents: Path) -> list[str]:
    """The documents of the folder that load: all but the cut one and the twin."""
    return sorted(
        p.name for p in documents.glob("*.txt") if p.name not in ("cut.txt", "2026-hrss-twin.txt")
    )


def test_text_and_positioned_documents_land_together_as_they_land_apart(tmp_path, monkeypatch):
    # Each document's rows come from its worker as Arrow tables typed on their own: a column
    # all null in a text file (its locations, its cells) and filled in a workbook or PDF must
    # land in one batch exactly as each would alone.
    documents = tmp_path / "docs"
    shutil.copytree(DOCUMENTS, documents)
    family = REPO / "tests" / "fixtures" / "family"
    for path in sorted(family.glob("*.*")):
        if path.suffix in (".xlsx", ".pdf", ".docx", ".html"):
            shutil.copy(path, documents / path.name)

    together = _extract(documents, tmp_path / "together.duckdb")
    monkeypatch.setattr(corpus, "_POOL_MIN_DOCUMENTS", 10**9)
    monkeypatch.setattr(corpus, "_BATCH_DOCUMENTS", 1)
    apart = _extract(documents, tmp_path / "apart.duckdb")

    assert together == apart
    assert {o.status for o in together[0]} == {"loaded"}
    tables = _tables(tmp_path / "together.duckdb")
    assert tables == _tables(tmp_path / "apart.duckdb")
    with duckdb.connect(str(tmp_path / "together.duckdb"), read_only=True) as con:
        located = dict(con.execute(
            "select d.format, count(b.source_location) from raw.documents d "
            "join raw.budget_rows b using (document_id) group by 1"
        ).fetchall())
        cells = con.execute("select count(distinct document_id) from raw.document_cells").fetchone()[0]
    assert located["txt"] == 0 and located["xlsx"] > 0 and located["pdf"] > 0
    assert cells == 12
