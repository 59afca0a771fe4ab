"""The tunable figures come from dbt_project.yml's vars, the one place dbt also reads them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from extract import document
from perfdw import settings


def test_every_setting_is_the_dbt_var_as_an_exact_decimal():
    vars_ = yaml.safe_load(settings.DBT_PROJECT.read_text(encoding="utf-8"))["vars"]
    assert settings.reconciliation_tolerance_wan() == Decimal(str(vars_["reconciliation_tolerance_wan"]))
    assert settings.year_on_year_change_threshold_pct() == Decimal(str(vars_["year_on_year_change_threshold_pct"]))
    assert settings.published_drift_threshold_pct() == Decimal(str(vars_["published_drift_threshold_pct"]))
    assert settings.indicator_mix_drift_threshold_points() == Decimal(
        str(vars_["indicator_mix_drift_threshold_points"])
    )
    # the extract step's cut-off check uses the same tolerance as the reconciliation downstream
    assert document._ROUNDING == settings.reconciliation_tolerance_wan()


def test_a_float_var_reads_as_the_decimal_written(tmp_path: Path):
    project = tmp_path / "dbt_project.yml"
    project.write_text("vars:\n  tolerance: 0.1\n  threshold: 50\n", encoding="utf-8")
    assert settings.decimal_var("tolerance", project) == Decimal("0.1")
    assert settings.decimal_var("threshold", project) == Decimal(50)


@pytest.mark.parametrize("content", ["vars:\n  other: 1\n", "vars:\n  tolerance: yes\n", "name: x\n"])
def test_a_missing_or_non_numeric_var_is_named(tmp_path: Path, content: str):
    project = tmp_path / "dbt_project.yml"
    project.write_text(content, encoding="utf-8")
    with pytest.raises(KeyError, match="vars.tolerance must be set to a number"):
        settings.decimal_var("tolerance", project)
