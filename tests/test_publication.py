"""Published is frozen: `publier` records an issue's figures; a register change that moves them stops
check and build until the officer corrects the register or adds a dated erratum. Cumulative series
that go down from one issue to the next are flagged."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from bulletin.figures import compute_issue
from bulletin.opendata import issue_json
from bulletin.render import make_environment, render_print
from bulletin.validate import load_edition

from .conftest import ISSUE, ROOT, add_december, edit, line_of

QIP = "registre/projets/qip.yaml"
RECORD = "bulletins/2017-11/publie.yaml"
# A QIP approved on 10 November 2017, entered while writing December: it moves November's figures.
LATE_QIP = """
- id: QIP-2017-05
  fonds: qip
  titre: Réhabilitation du forage de Sosso Koïra à Gao
  regions: [gao]
  secteur: eau
  montant: 38518
  jalons:
    approbation: 2017-11-10
"""
ERRATUM = """rectificatifs:
  - date: 2017-12-15
    motif: un QIP approuvé le 10 novembre 2017 avait été omis
    chiffres: [qip.projets_en_cours, qip.projets_approuves, qip.montant, regions]
"""


def publish(cli, content: Path, *extra: str):
    run = cli("publier", "2017-11", "--le", "2017-12-05", "--content", str(content), *extra)
    assert run.code == 0, run.err
    return run


def add_late_qip(content: Path) -> int:
    with (content / QIP).open("a", encoding="utf-8") as register:
        register.write(LATE_QIP)
    return line_of(content / QIP, "id: QIP-2017-05")


def add_erratum(content: Path) -> None:
    edit(content / ISSUE, "mois: 2017-11\n", "mois: 2017-11\n" + ERRATUM)


def plain(text: str) -> str:
    """Text as a reader sees it: no tags, ordinary spaces."""
    return re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", text).replace("&nbsp;", " ").replace("\u00a0", " ").replace("\u202f", " ")
    )


def test_publish_records_the_date_and_every_figure_of_the_open_data(cli, content):
    run = publish(cli, content)
    assert f"Numéro 2017-11 enregistré comme publié le 5 décembre 2017 dans {content / RECORD}" in run.out
    text = (content / RECORD).read_text(encoding="utf-8")
    assert text.startswith("# Registre de publication du bulletin 2017-11 : NE PAS MODIFIER À LA MAIN.")
    record = yaml.safe_load(text)
    assert record["publie_le"] == date(2017, 12, 5) and record["rectificatifs"] == []
    edition = load_edition(content)
    data = json.loads(issue_json(compute_issue(edition.register, edition.issues[0]), edition.register))
    published = {f"{k['fonds']}.{k['indicateur']}": k["valeur"] for k in data["chiffres_cles"]}
    assert {k: record["chiffres"][k] for k in published} == published
    regions = {r["region"] or r["categorie"]: r for r in data["regions"]["lignes"]}
    assert record["chiffres"]["regions.total.total"] == regions["total"]["total"]
    assert record["chiffres"]["regions.gao.qip"] == regions["gao"]["qip"]
    # The register entries the figures counted, to explain a later change.
    assert record["registre"]["QIP-2017-02"] == {
        "fonds": "qip",
        "statut": "en_cours",
        "montant": 50798,
        "devise": "USD",
    }
    assert cli("check", "--content", str(content)).code == 0


def test_a_published_issues_dates_are_recorded_and_cannot_change(cli, content):
    """Every figure is printed « Au 30 novembre 2017 »: moving the date of a published issue changed
    every page and the open data without a word when no figure happened to move (found by an
    adversarial review). The record keeps both dates; check stops at the changed one."""
    publish(cli, content)
    record = yaml.safe_load((content / RECORD).read_text(encoding="utf-8"))
    assert record["dates"] == {"date_reference": date(2017, 11, 30), "pbf_date_reference": date(2017, 2, 28)}
    issue = content / "bulletins/2017-11/bulletin.yaml"
    edit(issue, "date_reference: 2017-11-30", "date_reference: 2017-11-29")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    line = line_of(issue, "date_reference: 2017-11-29")
    assert (
        f"bulletin.yaml:{line} — « date_reference » : le numéro 2017-11, publié le 5 décembre 2017, a imprimé "
        "ses chiffres au 30 novembre 2017 ; cette date ne peut plus changer (trouvé : 29 novembre 2017)."
    ) in run.err, run.err
    edit(issue, "date_reference: 2017-11-29", "date_reference: 2017-11-30")
    edit(issue, "date_reference: 2017-02-28", "date_reference: 2017-03-31")
    run = cli("check", "--content", str(content))
    line = line_of(issue, "date_reference: 2017-03-31")
    assert run.code == 1 and f"bulletin.yaml:{line} — « pbf: date_reference » : le numéro 2017-11" in run.err
    assert "Remettez « date_reference: 2017-02-28 »" in run.err


def test_a_published_figure_moved_is_reported_with_an_error_in_another_issue_not_after_it(cli, content):
    """Found by a new user: an impossible date in December hid that the register now moved a figure
    November printed; fixing the date brought the graver error only then. All errors at once."""
    publish(cli, content)
    add_december(content)
    add_late_qip(content)
    edit(content / "bulletins/2017-12/bulletin.yaml", "date_reference: 2017-12-31", "date_reference: 2017-12-32")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    err = run.err.replace("\u202f", " ")
    assert "bulletins/2017-12/bulletin.yaml" in err and "attendu une date qui existe" in err
    assert "le numéro 2017-11, publié le 5 décembre 2017, a imprimé des chiffres que le registre change" in err
    assert "Projets en cours (QIPs), au 30 novembre 2017 : 121 → 122" in err


def test_with_an_error_in_the_register_published_figures_are_not_compared(cli, content):
    """A register with errors leaves entries out: the figures it would give differ for that reason, not
    the author's, and comparing them would report figures moved that did not."""
    publish(cli, content)
    edit(content / QIP, "  montant: 37804", "  montant: trente mille")
    run = cli("check", "--content", str(content))
    assert run.code == 1 and "attendu un montant en chiffres" in run.err
    assert "a imprimé des chiffres" not in run.err


