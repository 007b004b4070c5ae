"""The readers' search without a browser: the Pagefind index the build writes (bulletin/search.py),
what it holds and leaves out, its French failures, and the header that replaces Material's search box.
Real searches, in Chromium, are in test_search_browser.py."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest

from bulletin import search
from bulletin.compress import precompress
from bulletin.search import SearchIndexFailed, index_site, split_elisions

from .conftest import CONTENT, ROOT

DOCS = CONTENT / "pages"  # the fixed pages of the content built (MkDocs's docs_dir follows --content)


def _excluded_fixed_pages() -> set[str]:
    """The fixed pages whose front matter keeps them out of the search (the author's guide)."""
    out = set()
    for source in DOCS.rglob("*.md"):
        text = source.read_text(encoding="utf-8")
        front = text.split("---\n", 2)[1] if text.startswith("---\n") else ""
        if "search:\n  exclude: true" in front:
            relative = source.relative_to(DOCS).with_suffix("").as_posix()
            out.add(relative.removesuffix("index") if relative.endswith("index") else relative + "/")
    return out


# Pages the search leaves out: those fixed pages, the search pages of both editions (generated with the
# same front matter), and the 404 page, which has no article.
NOT_INDEXED = _excluded_fixed_pages() | {"recherche/", "en/recherche/", "404.html"}
COPYRIGHT = re.search(r"^copyright: (.+)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)[1]


def fragments(site: Path) -> dict[str, dict]:
    """Every page Pagefind indexed, by URL: its fragment (gzipped JSON after a signature)."""
    out = {}
    for path in (site / "pagefind/fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        out[fragment["url"]] = fragment
    return out


def page_url(site: Path, page: Path) -> str:
    relative = page.relative_to(site).as_posix()
    return relative.removesuffix("index.html") if relative.endswith("index.html") else relative


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from bulletin.cli import main

    tmp = tmp_path_factory.mktemp("search")
    site = tmp / "site"
    assert (
        main(["--content", str(CONTENT), "--site-dir", str(site), "--cache-dir", str(tmp / "cache"), "--sans-pdf"]) == 0
    )
    return site.resolve()


def test_the_built_site_has_a_french_index_of_every_article(built):
    """One index per language: the French pages in French, the English edition's (under en/) in English."""
    entry = json.loads((built / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert sorted(entry["languages"]) == ["en", "fr"]
    pages = {page_url(built, p) for p in built.rglob("*.html") if p.relative_to(built).parts[0] != "pagefind"}
    indexed = {url.lstrip("/") for url in fragments(built)}
    assert indexed == pages - NOT_INDEXED
    english = {url for url in indexed if url.startswith("en/")}
    assert entry["languages"]["fr"]["page_count"] == len(indexed - english)
    assert entry["languages"]["en"]["page_count"] == len(english)
    assert "bulletins/2017-11/" in indexed and "regions/gao/" in indexed and "" in indexed


def test_each_indexed_page_marks_its_article_and_only_it(built):
    for page in built.rglob("*.html"):
        url = page_url(built, page)
        if url.startswith("pagefind/"):
            continue
        html = page.read_text(encoding="utf-8")
        # Each language's index is made from the pages of its folder (bulletin.search): the English
        # edition's pages are those under en/, and they alone say so.
        assert f'<html lang="{"en" if url.startswith("en/") else "fr"}"' in html, url
        expected = 0 if url in NOT_INDEXED else 1
        assert html.count("data-pagefind-body") == expected, url
        if expected:
            article = html.index('<article class="md-content__inner md-typeset">')
            assert article < html.index("<div data-pagefind-body>") < html.index("</article>"), url


def test_the_frame_of_the_pages_is_not_indexed(built):
    """The header, menus and footer repeat on every page: searching them would find every page."""
    found = fragments(built)
    issue = found["/bulletins/2017-11/"]
    assert "pépiniéristes" in issue["content"]  # the article is there
    assert issue["meta"]["title"] == "Bulletin mensuel S&R Novembre 2017"
    for url, fragment in found.items():
        text = fragment["content"]
        for frame in (COPYRIGHT, "Aller au contenu", "Rechercher dans les bulletins", "Guide de l'auteur"):
            assert frame not in text, (url, frame)


def test_elisions_are_split_for_the_indexer_only(built):
    issue = fragments(built)["/bulletins/2017-11/"]["content"]
    assert "l’ installation" in issue and "l’installation" not in issue
    page = (built / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    assert "l’installation" in page and "l’ installation" not in page
    assert (
        split_elisions("l&#39;autorité, d&rsquo;Ansongo, qu’elle, jusqu’à, L'État")
        == "l&#39; autorité, d&rsquo; Ansongo, qu’ elle, jusqu’ à, L' État"
    )
    assert split_elisions("aujourd’hui, « l’ », c’est-à-dire 'l’2017'") == "aujourd’hui, « l’ », c’ est-à-dire 'l’2017'"


def test_only_the_search_that_the_search_page_uses_is_published(built):
    bundle = built / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-worker.js").is_file()
    assert (bundle / "wasm.fr.pagefind").is_file()
    assert not [name for name in search.UNUSED if (bundle / name).exists()]
    script = (ROOT / "templates/web/assets/javascripts/recherche.js").read_text(encoding="utf-8")
    assert '"../../pagefind/pagefind.js"' in script


def test_a_rebuild_leaves_the_index_of_the_site_in_place_untouched(tmp_path):
    """The next generation starts as hard links to the one in place (bulletin.publish): indexing it
    must not write through them into the published index."""
    old, new = tmp_path / "site.1", tmp_path / "site.2"
    page = '<html lang="fr"><body><nav>Menu</nav><div data-pagefind-body><p>{}</p></div></body></html>'
    (old / "a").mkdir(parents=True)
    (old / "a/index.html").write_text(page.format("Première réunion à Gao"), encoding="utf-8")
    index_site(old)
    before = {p: p.read_bytes() for p in (old / "pagefind").rglob("*") if p.is_file()}
    for path in old.rglob("*"):
        target = new / path.relative_to(old)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            os.link(path, target)
    (new / "b").mkdir()
    (new / "b/index.html").write_text(page.format("Remise du radier de Koniba"), encoding="utf-8")
    index_site(new)
    assert {p: p.read_bytes() for p in (old / "pagefind").rglob("*") if p.is_file()} == before
    assert {f["url"] for f in fragments(new).values()} == {"/a/", "/b/"}
    assert {f["url"] for f in fragments(old).values()} == {"/a/"}


def test_the_copies_pagefind_reads_are_kept_and_only_the_pages_written_since_copied_again(tmp_path):
    site, copies = tmp_path / "site", tmp_path / "cache/recherche"
    page = '<html lang="fr"><body><div data-pagefind-body><p>{}</p></div></body></html>'
    for name, text in (("a", "Première réunion à Gao"), ("b", "Remise du radier de Koniba"), ("c", "Forage à Ber")):
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(page.format(text), encoding="utf-8")
    index_site(site, copies)
    kept = copies / "pages/fr/a/index.html"
    first = kept.stat()
    fresh = site / "b/index.html.new"  # as a rebuild writes a page: a new file, renamed over the old
    fresh.write_text(page.format("Remise de l’installation de Koniba"), encoding="utf-8")
    fresh.replace(site / "b/index.html")
    shutil.rmtree(site / "c")
    index_site(site, copies)
    assert kept.stat().st_ino == first.st_ino and kept.stat().st_mtime_ns == first.st_mtime_ns  # not copied again
    assert "l’ installation" in (copies / "pages/fr/b/index.html").read_text(encoding="utf-8")
    assert not (copies / "pages/fr/c/index.html").exists()
    assert {f["url"] for f in fragments(site).values()} == {"/a/", "/b/"}
    with_copies = {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    index_site(site)  # from a temporary copy of every page: the same index
    assert {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()} == with_copies
    (copies / "copies.json").write_text("{", encoding="utf-8")  # unreadable: every page copied afresh
    index_site(site, copies)
    assert kept.stat().st_mtime_ns != first.st_mtime_ns
    assert {f["url"] for f in fragments(site).values()} == {"/a/", "/b/"}
    blocked = tmp_path / "fichier"
    blocked.write_text("", encoding="utf-8")
    index_site(site, blocked / "recherche")  # a cache that cannot be written: indexed all the same
    assert {f["url"] for f in fragments(site).values()} == {"/a/", "/b/"}


def test_a_build_that_finds_the_copies_held_by_another_indexes_from_its_own(tmp_path):
    """Builds may run at the same time on one site and cache (bulletin/publish.py): the copies are one
    build's at a time, from its copying to the end of Pagefind's reading; another works apart."""
    import fcntl

    from bulletin.publish import try_lock

    site, copies = tmp_path / "site", tmp_path / "cache/recherche"
    (site / "a").mkdir(parents=True)
    page = '<html lang="fr"><body><div data-pagefind-body><p>{}</p></div></body></html>'
    (site / "a/index.html").write_text(page.format("Première réunion à Gao"), encoding="utf-8")
    index_site(site, copies)
    record = (copies / "copies.json").read_bytes()
    held = try_lock(copies, fcntl.LOCK_EX)
    assert held is not None
    try:
        fresh = site / "a/index.html.new"
        fresh.write_text(page.format("Remise du radier de Koniba"), encoding="utf-8")
        fresh.replace(site / "a/index.html")
        index_site(site, copies)  # the other build's copies are left as they are
        assert (copies / "copies.json").read_bytes() == record
        assert "Koniba" in next(iter(fragments(site).values()))["content"]
    finally:
        os.close(held)
    index_site(site, copies)  # free again: this build's copies
    assert (copies / "copies.json").read_bytes() != record
    assert "Koniba" in (copies / "pages/fr/a/index.html").read_text(encoding="utf-8")


def test_a_failing_pagefind_is_reported_in_french(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text('<html lang="fr"><body><p>Texte</p></body></html>', encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", shutil.which("false") or "/bin/false")
    with pytest.raises(SearchIndexFailed) as failed:
        index_site(tmp_path)
    assert str(failed.value).startswith(
        "Index de recherche : Pagefind s'est arrêté avec le code 1. Ce qu'il a écrit :\n(aucune sortie)\n"
    )
    assert str(failed.value).endswith("Rien n'a été publié : le site précédent reste en place.")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "absent"))
    with pytest.raises(SearchIndexFailed, match=r"^Index de recherche : le programme Pagefind est introuvable"):
        index_site(tmp_path)


def test_a_site_without_pages_is_refused_with_pagefinds_own_words(tmp_path):
    with pytest.raises(SearchIndexFailed) as failed:
        index_site(tmp_path)
    assert str(failed.value).startswith(
        "Index de recherche : Pagefind s'est arrêté avec le code 1. "
        "Ce qu'il a écrit :\nError: Pagefind was not able to build an index"
    )


def test_a_failed_index_leaves_the_site_in_place(content, tmp_path, cli, monkeypatch):
    site = tmp_path / "site"
    args = ("--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp_path / "c"), "--sans-pdf")
    assert cli(*args).code == 0
    in_place = site.resolve()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", shutil.which("false") or "/bin/false")
    run = cli(*args)
    assert run.code == 1
    assert "Index de recherche : Pagefind s'est arrêté avec le code 1." in run.err
    assert "Traceback" not in run.err
    assert site.resolve() == in_place and (in_place / "pagefind/pagefind.js").is_file()


def test_the_header_is_materials_with_the_sites_search_form():
    """templates/web/partials/header.html overrides Material's: re-check it when upgrading Material."""
    from importlib.resources import files

    theirs = (Path(str(files("material"))) / "templates/partials/header.html").read_text(encoding="utf-8")
    ours = (ROOT / "templates/web/partials/header.html").read_text(encoding="utf-8")
    start = theirs.index('    {% if "material/search" in config.plugins %}')
    end = theirs.index("    {% if config.repo_url %}")
    switch = ours[
        ours.index('    {% include "partials/recherche.html" %}') : ours.index("    {% if config.repo_url %}")
    ]
    assert "language_switch" in switch  # the language switch (bulletin/pages_en.py) follows the search form
    expected = theirs[:start] + switch + theirs[end:]
    # The site's name is ours too (the English edition's name, shortened on phones: partials/nom-du-site.html).
    ours = ours.replace('{% include "partials/nom-du-site.html" %}', "{{ config.site_name }}")
    name = '{% include "partials/nom-du-site-complet.html" %}'  # the logo's label, in the page's language
    ours = ours.replace(f'title="{name}"', 'title="{{ config.site_name | e }}"')
    ours = ours.replace(f'aria-label="{name}"', 'aria-label="{{ config.site_name }}"')
    assert ours.split("-#}\n", 1)[1] == expected.split("-#}\n", 1)[1]


def test_no_page_shows_materials_search_box_and_every_page_has_the_form(built):
    for page in built.rglob("*.html"):
        if page.relative_to(built).parts[0] == "pagefind":
            continue
        html = page.read_text(encoding="utf-8")
        assert 'data-md-component="search"' not in html and 'for="__search"' not in html, page
        if page.name == "404.html":  # stands alone, to work at any address: its one link goes home
            continue
        form = re.search(r'<form class="sr-recherche" action="([^"]+)" method="get" role="search"', html)
        assert form, page
        search = "http://site/en/recherche/" if page_url(built, page).startswith("en/") else "http://site/recherche/"
        assert urljoin(f"http://site/{page_url(built, page)}", form[1]) == search, page


def test_materials_own_search_is_not_published(built):
    """lunr, its languages and its worker: no page loads them (the site searches with Pagefind)."""
    scripts = built / "assets/javascripts"
    assert (scripts / "recherche.js").is_file() and list(scripts.glob("bundle.*.min.js"))
    assert not (scripts / "lunr").exists() and not list(scripts.glob("workers/search.*"))
    for page in built.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "lunr" not in html and "workers/search" not in html, page


def test_titles_read_the_same_in_the_title_bar_and_the_results(built):
    """The browser's title bar and a search result say the same (an unquoted « : » once made it "Index")."""
    assert "<title>Région\u00a0: Gao - " in (built / "regions/gao/index.html").read_text(encoding="utf-8")
    assert fragments(built)["/regions/gao/"]["meta"]["title"] == "Région\u00a0: Gao"


def _bundle(site: Path) -> dict[str, bytes]:
    """The index as published, file by file (without the precompressed copies a build adds)."""
    bundle = site / "pagefind"
    return {
        p.relative_to(bundle).as_posix(): p.read_bytes()
        for p in bundle.rglob("*")
        if p.is_file() and p.suffix not in (".gz", ".br")
    }


def test_the_index_made_language_by_language_is_one_run_over_the_whole_site(built, tmp_path):
    """Each language is indexed by a run of its own (less memory, and one may be kept while the other
    is made again); Pagefind indexes languages apart, so it is the index of a single run, byte for byte."""
    pages = tmp_path / "pages"
    for page in built.rglob("*.html"):
        relative = page.relative_to(built)
        if relative.parts[0] != "pagefind":
            (pages / relative).parent.mkdir(parents=True, exist_ok=True)
            (pages / relative).write_text(split_elisions(page.read_text(encoding="utf-8")), encoding="utf-8")
    whole = tmp_path / "whole"
    command = [*search.pagefind_command(), "--site", str(pages), "--output-path", str(whole), "--quiet"]
    subprocess.run(command, check=True, capture_output=True)
    for name in search.UNUSED:
        (whole / name).unlink()
    entry = json.loads((whole / "pagefind-entry.json").read_text(encoding="utf-8"))
    entry["languages"] = dict(sorted(entry["languages"].items()))
    (whole / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    ours = _bundle(built)
    assert {name for name in ours if name.startswith("fragment/en_")} and {n for n in ours if n.startswith("index/fr_")}
    assert ours == {p.relative_to(whole).as_posix(): p.read_bytes() for p in whole.rglob("*") if p.is_file()}
    assert not [p for p in (built / "pagefind").iterdir() if p.name.startswith(".")]  # no run's folder left


PAGE = '<html lang="{}"><body><nav>Menu</nav><div data-pagefind-body><p>{}</p></div></body></html>'


def _two_languages(site: Path, french: str, english: str) -> None:
    for relative, language, text in (
        ("a/index.html", "fr", "Première réunion à Gao"),
        ("b/index.html", "fr", french),
        ("en/a/index.html", "en", "First meeting in Gao"),
        ("en/b/index.html", "en", english),
    ):
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        fresh = site / f"{relative}.new"  # as a rebuild writes a page: a new file, renamed over the old
        fresh.write_text(PAGE.format(language, text), encoding="utf-8")
        fresh.replace(site / relative)


def _next_generation(old: Path, new: Path) -> None:
    """A rebuild's folder: hard links to the generation in place, its index left out (bulletin.publish)."""
    for path in old.rglob("*"):
        relative = path.relative_to(old)
        if relative.parts[0] == "pagefind":
            continue
        target = new / relative
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            os.link(path, target)


def _inodes(site: Path, prefix: str) -> dict[str, int]:
    bundle = site / "pagefind"
    return {
        p.relative_to(bundle).as_posix(): p.stat().st_ino
        for p in bundle.rglob("*")
        if p.is_file()
        and (p.name.startswith(f"{prefix}_") or p.name.startswith((f"pagefind.{prefix}_", f"wasm.{prefix}.")))
    }


@pytest.mark.parametrize("changed", ["fr", "en", "none"])
def test_the_index_of_a_language_whose_pages_did_not_change_is_taken_from_the_generation_in_place(tmp_path, changed):
    old, new, cold = tmp_path / "site.1", tmp_path / "site.2", tmp_path / "froid"
    _two_languages(old, "Remise du radier de Koniba", "Handover of the Koniba culvert")
    index_site(old)
    precompress(old)
    published = _bundle(old)
    _next_generation(old, new)
    french = "Remise du forage de Ber" if changed == "fr" else "Remise du radier de Koniba"
    english = "Handover of the Ber borehole" if changed == "en" else "Handover of the Koniba culvert"
    _two_languages(new, french, english)
    index_site(new, base=old)
    assert _bundle(old) == published  # the index in place is untouched
    _two_languages(cold, french, english)
    index_site(cold)
    assert _bundle(new) == _bundle(cold)  # the same index as made from nothing
    for language in ("fr", "en"):
        kept = _inodes(new, language)
        assert kept, language
        if language == changed:
            assert not set(kept.items()) & set(_inodes(old, language).items()), language  # made again
        else:
            assert kept == _inodes(old, language), language  # the same files, linked
    # The script and worker a run writes are those in place, so are their compressed copies: not made again.
    for name in ("pagefind.js", "pagefind.js.gz", "pagefind.js.br", "pagefind-worker.js.gz"):
        assert (new / "pagefind" / name).stat().st_ino == (old / "pagefind" / name).stat().st_ino, name
    assert precompress(new / "pagefind") == (0 if changed == "none" else 2)  # the entry, gzip and brotli
    assert (
        gzip.decompress((new / "pagefind/pagefind.js.gz").read_bytes()) == (new / "pagefind/pagefind.js").read_bytes()
    )


def test_an_index_in_place_that_lost_its_files_is_made_again(tmp_path):
    old, new, cold = tmp_path / "site.1", tmp_path / "site.2", tmp_path / "froid"
    _two_languages(old, "Remise du radier de Koniba", "Handover of the Koniba culvert")
    index_site(old)
    for meta in (old / "pagefind").glob("pagefind.en_*.pf_meta"):
        meta.unlink()  # removed by hand from the site in place: its English index is unusable
    _next_generation(old, new)
    _two_languages(new, "Remise du forage de Ber", "Handover of the Koniba culvert")
    index_site(new, base=old)
    _two_languages(cold, "Remise du forage de Ber", "Handover of the Koniba culvert")
    index_site(cold)
    assert _bundle(new) == _bundle(cold)


def test_a_language_whose_pages_mark_no_article_is_indexed_as_one_run_would(tmp_path):
    """Pagefind indexes the marked article alone once a page of its run is marked, whole pages
    otherwise. Beside marked French pages, unmarked English ones give no index, as in one run over the
    site, and the build says so; with no page marked at all, both languages are indexed, whole pages."""
    site = tmp_path / "site"
    _two_languages(site, "Remise du radier de Koniba", "Handover of the Koniba culvert")
    for page in (site / "en").rglob("*.html"):
        page.write_text(page.read_text(encoding="utf-8").replace(" data-pagefind-body", ""), encoding="utf-8")
    with pytest.raises(SearchIndexFailed, match=r"aucun index en anglais(.|\n)*sous en/ doivent porter"):
        index_site(site)
    for page in site.rglob("*.html"):
        page.write_text(page.read_text(encoding="utf-8").replace(" data-pagefind-body", ""), encoding="utf-8")
    index_site(site)
    found = {f["url"]: f["content"] for f in fragments(site).values()}
    assert set(found) == {"/a/", "/b/", "/en/a/", "/en/b/"}
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert sorted(entry["languages"]) == ["en", "fr"]


def test_the_quarter_marks_of_a_work_plan_are_not_searched(built):
    """A plan's calendar cells (« ■ », « T1 : non » for screen readers) are data-pagefind-ignore: they
    filled search excerpts with « T1 : non. ■ ■ T4 : non. »."""
    plan = fragments(built)["/plans/liptako-gourma-2024/"]
    assert plan["content"] and "Liptako" in plan["content"]
    assert "■" not in plan["content"] and "T1 : non" not in plan["content"].replace("\u202f", " ")
