"""Keyboard order on the issue page, in Chromium, on a phone and a desktop (issue 11, item 7).

« Aller au contenu » is the first Tab stop and lands on the issue's title, so that the next Tab
stop is the PDF link (before the article's body, not past it); the PDF link comes early from the top
of the page too, before any link of the article's body; and every Tab stop before it can be seen:
inside the window, not hidden, with a size (the phone's closed navigation drawer used to hold six
stops off-screen).
"""

from __future__ import annotations

import pytest

from .test_accessibility import VIEWPORTS, base_url, browser, built  # noqa: F401 - pytest fixtures

ISSUE = "/bulletins/2017-11/"
PDF = 'a[href$=".pdf"][download]'
FOCUSED = """() => {
    const e = document.activeElement;
    const r = e.getBoundingClientRect();
    let hidden = false;
    for (let n = e; n; n = n.parentElement) {
        const s = getComputedStyle(n);
        if (s.visibility === 'hidden' || s.display === 'none' || s.opacity === '0' && n !== e) hidden = true;
    }
    return {pdf: e.matches('a[href$=".pdf"][download]'), skip: e.classList.contains('md-skip'),
            body: !!e.closest('.sr-issue') && !e.closest('.sr-masthead'),
            what: e.outerHTML.slice(0, 120),
            seen: !hidden && r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth};
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_skip_link_lands_just_before_the_pdf_link(browser, base_url, viewport):  # noqa: F811
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    page.goto(base_url + ISSUE)
    assert page.locator(PDF).count() == 1
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["skip"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["pdf"], "after « Aller au contenu », Tab should reach the PDF link"
    page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_tab_stop_before_the_pdf_link_is_visible(browser, base_url, viewport):  # noqa: F811
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    page.goto(base_url + ISSUE)
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        stops.append(stop)
        if stop["pdf"]:
            break
    assert stops[-1]["pdf"], f"the PDF link is not among the first 40 Tab stops: {[s['what'] for s in stops]}"
    assert [s["what"] for s in stops if s["body"]] == [], "links of the article's body come before the PDF link"
    unseen = [s["what"] for s in stops if not s["seen"] and not s["skip"]]
    assert unseen == []
    page.close()
