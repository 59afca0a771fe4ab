"""Each reader on the rendered fixtures: positions, spans, displayed values, charsets, and the
refusals that name what is wrong. Expected cells were read off the bundled .txt (line n is row
n, field k column k, as tests/fixtures/published/README.md describes the renders)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from extract.cells import Cell, CellDocument, document_rows
from extract.readers import SUPPORTED_EXTENSIONS, read_document
from extract.readers.html import decode
from extract.readers.number_format import display_number
from extract.readers.text import read as read_text
from extract.records import ExtractError
from tests.conftest import DOCUMENTS, REPO, document_lines

PUBLISHED = REPO / "tests" / "fixtures" / "published"
TIANHE = "2023-guangzhou-tianhe-hrss"
PANYU = "2025-guangzhou-panyu-hrss"
HEADER = ("项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标")


def read(name: str) -> CellDocument:
    path = PUBLISHED / name
    return read_document(path, path.read_bytes())


def cells_of(document: CellDocument) -> list[Cell]:
    return [cell for page in document.pages for cell in page.cells or []]


def text_cells(name: str) -> dict[tuple[int, int], str]:
    """(line, field) → text of every non-empty field of a bundled .txt."""
    return {
        (number, col): text.strip()
        for number, line in enumerate(document_lines(name), start=1)
        for col, text in enumerate(line.split("\t"), start=1)
        if text.strip()
    }


def test_one_list_of_extensions_names_every_format():
    assert {".txt", ".pdf", ".xlsx", ".xls", ".docx", ".html", ".htm", ".doc", ".wps"} <= set(
        SUPPORTED_EXTENSIONS
    )


def test_a_text_files_form_feed_breaks_the_page_and_keeps_the_line_numbers():
    document = read_text("标题\n正文\n\x0c第二页\n末行\n\x0c".encode())
    assert [page.name for page in document.pages] == ["page 1", "page 2", "page 3"]
    rows = document_rows(document)
    assert [(row.number, row.text) for row in rows] == [(1, "标题"), (2, "正文"), (3, "第二页"), (4, "末行"), (5, "")]
    assert rows[2].location is None  # a text file's row is located by its line number


@pytest.mark.parametrize("name", [f"{TIANHE}.xlsx", f"{PANYU}.xlsx", f"{PANYU}.xls"])
def test_a_workbook_holds_every_field_of_the_text_in_its_row_and_column(name):
    document = read(name)
    (sheet,) = document.pages
    cells = {(cell.row, cell.col): cell.text for cell in sheet.cells}
    assert cells == text_cells(f"{Path(name).stem}.txt")
    by_place = {(cell.row, cell.col): cell for cell in sheet.cells}
    assert by_place[(7, 1)].location == f"{sheet.name}!A7"


@pytest.mark.parametrize("name", [f"{TIANHE}.xlsx", f"{PANYU}.xls"])
def test_a_workbooks_merged_title_is_one_cell_spanning_the_table(name):
    title = next(cell for cell in cells_of(read(name)) if "项目支出绩效目标表" in cell.text)
    assert (title.rowspan, title.colspan) == (1, len(HEADER))


def test_a_workbook_shows_numbers_with_their_number_format(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row, (value, number_format) in enumerate(
        [(57849.59, "#,##0.00"), (12.3, "0.00"), (0.955, "0.0%"), (-5, "#,##0.00;[Red]-#,##0.00"),
         (77000, '0.00"元"'), (Decimal("2.675"), "0.00"), (100, "General")],
        start=1,
    ):
        sheet.cell(row, 1, value).number_format = number_format
    sheet.merge_cells("B1:C2")
    sheet["B1"] = "合并"
    path = tmp_path / "numbers.xlsx"
    book.save(path)
    cells = cells_of(read_document(path, path.read_bytes()))
    assert [cell.text for cell in cells if cell.col == 1] == [
        "57,849.59", "12.30", "95.5%", "-5.00", "77000.00元", "2.68", "100"
    ]
    merged = next(cell for cell in cells if cell.col == 2)
    assert (merged.text, merged.rowspan, merged.colspan, merged.location) == ("合并", 2, 2, "Sheet!B1")


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [(1234567.891, "#,##0.00", "1,234,567.89"), (0.5, "0%", "50%"), (3, "0.000", "3.000"), (2.5, "@", "2.5")],
)
def test_number_formats_round_half_up_and_group_thousands(value, number_format, shown):
    assert display_number(value, number_format) == shown


@pytest.mark.parametrize("name", [f"{TIANHE}.html", f"{TIANHE}.docx"])
def test_a_two_row_column_header_keeps_its_spans(name):
    cells = cells_of(read(name))
    group = next(cell for cell in cells if cell.text == "资金来源")
    assert (group.rowspan, group.colspan) == (1, 3)
    name_cell = next(cell for cell in cells if cell.text == HEADER[0])
    assert (name_cell.rowspan, name_cell.colspan, name_cell.col) == (2, 1, 1)
    below = [cell.text for cell in cells if cell.row == name_cell.row + 1][:3]
    assert below == list(HEADER[2:5])
    assert [cell.col for cell in cells if cell.row == name_cell.row + 1][:3] == [3, 4, 5]


def test_a_gbk_page_is_read_in_its_declared_charset():
    data = (PUBLISHED / f"{TIANHE}.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, encoding = decode(data)
    assert encoding == "gb18030" and "广州市天河区人力资源和社会保障局" in text
    assert read(f"{TIANHE}.html").encoding == "gb18030"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("<html><body>表</body></html>".encode("utf-8"), "utf-8"),
        ("<html><body>表</body></html>".encode("gb18030"), "gb18030"),  # no charset declared
        (b"\xef\xbb\xbf" + "<p>表</p>".encode("utf-8"), "utf-8-sig"),
    ],
)
def test_an_undeclared_charset_is_read_from_the_bytes(data, encoding):
    assert decode(data) == (data.decode(encoding), encoding)


def test_a_pdf_cell_is_read_from_its_ruled_box_with_wrapped_lines_joined():
    document = read(f"{TIANHE}.pdf")
    assert len(document.pages) > 1
    cells = cells_of(document)
    fields = set(text_cells(f"{TIANHE}.txt").values())
    # Every text of a PDF cell is a field of the text file: long goals wrapped over several
    # lines inside their box came back as one.
    assert {cell.text for cell in cells} <= fields
    longest = max(fields, key=len)
    assert longest in {cell.text for cell in cells}
    header = [cell for cell in cells if cell.text in HEADER]
    assert header and all(cell.location.startswith("page ") for cell in header)
    first_header_row = min(cell.row for cell in header if cell.location.startswith("page 1 "))
    assert [cell.text for cell in header if cell.row == first_header_row and cell.location.startswith("page 1 ")] == list(HEADER)


def test_a_file_whose_bytes_are_another_format_is_refused_by_name_of_both(tmp_path):
    with pytest.raises(ExtractError, match="contents are a PDF, not what its extension .xlsx says"):
        read_document(tmp_path / "x.xlsx", (PUBLISHED / f"{TIANHE}.pdf").read_bytes())
    with pytest.raises(ExtractError, match="is a zip package"):
        read_document(tmp_path / "x.txt", (PUBLISHED / f"{TIANHE}.xlsx").read_bytes())


def test_text_files_still_read_as_before():
    document = read_document(DOCUMENTS / f"{TIANHE}.txt", (DOCUMENTS / f"{TIANHE}.txt").read_bytes())
    assert [row.text for row in document_rows(document)] == document_lines(f"{TIANHE}.txt")


def _line(text: str, x0: float, top: float) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + 100, "top": top, "bottom": top + 10}


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"orientation": orientation, "x0": x0, "top": top, "x1": x1, "bottom": bottom}


def test_lines_wrapped_inside_one_ruled_box_outside_any_table_stay_one_text():
    from extract.readers.pdf import _boxed_blocks

    box = [_edge("v", 50, 100, 50, 125), _edge("v", 200, 100, 200, 125),
           _edge("h", 50, 100, 200, 100), _edge("h", 50, 125, 200, 125)]
    title = [_line("项目支出绩效目标表（含转", 55, 101), _line("移支付项目）", 55, 112)]
    unboxed = [_line("部门名称：某局", 55, 140), _line("单位：万元", 55, 152)]
    blocks = _boxed_blocks(title + unboxed, box)
    assert [[line["text"] for line in block] for block in blocks] == [
        ["项目支出绩效目标表（含转", "移支付项目）"], ["部门名称：某局"], ["单位：万元"]
    ]
    # A ruling between two lines makes them two boxes.
    split = box + [_edge("h", 50, 111, 200, 111)]
    assert len(_boxed_blocks(title, split)) == 2


def test_the_catalog_takes_every_supported_extension_and_refuses_others(tmp_path):
    from extract.catalog import load_catalog

    (tmp_path / "catalog.toml").write_text(
        '["a.pdf"]\nfiscal_year = 2024\n["b.xlsx"]\namount_unit = "元"\n["c.html"]\nfiscal_year = 2023\n',
        encoding="utf-8",
    )
    assert sorted(load_catalog(tmp_path)) == ["a.pdf", "b.xlsx", "c.html"]
    (tmp_path / "catalog.toml").write_text('["d.numbers"]\nfiscal_year = 2024\n', encoding="utf-8")
    with pytest.raises(ExtractError, match=r"\['d.numbers'\] names no document extract reads"):
        load_catalog(tmp_path)
