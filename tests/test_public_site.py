"""The public build: without the author's guide (kept for `serve` and `--avec-guide`), and with a
precompressed copy (.gz, .br) beside every text file for servers that serve them (bulletin.compress)."""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

import brotli
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from bulletin.compress import TEXT, precompress, text_files

from .conftest import CONTENT, ROOT


def _build(tmp: Path, *options: str) -> Path:
    from bulletin.cli import main

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
                *options,
            ]
        )
        == 0
    )
    return site


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("public"))


def _search_locations(site: Path) -> list[str]:
    """The address of every page in the readers' search (Pagefind's fragments: gzipped, a marker, JSON)."""
    fragments = sorted((site / "pagefind/fragment").glob("*.pf_fragment"))
    assert fragments, "no search index"
    return [json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))["url"] for f in fragments]


def test_guide_is_absent_from_the_public_site_its_links_and_its_search(public):
    assert not (public / "guide").exists()
    assert "/bulletins/2017-11/" in _search_locations(public)
    assert not [url for url in _search_locations(public) if "guide" in url]
    linking = [p for p in public.rglob("*.html") if re.search(r'href="(\.\./)*guide/', p.read_text())]
    assert linking == []
    assert "guide" not in (public / "sitemap.xml").read_text()


def test_guide_is_built_on_request(tmp_path):
    site = _build(tmp_path, "--avec-guide")
    assert "<h1" in (site / "guide/index.html").read_text() and "Guide de l" in (site / "guide/index.html").read_text()


def test_guide_is_served_by_the_preview():
    """`serve` builds the drafts that `build` leaves out: the guide is one of them."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    guide = get_files(config).get_file_from_path("guide/index.md")
    assert guide is not None
    assert guide.inclusion.is_in_serve() and not guide.inclusion.is_included()


def test_every_text_file_of_the_site_has_its_compressed_copies(public):
    texts = list(text_files(public))
    assert {p.suffix for p in texts} >= {".html", ".css", ".js", ".json", ".xml"}
    for path in texts:
        data = path.read_bytes()
        for suffix, decode in ((".gz", gzip.decompress), (".br", brotli.decompress)):
            copy = path.with_name(path.name + suffix)
            if copy.exists():
                assert decode(copy.read_bytes()) == data, copy
                assert copy.stat().st_size < len(data)
            else:  # left out only when compressing would not make it smaller
                assert len(data) < 200, copy
    assert not list(public.rglob("*.pdf.gz")) and not list(public.rglob("*.png.gz"))


def test_precompressed_bytes_are_deterministic_and_renewed_when_the_file_changes(tmp_path):
    page = tmp_path / "a/index.html"
    page.parent.mkdir()
    page.write_text("<p>Bulletin</p>" * 100)
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8" * 500)
    assert precompress(tmp_path) == 2
    first = (tmp_path / "a/index.html.gz").read_bytes()
    assert first[4:8] == b"\0\0\0\0"  # gzip header time 0: the same content gives the same bytes
    assert not (tmp_path / "photo.jpg.gz").exists()
    assert precompress(tmp_path) == 0  # up to date: nothing written again
    # An incremental build rewrites a page but links the old copy from the generation in place:
    # the copy is renewed, and the previous generation's (a hard link to the same file) is left alone.
    shared = tmp_path / "previous.html.gz"
    shared.hardlink_to(tmp_path / "a/index.html.gz")
    page.write_text("<p>Bulletin 2</p>" * 100)
    os.utime(page, ns=(shared.stat().st_mtime_ns + 10**9,) * 2)
    assert precompress(tmp_path) == 2
    assert gzip.decompress((tmp_path / "a/index.html.gz").read_bytes()) == page.read_bytes()
    assert shared.read_bytes() == first
    assert {".html", ".css", ".js", ".json", ".xml", ".svg", ".csv"} <= TEXT


def test_precompressing_leaves_out_the_folders_it_is_told_until_asked_again(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        for n in range(12):
            page = folder / f"p{n}/index.html"
            page.parent.mkdir(parents=True)
            page.write_text(f"<p>Numéro {n}</p>" * (50 + n), encoding="utf-8")
        (folder / "pagefind").mkdir()
        (folder / "pagefind/pagefind.js").write_text("const x = 1;\n" * 100)
    assert precompress(one) == precompress(two, skip=frozenset({"pagefind"})) + 2
    assert not list((two / "pagefind").glob("*.gz"))
    assert precompress(two) == 2

    def copies(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.suffix in (".gz", ".br")}

    assert copies(one) == copies(two) and len(copies(one)) == 2 * 13


def test_open_data_page_links_every_published_file_with_its_size(public):
    from html import unescape

    from bulletin.filters import format_size

    page = unescape((public / "donnees-ouvertes/index.html").read_text(encoding="utf-8"))
    published = sorted(
        p.relative_to(public).as_posix()
        for p in public.glob("bulletins/*/chiffres-cles.*")
        if p.suffix in (".json", ".csv")
    )
    assert published and (public / "feed.xml").is_file()
    for path in [*published, "feed.xml"]:
        size = format_size((public / path).stat().st_size, "fr")
        assert f'<a href="../{path}">' in page, path
        assert f"</a> ({size})" in page.split(f'<a href="../{path}">', 1)[1].split("\n", 1)[0], path
    assert "<!-- fichiers -->" not in page


def test_open_data_list_names_the_office_pdf_not_the_print_shop_or_control_ones():
    import gettext

    from bulletin.opendata_list import files_markdown

    sizes = {
        "bulletins/2017-11/bulletin-sr-2017-11.pdf": 1_460_000,
        "bulletins/2017-11/bulletin-sr-2017-11-imprimeur.pdf": 1_500_000,
        "bulletins/2017-12/chiffres-cles.csv": 900,
    }
    listed = files_markdown(sizes, gettext.NullTranslations())
    assert "[le numéro imprimable (PDF)](bulletins/2017-11/bulletin-sr-2017-11.pdf) (1,5\u00a0Mo)" in listed
    assert "imprimeur" not in listed
    assert listed.index("Décembre 2017") < listed.index("Novembre 2017")  # newest first
