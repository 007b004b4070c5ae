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
