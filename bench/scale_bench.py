"""Scale benchmark: a synthetic ten-year archive, timed against plain MkDocs on the same machine, same run.

    .venv/bin/python bench/scale_bench.py [--runs 3] [--pdf]

For an archive of 120 issues (3 000 projects, 300 contributions) and one twice as large, it times
(median of --runs runs, each in a fresh process):
  - `build.py check`;
  - a cold web build (`build.py --sans-pdf`, empty output and caches);
  - a web rebuild after one changed event (a handover added to the register);
  - a plain `mkdocs build` (Material + search, default navigation) of one Markdown page per page of
    our built site (issues, funds, regions, plans, home), each with as much text as that page;
and, with --pdf, one cold build with every PDF (120 issues only: it takes minutes).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import ROOT, make_archive

PY = sys.executable


def _time(cmd: list[str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _one_more_handover(register: str) -> str:
    """The register with one event added: a project still open gets handed over 20 days after approval."""
    blocks = register.split("\n- id: ")
    for i, block in enumerate(blocks):
        found = re.search(r"approbation: (\d{4}-\d\d-\d\d)", block)
        if found and "remise:" not in block:
            handed = date.fromisoformat(found[1]) + timedelta(days=20)
            blocks[i] = block.replace("    fin_prevue:", f"    remise: {handed}\n    fin_prevue:", 1)
            return "\n- id: ".join(blocks)
    raise SystemExit("no open project to hand over")


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


def measure(issues: int, projects: int, contributions: int, runs: int, pdf: bool) -> dict[str, float]:
    med = statistics.median
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        content = make_archive(tmp / "archive", issues, projects, contributions)
        results = {"check": med(_time([PY, "build.py", "check", "--content", str(content)]) for _ in range(runs))}
        cold, rebuild = [], []
        for run in range(runs):
            site, cache = tmp / f"site{run}", tmp / f"cache{run}"
            cold.append(
                _time(
                    [
                        PY,
                        "build.py",
                        "--sans-pdf",
                        "--content",
                        str(content),
                        "--site-dir",
                        str(site),
                        "--cache-dir",
                        str(cache),
                    ]
                )
            )
            register = content / "registre/projets/synthetique.yaml"
            original = register.read_text(encoding="utf-8")
            register.write_text(_one_more_handover(original), encoding="utf-8")
            rebuild.append(
                _time(
                    [
                        PY,
                        "build.py",
                        "--sans-pdf",
                        "--content",
                        str(content),
                        "--site-dir",
                        str(site),
                        "--cache-dir",
                        str(cache),
                    ]
                )
            )
            register.write_text(original, encoding="utf-8")
        results["web_cold"], results["web_rebuild"] = med(cold), med(rebuild)
        plain, results["pages"] = _plain_mkdocs(tmp / "plain", tmp / "site0")
        results["mkdocs_plain"] = med(_time([PY, "-m", "mkdocs", "build", "-q"], cwd=plain) for _ in range(runs))
        if pdf:
            results["web_pdf_cold"] = _time(
                [
                    PY,
                    "build.py",
                    "--content",
                    str(content),
                    "--site-dir",
                    str(tmp / "sitepdf"),
                    "--cache-dir",
                    str(tmp / "cachepdf"),
                ]
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument(
        "--issues",
        type=int,
        default=120,
        metavar="N",
        help="issues of the smaller archive (25 projects and 2.5 contributions each); "
        "the larger one has twice as many (default 120)",
    )
    args = parser.parse_args()
    n = args.issues
    small = measure(n, 25 * n, n * 5 // 2, args.runs, args.pdf)
    large = measure(2 * n, 50 * n, n * 5, args.runs, False)
    print(f"medians of {args.runs} runs (s){n:>10} issues{2 * n:>7} issues")
    print(f"  {'pages in the site':<28}{small['pages']:>10}{large['pages']:>13}")
    for key in ("check", "web_cold", "web_rebuild", "mkdocs_plain"):
        print(f"  {key:<28}{small[key]:>10.2f}{large[key]:>13.2f}")
    if "web_pdf_cold" in small:
        print(f"  {'web_pdf_cold (1 run)':<28}{small['web_pdf_cold']:>10.2f}")
    print(
        f"cold web / plain MkDocs          {small['web_cold'] / small['mkdocs_plain']:>10.2f}"
        f"{large['web_cold'] / large['mkdocs_plain']:>13.2f}   (target <= 1.3)"
    )
    print(f"{f'{2 * n} / {n} issues, cold web':<33}{large['web_cold'] / small['web_cold']:>10.2f}   (target <= 2)")
    print(f"web rebuild after one event      {small['web_rebuild']:>10.2f} s (target <= 1 s)")


if __name__ == "__main__":
    main()
