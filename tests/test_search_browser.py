"""Search in the built site as a reader does it: Material's own search box, in Debian's Chromium.

Each case opens the search as a reader does (a click in the field, the header's search button on a
phone, or the "/" shortcut), which is what makes the page load the search index, the search worker and
lunr (templates/web/main.html holds them back until then); waits for Material's worker to be ready;
types a query into the search input, key by key, waits for the result list to settle, then reads the
results (links, titles, texts) and asserts that the November 2017 issue, /bulletins/2017-11/ or one of
its sections, is found *for the typed words*: the result's `?h=` parameter, which Material fills with
the query words the document matched, holds them all (a mere match on "de" does not count). Where the
point of the case is that the page does not contain the typed form (accents, plural), that is checked
in the built search index too.

The site is built from the shipped content, and once more from a copy in which a QIP takes place in
Ménaka, a place name with an accent. Infrastructure (build, HTTP server, Chromium) comes from
test_accessibility.py.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from bulletin.cli import main
from bulletin.search_fold import FIELD

from .conftest import CONTENT, ISSUE, edit
from .test_accessibility import VIEWPORTS, build_site, chromium_session, serve

ISSUE_PAGE = "bulletins/2017-11/"
QIP = "QIP-2017-04"  # the security cells of a Gendarmerie brigade: no place in the shipped register


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    server, url = serve(site)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


class Site:
    """A built site, served over HTTP: its base URL, and its search index as built."""

    def __init__(self, directory: Path, url: str) -> None:
        self.url = url
        index = json.loads((directory / "search/search_index.json").read_text(encoding="utf-8"))
        self.docs = {doc["location"]: doc for doc in index["docs"]}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Iterator[Site]:
    site = build_site(tmp_path_factory.mktemp("search"))
    with served(site) as url:
        yield Site(site, url)


@pytest.fixture(scope="module")
def menaka(tmp_path_factory) -> Iterator[Site]:
    """The site built from a copy of the content where QIP-2017-04 is located in Ménaka, and the issue's
    event for it says so."""
    tmp = tmp_path_factory.mktemp("search-menaka")
    content = tmp / "content"
    shutil.copytree(CONTENT, content)
    register = content / "registre/projets/qip.yaml"
    text = register.read_text(encoding="utf-8")
    start = text.index(f"- id: {QIP}\n")
    title = text.index("  titre:", start)
    after_title = text.index("\n", title) + 1
    assert "lieux:" not in text[start:text.find("\n- id:", start)], f"{QIP} already has places"
    register.write_text(text[:after_title] + "  lieux: [Ménaka]\n" + text[after_title:], encoding="utf-8")
    edit(content / ISSUE, "à la Brigade de\n        Gendarmerie**,", "à la Brigade de\n        Gendarmerie** de Ménaka,")
    site = tmp / "site"
    assert main(["--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp / "cache"),
                 "--sans-pdf"]) == 0
    with served(site) as url:
        yield Site(site, url)


@pytest.fixture(scope="module")
def browser():
    with chromium_session() as chromium:
        yield chromium


# ---------------------------------------------------------------- the search box

RESULTS = """() => {
  const meta = document.querySelector(".md-search-result__meta").textContent.trim()
  const items = [...document.querySelectorAll(".md-search-result__list a[href]")].map(a => ({
    href: a.href,
    title: (a.querySelector("h1, h2")?.innerText ?? "").trim(),
    text: a.innerText.trim(),
  }))
  return {meta, items, value: document.querySelector("input.md-search__input").value}
}"""
PLACEHOLDER = """() => document.querySelector(".md-search-result__meta").textContent.trim() ===
  JSON.parse(document.getElementById("__config").textContent).translations["search.result.placeholder"]"""
META = """() => document.querySelector(".md-search-result__meta").textContent.trim()"""
INITIALIZING = "Initialisation de la recherche"  # Material's French text until the worker is ready
OPENINGS = ("pointer", "shortcut")


def search(browser, site: Site, query: str, viewport: dict = VIEWPORTS["desktop"], opening: str = "pointer",
           hold_index: bool = False) -> list[dict]:
    """Open Material's search on the home page as a reader does (`opening`: "pointer", a click in the
    field or, on a phone, on the header's search button; "shortcut", the "/" key), type `query` and
    return the results it lists, each with its href, title, visible text, document location in the
    index and matched words (`?h=`).

    Opening the search is what loads it: the function waits for the worker to be ready before
    typing. With `hold_index`, it types at once instead, while the search index is held back on its
    way, then lets the index through: the reader who types before the search is ready."""
    assert opening in OPENINGS, opening
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    try:
        page = context.new_page()
        held: list = []
        if hold_index:
            page.route("**/search/search_index.json", lambda route: held.append(route))
        response = page.goto(site.url + "/", wait_until="load")
        assert response is not None and response.status == 200, site.url
        field = page.locator("input.md-search__input")
        button = page.locator('header label.md-header__button[for="__search"]')
        if opening == "shortcut":
            page.keyboard.press("/")
        elif button.is_visible():  # phone: the header's search button opens the dialog and focuses the field
            button.click()
        else:
            field.click()
        if hold_index:
            field.press_sequentially(query, delay=40)
            deadline = time.monotonic() + 15
            while not held and time.monotonic() < deadline:
                page.wait_for_timeout(50)
            assert held, "opening the search and typing did not request the search index"
            assert page.evaluate(META) == INITIALIZING, "the search was ready without its index"
            held[0].continue_()
        else:
            # The index arrives, the worker builds the search and answers the empty query: ready.
            page.wait_for_function(PLACEHOLDER, timeout=15_000)
            field.press_sequentially(query, delay=40)
        state = settled(page)
    finally:
        context.close()
    assert state["value"] == query, f"the search field holds {state['value']!r}, not {query!r}"
    assert state["meta"] != INITIALIZING, f"the search never started for {query!r}"
    prefix = site.url + "/"
    results = []
    for item in state["items"]:
        parts = urlsplit(item["href"])
        path = f"{parts.scheme}://{parts.netloc}{parts.path}"
        assert path.startswith(prefix), f"result outside the site: {item['href']}"
        location = path[len(prefix):] + (f"#{parts.fragment}" if parts.fragment else "")
        words = parse_qs(parts.query).get("h", [""])[0].split()
        results.append({**item, "location": location, "matched": words})
    return results


def settled(page, quiet: float = 0.8, timeout: float = 15) -> dict:
    """The search result list once it has not changed for `quiet` seconds: Material renders a list
    for every key typed, the last one answering the whole query."""
    last, since, deadline = None, time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page.evaluate(RESULTS)
        if state != last:
            last, since = state, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return state
        page.wait_for_timeout(100)
    raise AssertionError(f"the search results never settled: {last}")


def words_of(query: str) -> list[str]:
    return query.lower().split()


def issue_hits(results: list[dict], query: str) -> list[dict]:
    """The results of the issue page (or its sections) that matched every word of the query."""
    return [r for r in results if r["location"].startswith(ISSUE_PAGE)
            and set(words_of(query)) <= set(r["matched"])]


def describe(results: list[dict]) -> str:
    return "\n".join(f"  {r['location']} (h={' '.join(r['matched'])}) {r['title'][:70]!r}" for r in results) \
        or "  (no result)"


def has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I) is not None


def assert_finds_issue(results: list[dict], query: str) -> list[dict]:
    hits = issue_hits(results, query)
    assert hits, f"searching {query!r} does not find {ISSUE_PAGE} for these words; results:\n{describe(results)}"
    return hits


def assert_variants_hidden(results: list[dict], word: str) -> None:
    """The extra indexed field never shows: no result title or text displays the typed variant."""
    shown = [r["location"] for r in results if has_word(r["text"], word)]
    assert not shown, f"results display {word!r}, which only the hidden {FIELD} field holds: {shown}"


def source_text(site: Site, location: str) -> str:
    doc = site.docs[location]
    return doc["title"] + " " + doc["text"]


# ---------------------------------------------------------------- cases


def test_a_word_of_the_issue_finds_it(browser, shipped):
    hits = assert_finds_issue(search(browser, shipped, "pépiniéristes"), "pépiniéristes")
    assert any(has_word(source_text(shipped, h["location"]), "pépiniéristes") for h in hits)


def test_the_same_word_without_accents_finds_it(browser, shipped):
    results = search(browser, shipped, "pepinieristes")
    hits = assert_finds_issue(results, "pepinieristes")
    # Found through the accented word: the page never writes it without accents.
    assert all(not has_word(source_text(shipped, h["location"]), "pepinieristes") for h in hits)
    assert any(has_word(source_text(shipped, h["location"]), "pépiniéristes") for h in hits)
    assert_variants_hidden(results, "pepinieristes")


@pytest.mark.parametrize("query", ["Menaka", "Ménaka"])
def test_a_place_name_is_found_with_or_without_its_accent(browser, menaka, query):
    results = search(browser, menaka, query)
    hits = assert_finds_issue(results, query)
    assert any(has_word(source_text(menaka, h["location"]), "Ménaka") for h in hits)
    assert all(not has_word(source_text(menaka, h["location"]), "Menaka") for h in hits)
    assert_variants_hidden(results, "Menaka")


def test_a_place_name_without_its_accent_on_a_phone(browser, menaka):
    """The reader of a phone keyboard, through the header's search button."""
    results = search(browser, menaka, "Menaka", VIEWPORTS["phone"])
    assert_finds_issue(results, "Menaka")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_search_shortcut_loads_the_search(browser, menaka, viewport):
    """The "/" key opens the search and loads it, at desktop and phone width."""
    results = search(browser, menaka, "Ménaka", VIEWPORTS[viewport], opening="shortcut")
    assert_finds_issue(results, "Ménaka")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_what_is_typed_before_the_index_arrives_is_searched(browser, menaka, viewport):
    """On a slow connection the reader types while the index is on its way: the whole query is
    searched once it arrives."""
    results = search(browser, menaka, "Menaka", VIEWPORTS[viewport], hold_index=True)
    assert_finds_issue(results, "Menaka")
    assert_variants_hidden(results, "Menaka")


