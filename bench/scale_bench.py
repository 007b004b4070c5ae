"""Scale benchmark: a varied ten-year archive, timed against plain MkDocs on the same machine, same run.

    .venv/bin/python bench/scale_bench.py [--runs 5] [--issues 120] [--double] [--synthetique] [--pdf]

On a varied archive (bench/archive.py: N issues, 25 N projects, 2.5 N contributions), each run in fresh
processes, our side and plain MkDocs alternating run by run (A B A B), it measures wall time, CPU time
and peak RSS of:
  - `build.py check`;
  - a cold web build (`build.py --sans-pdf`, empty output and caches) against a plain `mkdocs build`
    (Material + search) of one Markdown page per page of our built site, each as long as that page;
  - then, one change at a time on top of the previous build: one handover added in the current month,
    an existing handover back-dated, one sentence edited in the latest issue, each → web rebuilt.
It prints medians, the ratio to plain MkDocs (a rebuild's counterpart is a full `mkdocs build`: MkDocs
has no incremental build) and the load average before and after. --double also measures 2N issues
for the doubling ratio (about twice as long); --synthetique uses bench/synthetic.py's repeated prose.
The default (5 runs, 120 issues) takes ~12 min on 2 cores; the longer version: --runs 7 --double,
or --issues 1200 --runs 1.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import archive
import synthetic
from measure import Run, load, median, run
from synthetic import ROOT

PY = sys.executable


def _blocks(register: str) -> list[str]:
    return register.split("\n- id: ")


def _start(block: str) -> date | None:
    """A project's start, or its approval when the register gives no start (bench/synthetic.py)."""
    found = re.findall(r"(?:debut|approbation): (\d{4}-\d\d-\d\d)", block)
    return max(date.fromisoformat(d) for d in found) if found else None


def _handover_now(register: str, last_month: date) -> str:
    """One project still open at the end of the archive is handed over in its last month."""
    blocks = _blocks(register)
    for i, block in enumerate(blocks):
        begun = _start(block)
        if begun and begun < last_month and not re.search(r"remise:|cloture:", block):
            blocks[i] = block.rstrip("\n") + f"\n    remise: {last_month + timedelta(days=9)}\n"
            return "\n- id: ".join(blocks)
    raise SystemExit("no open project to hand over")


def _handover_backdated(register: str) -> str:
    """The earliest recorded handover moved five days earlier (years before the current month)."""
    blocks = _blocks(register)
    for i, block in enumerate(blocks):
        begun, handed = _start(block), re.search(r"remise: (\d{4}-\d\d-\d\d)", block)
        if begun and handed and date.fromisoformat(handed[1]) - begun > timedelta(days=10):
            earlier = date.fromisoformat(handed[1]) - timedelta(days=5)
            blocks[i] = block.replace(f"remise: {handed[1]}", f"remise: {earlier}")
            return "\n- id: ".join(blocks)
    raise SystemExit("no handover to back-date")


def _sentence_edited(text: str) -> str:
    first, _, rest = text.partition("\n")
    return f"{first} Une phrase ajoutée pour la mesure.\n{rest}"


def _plain_mkdocs(folder: Path, site: Path) -> tuple[Path, int]:
    """A plain MkDocs project (Material, search) with one Markdown page per page of our built site,
    each holding as much text as that page: the same number of same-size pages."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    pages = sorted(p for p in site.rglob("index.html") if p.parent != site)
    for n, page in enumerate(pages):
        (docs / f"page-{n:04d}.md").write_text(f"# Page {n}\n\n{_same_size_markdown(page)}", encoding="utf-8")
    (docs / "index.md").write_text(f"# Accueil\n\n{_same_size_markdown(site / 'index.html')}", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: Témoin\ntheme:\n  name: material\n  language: fr\nplugins:\n  - search:\n      lang: fr\n",
        encoding="utf-8",
    )
    return folder, len(pages) + 1


def _same_size_markdown(page: Path) -> str:
    """Prose as long as the text of a built page's article, in paragraphs with a heading now and then."""
    html = page.read_text(encoding="utf-8")
    article = html[html.find("<article") : html.find("</article>")]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))
    paragraphs = [text[i : i + 600] for i in range(0, len(text), 600)]
    return "\n\n".join(f"## Section {i}\n\n{p}" if i % 5 == 0 else p for i, p in enumerate(paragraphs))


