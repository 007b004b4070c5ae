"""Live-preview latency: time from saving a content file to the preview serving the change.

    .venv/bin/python bench/preview_bench.py [--runs 7]

Starts `build.py serve` on a copy of the shipped content, then, for each run, appends a marker to
remerciements.md and polls the issue page over HTTP until the marker appears (target: well under 2 s).
The poll interval (20 ms) bounds the resolution. MkDocs' file watcher itself waits for writes to settle.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait(url: str, needle: str, limit: float = 30) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        try:
            if needle in _get(url):
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"{needle!r} never appeared at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [
                sys.executable,
                "build.py",
                "serve",
                "--content",
                str(content),
                "--port",
                str(port),
                "--cache-dir",
                str(Path(tmp) / "cache"),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/bulletins/2017-11/"
            _wait(url, "Faits saillants", 60)
            time.sleep(3)  # let the first background PDF finish, as an author would not save in the first second
            target = content / "bulletins/2017-11/remerciements.md"
            latencies = []
            for run in range(args.runs):
                marker = f"Marqueur{run}"
                target.write_text(target.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
                latencies.append(_wait(url, marker))
                time.sleep(1.5)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"runs: {args.runs}")
    print(
        f"save -> change served, median: {statistics.median(latencies):.2f} s "
        f"(min {min(latencies):.2f}, max {max(latencies):.2f})"
    )


if __name__ == "__main__":
    main()
