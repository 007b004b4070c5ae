"""A project of the summarised history, detailed later (jalons.solde): the opening balance counts it until
its first event after the balance's date, then it counts apart; the issues published before keep their
figures (found by a review: handing over one of the 120 ongoing QIPs of the opening balance moved
November's published figures whatever the officer wrote)."""

from __future__ import annotations

import json
import shutil
from datetime import date

from python_calamine import CalamineWorkbook

from bulletin.models import ProjectBalance
from bulletin.register import compute_approvals, compute_breakdown, compute_fund, status_on
from bulletin.timeline import Timeline

from .conftest import add_december, edit, line_of
from .test_register import SRC, project, register, usd

BALANCE = date(2017, 10, 31)


def _archive(**milestones):
    tessit = project("QIP-T", amount=2_000, regions=["gao"], approbation=date(2017, 6, 15), solde=BALANCE, **milestones)
    other = project("QIP-A", amount=500, regions=["kidal"], approbation=date(2017, 11, 2))
    balance = ProjectBalance("qip", BALANCE, 2013, 10, 20, usd(100_000), "solde", SRC)
    return register(tessit, other, balances=[balance])


def test_the_balance_counts_it_until_its_handover_then_it_counts_apart():
    reg = _archive(remise=date(2017, 12, 12))
    before, after = compute_fund(reg, "qip", date(2017, 11, 30)), compute_fund(reg, "qip", date(2017, 12, 31))
    # November: the balance as written, the project inside it (not itemised, in no region).
    assert (before.finalises, before.en_cours, before.detailles, before.non_ventiles) == (10, 21, 1, 30)
    assert before.montant == usd(100_500)
    # December: one project less ongoing in the balance, one more finalised apart; same total and amount.
    assert (after.finalises, after.en_cours, after.detailles, after.non_ventiles) == (11, 20, 2, 29)
    assert after.approuves == before.approuves == 31 and after.montant == usd(100_500)
    assert after.solde is not None and after.solde.montant == usd(98_000) and after.solde.en_cours == 19
    regions = compute_breakdown(reg, "qip", date(2017, 12, 31), "regions")
    assert dict(regions.lignes) == {"Gao": 1, "Kidal": 1} and regions.non_ventile == 29
    assert dict(compute_breakdown(reg, "qip", date(2017, 11, 30), "regions").lignes) == {"Kidal": 1}
    assert status_on(reg.projets[0], date(2017, 12, 11)) is None  # in the balance, not « en cours » apart
    # Its approval predates its detail: no issue's list of approvals has it.
    assert compute_approvals(reg, "qip", date(2017, 1, 1), date(2017, 12, 31))[0].projets == (reg.projets[1],)
    # The published figures come from the sweep: it says the same, every day around the handover.
    timeline = Timeline(reg)
    for day in (date(2017, 11, 30), date(2017, 12, 11), date(2017, 12, 12), date(2018, 1, 1)):
        assert timeline.fund("qip", day) == compute_fund(reg, "qip", day)
        assert timeline.breakdown("qip", day, "regions") == compute_breakdown(reg, "qip", day, "regions")


def test_a_project_without_an_event_after_the_balance_stays_in_it():
    reg = _archive(fin_prevue=date(2017, 9, 30))
    figures = compute_fund(reg, "qip", date(2018, 6, 30))
    assert (figures.finalises, figures.en_cours, figures.detailles, figures.a_confirmer) == (10, 21, 1, 0)


def _seed_with_tessit(content, december_item: bool = True, **jalons: str):
    """The seed with a December, and a QIP of the opening balance (2017-10-31) handed over on 12 December."""
    milestones = "".join(f"\n    {key}: {value}" for key, value in jalons.items())
    with (content / "registre/projets/qip.yaml").open("a", encoding="utf-8") as register_file:
        register_file.write(
            "\n- id: QIP-2017-05\n  fonds: qip\n  titre: Centre de santé de Tessit\n  regions: [gao]\n"
            "  lieux: [Tessit]\n  secteur: sante\n  montant: 49850\n  bailleurs: [MINUSMA]\n"
            f"  jalons:\n    approbation: 2017-06-15{milestones}\n"
        )
    december = add_december(content)
    if december_item:
        edit(
            december / "bulletin.yaml",
            "  faits_marquants:\n",
            "  faits_marquants:\n    - id: qip-tessit\n      date: 2017-12-12\n      type: remise\n"
            "      projet: QIP-2017-05\n      texte: >-\n        le CSCOM de Tessit a été remis.\n",
        )
    return december


def _key_figures(site, month: str) -> dict[str, object]:
    data = json.loads((site / f"bulletins/{month}/chiffres-cles.json").read_text(encoding="utf-8"))
    figures = {f"{f['fonds']}.{f['indicateur']}": f["valeur"] for f in data["chiffres_cles"]}
    figures["regions"] = [(row["libelle"], row["qip"]) for row in data["regions"]["lignes"]]
    return figures