def test_publish_without_a_date_writes_the_day_it_is_run(cli, content):
    """The only clock: publishing is an authoring act, and the date it states is written into content/."""
    assert cli("publish", "2017-11", "--content", str(content)).code == 0
    assert yaml.safe_load((content / RECORD).read_text(encoding="utf-8"))["publie_le"] == date.today()


def test_a_qip_approved_in_november_stops_check_and_build_of_the_published_issue(cli, content, tmp_path):
    publish(cli, content)
    line = add_late_qip(content)
    run = cli("check", "--content", str(content))
    assert run.code == 1
    err = run.err.replace("\u202f", " ").replace("\u00a0", " ")
    assert "le numéro 2017-11, publié le 5 décembre 2017, a imprimé des chiffres que le registre change" in err
    assert "Projets en cours (QIPs), au 30 novembre 2017 : 121 → 122" in err
    assert "Projets approuvés (tous statuts), QIPs, au 30 novembre 2017 : 335 → 336" in err
    assert (
        "Montant des projets approuvés (QIPs), au 30 novembre 2017 : « 15,9 millions de dollars américains » "
        "(15 900 000 USD) → « 15,9 millions de dollars américains » (15 938 518 USD)"
    ) in err
    assert f"{QIP}:{line} — QIP-2017-05 : nouvelle entrée comptée au 30 novembre 2017" in err
    assert "chiffres: [qip.projets_en_cours, qip.projets_approuves, qip.montant, regions]" in err
    assert "Projets finalisés (QIPs)" not in err  # unchanged figures are not listed
    build = cli("--content", str(content), "--sans-pdf", "--site-dir", str(tmp_path / "site"))
    assert build.code == 1 and "QIP-2017-05 : nouvelle entrée" in build.err
    assert "Rien n'a été écrit" in build.err and not (tmp_path / "site").exists()


def test_a_draft_follows_the_register(cli, content, tmp_path):
    add_late_qip(content)
    assert cli("--content", str(content), "--sans-pdf", "--site-dir", str(tmp_path / "site")).code == 0
    page = plain((tmp_path / "site/bulletins/2017-11/index.html").read_text(encoding="utf-8"))
    assert "122 en cours" in page and "Rectificatif" not in page


def test_an_erratum_lets_the_build_pass_and_the_page_and_open_data_show_it(cli, content, tmp_path):
    publish(cli, content)
    add_late_qip(content)
    add_erratum(content)
    site = tmp_path / "site"
    run = cli("--content", str(content), "--sans-pdf", "--site-dir", str(site))
    assert run.code == 0, run.err
    line = line_of(content / ISSUE, "- date: 2017-12-15")
    assert (
        f"bulletin.yaml:{line} — « rectificatifs » : le rectificatif du 15 décembre 2017 n'est pas encore "
        "enregistré dans publie.yaml"
    ) in run.err
    page = plain((site / "bulletins/2017-11/index.html").read_text(encoding="utf-8"))
    assert "Rectificatif du 15 décembre 2017 : un QIP approuvé le 10 novembre 2017 avait été omis" in page
    assert "Projets en cours (QIPs) : 121 → 122" in page
    assert (
        "Montant des projets approuvés (QIPs) : 15 900 000 dollars américains → 15 938 518 dollars américains" in page
    )
    assert "122 en cours" in page
    data = json.loads((site / "bulletins/2017-11/chiffres-cles.json").read_text(encoding="utf-8"))
    [erratum] = data["rectificatifs"]
    assert erratum["date"] == "2017-12-15" and erratum["motif"].startswith("un QIP approuvé")
    assert {"chiffre": "qip.montant", "publie": 15900000, "corrige": 15938518} in erratum["chiffres"]
    assert cli("check", "--strict", "--content", str(content)).code == 1  # not recorded yet: a warning
    # The print edition (the PDF's HTML) shows it too.
    edition = load_edition(content)
    printed = plain(
        render_print(
            make_environment(ROOT / "templates", edition), edition, compute_issue(edition.register, edition.issues[0])
        )
    )
    assert "Rectificatif du 15 décembre 2017 : un QIP approuvé le 10 novembre 2017 avait été omis" in printed


def test_the_record_keeps_the_erratum_and_holds_the_corrected_values(cli, content):
    publish(cli, content)
    add_late_qip(content)
    add_erratum(content)
    run = cli("publier", "2017-11", "--content", str(content))
    assert run.code == 0 and "Rectificatif enregistré pour le numéro 2017-11" in run.out
    # Not told, while it records the erratum, to run the command that records it (a review's find).
    assert "pas encore enregistré" not in run.err and "publier 2017-11" not in run.err, run.err
    record = yaml.safe_load((content / RECORD).read_text(encoding="utf-8"))
    assert record["publie_le"] == date(2017, 12, 5) and record["chiffres"]["qip.projets_en_cours"] == 121
    [kept] = record["rectificatifs"]
    assert kept["chiffres"]["qip.projets_en_cours"] == {"avant": 121, "apres": 122}
    check = cli("check", "--content", str(content))
    assert check.code == 0 and "pas encore enregistré" not in check.err
    assert "rien à faire" in cli("publier", "2017-11", "--content", str(content)).out
    # The corrected value is now the one kept: a second late QIP moves it again.
    edit(content / QIP, "approbation: 2017-11-10", "approbation: 2017-11-10\n    remise: 2017-11-20")
    err = cli("check", "--content", str(content)).err
    assert "Projets en cours (QIPs), au 30 novembre 2017 : 122 → 121" in err
    assert "QIP-2017-05 : statut en_cours → finalise" in err


