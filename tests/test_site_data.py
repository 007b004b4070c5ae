"""Open data and feed published with the site: the numbers are the page's numbers."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bulletin.filters import format_number

from .conftest import CONTENT

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from bulletin.cli import main

    base = tmp_path_factory.mktemp("data")
    assert main(["--content", str(CONTENT), "--site-dir", str(base / "site"), "--cache-dir", str(base / "c")]) == 0
    return base / "site"


def test_json_and_csv_beside_the_issue_match_the_page(site):
    folder = site / "bulletins/2017-11"
    page = (folder / "index.html").read_text(encoding="utf-8")
    data = json.loads((folder / "chiffres-cles.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((folder / "chiffres-cles.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(data["chiffres_cles"])
    for record, row in zip(data["chiffres_cles"], rows):
        assert (row["fonds"], row["indicateur"], row["date_reference"]) == (
            record["fonds"],
            record["indicateur"],
            record["date_reference"],
        )
        assert float(row["valeur"]) == record["valeur"]
        if record["indicateur"] in ("projets_finalises", "projets_en_cours") and record["fonds"] != "pbf":
            # the page prints this very number, formatted the French way
            assert f'<span class="sr-num">{format_number(record["valeur"], "fr")}</span>' in page
    assert 'href="chiffres-cles.json"' in page and 'href="chiffres-cles.csv"' in page


def test_feed_is_published_and_announced(site):
    root = ET.parse(site / "feed.xml").getroot()
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Bulletin S&R — Novembre 2017"
    links = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
    assert links["alternate"].endswith("/bulletins/2017-11/")
    assert links["enclosure"].endswith("/bulletins/2017-11/bulletin-sr-2017-11.pdf")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in home and "feed.xml" in home
    assert (site / "donnees-ouvertes/index.html").is_file()
