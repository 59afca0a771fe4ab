"""Documents as published: each bundled document rendered to .xlsx, .pdf (and .xls, .docx, .html)
lands the same projects, amounts, goals and indicators as from its .txt; bad files are named.

The renders are tests/fixtures/published/ (made by LibreOffice, see its README). Lineage (line
numbers, locations) differs between formats by nature and is left out of the comparison.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from extract.catalog import CatalogEntry, load_catalog
from extract.document import ExtractedDocument, extract_document
from extract.records import ExtractError
from tests.conftest import DOCUMENTS, REPO
from tests.integration.test_extract_corpus import query, run_extract

PUBLISHED = REPO / "tests" / "fixtures" / "published"
CATALOG = load_catalog(DOCUMENTS)
RENDERED = sorted(
    path.name for path in PUBLISHED.iterdir() if (DOCUMENTS / f"{path.stem}.txt").exists()
)
BAD = {
    "encrypted.pdf": "encrypted PDF",
    "scanned.pdf": "no text layer; OCR is not supported",
    "corrupted.xlsx": "corrupted workbook",
    "password.xlsx": "password-protected",
    "no-target-table.xlsx": "no target table",
    "no-table.html": "HTML page without a table",
    "legacy.doc": "legacy binary Word/WPS is not supported: save as .docx or PDF",
}

_ROW_FIELDS = (
    "row_kind", "unit_name", "name", "total", "fiscal", "special_account", "other", "amount_unit",
    "goal_text", "indicator_text", "annual_amount", "cycle_goal_text", "project_type",
    "project_level", "managing_department", "start_year", "end_year", "summary",
)
_ITEM_FIELDS = ("item_no", "level1", "level2", "indicator_name", "cycle_target", "annual_target")
_OVERVIEW_FIELDS = ("section", "label", "value", "unit", "detail")


def entry_for(name: str) -> CatalogEntry | None:
    """The .txt's catalog entry, under the rendered file's name (the catalog is per file)."""
    entry = CATALOG.get(f"{Path(name).stem}.txt")
    return dataclasses.replace(entry, source_file=name) if entry else None


def _fields(records: list, names: tuple[str, ...]) -> list[tuple]:
    return [tuple(getattr(record, name) for name in names) for record in records]


def content(doc: ExtractedDocument) -> dict[str, object]:
    parsed = doc.parsed
    return {
        "department": doc.department_name,
        "fiscal_year": doc.fiscal_year,
        "amount_unit": parsed.amount_unit,
        "rows": _fields(parsed.rows, _ROW_FIELDS),
        "indicators": _fields(parsed.indicators, _ITEM_FIELDS),
        "overview": _fields(parsed.unit_overview, _OVERVIEW_FIELDS),
        "unit_indicators": _fields(parsed.unit_indicators, _ITEM_FIELDS),
    }


def test_every_bundled_document_has_its_xlsx_and_pdf():
    for txt in DOCUMENTS.glob("*.txt"):
        assert {f"{txt.stem}.xlsx", f"{txt.stem}.pdf"} <= set(RENDERED), txt.name


@pytest.mark.parametrize("name", RENDERED)
def test_a_rendered_document_lands_what_its_text_lands(name):
    txt = f"{Path(name).stem}.txt"
    expected = content(extract_document(DOCUMENTS / txt, CATALOG.get(txt)))
    rendered = extract_document(PUBLISHED / name, entry_for(name))
    assert rendered.format == Path(name).suffix.lstrip(".")
    actual = content(rendered)
    for key, value in expected.items():
        if isinstance(value, list):
            assert len(actual[key]) == len(value), key
            for position, (want, got) in enumerate(zip(value, actual[key])):
                assert got == want, f"{key}[{position}]"
        else:
            assert actual[key] == value, key
    assert sum(row.row_kind.value == "project" for row in rendered.parsed.rows) > 0


@pytest.mark.parametrize(("name", "message"), sorted(BAD.items()))
def test_a_bad_file_gets_one_clear_error_naming_it(name, message):
    with pytest.raises(ExtractError) as caught:
        extract_document(PUBLISHED / name, None)
    text = str(caught.value)
    assert text.startswith(f"{name}: ") and message in text
    assert "\n" not in text


def test_a_renamed_file_is_refused_by_its_contents(tmp_path):
    renamed = tmp_path / "table.pdf"
    shutil.copy(PUBLISHED / "2023-guangzhou-tianhe-hrss.xlsx", renamed)
    with pytest.raises(ExtractError, match=r"table\.pdf: the file's contents are a zip package"):
        extract_document(renamed, None)


def test_a_mixed_folder_lands_every_good_document_and_names_every_bad_one(tmp_path):
    documents, home = tmp_path / "documents", tmp_path / "home"
    documents.mkdir()
    for path in [*DOCUMENTS.glob("*.txt"), *PUBLISHED.iterdir()]:
        if path.suffix != ".md":
            shutil.copy(path, documents)
    catalog = (DOCUMENTS / "catalog.toml").read_text(encoding="utf-8")
    for name in RENDERED:
        section = catalog.split(f'["{Path(name).stem}.txt"]', 1)[1].split("\n[", 1)[0]
        catalog += f'\n["{name}"]{section}\n'
    (documents / "catalog.toml").write_text(catalog, encoding="utf-8")

    result = run_extract(home, documents)

    assert result.returncode != 0
    failed = [line for line in result.stdout.splitlines() if line.startswith("  FAILED")]
    assert sorted(line.split()[1].rstrip(":") for line in failed) == sorted(BAD)
    loaded = {
        source_file: projects
        for source_file, projects in query(
            home,
            "select d.source_file, count(*) filter (where b.row_kind = 'project') "
            "from raw.documents d join raw.budget_rows b using (document_id) group by 1",
        )
    }
    good = sorted([path.name for path in DOCUMENTS.glob("*.txt")] + RENDERED)
    assert sorted(loaded) == good
    for name in RENDERED:
        assert loaded[name] == loaded[f"{Path(name).stem}.txt"], name
    # Lineage: a row of a sheet or PDF names where it sits.
    locations = dict(
        query(
            home,
            "select source_file, min(source_location) from raw.budget_rows "
            "where source_file like '2023-guangzhou-tianhe-hrss.%' group by 1",
        )
    )
    assert locations["2023-guangzhou-tianhe-hrss.txt"] is None  # its line number says it
    assert locations["2023-guangzhou-tianhe-hrss.xlsx"].startswith("Sheet")
    assert locations["2023-guangzhou-tianhe-hrss.pdf"].startswith("page ")
    cells = query(
        home,
        "select count(*), count(distinct source_file) from raw.document_cells",
    )[0]
    assert cells[0] > 0 and cells[1] == len(RENDERED)


def test_an_error_inside_a_sheet_names_the_sheet_and_row(tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(PUBLISHED / "2023-guangzhou-tianhe-hrss.xlsx")
    sheet = book.worksheets[0]
    row = next(cells[0].row for cells in sheet.iter_rows() if cells[0].value == "劳动仲裁经费")
    sheet.cell(row, 2).value = "五十八万"  # 总计 as words: not an amount
    damaged = tmp_path / "damaged.xlsx"
    book.save(damaged)
    with pytest.raises(ExtractError) as caught:
        extract_document(damaged, entry_for("2023-guangzhou-tianhe-hrss.xlsx"))
    assert str(caught.value).startswith(f"damaged.xlsx: {sheet.title}!A{row} (row {row}): ")
    assert "五十八万" in str(caught.value)
