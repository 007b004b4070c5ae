"""Live-preview latency: time from saving a content file to the preview serving the change.

    .venv/bin/python bench/preview_bench.py [--rounds 2] [--saves 3] [--issues 120] [--against ../checkout]

Starts `build.py serve` on a copy of the content (the shipped one, or with --issues N the varied archive
of bench/archive.py), waits for the first build and its background work, then, for each save,
appends a marker to the latest issue's remerciements.md and polls that issue's page over HTTP until the
marker appears, and stops the preview. With --change handover (the officer's monthly work in the
register), each save hands one more open project over in the latest month instead (registre/projets/,
as bench/scale_bench.py does), and the page is polled until it differs from what it was before the save
(its key figures count the handover). With --change backdated, each save moves the register's earliest
recorded handover five days earlier (as bench/scale_bench.py does), which changes the figures of years
of issues but maybe no page of the latest one: the save is timed until MkDocs' live-reload endpoint
(what the reader's browser polls to reload the page) reports the rebuilt site. With --against, the
same with the code of another checkout, the two sides taking turns round by round (A B A B: one
preview alive at a time, since each one's background PDFs would slow the other); medians of all saves
and their ratio are printed with the load
average. The poll interval (20 ms) bounds the resolution; MkDocs' file watcher itself waits for
writes to settle (about 0.25 s of each figure).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import archive
from measure import load
from scale_bench import _handover_backdated, _handover_now

ROOT = Path(__file__).resolve().parent.parent


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=90) as response:
        return response.read().decode("utf-8")


def _page(url: str) -> str:
    """The page at url without MkDocs' live-reload call, whose arguments change at every request."""
    return re.sub(r"livereload\([^)]*\)", "", _get(url))


def _wait(url: str, needle: str, limit: float = 120, *, changed_from: str | None = None) -> float:
    """Seconds until the page at url holds needle (or, with changed_from, is no longer that page)."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        try:
            page = _page(url)
            if (page != changed_from and 'id="contenu"' in page) if changed_from is not None else needle in page:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"{needle!r} never appeared at {url}")


class Preview:
    """One `build.py serve` of one checkout on its own copy of the content."""

    def __init__(self, code: Path, content: Path, cache: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.content = content
        self.latest = sorted(p.name for p in (content / "bulletins").iterdir() if p.is_dir())[-1]
        self.root = f"http://127.0.0.1:{port}"
        self.url = f"{self.root}/bulletins/{self.latest}/"
        command = ["build.py", "serve", "--content", str(content), "--port", str(port), "--cache-dir", str(cache)]
        self.server = subprocess.Popen(
            [sys.executable, *command], cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def ready(self) -> None:
        _wait(self.url, 'id="contenu"', 600)

    def save(self, marker: str, change: str = "text") -> float:
        if change == "backdated":
            # Asked with an older epoch, the endpoint answers at once with the site's epoch; asked with
            # that one, it answers when a newer build is visible (MkDocs' own live-reload protocol).
            epoch = _get(f"{self.root}/livereload/0/1")
            register = self._register()
            started = time.perf_counter()
            register.write_text(_handover_backdated(register.read_text(encoding="utf-8")), encoding="utf-8")
            while _get(f"{self.root}/livereload/{epoch}/1") == epoch:
                pass  # the endpoint gave up waiting (60 s): ask again
            return time.perf_counter() - started
        if change == "handover":
            before = _page(self.url)
            register = self._register()
            month = date.fromisoformat(f"{self.latest}-01")
            register.write_text(_handover_now(register.read_text(encoding="utf-8"), month), encoding="utf-8")
            return _wait(self.url, "a changed page", changed_from=before)
        target = self.content / "bulletins" / self.latest / "remerciements.md"
        target.write_text(target.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
        return _wait(self.url, marker)

    def _register(self) -> Path:
        files = (self.content / "registre" / "projets").glob("*.yaml")
        return max(files, key=lambda p: p.stat().st_size)  # with --issues, the archive's 3 000 projects

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=10)


def _settle(pid: int, quiet: float = 1.0, limit: float = 900) -> None:
    """Wait until the preview has been idle for `quiet` seconds (its background PDFs are done), as an
    author reading the page would before the next save. Idle: under a tenth of a core, since MkDocs's
    file watcher polls the content folder all the time, and no process of its own still running."""
    stat = Path(f"/proc/{pid}/stat")

    def cpu() -> int:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks

    ticks = os.sysconf("SC_CLK_TCK")
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = cpu()
        time.sleep(quiet)
        if cpu() - before < ticks * quiet / 10 and not _children(pid):
            return


def _children(pid: int) -> list[int]:
    """The processes the preview started and that still run (the PDF laid out apart: bulletin.print_apart)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--saves", type=int, default=3, help="saves per round")
    parser.add_argument("--issues", type=int, default=0, help="a varied archive of N issues (0: the shipped content)")
    parser.add_argument("--against", type=Path, help="another checkout, measured alternately")
    parser.add_argument(
        "--change", choices=("text", "handover", "backdated"), default="text", help="what each save changes"
    )
    args = parser.parse_args()
    sides = {"ours": ROOT, **({"against": args.against.resolve()} if args.against else {})}
    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if args.issues:
            source = archive.make_archive(tmp_path / "archive", args.issues, 25 * args.issues, args.issues * 5 // 2)
        else:
            source = ROOT / "content"
        latencies: dict[str, list[float]] = {name: [] for name in sides}
        for round_ in range(args.rounds):
            for name, code in sides.items():
                folder = tmp_path / f"{name}{round_}"
                shutil.copytree(source, folder / "content")
                preview = Preview(code, folder / "content", folder / "cache")
                try:
                    preview.ready()
                    _settle(preview.server.pid)
                    for save in range(args.saves):
                        latencies[name].append(preview.save(f"Marqueur{round_}x{save}", args.change))
                        _settle(preview.server.pid)
                finally:
                    preview.stop()
                shutil.rmtree(folder)
    where = f"varied archive, {args.issues} issues" if args.issues else "shipped"
    print(f"content: {where}; {args.rounds} rounds of {args.saves} saves per side ({args.change})")
    for name, values in latencies.items():
        print(
            f"{name}: save -> change served, median {statistics.median(values):.2f} s "
            f"(min {min(values):.2f}, max {max(values):.2f}) [{sides[name]}]"
        )
    if args.against:
        ratio = statistics.median(latencies["ours"]) / statistics.median(latencies["against"])
        print(f"ratio ours / against: {ratio:.2f}")
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
