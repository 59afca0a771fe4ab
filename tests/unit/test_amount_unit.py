"""The amount unit is read wherever the document prints it; else the catalog says; else an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.catalog import CatalogEntry
from extract.document import extract_document
from extract.records import ExtractError
from tests.conftest import DOCUMENTS

TIANHE = "2023-guangzhou-tianhe-hrss.txt"
HEADER = "项目名称（资金使用单位）\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标"


def tianhe(tmp_path: Path, unit_line: str | None, header: str = HEADER) -> Path:
    """The Tianhe table with its 单位：万元 lines replaced (or blanked) and its header rewritten."""
    lines = (DOCUMENTS / TIANHE).read_text(encoding="utf-8").split("\n")
    assert "单位：万元" in lines and HEADER in lines
    lines = [(unit_line or "") if line == "单位：万元" else header if line == HEADER else line for line in lines]
    path = tmp_path / "tianhe.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def entry(amount_unit: str | None) -> CatalogEntry:
    return CatalogEntry("tianhe.txt", fiscal_year=2023, amount_unit=amount_unit)


def test_a_document_that_prints_no_unit_takes_the_catalogs(tmp_path):
    doc = extract_document(tianhe(tmp_path, None), entry("万元"))
    assert doc.parsed.amount_unit == "万元"
    assert {row.amount_unit for row in doc.parsed.rows} == {"万元"}


def test_no_unit_printed_and_none_in_the_catalog_is_one_clear_error(tmp_path):
    with pytest.raises(ExtractError, match=r"^tianhe\.txt: amount unit can't be determined"):
        extract_document(tianhe(tmp_path, None), entry(None))


def test_a_unit_printed_in_the_column_header_is_read(tmp_path):
    header = HEADER.replace("\t总计\t", "\t总计（万元）\t")
    doc = extract_document(tianhe(tmp_path, None, header), entry(None))
    assert doc.parsed.amount_unit == "万元"
    assert {row.amount_unit for row in doc.parsed.rows} == {"万元"}


def test_a_printed_unit_that_contradicts_the_catalog_stays_an_error(tmp_path):
    with pytest.raises(ExtractError, match="amounts printed in 元 but the catalog entry says 万元"):
        extract_document(tianhe(tmp_path, "单位：元"), entry("万元"))