def test_the_officer_hands_over_a_project_of_the_opening_balance(content, cli, tmp_path):
    """Detailed with its real dates and « solde: 2017-10-31 »: check passes, the published November keeps
    every figure, December counts the handover (one more finalised, one less ongoing, same total) and
    places the project in its region."""
    plain = tmp_path / "plain"
    add_december(plain_content := _copy(content, tmp_path / "plain-content"))
    assert cli("--sans-pdf", "--content", str(plain_content), "--site-dir", str(plain)).code == 0
    _seed_with_tessit(content, remise="2017-12-12", solde="2017-10-31")
    check = cli("check", "--content", str(content))
    assert check.code == 0, check.err
    assert "QIP-2017-05" not in check.err  # no « compté deux fois », no published figure moved
    site = tmp_path / "site"
    assert cli("--sans-pdf", "--content", str(content), "--site-dir", str(site)).code == 0, "build"
    assert _key_figures(site, "2017-11") == _key_figures(plain, "2017-11")
    before, after = _key_figures(plain, "2017-12"), _key_figures(site, "2017-12")
    assert after["qip.projets_finalises"] == before["qip.projets_finalises"] + 1
    assert after["qip.projets_en_cours"] == before["qip.projets_en_cours"] - 1
    assert after["qip.projets_approuves"] == before["qip.projets_approuves"]
    assert after["qip.montant"] == before["qip.montant"]
    assert dict(after["regions"])["Gao"] == dict(before["regions"])["Gao"] + 1
    assert dict(after["regions"])["Non ventilé (historique)"] == dict(before["regions"])["Non ventilé (historique)"] - 1


def test_without_solde_check_says_how_to_record_it(content, cli):
    """The same project without « solde » would be counted twice from June (in the balance and apart):
    check's warning, at the project, names both ways, and no longer the old advice (« retirez-le du
    solde »), which moved the published November's table by region."""
    _seed_with_tessit(content, remise="2017-12-12")
    run = cli("check", "--content", str(content))
    warning = next(block for block in run.err.split("\n\n") if "QIP-2017-05" in block)
    assert "qip.yaml:" in warning and "avant le solde d'ouverture des QIPs du 2017-10-31" in warning
    assert "ajoutez « solde: 2017-10-31 » à ses jalons" in warning and "projets_detailles" in warning
    assert "retirez-le du solde" not in warning


def test_a_wrong_solde_is_refused_with_its_reason(content, cli):
    cases = {
        "2017-09-30": "que soldes.yaml n'a pas (soldes des QIPs : 2017-10-31)",
        "2017-06-01": "après le solde d'ouverture du 2017-06-01 qui le compterait",
    }
    for day, said in cases.items():
        case = _copy(content, content.parent / f"case-{day}")
        _seed_with_tessit(case, december_item=False, solde=day)
        if day == "2017-06-01":
            # A balance of that date exists: the project, approved on 15 June, began after it.
            edit(
                case / "registre/soldes.yaml",
                "projets:\n",
                "projets:\n  - fonds: qip\n    date: 2017-06-01\n    depuis: 2013\n    finalises: 200\n"
                "    en_cours: 100\n    montant: 15000000\n    source: Solde de juin.\n"
                "    projets_detailles: [QIP-2017-01, QIP-2017-02, QIP-2017-03, QIP-2017-04]\n\n",
            )
        run = cli("check", "--content", str(case))
        assert run.code == 1 and said in run.err, (day, run.err)
        assert "content/registre/projets/qip.yaml:" in run.err.replace(str(case), "content")


def test_a_balance_cannot_count_less_than_what_leaves_it(content, cli):
    edit(content / "registre/soldes.yaml", "    en_cours: 120\n", "    en_cours: 0\n")
    edit(content / "registre/soldes.yaml", "    finalises: 211\n", "    finalises: 331\n")
    _seed_with_tessit(content, december_item=False, remise="2017-12-12", solde="2017-10-31")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert "en cours : le solde en compte 0, 1 en sortent" in run.err, run.err
    assert "soldes.yaml:" in run.err


def _copy(content, target):
    shutil.copytree(content, target)
    return target


def test_the_spreadsheet_carries_it_both_ways(content, cli, tmp_path):
    """Exported with its « Solde d'ouverture » date, imported back: the register does not change."""
    _seed_with_tessit(content, december_item=False, remise="2017-12-12", solde="2017-10-31")
    before = {p: p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}
    book = tmp_path / "registre.xlsx"
    assert cli("exporter", str(book), "--content", str(content)).code == 0
    sheet = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("QIP").to_python()
    row = next(r for r in sheet if r[0] == "QIP-2017-05")
    assert row[sheet[0].index("Solde d'ouverture")] == date(2017, 10, 31)
    run = cli("importer", str(book), "--content", str(content))
    assert run.code == 0 and "Rien à écrire" in run.out, run.out + run.err
    assert {p: p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()} == before


