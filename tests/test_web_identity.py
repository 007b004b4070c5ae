"""The web edition reads as a publication: its own masthead and logo, no docs furniture, a French 404,
honest breakdowns (the located share is stated, on the web and in print), no register vocabulary."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from bulletin.figures import axis_share, located_share
from bulletin.pages import compute_all
from bulletin.render import make_environment, render_issue, render_print
from bulletin.validate import load_edition

from .conftest import CONTENT, ROOT

NNBSP, NBSP = "\u202f", "\u00a0"
# Words of the register's keeper, not of a reader (issue 11).
INTERNAL = ("registre", "solde d'ouverture", "soldes d'ouverture", "jalon", "non ventilé", "projet(s)")


@pytest.fixture
def built(built_site: Path) -> Path:
    """The session's seed site (tests/conftest.py), read only."""
    return built_site


@pytest.fixture(scope="module")
def edition():
    return load_edition(CONTENT)


def text_of(raw: str) -> str:
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    text = re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))
    return text.replace(NNBSP, " ").replace(NBSP, " ").replace("\u2019", "'")  # as typeset or not


def test_located_share_adds_up_and_is_a_minority_in_the_seed(edition) -> None:
    table = compute_all(edition)[-1].regions
    share = located_share(table)
    assert share.couverts + table.non_ventile.total + table.non_precise.total == table.total.total == share.total
    assert share.par_fonds == tuple(
        t - h - u for t, h, u in zip(table.total.par_fonds, table.non_ventile.par_fonds, table.non_precise.par_fonds)
    )
    assert sum(share.par_fonds) == share.couverts and share.partiel  # the case issue 11 is about


def test_located_share_is_stated_on_the_web_and_in_print(edition) -> None:
    figures = compute_all(edition)[-1]
    share = located_share(figures.regions)
    env = make_environment(ROOT / "templates", edition)
    sentence = (
        f"{share.couverts} projets sur {share.total} sont localisés par région ; les autres sont antérieurs "
        "au suivi détaillé des projets ou n'ont pas de région précisée."
    )
    web = text_of(render_issue(env, edition, figures, None, None))
    printed = text_of(render_print(env, edition, figures))
    for page in (web, printed):
        assert sentence in page
        # The table's last line is the located projects, not the whole presented as if broken down.
        assert f"Projets localisés {' '.join(str(n) for n in share.par_fonds)} {share.couverts}" in page
        assert "Non ventilé" not in page and "solde d'ouverture" not in page


def test_axis_share_is_stated_beside_the_axis_chart(edition) -> None:
    figures = compute_all(edition)[-1]
    share = axis_share(figures)
    assert share.partiel and share.total == figures.ff.montant.montant
    assert share.couverts == sum(amount for _, amount in figures.ff_axes_montants)
    env = make_environment(ROOT / "templates", edition)
    millions = env.filters["millions"]
    from bulletin.models import Money

    page = text_of(render_issue(env, edition, figures, None, None))
    placed, whole = (
        millions(Money(v, figures.ff.montant.devise)).replace(NNBSP, " ").replace(NBSP, " ")
        for v in (share.couverts, share.total)
    )
    assert (
        f"Seuls les projets suivis en détail sont répartis par axe : {placed} sur un coût total de {whole} ; "
        "les projets plus anciens ne le sont pas."
    ) in page


def public_pages(site: Path) -> list[Path]:
    """Every page a reader reaches (the author's guide is not one: the public build leaves it out)."""
    return [p for p in sorted(site.rglob("*.html")) if not {"guide", "search"} & set(p.relative_to(site).parts)]


def test_no_public_page_speaks_the_registers_language(built: Path) -> None:
    pages = public_pages(built)
    assert len(pages) > 10
    found = {
        str(p.relative_to(built)): word
        for p in pages
        for word in INTERNAL
        if word in text_of(p.read_text(encoding="utf-8")).lower()
    }
    assert found == {}