def test_a_recorded_erratum_cannot_be_removed(cli, content):
    publish(cli, content)
    add_late_qip(content)
    add_erratum(content)
    cli("publier", "2017-11", "--content", str(content))
    edit(content / ISSUE, ERRATUM, "")
    err = cli("check", "--content", str(content)).err
    assert (
        f"{RECORD}:1 — « rectificatifs » : le rectificatif du 15 décembre 2017 (« un QIP approuvé le 10 "
        "novembre 2017 avait été omis ») est enregistré pour le numéro 2017-11 mais ne figure plus"
    ) in err


def test_erratum_errors_are_located(cli, content):
    add_erratum(content)
    line = line_of(content / ISSUE, "- date: 2017-12-15")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert f"bulletin.yaml:{line} — « rectificatifs » : le numéro 2017-11 n'est pas publié" in run.err
    edit(content / ISSUE, "- date: 2017-12-15", "- date: 2017-12-01")
    edit(content / ISSUE, "qip.projets_approuves,", "qip.projets_aprouves,")
    publish_run = cli("publier", "2017-11", "--content", str(content))
    assert publish_run.code == 1  # a draft with an erratum is not published
    edit(content / ISSUE, ERRATUM.replace("2017-12-15", "2017-12-01").replace("approuves,", "aprouves,"), "")
    publish(cli, content)
    add_erratum(content)
    edit(content / ISSUE, "- date: 2017-12-15", "- date: 2017-12-01")
    edit(content / ISSUE, "qip.projets_approuves,", "qip.projets_aprouves,")
    err = cli("check", "--content", str(content)).err
    assert (
        f"bulletin.yaml:{line} — « date » : le rectificatif est daté du 1er décembre 2017, avant la "
        "publication du numéro (5 décembre 2017)."
    ) in err
    assert (
        "« chiffres » : le chiffre « qip.projets_aprouves » n'est pas un chiffre publié par ce numéro. "
        "Vouliez-vous dire « qip.projets_approuves » ?"
    ) in err


def test_a_damaged_record_is_a_located_error(cli, content):
    publish(cli, content)
    edit(content / RECORD, "qip.projets_en_cours: 121", "qip.projets_en_cours: cent vingt et un")
    line = line_of(content / RECORD, "qip.projets_en_cours:")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert (
        f"{RECORD}:{line} — le registre de publication est abîmé : attendu un nombre.\n    → Ce fichier s'écrit avec « "
    ) in run.err


def usage_error(cli, capsys, *args: str) -> str:
    with pytest.raises(SystemExit) as exc:
        cli(*args)
    assert exc.value.code == 2
    return capsys.readouterr().err


def test_publish_command_line(cli, capsys, content):
    folder = str(content)
    assert "« publier » attend par exemple" in usage_error(cli, capsys, "publier", "--content", folder)
    assert "« 2017-13 » n'est pas un mois" in usage_error(cli, capsys, "publier", "2017-13", "--content", folder)
    assert "--le : « 5 décembre » n’est pas une date AAAA-MM-JJ" in usage_error(
        cli, capsys, "publier", "2017-11", "--le", "5 décembre", "--content", folder
    )
    assert "--le va avec « publier »" in usage_error(cli, capsys, "check", "--le", "2017-12-05", "--content", folder)
    missing = cli("publier", "2018-01", "--content", folder)
    assert missing.code == 1 and "Aucun bulletin pour 2018-01" in missing.err
    # A typo in --le would be frozen: a day before the figures' own day is refused, nothing written.
    early = cli("publier", "2017-11", "--le", "1999-01-01", "--content", folder)
    assert early.code == 1 and not (content / RECORD).exists()
    assert (
        "Le numéro 2017-11 ne peut pas être publié le 1er janvier 1999 : ses chiffres sont arrêtés au "
        "30 novembre 2017, plus tard. Rien n'a été enregistré.\n    → Donnez le jour où le numéro a paru, à "
        "partir du 30 novembre 2017"
    ) in early.err
    late = cli("publier", "2017-11", "--le", "2071-12-05", "--content", folder)
    assert late.code == 1 and not (content / RECORD).exists()
    assert "Le numéro 2017-11 ne peut pas être publié le 5 décembre 2071 : ce jour n'est pas encore venu" in late.err
    assert cli("publier", "2017-11", "--le", "2017-11-30", "--content", folder).code == 0  # the day itself is fine
    (content / RECORD).unlink()
    (content / "bulletins/publies.yaml").unlink()
    publish(cli, content)
    again = cli("publier", "2017-11", "--le", "2017-12-06", "--content", folder)
    assert again.code == 1
    assert "est publié depuis le 5 décembre 2017 : sa date de publication ne change pas" in again.err


# --- series ------------------------------------------------------------------------------

LOWER_BALANCE = """  - fonds: qip
    date: 2017-12-01
    depuis: 2013
    finalises: 200
    en_cours: 120
    montant: 15738534
    source: Solde recompté en décembre 2017.
    projets_detailles: [QIP-2017-01, QIP-2017-02, QIP-2017-03, QIP-2017-04]

"""


