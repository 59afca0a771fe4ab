"""Which data tests a single_table_checks group runs in a load, and which keep their own node."""

from __future__ import annotations

from perfdw.grouped_checks import grouped_check_selectors, groups

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


def test_a_kind_of_check_wholly_grouped_is_selected_by_kind_the_others_by_name():
    manifest = _manifest(
        _test("single_table_checks_fct_x_", kind="single_table_checks"),
        _test("not_null_fct_x_a", kwargs={"column_name": "a"}),
        _test("not_null_fct_x_b", kwargs={"column_name": "b"}),
        _test("expression_is_true_fct_x_plain", kind="expression_is_true", kwargs={"expression": "a > 0"}),
        _test("expression_is_true_fct_x_jinja", kind="expression_is_true", kwargs={"expression": "a * {{ f() }} = b"}),
        _test("expression_is_true_fct_x_warned", kind="expression_is_true", severity="warn", kwargs={"expression": "b > 0"}),
        _test("relationships_fct_x_a", parents=(TABLE, "model.perfdw.dim_y"), kind="relationships"),
    )
    assert grouped_check_selectors(manifest) == ["expression_is_true_fct_x_plain", "test_name:not_null,config.severity:error"]
    # a not_null of a table without a group makes not_null a mixed kind: its grouped ones by name
    manifest["nodes"]["test.perfdw.not_null_dim_y_c"] = _test("not_null_dim_y_c", parents=("model.perfdw.dim_y",))
    assert grouped_check_selectors(manifest) == ["expression_is_true_fct_x_plain", "not_null_fct_x_a", "not_null_fct_x_b"]
    # dbt's test_name: also matches a unit test of that name
    manifest["nodes"].pop("test.perfdw.not_null_dim_y_c")
    manifest["unit_tests"] = {"unit_test.perfdw.fct_x.not_null": {"name": "not_null"}}
    assert grouped_check_selectors(manifest) == ["expression_is_true_fct_x_plain", "not_null_fct_x_a", "not_null_fct_x_b"]
