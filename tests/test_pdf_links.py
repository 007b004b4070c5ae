"""A page's link to a PDF the build places after MkDocs's own build is not reported missing (in English,
to a French author); any other missing target still is."""

from __future__ import annotations

import logging
from pathlib import Path

from bulletin.plugin import _PlacedPdfs
from bulletin.print_build import PrintResult
from bulletin.site_build import SiteBuild


def _record(message: str) -> logging.LogRecord:
    return logging.LogRecord("mkdocs.structure.pages", logging.WARNING, __file__, 1, message, None, None)


def test_links_to_placed_pdfs_pass_and_other_missing_targets_are_reported(tmp_path: Path) -> None:
    site = SiteBuild(
        tmp_path,
        {},
        pdfs=tuple(
            PrintResult(site_path, tmp_path / "x.pdf", True)
            for site_path in (
                "bulletins/2017-11/bulletin-sr-2017-11.pdf",
                "en/bulletins/2017-11/bulletin-sr-2017-11-en.pdf",
            )
        ),
    )
    kept = _PlacedPdfs(site.placed_pdfs)
    french = (
        "Doc file 'donnees-ouvertes.md' contains a link 'bulletins/2017-11/bulletin-sr-2017-11.pdf', but the"
        " target is not found among documentation files."
    )
    english = (
        "Doc file 'en/donnees-ouvertes.md' contains a link 'bulletins/2017-11/bulletin-sr-2017-11-en.pdf', but the"
        " target 'en/bulletins/2017-11/bulletin-sr-2017-11-en.pdf' is not found among documentation files."
    )
    other = (
        "Doc file 'a-propos.md' contains a link 'bulletins/2017-10/bulletin-sr-2017-10.pdf', but the target is"
        " not found among documentation files."
    )
    assert not kept.filter(_record(french))
    assert not kept.filter(_record(english))
    assert kept.filter(_record(other))
    assert kept.filter(_record("Some other warning"))


def test_every_link_of_a_fixed_page_to_a_placed_pdf_leads_to_it(content, cli, tmp_path: Path) -> None:
    """The open-data page's « le numéro imprimable (PDF) », French and English, and a PDF link an author
    writes in « À propos »: MkDocs left them relative to the page's source, which the page's address is
    not (« donnees-ouvertes.md » is served at « donnees-ouvertes/ »), and each led nowhere."""
    import re

    from .conftest import translate

    translate(content)
    about = content / "pages/a-propos.md"
    about.write_text(
        about.read_text(encoding="utf-8") + "\n\nLe [numéro de novembre](bulletins/2017-11/bulletin-sr-2017-11.pdf).\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    run = cli("--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp_path / "cache"))
    assert run.code == 0, run.err
    site = site.resolve()
    checked = []
    for page in ("donnees-ouvertes", "en/donnees-ouvertes", "a-propos"):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"#?:]+\.(?:pdf|json|csv|xml))"', html):
            target = (site / page / href).resolve()
            assert target.is_file() and target.is_relative_to(site), f"{page}/: {href} leads nowhere"
            checked.append((page, target.suffix))
    assert {("donnees-ouvertes", ".pdf"), ("en/donnees-ouvertes", ".pdf"), ("a-propos", ".pdf")} <= set(checked)
    assert ("en/donnees-ouvertes", ".json") in checked