def test_fewer_finalised_qips_in_a_later_issue_is_a_series_warning(cli, content):
    add_december(content)
    soldes = content / "registre/soldes.yaml"
    edit(soldes, "  - fonds: ff\n", LOWER_BALANCE + "  - fonds: ff\n")
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    err = run.err.replace("\u202f", " ")
    line = line_of(content / "bulletins/2017-12/bulletin.yaml", "date_reference:")
    old, new = line_of(soldes, "  - fonds: qip"), line_of(soldes, "date: 2017-12-01") - 1
    assert (
        f"bulletins/2017-12/bulletin.yaml:{line} — « date_reference » : « Projets finalisés » (QIPs) baisse "
        "d'un numéro au suivant, alors qu'il ne fait que s'additionner :\n"
        "      numéro 2017-11, au 30 novembre 2017 : 214\n"
        "      numéro 2017-12, au 31 décembre 2017 : 203\n"
    ) in err
    assert (
        f"au 30 novembre 2017 : solde d'ouverture du 31 octobre 2017 ("
        f"{content}/registre/soldes.yaml:{old}) : "
        "211 finalisés, 120 en cours"
    ) in err
    assert (
        f"au 31 décembre 2017 : solde d'ouverture du 1er décembre 2017 ({content}/registre/soldes.yaml:{new})"
    ) in err
    assert "« Projets approuvés (tous statuts) » (QIPs) baisse" in err
    strict = cli("check", "--strict", "--content", str(content))
    assert strict.code == 1 and "Mode strict" in strict.err


def test_a_growing_series_is_quiet(cli, content):
    add_december(content)
    edit(
        content / QIP,
        "fin_prevue: 2017-11-30   # durée de six mois",
        "fin_prevue: 2017-11-30   # durée de six mois\n    remise: 2017-12-10",
    )
    run = cli("check", "--content", str(content))
    assert run.code == 0 and "baisse d'un numéro au suivant" not in run.err


def test_publish_from_a_terminal(content, tmp_path):
    """The command as the officer types it, in a process of its own."""
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "publish",
            "2017-11",
            "--le",
            "2017-12-05",
            "--content",
            str(content),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Numéro 2017-11 enregistré comme publié le 5 décembre 2017" in run.stdout
    assert "publie_le: 2017-12-05" in (content / RECORD).read_text(encoding="utf-8")


def test_a_rate_that_changes_a_published_total_is_named(cli, content):
    """An amount in francs CFA is published converted: a corrected rate moves the total, and says so."""
    (content / "registre/taux.yaml").write_text(
        "- date: 2017-11-01\n  devise: XOF\n  taux: 575\n  source: BCEAO, cours du 2017-11-01\n", encoding="utf-8"
    )
    with (content / QIP).open("a", encoding="utf-8") as register:
        register.write(LATE_QIP.replace("montant: 38518", "montant: 25000000\n  devise: XOF"))
    publish(cli, content)
    edit(content / "registre/taux.yaml", "taux: 575", "taux: 580")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    line = line_of(content / QIP, "id: QIP-2017-05")
    assert f"{QIP}:{line} — QIP-2017-05 : converti 43478.26 → 43103.45" in run.err


def test_the_next_issue_starts_as_a_draft(cli, content):
    """`nouveau` copies the stable parts of a published issue, never its record nor its errata."""
    publish(cli, content)
    add_erratum(content)
    assert cli("nouveau", "2017-12", "--content", str(content)).code == 0
    december = content / "bulletins/2017-12"
    assert not (december / "publie.yaml").exists()
    assert "rectificatifs" not in (december / "bulletin.yaml").read_text(encoding="utf-8")


def test_the_amounts_of_cited_projects_and_contributions_are_frozen_too(cli, content):
    """The issue prints the amount of an announced contribution: changing it moves a published figure."""
    publish(cli, content)
    record = yaml.safe_load((content / RECORD).read_text(encoding="utf-8"))
    data = json.loads(
        issue_json(*(lambda e: (compute_issue(e.register, e.issues[0]), e.register))(load_edition(content)))
    )
    for c in data["contributions"]:
        assert record["chiffres"][f"contributions.{c['id']}.montant"] == c["montant"]
    for p in data["projets"]:
        if p["montant"] is not None:
            assert record["chiffres"][f"projets.{p['id']}.montant"] == p["montant"]
    contributions = content / "registre/contributions.yaml"
    edit(contributions, "montant: 4100000", "montant: 4600000")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    shown = run.err.replace("\u202f", " ").replace("\u00a0", " ")
    assert (
        "Montant de la contribution CONTRIB-2017-SUEDE (Suède), au 30 novembre 2017 : "
        "« 4 100 000 dollars américains » (4 100 000 USD) → "
        "« 4 600 000 dollars américains » (4 600 000 USD)"
    ) in shown
    assert f"{contributions}:{line_of(contributions, 'montant: 4600000') - 2} — CONTRIB-2017-SUEDE" in run.err


def test_a_total_beyond_the_amount_limit_is_refused_at_check(cli, content):
    """Each amount is under the limit, their total is not: check refuses before publier records it."""
    edit(content / "registre/soldes.yaml", "montant: 15738534", "montant: 999999999999")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    issue = content / ISSUE
    assert (
        f"{issue}:{line_of(issue, 'date_reference:')} — « date_reference » : le numéro 2017-11 imprimerait "
        "« Montant des projets approuvés » = 1000000161465, au-delà de la limite des montants "
        "(1000000000000)"
    ) in run.err


