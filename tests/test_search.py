"""Search: the hidden field of accent-free and other-number forms, and the search options it relies on.
Real searches, through Material's search box in Chromium, are in test_search_browser.py."""

from __future__ import annotations

import json
import re

from bulletin.search_fold import FIELD, add_variants_field, fold, other_number, variants, words

from .conftest import CONTENT


def test_fold():
    assert fold("Ménaka") == "menaka" and fold("Tombouctou") == "tombouctou" and fold("Œuvre") == "œuvre"


def test_other_number_follows_french_plural_rules():
    assert other_number("réunion") == ["réunions"]
    assert other_number("régional") == ["régionaux"] and other_number("régionaux") == ["régional"]
    assert other_number("bureau") == ["bureaux"] and other_number("lieu") == ["lieux"]
    assert other_number("travail") == ["travaux"] and other_number("travaux") == ["travail"]
    assert other_number("détail") == ["détails"] and other_number("festival") == ["festivals"]
    assert other_number("pneu") == ["pneus"] and other_number("genou") == ["genoux"]
    assert other_number("projets") == [] and other_number("prix") == [] and other_number("gaz") == []
    assert other_number("bureaux") == []  # "bureau" is a prefix of it: the search finds it already
    assert other_number("avec") == [] and other_number("de") == []


def test_words_know_names_from_common_words():
    assert words("<p>Kidal : un projet à Kidal</p>", "Projet S&amp;R") == {
        "kidal": False, "un": True, "projet": True, "à": True, "s": False, "r": False}


def test_variants_are_the_missing_forms_once_each():
    extra = variants("Région de Ménaka", "<p>Une réunion à Ménaka ; des réunions à Kidal.</p>")
    assert extra.split() == ["region", "menaka", "reunions"]
    # "réunions" is in the text; "reunion" begins "reunions", which a prefix query finds; "régions" is
    # left out while "Région" may be a name, and not once the site writes "région" in lowercase.
    assert variants("Région de Ménaka", common={"région"}).split() == ["régions", "regions", "menaka"]
    assert variants("Kidal") == "" and variants("kidal") == "kidaux"  # the rule, for a common word


def test_index_gets_a_searched_field_that_is_not_displayed():
    index = {"config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
             "docs": [{"location": "a/", "title": "Région de Ménaka", "text": "<p>Projet à Ménaka</p>"},
                      {"location": "b/", "title": "Gao", "text": "le projet de la région"},
                      {"location": "c/", "title": "Gao", "text": "Kidal"}]}
    folded = add_variants_field(index)
    assert folded["config"]["fields"][FIELD] == {"boost": 1.0}
    # "projet" and "région" are written in lowercase on b/: common words, their plurals are indexed on a/ too.
    assert folded["docs"][0][FIELD] == "régions regions menaka projets"
    assert folded["docs"][1][FIELD] == "projets régions regions"
    assert FIELD not in folded["docs"][2]
    assert folded["docs"][0]["text"] == "<p>Projet à Ménaka</p>"  # what readers see is unchanged


def test_built_index_has_the_variants_and_no_stemmer(tmp_path, cli):
    site = tmp_path / "site"
    assert cli("--content", str(CONTENT), "--site-dir", str(site), "--cache-dir", str(tmp_path / "c"),
               "--sans-pdf").code == 0
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    config = index["config"]
    assert config["lang"] == ["fr"]
    # Material makes every typed word a prefix query, which lunr does not stem: a stemmed index would
    # miss whole words ("pépiniéristes" indexed as "pépinier"). The trimmer would drop numbers.
    assert "stemmer" not in config["pipeline"] and "trimmer" not in config["pipeline"]
    separator = re.compile(config["separator"])
    assert separator.split("l’installation d'un Tin-Essako") == ["l", "installation", "d", "un", "Tin", "Essako"]
    issue = {d["location"]: d for d in index["docs"] if d["location"].startswith("bulletins/2017-11/")}
    assert any("pepinieristes" in d.get(FIELD, "").split() for d in issue.values())
    highlights = issue["bulletins/2017-11/#faits-saillants"]
    assert "réunion" in highlights["text"] and "réunions" not in highlights["text"]
    assert "réunions" in highlights[FIELD].split()


