"""Page weight: what a phone downloads to show a page, photos aside, stays under 100 KB gzipped
(issue 11 asks for a first visit under 100 KB transferred and text within 3 s at 400 kbit/s, which
bench/slow_bench.py measures on the wire, with Brotli where the server has it; this static measure
counts every font the stylesheets declare whether the page uses it or not, 30 KB today);
and nothing is ever fetched from a third-party host.

The weight is measured from the built files: the page's HTML, then everything it makes the browser
fetch — `<link>` stylesheets and icons, `<script src>`, SVG images, `@import` and `url()` in those
stylesheets (all of them, used or not: the measure errs on the heavy side) — and what Material's
bundle would fetch at load (sitemap.xml beside each language alternate), though the pages no longer
load it (templates/web/main.html). Each file is gzipped at level 6,
as a web server sends it, and the sizes are summed. Photos (raster `<img>`/`<source>`) are left out:
they are lazy-loaded and weighed by `check` instead.

Search is left out too, because a page load does not fetch it: the header's search field is a plain
form that opens the search page (recherche/), the only page that loads Pagefind's search and the
chunks of its index (bulletin/search.py). The report gives what the first search adds, for the record.

A second test loads the same pages in Chromium and checks that the browser fetched nothing that the
static measure missed, so the figure cannot quietly drift below reality when Material changes; that
nothing of the search is fetched at load, even once the network has long been quiet; and that the
reader who searches from the header gets the search page, Pagefind and its index, and results.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from .test_accessibility import build_site, chromium_session, serve

# Bytes, gzipped. Was 150 KB, then 125 KB; measured once the pages dropped Material's script (31 KB):
# 67 KB (home) and 75 KB (issue), of which 30 KB of fonts.
BUDGET = 100 * 1024
WEIGHED = ["/", "/bulletins/2017-11/", "/en/bulletins/2017-11/"]
ORIGIN = "http://site.invalid"  # stands for the site's own host while resolving relative URLs
PHOTO = re.compile(r"\.(jpe?g|png|webp|gif|avif)$", re.I)
# <link> relations that only name a page, like <a href>: nothing is fetched for them. Any other <link>
# (stylesheet, icon, preload, preconnect…, and "alternate", since Material's bundle fetches sitemap.xml
# beside each one) counts as a resource the browser loads.
NAMING_RELS = {
    "canonical",
    "prev",
    "next",
    "author",
    "license",
    "help",
    "bookmark",
    "external",
    "nofollow",
    "noopener",
    "noreferrer",
    "tag",
    "me",
}
# Elements and attributes whose URL the browser loads by itself (<a href> is a link the reader follows).
LOADED_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}


# ---------------------------------------------------------------- parsing


class PageRefs(HTMLParser):
    """The URLs a page makes the browser load, with the element each comes from, and its inline CSS."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []  # (element, url)
        self.css: list[str] = []
        self.config: dict | None = None
        self.alternates: list[str] = []
        self._capture: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if a.get("style"):
            self.css.append(a["style"])
        if tag == "link" and a.get("href"):
            rel = a.get("rel", "").lower()
            if not set(rel.split()) <= NAMING_RELS | {"alternate"}:  # an alternate's href is not fetched
                self.refs.append((f'link rel="{rel}"', a["href"]))
            # Material's selector, link[rel=alternate], compares the whole value: "alternate " (the
            # language alternates, templates/web/main.html) is the same link type but not selected.
            if rel == "alternate":
                self.alternates.append(a["href"])
        for name in LOADED_ATTRS.get(tag, ()):
            value = a.get(name, "").strip()
            if not value:
                continue
            urls = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
            self.refs += [(tag, url) for url in urls]
        if tag == "style":
            self._capture, self._buffer = "style", []
        elif tag == "script" and a.get("id") == "__config":
            self._capture, self._buffer = "config", []

    def handle_data(self, data):
        if self._capture:
            self._buffer.append(data)

    def handle_endtag(self, tag):
        if self._capture == "style" and tag == "style":
            self.css.append("".join(self._buffer))
        elif self._capture == "config" and tag == "script":
            self.config = json.loads("".join(self._buffer))
        if tag in ("style", "script"):
            self._capture = None


CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""")


def css_urls(css: str) -> list[str]:
    """Every url() and @import target of a stylesheet, data: URIs and fragment references left out."""
    css = CSS_COMMENT.sub("", css)
    found = [next(g for g in m.groups() if g is not None) for m in CSS_URL.finditer(css)]
    found += [next(g for g in m.groups() if g is not None) for m in CSS_IMPORT.finditer(css)]
    return [u.strip() for u in found if u.strip() and not u.strip().startswith(("data:", "#"))]


def is_third_party(url: str) -> bool:
    """An absolute http(s) or protocol-relative URL: the browser would contact another host."""
    return bool(re.match(r"(?i)(https?:)?//", url.strip()))


def parse(page: Path) -> PageRefs:
    refs = PageRefs()
    refs.feed(page.read_text(encoding="utf-8"))
    refs.close()
    return refs


# ---------------------------------------------------------------- measuring


def to_file(site: Path, url: str) -> Path:
    """The built file that answers `url` (an URL of ORIGIN), as a static web server maps it."""
    path = unquote(urlsplit(url).path)
    target = site / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


SEARCH_PAGE = "/recherche/"
SEARCH_BUNDLE = "/pagefind/"


def search_resources(site: Path, language: str = "fr") -> dict[str, Path]:
    """URL -> file of what every first search fetches from the search page, whatever the words:
    Pagefind's script, its worker, its entry and metadata files, and the WebAssembly and metadata of
    the page's language (French; English on the English site's search page). The chunks of the index
    and the page excerpts come on top, a few for each word searched."""
    bundle = site / SEARCH_BUNDLE.strip("/")
    files = [
        bundle / name
        for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", f"wasm.{language}.pagefind")
    ] + sorted(bundle.glob(f"pagefind.{language}_*.pf_meta"))
    found = {}
    for file in files:
        assert file.is_file(), f"the search needs {file}, which the built site lacks"
        found[ORIGIN + "/" + file.relative_to(site).as_posix()] = file
    return found


def resources(site: Path, path: str) -> dict[str, Path]:
    """URL -> file of everything the page at `path` fetches at load, photos aside, the page included.
    The search is not part of it: only the search page loads it, once asked (search_resources)."""
    page_url = ORIGIN + path
    found: dict[str, Path] = {page_url: to_file(site, page_url)}
    refs = parse(found[page_url])
    pending = [
        urljoin(page_url, url)
        for tag, url in refs.refs
        if not (tag in ("img", "source") and PHOTO.search(url)) and tag != 'link rel="alternate"'
    ]
    pending += [urljoin(page_url, url) for css in refs.css for url in css_urls(css)]
    # Material's bundle also fetches sitemap.xml beside each <link rel=alternate> (its language alternates).
    pending += [urljoin(urljoin(page_url, href), "sitemap.xml") for href in refs.alternates]
    while pending:
        url = bare(pending.pop())
        if url in found:
            continue
        assert url.startswith(ORIGIN + "/"), f"{path} loads {url} from another host"
        found[url] = file = to_file(site, url)
        assert file.is_file(), f"{path} needs {url}, which the built site lacks ({file})"
        if file.suffix == ".css":
            pending += [urljoin(url, ref) for ref in css_urls(file.read_text(encoding="utf-8"))]
    return found


def photos(site: Path, path: str) -> set[str]:
    """The page's photos (raster <img>/<source>), the one thing the measure leaves out."""
    page_url = ORIGIN + path
    refs = parse(to_file(site, page_url))
    return {bare(urljoin(page_url, url)) for tag, url in refs.refs if tag in ("img", "source") and PHOTO.search(url)}


def bare(url: str) -> str:
    return urlsplit(url)._replace(query="", fragment="").geturl()


def gzipped(file: Path) -> int:
    return len(gzip.compress(file.read_bytes(), compresslevel=6, mtime=0))


# ---------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("weight"))


@pytest.mark.parametrize("path", WEIGHED)
def test_page_weighs_at_most_100_kb_gzipped(built, path):
    sizes = {url.removeprefix(ORIGIN): gzipped(file) for url, file in resources(built, path).items()}
    total = sum(sizes.values())
    detail = "\n".join(f"  {size / 1024:7.1f} KB  {url}" for url, size in sorted(sizes.items(), key=lambda i: -i[1]))
    report = (
        f"{path} weighs {total / 1024:.1f} KB gzipped ({total} bytes, {len(sizes)} files, photos aside) "
        f"for a budget of {BUDGET / 1024:.0f} KB:\n{detail}"
    )
    language = "en" if path.startswith("/en/") else "fr"
    search = {url.removeprefix(ORIGIN): gzipped(file) for url, file in search_resources(built, language).items()}
    print(report)
    print(
        f"  + {sum(search.values()) / 1024:.1f} KB, not counted, once the reader searches (with the search "
        "page, and the index chunks for the words): "
        + ", ".join(f"{url} {size / 1024:.1f} KB" for url, size in search.items())
    )
    assert search, f"{path}: no search found to leave out of the measure"
    assert total <= BUDGET, report