def test_a_balance_cannot_lose_more_projects_not_started_than_it_declares(content, cli):
    """A balance declaring its approved projects (`approuves`) counts those not started apart; a project
    not started on its date leaves that count: one it does not have is refused (it printed « dont -1 non
    démarrés »; found by an adversarial review)."""
    edit(
        content / "registre/soldes.yaml",
        "    finalises: 50\n    en_cours: 53\n",
        "    approuves: 103\n    finalises: 50\n    en_cours: 53\n",
    )
    with (content / "registre/projets/ff.yaml").open("a", encoding="utf-8") as register_file:
        register_file.write(
            "\n- id: FF-2017-90\n  fonds: ff\n  titre: Projet approuvé non démarré\n  axe: C\n  secteur: elections\n"
            "  regions: [kidal]\n  montant: 300000\n  bailleurs: [Canada]\n"
            "  jalons:\n    approbation: 2017-09-01\n    debut: 2017-12-05\n    solde: 2017-10-31\n"
        )
    add_december(content)
    run = cli("check", "--content", str(content))
    assert run.code == 1 and "non démarrés : le solde en compte 0, 1 en sortent" in run.err, run.err


def test_a_page_listing_it_gives_its_own_status_while_the_balance_counts_it(content, cli, tmp_path):
    """Handed over only in January: in December the balance still counts it, and no figure counts it
    apart; its region's page and the open data still say what it is, ongoing (they said « pas encore
    approuvé » of a project approved in June), and the open data name the balance that counts it."""
    december = _seed_with_tessit(content, december_item=False, remise="2018-01-15", solde="2017-10-31")
    edit(
        december / "bulletin.yaml",
        "  faits_marquants:\n",
        "  faits_marquants:\n    - id: qip-tessit\n      date: 2017-12-12\n      type: visite\n"
        "      projet: QIP-2017-05\n      texte: >-\n        une visite au CSCOM de Tessit.\n",
    )
    site = tmp_path / "site"
    assert cli("--sans-pdf", "--content", str(content), "--site-dir", str(site)).code == 0
    region = (site / "regions/gao/index.html").read_text(encoding="utf-8")
    entry = region[region.index("Centre de santé de Tessit") :][:400]
    assert "en cours" in entry and "pas encore approuvé" not in entry, entry
    data = json.loads((site / "bulletins/2017-12/chiffres-cles.json").read_text(encoding="utf-8"))
    tessit = next(p for p in data["projets"] if p["id"] == "QIP-2017-05")
    assert tessit["statut"] == "en_cours" and tessit["jalons"]["solde"] == "2017-10-31"
    assert all("solde" not in p["jalons"] for p in data["projets"] if p["id"] != "QIP-2017-05")


def test_a_balance_date_alone_is_not_a_date_of_the_project(content, cli):
    _seed_with_tessit(content, december_item=False)  # approved on 15 June: made dateless below
    edit(content / "registre/projets/qip.yaml", "    approbation: 2017-06-15\n", "    solde: 2017-10-31\n")
    run = cli("check", "--content", str(content))
    assert run.code == 1 and "au moins une date" in run.err and "None" not in run.err, run.err


def test_a_solde_written_wrong_is_one_error_at_its_project(content, cli):
    """Its own error only: the « compté deux fois » warning beside it advised writing the very « solde »
    that could not be read."""
    _seed_with_tessit(content, december_item=False, remise="2017-12-12", solde="2017-13-01")
    run = cli("check", "--content", str(content))
    solde = line_of(content / "registre/projets/qip.yaml", "solde: 2017-13-01")
    assert run.code == 1 and f"qip.yaml:{solde} — « solde » : attendu une date qui existe" in run.err, run.err
    assert "compté deux fois" not in run.err and "il l'est deux fois" not in run.err


def test_a_handover_without_an_approval_date_is_told_it_counts_as_a_new_project(content, cli):
    """The officer's first try: the old QIP written with `remise:` alone. It passed, and the fund's total
    grew by one on the handover (six for six QIPs, in the review's December). check now says what it
    counts as, and the two ways to write it; the seed's own QIPs, listed as not counted by the balance,
    are not concerned."""
    _seed_with_tessit(content, december_item=False)
    edit(content / "registre/projets/qip.yaml", "    approbation: 2017-06-15\n", "    remise: 2017-12-12\n")
    run = cli("check", "--content", str(content))
    warnings = [block for block in run.err.split("\n\n") if "n'a ni approbation ni début" in block]
    assert len(warnings) == 1 and "« QIP-2017-05 »" in warnings[0], run.err
    assert "il compte comme approuvé le 2017-12-12" in warnings[0] and "« solde: 2017-10-31 »" in warnings[0]
