"""The English PDF (bulletin-sr-AAAA-MM-en.pdf): from the same print template, for an issue that has an
English edition only, English words, formats, typography, hyphenation language and /Lang."""

from __future__ import annotations

from pathlib import Path

import pypdf

from bulletin.print_build import plan_print, run_print
from bulletin.validate import load_edition

from .conftest import ISSUE, ROOT, edit

EN_PDF = "en/bulletins/2017-11/bulletin-sr-2017-11-en.pdf"


def _translate(content: Path) -> None:
    edit(
        content / ISSUE,
        "    renvoi: crzpc-kidal\n",
        "    texte_en: CRZPC discussions on interventions in the Kidal region\n    renvoi: crzpc-kidal\n",
    )
    (content / "bulletins/2017-11/role.en.md").write_text(
        "The Stabilization and Recovery (S&R) Section: for more information, see below.\n", "utf-8"
    )


def test_french_only_issue_has_no_english_pdf(content, tmp_path):
    jobs = plan_print(load_edition(content), ROOT / "templates", tmp_path, plans=False)
    assert [j.site_path for j in jobs] == ["bulletins/2017-11/bulletin-sr-2017-11.pdf"]


def test_english_pdf_beside_the_french(content, tmp_path):
    _translate(content)
    jobs = plan_print(load_edition(content), ROOT / "templates", tmp_path, plans=False)
    assert [j.site_path for j in jobs] == ["bulletins/2017-11/bulletin-sr-2017-11.pdf", EN_PDF]
    english = next(j for j in jobs if j.site_path == EN_PDF)
    assert 'lang="en-GB"' in english.html
    (result,) = run_print((english,), workers=1)
    reader = pypdf.PdfReader(result.path)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    subject = reader.metadata.subject
    assert subject.startswith("Monthly Bulletin of the Stabilization and Recovery Section, November 2017: ")
    assert "; CRZPC discussions" in subject and " ; " not in subject
    text = " ".join(page.extract_text() for page in reader.pages).replace("\u202f", " ").replace("\xa0", " ")
    for words in ("Highlights", "Main Figures", "Donor Coordination and Partnerships", "30 November 2017"):
        assert words in text, words
    assert "CRZPC discussions on interventions" in text
    flat = " ".join(text.split())
    assert "(S&R) Section: for more" in flat  # no French space before the colon (hyphenation may cut after)
    assert "Chiffres clés" not in text
