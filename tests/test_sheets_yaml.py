"""The import's narrow YAML writer (bulletin.sheets_yaml): what it writes reads back as what it meant,
and an edit touches only the lines of the fields it changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin.load import load_yaml
from bulletin.sheets_yaml import apply, field_edits, scalar, value_text

# Texts as cells hold them: one line, no control characters (the sheet reader folds whitespace).
TEXTS = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40)
    .map(lambda t: " ".join(t.split()))
    .filter(bool)
)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_a_text_reads_back_as_itself(text):
    assert yaml.safe_load(f"titre: {scalar(text)}") == {"titre": text}


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=4))
def test_a_list_reads_back_as_itself(items):
    assert yaml.safe_load(f"lieux: {value_text(tuple(items))}") == {"lieux": items}


def test_plain_when_it_can_be_quoted_when_it_must():
    assert scalar("Forage d'eau à Ber") == "Forage d'eau à Ber"
    assert scalar("yes") == '"yes"' and scalar("2017") == '"2017"' and scalar("2017-11-01") == '"2017-11-01"'
    assert scalar("Pont: Kidal") == '"Pont: Kidal"' and scalar("- Appui") == '"- Appui"'
    assert value_text(("Gao", "a, b")) == '[Gao, "a, b"]'
    assert value_text(Decimal("48269.0")) == "48269" and value_text(Decimal("0.50")) == "0.5"
    assert value_text(dt.date(2017, 11, 1)) == "2017-11-01"


def test_a_folded_field_is_replaced_whole_and_its_neighbours_kept(tmp_path):
    text = (
        "# en-tête\n\n- id: FF-1\n  fonds: ff\n  titre: >-\n    Une ligne\n\n    et une autre\n"
        "  # commentaire sur l'axe\n  axe: B\n  jalons:\n    approbation: 2017-11-09  # CRP\n\n- id: FF-2\n"
    )
    path = tmp_path / "ff.yaml"
    path.write_text(text, encoding="utf-8")
    entry = load_yaml(path).value.items[0]
    lines = text.split("\n")
    edits = field_edits(
        lines,
        entry,
        {"titre": "Nouveau titre", "montant": Decimal(5)},
        ("id", "fonds", "titre", "axe", "montant", "jalons"),
    )
    edits += field_edits(
        lines,
        entry.values["jalons"],
        {"approbation": dt.date(2017, 11, 10), "remise": dt.date(2017, 12, 1)},
        ("approbation", "debut", "remise"),
        within=5,
    )
    assert "\n".join(apply(lines, edits)) == (
        "# en-tête\n\n- id: FF-1\n  fonds: ff\n  titre: Nouveau titre\n  # commentaire sur l'axe\n  axe: B\n"
        "  montant: 5\n  jalons:\n    approbation: 2017-11-10  # CRP\n    remise: 2017-12-01\n\n- id: FF-2\n"
    )
