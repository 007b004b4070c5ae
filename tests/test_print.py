"""The print edition: a real WeasyPrint PDF, checked through what a reader and an archive see in it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdf
import pytest

from bulletin.print_build import plan_print, run_print
from bulletin.validate import load_edition

from .conftest import CONTENT, ROOT, add_december, edit

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    from bulletin.cli import main

    base = tmp_path_factory.mktemp("print")
    assert (
        main(
            [
                "pdf",
                "2017-11",
                "--content",
                str(CONTENT),
                "--site-dir",
                str(base / "site"),
                "--cache-dir",
                str(base / "cache"),
            ]
        )
        == 0
    )
    return base / "site/bulletins/2017-11/bulletin-sr-2017-11.pdf"


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace(NNBSP, " ").replace(NBSP, " "))


def test_pdf_holds_every_key_figure(pdf):
    text = pdf_text(pdf)
    for figure in [
        "214 projets finalisés",
        "121 en cours",
        "15,9 millions de dollars américains",
        "335 projets au total depuis 2013",
        "5 projets démarrés en 2015",
        "sur 18 mois",
        "12 106 353 dollars américains",
        "3 projets prolongés",
        "51 projets finalisés",
        "60 projets en cours",
        "111 projets approuvés",
        "45 101 404 dollars américains",
        "53,9 millions de dollars américains",
        "Au 30 novembre 2017",
        "Au 28 février 2017",
    ]:
        assert figure in text, figure


def test_pdf_holds_every_section_heading(pdf):
    text = pdf_text(pdf)
    for heading in [
        "Bulletin mensuel",
        "Novembre 2017",
        "Faits saillants",
        "Chiffres clés",
        "Rôle de la Section S&R",
        "Nombre de projets par région",
        "Secteurs",
        "Coordination des bailleurs et partenariats",
        "Projets à impact rapide (QIPs)",
        "Faits marquants du mois",
        "Fonds fiduciaire",
        "Projets récemment approuvés",
        "Nouvelles contributions",
        "Fonds pour la consolidation de la paix (PBF)",
        "Merci à tous les partenaires",
        "https://minusma.unmissions.org/bulletin-mensuel",
        "http://bit.ly/2EKwwyS",
    ]:
        assert heading in text, heading


def test_pdf_pages_are_a4_and_numbered(pdf):
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 4
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1
    last = len(reader.pages)
    assert f"page {last} / {last}" in reader.pages[-1].extract_text()


def test_fonts_are_embedded_and_subset(pdf):
    reader = pypdf.PdfReader(pdf)
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert all(re.match(r"/[A-Z]{6}\+Lato", name) for name in fonts), fonts


def test_metadata_language_tags_and_bookmarks(pdf):
    reader = pypdf.PdfReader(pdf)
    meta = reader.metadata
    assert meta.title == "Bulletin mensuel S&R — Novembre 2017"
    assert meta.author == "MINUSMA — Section Stabilisation et Relèvement"
    assert "novembre 2017" in meta.subject
    assert "Mali" in meta["/Keywords"]
    assert meta["/CreationDate"].startswith("D:20171130")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for section in [
        "Faits saillants",
        "Chiffres clés",
        "Coordination des bailleurs et partenariats",
        "Fonds fiduciaire",
    ]:
        assert section in titles


def test_two_builds_give_identical_bytes(tmp_path):
    edition = load_edition(CONTENT)
    first = run_print(plan_print(edition, ROOT / "templates", tmp_path / "a"))[0].path.read_bytes()
    second = run_print(plan_print(edition, ROOT / "templates", tmp_path / "b"))[0].path.read_bytes()
    assert first == second


def test_print_shop_variant_has_bleed_and_marks(tmp_path):
    edition = load_edition(CONTENT)
    office = run_print(plan_print(edition, ROOT / "templates", tmp_path))[0].path
    shop = run_print(plan_print(edition, ROOT / "templates", tmp_path, imprimeur=True))[0].path
    office_page, shop_page = pypdf.PdfReader(office).pages[0], pypdf.PdfReader(shop).pages[0]
    bleed = 3 / 25.4 * 72
    assert float(shop_page.bleedbox.width) == pytest.approx(float(office_page.mediabox.width) + 2 * bleed, abs=0.5)
    assert float(shop_page.trimbox.width) == pytest.approx(595.28, abs=0.5)
    assert float(shop_page.trimbox.height) == pytest.approx(841.89, abs=0.5)


def test_cache_rerenders_only_the_issue_whose_inputs_changed(content, tmp_path):
    """Two issues; an approval dated in December changes December's figures only."""
    add_december(content)
    cache, templates = tmp_path / "cache", ROOT / "templates"
    first = run_print(plan_print(load_edition(content), templates, cache))
    assert [r.rendered for r in first] == [True, True, True]  # two issues and the work plan
    again = run_print(plan_print(load_edition(content), templates, cache))
    assert [r.rendered for r in again] == [False, False, False]
    edit(
        content / "registre/projets/ff.yaml",
        "    approbation: 2017-11-15\n\n- id: FF-2017-06",
        "    approbation: 2017-11-15\n    remise: 2017-12-10\n\n- id: FF-2017-06",
    )
    changed = run_print(plan_print(load_edition(content), templates, cache))
    assert {r.site_path: r.rendered for r in changed} == {
        "bulletins/2017-11/bulletin-sr-2017-11.pdf": False,
        "bulletins/2017-12/bulletin-sr-2017-12.pdf": True,
        "plans/liptako-gourma-2024/liptako-gourma-2024.pdf": False,
    }
    assert len(list(cache.glob("*.pdf"))) == 3  # the outdated December entry was dropped


