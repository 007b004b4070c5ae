"""The officer's loop on the varied archive, this checkout against another, alternating (A B A B).

    .venv/bin/python bench/change_bench.py --against ../other-checkout [--runs 5] [--issues 120]

Each side gets its own copy of the varied archive (bench/archive.py) and its own site and caches, built
once cold (not timed). Then, run after run, each measure is taken on one side then the other, in fresh
processes, each change on top of the previous one:
  - `build.py --sans-pdf` with nothing changed;
  - one sentence edited in the latest issue, then `build.py check`, then the web rebuilt;
  - one handover added in the current month → web rebuilt;
  - an existing handover back-dated → web rebuilt;
and the archive is put back (rebuilt, not timed) before the next run. Medians of wall and CPU time,
the ratio of the two sides, and the load average before and after.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import archive
from measure import Run, load, median, run
from scale_bench import _handover_backdated, _handover_now, _sentence_edited

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MEASURES = ("nothing_changed", "check_after_edit", "sentence_edited", "handover_now", "handover_backdated")


def _build(content: Path, out: Path) -> list[str]:
    site, cache = str(out / "site"), str(out / "cache")
    return [PY, "build.py", "--sans-pdf", "--content", str(content), "--site-dir", site, "--cache-dir", cache]


def _check(content: Path, out: Path) -> list[str]:
    return [PY, "build.py", "check", "--content", str(content), "--cache-dir", str(out / "cache")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--issues", type=int, default=120)
    args = parser.parse_args()
    sides = {"ours": ROOT, "against": args.against.resolve()}
    results: dict[str, dict[str, list[Run]]] = {m: {name: [] for name in sides} for m in MEASURES}
    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        made = archive.make_archive(tmp_path / "archive", args.issues, 25 * args.issues, args.issues * 5 // 2)
        contents = {name: tmp_path / name / "content" for name in sides}
        for name, code in sides.items():
            shutil.copytree(made, contents[name])
            run(_build(contents[name], tmp_path / name), code)  # cold, fills the side's caches
        register = Path("registre/projets/synthetique.yaml")
        latest = sorted((made / "bulletins").iterdir())[-1]
        prose = Path("bulletins") / latest.name / "qip.md"
        last_month = date.fromisoformat(f"{latest.name}-01")
        originals = {path: (made / path).read_text(encoding="utf-8") for path in (register, prose)}
        changes = {
            prose: _sentence_edited(originals[prose]),
            register: _handover_now(originals[register], last_month),
        }
        backdated = _handover_backdated(changes[register])

        def each(measure: str, command: str, change: tuple[Path, str] | None = None) -> None:
            for name, code in sides.items():
                if change is not None:
                    (contents[name] / change[0]).write_text(change[1], encoding="utf-8")
                make = _check if command == "check" else _build
                results[measure][name].append(run(make(contents[name], tmp_path / name), code))

        for _ in range(args.runs):
            each("nothing_changed", "build")
            each("check_after_edit", "check", (prose, changes[prose]))
            each("sentence_edited", "build")
            each("handover_now", "build", (register, changes[register]))
            each("handover_backdated", "build", (register, backdated))
            for name, code in sides.items():  # back to the archive as made, for the next run
                for path, text in originals.items():
                    (contents[name] / path).write_text(text, encoding="utf-8")
                run(_build(contents[name], tmp_path / name), code)
    print(f"{args.issues} issues, {args.runs} runs per side, medians; against: {sides['against']}")
    print(f"  {'measure':<20}{'ours s':>9}{'CPU':>7}{'against s':>11}{'CPU':>7}{'ratio':>7}{'CPU':>7}")
    for measure in MEASURES:
        ours, theirs = median(results[measure]["ours"]), median(results[measure]["against"])
        print(
            f"  {measure:<20}{ours.wall:>9.2f}{ours.cpu:>7.2f}{theirs.wall:>11.2f}{theirs.cpu:>7.2f}"
            f"{ours.wall / theirs.wall:>7.2f}{ours.cpu / theirs.cpu:>7.2f}"
        )
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
