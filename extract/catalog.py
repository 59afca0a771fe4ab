"""The documents catalog: facts a document doesn't print, and what it must agree with."""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from extract.readers import SUPPORTED_EXTENSIONS
from extract.records import ExtractError

CATALOG_FILE = "catalog.toml"


@dataclass(frozen=True)
class CatalogEntry:
    source_file: str
    department_name: str | None = None
    fiscal_year: int | None = None
    fiscal_year_evidence: str | None = None
    amount_unit: str | None = None
    original_name: str | None = None
    hints: dict[str, str] = field(default_factory=dict)


def entry_facts(entry: CatalogEntry | None) -> str | None:
    """The facts an entry gives its document, as canonical JSON (None: the document has no entry).

    Landed with the document's rows: a document is unchanged only if read with the same facts.
    """
    if entry is None:
        return None
    facts = {name: value for name, value in asdict(entry).items() if name != "source_file" and value not in (None, {})}
    return json.dumps(facts, ensure_ascii=False, sort_keys=True)


_FIELDS = {"department_name", "fiscal_year", "fiscal_year_evidence", "amount_unit", "original_name", "hints"}


def load_catalog(documents_dir: Path) -> dict[str, CatalogEntry]:
    """Read `catalog.toml` of a documents folder; a folder without one has an empty catalog."""
    path = documents_dir / CATALOG_FILE
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ExtractError(f"catalog is not valid TOML: {error}", source_file=str(path)) from None
    entries: dict[str, CatalogEntry] = {}
    for source_file, facts in data.items():
        if Path(source_file).suffix.lower() not in SUPPORTED_EXTENSIONS:
            raise ExtractError(
                f"catalog entry [{source_file!r}] names no document extract reads; the "
                f"extensions are {', '.join(SUPPORTED_EXTENSIONS)}",
                source_file=str(path),
            )
        unknown = set(facts) - _FIELDS
        if unknown:
            raise ExtractError(
                f"catalog entry [{source_file!r}] has unknown fields {sorted(unknown)}; "
                f"known: {sorted(_FIELDS)}",
                source_file=str(path),
            )
        year = facts.get("fiscal_year")
        if year is not None and not isinstance(year, int):
            raise ExtractError(
                f"catalog entry [{source_file!r}]: fiscal_year must be a number, got {year!r}",
                source_file=str(path),
            )
        entries[source_file] = CatalogEntry(
            source_file=source_file,
            department_name=facts.get("department_name"),
            fiscal_year=year,
            fiscal_year_evidence=facts.get("fiscal_year_evidence"),
            amount_unit=facts.get("amount_unit"),
            original_name=facts.get("original_name"),
            hints={key: str(value) for key, value in facts.get("hints", {}).items()},
        )
    return entries
