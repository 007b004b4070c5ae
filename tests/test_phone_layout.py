"""Charts and tables read on a phone (issue 11, item 3), measured in Debian's Chromium at 390 px.

- every chart's text is rendered at 12 CSS px or more (the HTML bars of bulletin/charts.py bar_list,
  and any SVG text, whose size is scaled by its drawing);
- no label or value is clipped: each lies inside the viewport and inside its chart;
- the page never scrolls sideways, and a table wider than the screen scrolls inside its frame, keeps its
  first column in view and has a visible cue above it.
At 1280 px the sections are tabs under the masthead and the docs' left menu is gone.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_accessibility import chromium_session, serve

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PAGES = [
    "/bulletins/2017-11/",
    "/fonds/qip/",
    "/fonds/ff/",
    "/fonds/",
    "/regions/",
    "/regions/gao/",
    "/plans/liptako-gourma-2024/",
    "/",
]

MEASURE = """() => {
  const vw = document.documentElement.clientWidth;
  const out = {sizes: [], clipped: [], tables: [], pageOverflow: document.documentElement.scrollWidth - vw, charts: 0};
  const scale = el => { const m = el.ownerSVGElement ? el.ownerSVGElement.getScreenCTM() : null; return m ? m.a : 1; };
  const texts = [...document.querySelectorAll('.md-content .sr-bars-label, .md-content .sr-bars-value, ' +
                                              '.md-content .sr-bars-title, .md-content svg text')];
  out.charts = document.querySelectorAll('.md-content .sr-bars, .md-content svg.sr-chart').length;
  for (const el of texts) {
    if (!el.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(el).fontSize) * scale(el);
    out.sizes.push([el.textContent.trim().slice(0, 40), size]);
    const r = el.getBoundingClientRect();
    const frame = el.closest('.sr-bars, svg').getBoundingClientRect();
    const cut = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible';
    if (r.left < -0.5 || r.right > vw + 0.5 || r.left < frame.left - 0.5 || r.right > frame.right + 0.5 || cut)
      out.clipped.push([el.textContent.trim().slice(0, 40), r.left, r.right, frame.left, frame.right]);
  }
  for (const table of document.querySelectorAll('.md-content table')) {
    let wrap = table.parentElement;
    while (wrap && wrap !== document.body && !['auto', 'scroll'].includes(getComputedStyle(wrap).overflowX))
      wrap = wrap.parentElement;
    const box = wrap && wrap !== document.body ? wrap : table.parentElement;
    const overflows = table.getBoundingClientRect().width > box.clientWidth + 1;
    const hint = box.previousElementSibling;
    const first = table.querySelector('tbody tr > :first-child');
    out.tables.push({
      caption: (table.caption ? table.caption.textContent : '').trim().slice(0, 50),
      overflows, scrolls: box === wrap,
      cue: !!(hint && hint.classList.contains('sr-scroll-hint') && hint.getBoundingClientRect().height > 0),
      sticky: !!first && getComputedStyle(first).position === 'sticky'});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    """The session's seed site (tests/conftest.py), served over HTTP on 127.0.0.1."""
    server, url = serve(built_site)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    with chromium_session() as chromium:
        yield chromium


def measure(browser, url: str, viewport: dict) -> dict:
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    try:
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("networkidle")
        return page.evaluate(MEASURE)
    finally:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_charts_and_tables_read_on_a_phone(browser, base_url, path):
    found = measure(browser, base_url + path, PHONE)
    small = [(text, round(size, 1)) for text, size in found["sizes"] if size < 12]
    assert small == [], f"chart text below 12 px at 390 px on {path}"
    assert found["clipped"] == [], f"chart text outside its chart or the screen on {path}"
    assert found["pageOverflow"] <= 0, f"{path} scrolls sideways by {found['pageOverflow']} px"
    for table in found["tables"]:
        if table["overflows"]:
            assert table["scrolls"] and table["cue"] and table["sticky"], (path, table)


def test_the_measured_pages_hold_charts_and_a_wide_table(browser, base_url):
    """The checks above are not vacuous: the issue has its two charts, a fund page a table wider than a phone."""
    issue = measure(browser, base_url + "/bulletins/2017-11/", PHONE)
    assert issue["charts"] == 2 and len(issue["sizes"]) >= 10
    fund = measure(browser, base_url + "/fonds/ff/", PHONE)
    assert any(t["overflows"] for t in fund["tables"])


def test_desktop_has_tabs_and_no_docs_menu(browser, base_url):
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(base_url + "/bulletins/2017-11/", wait_until="load")
        assert page.locator(".md-tabs").is_visible()
        assert not page.locator(".md-sidebar--primary").is_visible()
        assert page.locator(".md-sidebar--secondary").get_by_text("Dans ce numéro").is_visible()
    finally:
        context.close()


def test_the_text_is_drawn_in_the_sites_font(browser, base_url):
    """Lato cut down to French (templates/web/assets/fonts), which draws the narrow no-break space that
    groups amounts: the browser draws the text in it, regular and bold, not in a phone's fallback font.
    (A face the page declares but no text uses is never loaded: status 'unloaded'.)"""
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(base_url + "/bulletins/2017-11/", wait_until="networkidle")
        faces = page.evaluate("""async () => { await document.fonts.ready;
            return [...document.fonts].map(f => [f.family.replaceAll('"', ''), f.weight, f.status]); }""")
        assert sorted(faces) == [["Bulletin Texte", "400", "loaded"], ["Bulletin Texte", "700", "loaded"]]
        family = page.evaluate("getComputedStyle(document.querySelector('.md-typeset p')).fontFamily")
        assert family.split(",")[0].strip(" '\"") == "Bulletin Texte", family
    finally:
        context.close()


def test_the_phone_menu_opens_and_leads_to_a_section_without_any_script(browser, base_url):
    """The pages load no script (templates/web/main.html): Material's drawer opens by its CSS alone."""
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(base_url + "/bulletins/2017-11/", wait_until="networkidle")
        assert page.evaluate("document.scripts.length") == 0
        link = page.locator(".md-sidebar--primary").get_by_role("link", name="Les fonds")
        assert not link.is_visible() or link.bounding_box()["x"] < 0  # the drawer is closed
        page.locator("header label[for='__drawer']").click()
        page.wait_for_timeout(400)  # the drawer slides in
        box = link.bounding_box()
        assert link.is_visible() and box is not None and 0 <= box["x"] < PHONE["width"]
        with page.expect_navigation():
            link.click()
        assert page.url == base_url + "/fonds/"
    finally:
        context.close()


def test_a_work_plans_quarters_and_shares_read_on_a_phone(browser, base_url):
    """At 390 px the quarter headers ran together (« T1T2T3T4 ») and each share's « % » wrapped onto a
    line of its own: the headers now stand apart, and a share keeps its sign on its line."""
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(base_url + "/plans/liptako-gourma-2024/", wait_until="load")
        boxes = [h.bounding_box() for h in page.locator("table.wp-table thead th.wp-q").all()]
        assert len(boxes) == 4 and all(boxes)
        gaps = [b["x"] - (a["x"] + a["width"]) for a, b in itertools.pairwise(boxes)]
        texts = page.eval_on_selector_all(
            "table.wp-table thead th.wp-q",
            "hs => hs.map(h => { const r = document.createRange();"
            " r.selectNodeContents(h); const b = r.getBoundingClientRect(); return [b.left, b.right] })",
        )
        assert all(later[0] - earlier[1] >= 4 for earlier, later in itertools.pairwise(texts)), (texts, gaps)
        heights = page.eval_on_selector_all(
            "table.wp-accounts td.num:last-child",
            "cs => cs.map(c => { const r = document.createRange(); r.selectNodeContents(c);"
            " return r.getClientRects().length })",
        )
        assert heights and all(lines == 1 for lines in heights), heights
    finally:
        context.close()


# The shipped amounts of one chart have the same number of digits: the first value of each chart is
# lengthened in the page, as a month with a larger amount on one row would print it.
BARS = """() => [...document.querySelectorAll('.md-content .sr-bars')].map(chart => {
  const first = chart.querySelector('.sr-bars-value');
  first.textContent = '12 345 678 ' + first.textContent;
  return {
    id: chart.id,
    tracks: [...chart.querySelectorAll('.sr-bars-bar')].map(b => b.getBoundingClientRect().width),
    values: [...chart.querySelectorAll('.sr-bars-value')].map(v => {  // the text's width, not its cell's
      const r = document.createRange(); r.selectNodeContents(v); return r.getBoundingClientRect().width; }),
  };
})"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_bars_of_a_chart_are_drawn_on_one_scale(browser, base_url, viewport):
    """Each bar's length is a share of its track: tracks of different widths draw the same share as
    different lengths. A grid per row sized the track by what its own value left over, so a row with a
    longer amount had a shorter track (found by a review: 180 px against 190); the rows now share one
    grid. Every chart of the issue, a work plan and the home page, at both widths."""
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    try:
        charts = []
        for path in ("/bulletins/2017-11/", "/plans/liptako-gourma-2024/", "/"):
            page = context.new_page()
            page.goto(base_url + path, wait_until="load")
            charts += [(path, chart) for chart in page.evaluate(BARS)]
            page.close()
        assert len(charts) >= 4 and all(len(c["tracks"]) >= 2 for _, c in charts), charts
        for path, chart in charts:
            assert max(chart["values"]) - min(chart["values"]) > 20, (path, chart)  # the rows differ
            assert max(chart["tracks"]) - min(chart["tracks"]) < 0.5, (path, chart)
    finally:
        context.close()
