"""The copy for reading from disk (`build.py --hors-ligne`): opened as file://, with no server.

Chromium opens site/index.html from disk, its styles apply, and three links followed one after the
other (an issue, a fund, and back to the home page through the masthead) each land on a real page, not
a directory listing. The search field, which cannot run from disk, is hidden and the page says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.offline import folder_link, make_offline, offline_page

from .test_accessibility import chromium_session

NOTE = "Copie hors ligne du bulletin : la recherche n’est disponible que sur le site web."


def test_folder_links_get_their_index_page():
    assert folder_link("../../fonds/qip/") == "../../fonds/qip/index.html"
    assert folder_link(".") == "./index.html"
    assert folder_link("../bulletins/2017-11/?x=1&amp;y=2#qip") == "../bulletins/2017-11/index.html?x=1&amp;y=2#qip"
    for unchanged in ("#qip", "https://example.org/a/", "/bulletin-sr/", "bulletin-sr-2017-11.pdf", "mailto:a@b.c"):
        assert folder_link(unchanged) == unchanged


def test_page_links_its_stylesheet_at_its_depth_and_says_search_needs_the_website():
    page = offline_page('<html><head></head><body class="x"><a href="../">a</a></body></html>', 2, NOTE)
    assert '<link rel="stylesheet" href="../../assets/stylesheets/hors-ligne.css"></head>' in page
    assert f'<body class="x"><p class="sr-hors-ligne" role="note">{NOTE}</p>' in page
    assert '<a href="../index.html">' in page


def test_pages_shared_with_another_generation_are_not_changed_in_place(tmp_path):
    page = tmp_path / "site/fonds/index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html><head></head><body><a href="../">x</a></body></html>', encoding="utf-8")
    shared = tmp_path / "previous.html"
    shared.hardlink_to(page)
    assert make_offline(tmp_path / "site") == 1
    assert "../index.html" in page.read_text(encoding="utf-8")
    assert '<a href="../">' in shared.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    from bulletin.cli import main

    from .conftest import CONTENT

    tmp = tmp_path_factory.mktemp("offline")
    site = tmp / "site"
    assert (
        main(
            [
                "--content",
                str(CONTENT),
                "--site-dir",
                str(site),
                "--cache-dir",
                str(tmp / "cache"),
                "--sans-pdf",
                "--hors-ligne",
            ]
        )
        == 0
    )
    return site


def test_site_opened_from_disk_follows_three_links_to_real_pages(offline_site):
    home = (offline_site / "index.html").resolve().as_uri()
    with chromium_session() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
        page.goto(home)
        # The theme's stylesheet applied: the header is laid out, not an unstyled list.
        assert page.eval_on_selector("header.md-header", "e => getComputedStyle(e).position") == "sticky"
        assert page.locator(".sr-hors-ligne").inner_text() == NOTE
        assert page.locator(".sr-recherche").count() == 1 and not page.locator(".sr-recherche").is_visible()
        visited = []
        for link in (
            'a[href="bulletins/2017-11/index.html"]',
            'a[href$="fonds/index.html"]',
            "a.md-header__button.md-logo",
        ):
            page.locator(link).first.click()
            page.wait_for_load_state()
            assert page.url.startswith("file://") and page.url.split("#")[0].endswith(".html"), page.url
            assert page.locator("article h1").count() >= 1, f"{page.url}: not a page of the site"
            assert "Index of" not in page.title()
            visited.append(page.url)
        assert visited[-1] == home
        # Nothing failed to load from disk (a font preload would: bulletin/offline.py).
        assert errors == []
        page.close()
