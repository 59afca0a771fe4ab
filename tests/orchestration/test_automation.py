"""The schedule and the documents sensor, evaluated with fixed clocks and temporary folders."""

from __future__ import annotations

import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.defs.automation import documents_folder, publishing_season
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


def _evaluate(folder, cursor=None):
    from orchestration.definitions import defs

    context = dg.build_sensor_context(cursor=cursor, definitions=defs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PERFDW_DOCUMENTS", str(folder))
        result = documents_folder.evaluate_tick(context)
    return result


def test_sensor_requests_a_run_for_a_new_document_and_none_the_second_time(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    shutil.copy(DOCUMENTS / "catalog.toml", folder)
    first = _evaluate(folder)
    assert first.run_requests == []

    shutil.copy(DOCUMENTS / "2025-guangzhou-panyu-hrss.txt", folder)
    second = _evaluate(folder, first.cursor)
    assert [r.partition_key for r in second.run_requests] == ["2025"]
    assert second.run_requests[0].run_key.startswith("2025-guangzhou-panyu-hrss.txt:new:")

    third = _evaluate(folder, second.cursor)
    assert third.run_requests == []


def test_sensor_requests_the_year_of_a_changed_and_of_a_removed_document(tmp_path):
    folder = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, folder)
    baseline = _evaluate(folder)
    assert sorted(r.partition_key for r in baseline.run_requests) == ["2023", "2024", "2024", "2025", "2026"]

    (folder / "2026-guangzhou-hrss.txt").unlink()
    panyu = folder / "2025-guangzhou-panyu-hrss.txt"
    panyu.write_bytes(panyu.read_bytes() + b"\n")
    after = _evaluate(folder, baseline.cursor)
    assert sorted((r.partition_key, r.tags["perfdw/change"]) for r in after.run_requests) == [
        ("2025", "changed"), ("2026", "removed"),
    ]


def test_sensor_skips_a_refused_document_without_requesting_a_run(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    result = _evaluate(folder)
    assert result.run_requests == []


def test_sensor_takes_a_published_workbook_and_pdf_and_names_a_legacy_word_file(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    published = DOCUMENTS.parent.parent / "tests" / "fixtures" / "published"
    # Panyu prints its year in the title, so no catalog entry is needed for the rendered copies.
    for name in ("2025-guangzhou-panyu-hrss.xlsx", "2025-guangzhou-panyu-hrss.pdf", "legacy.doc"):
        shutil.copy(published / name, folder)
    result = _evaluate(folder)
    keys = sorted(request.run_key.split(":")[0] for request in result.run_requests)
    assert keys == ["2025-guangzhou-panyu-hrss.pdf", "2025-guangzhou-panyu-hrss.xlsx"]
    assert {request.partition_key for request in result.run_requests} == {"2025"}
