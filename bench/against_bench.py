"""This checkout against another one, alternating run by run (A B A B): is a change no worse?

    .venv/bin/python bench/against_bench.py --against ../other-checkout [--runs 5] [--issues 120]

Two measures, each in fresh processes, medians with the load average:
  - a cold web build (`build.py --sans-pdf`, empty output and caches) of the varied archive of
    bench/archive.py (N issues);
  - a rebuild of the shipped content with nothing changed (`build.py`, PDFs cached): what every build
    pays whatever the change.
Both sides run with this Python (same libraries); each side's own code is imported from its folder.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import archive
from measure import Run, load, median, run

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _build(code: Path, content: Path, out: Path, pdf: bool) -> list[str]:
    command = [PY, "build.py", "--content", str(content), "--site-dir", str(out / "site")]
    return command + ["--cache-dir", str(out / "cache")] + ([] if pdf else ["--sans-pdf"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--issues", type=int, default=120)
    args = parser.parse_args()
    sides = {"ours": ROOT, "against": args.against.resolve()}
    cold: dict[str, list[Run]] = {name: [] for name in sides}
    rebuild: dict[str, list[Run]] = {name: [] for name in sides}
    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        content = archive.make_archive(tmp_path / "archive", args.issues, 25 * args.issues, args.issues * 5 // 2)
        for n in range(args.runs):
            for name, code in sides.items():
                out = tmp_path / f"{name}-{n}"
                cold[name].append(run(_build(code, content, out, pdf=False), code))
                shutil.rmtree(out)
        for name, code in sides.items():  # a first build fills each side's caches
            run(_build(code, code / "content", tmp_path / f"{name}-shipped", pdf=True), code)
        for _ in range(args.runs):
            for name, code in sides.items():
                rebuild[name].append(run(_build(code, code / "content", tmp_path / f"{name}-shipped", pdf=True), code))
    for label, results in ((f"cold web build, {args.issues} issues", cold), ("rebuild, nothing changed", rebuild)):
        ours, theirs = median(results["ours"]), median(results["against"])
        print(
            f"{label}: ours {ours.wall:.2f} s (CPU {ours.cpu:.2f} s), against {theirs.wall:.2f} s "
            f"(CPU {theirs.cpu:.2f} s); ratio {ours.wall / theirs.wall:.3f} (CPU {ours.cpu / theirs.cpu:.3f})"
        )
    print(f"runs: {args.runs} per side; against: {sides['against']}; load average after: {load()}")


if __name__ == "__main__":
    main()
