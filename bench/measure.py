"""One timed run of a public command: wall time, CPU time and peak memory of its process tree."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # user + system of the process and its children
    rss_mib: float  # largest resident set of any process of the tree (ru_maxrss of the waited children)


# As on the officer's machine, Python keeps the compiled bytecode of each module. Some sandboxes set
# PYTHONDONTWRITEBYTECODE, which makes every run recompile this package (about 0.05 s for `check`; MkDocs, installed
# by pip with its bytecode, is not affected): measured runs go without it.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], cwd: Path) -> Run:
    """Run cmd in a fresh process tree; wait4 gives that tree's own CPU time and peak RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode})")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median(runs: list[Run]) -> Run:
    return Run(*(statistics.median(getattr(r, f) for r in runs) for f in ("wall", "cpu", "rss_mib")))


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
