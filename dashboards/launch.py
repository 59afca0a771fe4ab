"""Start the dashboard: `streamlit run` on localhost over the published copy of a warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().with_name("app.py")


def command(port: int) -> list[str]:
    # Headless: no browser is opened on the server; no usage statistics leave the machine;
    # the viewer toolbar hides developer menus from readers; served code is not edited live.
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--server.fileWatcherType",
        "none",
    ]


def serve(port: int, home: Path) -> int:
    """Serve until interrupted; the app reads $PERFDW_HOME/perfdw.duckdb. Returns the exit code."""
    env = {**os.environ, "PERFDW_HOME": str(Path(home).resolve())}
    with subprocess.Popen(command(port), env=env) as server:
        try:
            return server.wait()
        except KeyboardInterrupt:
            # Ctrl-C reached Streamlit too (same process group): let it finish shutting down.
            return server.wait()
