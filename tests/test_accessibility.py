"""WCAG 2.1 AA: every page of the built site passes axe-core in Debian's Chromium, at phone and desktop width;
the language switch of every page leads to its counterpart in the other language, and back.

The site is built from the seed content with its November issue in English and a French-only December,
served over real HTTP on 127.0.0.1 (Material's scripts and the search page's Pagefind search run as they
do for a reader) and checked with axe-core's WCAG 2.0/2.1 A and AA rules.
No rule is disabled and no element excluded: a violation is fixed in the templates or in bulletin.css.

Needs, beyond the README's first command (which installs Playwright and axe-core through the `test`
extra): Debian's Chromium, `apt-get update && apt-get install -y chromium` (README, .ci/run).
Playwright's own browser download (`playwright install`) is never used.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import CONTENT, ROOT, translate

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
]
INSTALL_CHROMIUM = "apt-get update && apt-get install -y chromium"
INSTALL_TEST_EXTRA = '.venv/bin/pip install -e ".[test]"'
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Every kind of page the site has (one of each template, every fund for its colour). Add new kinds here.
PAGES = [
    "/",
    "/bulletins/",
    "/bulletins/2017-11/",
    "/plans/",
    "/plans/liptako-gourma-2024/",
    "/a-propos/",
    "/donnees-ouvertes/",
    "/guide/",
    "/fonds/",
    "/fonds/qip/",
    "/fonds/ff/",
    "/fonds/pbf/",
    "/regions/",
    "/regions/mopti/",
    "/404.html",
    "/recherche/?q=réunions",  # the search page with its results (bulletin/search.py)
    # The English edition (bulletin/pages_en.py): the same pages under /en/, and the page of an issue
    # that is in French only.
    "/en/",
    "/en/bulletins/",
    "/en/bulletins/2017-11/",
    "/en/bulletins/2017-12/",
    "/en/plans/",
    "/en/plans/liptako-gourma-2024/",
    "/en/a-propos/",
    "/en/donnees-ouvertes/",
    "/en/fonds/",
    "/en/fonds/qip/",
    "/en/fonds/ff/",
    "/en/fonds/pbf/",
    "/en/regions/",
    "/en/regions/mopti/",
    "/en/recherche/?q=meetings",
]
# A phone (iPhone 12-14 class) and a desktop.
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def build_site(tmp: Path, december: bool = False) -> Path:
    """The seed content with its November issue in English (conftest.translate), and with december a
    French-only December made with `nouveau`, built in-process into tmp/site (PDFs cached in tmp/cache)."""
    from bulletin.cli import main

    site, content = tmp / "site", translate(Path(shutil.copytree(CONTENT, tmp / "content")))
    if december:
        assert main(["nouveau", "2017-12", "--content", str(content)]) == 0
    # With the author's guide, which the public build leaves out: its page is checked too.
    assert (
        main(["--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp / "cache"), "--avec-guide"])
        == 0
    )
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("a11y"), december=True)


def site_path() -> str:
    """The path the site is published under, from mkdocs.yml's site_url ("/bulletin-sr/"), or "/".
    Material writes the 404 page with absolute links under it, so the test serves the site there too."""
    found = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    path = urlsplit(found.group(1)).path if found else "/"
    return path if path.endswith("/") else path + "/"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's directory under `prefix`, as the web server that publishes it would."""

    prefix = "/"

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return str(Path(self.directory, "outside-the-site")) + "/"  # not a directory: 404
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, format, *args):
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A real HTTP server for `directory` on a free port of 127.0.0.1, in a daemon thread; returns it and
    the site's base URL (without the final slash)."""
    prefix = site_path()
    handler = functools.partial(type("Handler", (SiteHandler,), {"prefix": prefix}), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, name="site-server", daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}{prefix.rstrip('/')}"


