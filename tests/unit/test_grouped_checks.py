"""Which data tests a single_table_checks group runs in a load, and which keep their own node."""

from __future__ import annotations

from perfdw.grouped_checks import groups

TABLE = "model.perfdw.fct_x"


def _test(name: str, parents=(TABLE,), kind="not_null", kwargs=None, **config) -> dict:
    return {
        "name": name, "resource_type": "test", "depends_on": {"nodes": list(parents)},
        "test_metadata": {"name": kind, "kwargs": {"model": "{{ get_where_subquery(ref('fct_x')) }}", **(kwargs or {})}},
        "config": {"enabled": True, "severity": "ERROR", "fail_calc": "count(*)", "error_if": "!= 0",
                   "warn_if": "!= 0", "limit": None, "store_failures": None, **config},
    }


def _manifest(*tests: dict) -> dict:
    return {"nodes": {f"test.perfdw.{t['name']}": t for t in tests}}


def test_a_group_runs_its_tables_plain_checks_and_leaves_the_others():
    manifest = _manifest(
        _test("single_table_checks_fct_x_", kind="single_table_checks"),
        _test("not_null_fct_x_a", kwargs={"column_name": "a"}),
        _test("accepted_values_fct_x_b", kind="accepted_values", kwargs={"values": ["p", "q"]}, where="b <> ''"),
        _test("warned", severity="warn"),
        _test("threshold", error_if=">10"),
        _test("stored", store_failures=True),
        _test("limited", limit=5),
        _test("two_tables", parents=(TABLE, "model.perfdw.dim_y"), kind="relationships"),
        _test("same_table_ref", kind="relationships", kwargs={"to": "ref('fct_x')", "field": "id"}),
        _test("jinja_argument", kind="expression_is_true", kwargs={"expression": "a * {{ factor() }} = b"}),
        _test("other_table", parents=("model.perfdw.dim_y",)),
        _test("disabled", enabled=False),
    )
    assert groups(manifest) == {"single_table_checks_fct_x_": ["accepted_values_fct_x_b", "not_null_fct_x_a"]}


def test_a_table_without_a_group_keeps_every_check_as_its_own_node():
    assert groups(_manifest(_test("not_null_fct_x_a"))) == {}
