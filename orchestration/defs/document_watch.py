"""What changed in the documents folder since the last look: the sensor's logic, kept pure."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extract.catalog import load_catalog
from extract.corpus import document_files
from extract.document import extract_document
from extract.records import ExtractError


@dataclass(frozen=True)
class DocumentChange:
    source_file: str
    change: str  # new | changed | removed | refused
    sha256: str
    fiscal_year: int | None
    reason: str | None = None  # why a document was refused

    @property
    def run_key(self) -> str:
        # The content hash makes the key: the same file never triggers twice, a new version does.
        return f"{self.source_file}:{self.change}:{self.sha256}"


# state: source_file → [sha256, fiscal_year or None]
State = dict[str, list]


def scan_documents(documents_dir: Path, previous: State) -> tuple[list[DocumentChange], State]:
    """Compare the folder with the previous state; return the changes and the new state.

    A new or changed document's fiscal year is read the way the extract step reads it (printed
    in the document, else the catalog), so a run is requested for the right partition. A
    document that can't be read is reported as refused, with the extractor's reason.
    """
    catalog = load_catalog(documents_dir) if documents_dir.is_dir() else {}
    files = document_files(documents_dir) if documents_dir.is_dir() else []
    changes: list[DocumentChange] = []
    state: State = {}
    for path in files:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        old = previous.get(path.name)
        if old and old[0] == sha256:
            state[path.name] = old
            continue
        try:
            year: int | None = extract_document(path, catalog.get(path.name)).fiscal_year
            change, reason = ("changed" if old else "new"), None
        except ExtractError as error:
            year, change, reason = None, "refused", str(error)
        state[path.name] = [sha256, year]
        changes.append(DocumentChange(path.name, change, sha256, year, reason))
    for source_file, (sha256, year) in previous.items():
        if source_file not in state:
            changes.append(DocumentChange(source_file, "removed", sha256, year))
    return changes, state
