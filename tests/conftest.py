from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = REPO / "data" / "documents"


@pytest.fixture(scope="session")
def documents_dir() -> Path:
    return DOCUMENTS


def document_lines(name: str) -> list[str]:
    """A bundled document's lines, as the extract step sees them."""
    from extract.decoding import decode_document

    return decode_document((DOCUMENTS / name).read_bytes()).lines


@pytest.fixture(scope="session")
def published_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One full `perfdw run` per session, shared by every test that reads a built warehouse.
    Treat as read-only; tests that load or publish again work on a copy."""
    from tests.dashboard.published import published_home as load_once

    return load_once(tmp_path_factory)