# ---------------------------------------------------------------- the list of published issues


LEDGER = "bulletins/publies.yaml"


def _problems(content: Path) -> list[str]:
    from bulletin.errors import ContentInvalid

    try:
        return [str(p) for p in load_edition(content).warnings]
    except ContentInvalid as exc:
        return [str(p) for p in exc.problems]


def test_publish_lists_the_issue_and_a_record_deleted_then_stops_check(cli, content):
    publish(cli, content)
    assert (content / LEDGER).read_text(encoding="utf-8").endswith("\n2017-11: 2017-12-05\n")
    assert yaml.safe_load((content / LEDGER).read_text(encoding="utf-8")) == {"2017-11": date(2017, 12, 5)}
    assert not [p for p in _problems(content) if "publies.yaml" in p or "numéros publiés" in p]
    (content / RECORD).unlink()  # it looked like clutter, and deleting it silenced a published figure that moved
    run = cli("check", "--content", str(content))
    assert run.code != 0
    line = line_of(content / LEDGER, "2017-11:")
    assert (
        f"{LEDGER}:{line} — « 2017-11 » : le numéro 2017-11 a été publié le 5 décembre 2017, mais son registre de "
        f"publication content/{RECORD} manque" in run.err.replace(str(content), "content")
    )
    assert "Traceback" not in run.err
    # Un-publishing on purpose: the record and its line both go; the issue is a draft again.
    (content / LEDGER).unlink()  # its only line: the file goes (an empty one is refused, as any empty file)
    assert cli("check", "--content", str(content)).code == 0


def test_the_list_and_the_records_must_agree(cli, content):
    publish(cli, content)
    ledger = content / LEDGER
    edit(ledger, "2017-11: 2017-12-05", "2017-11: 2017-12-06")
    assert any(
        "publié le 6 décembre 2017 d'après cette liste, le 5 décembre 2017 d'après" in p for p in _problems(content)
    )
    edit(ledger, "2017-11: 2017-12-06", "2017-10: 2017-11-06")
    found = _problems(content)
    assert any("le numéro 2017-10, publié le 6 novembre 2017, n'a plus de dossier" in p for p in found)
    assert any(
        f"{RECORD}:1 — le numéro 2017-11, publié le 5 décembre 2017, n'est pas dans la liste" in p
        for p in (p.replace(str(content) + "/", "") for p in found)
    )
    edit(ledger, "2017-10: 2017-11-06", "2017-13: 2017-11-06\n2017-11: le 5")
    found = [p.replace(str(content) + "/", "") for p in _problems(content)]
    assert any(f"{LEDGER}:5 — la liste des numéros publiés est abîmée : attendu un mois AAAA-MM" in p for p in found)
    assert any(f"{LEDGER}:6 — « 2017-11 » :" in p and "une date AAAA-MM-JJ" in p for p in found)


def test_a_content_older_than_the_list_is_warned_and_one_publish_lists_every_published_issue(cli, content):
    add_december(content)
    publish(cli, content)
    assert cli("publier", "2017-12", "--le", "2018-01-08", "--content", str(content)).code == 0
    both = {"2017-11": date(2017, 12, 5), "2017-12": date(2018, 1, 8)}
    assert yaml.safe_load((content / LEDGER).read_text(encoding="utf-8")) == both
    (content / LEDGER).unlink()  # a content from before the list
    records = {month: (content / f"bulletins/{month}/publie.yaml").read_bytes() for month in both}
    warned = [p for p in _problems(content) if "ne sont pas dans une liste des numéros publiés" in p]
    assert len(warned) == 1 and "(2017-11, 2017-12)" in warned[0] and "publier 2017-12" in warned[0]
    assert cli("check", "--content", str(content)).code == 0  # a warning: the build goes on
    run = cli("publier", "2017-11", "--content", str(content))  # either issue: the list takes both
    assert run.code == 0 and "Liste des numéros publiés écrite" in run.out and "(2017-11, 2017-12)" in run.out
    assert {m: (content / f"bulletins/{m}/publie.yaml").read_bytes() for m in both} == records  # unchanged
    assert yaml.safe_load((content / LEDGER).read_text(encoding="utf-8")) == both
    assert not [p for p in _problems(content) if "numéros publiés" in p]
    # A record the list lacks (a write lost between the two files): warned, and publier is not stopped.
    (content / LEDGER).write_text("2017-11: 2017-12-05\n", encoding="utf-8")
    warned = [p for p in _problems(content) if "n'est pas dans la liste des numéros publiés" in p]
    assert len(warned) == 1 and "2017-12" in warned[0]
    run = cli("publier", "2017-11", "--content", str(content))
    assert run.code == 0, run.err
    assert yaml.safe_load((content / LEDGER).read_text(encoding="utf-8")) == both


def test_the_shipped_content_lists_its_published_issues():
    from bulletin.validate_publication import read_ledger

    content = ROOT / "content"
    listed = read_ledger(content / "bulletins", [])
    published = {
        folder.name: yaml.safe_load((folder / "publie.yaml").read_text(encoding="utf-8"))["publie_le"]
        for folder in (content / "bulletins").iterdir()
        if (folder / "publie.yaml").is_file()
    }
    assert published and {month: day for month, (day, _) in (listed or {}).items()} == published


