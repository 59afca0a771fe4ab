"""Which dbt model each validation suite reads: importable without loading Great Expectations.

The orchestrator attaches each suite's check to its model's asset from this mapping, so the
definitions load without the 5 s import of great_expectations.
"""

SUITE_MODELS = {
    "reconciliation": "rpt_reconciliation",
    "projects": "fct_project_budget",
    "indicators": "fct_performance_indicator",
    "years": "dim_document",
}
