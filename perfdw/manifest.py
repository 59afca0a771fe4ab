"""What the dbt manifest says about the marts: the one list of what is published."""

from __future__ import annotations

import json
from pathlib import Path

from perfdw.publish import PUBLISHED_SCHEMA


def _models(manifest_path: Path) -> list[dict]:
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    return [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]


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