def test_printing_one_issue_reads_its_own_line_of_the_list_only(cli, content):
    from bulletin.errors import ContentInvalid

    publish(cli, content)
    edit(content / LEDGER, "2017-11: 2017-12-05", "2017-10: le 6 novembre\n2017-11: 2017-12-05")
    assert load_edition(content, only="2017-11").issues  # another month's damaged line: for check
    with pytest.raises(ContentInvalid):
        load_edition(content)
    edit(content / LEDGER, "2017-11: 2017-12-05", "2017-11: le 5 décembre")
    with pytest.raises(ContentInvalid) as refused:
        load_edition(content, only="2017-11")
    assert any(p.field == "2017-11" for p in refused.value.problems)


# A QIP past its planned end at November's date, with no handover: « statut à confirmer ».
OVERDUE_QIP = """
- id: QIP-2017-09
  fonds: qip
  titre: Clôture du marché de Bourem
  regions: [gao]
  montant: 20000
  jalons:
    approbation: 2017-06-01
    debut: 2017-06-15
    fin_prevue: 2017-10-31
"""


def test_a_published_figure_that_goes_or_appears_stops_check_as_one_that_moves(cli, content):
    """Only figures present both at publication and now were compared: an overdue QIP re-dated to start
    in January turned November's printed « dont 1 au statut à confirmer » into « dont 1 non démarré »,
    every total the same, and nothing said so (both counts are printed only when not zero)."""
    with (content / QIP).open("a", encoding="utf-8") as register:
        register.write(OVERDUE_QIP)
    record = yaml.safe_load(publish(cli, content) and (content / RECORD).read_text(encoding="utf-8"))
    assert record["chiffres"]["qip.projets_a_confirmer"] == 1 and "qip.projets_non_demarres" not in record["chiffres"]
    edit(
        content / QIP,
        "    debut: 2017-06-15\n    fin_prevue: 2017-10-31",
        "    debut: 2018-01-15\n    fin_prevue: 2018-06-30",
    )
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert "a imprimé des chiffres que le registre change désormais (publié → calculé) :" in run.err
    assert "Projets au statut à confirmer (fin prévue dépassée sans remise, clôture ni prolongation), QIPs, " in run.err
    assert re.search(r"Projets au statut à confirmer .*?: 1 → 0\n", run.err)
    assert re.search(r"Projets approuvés non démarrés \(QIPs\), au 30 novembre 2017 : 0 → 1\n", run.err)


def test_a_region_row_that_goes_and_one_that_comes_are_published_changes_an_erratum_records(cli, content, tmp_path):
    """Every Trust Fund project moved from Mopti to Ségou: the published table's Mopti row went and a Ségou
    row came, and check passed. Now it stops; the erratum records both rows, and the page shows them."""
    publish(cli, content)
    edit(content / "registre/projets/ff.yaml", "regions: [mopti]", "regions: [segou]", count=5)
    run = cli("check", "--content", str(content))
    assert run.code == 1
    for line in (
        "Projets par région : Mopti, TF, au 30 novembre 2017 : 5 → 0",
        "Projets par région : Ségou, TF, au 30 novembre 2017 : 0 → 5",
        "un projet a sans doute changé de région (« regions » dans le registre)",
        "chiffres: [regions]",
    ):
        assert line in run.err
    edit(
        content / ISSUE,
        "mois: 2017-11\n",
        "mois: 2017-11\nrectificatifs:\n  - date: 2017-12-15\n    motif: régions corrigées\n    chiffres: [regions]\n",
    )
    publish(cli, content)
    checked = cli("check", "--content", str(content))
    assert (
        checked.code == 0 and "a imprimé des chiffres" not in checked.err and "pas encore enregistré" not in checked.err
    )
    site = tmp_path / "site"
    assert cli("--content", str(content), "--sans-pdf", "--site-dir", str(site)).code == 0
    page = plain((site / "bulletins/2017-11/index.html").read_text(encoding="utf-8"))
    assert "Projets par région : Mopti, TF : 5 → 0" in page and "Projets par région : Ségou, TF : 0 → 5" in page


def test_an_erratum_names_a_figure_the_register_no_longer_gives_as_check_suggests(cli, content, tmp_path):
    """The overdue QIP is handed over after all: « dont 1 au statut à confirmer » is gone from November.
    check names the figure in its suggestion; an erratum naming it was refused as « not a published
    figure » (only the figures computed now were known), so publier could not record it."""
    with (content / QIP).open("a", encoding="utf-8") as register:
        register.write(OVERDUE_QIP)
    publish(cli, content)
    edit(content / QIP, "    fin_prevue: 2017-10-31", "    fin_prevue: 2017-10-31\n    remise: 2017-10-30")
    run = cli("check", "--content", str(content))
    assert run.code == 1 and "qip.projets_a_confirmer" in run.err.split("chiffres: [", 1)[1].split("]", 1)[0]
    suggested = run.err.split("chiffres: [", 1)[1].split("]", 1)[0]
    edit(
        content / ISSUE,
        "mois: 2017-11\n",
        f"mois: 2017-11\nrectificatifs:\n  - date: 2017-12-15\n    motif: QIP remis\n    chiffres: [{suggested}]\n",
    )
    pending = cli("check", "--content", str(content))
    assert pending.code == 0 and "n'est pas un chiffre publié" not in pending.err, pending.err
    publish(cli, content)
    [recorded] = yaml.safe_load((content / RECORD).read_text(encoding="utf-8"))["rectificatifs"]
    assert recorded["chiffres"]["qip.projets_a_confirmer"] == {"avant": 1, "apres": 0}
    again = cli("publier", "2017-11", "--content", str(content))
    assert again.code == 0 and "rien à faire" in again.out
    site = tmp_path / "site"
    assert cli("--content", str(content), "--sans-pdf", "--site-dir", str(site)).code == 0
    page = plain((site / "bulletins/2017-11/index.html").read_text(encoding="utf-8"))
    assert (
        "Projets au statut à confirmer (fin prévue dépassée sans remise, clôture ni prolongation), QIPs : 1 → 0" in page
    )


