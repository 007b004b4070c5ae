"""Search benchmark: what a reader's first search downloads, and what indexing adds to a build.

    .venv/bin/python bench/search_bench.py [--issues 120 240] [--runs 5] [--query Menaka] [--lunr SITE ...]

For each archive size it makes the varied archive (bench/archive.py; --synthetique: the old
bench/synthetic.py, same prose every month), builds the web site
(`build.py --sans-pdf`), then:
  - times bulletin.search.index_site on a copy of the built site, wall and CPU (median of --runs; what
    every build, cold or incremental, adds: Pagefind re-indexes the whole folder);
  - times a rebuild after one changed event (the scale bench's handover), whole command;
  - serves the site over loopback under /bulletin-sr/ and, in Chromium, opens the search page with
    ?q=QUERY as the header's form does, counting the bytes of every response (bodies as sent by
    Python's server, which compresses nothing; and the same bodies gzipped, as a web server would
    send the compressible ones): the search page and its frame, and Pagefind's files.
With --lunr, also a site built by the previous version (Material's search, lunr): the bytes its first
search fetched (index, worker, lunr scripts) once the reader typed QUERY in the header's field.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import archive
import synthetic
from scale_bench import _handover_now
from synthetic import ROOT

from bulletin.search import index_site
from tests.test_accessibility import chromium_session, serve

PY = sys.executable
DONE = """() => { const s = document.querySelector("#sr-search-etat").textContent
  return s !== "" && !s.startsWith("Recherche de") }"""


def _build(content: Path, site: Path, cache: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [PY, "build.py", "--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _cpu() -> float:
    """CPU seconds used by this process and its finished children: on a shared machine, wall time
    says more about the neighbours than about the work."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def _record(page, log: list) -> None:
    def on_response(response) -> None:
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            body = b""
        log.append((response.url, len(body), _gzipped(body)))

    page.on("response", on_response)


def pagefind_search(site: Path, query: str) -> dict[str, tuple[int, int]]:
    """Bytes (as sent, gzipped) fetched by opening the search page with ?q=query, by kind."""
    server, base = serve(site)
    try:
        with chromium_session() as browser:
            context = browser.new_context()
            page = context.new_page()
            log: list = []
            _record(page, log)
            page.goto(f"{base}/recherche/?q={query}", wait_until="load")
            page.wait_for_function(DONE, timeout=30_000)
            page.wait_for_timeout(500)
            context.close()
    finally:
        server.shutdown()
        server.server_close()
    kinds: dict[str, tuple[int, int]] = {}
    for url, raw, packed in log:
        kind = "pagefind" if "/pagefind/" in url else "page"
        if "/pagefind/" in url and ("/index/" in url or "/fragment/" in url):
            kind = "chunks"
        old = kinds.get(kind, (0, 0))
        kinds[kind] = (old[0] + raw, old[1] + packed)
    return kinds


def lunr_search(site: Path, query: str) -> tuple[int, int, list[str]]:
    """Bytes (as sent, gzipped) fetched once the reader types query in Material's search field."""
    server, base = serve(site)
    try:
        with chromium_session() as browser:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            log: list = []
            page.goto(base + "/", wait_until="networkidle")
            page.wait_for_timeout(1500)
            _record(page, log)
            page.locator("input.md-search__input").click()
            page.locator("input.md-search__input").press_sequentially(query, delay=40)
            page.wait_for_function(
                "() => document.querySelectorAll('.md-search-result__list li').length", timeout=60_000
            )
            page.wait_for_timeout(1500)
            context.close()
    finally:
        server.shutdown()
        server.server_close()
    return sum(r for _, r, _ in log), sum(p for _, _, p in log), [u.rsplit("/", 1)[-1] for u, _, _ in log]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, nargs="+", default=[120, 240])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", default="Menaka")
    parser.add_argument("--synthetique", action="store_true", help="the old archive (same prose every month)")
    parser.add_argument("--lunr", type=Path, nargs="*", default=[], help="sites built by the lunr version")
    args = parser.parse_args()
    kb = 1024
    for site in args.lunr:
        raw, packed, names = lunr_search(site, args.query)
        print(f"lunr {site}: first search {raw / kb:.0f} KB as sent, {packed / kb:.0f} KB gzipped ({', '.join(names)})")
    for issues in args.issues:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            make = synthetic.make_archive if args.synthetique else archive.make_archive
            content = make(tmp / "archive", issues, 25 * issues, issues * 5 // 2)
            site, cache = tmp / "site", tmp / "cache"
            cold = _build(content, site, cache)
            folder = site.resolve()
            # Timed on a copy: indexing the published folder again would change its listing, and the
            # rebuild below would find the site touched by hand and rebuild it whole.
            copy = tmp / "copy"
            shutil.copytree(folder, copy)
            index, cpu = [], []
            for _ in range(args.runs):
                started, used = time.perf_counter(), _cpu()
                index_site(copy)
                index.append(time.perf_counter() - started)
                cpu.append(_cpu() - used)
            register = content / "registre/projets/synthetique.yaml"
            last_month = date.fromisoformat(f"{sorted((content / 'bulletins').iterdir())[-1].name}-01")
            register.write_text(_handover_now(register.read_text(encoding="utf-8"), last_month), encoding="utf-8")
            rebuild = _build(content, site, cache)
            kinds = pagefind_search(site.resolve(), args.query)
            pages = sum(1 for _ in folder.rglob("*.html"))
            print(
                f"{issues} issues ({pages} pages): cold build {cold:.1f} s, rebuild after one event {rebuild:.1f} s, "
                f"index_site {statistics.median(index):.2f} s wall, {statistics.median(cpu):.2f} s CPU "
                f"(Python and Pagefind; median of {args.runs})"
            )
            for kind, (raw, packed) in sorted(kinds.items()):
                print(f"  first search '{args.query}', {kind}: {raw / kb:.1f} KB as sent, {packed / kb:.1f} KB gzipped")


if __name__ == "__main__":
    main()
