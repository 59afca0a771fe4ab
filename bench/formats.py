"""How fast the readers of published formats are, against a reference reader of the same files.

PDF: pages per second on one core, ours (pdfplumber: cells from ruling lines and character
positions) against poppler's `pdftotext -layout` (C++, text only: the floor). Workbooks: cells
per second, ours (openpyxl/xlrd: displayed values, merged ranges) against python-calamine alone
(Rust, raw values). Both references come with `make bench-formats`, not with `make run`.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from bench.synth import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "published"
# The renderings of the bundled documents; the bad inputs are not read for speed.
_RENDERED = ("*-hrss.pdf", "*-hrss.xlsx", "*-hrss.xls")


def _best_of(repeats: int, call: Callable[[], object]) -> float:
    """The fastest of a few runs: the one least disturbed by other work on a shared machine."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def _pdftotext(path: Path) -> None:
    subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True)


def _calamine_cells(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return sum(
        sum(1 for row in book.get_sheet_by_name(name).to_python() for value in row if value != "")
        for name in book.sheet_names
    )


def measure_formats(fixtures: Path = FIXTURES, repeats: int = 3) -> list[dict]:
    """One row per rendered file: our throughput and the reference's, and their ratio."""
    from extract.readers import read_document

    results = []
    for path in sorted(p for pattern in _RENDERED for p in fixtures.glob(pattern)):
        data = path.read_bytes()
        document = read_document(path, data)
        seconds = _best_of(repeats, lambda: read_document(path, data))
        if path.suffix == ".pdf":
            unit, count = "pages", len(document.pages)
            reference = "pdftotext -layout"
            available = shutil.which("pdftotext") is not None
            reference_s = _best_of(repeats, lambda: _pdftotext(path)) if available else None
        else:
            unit, count = "cells", sum(len(page.cells or []) for page in document.pages)
            reference = "python-calamine"
            available = importlib.util.find_spec("python_calamine") is not None
            reference_s = _best_of(repeats, lambda: _calamine_cells(path)) if available else None
        ours = count / seconds
        theirs = count / reference_s if reference_s else None
        results.append({
            "file": path.name, "unit": unit, "count": count, "ours_per_s": ours,
            "reference": reference, "reference_per_s": theirs,
            "ratio": ours / theirs if theirs else None,
        })
    return results


def format_formats(results: list[dict]) -> str:
    lines = [
        f"{'file':<36} {'unit':<6} {'count':>6} {'ours/s':>10} {'reference':<18} {'ref/s':>10} "
        f"{'ours÷ref':>9}"
    ]
    for row in results:
        reference = f"{row['reference_per_s']:.1f}" if row["reference_per_s"] else "not installed"
        ratio = f"{row['ratio']:.3f}" if row["ratio"] else "–"
        lines.append(
            f"{row['file']:<36} {row['unit']:<6} {row['count']:>6} {row['ours_per_s']:>10.1f} "
            f"{row['reference']:<18} {reference:>10} {ratio:>9}"
        )
    return "\n".join(lines)
