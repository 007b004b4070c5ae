"""Print-stage benchmark: medians of several runs, ratios measured in the same run.

    .venv/bin/python bench/print_bench.py [--runs 5]

1. one issue, cold: our `build.py pdf AAAA-MM` (fresh cache) against bare WeasyPrint rendering the
   very same HTML, each in a fresh process so both pay the engine's import (target: ratio <= 1.2).
   An issue with an English edition prints two PDFs (French and English): bare WeasyPrint then
   renders both documents' HTML, one after the other, so both sides do the same work;
2. the default archive, cold: `build.py` with an empty cache and no site;
3. a rebuild with nothing changed: `build.py` again (target: < 5 % of the cold build). The print
   stage alone (load, plan, render or reuse each PDF) is timed in-process as well, cold and warm,
   since the whole command also pays Python's start-up and the MkDocs web build every time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def _timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _print_html(month: str, cache: Path) -> list[str]:
    """The HTML of every PDF `build.py pdf AAAA-MM` prints for the month (French, and English if any)."""
    sys.path.insert(0, str(ROOT))
    from bulletin.print_build import plan_print
    from bulletin.validate import load_edition

    jobs = plan_print(load_edition(ROOT / "content"), ROOT / "templates", cache, months=(month,), plans=False)
    return [job.html for job in jobs]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--month", default="2017-11")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sources = []
        for number, text in enumerate(_print_html(args.month, tmp / "plan")):
            sources.append(tmp / f"issue-{number}.html")
            sources[-1].write_text(text, encoding="utf-8")
        base = (ROOT / "templates/print").as_uri() + "/"
        ours, bare, cold, warm, stage_cold, stage_warm = [], [], [], [], [], []
        for run in range(args.runs):
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
                        str(tmp / f"s{run}"),
                        "--cache-dir",
                        str(tmp / f"c{run}"),
                    ],
                ),
                ("bare", [PY, "-c", BARE, base, str(tmp / f"bare{run}"), *map(str, sources)]),
            ]
            for name, cmd in pair if run % 2 == 0 else pair[::-1]:
                (ours if name == "ours" else bare).append(_timed(cmd))
            site, cache = str(tmp / f"site{run}"), str(tmp / f"cache{run}")
            cold.append(_timed([PY, "build.py", "--site-dir", site, "--cache-dir", cache]))
            warm.append(_timed([PY, "build.py", "--site-dir", site, "--cache-dir", cache]))
            stage_cold.append(_stage(tmp / f"stage{run}"))
            stage_warm.append(_stage(tmp / f"stage{run}"))
    med = statistics.median
    print(f"runs: {args.runs} (medians); {len(sources)} PDF(s) for {args.month}")
    print(f"one issue, cold, build.py pdf : {med(ours):.2f} s")
    print(f"one issue, bare WeasyPrint    : {med(bare):.2f} s")
    print(f"  ratio ours / bare           : {med(ours) / med(bare):.2f}   (target <= 1.20)")
    print(f"default archive, cold build   : {med(cold):.2f} s")
    print(f"rebuild, nothing changed      : {med(warm):.2f} s")
    print(f"  ratio rebuild / cold        : {med(warm) / med(cold):.1%}  (whole command)")
    print(f"print stage, cold (in-process): {med(stage_cold):.3f} s")
    print(f"print stage, nothing changed  : {med(stage_warm):.3f} s")
    print(f"  ratio warm / cold           : {med(stage_warm) / med(stage_cold):.1%}  (target < 5 %)")


if __name__ == "__main__":
    main()
