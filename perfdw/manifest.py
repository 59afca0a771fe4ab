"""What the dbt manifest says about the marts: the one list of what is published."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from perfdw.publish import PUBLISHED_SCHEMA


class UnreadableManifest(ValueError):
    """A manifest file that is not JSON: a dbt parse interrupted while writing it."""


def read_manifest(manifest_path: Path) -> dict[str, Any]:
    """The parsed manifest, read once per version of the file: a load asks it several questions
    (the published marts, the per-year models, the grouped checks), and each parse of its 2 MB
    took 0.1–0.2 s. Shared by every caller: read it, never change it."""
    path = Path(manifest_path).resolve()
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _parsed(path: Path, mtime_ns: int, size: int) -> dict[str, Any]:  # noqa: ARG001 - the cache key
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableManifest(
            f"{path}: not a readable dbt manifest ({error}); delete it and load again"
        ) from error


def _models(manifest_path: Path) -> list[dict]:
    return [node for node in read_manifest(manifest_path)["nodes"].values() if node["resource_type"] == "model"]


def published_models(manifest_path: Path) -> list[str]:
    """Every model dbt builds in the published schema, by name."""
    return sorted(node["name"] for node in _models(manifest_path) if node["config"].get("schema") == PUBLISHED_SCHEMA)


def per_year_models(manifest_path: Path) -> list[str]:
    """The published models built one fiscal year at a time (dbt tag `per_year`)."""
    return sorted(node["name"] for node in _models(manifest_path)
                  if node["config"].get("schema") == PUBLISHED_SCHEMA and "per_year" in node["tags"])


def contract_columns(manifest_path: Path) -> dict[str, list[str]]:
    """Each published model's columns as its YAML declares them (the enforced contract)."""
    return {
        node["name"]: list(node["columns"])
        for node in _models(manifest_path) if node["config"].get("schema") == PUBLISHED_SCHEMA
    }
