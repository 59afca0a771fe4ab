"""`perfdw dagster`: `dagster dev` on a persistent instance that carries the project's settings.

Without DAGSTER_HOME, `dagster dev` keeps run history and sensor cursors in a temporary folder
deleted on exit; with a DAGSTER_HOME of the user's, it ignores the repo's dagster.yaml (run
queue, pools, telemetry). So this command runs it with DAGSTER_HOME = $PERFDW_HOME/dagster unless
the user set one, and applies the repo's dagster.yaml — the one source of those settings — to
the instance folder: written into ours; written into the user's if it has none, else a warning
naming each setting it lacks. The writer lock keeps loads safe either way; the settings keep
them queued instead of waiting on each other.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from perfdw.paths import PROJECT_ROOT, resolve_paths

PROJECT_SETTINGS = PROJECT_ROOT / "dagster.yaml"


def _leaves(settings: dict, prefix: str = "") -> dict[str, Any]:
    leaves: dict[str, Any] = {}
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            leaves.update(_leaves(value, f"{name}."))
        else:
            leaves[name] = value
    return leaves


def missing_settings(project: dict, instance: dict) -> list[str]:
    """Each project setting the instance lacks or sets otherwise: 'key: wanted (yours: …)'."""
    theirs = _leaves(instance)
    return [
        f"{key}: {wanted!r} (yours: {'absent' if key not in theirs else repr(theirs[key])})"
        for key, wanted in _leaves(project).items()
        if theirs.get(key, object()) != wanted
    ]


def _merged(instance: dict, project: dict) -> dict:
    merged = dict(instance)
    for key, value in project.items():
        merged[key] = _merged(merged.get(key) or {}, value) if isinstance(value, dict) else value
    return merged


def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def prepare_instance(dagster_home: Path, chosen_by_user: bool, project_file: Path = PROJECT_SETTINGS) -> list[str]:
    """Apply the project's instance settings to `dagster_home`; return warnings for the user."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    target = dagster_home / "dagster.yaml"
    if not target.exists():
        target.write_text(project_file.read_text(encoding="utf-8"), encoding="utf-8")
        return []
    project, instance = _read(project_file), _read(target)
    missing = missing_settings(project, instance)
    if not missing:
        return []
    if not chosen_by_user:
        # Ours: the repo's settings changed since it was written; keep anything else in it.
        target.write_text(yaml.safe_dump(_merged(instance, project), sort_keys=False), encoding="utf-8")
        return []
    return [
        f"warning: {target} lacks the project's instance settings ({project_file}):",
        *(f"  {line}" for line in missing),
        "  Loads still never fail on each other (they wait for the warehouse's writer lock), but they",
        "  are not queued one at a time. Copy those settings into it, or unset DAGSTER_HOME to use "
        f"{resolve_paths().dagster_home}.",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="perfdw dagster",
        description="dagster dev (webserver and daemon) on a persistent instance; "
        "other arguments go to `dagster dev` (e.g. --port 3000).",
    )
    parser.add_argument("--home", help="warehouse directory (default $PERFDW_HOME or ./warehouse)")
    parser.add_argument("--documents", help="documents folder (default $PERFDW_DOCUMENTS or data/documents)")
    args, dagster_args = parser.parse_known_args(argv)
    paths = resolve_paths(args.home, args.documents)
    chosen = os.environ.get("DAGSTER_HOME")
    dagster_home = Path(chosen).resolve() if chosen else paths.dagster_home
    for line in prepare_instance(dagster_home, chosen_by_user=bool(chosen)):
        print(line, file=sys.stderr, flush=True)
    print(f"dagster: instance {dagster_home}, warehouse {paths.home}, documents {paths.documents}", flush=True)
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home),
           "PERFDW_HOME": str(paths.home), "PERFDW_DOCUMENTS": str(paths.documents)}
    dagster = str(Path(sys.executable).with_name("dagster"))
    # Dagster finds the definitions through pyproject.toml's [tool.dg] from the repo root.
    os.chdir(PROJECT_ROOT)
    os.execve(dagster, [dagster, "dev", *dagster_args], env)
    return 0  # not reached: exec replaces this process


if __name__ == "__main__":
    sys.exit(main())
