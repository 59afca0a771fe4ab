"""Which fiscal years the documents sensor loads: one load per year whose documents in the folder
differ from those published, with keys that neither repeat a load nor miss a change."""

from __future__ import annotations

import shutil

from orchestration.defs.document_watch import scan_documents, years_to_load
from tests.conftest import DOCUMENTS

A, B, C = "a" * 64, "b" * 64, "c" * 64


def test_nothing_to_load_when_the_folder_is_what_was_published():
    state = {"x.txt": [A, 2024, None], "y.txt": [B, 2025, None]}
    assert years_to_load(state, {2024: {"x.txt": A}, 2025: {"y.txt": B}}) == []


def test_a_burst_in_one_year_is_one_load_naming_every_difference():
    published = {2024: {"x.txt": A, "y.txt": B}, 2025: {"z.txt": C}}
    state = {"x2.txt": [A, 2024, None], "w.txt": ["d" * 64, 2024, None], "z.txt": [C, 2025, None]}
    [load] = years_to_load(state, published)
    assert load.fiscal_year == 2024
    assert load.differences == ["new w.txt", "new x2.txt", "removed x.txt", "removed y.txt"]


def test_the_last_document_of_a_year_removed_still_loads_that_year():
    [load] = years_to_load({}, {2023: {"x.txt": A}})
    assert (load.fiscal_year, load.differences) == (2023, ["removed x.txt"])


def test_keys_repeat_for_the_same_situation_and_change_when_the_year_returns_to_an_earlier_version():
    first = years_to_load({"x.txt": [B, 2024, None]}, {2024: {"x.txt": A}})[0].run_key
    again = years_to_load({"x.txt": [B, 2024, None]}, {2024: {"x.txt": A}})[0].run_key
    assert first == again
    back = years_to_load({"x.txt": [A, 2024, None]}, {2024: {"x.txt": B}})[0].run_key
    assert back != first
    assert years_to_load({"x.txt": [A, 2024, None]}, {2024: {"x.txt": A}}) == []


def test_a_refused_document_with_a_catalog_year_comes_with_its_years_load_and_alone_requests_nothing(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    shutil.copy(DOCUMENTS / "2025-guangzhou-panyu-hrss.txt", folder)
    (folder / "broken.txt").write_bytes(b"\x00\x01 not a document")
    (folder / "catalog.toml").write_text(
        '["broken.txt"]\ndepartment_name = "某局"\nfiscal_year = 2025\namount_unit = "万元"\n', encoding="utf-8"
    )
    changes, state = scan_documents(folder, {})
    refused = [c for c in changes if c.change == "refused"]
    assert [(c.source_file, c.fiscal_year) for c in refused] == [("broken.txt", 2025)]
    assert "broken.txt" in refused[0].reason
    [load] = years_to_load(state, {})
    assert (load.fiscal_year, load.differences) == (2025, ["new 2025-guangzhou-panyu-hrss.txt", "refused broken.txt"])
    panyu = state["2025-guangzhou-panyu-hrss.txt"][0]
    assert years_to_load(state, {2025: {"2025-guangzhou-panyu-hrss.txt": panyu}}) == []


def test_an_unchanged_file_is_not_parsed_again(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    shutil.copy(DOCUMENTS / "2025-guangzhou-panyu-hrss.txt", folder)
    _, state = scan_documents(folder, {})
    # A cached year that parsing would contradict shows the cache was used.
    cached = {"2025-guangzhou-panyu-hrss.txt": [state["2025-guangzhou-panyu-hrss.txt"][0], 1999, None]}
    changes, again = scan_documents(folder, cached)
    assert changes == [] and again == cached


def test_a_year_whose_readable_documents_are_published_has_nothing_to_load_despite_a_refused_one():
    state = {"x.txt": [B, 2024, None], "bad.txt": [C, 2024, "bad.txt:1: binary file"]}
    [load] = years_to_load(state, {2024: {"x.txt": A}})
    assert load.differences == ["refused bad.txt", "changed x.txt"]
    # The load failed naming bad.txt and published x.txt: the year is done until something changes.
    assert years_to_load(state, {2024: {"x.txt": B}}) == []
