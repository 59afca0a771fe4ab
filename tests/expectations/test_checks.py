"""Each Great Expectations check fails (or warns) when the warehouse is made wrong in the way it
guards against — tampered with in SQL after a real build of the bundled corpus — and names the
document, unit or year concerned; the untouched warehouse passes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from expectations.report import print_report
from expectations.runner import run_validation
from expectations.suites import RELATION_MODELS, suites
from perfdw import settings
from perfdw.paths import Paths
from tests.expectations.conftest import execute, query

PANYU = "2025-guangzhou-panyu-hrss.txt"
GUANGZHOU = "2026-guangzhou-hrss.txt"


def _lines(lines: list[str], suite: str, *words: str) -> list[str]:
    return [line for line in lines if line.startswith(f"{suite}: ") and all(word in line for word in words)]


def _unit_of(paths: Paths, source_file: str) -> str:
    """The unit with the most projects in a document (read from the facts, not assumed)."""
    return query(
        paths.pipeline_db,
        "select unit_name from marts.fct_project_budget where source_file = ? "
        "group by unit_name order by count(*) desc, unit_name limit 1",
        [source_file],
    )[0][0]


def test_the_untouched_warehouse_passes_with_only_the_registered_discrepancies(paths: Paths):
    summary = run_validation(paths)
    assert summary.success, summary.failures
    assert set(summary.suites) == {"reconciliation", "cross_table", "continuity", "published"}
    # the import-free map the Dagster side reads says what the suites do
    assert {suite.name: suite.relation_model for suite in suites()} == RELATION_MODELS
    assert all(suite["success"] for suite in summary.suites.values())
    # Each registered source discrepancy is named once; nothing else warns.
    registered = query(paths.pipeline_db, "select count(*) from seeds.known_source_discrepancies")[0][0]
    assert len(summary.warnings) == registered
    assert all(w.startswith("reconciliation: registered source discrepancy: ") for w in summary.warnings)
    assert len([w for w in summary.warnings if "广州市工贸技师学院 · fiscal:" in w and "-737.45" in w]) == 1
    # Every figure of every report was compared: all documents, all unit-years.
    assert summary.suites["cross_table"]["rows"] > 0
    assert summary.suites["published"]["rows"] > 0


def test_a_mismatch_in_the_reconciliation_report_fails_naming_the_document_and_unit(paths: Paths):
    unit = _unit_of(paths, PANYU)
    execute(paths.pipeline_db, f"""
        update marts.rpt_reconciliation
        set printed_wan = printed_wan + 1, difference_wan = difference_wan + 1, status = 'mismatch'
        where source_file = '{PANYU}' and unit_name = '{unit}' and amount_column = 'total'
    """)
    summary = run_validation(paths, year=2025)
    assert not summary.success
    assert _lines(summary.failures, "reconciliation", PANYU, unit, "total", "difference +1.00")


def test_facts_that_no_longer_add_up_to_the_printed_subtotal_fail(paths: Paths):
    unit = _unit_of(paths, PANYU)
    execute(paths.pipeline_db, f"""
        update marts.fct_project_budget set total_wan = total_wan + 1
        where project_id = (select min(project_id) from marts.fct_project_budget
                            where source_file = '{PANYU}' and unit_name = '{unit}')
    """)
    summary = run_validation(paths, year=2025)
    assert not summary.success
    printed = _lines(summary.failures, "cross_table", "printed 合计", PANYU, unit, "total_wan", "printed reports")
    assert printed and "(difference -1.00)" in printed[0]
    # dim_document was built from the same projects before they changed: it disagrees too.
    assert _lines(summary.failures, "cross_table", PANYU, "total_wan", "dim_document reports")
    # The rpt_reconciliation table was built before the change: only the cross-table check sees it.
    assert not _lines(summary.failures, "reconciliation")


@pytest.mark.parametrize("extra, passes", [(Decimal(0), True), (Decimal("0.01"), False)])
def test_the_printed_tolerance_is_the_dbt_var(paths: Paths, extra: Decimal, passes: bool):
    """A printed figure off by exactly the tolerance is rounding; a cent more is not."""
    tolerance = settings.reconciliation_tolerance_wan()
    unit = _unit_of(paths, PANYU)
    execute(paths.pipeline_db, f"""
        update marts.rpt_reconciliation set printed_wan = printed_wan + {tolerance + extra}
        where source_file = '{PANYU}' and unit_name = '{unit}' and amount_column = 'fiscal'
    """)
    summary = run_validation(paths, year=2025)
    assert summary.success is passes, summary.failures
    assert bool(_lines(summary.failures, "cross_table", PANYU, unit, "fiscal_wan")) is not passes


@pytest.mark.parametrize(
    "mart, unit_column, column",
    [
        ("mart_spend_by_unit_year", "unit_name", "total_wan"),
        ("mart_yoy_spend", "dimension_value", "project_count"),
        ("mart_indicator_coverage", "unit_name", "indicator_count"),
    ],
)
def test_a_mart_that_disagrees_with_the_facts_fails_naming_it(paths: Paths, mart: str, unit_column: str, column: str):
    unit = _unit_of(paths, GUANGZHOU)
    # As if the mart's SQL had a bug: the view over the built one reports one unit differently.
    execute(
        paths.pipeline_db,
        f"alter view marts.{mart} rename to {mart}_built",
        f"create view marts.{mart} as select * replace ("
        f"  case when {unit_column} = '{unit}' and fiscal_year = 2026 then {column} + 1 else {column} end as {column}"
        f") from marts.{mart}_built",
    )
    summary = run_validation(paths, year=2026)
    assert not summary.success
    named = _lines(summary.failures, "cross_table", "2026", GUANGZHOU, unit, column, f"{mart} reports")
    assert len(named) == 1 and "(difference +1.00)" in named[0]


def test_rows_landed_but_not_in_the_facts_fail_naming_the_document(paths: Paths):
    execute(paths.pipeline_db, f"""
        delete from marts.fct_performance_indicator
        where indicator_id = (select min(indicator_id) from marts.fct_performance_indicator where source_file = '{PANYU}')
    """)
    summary = run_validation(paths, year=2025)
    assert not summary.success
    assert _lines(summary.failures, "cross_table", PANYU, "indicator_count", "raw reports")


def test_a_fiscal_year_landed_but_missing_from_dim_document_fails_naming_the_year(paths: Paths):
    execute(paths.pipeline_db, "delete from marts.dim_document where fiscal_year = 2024")
    summary = run_validation(paths)
    assert not summary.success
    years = _lines(summary.failures, "cross_table", "2024 · document_count: raw reports 2.00, the facts —")
    assert len(years) == 1


def _previous_year_of_2026(paths: Paths) -> None:
    """The 2026 department also in 2025, with the same projects: a year-on-year pair to break."""
    execute(
        paths.pipeline_db,
        "insert into marts.fct_project_budget select * replace ("
        "  2025 as fiscal_year, 'copy-' || project_id as project_id, 'copy-2025' as document_id,"
        "  'copy-2025.txt' as source_file"
        f") from marts.fct_project_budget where source_file = '{GUANGZHOU}'",
        "insert into marts.dim_document select * replace ("
        "  2025 as fiscal_year, 'copy-2025' as document_id, 'copy-2025.txt' as source_file"
        f") from marts.dim_document where source_file = '{GUANGZHOU}'",
    )


def test_the_same_units_and_totals_year_on_year_raise_no_continuity_warning(paths: Paths):
    _previous_year_of_2026(paths)
    summary = run_validation(paths, year=2026)
    assert summary.suites["continuity"]["rows"] > 0
    assert not _lines(summary.warnings, "continuity")


def test_a_unit_and_its_programs_that_vanish_are_warned_about(paths: Paths, capsys: pytest.CaptureFixture):
    _previous_year_of_2026(paths)
    unit = query(
        paths.pipeline_db,
        f"select unit_name from marts.fct_project_budget where source_file = '{GUANGZHOU}' "
        "group by unit_name order by count(*), unit_name limit 1",
    )[0][0]
    # programs only this unit had in 2026, found without the continuity view
    only_its = [name for (name,) in query(
        paths.pipeline_db,
        "select distinct program_name from marts.fct_project_budget as p "
        "where source_file = ? and unit_name = ? and not exists ("
        "  select 1 from marts.fct_project_budget as o "
        "  where o.source_file = p.source_file and o.unit_name <> p.unit_name and o.program_id = p.program_id)",
        [GUANGZHOU, unit],
    )]
    execute(paths.pipeline_db, f"delete from marts.fct_project_budget where source_file = '{GUANGZHOU}' and unit_name = '{unit}'")
    summary = run_validation(paths, year=2026)
    vanished = _lines(summary.warnings, "continuity", "still there", "2026: absent")
    assert [line for line in vanished if f"unit {unit}:" in line]
    assert only_its and all(any(f"program {name}:" in line for line in vanished) for name in only_its)
    print_report(summary)
    report = capsys.readouterr().out
    assert "continuity across years:" in report and f"unit {unit}: 2025:" in report


def test_a_unit_total_that_moves_beyond_the_threshold_is_warned_about(paths: Paths):
    _previous_year_of_2026(paths)
    threshold = settings.year_on_year_change_threshold_pct()
    unit = _unit_of(paths, GUANGZHOU)
    # just beyond the threshold, while another unit moves exactly by it
    other = query(
        paths.pipeline_db,
        f"select unit_name from marts.fct_project_budget where source_file = '{GUANGZHOU}' and unit_name <> ? "
        "group by unit_name order by count(*) desc, unit_name limit 1",
        [unit],
    )[0][0]
    factor_beyond = 1 + (threshold + 1) / 100
    factor_at = 1 + threshold / 100
    execute(
        paths.pipeline_db,
        f"update marts.fct_project_budget set total_wan = total_wan * {factor_beyond} "
        f"where source_file = '{GUANGZHOU}' and unit_name = '{unit}'",
        f"update marts.fct_project_budget set total_wan = total_wan * {factor_at} "
        f"where source_file = '{GUANGZHOU}' and unit_name = '{other}'",
    )
    summary = run_validation(paths, year=2026)
    moved = _lines(summary.warnings, "continuity", "year on year")
    assert len(moved) == 1 and f"unit {unit}:" in moved[0] and f"(+{threshold + 1:.2f}%)" in moved[0]


def test_a_year_not_being_loaded_must_equal_the_published_copy(paths: Paths):
    # The published 2023 differs from the pipeline's: as if loading 2024 had changed 2023.
    execute(paths.published_db, "update marts.fct_project_budget set total_wan = total_wan * 2 where fiscal_year = 2023")
    summary = run_validation(paths, year=2024)
    assert not summary.success
    changed = _lines(summary.failures, "published", "not being loaded", "fiscal year 2023 · total_wan")
    assert len(changed) == 1
    # When every year is loaded, the same difference is drift: a warning, not a failure.
    everything = run_validation(paths)
    assert everything.success, everything.failures
    assert _lines(everything.warnings, "published", "counts and totals", "fiscal year 2023 · total_wan", "-")


def test_a_loaded_year_that_drifts_from_the_published_copy_is_warned_about(paths: Paths, capsys: pytest.CaptureFixture):
    # The published 2024 had every project twice and only 满意度 indicators.
    execute(
        paths.published_db,
        "insert into marts.fct_project_budget select * replace ('again-' || project_id as project_id) "
        "from marts.fct_project_budget where fiscal_year = 2024",
        "update marts.fct_performance_indicator set level1_code = '3' where fiscal_year = 2024",
    )
    summary = run_validation(paths, year=2024)
    assert summary.success, summary.failures
    assert _lines(summary.warnings, "published", "counts and totals", "fiscal year 2024 · project_count", "(-")
    ones, everything = query(
        paths.pipeline_db,
        "select count(*) filter (where level1_code = '1'), count(*) from marts.fct_performance_indicator "
        "where fiscal_year = 2024",
    )[0]
    share = f"{Decimal(ones) * 100 / Decimal(everything):.2f}"
    assert _lines(summary.warnings, "published", "indicator mix", "fiscal year 2024 · level1_1_share_pct",
                  f"published —, now {share}")
    print_report(summary)
    assert "against the last published load:" in capsys.readouterr().out


def test_without_a_published_copy_there_is_nothing_to_compare(paths: Paths):
    paths.published_db.unlink()
    summary = run_validation(paths, year=2024)
    assert summary.success
    assert summary.suites["published"]["skipped"] == "no previous load"
    assert any(note.startswith("published: no previous load") for note in summary.notes)


def test_a_published_copy_that_cannot_be_read_fails_naming_it(paths: Paths):
    paths.published_db.write_bytes(b"not a database")
    summary = run_validation(paths, year=2024)
    assert not summary.success
    assert _lines(summary.failures, "published", f"of {paths.published_db}")
