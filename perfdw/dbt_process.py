"""`perfdw-dbt`: dbt's own command line, in a process that leaves dbt's imports and its exit out
of the cycle collector's passes (perfdw.collector). Every dbt the pipeline starts is this one
(perfdw.dbt.dbt_executable); arguments, output and exit code are dbt's."""

from __future__ import annotations

from perfdw import collector


def main() -> None:
    from dbt.cli.main import cli

    collector.settle()
    try:
        # click's standalone mode ends with SystemExit carrying dbt's exit code; dbt's messages
        # name the program as dbt's own command line does.
        cli(prog_name="dbt")
    finally:
        collector.skip_exit_passes()