def _build(content: Path, site: Path, cache: Path) -> list[str]:
    return [PY, "build.py", "--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache)]


MEASURES = ("check", "web_cold", "handover_now", "handover_backdated", "sentence_edited")


def measure(issues: int, runs: int, pdf: bool, varied: bool) -> tuple[dict[str, Run], Run, int]:
    """Medians of our measures, of plain MkDocs, and the number of pages."""
    make = archive.make_archive if varied else synthetic.make_archive
    ours: dict[str, list[Run]] = {key: [] for key in MEASURES}
    plain_runs: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        content = make(tmp / "archive", issues, 25 * issues, issues * 5 // 2)
        register = content / "registre/projets/synthetique.yaml"
        latest = sorted((content / "bulletins").iterdir())[-1]
        last_month = date.fromisoformat(f"{latest.name}-01")
        prose = latest / "qip.md"
        originals = {register: register.read_text(encoding="utf-8"), prose: prose.read_text(encoding="utf-8")}
        plain, pages = None, 0
        for n in range(runs):
            site, cache = tmp / f"site{n}", tmp / f"cache{n}"
            ours["check"].append(run([PY, "build.py", "check", "--content", str(content)], ROOT))
            ours["web_cold"].append(run(_build(content, site, cache), ROOT))
            if plain is None:
                plain, pages = _plain_mkdocs(tmp / "plain", site)
            plain_runs.append(run([PY, "-m", "mkdocs", "build", "-q"], plain))
            register.write_text(_handover_now(originals[register], last_month), encoding="utf-8")
            ours["handover_now"].append(run(_build(content, site, cache), ROOT))
            register.write_text(_handover_backdated(register.read_text(encoding="utf-8")), encoding="utf-8")
            ours["handover_backdated"].append(run(_build(content, site, cache), ROOT))
            prose.write_text(_sentence_edited(originals[prose]), encoding="utf-8")
            ours["sentence_edited"].append(run(_build(content, site, cache), ROOT))
            for path, text in originals.items():
                path.write_text(text, encoding="utf-8")
        if pdf:
            ours["web_pdf_cold"] = [
                run(
                    [
                        PY,
                        "build.py",
                        "--content",
                        str(content),
                        "--site-dir",
                        str(tmp / "sp"),
                        "--cache-dir",
                        str(tmp / "cp"),
                    ],
                    ROOT,
                )
            ]
    return {key: median(values) for key, values in ours.items()}, median(plain_runs), pages


def _report(label: str, results: dict[str, Run], plain: Run, pages: int) -> None:
    print(
        f"{label}: {pages} pages; medians; plain MkDocs {plain.wall:.2f} s wall, "
        f"{plain.cpu:.2f} s CPU, {plain.rss_mib:.0f} MiB"
    )
    print(f"  {'measure':<22}{'wall s':>8}{'/plain':>8}{'CPU s':>8}{'/plain':>8}{'RSS MiB':>9}{'/plain':>8}")
    for key, r in results.items():
        print(
            f"  {key:<22}{r.wall:>8.2f}{r.wall / plain.wall:>8.2f}{r.cpu:>8.2f}{r.cpu / plain.cpu:>8.2f}"
            f"{r.rss_mib:>9.0f}{r.rss_mib / plain.rss_mib:>8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--issues", type=int, default=120, metavar="N")
    parser.add_argument("--double", action="store_true", help="also 2N issues, for the doubling ratio")
    parser.add_argument("--pdf", action="store_true", help="one cold build with every PDF (N issues; minutes)")
    parser.add_argument("--synthetique", action="store_true", help="the old archive (same prose every month)")
    args = parser.parse_args()
    varied = not args.synthetique
    print(
        f"archive: {'varied (bench/archive.py)' if varied else 'synthetic (bench/synthetic.py)'}; load average {load()}"
    )
    small, plain, pages = measure(args.issues, args.runs, args.pdf, varied)
    _report(f"{args.issues} issues", small, plain, pages)
    if args.double:
        large, plain2, pages2 = measure(2 * args.issues, args.runs, False, varied)
        _report(f"{2 * args.issues} issues", large, plain2, pages2)
        print(f"doubling, cold web: {large['web_cold'].wall / small['web_cold'].wall:.2f}x (target <= 2)")
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
