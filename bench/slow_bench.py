"""A first visit on a slow link: the home and issue pages in Chromium throttled to 400 kbit/s and
400 ms latency (a congested mobile link in the field), with an empty cache.

    .venv/bin/python bench/slow_bench.py [--site DOSSIER] [--runs 5] [--sans-compression]

Builds the shipped content (web only) into a temporary folder unless --site names a built site, and
serves it with a small HTTP server that sends the precompressed copies (bulletin/compress.py) as
nginx's `gzip_static`/`brotli_static` do: `page.html.br` or `.gz` with its Content-Encoding when the
browser accepts it (--sans-compression: the files as they are, a server with compression off).
Throttling goes through the DevTools protocol (Network.emulateNetworkConditions) that Playwright
opens on Debian's Chromium. For each page and run, in a new browser context:

- first text: the first contentful paint (Performance API), in seconds from the navigation;
- first load: bytes received over the network (DevTools encodedDataLength: compressed bodies and
  headers) until the network is idle, everything the page fetched by itself, photos included.

Prints the median of the runs, and each run. Goal (issue 11): first text ≤ 3 s, first load ≤ 100 KB.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("/", "/bulletins/2017-11/")
KBIT = 1000 / 8  # bytes per second in one kbit/s
CONDITIONS = {"offline": False, "latency": 400, "downloadThroughput": 400 * KBIT, "uploadThroughput": 400 * KBIT}


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Serves NAME.br or NAME.gz in place of NAME when the browser accepts that encoding."""

    precompressed = True

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
        accepted = {part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")}
        if self.precompressed and path.is_file():
            for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
                copy = path.with_name(path.name + suffix)
                if encoding in accepted and copy.is_file():
                    body = copy.open("rb")
                    self.send_response(200)
                    self.send_header("Content-Type", self.guess_type(str(path)))
                    self.send_header("Content-Encoding", encoding)
                    self.send_header("Content-Length", str(os.fstat(body.fileno()).st_size))
                    self.send_header("Vary", "Accept-Encoding")
                    self.end_headers()
                    return body
        return super().send_head()

    def log_message(self, format, *args):  # type: ignore[no-untyped-def]
        pass


def serve(site: Path, precompressed: bool) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(
        type("Handler", (StaticHandler,), {"precompressed": precompressed}), directory=str(site)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def build(tmp: Path) -> Path:
    from bulletin.cli import main

    site = tmp / "site"
    code = main(
        ["--content", str(ROOT / "content"), "--site-dir", str(site), "--cache-dir", str(tmp / "cache"), "--sans-pdf"]
    )
    if code != 0:
        raise SystemExit(f"build failed ({code})")
    return site


def visit(browser, url: str) -> tuple[float, int, list[tuple[str, int]]]:  # type: ignore[no-untyped-def]
    """(first text in s, bytes received, [(url, bytes)]) for one cold visit of url."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    urls: dict[str, str] = {}
    received: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", CONDITIONS)
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_load_state("networkidle", timeout=120_000)
    fcp = page.evaluate("""() => {
        const [paint] = performance.getEntriesByName('first-contentful-paint');
        return paint ? paint.startTime / 1000 : null; }""")
    context.close()
    if fcp is None:
        raise SystemExit(f"{url}: no contentful paint")
    files = sorted(((urls.get(i, "?"), n) for i, n in received.items()), key=lambda f: -f[1])
    return fcp, sum(received.values()), files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a site already built (default: build the shipped content)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sans-compression", action="store_true", help="serve the files uncompressed")
    parser.add_argument("--detail", action="store_true", help="list the bytes of each file of the last run")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from tests.test_accessibility import launch_chromium

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site.resolve() if args.site else build(Path(tmp))
        server, base = serve(site, not args.sans_compression)
        try:
            with sync_playwright() as api:
                browser = launch_chromium(api)
                print(f"{'page':<22} {'first text (s)':>15} {'first load (KB)':>16}   runs: s / KB")
                for path in PAGES:
                    runs = [visit(browser, base + path) for _ in range(args.runs)]
                    fcp = statistics.median(r[0] for r in runs)
                    kb = statistics.median(r[1] for r in runs) / 1000
                    detail = "  ".join(f"{r[0]:.2f}/{r[1] / 1000:.1f}" for r in runs)
                    print(f"{path:<22} {fcp:>15.2f} {kb:>16.1f}   {detail}", flush=True)
                    if args.detail:
                        for name, size in runs[-1][2]:
                            print(f"    {size / 1000:8.1f} KB  {name.removeprefix(base)}")
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    raise SystemExit(code)
