"""The public build: without the author's guide (kept for `serve` and `--avec-guide`), and with a
precompressed copy (.gz, .br) beside every text file for servers that serve them (bulletin.compress)."""

from __future__ import annotations

import gzip
import json
import os
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
    assert main(["--content", str(CONTENT), "--site-dir", str(site), "--cache-dir", str(tmp / "cache"),
                 "--sans-pdf", *options]) == 0
    return site


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("public"))


def _search_locations(site: Path) -> list[str]:
    return [doc["location"] for doc in json.loads((site / "search/search_index.json").read_text())["docs"]]


def test_guide_is_absent_from_the_public_site_its_links_and_its_search(public):
    assert not (public / "guide").exists()
    assert not [loc for loc in _search_locations(public) if loc.startswith("guide/")]
    linking = [p for p in public.rglob("*.html") if 'href="../guide/' in p.read_text() or 'href="guide/' in p.read_text()]
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
            else:   # left out only when compressing would not make it smaller
                assert len(data) < 200, copy
    assert not list(public.rglob("*.pdf.gz")) and not list(public.rglob("*.png.gz"))


def test_precompressed_bytes_are_deterministic_and_renewed_when_the_file_changes(tmp_path):
    page = tmp_path / "a/index.html"
    page.parent.mkdir()
    page.write_text("<p>Bulletin</p>" * 100)
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8" * 500)
    assert precompress(tmp_path) == 2
    first = (tmp_path / "a/index.html.gz").read_bytes()
    assert first[4:8] == b"\0\0\0\0"   # gzip header time 0: the same content gives the same bytes
    assert not (tmp_path / "photo.jpg.gz").exists()
    assert precompress(tmp_path) == 0   # up to date: nothing written again
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