@pytest.fixture(scope="module")
def base_url(built) -> Iterator[str]:
    server, url = serve(built)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def ensure_chromium() -> None:
    """Install Debian's Chromium when it is missing and we may: the README's test command is the whole
    set-up on a fresh machine. Fails (never skips) with the install step otherwise."""
    if CHROMIUM.exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for step in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
            subprocess.run(
                step, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1200
            )
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it with `{INSTALL_CHROMIUM}` as root "
            "(README, « Installer, construire, tester »; .ci/run does it in CI).",
            pytrace=False,
        )


def launch_chromium(playwright):
    """Debian's Chromium, driven by Playwright."""
    ensure_chromium()
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@contextlib.contextmanager
def chromium_session() -> Iterator:
    """Playwright started, Debian's Chromium launched; both stopped at the end."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"Playwright is not installed: run `{INSTALL_TEST_EXTRA}`.", pytrace=False)
    with sync_playwright() as api:
        browser = launch_chromium(api)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser():
    with chromium_session() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's axe.min.js as shipped (pinned) in the `axe-playwright-python` wheel of the `test` extra."""
    from importlib import resources

    try:
        script = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        pytest.fail(
            f"axe-core (axe.min.js from axe-playwright-python) is missing: run `{INSTALL_TEST_EXTRA}`.", pytrace=False
        )
    assert script.startswith("/*! axe v"), "axe.min.js does not look like axe-core"
    return script


def describe(violations: list[dict], url: str, width: int, version: str) -> str:
    lines = [f"{len(violations)} axe-core {version} violation(s) of WCAG 2.1 AA on {url} at {width} px:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} element(s)] {v['helpUrl']}")
        for node in v["nodes"][:5]:
            target = " ".join(" >>> ".join(t) if isinstance(t, list) else t for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {target} — {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=list(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_wcag_21_aa_violation(browser, base_url, axe_source, path, viewport):
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    try:
        page = context.new_page()
        url = base_url + path
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
        page.wait_for_load_state("networkidle")  # Material's bundle has finished setting up the page
        # Evaluated by the browser's debugging protocol, which the pages' Content Security Policy (no
        # inline script) does not govern: an injected <script> would be refused, and the page is tested
        # with the policy on, as readers get it.
        page.evaluate(axe_source + "\n;undefined")
        result = page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
                 .then(r => ({violations: r.violations, version: axe.version}))""",
            AXE_TAGS,
        )
    finally:
        context.close()
    if result["violations"]:
        pytest.fail(describe(result["violations"], url, viewport["width"], result["version"]), pytrace=False)


# Every page but the 404 page (standalone, to work at any address: its one link goes home).
SWITCHED = [path for path in PAGES if path != "/404.html"]


@pytest.mark.parametrize("path", SWITCHED)
def test_the_language_switch_leads_to_the_counterpart_and_back(browser, base_url, built, path):
    """A reader on a phone follows the header's language switch, and follows it again: the same page in
    the other language, then the page they started from (the guide, which has no English, goes to the
    English home and back to the French one)."""
    root = urlsplit(base_url).path + "/"
    start = path.split("?")[0]
    english = start.startswith("/en/")
    counterpart = start.removeprefix("/en") if english else "/en" + start
    has_counterpart = (built / counterpart.lstrip("/") / "index.html").exists()
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    try:
        page = context.new_page()
        page.goto(base_url + path, wait_until="load")

        def follow() -> str:
            switch = page.locator("a.sr-langue")
            assert switch.count() == 1, f"{page.url}: {switch.count()} language switches"
            # A word, read and tapped on a phone: it was 10 px text in a 28 px box.
            box = switch.bounding_box()
            assert box is not None and box["height"] >= 44 and box["width"] >= 44, (page.url, box)
            assert float(switch.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 14, page.url
            switch.click()
            page.wait_for_load_state("load")
            return "/" + urlsplit(page.url).path.removeprefix(root)

        other = follow()
        assert other == (counterpart if has_counterpart else "/" if english else "/en/"), path
        assert page.evaluate("document.documentElement.lang") == ("fr" if english else "en"), other
        assert follow() == (start if has_counterpart else "/en/" if english else "/"), path
    finally:
        context.close()