# ---------------------------------------------------------------- entries of the generated pages

PAGE = """<header><h1 class="sr-title">Bulletin <span>Novembre 2017</span></h1><p>Données au 30&nbsp;novembre</p></header>
<h2 id="apercu">Aperçu <em>global</em></h2><h3>Nombre de projets</h3>
<svg role="img"><title>Graphique</title><text>Gao 4</text></svg>
<table><tr><th>Région</th><th>Total</th></tr><tr><td>Gao</td><td>4</td></tr></table>
<h2 id="qip">QIPs</h2><p class="x">Un <strong>projet</strong> de 48\u202f269&nbsp;dollars &amp; plus.</p><p> </p>
<ol><li><p>Remise</p></li></ol>"""


def test_page_entries_split_our_markup_as_material_would():
    from bulletin.search_entries import page_entries

    first, apercu, qip = page_entries("bulletins/2017-11/", "Bulletin S&R — Novembre 2017", PAGE)
    assert first.location == "bulletins/2017-11/" and first.title == "Bulletin S&amp;R — Novembre 2017"
    assert first.text == "Bulletin Novembre 2017 <p>Données au 30\xa0novembre</p>"
    # A heading without an id stays in the text; the chart's SVG is left out, its table is not, and
    # the cells do not run together.
    assert apercu.location == "bulletins/2017-11/#apercu" and apercu.title == "Aperçu global"
    assert apercu.text == "Nombre de projets Région Total Gao 4"
    # Kept tags are bare, inline ones vanish without a space, no-break spaces survive, empty
    # paragraphs go, & stays escaped as Material writes it.
    assert qip.text == "<p>Un projet de 48\u202f269\xa0dollars &amp; plus.</p> <ol><li><p>Remise</p></li></ol>"


def test_sections_repeated_from_issue_to_issue_are_indexed_once():
    from bulletin.search_entries import Entry, unique_entries

    newest = (Entry("b/2017-12/", "Décembre", ""), Entry("b/2017-12/#role", "Rôle", "<p>Même texte</p>"),
              Entry("b/2017-12/#qip", "QIPs", "<p>215 finalisés</p>"))
    older = (Entry("b/2017-11/", "Novembre", ""), Entry("b/2017-11/#role", "Rôle", "<p>Même texte</p>"),
             Entry("b/2017-11/#qip", "QIPs", "<p>214 finalisés</p>"))
    assert [e.location for e in unique_entries([newest, older])] == [
        "b/2017-12/", "b/2017-12/#role", "b/2017-12/#qip", "b/2017-11/", "b/2017-11/#qip"]


def test_built_index_has_each_generated_page_once_under_its_title(content, tmp_path, cli):
    from .conftest import add_december, edit

    edit(add_december(content) / "bulletin.yaml", "Opportunités de nouveaux projets", "Nouvelles opportunités")
    site = tmp_path / "site"
    assert cli("--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp_path / "c"),
               "--sans-pdf").code == 0
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = [d["location"] for d in docs]
    assert len(locations) == len(set(locations))
    pages = {d["location"]: d["title"] for d in docs if "#" not in d["location"]}
    assert pages["regions/gao/"] == "Région : Gao" and pages[""] == "Accueil"
    assert pages["bulletins/2017-12/"] == "Bulletin S&amp;R — Décembre 2017"
    # The role of the section is the same in both issues: one result, on the newest.
    assert "bulletins/2017-12/#role" in locations and "bulletins/2017-11/#role" not in locations
    # Each month's own text stays searchable in its own issue.
    assert "bulletins/2017-11/#faits-saillants" in locations and "bulletins/2017-12/#faits-saillants" in locations
    # The browser's title bar says the same as the index (an unquoted « : » once made it "Index").
    assert "<title>Région : Gao - " in (site / "regions/gao/index.html").read_text(encoding="utf-8")
