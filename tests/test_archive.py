"""Fund and region pages are computed from content: change the content, the pages follow."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import ROOT, add_december, edit

NNBSP = "\u202f"
NBSP = "\u00a0"


def build(cli, content: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    result = cli("--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp_path / "cache"))
    assert result.code == 0, result.err
    return site


def text(page: Path) -> str:
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def test_fund_page_evolves_month_by_month(cli, content, tmp_path):
    add_december(content)
    # A QIP handed over on 10 December: December's figures move, November's stay as published.
    edit(
        content / "registre/projets/qip.yaml",
        "    fin_prevue: 2017-11-30   # durée de six mois",
        "    fin_prevue: 2017-11-30\n    remise: 2017-12-10",
    )
    site = build(cli, content, tmp_path)
    page = text(site / "fonds/qip/index.html")
    assert "Novembre 2017 30 novembre 2017 214 121 335" in page
    assert "Décembre 2017 31 décembre 2017 215 120 335" in page
    assert "Finalisés" in page and "<svg" in (site / "fonds/qip/index.html").read_text(encoding="utf-8")
    assert "215 projets finalisés" in page  # key figures as of the latest issue
    assert "Financés par la MINUSMA" in page  # the fund's presentation
    for code in ("ff", "pbf"):
        assert (site / f"fonds/{code}/index.html").is_file()


def test_region_pages_list_projects_and_events(cli, content, tmp_path):
    site = build(cli, content, tmp_path)
    gao = text(site / "regions/gao/index.html")
    assert f"Unité avicole de 1{NNBSP}000 poules pondeuses à Bara" in gao and "QIP-2017-02" in gao
    assert f"10 novembre 2017{NBSP}: Unité avicole" in gao  # French typography: no-break space before the colon
    assert 'href="../../bulletins/2017-11/#qip-poules-bara"' in (site / "regions/gao/index.html").read_text(
        encoding="utf-8"
    )
    assert not (site / "regions/kayes").exists()  # no project there: no page
    index = text(site / "regions/index.html")
    assert "Mopti" in index and "Kidal" in index
    # Each region's card counts its projects fund by fund, as the register has them.
    from bulletin.validate import load_edition

    register = load_edition(content).register
    raw = (site / "regions/index.html").read_text(encoding="utf-8")
    for region in ("gao", "mopti"):
        card = raw.split(f'<a href="{region}/">', 1)[1].split("</li>", 1)[0]
        chips = re.findall(r'<span class="sr-chip sr-fund-(\w+)">[^<]*?(\d+)</span>', card)
        counted = {
            f: sum(1 for p in register.projets if region in p.regions and p.fonds == f) for f in ("qip", "ff", "pbf")
        }
        assert chips == [(f, str(n)) for f, n in counted.items() if n] and chips, (region, card)


def test_a_project_moved_to_another_region_moves_page(cli, content, tmp_path):
    edit(
        content / "registre/projets/qip.yaml",
        "  regions: [kidal]\n  lieux: [Kidal, Tin-Essako]",
        "  regions: [menaka]\n  lieux: [Ménaka]",
    )
    site = build(cli, content, tmp_path)
    assert "Matériel de couture" in text(site / "regions/menaka/index.html")
    assert "Matériel de couture" not in text(site / "regions/kidal/index.html")


def test_a_region_page_lists_the_approvals_an_issue_announces(cli, content, tmp_path):
    """Four Mopti projects are in November's « Projets récemment approuvés »: Mopti's page said « Aucun
    événement publié ». Each approval the issue lists is an event of its region, linked to that list."""
    site = build(cli, content, tmp_path)
    raw = (site / "regions/mopti/index.html").read_text(encoding="utf-8")
    page = text(site / "regions/mopti/index.html")
    assert "Aucun événement publié" not in page
    approvals = re.findall(r'<li><a href="\.\./\.\./bulletins/2017-11/#ff-approbations">Novembre 2017</a>', raw)
    assert len(approvals) == page.count("(approbation)") >= 4
    assert f"9 novembre 2017{NBSP}: " in page
    # The project approved on 30 October was not in November's list: not an event of November.
    assert page.count("30 octobre 2017") == 0
    index = text(site / "regions/index.html")
    assert re.search(rf"Mopti .*?{len(approvals)} événements publiés dans les bulletins", index)


def test_each_funds_chart_wears_its_funds_colour(built_site):
    """The Trust Fund's and the PBF's pages drew their chart in the QIPs' blue."""
    from bulletin.render_archive import FUND_COLOURS

    stylesheet = (ROOT / "templates/web/assets/stylesheets/bulletin.css").read_text(encoding="utf-8")
    for code, colour in FUND_COLOURS.items():
        assert f"--sr-{code}: {colour};" in stylesheet, code
        page = (built_site / f"fonds/{code}/index.html").read_text(encoding="utf-8")
        bars = re.findall(r'<svg class="sr-bars-bar"[^>]*><rect [^>]*fill="([^"]+)"', page)
        assert bars and set(bars) == {colour}, (code, set(bars))