def test_an_issue_is_not_published_before_its_peacebuilding_fund_figures_are_counted(cli, content):
    """The PBF's figures have a reference date of their own (pbf.date_reference): a day before it would
    freeze them uncounted, as a day before the issue's own date_reference would freeze the others."""
    edit(content / ISSUE, "  date_reference: 2017-02-28", "  date_reference: 2017-12-03")
    folder = str(content)
    early = cli("publier", "2017-11", "--le", "2017-12-01", "--content", folder)
    assert early.code == 1 and not (content / RECORD).exists()
    assert "ne peut pas être publié le 1er décembre 2017 : ses chiffres sont arrêtés au 3 décembre 2017" in early.err
    assert cli("publier", "2017-11", "--le", "2017-12-03", "--content", folder).code == 0
    assert (content / RECORD).exists()


def test_a_cited_amount_the_issue_no_longer_prints_is_shown_with_its_currency_and_donor(cli, content, tmp_path):
    """The issue stops citing its contribution: the amount it printed is gone, said in its currency (it
    read « 4 100 000 → — ») with the donor the register still names (it read « (—) »)."""
    publish(cli, content)
    issue = content / ISSUE
    text = issue.read_text(encoding="utf-8").replace("    renvoi: contribution-suede\n", "")
    start = text.index("  contributions:\n")
    end = text.index("\npbf:\n", start)
    issue.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    shown = run.err.replace("\u202f", " ").replace("\u00a0", " ")
    assert (
        "Montant de la contribution CONTRIB-2017-SUEDE (Suède), au 30 novembre 2017 : "
        "« 4 100 000 dollars américains » (4 100 000 USD) → —"
    ) in shown
    assert (
        "CONTRIB-2017-SUEDE : n'est plus comptée (retirée du registre, datée après le 30 novembre 2017, ou que "
        in shown
    )


def test_a_fact_removed_from_a_published_issue_is_named_as_the_likely_cause(cli, content):
    """Removing a fact from the published issue took its project's amount off the page, and check said
    « le calcul lui-même a changé »: the issue itself is named as the likely cause."""
    publish(cli, content)
    issue = content / ISSUE
    text = issue.read_text(encoding="utf-8")
    start = text.index("    - id: qip-poules-bara\n")
    end = text.index("    - id:", start + 10)
    issue.write_text((text[:start] + text[end:]).replace("    renvoi: qip-poules-bara\n", ""), encoding="utf-8")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert "le numéro lui-même a sans doute changé (un fait, un projet ou une contribution ajouté ou retiré" in run.err
    assert "le calcul lui-même a changé" not in run.err


REFERENCES = "registre/references.yaml"
QIP_TEXT = "bulletins/2017-11/qip.md"


def test_the_qip_ceiling_and_duration_the_text_prints_are_frozen_too(cli, content, tmp_path):
    """The issue's text says « d'un coût maximal de {{ qip.plafond }} et d'une durée de {{ qip.duree_max }} »:
    raising the ceiling in references.yaml after publication rewrote that published sentence silently."""
    publish(cli, content)
    record = yaml.safe_load((content / RECORD).read_text(encoding="utf-8"))
    assert record["chiffres"]["qip.plafond"] == 50000 and record["chiffres"]["qip.duree_max"] == 6
    edit(content / REFERENCES, "plafond: 50000", "plafond: 100000")
    edit(content / REFERENCES, "duree_max_mois: 6", "duree_max_mois: 9")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    err = run.err.replace("\u202f", " ").replace("\u00a0", " ")
    assert (
        "Coût maximal d'un projet (QIPs), au 30 novembre 2017 : « 50 000 dollars américains » (50 000 USD) → "
        "« 100 000 dollars américains » (100 000 USD)"
    ) in err
    assert "Durée maximale d'un projet, en mois (QIPs), au 30 novembre 2017 : 6 → 9" in err
    assert f"{content / REFERENCES} — « plafond » du fonds qip : le texte du numéro l'imprime" in err
    assert "chiffres: [qip.plafond, qip.duree_max]" in err
    assert "le numéro lui-même a sans doute changé" not in err
    # The officer's way out: an erratum tells the issue's readers, and the page shows it.
    edit(
        content / ISSUE,
        "mois: 2017-11\n",
        "mois: 2017-11\nrectificatifs:\n  - date: 2025-01-10\n    motif: le plafond des QIP a été relevé\n"
        "    chiffres: [qip.plafond, qip.duree_max]\n",
    )
    site = tmp_path / "site"
    assert cli("--content", str(content), "--sans-pdf", "--site-dir", str(site)).code == 0
    page = plain((site / "bulletins/2017-11/index.html").read_text(encoding="utf-8"))
    assert "d'un coût maximal de 100 000 dollars américains" in page.replace("’", "'")
    assert "Coût maximal d'un projet (QIPs) : 50 000 dollars américains → 100 000 dollars américains" in page.replace(
        "’", "'"
    )
    assert "Durée maximale d'un projet, en mois (QIPs) : 6 → 9" in page.replace("’", "'")


