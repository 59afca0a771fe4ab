"""The manifest is parsed once per version of the file (perfdw.manifest.read_manifest)."""

from __future__ import annotations

import json
import os
import re

import pytest

from perfdw.manifest import UnreadableManifest, published_models, read_manifest
from perfdw.publish import PUBLISHED_SCHEMA


def _write(path, nodes: dict, mtime_ns: int) -> None:
    path.write_text(json.dumps({"nodes": nodes}), encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def _model(name: str) -> dict:
    return {"resource_type": "model", "name": name, "config": {"schema": PUBLISHED_SCHEMA}, "tags": []}


def test_a_manifest_is_parsed_once_and_again_when_the_file_changes(tmp_path):
    manifest = tmp_path / "manifest.json"
    _write(manifest, {"model.p.a": _model("fct_a")}, 1_000_000_000)

    first = read_manifest(manifest)
    assert read_manifest(tmp_path / "." / "manifest.json") is first  # the same file, however named
    assert published_models(manifest) == ["fct_a"]

    # dbt parsed again: same size, a later modification time.
    _write(manifest, {"model.p.b": _model("fct_b")}, 2_000_000_000)
    assert read_manifest(manifest) is not first
    assert published_models(manifest) == ["fct_b"]


def test_a_manifest_cut_short_is_reported_by_its_name(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"nodes": {"model.p.a": ', encoding="utf-8")
    with pytest.raises(UnreadableManifest, match=re.escape(str(manifest.resolve()))):
        read_manifest(manifest)
