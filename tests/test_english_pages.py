"""The English page set, produced by the core (bulletin/pages.py with bulletin/language.py), not yet wired
into the site build: the same figures as the French, the English texts where the officer wrote them,
English formats and words."""

from __future__ import annotations

import json

from bulletin import i18n
from bulletin.language import edition_in, is_translated
from bulletin.pages import data_files, render_pages
from bulletin.validate import load_edition

from .conftest import ISSUE, ROOT, edit

EN = i18n.EDITIONS["en"]
DATA = "bulletins/2017-11/chiffres-cles.json"


def _figures(files) -> list[dict[str, object]]:
    """Every key figure of the issue's open data, all its fields but its (translated) label and names
    (`liste`: the donors' English names, in English alphabetical order; their number is `valeur`)."""
    data = json.loads(next(f for f in files if f.uri == DATA).content)
    return [{key: value for key, value in k.items() if key not in ("libelle", "liste")} for k in data["chiffres_cles"]]


def _donors(files) -> list[str]:
    data = json.loads(next(f for f in files if f.uri == DATA).content)
    return next(k["liste"] for k in data["chiffres_cles"] if k["indicateur"] == "contributeurs")


def test_english_open_data_has_the_french_figures(content):
    edition = load_edition(content)
    french = data_files(edition, "https://example.org/b/")
    english = data_files(edition_in(edition, "en"), "https://example.org/b/", locale=EN)
    assert _figures(english) == _figures(french)
    assert len(_figures(french)) > 5
    labels = {k["libelle"] for k in json.loads(next(f for f in english if f.uri == DATA).content)["chiffres_cles"]}
    french_labels = {
        k["libelle"] for k in json.loads(next(f for f in french if f.uri == DATA).content)["chiffres_cles"]
    }
    assert labels.isdisjoint(french_labels)
    # The donors by their English names (references.yaml « bailleurs_en »), sorted as English sorts them.
    assert "Germany" in _donors(english) and "Allemagne" in _donors(french)
    assert _donors(english) == sorted(_donors(english)) and len(_donors(english)) == len(_donors(french))


def test_english_issue_page_reads_the_english_texts(content):
    edit(
        content / ISSUE,
        "    renvoi: crzpc-kidal\n",
        "    texte_en: CRZPC discussions on interventions in the Kidal region\n    renvoi: crzpc-kidal\n",
    )
    edition = load_edition(content)
    assert is_translated(edition.issues[-1])
    pages = {p.uri: p.html for p in render_pages(edition_in(edition, "en"), ROOT / "templates", locale=EN)}
    page = next(html for uri, html in pages.items() if "2017-11" in uri)
    assert "CRZPC discussions on interventions in the Kidal region" in page
    assert "Main Figures" in page and "Chiffres clés" not in page
    assert "30 November 2017" in page
    assert 'lang="en-GB"' in page or "en-GB" in page
    # The French page set is unchanged by the English texts beside it.
    french = {p.uri: p.html for p in render_pages(edition, ROOT / "templates")}
    assert "CRZPC discussions" not in french[next(u for u in french if "2017-11" in u)]


def test_a_french_only_issue_is_not_translated(content):
    assert not is_translated(load_edition(content).issues[-1])
