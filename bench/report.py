"""What the benchmarks share: the machine a run was measured on, and writing a
benchmark's section of docs/performance.md between its own markers."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE = ROOT / "docs" / "performance.md"
_HEADER = "# Performance\n\nFigures written by the benchmarks under `bench/`; each section says how to rerun it.\n\n"


def machine() -> dict:
    """The CPU model, cores, system, Python version and date of the run."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "date": dt.date.today().isoformat(),
        "system": f"{platform.system()} {platform.release()}",
    }


def write_section(begin: str, end: str, section: str) -> None:
    """Replace the text between `begin` and `end` in docs/performance.md with
    `section` (which starts with `begin` and ends with `end`), or append it."""
    text = PERFORMANCE.read_text(encoding="utf-8") if PERFORMANCE.exists() else _HEADER
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section.rstrip("\n") + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    from policyc.write import write_text_atomic

    write_text_atomic(PERFORMANCE, text)
