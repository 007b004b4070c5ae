"""Search: the French stemmer, and accent-insensitive matching through an extra indexed field."""

from __future__ import annotations

import json

from bulletin.search_fold import FIELD, add_folded_field, fold, folded_words

from .conftest import CONTENT


def test_fold():
    assert fold("Ménaka") == "menaka" and fold("Tombouctou") == "tombouctou" and fold("Œuvre") == "œuvre"


def test_only_accented_words_are_added_once():
    assert folded_words("<p>Ménaka, <b>Gao</b> et Ménaka ; Développement</p>") == "menaka developpement"


def test_index_gets_a_searched_field_that_is_not_displayed():
    index = {"config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
             "docs": [{"location": "a/", "title": "Région de Ménaka", "text": "<p>Projet à Ménaka</p>"},
                      {"location": "b/", "title": "Gao", "text": "Kidal"}]}
    folded = add_folded_field(index)
    assert folded["config"]["fields"][FIELD] == {"boost": 1.0}
    assert folded["docs"][0][FIELD] == "region menaka a"
    assert FIELD not in folded["docs"][1]
    assert folded["docs"][0]["text"] == "<p>Projet à Ménaka</p>"  # what readers see is unchanged


def test_built_index_is_folded_and_stemmed(tmp_path, cli):
    site = tmp_path / "site"
    assert cli("--content", str(CONTENT), "--site-dir", str(site), "--cache-dir", str(tmp_path / "c")).code == 0
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert "stemmer" in index["config"]["pipeline"] and index["config"]["lang"] == ["fr"]
    issue = [d for d in index["docs"] if d["location"].startswith("bulletins/2017-11/")]
    assert any("developpent" in d.get(FIELD, "") or "developpement" in d.get(FIELD, "") for d in issue)
