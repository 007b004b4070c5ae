"""Print-stage benchmark: medians of several runs, ratios measured in the same run, with the load average.

    .venv/bin/python bench/print_bench.py [--runs 5] [--issues 120] [--against ../other-checkout]
    .venv/bin/python bench/print_bench.py --livre [--runs 5] [--month 2017-11]

Default, the varied archive (bench/archive.py, 120 issues, 3 000 projects): the latest issue's PDF inside
the archive, against bare WeasyPrint rendering the very same HTML, each in a fresh process so both pay
the engine's import (target: ratio <= 1.2), the three alternating run by run:
  - `build.py pdf AAAA-MM` with an empty cache and no site (the officer's first print of the day);
  - `build.py pdf AAAA-MM` after one sentence of that issue is edited, with the cache of the last web
    build (the print loop: every run edits again, so the PDF is always made);
  - bare WeasyPrint on that issue's print HTML as it stands (made beforehand, not timed).
`--against DOSSIER`: the two `build.py pdf` measures of another checkout too, in the same rotation (its own
copy of the archive, cache and site).

`--livre`: the shipped content, as before issue 17:
1. one issue, cold, against bare WeasyPrint (an issue with an English edition prints two PDFs: bare
   WeasyPrint then renders both documents' HTML, so both sides do the same work);
2. the shipped content, cold: `build.py` with an empty cache and no site;
3. a rebuild with nothing changed (target: < 5 % of the cold build). The print stage alone (load, plan,
   render or reuse each PDF) is timed in-process as well, cold and warm.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import archive
from measure import Run, load, median, run

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

BARE = """
import sys
from pathlib import Path
from weasyprint import HTML
for number, source in enumerate(sys.argv[3:]):
    html = Path(source).read_text(encoding="utf-8")
    HTML(string=html, base_url=sys.argv[1]).write_pdf(f"{sys.argv[2]}-{number}.pdf", pdf_variant="pdf/ua-1")
"""

# The print HTML of every PDF `build.py pdf AAAA-MM` makes for the month (French, and English if any),
# written to files: argv content, templates, cache, month, out prefix.
HTML_OF = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[6])
from bulletin.print_build import plan_print
from bulletin.validate import load_edition
content, templates, cache, month, out = sys.argv[1:6]
jobs = plan_print(load_edition(Path(content), only=month), Path(templates), Path(cache), months=(month,), plans=False)
for number, job in enumerate(jobs):
    Path(f"{out}-{number}.html").write_text(job.html, encoding="utf-8")
print(len(jobs))
"""


