"""ExtractError crosses process boundaries (documents are parsed in worker processes) whole."""

from __future__ import annotations

import pickle

import pytest

from extract.records import ExtractError


@pytest.mark.parametrize(
    "error",
    [
        ExtractError("empty file"),
        ExtractError("cut off?", 200),
        ExtractError("cut off?", 200, "cut.txt"),
        ExtractError("fiscal year can't be determined", source_file="a.txt"),
    ],
)
def test_an_extract_error_keeps_its_message_line_and_file_through_pickling(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ExtractError
    assert (copy.message, copy.line_no, copy.source_file, str(copy)) == (
        error.message, error.line_no, error.source_file, str(error)
    )
