"""Bad documents: one clear line naming the file (and line), a non-zero exit, the rest still lands."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DOCUMENTS
from tests.integration.test_extract_corpus import EXPECTED_PROJECTS, query, run_extract

TIANHE = "2023-guangzhou-tianhe-hrss.txt"
GUANGZHOU = "2026-guangzhou-hrss.txt"


def _truncated_mid_row(documents: Path) -> None:
    text = (DOCUMENTS / GUANGZHOU).read_text(encoding="utf-8").split("\n")
    # Cut line 200 inside its amounts: "广州市市直机关干部心理健康服务项目\t200."
    (documents / "cut.txt").write_text("\n".join(text[:199] + [text[199][:text[199].index(".") + 1]]), encoding="utf-8")


def _damaged_utf8(documents: Path) -> None:
    data = (DOCUMENTS / TIANHE).read_bytes()
    line_13 = data.index("劳动仲裁经费".encode())
    (documents / "damaged.txt").write_bytes(data[:line_13] + b"\xe5\xb0" + data[line_13 + 3:])


def _catalog_contradiction(documents: Path) -> None:
    catalog = documents / "catalog.toml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("fiscal_year = 2026", "fiscal_year = 2025"), encoding="utf-8"
    )


def _no_year(documents: Path) -> None:
    shutil.copy(DOCUMENTS / TIANHE, documents / "tianhe-copy-no-catalog.txt")
    # Same content as a catalogued document would also be refused; make it a distinct document.
    with open(documents / "tianhe-copy-no-catalog.txt", "a", encoding="utf-8") as f:
        f.write("\n")


CASES = {
    "empty": (lambda d: (d / "empty.txt").write_bytes(b""), "empty.txt", "empty file", None),
    "binary": (lambda d: (d / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "scan.txt", "binary file", 3),
    "wrong encoding": (_damaged_utf8, "damaged.txt", "invalid UTF-8", 13),
    "unknown layout": (
        lambda d: (d / "notes.txt").write_text("会议纪要\n\n今天讨论了预算。\n", encoding="utf-8"),
        "notes.txt", "unknown layout", 1,
    ),
    "unknown template": (
        lambda d: (d / "evaluation.txt").write_text(
            "2024年项目绩效评价表\n指标名称\t考核要点\t指标值\n培训人数\t按计划\t100人\n", encoding="utf-8"
        ),
        "evaluation.txt",
        "header cells mapped: '指标名称'→indicator_name, '指标值'→annual_target; not in the vocabulary: '考核要点'",
        1,
    ),
    "truncated": (_truncated_mid_row, "cut.txt", "", 200),
    "contradicts catalog": (_catalog_contradiction, GUANGZHOU, "contradicts the catalog", None),
    "no fiscal year": (_no_year, "tianhe-copy-no-catalog.txt", "fiscal year can't be determined", None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_document_is_refused_and_the_others_still_land(case, tmp_path):
    make_bad, bad_file, message, line = CASES[case]
    documents, home = tmp_path / "docs", tmp_path / "home"
    shutil.copytree(DOCUMENTS, documents)
    make_bad(documents)

    result = run_extract(home, documents)

    assert result.returncode == 1
    errors = [l for l in result.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == 1, result.stderr
    location = f"{bad_file}:{line}:" if line else f"{bad_file}:"
    assert location in errors[0] and message in errors[0], errors[0]
    landed = dict(query(home, "select source_file, count(*) from raw.budget_rows where row_kind = 'project' group by 1"))
    expected = {name: n for name, n in EXPECTED_PROJECTS.items() if name != bad_file}
    assert landed == expected
    assert query(home, "select count(*) from raw.documents where source_file = ?", [bad_file]) == [(0,)]


def test_a_bad_new_version_leaves_the_previous_good_rows_whole(tmp_path):
    documents, home = tmp_path / "docs", tmp_path / "home"
    shutil.copytree(DOCUMENTS, documents)
    assert run_extract(home, documents).returncode == 0
    before = query(home, "select * from raw.budget_rows where source_file = ? order by source_line", [GUANGZHOU])
    text = (documents / GUANGZHOU).read_text(encoding="utf-8").split("\n")
    (documents / GUANGZHOU).write_text("\n".join(text[:199] + [text[199][:50]]), encoding="utf-8")

    result = run_extract(home, documents)

    assert result.returncode == 1 and f"{GUANGZHOU}:200: cut off?" in result.stderr
    assert query(home, "select * from raw.budget_rows where source_file = ? order by source_line", [GUANGZHOU]) == before


def test_missing_documents_folder_is_one_clear_error(tmp_path):
    result = run_extract(tmp_path / "home", tmp_path / "nowhere")
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: documents folder not found: {tmp_path / 'nowhere'}"


def test_a_folder_without_documents_is_one_clear_error_and_leaves_the_warehouse_whole(tmp_path):
    """A load removes the documents that left its folder: an empty folder (a wrong path, a share
    not mounted) must not empty the warehouse."""
    from extract.readers import SUPPORTED_EXTENSIONS

    documents, home = tmp_path / "docs", tmp_path / "home"
    shutil.copytree(DOCUMENTS, documents)
    assert run_extract(home, documents).returncode == 0
    before = query(home, "select source_file, sha256 from raw.documents order by 1")
    for path in documents.iterdir():
        if path.suffix in SUPPORTED_EXTENSIONS:
            path.unlink()
    (documents / "notes.md").write_text("not a document", encoding="utf-8")

    result = run_extract(home, documents)

    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"error: no documents in {documents}: no file ending in .txt .pdf ")
    loaded = [path for path in DOCUMENTS.iterdir() if path.suffix in SUPPORTED_EXTENSIONS]
    assert query(home, "select source_file, sha256 from raw.documents order by 1") == before
    assert len(before) == len(loaded) > 0