def _print_html(content: Path, month: str, work: Path) -> list[Path]:
    """The HTML files of the month's PDFs, made in a fresh process by this checkout's code."""
    out = subprocess.run(
        [
            PY,
            "-c",
            HTML_OF,
            str(content),
            str(ROOT / "templates"),
            str(work / "plan"),
            month,
            str(work / "html"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return [work / f"html-{number}.html" for number in range(int(out.stdout.strip()))]


def _bare(sources: list[Path], out: Path) -> list[str]:
    return [PY, "-c", BARE, (ROOT / "templates/print").as_uri() + "/", str(out), *map(str, sources)]


def _pdf(code: Path, content: Path, month: str, site: Path, cache: Path) -> tuple[Path, list[str]]:
    return code, [
        PY,
        "build.py",
        "pdf",
        month,
        "--content",
        str(content),
        "--site-dir",
        str(site),
        "--cache-dir",
        str(cache),
    ]


def _archive(args: argparse.Namespace) -> None:
    codes = {"": ROOT} | ({" (against)": args.against.resolve()} if args.against else {})
    measures: dict[str, list[Run]] = {}
    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        made = archive.make_archive(work / "archive", args.issues, 25 * args.issues, args.issues * 5 // 2)
        month = sorted(p.name for p in (made / "bulletins").iterdir())[-1]
        original = (made / "bulletins" / month / "qip.md").read_text(encoding="utf-8")
        for number, code in enumerate(codes.values()):
            side = work / f"side{number}"
            shutil.copytree(made, side / "content")
            web = ["--sans-pdf", "--content", str(side / "content"), "--site-dir", str(side / "site")]
            run([PY, "build.py", *web, "--cache-dir", str(side / "cache")], code)  # the warm side's cache
        for number in range(args.runs):
            first, _, rest = original.partition("\n")
            edited = f"{first} Phrase modifiée pour la mesure {number}.\n{rest}"
            sides: dict[str, tuple[Path, list[str]]] = {}
            for count, (tag, code) in enumerate(codes.items()):
                side = work / f"side{count}"
                (side / "content" / "bulletins" / month / "qip.md").write_text(edited, encoding="utf-8")
                cold = work / f"cold{count}-{number}"
                sides[f"cold{tag}"] = _pdf(code, side / "content", month, cold / "site", cold / "cache")
                sides[f"warm{tag}"] = _pdf(code, side / "content", month, side / "site", side / "cache")
            sources = _print_html(work / "side0" / "content", month, work / f"bare{number}")
            sides["bare"] = (ROOT, _bare(sources, work / f"bare{number}"))
            order = list(sides)
            shift = number % len(order)  # each side takes every place in the order in turn
            for name in order[shift:] + order[:shift]:
                measures.setdefault(name, []).append(run(sides[name][1], sides[name][0]))
            for count in range(len(codes)):
                shutil.rmtree(work / f"cold{count}-{number}")
    print(f"load average after: {load()}")
    bare = median(measures["bare"])
    print(f"{args.issues} issues, latest issue {month}, {len(sources)} PDF(s), medians of {args.runs} (order rotated)")
    print(f"{'measure':<56} {'wall':>7} {'cpu':>7} {'MiB':>6} {'/bare':>6} {'cpu/bare':>8}")
    labels = {
        "cold": "build.py pdf, empty cache",
        "warm": "build.py pdf after a sentence, build's cache",
    }
    for name in measures:
        label = labels.get(name.split(" ")[0], "bare WeasyPrint, same HTML") + name[len(name.split(" ")[0]) :]
        m = median(measures[name])
        ratios = f"{m.wall / bare.wall:>6.2f} {m.cpu / bare.cpu:>8.2f}"
        print(f"{label:<56} {m.wall:>6.2f}s {m.cpu:>6.2f}s {m.rss_mib:>6.0f} {ratios}")
    print("target: build.py pdf / bare WeasyPrint <= 1.20")


def _timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


STAGE = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bulletin.validate import load_edition
from bulletin.print_build import plan_print, run_print
root = Path(sys.argv[1])
started = time.perf_counter()
run_print(plan_print(load_edition(root / "content"), root / "templates", Path(sys.argv[2])))
print(time.perf_counter() - started)
"""


def _stage(cache: Path) -> float:
    out = subprocess.run([PY, "-c", STAGE, str(ROOT), str(cache)], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def _shipped(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sources = _print_html(ROOT / "content", args.month, work)
        ours, bare, cold, warm, stage_cold, stage_warm = [], [], [], [], [], []
        for number in range(args.runs):
            # Alternate the order so neither side always runs on a warmer machine.
            pair = [
                (
                    "ours",
                    [
                        PY,
                        "build.py",
                        "pdf",
                        args.month,
                        "--site-dir",
                        str(work / f"s{number}"),
                        "--cache-dir",
                        str(work / f"c{number}"),
                    ],
                ),
                ("bare", _bare(sources, work / f"bare{number}")),
            ]
            for name, cmd in pair if number % 2 == 0 else pair[::-1]:
                (ours if name == "ours" else bare).append(_timed(cmd))
            site, cache = str(work / f"site{number}"), str(work / f"cache{number}")
            cold.append(_timed([PY, "build.py", "--site-dir", site, "--cache-dir", cache]))
            warm.append(_timed([PY, "build.py", "--site-dir", site, "--cache-dir", cache]))
            stage_cold.append(_stage(work / f"stage{number}"))
            stage_warm.append(_stage(work / f"stage{number}"))
    med = statistics.median
    print(f"runs: {args.runs} (medians); {len(sources)} PDF(s) for {args.month}")
    print(f"one issue, cold, build.py pdf : {med(ours):.2f} s")
    print(f"one issue, bare WeasyPrint    : {med(bare):.2f} s")
    print(f"  ratio ours / bare           : {med(ours) / med(bare):.2f}   (target <= 1.20)")
    print(f"shipped content, cold build   : {med(cold):.2f} s")
    print(f"rebuild, nothing changed      : {med(warm):.2f} s")
    print(f"  ratio rebuild / cold        : {med(warm) / med(cold):.1%}  (whole command)")
    print(f"print stage, cold (in-process): {med(stage_cold):.3f} s")
    print(f"print stage, nothing changed  : {med(stage_warm):.3f} s")
    print(f"  ratio warm / cold           : {med(stage_warm) / med(stage_cold):.1%}  (target < 5 %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--issues", type=int, default=120)
    parser.add_argument("--against", type=Path, help="another checkout, measured in the same rotation")
    parser.add_argument("--livre", action="store_true", help="the shipped content instead of the varied archive")
    parser.add_argument("--month", default="2017-11", help="with --livre: the issue printed")
    args = parser.parse_args()
    (_shipped if args.livre else _archive)(args)


if __name__ == "__main__":
    main()