def test_an_issue_whose_text_does_not_print_the_ceiling_does_not_publish_it(cli, content):
    edit(content / QIP_TEXT, "d'un coût maximal de {{ qip.plafond }} et ", "")
    publish(cli, content)
    record = yaml.safe_load((content / RECORD).read_text(encoding="utf-8"))
    assert "qip.plafond" not in record["chiffres"] and record["chiffres"]["qip.duree_max"] == 6
    edit(content / REFERENCES, "plafond: 50000", "plafond: 100000")
    assert cli("check", "--content", str(content)).code == 0


def rename_netherlands(content: Path) -> None:
    for name in (REFERENCES, "registre/soldes.yaml"):
        edit(content / name, "Pays-Bas", "Royaume des Pays-Bas", count=-1)


def test_the_contributors_the_key_figures_name_are_frozen_by_name_not_only_by_number(cli, content, tmp_path):
    """The issue prints « (contributeurs : Allemagne, …, Pays-Bas, …) »: renaming or replacing a donor kept the
    count, so the published list changed without a word."""
    publish(cli, content)
    record = yaml.safe_load((content / RECORD).read_text(encoding="utf-8"))
    assert record["chiffres"]["ff.contributeurs.Pays-Bas"] == 1
    assert sum(k.startswith("ff.contributeurs.") for k in record["chiffres"]) == record["chiffres"]["ff.contributeurs"]
    rename_netherlands(content)
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert "Contributeurs nommés (TF), au 30 novembre 2017 : Pays-Bas → Royaume des Pays-Bas" in run.err
    soldes = content / "registre/soldes.yaml"
    assert f"{soldes}:" in run.err and "bailleur « Royaume des Pays-Bas »" in run.err
    assert "chiffres: [ff.contributeurs]" in run.err
    edit(
        content / ISSUE,
        "mois: 2017-11\n",
        "mois: 2017-11\nrectificatifs:\n  - date: 2025-01-10\n    motif: les Pays-Bas sont nommés sous leur nom"
        " officiel\n    chiffres: [ff.contributeurs]\n",
    )
    site = tmp_path / "site"
    assert cli("--content", str(content), "--sans-pdf", "--site-dir", str(site)).code == 0
    page = plain((site / "bulletins/2017-11/index.html").read_text(encoding="utf-8"))
    assert "Contributeurs nommés : Pays-Bas → Royaume des Pays-Bas" in page
    publish(cli, content)
    assert cli("check", "--content", str(content)).code == 0


def test_a_record_written_before_the_names_were_kept_still_holds_its_count(cli, content):
    publish(cli, content)
    record = content / RECORD
    kept = [line for line in record.read_text(encoding="utf-8").splitlines() if "ff.contributeurs." not in line]
    record.write_text("\n".join(kept) + "\n", encoding="utf-8")
    rename_netherlands(content)
    assert cli("check", "--content", str(content)).code == 0  # the names were never recorded: not a change
    edit(content / "registre/soldes.yaml", "      - Royaume des Pays-Bas\n", "")
    run = cli("check", "--content", str(content))
    assert run.code == 1 and "Contributeurs (bailleurs dont une contribution est reçue), TF" in run.err


PBF = "registre/projets/pbf.yaml"


def test_the_pbf_blocks_years_durations_and_extended_projects_are_frozen(cli, content, tmp_path):
    """The PBF block prints « démarrés en 2015 sur 18 mois » and marks each extended project: a planned
    end moved turned a published « 18 mois » into « 24 mois », and the extension moved from one project to
    another with the count kept, both without a word (an adversarial review)."""
    publish(cli, content)
    record = yaml.safe_load((content / RECORD).read_text(encoding="utf-8"))["chiffres"]
    assert record["pbf.durees_mois.18"] == record["pbf.annees_debut.2015"] == 1
    assert sorted(k for k in record if k.startswith("pbf.prolonges.")) == [
        "pbf.prolonges.PBF-2015-1",
        "pbf.prolonges.PBF-2015-2",
        "pbf.prolonges.PBF-2015-5",
    ]
    pbf = content / PBF
    original = pbf.read_text(encoding="utf-8")
    edit(pbf, "fin_prevue: 2016-06-30", "fin_prevue: 2016-12-31", count=-1)
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert "Durées prévues, en mois (PBF), au 28 février 2017 : 18 → 24" in run.err, run.err
    assert "chiffres: [pbf.durees_mois]" in run.err
    # The extension moved from PBF-2015-1 to PBF-2015-3: three extended projects still.
    pbf.write_text(original, encoding="utf-8")
    text = original.split("- id: PBF-2015-3")
    first = text[0].replace(
        "    prolongations:\n      - {debut: 2017-01-01, fin: 2017-03-31}\n    cloture: 2017-03-31",
        "    cloture: 2016-06-30",
        1,
    )
    third = text[1].replace(
        "    cloture: 2016-06-30",
        "    prolongations:\n      - {debut: 2017-01-01, fin: 2017-03-31}\n    cloture: 2017-03-31",
        1,
    )
    pbf.write_text(first + "- id: PBF-2015-3" + third, encoding="utf-8")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert "Projets prolongés (PBF), au 28 février 2017 : PBF-2015-1 → PBF-2015-3" in run.err, run.err
    edit(
        content / ISSUE,
        "mois: 2017-11\n",
        "mois: 2017-11\nrectificatifs:\n  - date: 2025-01-10\n    motif: le projet prolongé est le PBF-2015-3\n"
        "    chiffres: [pbf.prolonges]\n",
    )
    site = tmp_path / "site"
    assert cli("--content", str(content), "--sans-pdf", "--site-dir", str(site)).code == 0
    page = plain((site / "bulletins/2017-11/index.html").read_text(encoding="utf-8"))
    assert "Projets prolongés : PBF-2015-1 → PBF-2015-3" in page
