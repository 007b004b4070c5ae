"""True statuses (approved not started, ongoing, finalised, closed, « statut à confirmer »), balances that
declare their approved projects, and a project's internal note kept apart from its public remark."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

from bulletin.figures import compute_issue
from bulletin.models import Money, ProjectBalance, Status
from bulletin.register import compute_fund, status_on
from bulletin.timeline import Timeline
from bulletin.validate import load_edition

from .conftest import CONTENT, edit, line_of
from .test_register import SRC, register

NOV = date(2017, 11, 30)
PBF_DAY = date(2017, 2, 28)  # the PBF block's own reference date in the seed issue
SOLDES = "registre/soldes.yaml"
PBF = "registre/projets/pbf.yaml"
FF = "registre/projets/ff.yaml"


def text_of(page: Path) -> str:
    """A built page's visible text, one space between words."""
    raw = re.sub(r"<script.*?</script>", " ", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    raw = re.sub(r"</?(?:strong|em|span|a|abbr|time|code)\b[^>]*>", "", raw)  # inline: no space added
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def build(cli, content: Path, tmp_path: Path, *more: str) -> Path:
    site = tmp_path / "site"
    run = cli("--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp_path / "cache"), *more)
    assert run.code == 0, run.err
    return site


def figures(content: Path):
    edition = load_edition(content)
    return compute_issue(edition.register, edition.issues[-1])


def jalons_line(path: Path, project_id: str) -> int:
    """The line of « jalons: » in a project's entry: where status warnings point."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = line_of(path, f"id: {project_id}")
    return next(n for n in range(start, len(lines) + 1) if lines[n - 1].strip() == "jalons:")


# --- balances that declare approved projects -------------------------------------------------------


def test_a_balance_of_120_approved_50_finalised_68_ongoing_has_2_not_started():
    balance = ProjectBalance(
        "ff", date(2017, 10, 31), 2013, 50, 68, Money(Decimal(1000), "USD"), "source", SRC, approuves=120
    )
    reg = register(balances=(balance,))
    for figures_ in (compute_fund(reg, "ff", NOV), Timeline(reg).fund("ff", NOV)):
        assert (figures_.approuves, figures_.finalises, figures_.en_cours, figures_.non_demarres) == (120, 50, 68, 2)
        assert figures_.non_ventiles == 120


def test_the_page_shows_approved_projects_including_those_not_started(cli, content, tmp_path):
    """The section's published « approved » figure, larger than finalised + ongoing, is what the page prints:
    the guide's balance of 120 approved, 50 finalised, 68 ongoing, plus the register's itemised projects."""
    edit(
        content / SOLDES,
        "    finalises: 50\n    en_cours: 53\n",
        "    approuves: 120\n    finalises: 50\n    en_cours: 68\n",
    )
    fig = figures(content)
    itemised = fig.ff.detailles
    assert (fig.ff.approuves, fig.ff.non_demarres, fig.ff.non_ventiles) == (120 + itemised, 2, 120)
    assert fig.ff.finalises + fig.ff.en_cours + 2 == fig.ff.approuves
    site = build(cli, content, tmp_path, "--sans-pdf")
    page = text_of(site / "bulletins/2017-11/index.html")
    assert f"sur {120 + itemised} projets approuvés, dont 2 non démarrés, pour un coût de" in page
    data = (site / "bulletins/2017-11/chiffres-cles.csv").read_text(encoding="utf-8-sig")
    assert "ff,projets_non_demarres,Projets approuvés non démarrés,2,projets,,2," in data
    assert f"ff,projets_approuves,Projets approuvés (tous statuts),{120 + itemised},projets,,120," in data.replace(
        '"', ""
    )


def test_finalised_and_ongoing_above_approved_is_an_error(cli, content, monkeypatch):
    edit(
        content / SOLDES,
        "    finalises: 50\n    en_cours: 53\n",
        "    approuves: 100\n    finalises: 50\n    en_cours: 53\n",
    )
    monkeypatch.chdir(content.parent)
    run = cli("check", "--content", "content")
    assert run.code == 1
    where = f"content/{SOLDES}:{line_of(content / SOLDES, 'approuves: 100')}"
    assert (
        f"{where} — « approuves » : le solde du fonds « ff » compte 50 projets finalisés et 53 en cours, soit 103, "
        "plus que les 100 projets approuvés qu'il déclare : un projet finalisé ou en cours a forcément été "
        "approuvé.\n    → Vérifiez ces trois chiffres dans la source : « approuves » vaut au moins finalises + "
        "en_cours (103) ; l'écart éventuel, ce sont les projets approuvés non démarrés."
    ) in run.err


def test_a_balance_declaring_exactly_finalised_plus_ongoing_changes_nothing(content):
    before = figures(content)
    edit(
        content / SOLDES,
        "    finalises: 50\n    en_cours: 53\n",
        "    approuves: 103\n    finalises: 50\n    en_cours: 53\n",
    )
    after = figures(content)
    assert (after.ff.finalises, after.ff.en_cours, after.ff.approuves, after.ff.non_demarres) == (
        before.ff.finalises,
        before.ff.en_cours,
        before.ff.approuves,
        0,
    )


def test_an_approved_project_with_a_start_to_come_is_not_started(cli, content, tmp_path):
    """Approved on 15 November, works starting on 10 December: at 30 November approved, not started."""
    edit(
        content / FF,
        "  jalons:\n    approbation: 2017-11-15\n\n- id: FF-2017-07",
        "  jalons:\n    approbation: 2017-11-15\n    debut: 2017-12-10\n\n- id: FF-2017-07",
    )
    before, fig = figures(CONTENT), figures(content)
    assert (fig.ff.en_cours, fig.ff.non_demarres, fig.ff.approuves) == (before.ff.en_cours - 1, 1, before.ff.approuves)
    site = build(cli, content, tmp_path, "--sans-pdf")
    assert f"sur {before.ff.approuves} projets approuvés, dont 1 non démarré, pour un coût de" in text_of(
        site / "bulletins/2017-11/index.html"
    )
    assert re.search(r"— approuvé, non démarré \(FF-2017-06\)", text_of(site / "regions/mopti/index.html"))


# --- « statut à confirmer » ------------------------------------------------------------------------


def test_a_qip_past_its_planned_end_is_to_confirm_never_ongoing(cli, content, tmp_path, monkeypatch):
    """QIP-2017-02 planned to end on 20 November, nothing recorded since: at 30 November its status is not known."""
    qip = content / "registre/projets/qip.yaml"
    edit(qip, "fin_prevue: 2017-11-30", "fin_prevue: 2017-11-20")
    before = figures(CONTENT)
    fig = figures(content)
    assert (fig.qip.en_cours, fig.qip.a_confirmer) == (before.qip.en_cours - 1, 1)
    assert (fig.qip.finalises, fig.qip.approuves) == (before.qip.finalises, before.qip.approuves)

    monkeypatch.chdir(content.parent)
    run = cli("check", "--content", "content")
    assert run.code == 0
    assert (
        f"content/registre/projets/qip.yaml:{jalons_line(qip, 'QIP-2017-02')} — « jalons » : le projet "
        "« QIP-2017-02 » a dépassé sa fin prévue (2017-11-20) sans remise, clôture ni prolongation enregistrée : "
        "au 2017-11-30, les pages publiques l'affichent « statut à confirmer » et il n'est pas compté en cours.\n"
        "    → Ajoutez à ses jalons ce qui s'est passé : « remise: AAAA-MM-JJ » (remis aux bénéficiaires), "
        "« cloture: AAAA-MM-JJ » (clôturé), ou une prolongation "
        "« prolongations: [{debut: AAAA-MM-JJ, fin: AAAA-MM-JJ}] »."
    ) in run.err
    assert cli("check", "--strict", "--content", "content").code == 1

    site = build(cli, content, tmp_path)
    gao = text_of(site / "regions/gao/index.html")
    assert (
        "Unité avicole de 1 000 poules pondeuses à Bara — Bara, cercle d’Ansongo — 50 798 dollars américains — "
        "statut à confirmer (QIP-2017-02)" in gao
    )
    issue = text_of(site / "bulletins/2017-11/index.html")
    total = f"({before.qip.approuves} projets au total depuis 2013, dont 1 au statut à confirmer)"
    assert total in issue
    assert total in pdf_text(site / "bulletins/2017-11/bulletin-sr-2017-11.pdf")
    assert "Statut à confirmer" in text_of(site / "fonds/qip/index.html")


def test_a_pbf_project_with_no_closure_is_to_confirm_on_every_public_page(cli, content, tmp_path, monkeypatch):
    pbf = content / PBF
    edit(
        pbf,
        "    fin_prevue: 2016-06-30\n    cloture: 2016-06-30\n  description: >-\n    Ce projet consiste",
        "    fin_prevue: 2016-06-30\n  description: >-\n    Ce projet consiste",
    )
    fig = figures(content)
    assert (fig.pbf.finalises, fig.pbf.en_cours, fig.pbf.a_confirmer, fig.pbf.approuves) == (1, 3, 1, 5)
    monkeypatch.chdir(content.parent)
    run = cli("check", "--content", "content")
    assert (
        f"content/{PBF}:{jalons_line(pbf, 'PBF-2015-4')} — « jalons » : le projet « PBF-2015-4 » a dépassé sa fin "
        "prévue (2016-06-30)" in run.err
    )
    site = build(cli, content, tmp_path, "--sans-pdf")
    gao = text_of(site / "regions/gao/index.html")
    entry = gao[gao.index("Solutions pour la réintégration") : gao.index("(PBF-2015-4)")]
    assert entry.endswith("— statut à confirmer ") and "en cours" not in entry
    issue = text_of(site / "bulletins/2017-11/index.html")
    assert "Parmi ces projets : 1 au statut à confirmer." in issue
    assert "dans les régions de Gao et de Tombouctou — statut à confirmer" in issue  # the issue's PBF list
    fund = text_of(site / "fonds/pbf/index.html")
    assert "Finalisés En cours Statut à confirmer Total Montant Novembre 2017 28 février 2017 1 3 1 5" in fund


# --- the PBF projects of the seed ------------------------------------------------------------------


def test_no_pbf_project_is_ongoing_at_the_end_of_november_2017():
    """Five projects from January 2015 to June 2016, three extended from January to March 2017."""
    edition = load_edition(CONTENT)
    pbf = [p for p in edition.register.projets if p.fonds == "pbf"]
    assert len(pbf) == 5
    assert {p.id: status_on(p, NOV) for p in pbf} == {
        "PBF-2015-1": Status.CLOTURE,
        "PBF-2015-2": Status.CLOTURE,
        "PBF-2015-3": Status.CLOTURE,
        "PBF-2015-4": Status.CLOTURE,
        "PBF-2015-5": Status.CLOTURE,
    }
    # On the PBF block's date the three extended projects were running, the two others closed.
    assert [p.id for p in pbf if status_on(p, PBF_DAY) is Status.EN_COURS] == ["PBF-2015-1", "PBF-2015-2", "PBF-2015-5"]
    timeline = Timeline(edition.register)
    assert (timeline.fund("pbf", NOV).finalises, timeline.fund("pbf", NOV).en_cours) == (5, 0)
    assert (timeline.fund("pbf", PBF_DAY).finalises, timeline.fund("pbf", PBF_DAY).en_cours) == (2, 3)
    assert [w for w in edition.warnings if "statut à confirmer" in w.what] == []


def test_gao_lists_the_pbf_projects_as_closed(cli, content, tmp_path):
    site = build(cli, content, tmp_path, "--sans-pdf")
    gao = text_of(site / "regions/gao/index.html")
    for pid in ("PBF-2015-2", "PBF-2015-4"):
        assert re.search(rf"— clôturé \({pid}\)", gao), pid
    fund = text_of(site / "fonds/pbf/index.html")
    assert "Finalisés En cours Total Montant Novembre 2017 28 février 2017 2 3 5" in fund


# --- internal note, public remark ------------------------------------------------------------------

NOTE = "montant exact à confirmer auprès du Comité"
REMARK = "Projet cofinancé par le Bureau régional de Mopti."


def test_a_note_is_never_published_the_public_remark_is(cli, content, tmp_path):
    ff = content / FF
    edit(ff, "  jalons:\n    approbation: 2017-11-09\n", f"  note: {NOTE}\n  jalons:\n    approbation: 2017-11-09\n")
    edit(
        ff,
        "  jalons:\n    approbation: 2017-11-15\n",
        f"  remarque_publique: {REMARK}\n  jalons:\n    approbation: 2017-11-15\n",
    )
    shipped_note = "Coût « de près de 86 000 dollars » selon la source ; montant exact à confirmer."
    assert shipped_note in ff.read_text(encoding="utf-8")
    site = build(cli, content, tmp_path)
    published = [p for p in site.rglob("*") if p.suffix in (".html", ".json", ".csv", ".xml", ".txt")]
    for page in published:
        text = page.read_text(encoding="utf-8")
        assert NOTE not in text and "montant exact à confirmer" not in text, page
    pdf = pdf_text(site / "bulletins/2017-11/bulletin-sr-2017-11.pdf")
    assert NOTE not in pdf and "montant exact à confirmer" not in pdf
    issue = text_of(site / "bulletins/2017-11/index.html")
    assert f"({REMARK})" in issue and f"({REMARK})" in pdf
    # the shipped register's public remark, moved out of « note »
    assert "(Financé par la contribution spéciale du Royaume-Uni au Fonds fiduciaire pour 2017.)" in issue
