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