def test_no_page_or_stylesheet_loads_anything_from_a_third_party_host(built):
    offenders = []
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        refs = parse(page)
        urls = [(tag, url) for tag, url in refs.refs] + [("style", url) for css in refs.css for url in css_urls(css)]
        offenders += [f"{page.relative_to(built)}: <{tag}> {url}" for tag, url in urls if is_third_party(url)]
    for sheet in sorted(built.rglob("*.css")):
        offenders += [
            f"{sheet.relative_to(built)}: url()/@import {url}"
            for url in css_urls(sheet.read_text(encoding="utf-8"))
            if is_third_party(url)
        ]
    assert not offenders, "third-party resources (self-host them):\n" + "\n".join(offenders)


def test_the_measure_counts_all_that_chromium_fetches(built):
    """Chromium, loading each weighed page, fetches only files of the site, all counted by the measure,
    and nothing of the search; the reader who then opens the search and types gets the search, all of
    it and nothing more, and results."""
    server, base = serve(built)
    try:
        with chromium_session() as browser:
            bundle = base + SEARCH_BUNDLE
            for path in WEIGHED:
                # An English page searches the English site (en/recherche/), in English.
                language = "en" if path.startswith("/en/") else "fr"
                search = {url.replace(ORIGIN, base, 1) for url in search_resources(built, language)}
                page = ("/en" if language == "en" else "") + SEARCH_PAGE
                search_page = {url.replace(ORIGIN, base, 1) for url in resources(built, page)}
                at_load, searching, results = fetched_by_chromium(browser, base + path, QUERIES[language])
                elsewhere = sorted(url for url in at_load | searching if not url.startswith(base + "/"))
                assert not elsewhere, f"{path}: Chromium contacted other hosts: {elsewhere}"
                counted = {url.replace(ORIGIN, base, 1) for url in resources(built, path)}
                left_out = {url.replace(ORIGIN, base, 1) for url in photos(built, path)}
                loaded = {bare(url) for url in at_load}
                early = sorted(url for url in loaded if url.startswith(bundle) or url in search_page - counted)
                assert not early, f"{path}: Chromium fetched search files at load, before any search: {early}"
                missed = sorted(loaded - counted - left_out)
                assert not missed, f"{path}: Chromium fetched files that the weight measure does not count: {missed}"
                fetched = {bare(url) for url in searching}
                assert fetched >= search, f"{path}: searching did not fetch {sorted(search - fetched)}"
                chunks = [url for url in fetched if url.startswith((bundle + "index/", bundle + "fragment/"))]
                assert chunks, f"{path}: searching fetched no chunk of the index; fetched: {sorted(fetched)}"
                unexpected = sorted(
                    url for url in fetched - search - search_page - loaded if not url.startswith(bundle)
                )
                assert not unexpected, f"{path}: searching fetched more than the search files: {unexpected}"
                assert results, f"{path}: the search listed no result for {QUERIES[language]!r}"
    finally:
        server.shutdown()
        server.server_close()


QUERIES = {"fr": "radier", "en": "causeway"}  # a word of the November 2017 issue, in each language
SEARCH_RESULTS = "() => document.querySelectorAll('#sr-search-resultats > li').length"


def fetched_by_chromium(browser, url: str, query: str) -> tuple[set[str], set[str], int]:
    """Every URL the browser requests for the page, its workers included, once the network is quiet;
    then every URL it requests once the reader, on a phone, taps the header's search button, which
    opens the search page, and types `query` there; and the number of search results listed."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        fetched: list[str] = []
        context.on("request", lambda request: fetched.append(request.url))
        page = context.new_page()
        response = page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == 200, url
        # Long enough for anything a script would start on its own: 1.5 s without a request.
        wait_for_quiet(page, fetched)
        at_load = len(fetched)
        with page.expect_navigation():
            page.locator("header .sr-recherche__bouton").click()
        page.locator("#sr-search-q").press_sequentially(query, delay=40)
        page.keyboard.press("Enter")
        wait_for_quiet(page, fetched)
        deadline = time.monotonic() + 10
        while not (results := page.evaluate(SEARCH_RESULTS)) and time.monotonic() < deadline:
            page.wait_for_timeout(100)
    finally:
        context.close()
    return (
        {u for u in fetched[:at_load] if not u.startswith("data:")},
        {u for u in fetched[at_load:] if not u.startswith("data:")},
        results,
    )


def wait_for_quiet(page, fetched: list[str], quiet: float = 1.5, timeout: float = 15) -> None:
    seen, quiet_since, deadline = len(fetched), time.monotonic(), time.monotonic() + timeout
    while time.monotonic() - quiet_since < quiet and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        if len(fetched) != seen:
            seen, quiet_since = len(fetched), time.monotonic()
