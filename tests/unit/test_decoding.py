from __future__ import annotations

import pytest

from extract.decoding import decode_document
from extract.records import ExtractError

# A real row of the Tianhe document (2023-guangzhou-tianhe-hrss.txt, line 11).
ROW = "广州市天河区人力资源和社会保障局\t31,422.84\t31,422.84\t\t\t\t"


def test_utf8_with_and_without_bom_and_crlf_decode_to_the_same_lines():
    text = f"项目支出绩效目标表\n{ROW}\n"
    plain = decode_document(text.encode("utf-8"))
    bom = decode_document(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert plain.lines == bom.lines == ["项目支出绩效目标表", ROW]
    assert (plain.encoding, bom.encoding) == ("utf-8", "utf-8-sig")


def test_gb18030_document_decodes():
    decoded = decode_document(f"合计\t57,849.59\n{ROW}\n".encode("gb18030"))
    assert decoded.encoding == "gb18030"
    assert decoded.lines[1] == ROW


def test_line_numbers_are_kept_when_the_file_has_no_final_newline():
    assert decode_document("a\n\nb".encode()).lines == ["a", "", "b"]


@pytest.mark.parametrize("data", [b"", b"\n\n  \r\n"])
def test_empty_file_is_refused(data):
    with pytest.raises(ExtractError, match="empty file"):
        decode_document(data)


def test_binary_file_is_refused_with_the_line_of_the_nul_byte():
    with pytest.raises(ExtractError, match="binary file") as caught:
        decode_document("标题\n第二行\n".encode() + b"\x00\x01PK")
    assert caught.value.line_no == 3


def test_damaged_utf8_is_refused_not_read_as_gb18030():
    data = f"项目支出绩效目标表\n{ROW}\n".encode() + b"\xe5\xb0\n"
    with pytest.raises(ExtractError, match="invalid UTF-8") as caught:
        decode_document(data)
    assert caught.value.line_no == 3


def test_bytes_that_are_neither_utf8_nor_gb18030_are_refused():
    with pytest.raises(ExtractError, match="neither UTF-8 nor GB18030") as caught:
        decode_document(b"ascii line\n\xff\xff\xff\n")
    assert caught.value.line_no == 2


def test_control_characters_are_refused_with_their_line():
    with pytest.raises(ExtractError, match="control character") as caught:
        decode_document(f"{ROW}\nx\x07y\n".encode())
    assert caught.value.line_no == 2


@pytest.mark.parametrize(
    ("data", "line_no"),
    [
        (b"a\r\nb\r\rc\n", 2),  # a CR left inside a line once its CRLF ending is removed
        (b"a\nb\rc\n", 2),  # a lone CR is no line end
        (b"a\n\x0bb\r\n", 2),  # a vertical tab
        (b"a\x1f\n", 1),
    ],
)
def test_a_control_character_inside_a_line_is_refused_with_its_line(data, line_no):
    with pytest.raises(ExtractError, match="control character") as caught:
        decode_document(data)
    assert caught.value.line_no == line_no


@pytest.mark.parametrize("data", [b"a\r\nb\tc\r\n", b"a\r\nb\r", b"a\nb"])
def test_line_ends_and_tabs_are_no_control_characters(data):
    assert decode_document(data).lines[0] == "a"


def test_a_form_feed_is_a_page_break_not_a_control_character():
    # pdftotext -layout writes one between pages: the text reader makes it a page break.
    assert decode_document(b"a\n\x0cb\n").lines == ["a", "\x0cb"]
