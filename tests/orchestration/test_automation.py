"""The schedule and the documents sensor, evaluated with fixed clocks and temporary folders."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.defs.automation import documents_folder, publishing_season
from orchestration.defs.resources import WarehouseResource
from tests.conftest import DOCUMENTS


@pytest.mark.parametrize(("when", "year"), [(datetime(2026, 2, 3, 6), "2026"), (datetime(2027, 1, 1, 6), "2027")])
def test_schedule_requests_the_year_of_its_tick(when, year):
    request = publishing_season(dg.build_schedule_context(scheduled_execution_time=when))
    assert request.partition_key == year


def test_schedule_ticks_every_day_from_january_to_april_and_never_after():
    from dagster._utils.schedules import cron_string_iterator

    start = datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
    ticks = cron_string_iterator(start, publishing_season.cron_schedule, "Asia/Shanghai")
    days = [next(ticks) for _ in range(130)]
    in_2026 = [d for d in days if d.year == 2026]
    assert len(in_2026) == len({d.date() for d in in_2026}) == 31 + 28 + 31 + 30
    assert {d.month for d in in_2026} == {1, 2, 3, 4}
    assert min(d for d in days if d.year == 2027) == datetime(2027, 1, 1, 6, tzinfo=days[0].tzinfo)


def _evaluate(folder, home, cursor=None):
    from orchestration.definitions import defs

    warehouse = WarehouseResource(home=str(home), documents=str(folder))
    context = dg.build_sensor_context(cursor=cursor, definitions=defs, resources={"warehouse": warehouse})
    return documents_folder.evaluate_tick(context)


def _publish(home, folder):
    """What the publish step records after a load of every year of `folder`."""
    from extract.catalog import load_catalog
    from extract.document import extract_document

    state = {}
    for path in sorted(folder.glob("*.txt")):
        doc = extract_document(path, load_catalog(folder).get(path.name))
        state.setdefault(str(doc.fiscal_year), {})[path.name] = doc.sha256
    home.mkdir(exist_ok=True)
    (home / "published-documents.json").write_text(json.dumps(state))


def test_sensor_requests_one_run_for_a_new_document_and_none_the_second_time(tmp_path):
    folder, home = tmp_path / "documents", tmp_path / "home"
    folder.mkdir()
    shutil.copy(DOCUMENTS / "catalog.toml", folder)
    first = _evaluate(folder, home)
    assert first.run_requests == []

    shutil.copy(DOCUMENTS / "2025-guangzhou-panyu-hrss.txt", folder)
    second = _evaluate(folder, home, first.cursor)
    assert [r.partition_key for r in second.run_requests] == ["2025"]
    assert second.run_requests[0].tags["perfdw/documents"] == "new 2025-guangzhou-panyu-hrss.txt"

    third = _evaluate(folder, home, second.cursor)
    assert third.run_requests == []


def test_a_fresh_sensor_over_a_published_warehouse_requests_nothing(tmp_path):
    folder, home = tmp_path / "documents", tmp_path / "home"
    shutil.copytree(DOCUMENTS, folder)
    assert sorted(r.partition_key for r in _evaluate(folder, home).run_requests) == ["2023", "2024", "2025", "2026"]
    _publish(home, folder)
    assert _evaluate(folder, home).run_requests == []


def test_sensor_requests_one_run_per_year_for_a_burst_of_changes(tmp_path):
    folder, home = tmp_path / "documents", tmp_path / "home"
    shutil.copytree(DOCUMENTS, folder)
    _publish(home, folder)
    baseline = _evaluate(folder, home)
    assert baseline.run_requests == []

    (folder / "2026-guangzhou-hrss.txt").unlink()
    for name in ("2024-wuchuan-hrss.txt", "2024-guangzhou-huadu-hrss.txt", "2025-guangzhou-panyu-hrss.txt"):
        (folder / name).write_bytes((folder / name).read_bytes() + b"\n")
    after = _evaluate(folder, home, baseline.cursor)
    assert sorted((r.partition_key, r.tags["perfdw/documents"]) for r in after.run_requests) == [
        ("2024", "changed 2024-guangzhou-huadu-hrss.txt; changed 2024-wuchuan-hrss.txt"),
        ("2025", "changed 2025-guangzhou-panyu-hrss.txt"),
        ("2026", "removed 2026-guangzhou-hrss.txt"),
    ]
    assert _evaluate(folder, home, after.cursor).run_requests == []


def test_sensor_skips_a_refused_document_without_requesting_a_run(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    result = _evaluate(folder, tmp_path / "home")
    assert result.run_requests == []


def test_sensor_takes_a_published_workbook_and_pdf_and_names_a_legacy_word_file(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    published = DOCUMENTS.parent.parent / "tests" / "fixtures" / "published"
    # Panyu prints its year in the title, so no catalog entry is needed for the rendered copies.
    for name in ("2025-guangzhou-panyu-hrss.xlsx", "2025-guangzhou-panyu-hrss.pdf", "legacy.doc"):
        shutil.copy(published / name, folder)
    result = _evaluate(folder, tmp_path / "home")
    # Both renderings are 2025 documents: one load of 2025 that names them; the .doc is refused.
    assert [request.partition_key for request in result.run_requests] == ["2025"]
    named = result.run_requests[0].tags["perfdw/documents"]
    assert "new 2025-guangzhou-panyu-hrss.pdf" in named and "new 2025-guangzhou-panyu-hrss.xlsx" in named
    assert "legacy.doc" not in named
