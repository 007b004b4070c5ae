"""Amounts in francs CFA: a dated rates table, both currencies on the pages, « environ » in the totals,
located errors for a missing rate; and an issue dated before every opening balance."""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest

from bulletin.figures import compute_issue
from bulletin.pages import print_previews
from bulletin.validate import load_edition

from .conftest import ISSUE, ROOT, add_december, edit, line_of

QIP = "registre/projets/qip.yaml"
FF = "registre/projets/ff.yaml"
RATES = "registre/taux.yaml"
CONTRIBUTIONS = "registre/contributions.yaml"
XOF_QIP = """
- id: QIP-2017-09
  fonds: qip
  titre: Forage pastoral à Ber
  regions: [tombouctou]
  secteur: eau
  montant: 25000000
  devise: XOF
  bailleurs: [MINUSMA]
  jalons:
    approbation: 2017-11-09
"""
XOF_EVENT = """
    - id: qip-forage-ber
      date: 2017-11-09
      type: approbation
      projet: QIP-2017-09
      texte: >-
        le comité a **approuvé un forage pastoral à Ber** d'un montant de
        {{ projet.montant }}.
"""


def rate(day: str, value: str, currency: str = "XOF") -> str:
    return f"- date: {day}\n  devise: {currency}\n  taux: {value}\n  source: BCEAO, cours du {day}\n"


def set_rates(content: Path, *rows: str) -> None:
    (content / RATES).write_text("".join(rows), encoding="utf-8")


def add(content: Path, relative: str, text: str) -> None:
    path = content / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def cite_xof_qip(content: Path) -> None:
    edit(
        content / ISSUE,
        "  faits_marquants:\n    - id: qip-couture-kidal",
        "  faits_marquants:" + XOF_EVENT.rstrip("\n") + "\n    - id: qip-couture-kidal",
    )


