"""`perfdw-dbt`: dbt's own command line, in a process that leaves dbt's imports and its exit out
of the cycle collector's passes (perfdw.collector). Every dbt the pipeline starts is this one
(perfdw.dbt.dbt_executable); arguments, output and exit code are dbt's. When a load has a dbt
on standby (perfdw.dbt_standby), the command runs there, its imports already done."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from perfdw import collector


# The folder dbt runs in, when its caller cannot choose (dagster-dbt starts dbt in the project's
# folder): a load's warehouse folder, which its DuckDB file is named relative to (perfdw.dbt).
WORKING_DIR_ENV = "PERFDW_DBT_WORKING_DIR"


def settled_dbt() -> Callable:
    """dbt's command line, imported, with the collector settled after the imports."""
    from dbt.cli.main import cli

    collector.settle()
    return cli


def run_dbt(cli: Callable, args: list[str]) -> int:
    """One dbt command; its exit code."""
    try:
        # click's standalone mode ends with SystemExit carrying dbt's exit code; dbt's messages
        # name the program as dbt's own command line does.
        cli(args=args, prog_name="dbt")
    except SystemExit as exit_:
        code = exit_.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)
        return 1
    return 0


def main() -> int:
    from perfdw.dbt_standby import hand_over

    args = sys.argv[1:]
    folder = os.environ.get(WORKING_DIR_ENV)
    if folder:
        try:
            os.chdir(folder)
        except OSError as error:
            print(f"perfdw-dbt: cannot run dbt in {folder} (${WORKING_DIR_ENV}): {error.strerror}", file=sys.stderr)
            return 2
    code = hand_over(args)
    if code is None:
        code = run_dbt(settled_dbt(), args)
    collector.skip_exit_passes()
    return code