def test_a_project_title_finds_it(browser, shipped):
    hits = assert_finds_issue(search(browser, shipped, "radier de Koniba"), "radier de Koniba")
    assert any("radier de Koniba" in source_text(shipped, h["location"]) for h in hits)


def test_a_plural_finds_the_page_that_says_the_singular(browser, shipped):
    results = search(browser, shipped, "réunions")
    hits = assert_finds_issue(results, "réunions")
    singular_only = [h["location"] for h in hits if has_word(source_text(shipped, h["location"]), "réunion")
                     and not has_word(source_text(shipped, h["location"]), "réunions")]
    assert singular_only, f"no result of {ISSUE_PAGE} that says only « réunion »:\n{describe(hits)}"
    assert_variants_hidden([r for r in results if r["location"] in singular_only], "réunions")


def test_a_word_after_an_elision_is_found(browser, shipped):
    """« l’installation » is found by "installation": the separator splits at apostrophes."""
    hits = assert_finds_issue(search(browser, shipped, "installation"), "installation")
    assert any("l’installation" in source_text(shipped, h["location"]) for h in hits)


def test_a_result_opens_with_the_typed_words_highlighted(browser, shipped):
    """The page a result leads to (`?h=radier`) marks the words: Material needs the search index for
    that, which such a page loads at once, without waiting for the reader to search again."""
    hit = assert_finds_issue(search(browser, shipped, "radier"), "radier")[0]
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="fr-FR")
    try:
        page = context.new_page()
        response = page.goto(hit["href"], wait_until="load")
        assert response is not None and response.status == 200, hit["href"]
        page.wait_for_function("() => document.querySelector('article mark')", timeout=15_000)
        marked = page.evaluate("() => [...document.querySelectorAll('article mark')].map(m => m.textContent)")
    finally:
        context.close()
    assert marked and all(word.lower() == "radier" for word in marked), marked