def plain(text: str) -> str:
    """Page text with the typographic spaces as plain spaces, to compare with what a reader reads."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def usd(amount: int | str, rate_value: str) -> Decimal:
    return (Decimal(amount) / Decimal(rate_value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def figures_of(content: Path, month: str = "2017-11"):
    edition = load_edition(content)
    issue = next(i for i in edition.issues if i.mois == month)
    return compute_issue(edition.register, issue), edition


def test_a_qip_in_francs_cfa_builds_and_shows_both_currencies_and_environ(cli, content, tmp_path):
    before, _ = figures_of(content)
    add(content, QIP, XOF_QIP)
    set_rates(content, rate("2017-10-01", "560"), rate("2017-11-01", "575"), rate("2017-12-01", "590"))
    cite_xof_qip(content)
    site = tmp_path / "site"
    run = cli("build", "--sans-pdf", "--content", str(content), "--site-dir", str(site))
    assert run.code == 0, run.err
    # Converted at the rate in force on its approval (9 November: the rate of 1 November).
    expected = before.qip.montant.montant + usd(25_000_000, "575")
    page = plain((site / "bulletins/2017-11/index.html").read_text(encoding="utf-8"))
    # The prose is re-serialised by the sanitiser (nh3): typographic apostrophes as characters, not entities.
    assert "d’un montant de 25 000 000 francs CFA (environ 43 000 dollars américains)" in page
    millions = f"{expected / 1_000_000:.1f}".replace(".", ",")
    assert f"sur un budget de <strong>{millions} millions de dollars américains environ</strong>" in page
    region = plain((site / "regions/tombouctou/index.html").read_text(encoding="utf-8"))
    assert "25 000 000 francs CFA (environ 43 000 dollars américains)" in region
    data = json.loads((site / "bulletins/2017-11/chiffres-cles.json").read_text(encoding="utf-8"))
    amount = next(k for k in data["chiffres_cles"] if (k["fonds"], k["indicateur"]) == ("qip", "montant"))
    assert (Decimal(str(amount["valeur"])), amount["devise"], amount["environ"]) == (expected, "USD", True)
    budget = next(k for k in data["chiffres_cles"] if k["indicateur"] == "budget")
    assert budget["environ"] is False  # no conversion in the trust fund's budget
    project = next(p for p in data["projets"] if p["id"] == "QIP-2017-09")
    assert (project["montant"], project["devise"]) == (25000000, "XOF")
    assert project["montant_converti"] == {"montant": float(usd(25_000_000, "575")), "devise": "USD", "environ": True}
    csv_row = next(
        r
        for r in (site / "bulletins/2017-11/chiffres-cles.csv").read_text(encoding="utf-8").splitlines()
        if r.startswith("qip,montant,")
    )
    assert csv_row.endswith(",2017-11-30,true")


def test_the_print_layout_shows_both_currencies_and_environ(content):
    add(content, QIP, XOF_QIP)
    set_rates(content, rate("2017-11-01", "575"))
    cite_xof_qip(content)
    edition = load_edition(content)
    printed = plain(print_previews(edition, ROOT / "templates", "print.css")["2017-11"])
    assert "d’un montant de 25 000 000 francs CFA (environ 43 000 dollars américains)" in printed
    total = compute_issue(edition.register, edition.issues[0]).qip.montant.montant
    assert f"{total / 1_000_000:.1f}".replace(".", ",") + " millions de dollars américains environ" in printed


def test_without_a_rate_for_its_date_check_says_which_rate_is_missing(cli, content):
    add(content, QIP, XOF_QIP)
    set_rates(content, rate("2017-11-15", "575"))  # after the approval: not in force on 9 November
    run = cli("check", "--content", str(content))
    assert run.code == 1
    line = line_of(content / QIP, "montant: 25000000")
    assert (
        f"qip.yaml:{line} — « montant » : aucun taux de change XOF → USD n'est en vigueur le 2017-11-09 "
        "(date d'approbation du projet « QIP-2017-09 ») : ce montant de 25\u202f000\u202f000 XOF ne peut pas "
        "être converti ni additionné aux autres. Le premier taux XOF du tableau est daté du 2017-11-15"
    ) in run.err
    assert (
        "→ Ajoutez dans content/registre/taux.yaml un taux XOF daté du 2017-11-09 ou d'avant, avec sa source : "
        '« - {date: 2017-11-09, devise: XOF, taux: 580.5, source: "BCEAO, cours du 2017-11-09"} »'
    ) in run.err
    assert "Traceback" not in run.err
    # The example, pasted as told, is a rate check accepts (its comma split the source: « champ inconnu »).
    example = run.err.split("avec sa source : « ", 1)[1].split(" »", 1)[0]
    with (content / RATES).open("a", encoding="utf-8") as rates:
        rates.write(example + "\n")
    assert cli("check", "--content", str(content)).code == 0


def test_without_any_rates_table_the_message_is_the_same(cli, content):
    add(content, QIP, XOF_QIP)
    (content / RATES).unlink()
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert f"qip.yaml:{line_of(content / QIP, 'montant: 25000000')} — « montant » : aucun taux de change XOF" in run.err
    assert "Le premier taux" not in run.err


def test_a_contribution_in_francs_cfa_counts_at_the_rate_of_its_receipt(cli, content):
    before, _ = figures_of(content)
    add(
        content,
        CONTRIBUTIONS,
        "\n- id: CONTRIB-2017-XOF\n  bailleur: Canada\n  montant: 1150000000\n  devise: XOF\n"
        "  signee: 2017-11-02\n  recue: 2017-11-20\n",
    )
    set_rates(content, rate("2017-11-01", "575"), rate("2017-11-15", "580"))
    figures, edition = figures_of(content)
    contribution = edition.register.contribution("CONTRIB-2017-XOF")
    assert contribution.montant.converti.montant == usd(1_150_000_000, "580")  # receipt, not signature
    budget = figures.contributions.budget
    assert (budget.montant, budget.devise, budget.environ) == (
        before.contributions.budget.montant + usd(1_150_000_000, "580"),
        "USD",
        True,
    )
    assert "Canada" in figures.contributions.contributeurs


def test_a_contribution_signed_not_received_is_shown_at_the_rate_of_its_signature(cli, content):
    edit(content / CONTRIBUTIONS, "  montant: 4100000\n", "  montant: 2300000000\n  devise: XOF\n")
    set_rates(content, rate("2017-11-01", "575"))
    figures, edition = figures_of(content)
    sweden = edition.register.contribution("CONTRIB-2017-SUEDE")
    assert sweden.montant.converti.montant == usd(2_300_000_000, "575")
    assert figures.contributions.budget.environ is False  # announced, not counted
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err


def test_two_currencies_in_one_fund_add_up_in_dollars_with_environ(content):
    before, _ = figures_of(content)
    add(
        content,
        FF,
        "\n- id: FF-2017-XOF\n  fonds: ff\n  titre: Appui aux radios communautaires\n  axe: A\n"
        "  montant: 58000000\n  devise: XOF\n  bailleurs: [Canada]\n  jalons:\n    approbation: 2017-11-22\n",
    )
    set_rates(content, rate("2017-11-01", "580"))
    after, _ = figures_of(content)
    assert after.ff.montant.montant == before.ff.montant.montant + usd(58_000_000, "580")
    assert (after.ff.montant.devise, after.ff.montant.environ, before.ff.montant.environ) == ("USD", True, False)
    axes_before, axes_after = dict(before.ff_axes_montants), dict(after.ff_axes_montants)
    name = next(n for n in axes_after if n.startswith("A "))
    assert axes_after[name] == axes_before.get(name, Decimal(0)) + usd(58_000_000, "580")


def test_a_later_issue_converts_each_amount_at_its_own_date(content):
    """A December rate does not change an amount approved in November: published figures stay."""
    add(content, QIP, XOF_QIP)
    set_rates(content, rate("2017-11-01", "575"))
    add_december(content)
    november, _ = figures_of(content)
    set_rates(content, rate("2017-11-01", "575"), rate("2017-12-01", "610"))
    again, _ = figures_of(content)
    december, _ = figures_of(content, "2017-12")
    assert again.qip.montant == november.qip.montant
    assert december.qip.montant == november.qip.montant  # no project added in December


def test_rates_table_errors_are_located(cli, content):
    set_rates(
        content,
        rate("2017-11-01", "575"),
        rate("2017-11-01", "580"),
        rate("2017-11-01", "1", "USD"),
        rate("2017-11-01", "0.9", "EUR"),
        rate("2017-10-01", "0"),
    )
    run = cli("check", "--content", str(content))
    assert run.code == 1
    rates = content / RATES
    lines = [n for n, text in enumerate(rates.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("- date")]
    assert f"taux.yaml:{lines[1]} — « date » : un taux XOF daté du 2017-11-01 existe déjà (" in run.err
    assert (
        f"taux.yaml:{lines[2] + 1} — « devise » : « USD » est la devise de publication : elle n'a pas de taux."
    ) in run.err
    assert f"taux.yaml:{lines[3]} — « devise » : devise « EUR » inconnue." in run.err
    assert f"taux.yaml:{lines[4] + 2} — « taux » : attendu un taux plus grand que zéro" in run.err


def test_the_ceiling_is_compared_in_dollars(cli, content):
    add(content, QIP, XOF_QIP.replace("25000000", "30000000"))
    set_rates(content, rate("2017-11-01", "575"))
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    line = line_of(content / QIP, "montant: 30000000")
    assert (
        f"qip.yaml:{line} — « montant » : le projet « QIP-2017-09 » coûte 30\u202f000\u202f000 XOF, soit environ "
        f"52\u202f173,91 USD au taux de sa date, au-dessus du plafond des QIPs (50\u202f000 USD)."
    ) in run.err


def test_amounts_typed_in_prose_are_checked_in_francs_cfa_and_for_contributions(cli, content):
    add(content, QIP, XOF_QIP)
    set_rates(content, rate("2017-11-01", "575"))
    cite_xof_qip(content)
    edit(content / ISSUE, "d'un montant de\n        {{ projet.montant }}.", "d'un montant de 24.000.000 FCFA.")
    edit(
        content / ISSUE,
        "d'un montant d'environ\n        {{ contribution.montant_millions }}**",
        "d'un montant de 4 000 000 dollars**",
    )
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    assert (
        "— « texte » : le texte annonce « 24.000.000 FCFA » mais le registre indique 25\u202f000\u202f000 XOF "
        "pour le projet « QIP-2017-09 »."
    ) in run.err
    assert (
        "— « texte » : le texte annonce « 4 000 000 dollars » mais le registre indique 4\u202f100\u202f000 USD "
        "pour la contribution « CONTRIB-2017-SUEDE »."
    ) in run.err
    # The right amounts, typed: no warning.
    edit(content / ISSUE, "24.000.000 FCFA", "25 000 000 francs CFA")
    edit(content / ISSUE, "4 000 000 dollars", "4 100 000 dollars")
    run = cli("check", "--content", str(content))
    assert "le texte annonce" not in run.err


def test_dollars_typed_for_an_amount_in_francs_cfa_are_flagged(cli, content):
    add(content, QIP, XOF_QIP)
    set_rates(content, rate("2017-11-01", "575"))
    cite_xof_qip(content)
    edit(content / ISSUE, "d'un montant de\n        {{ projet.montant }}.", "d'un montant de 43 478 dollars.")
    run = cli("check", "--content", str(content))
    assert (
        "le texte annonce « 43 478 dollars » mais le registre indique 25\u202f000\u202f000 XOF pour le projet "
        "« QIP-2017-09 »"
    ) in run.err


# --- An issue dated before every opening balance -------------------------------------------------


def test_nouveau_before_every_balance_then_check_gives_located_errors(cli, content):
    assert cli("nouveau", "2017-05", "--content", str(content)).code == 0
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert "Traceback" not in run.err
    issue = content / "bulletins/2017-05/bulletin.yaml"
    line = line_of(issue, "date_reference:")
    soldes = content / "registre/soldes.yaml"
    qip_balance = line_of(soldes, "  - fonds: qip")
    assert (
        f"2017-05/bulletin.yaml:{line} — « date_reference » : aucun solde d'ouverture des QIPs n'est daté du "
        f"2017-05-31 ou d'avant (le premier est du 2017-10-31, "
    ) in run.err
    assert f"soldes.yaml:{qip_balance}) : les chiffres cumulés de ce numéro laisseraient de côté" in run.err
    assert (
        "→ Ajoutez dans content/registre/soldes.yaml un solde des QIPs daté du 2017-05-31 ou d'avant "
        "(nombre de projets finalisés, en cours, montant, source) ; ou, si la date est une faute de frappe, "
        "corrigez « date_reference »."
    ) in run.err
    assert f"2017-05/bulletin.yaml:{line} — « date_reference » : aucun solde d'ouverture des TF" in run.err
    assert (
        f"2017-05/bulletin.yaml:{line} — « date_reference » : aucun solde d'ouverture des contributions au "
        "Fonds fiduciaire"
    ) in run.err
    assert "aucun solde d'ouverture des PBF" not in run.err  # its balance (2015) precedes the PBF block's date


def test_following_the_fix_makes_the_early_issue_build(cli, content, tmp_path):
    """The fix the message gives is enough: earlier balances, and the issue builds with their figures."""
    assert cli("nouveau", "2017-05", "--content", str(content)).code == 0
    soldes = content / "registre/soldes.yaml"
    edit(
        soldes,
        "projets:\n",
        "projets:\n"
        "  - {fonds: qip, date: 2017-04-30, depuis: 2013, finalises: 200, en_cours: 110, montant: 14000000,\n"
        "     source: essai, projets_detailles: [QIP-2017-01, QIP-2017-02, QIP-2017-03, QIP-2017-04]}\n"
        "  - {fonds: ff, date: 2017-04-30, depuis: 2013, finalises: 45, en_cours: 50, montant: 40000000,\n"
        "     source: essai, projets_detailles: [FF-2017-01, FF-2017-02, FF-2017-03, FF-2017-04, FF-2017-05,\n"
        "                                      FF-2017-06, FF-2017-07, FF-2017-08]}\n",
    )
    edit(
        soldes,
        "contributions:\n",
        "contributions:\n  - {date: 2017-04-30, montant: 50000000, bailleurs: [Canada], source: essai}\n",
    )
    run = cli("build", "--sans-pdf", "--content", str(content), "--site-dir", str(tmp_path / "site"))
    assert run.code == 0, run.err
    page = plain((tmp_path / "site/bulletins/2017-05/index.html").read_text(encoding="utf-8"))
    figures, _ = figures_of(content, "2017-05")
    assert figures.qip.solde.date == date(2017, 4, 30)
    assert f'<span class="sr-num">{figures.qip.finalises}</span> projets finalisés' in page


@pytest.mark.parametrize("rate_value", ["575", "612.5"])
def test_the_parenthesis_rounds_to_two_significant_digits(content, rate_value):
    from bulletin.filters import format_amount

    add(content, QIP, XOF_QIP)
    set_rates(content, rate("2017-11-01", rate_value))
    edition = load_edition(content)
    money = edition.register.project("QIP-2017-09").montant
    shown = plain(format_amount(money, edition.settings.devises, "fr"))
    exact = usd(25_000_000, rate_value)
    rounded = int(round(exact, -(len(str(int(exact))) - 2)))
    assert shown == f"25 000 000 francs CFA (environ {rounded:,} dollars américains)".replace(",", " ")