def test_masthead_shows_the_settings_logo_and_no_docs_furniture(built: Path, edition) -> None:
    logo = edition.settings.logo
    assert (built / "identite" / logo.fichier.name).read_bytes() == logo.fichier.read_bytes()
    for page, up in (("index.html", ""), ("bulletins/2017-11/index.html", "../../"), ("regions/index.html", "../")):
        raw = (built / page).read_text(encoding="utf-8")
        assert f'<img src="{up}identite/{logo.fichier.name}" alt="{html.escape(logo.texte_alternatif)}"' in raw
        assert f'<link rel="icon" href="{up}identite/{logo.fichier.name}">' in raw  # the tab's icon too
        assert "Table des matières" not in raw
        assert 'class="md-tabs"' in raw  # the sections as tabs under the masthead
    issue = (built / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    assert 'aria-label="Dans ce numéro"' in issue
    assert "md-sidebar--secondary" not in (built / "index.html").read_text(encoding="utf-8")


def _contents(raw: str) -> list[tuple[str, str]]:
    """The side column's entries (Material's secondary navigation): (anchor, text)."""
    column = raw.split('class="md-nav md-nav--secondary"', 1)[1].split("</nav>", 1)[0]
    return [
        (a, text_of(t).strip())
        for a, t in re.findall(r'<a href="#([^"]+)" class="md-nav__link">(.*?)</a>', column, re.S)
    ]


def test_the_side_column_names_each_section_as_its_heading_does(built: Path, edition) -> None:
    """Found by a visual review: the issue's column read « Aperçu par région » for the section headed
    « Aperçu global depuis 2013 », and the back issues' column was empty beside the page."""
    issue = (built / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    entries = dict(_contents(issue))
    heading = text_of(re.search(r'<h2 id="apercu">(.*?)</h2>', issue, re.S)[1]).strip()
    assert entries["apercu"] == heading and heading.startswith("Aperçu global depuis ")
    archive = (built / "bulletins/index.html").read_text(encoding="utf-8")
    years = sorted({issue.mois[:4] for issue in edition.issues}, reverse=True)
    assert _contents(archive) == [(f"annee-{year}", year) for year in years]
    for year in years:
        assert f'<h2 id="annee-{year}">{year}</h2>' in archive


def test_the_fixed_pages_open_with_the_masthead_of_the_generated_ones(built: Path) -> None:
    """« À propos » and the open-data page opened on a bare title, as documentation does, where every
    generated page opens on the blue masthead under the mission's and section's names."""
    for page, kicker, title in (
        ("a-propos", "MINUSMA · Section Stabilisation et Relèvement", "À propos du bulletin"),
        ("donnees-ouvertes", "MINUSMA · Section Stabilisation et Relèvement", "Données ouvertes"),
        ("en/a-propos", "MINUSMA · Stabilization and Recovery Section", "About the bulletin"),
    ):
        raw = (built / page / "index.html").read_text(encoding="utf-8")
        head = re.search(
            r'<header class="sr-masthead"><p class="sr-kicker">(.*?)</p><h1 class="sr-title" id="[^"]+">(.*?)</h1>', raw
        )
        assert head is not None, page
        assert (html.unescape(head[1]), html.unescape(head[2])) == (kicker, title), page
        assert raw.count("<h1") == 1, page


def test_404_is_french(built: Path) -> None:
    raw = (built / "404.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in raw and "Page introuvable</h1>" in raw
    assert "<title>Page introuvable — Bulletin S&amp;R — MINUSMA</title>" in raw
    assert "Not found" not in raw and "404 -" not in raw
    assert "Section Stabilisation et Relèvement" in raw
    assert "md-sidebar" not in raw  # a dead end needs no menu: the header's tabs and the home link


def test_the_fixed_pages_are_those_of_the_content_built(content, cli, tmp_path) -> None:
    """`--content` gave the issues and the register of its folder but the project's own fixed pages:
    the pages published were not those check had read. A page of the content's pages/ is published, an
    edit of it shows, and a content without pages/ is told so."""
    about = content / "pages/a-propos.md"
    about.write_text(about.read_text(encoding="utf-8").replace("# À propos", "# À propos — essai de contenu", 1))
    (content / "pages/contacts.md").write_text("# Contacts\n\nÉcrivez à la section.\n", encoding="utf-8")
    site = tmp_path / "site"
    run = cli("--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp_path / "c"))
    assert run.code == 0, run.err
    assert "À propos — essai de contenu" in (site / "a-propos/index.html").read_text(encoding="utf-8")
    assert "Écrivez à la section." in (site / "contacts/index.html").read_text(encoding="utf-8")
    shutil.rmtree(content / "pages")
    missing = cli("check", "--content", str(content))
    assert missing.code == 1 and "pages — le dossier des pages fixes" in missing.err
