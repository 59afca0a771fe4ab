"""What changed in the documents folder, and which fiscal years need a load: the sensor's logic, kept pure."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extract.catalog import load_catalog
from extract.corpus import document_files
from extract.document import extract_document
from extract.records import ExtractError

from perfdw.published_documents import PublishedDocuments


@dataclass(frozen=True)
class DocumentChange:
    source_file: str
    change: str  # new | changed | removed | refused
    sha256: str
    fiscal_year: int | None
    reason: str | None = None  # why a document was refused


# state: source_file → [sha256, fiscal_year or None, why it was refused or None]
State = dict[str, list]


def scan_documents(documents_dir: Path, previous: State) -> tuple[list[DocumentChange], State]:
    """Compare the folder with the previous state; return the changes and the new state.

    A new or changed document's fiscal year is read the way the extract step reads it (printed
    in the document, else the catalog), so a run is requested for the right partition. A
    document that can't be read is reported as refused, with the extractor's reason; it keeps
    the year its catalog entry gives (if any), since the extract of that year will meet it.
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
        entry = catalog.get(path.name)
        try:
            year: int | None = extract_document(path, entry).fiscal_year
            change, reason = ("changed" if old else "new"), None
        except ExtractError as error:
            year, change, reason = (entry.fiscal_year if entry else None), "refused", str(error)
        state[path.name] = [sha256, year, reason]
        changes.append(DocumentChange(path.name, change, sha256, year, reason))
    for source_file, (sha256, year, *_) in previous.items():
        if source_file not in state:
            changes.append(DocumentChange(source_file, "removed", sha256, year))
    return changes, state


@dataclass(frozen=True)
class YearLoad:
    """A fiscal year whose documents differ from what its published marts were built from."""

    fiscal_year: int
    run_key: str
    differences: list[str]  # "new a.txt", "changed b.txt", "removed c.txt", "refused d.txt"


def _digest(files: dict[str, str]) -> str:
    return hashlib.sha256("\n".join(f"{name}\t{sha}" for name, sha in sorted(files.items())).encode()).hexdigest()[:16]


def years_to_load(state: State, published: PublishedDocuments) -> list[YearLoad]:
    """One load per fiscal year whose documents in the folder aren't those published for it.

    The run key is made of the year's documents in the folder and those published, so a burst of
    changes in one year makes one key, the same situation never requests twice (a load that
    failed isn't retried until a document changes), and a year that comes back to an earlier
    set of documents after another was published gets a new key. A document that can't be read
    comes along with its year's changes (its load fails naming it) but requests nothing alone.
    """
    in_folder: dict[int, dict[str, str]] = {}
    refused: set[str] = set()
    for source_file, (sha256, year, *reason) in state.items():
        if year is not None:
            in_folder.setdefault(year, {})[source_file] = sha256
            if reason and reason[0]:
                refused.add(source_file)
    loads = []
    for year in sorted(set(in_folder) | set(published)):
        now, then = in_folder.get(year, {}), published.get(year, {})
        # A document that can't be read is never published: once its year's other documents
        # are (by the load that failed naming it), the year has nothing more to load.
        if {name: sha for name, sha in now.items() if name not in refused} == then:
            continue
        differences = [
            *(f"{'refused' if name in refused else 'changed' if name in then else 'new'} {name}"
              for name in sorted(now) if now[name] != then.get(name)),
            *(f"removed {name}" for name in sorted(set(then) - set(now))),
        ]
        loads.append(YearLoad(year, f"{year}:{_digest(now)}:{_digest(then)}", differences))
    return loads
