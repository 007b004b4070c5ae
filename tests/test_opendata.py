"""The open data of an issue carries the figures it publishes, each with its own date, in JSON and CSV alike."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from bulletin.figures import compute_issue
from bulletin.opendata import issue_csv, issue_json
from bulletin.validate import load_edition

from .conftest import CONTENT, edit

CONTRIBUTORS = [
    "Allemagne",
    "Australie",
    "Canada",
    "Danemark",
    "Irlande",
    "Italie",
    "Luxembourg",
    "Norvège",
    "Pays-Bas",
    "Royaume-Uni",
    "Suisse",
    "Turquie",
    "UN DOCO",
]


def _outputs(content: Path) -> tuple[str, str]:
    edition = load_edition(content)
    issue = next(i for i in edition.issues if i.mois == "2017-11")
    figures = compute_issue(edition.register, issue)
    return issue_json(figures, edition.register), issue_csv(figures, edition.register)


@pytest.fixture(scope="module")
def seed() -> tuple[str, str]:
    return _outputs(CONTENT)


@pytest.fixture(scope="module")
def data(seed) -> dict:
    return json.loads(seed[0])


def figure(data: dict, fund: str, indicator: str) -> dict:
    (record,) = [r for r in data["chiffres_cles"] if r["fonds"] == fund and r["indicateur"] == indicator]
    return record


def values(data: dict, fund: str, *indicators: str) -> tuple:
    return tuple(figure(data, fund, i)["valeur"] for i in indicators)


def test_top_level_says_which_issue_and_where_figures_come_from(data):
    assert list(data) == ["bulletin", "source", "chiffres_cles", "rectificatifs", "projets", "contributions", "regions"]
    assert data["rectificatifs"] == []  # a draft, or a published issue never corrected
    assert data["bulletin"] == "2017-11"
    assert "registre" in data["source"]
    assert "licence" not in data


def test_qip_block_as_of_30_november(data):
    assert values(data, "qip", "projets_finalises", "projets_en_cours", "projets_approuves") == (214, 121, 335)
    amount = figure(data, "qip", "montant")
    assert (amount["valeur"], amount["devise"], amount["date_reference"]) == (15900000, "USD", "2017-11-30")
    assert {r["date_reference"] for r in data["chiffres_cles"] if r["fonds"] == "qip"} == {"2017-11-30"}


def test_pbf_block_has_its_own_date(data):
    assert values(data, "pbf", "projets_approuves", "montant", "projets_prolonges") == (5, 12106353, 3)
    assert {r["date_reference"] for r in data["chiffres_cles"] if r["fonds"] == "pbf"} == {"2017-02-28"}
    # The PBF amount is known only for the five projects together: all of it comes from the balance.
    assert figure(data, "pbf", "montant")["dont_non_ventile"] == 12106353
    assert figure(data, "pbf", "projets_prolonges")["liste"] == ["PBF-2015-1", "PBF-2015-2", "PBF-2015-5"]


def test_trust_fund_block(data):
    assert values(data, "ff", "projets_finalises", "projets_en_cours", "projets_approuves", "montant") == (
        51,
        60,
        111,
        45101404,
    )
    budget = figure(data, "ff", "budget")
    assert (budget["valeur"], budget["devise"], budget["date_reference"]) == (53900000, "USD", "2017-11-30")
    contributors = figure(data, "ff", "contributeurs")
    assert contributors["valeur"] == 13 and contributors["liste"] == CONTRIBUTORS
    # The opening balance part is explicit: 103 of the 111 projects are not itemised.
    assert figure(data, "ff", "projets_approuves")["dont_non_ventile"] == 103


def test_values_are_numbers_never_formatted_strings(data):
    for record in data["chiffres_cles"]:
        assert isinstance(record["valeur"], int) and not isinstance(record["valeur"], bool), record
        assert (record["devise"] is None) == (record["unite"] in ("projets", "contributeurs", "annee")), record


def test_every_record_has_a_reference_date(data):
    records = data["chiffres_cles"] + data["projets"] + data["contributions"] + data["regions"]["lignes"]
    assert records
    for record in records:
        assert len(record["date_reference"]) == 10 and record["date_reference"][4] == "-", record


def test_projects_the_issue_uses(data):
    projects = {p["id"]: p for p in data["projets"]}
    # Cited by events (QIP), approved in the period (TF), listed in the PBF block.
    assert {"QIP-2017-01", "FF-2017-01", "FF-2017-06", "PBF-2015-5"} <= set(projects)
    couture = projects["QIP-2017-01"]
    assert couture["montant"] == 48269 and couture["devise"] == "USD"
    assert couture["statut"] == "finalise" and couture["jalons"]["remise"] == "2017-11-01"
    assert couture["regions"] == [{"code": "kidal", "nom": "Kidal"}]
    assert projects["FF-2017-01"]["axe"]["code"] == "A"
    # PBF statuses are read at the PBF date, when the extensions were running.
    pbf = projects["PBF-2015-1"]
    assert (pbf["statut"], pbf["prolonge"], pbf["date_reference"]) == ("en_cours", True, "2017-02-28")
    assert pbf["jalons"]["prolongations"] == [{"debut": "2017-01-01", "fin": "2017-03-31"}]


def test_region_table_keeps_what_it_cannot_place(data):
    rows = {r["libelle"]: r for r in data["regions"]["lignes"]}
    assert (rows["Mopti"]["region"], rows["Mopti"]["ff"]) == ("mopti", 5)
    assert [r["categorie"] for r in data["regions"]["lignes"][-3:]] == ["non_precise", "non_ventile", "total"]
    assert (rows["Non ventilé (historique)"]["qip"], rows["Non ventilé (historique)"]["ff"]) == (331, 103)
    assert [rows["Total des projets"][f] for f in ("qip", "ff", "pbf")] == [335, 111, 5]


def test_json_keeps_accents_and_is_stable(seed):
    text = seed[0]
    assert "Norvège" in text and "\\u" not in text
    assert _outputs(CONTENT)[0] == text


def test_csv_has_the_same_figures_as_the_json(seed, data):
    text = seed[1]
    assert text.startswith("\ufeff")
    # Read it as a consumer would: the file's bytes, decoded with the BOM-aware codec.
    rows = list(csv.DictReader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"), newline="")))
    records = data["chiffres_cles"]
    assert len(rows) == len(records)
    for row, record in zip(rows, records):
        assert set(row) == set(record)
        for key in ("fonds", "indicateur", "libelle", "unite", "date_reference"):
            assert row[key] == record[key]
        for key in ("valeur", "dont_non_ventile"):
            expected = record[key]
            assert (Decimal(row[key]) if row[key] else None) == (None if expected is None else Decimal(expected))
        assert row["devise"] == (record["devise"] or "")
        assert (row["liste"].split(" | ") if row["liste"] else []) == record["liste"]


def test_csv_is_comma_separated_with_a_french_snake_case_header(seed):
    header = seed[1].lstrip("\ufeff").split("\r\n", 1)[0]
    assert header == "fonds,indicateur,libelle,valeur,unite,devise,dont_non_ventile,liste,date_reference,environ"
    assert all(len(row) == 10 for row in csv.reader(io.StringIO(seed[1].lstrip("\ufeff"), newline="")))
    assert ";" not in header


def test_a_changed_register_changes_the_open_data(content: Path):
    edit(
        content / "registre/projets/qip.yaml",
        "    fin_prevue: 2017-11-30   # durée de six mois",
        "    fin_prevue: 2017-11-30\n    remise: 2017-11-20",
    )
    text, table = _outputs(content)
    data = json.loads(text)
    assert values(data, "qip", "projets_finalises", "projets_en_cours", "projets_approuves") == (215, 120, 335)
    assert "qip,projets_finalises,Projets finalisés,215," in table
