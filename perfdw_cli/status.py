"""`perfdw status`: per fiscal year, what is loaded, validated and published."""

from __future__ import annotations

import json
from contextlib import ExitStack

import duckdb

from perfdw.paths import Paths
from perfdw.warehouse_lock import WarehouseLockTimeout, describe_holder, writer_lock


def _json(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def print_status(paths: Paths) -> int:
    if not paths.pipeline_db.exists():
        print(f"nothing loaded yet in {paths.home}: run `perfdw run` (or `make run`)")
        return 0
    held = ExitStack()
    try:
        # Without waiting: even a read-only open would make a load starting now fail on DuckDB's lock.
        held.enter_context(writer_lock(paths.writer_lock, holder="perfdw status", timeout=0))
        con = duckdb.connect(str(paths.pipeline_db), read_only=True)
    except (WarehouseLockTimeout, duckdb.IOException):
        held.close()
        print(f"a load is writing {paths.pipeline_db} right now ({describe_holder(paths.writer_lock)}); "
              "try again when it has finished")
        return 1
    with held, con:
        loaded = con.execute(
            """
            select d.fiscal_year, count(distinct d.document_id),
                   count(b.source_line) filter (where b.row_kind = 'project'),
                   (select count(*) from raw.indicator_items i join raw.documents x using (document_id)
                     where x.fiscal_year = d.fiscal_year)
            from raw.documents d left join raw.budget_rows b using (document_id)
            group by d.fiscal_year order by d.fiscal_year
            """
        ).fetchall()
    validation = _json(paths.validation_summary)
    published = _json(paths.published_json)
    published_years = set()
    if published.get("engine", "duckdb") != "duckdb":
        # Published on a server (perfdw.engines): its publish recorded the years it holds.
        published_years = set(published.get("fiscal_years", []))
    elif paths.published_db.exists():
        with duckdb.connect(str(paths.published_db), read_only=True) as pub:
            published_years = {y for (y,) in pub.execute("select distinct fiscal_year from marts.dim_document").fetchall()}
    print(f"warehouse {paths.home}")
    print(f"{'year':<6} {'documents':>9} {'projects':>9} {'indicators':>10}  {'validation':<12} published")
    for year, documents, projects, indicators in loaded:
        checked = validation.get("fiscal_year") in (None, year) and validation
        status = ("passed" if validation.get("success") else "FAILED") if checked else "not run"
        pub = published.get("published_at", "") if year in published_years else "no"
        print(f"{year:<6} {documents:>9} {projects:>9} {indicators:>10}  {status:<12} {pub}")
    return 0
