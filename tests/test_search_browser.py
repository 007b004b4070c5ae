"""Search in the built site as a reader does it, in Debian's Chromium: the search page (recherche/),
reached from the header's search form or by an address with ?q=, runs Pagefind's search
(bulletin/search.py) and lists its results.

Each case reads the results (link, title, excerpt with its marked words) and asserts that the
November 2017 issue, /bulletins/2017-11/, is found for the typed words: its excerpt marks a word of
the page that the query matched. Where the point of the case is that the page does not contain the
typed form (accents, plural, elision), that is checked in the index Pagefind wrote too.

The site is built from the seed fixture content, and once more from a copy in which a QIP takes
place in Ménaka, a place name with an accent. It is served under the path of mkdocs.yml's site_url
(/bulletin-sr/), as published. Infrastructure (build, HTTP server, Chromium) comes from
test_accessibility.py.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin.cli import main

from .conftest import CONTENT, ISSUE, edit
from .test_accessibility import VIEWPORTS, build_site, chromium_session, serve
from .test_search import fragments

ISSUE_PAGE = "bulletins/2017-11/"
QIP = "QIP-2017-04"  # the security cells of a Gendarmerie brigade: no place in the seed register
STATUS = "#sr-search-etat"


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    server, url = serve(site)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


class Site:
    """A built site, served over HTTP: its base URL, and the text Pagefind indexed for each page."""

    def __init__(self, directory: Path, url: str) -> None:
        self.url = url
        self.texts = {f["url"].lstrip("/"): f["content"] for f in fragments(directory).values()}


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
    assert "lieux:" not in text[start : text.find("\n- id:", start)], f"{QIP} already has places"
    register.write_text(text[:after_title] + "  lieux: [Ménaka]\n" + text[after_title:], encoding="utf-8")
    edit(
        content / ISSUE, "à la Brigade de\n        Gendarmerie**,", "à la Brigade de\n        Gendarmerie** de Ménaka,"
    )
    site = tmp / "site"
    assert (
        main(["--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp / "cache"), "--sans-pdf"]) == 0
    )
    with served(site) as url:
        yield Site(site, url)


@pytest.fixture(scope="module")
def browser():
    with chromium_session() as chromium:
        yield chromium


# ---------------------------------------------------------------- the search page

RESULTS = """() => ({
  status: document.querySelector("#sr-search-etat").textContent.trim(),
  value: document.querySelector("#sr-search-q").value,
  focused: document.activeElement?.id ?? "",
  items: [...document.querySelectorAll("#sr-search-resultats > li")].map(li => ({
    href: li.querySelector("h2 a").href,
    title: li.querySelector("h2 a").textContent,
    excerpt: li.querySelector("p").textContent,
    marked: [...li.querySelector("p").querySelectorAll("mark")].map(m => m.textContent),
    elements: [...li.querySelector("p").querySelectorAll("*")].map(e => e.tagName.toLowerCase()),
  })),
})"""
DONE = """() => { const s = document.querySelector("#sr-search-etat").textContent
  return s !== "" && !s.startsWith("Recherche de") && !s.startsWith("Searching for") }"""


def open_context(browser, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    problems: list[str] = []
    return context, problems


def watch(page, problems: list[str]) -> None:
    page.on("pageerror", lambda e: problems.append(f"script error {e}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)


def results_of(page) -> dict:
    page.wait_for_function(DONE, timeout=15_000)
    return page.evaluate(RESULTS)


def search(browser, site: Site, query: str, viewport: dict = VIEWPORTS["desktop"], edition: str = "") -> dict:
    """Open the search page with ?q=query, as the header's form does, and return what it shows
    (edition "en/": the English site's search page)."""
    context, problems = open_context(browser, viewport)
    try:
        page = context.new_page()
        watch(page, problems)
        response = page.goto(f"{site.url}/{edition}recherche/?q={query}", wait_until="load")
        assert response is not None and response.status == 200, site.url
        state = results_of(page)
    finally:
        context.close()
    assert not problems, problems
    assert state["value"] == query, f"the search field holds {state['value']!r}, not {query!r}"
    return with_locations(site, state)


def with_locations(site: Site, state: dict) -> dict:
    prefix = site.url + "/"
    for item in state["items"]:
        assert item["href"].startswith(prefix), f"result outside the site: {item['href']}"
        item["location"] = item["href"][len(prefix) :]
        # Pagefind marks the text between two spaces: « Ménaka, » is the word Ménaka.
        item["marked"] = [re.sub(r"^\W+|\W+$", "", word) for word in item["marked"]]
        # Excerpts are text with marks, never markup from the index.
        assert set(item["elements"]) <= {"mark"}, item
    return state


def issue_hit(state: dict, query: str) -> dict:
    hits = [r for r in state["items"] if r["location"] == ISSUE_PAGE]
    assert hits, f"searching {query!r} does not find {ISSUE_PAGE}; results:\n{describe(state)}"
    assert hits[0]["marked"], f"{ISSUE_PAGE}'s excerpt marks no word for {query!r}: {hits[0]['excerpt']!r}"
    return hits[0]


def describe(state: dict) -> str:
    return (
        "\n".join(f"  {r['location']} {r['marked']} {r['title'][:70]!r}" for r in state["items"])
        or f"  (no result; status {state['status']!r})"
    )


def has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def announced(state: dict, query: str) -> None:
    count = len(state["items"])
    expected = f"1 résultat pour « {query} »." if count == 1 else f"{count} résultats pour « {query} »."
    assert state["status"] == expected


# ---------------------------------------------------------------- cases


def test_a_word_of_the_issue_finds_it(browser, shipped):
    state = search(browser, shipped, "pépiniéristes")
    hit = issue_hit(state, "pépiniéristes")
    assert hit["marked"] == ["pépiniéristes"] and hit["title"] == "Bulletin mensuel S&R Novembre 2017"
    announced(state, "pépiniéristes")


def test_the_same_word_without_accents_finds_it(browser, shipped):
    hit = issue_hit(search(browser, shipped, "pepinieristes"), "pepinieristes")
    # Found through the accented word: the page never writes it without accents.
    assert hit["marked"] == ["pépiniéristes"]
    assert not has_word(shipped.texts[ISSUE_PAGE], "pepinieristes")


@pytest.mark.parametrize("query", ["Menaka", "Ménaka"])
def test_a_place_name_is_found_with_or_without_its_accent(browser, menaka, query):
    hit = issue_hit(search(browser, menaka, query), query)
    assert "Ménaka" in hit["marked"]
    assert has_word(menaka.texts[ISSUE_PAGE], "Ménaka") and not has_word(menaka.texts[ISSUE_PAGE], "Menaka")


def test_a_plural_finds_the_page_that_says_the_singular(browser, shipped):
    hit = issue_hit(search(browser, shipped, "réunions"), "réunions")
    assert "réunion" in hit["marked"], hit  # the singular, marked for the plural typed


def test_a_highlight_is_found_in_its_issue_not_in_the_pages_that_repeat_it(browser, shipped):
    """The home page and the list of issues repeat the latest issue's highlights: « réunions » listed
    them first, with the issue's own excerpt, word for word, three times."""
    state = search(browser, shipped, "réunions")
    titles = [item["title"] for item in state["items"]]
    assert titles[0] == "Bulletin mensuel S&R Novembre 2017", titles
    assert "Tous les numéros" not in titles and "Bulletin mensuel S&R" not in titles, titles
    excerpts = [item["excerpt"] for item in state["items"]]
    assert len(set(excerpts)) == len(excerpts), excerpts


def test_a_word_after_an_elision_is_found_and_shown_as_written(browser, shipped):
    """« l’installation » is found by "installation" and by "l’installation", and the excerpt reads
    « l’installation », as the page writes it (the index has a space there: bulletin/search.py)."""
    for query in ("installation", "l’installation"):
        hit = issue_hit(search(browser, shipped, query), query)
        assert hit["marked"] == ["installation"], hit
        assert "l’installation" in hit["excerpt"] and "l’ installation" not in hit["excerpt"]
    assert not has_word(shipped.texts[ISSUE_PAGE].replace("l’ installation", ""), "installation")


def test_a_project_title_finds_it(browser, shipped):
    hit = issue_hit(search(browser, shipped, "radier de Koniba"), "radier de Koniba")
    # "de" is left out of the search (too common): the excerpt marks the words that tell.
    assert set(hit["marked"]) & {"radier", "Koniba"} and not set(hit["marked"]) - {"radier", "Koniba"}, hit
    assert "radier de Koniba" in shipped.texts[ISSUE_PAGE]


def test_a_word_found_nowhere_is_said(browser, shipped):
    state = search(browser, shipped, "kwyjibo")
    assert state["items"] == []
    assert state["status"] == "Aucun résultat pour « kwyjibo ». Essayez un autre mot, ou moins de mots."


def test_the_header_form_leads_to_the_results(browser, menaka):
    """At desktop width the reader types in the header's field and presses Enter."""
    context, problems = open_context(browser, VIEWPORTS["desktop"])
    try:
        page = context.new_page()
        watch(page, problems)
        page.goto(menaka.url + "/bulletins/2017-11/", wait_until="load")
        page.get_by_label("Rechercher dans les bulletins").fill("Menaka")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == f"{menaka.url}/recherche/?q=Menaka"
        state = with_locations(menaka, results_of(page))
    finally:
        context.close()
    assert not problems, problems
    issue_hit(state, "Menaka")
    announced(state, "Menaka")


def test_on_a_phone_the_header_button_opens_the_search_page_ready_to_type(browser, menaka):
    context, problems = open_context(browser, VIEWPORTS["phone"])
    try:
        page = context.new_page()
        watch(page, problems)
        page.goto(menaka.url + "/", wait_until="load")
        assert not page.locator("#sr-recherche-entete").is_visible()  # no room: the button alone
        with page.expect_navigation():
            page.get_by_role("button", name="Rechercher").click()
        page.wait_for_load_state("load")
        assert page.evaluate("document.activeElement.id") == "sr-search-q"
        assert page.locator(STATUS).text_content() == ""
        page.keyboard.type("Menaka")
        page.keyboard.press("Enter")
        state = with_locations(menaka, results_of(page))
        assert page.url.endswith("/recherche/?q=Menaka")  # the address can be shared or bookmarked
    finally:
        context.close()
    assert not problems, problems
    issue_hit(state, "Menaka")


def test_the_search_page_says_so_when_the_index_is_missing(browser, shipped):
    """The live preview (build.py serve) writes no index: the page says where it comes from."""
    context, _ = open_context(browser, VIEWPORTS["desktop"])
    try:
        page = context.new_page()
        page.route("**/pagefind/pagefind.js", lambda route: route.fulfill(status=404))
        page.goto(shipped.url + "/recherche/?q=Gao", wait_until="load")
        state = results_of(page)
    finally:
        context.close()
    assert state["items"] == []
    assert state["status"] == (
        "La recherche est indisponible : son index manque. Il est produit par la "
        "construction du site (build.py), pas par l’aperçu."
    )


def test_more_results_come_on_demand_and_take_the_focus(browser, shipped):
    """Ten results at first (each one shown fetches its page's text); the button shows the rest."""
    context, problems = open_context(browser, VIEWPORTS["desktop"])
    try:
        page = context.new_page()
        watch(page, problems)
        page.goto(shipped.url + "/recherche/?q=projets", wait_until="load")
        first = results_of(page)
        count = int(re.match(r"(\d+) résultats", first["status"])[1])
        assert count > 10, first["status"]
        assert len(first["items"]) == 10
        assert first["status"] == f"{count} résultats pour « projets » ; les 10 premiers sont affichés."
        button = page.get_by_role("button", name=f"Afficher {min(10, count - 10)} résultats de plus")
        button.click()
        page.wait_for_function("() => document.querySelectorAll('#sr-search-resultats > li').length > 10")
        after = page.evaluate(RESULTS)
        focused = page.evaluate(
            "document.activeElement.closest('li') === document.querySelectorAll('#sr-search-resultats > li')[10]"
        )
        hidden = page.locator("#sr-search-plus").is_hidden()
    finally:
        context.close()
    assert not problems, problems
    assert len(after["items"]) == min(20, count) and focused
    assert hidden == (count <= 20)
    if count <= 20:
        assert after["status"] == f"{count} résultats pour « projets »."


def test_the_english_search_finds_english_words_in_the_english_pages(browser, shipped):
    """The English search page (en/recherche/) searches Pagefind's English index, built from the pages
    whose <html lang> is "en": English stemming ("meetings" finds "meeting"), English results only,
    in English words."""
    state = search(browser, shipped, "meetings", edition="en/")
    locations = [r["location"] for r in state["items"]]
    assert "en/" + ISSUE_PAGE in locations, describe(state)
    assert all(location.startswith("en/") for location in locations), describe(state)
    hit = next(r for r in state["items"] if r["location"] == "en/" + ISSUE_PAGE)
    assert any(word.lower().startswith("meeting") for word in hit["marked"]), hit
    count = len(state["items"])
    assert state["status"] == ("1 result for “meetings”." if count == 1 else f"{count} results for “meetings”.")
    # A French word of the French issue page is not in the English index.
    french = search(browser, shipped, "réunions", edition="en/")
    assert not any(r["location"] == ISSUE_PAGE for r in french["items"]), describe(french)
