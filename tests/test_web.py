"""The built web edition carries the whole seed issue, with computed figures, in the Material shell."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from .conftest import add_december, edit

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def built(built_site: Path) -> Path:
    """The seed's web site, built once per session (tests/conftest.py): these tests only read it."""
    return built_site


def text_of(page: Path) -> str:
    """Visible text, tags dropped and entities decoded, whitespace folded (but not NBSPs)."""
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


SECTIONS = [
    "Faits saillants",
    "Chiffres clés",
    "Aperçu global depuis 2013",
    "Nombre de projets par région",
    "Secteurs",
    "Coordination des bailleurs et partenariats",
    "Projets à impact rapide (QIPs)",
    "Faits marquants du mois",
    "Fonds fiduciaire",
    "Projets récemment approuvés",
    "Nouvelles contributions",
    "Fonds pour la consolidation de la paix (PBF)",
    "Rôle de la Section S&R",
    "Retrouvez tous les Bulletins Mensuels de S&R",
]


def test_issue_page_has_every_section_of_the_seed(built):
    text = text_of(built / "bulletins/2017-11/index.html")
    missing = [s for s in SECTIONS if s not in text]
    assert not missing


def test_issue_page_prints_every_published_figure(built):
    text = text_of(built / "bulletins/2017-11/index.html")
    for figure in [
        "214 projets finalisés",
        "121 en cours",
        f"15,9{NBSP}millions de dollars américains",
        f"335{NBSP}projets au total depuis 2013",
        "5 projets démarrés en 2015",
        "sur 18 mois",
        f"12{NNBSP}106{NNBSP}353{NBSP}dollars américains",
        f"3{NBSP}projets prolongés",
        "51 projets finalisés",
        "60 projets en cours",
        f"111{NBSP}projets approuvés",
        f"45{NNBSP}101{NNBSP}404{NBSP}dollars américains",
        f"53,9{NBSP}millions de dollars américains",
        "Allemagne, Australie, Canada, Danemark, Irlande, Italie, Luxembourg, Norvège, Pays-Bas, "
        "Royaume-Uni, Suisse, Turquie et UN DOCO",
        "Au 30 novembre 2017",
        "Au 28 février 2017",
    ]:
        assert figure in text, figure


def test_prose_placeholders_are_filled_from_the_register(built):
    text = text_of(built / "bulletins/2017-11/index.html")
    assert f"d'un montant de 48{NNBSP}269{NBSP}dollars américains" in text.replace("’", "'")
    assert f"coût maximal de 50{NNBSP}000{NBSP}dollars américains" in text
    assert f"d'une durée de 6{NBSP}mois maximum" in text.replace("’", "'")
    assert f"environ 4,1{NBSP}millions de dollars américains" in text
    assert "{{" not in text


def test_dates_and_links_are_kept(built):
    page = (built / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    text = text_of(built / "bulletins/2017-11/index.html")
    assert "Le 1er novembre, le Bureau Régional" in text
    assert "Le 30 octobre, la Section S&R" in text
    for link in [
        "http://bit.ly/2EKwwyS",
        "http://bit.ly/2yqonzB",
        "http://bit.ly/2kHVozG",
        "https://minusma.unmissions.org/bulletin-mensuel",
        "mailto:sharopov@un.org",
    ]:
        assert f'href="{link}"' in page, link


def test_highlights_link_to_the_items_they_summarise(built):
    page = (built / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    for anchor in re.findall(r'<li><a href="#([\w-]+)">', page):
        assert f'id="{anchor}"' in page, anchor


def test_page_is_french_material_without_third_party_requests(built):
    page = (built / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in page
    assert "fonts.googleapis.com" not in page and "fonts.gstatic.com" not in page
    assert "assets/stylesheets/bulletin.css" in page


def test_home_shows_latest_issue_then_the_list(built):
    text = text_of(built / "index.html")
    assert f"Dernier numéro{NBSP}: Novembre 2017" in text
    assert "Tous les numéros" in text and "2017" in text
    assert "214 projets finalisés" in text
    assert 'href="bulletins/2017-11/"' in (built / "index.html").read_text(encoding="utf-8")


def test_a_second_issue_appears_in_the_archive_with_links(content, tmp_path, cli):
    """A December issue copied from November: home lists both, newest first, and they link to each other."""
    add_december(content)
    site = tmp_path / "site"
    result = cli("--content", str(content), "--site-dir", str(site))
    assert result.code == 0, result.err
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.index("bulletins/2017-12/") < home.index("bulletins/2017-11/")
    assert 'rel="prev" href="../2017-11/"' in (site / "bulletins/2017-12/index.html").read_text(encoding="utf-8")
    assert 'rel="next" href="../2017-12/"' in (site / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    # Each issue prints its own date's figures: the Koniba bridge project ends after 19 December but is open.
    assert "Au 31 décembre 2017" in text_of(site / "bulletins/2017-12/index.html")


def test_changed_register_changes_the_page(content, tmp_path, cli):
    edit(
        content / "registre/projets/qip.yaml",
        "    fin_prevue: 2017-11-30   # durée de six mois",
        "    fin_prevue: 2017-11-30\n    remise: 2017-11-20",
    )
    site = tmp_path / "site"
    assert cli("--content", str(content), "--site-dir", str(site)).code == 0
    text = text_of(site / "bulletins/2017-11/index.html")
    assert "215 projets finalisés" in text and "120 en cours" in text


def test_issue_charts_come_with_text_and_the_table_numbers(built):
    """On the web the charts are HTML (label and value as text, only the bar drawn): each value is there."""
    page = (built / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    assert '<div class="sr-bars" id="graphique-regions">' in page
    assert "Projets localisés par région, au 30 novembre 2017" in page
    regions = page[page.index('id="graphique-regions"') :]
    regions = regions[: regions.index("</ul>")]
    assert re.findall(r'sr-bars-label">([^<]+)</span><span class="sr-bars-value">([^<]+)<', regions) == [
        ("Mopti", "5"),
        ("Tombouctou", "2"),
        ("Gao", "4"),
        ("Kidal", "2"),
        ("District de Bamako", "1"),
    ]
    assert '<div class="sr-bars" id="graphique-axes">' in page
    # Axis B holds the four Mopti/Kidal projects approved or running: 101 356 + 262 118 + 272 823 + 218 403.
    assert (
        f"B — Retour de l’autorité de l’Etat, Etat de Droit et DDR-RSS</span>"
        f'<span class="sr-bars-value">854{NNBSP}700{NBSP}dollars'
    ) in page
