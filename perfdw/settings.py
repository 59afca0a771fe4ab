"""The warehouse's tunable figures, each kept once as a dbt var in dbt_project.yml (and the
engines' connection settings, in profiles.yml).

dbt's models use them as `var(...)`; the extract step and the validation suites read them here,
so a figure changed in dbt_project.yml changes everywhere. A leaf module: stdlib and PyYAML
(which dbt itself installs) only, so any layer may import it.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project.yml"
DBT_PROFILES = DBT_PROJECT.with_name("profiles.yml")


@cache
def dbt_vars(project: Path = DBT_PROJECT) -> dict[str, object]:
    """The `vars:` of dbt_project.yml."""
    content = yaml.safe_load(project.read_text(encoding="utf-8")) or {}
    return dict(content.get("vars") or {})


def profile_output(target: str, profiles: Path = DBT_PROFILES) -> dict[str, object]:
    """One output (an engine's connection settings) of the `perfdw` profile in profiles.yml, as written."""
    return dict(yaml.safe_load(profiles.read_text(encoding="utf-8"))["perfdw"]["outputs"][target])


def decimal_var(name: str, project: Path = DBT_PROJECT) -> Decimal:
    """A numeric var as an exact decimal (YAML reads 0.05 as a float; its shortest repr is exact)."""
    values = dbt_vars(project)
    if name not in values or isinstance(values[name], bool) or not isinstance(values[name], (int, float, str)):
        raise KeyError(f"{project}: vars.{name} must be set to a number (got {values.get(name)!r})")
    return Decimal(str(values[name]))


def reconciliation_tolerance_wan() -> Decimal:
    """How far (万元) a printed check sum may be from the sum of its rows: rounding, not an error."""
    return decimal_var("reconciliation_tolerance_wan")


def year_on_year_change_threshold_pct() -> Decimal:
    """A unit's total that moves more than this many percent from one year to the next is flagged."""
    return decimal_var("year_on_year_change_threshold_pct")


def published_drift_threshold_pct() -> Decimal:
    """A reloaded year's count or total that moves more than this many percent from the published copy is flagged."""
    return decimal_var("published_drift_threshold_pct")


def indicator_mix_drift_threshold_points() -> Decimal:
    """A level-1 indicator category's share that moves more than this many percentage points is flagged."""
    return decimal_var("indicator_mix_drift_threshold_points")