def test_broken_print_template_keeps_the_previous_pdf(tmp_path, cli):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    site, cache = tmp_path / "site", tmp_path / "cache"
    args = (
        "pdf",
        "2017-11",
        "--content",
        str(CONTENT),
        "--site-dir",
        str(site),
        "--cache-dir",
        str(cache),
        "--templates",
        str(templates),
    )
    assert cli(*args).code == 0
    target = site / "bulletins/2017-11/bulletin-sr-2017-11.pdf"
    before = target.read_bytes()
    edit(templates / "print/issue.html", '<footer class="closing">', '<footer class="closing">{% if %}')
    result = cli(*args)
    assert result.code == 1
    assert "print/issue.html:" in result.err and "erreur dans un gabarit" in result.err
    assert "le site et les PDF précédents restent en place" in result.err
    assert "Traceback" not in result.err
    assert target.read_bytes() == before


def test_everything_painted_is_tagged_or_an_artifact(pdf):
    """PDF/UA-1 asks every text and picture to sit in a marked-content sequence (a tag or an artifact)."""
    from pypdf.generic import ContentStream

    reader = pypdf.PdfReader(pdf)
    untagged = []
    for number, page in enumerate(reader.pages, start=1):
        depth = 0
        for _, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"BDC", b"BMC"):
                depth += 1
            elif operator == b"EMC":
                depth -= 1
            elif operator in (b"Do", b"Tj", b"TJ", b"'", b'"') and depth == 0:
                untagged.append((number, operator))
    assert untagged == []


def _line_end_breaks(path: Path) -> list[str]:
    """The word fragment before each hyphen that ends a line of the PDF's text, in reading order."""
    reader = pypdf.PdfReader(path)
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    return [line.split()[-1] if re.search(r"[^\W\d_]-$", line) else "" for line in lines]


def test_hyphenation_follows_french_editorial_rules(pdf):
    breaks = _line_end_breaks(pdf)
    hyphenated = [b for b in breaks if b]
    assert len(hyphenated) <= 25, hyphenated
    # No acronym, name or code is split: a fragment with a capital is one (or a compound's real hyphen).
    names = [b for b in hyphenated if re.search(r"[A-ZÀ-Þ]", b.split("’")[-1].split("'")[-1])]
    assert names == [], names
    longest = run = 0
    for fragment in breaks:
        run = run + 1 if fragment else 0
        longest = max(longest, run)
    assert longest <= 2, hyphenated


def test_name_protection_leaves_the_charts_alone():
    # A span inside an SVG <text> makes the engine drop the whole chart and print its labels as text.
    edition = load_edition(CONTENT)
    jobs = plan_print(edition, ROOT / "templates", Path("/nonexistent-cache"), months=("2017-11",), plans=False)
    html = jobs[0].html
    charts = re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)
    assert charts and not any("<span" in chart for chart in charts)
    assert '<span class="nh">MINUSMA</span>' in html
