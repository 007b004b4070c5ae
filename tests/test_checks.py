"""`check` as the author's spell-checker for facts: what is allowed but probably wrong is a warning."""

from __future__ import annotations

from .conftest import ISSUE, edit, line_of

QIP = "registre/projets/qip.yaml"


def warnings_of(cli, content):
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    return run.err.replace("\u202f", " ")


def test_qip_over_the_ceiling_is_a_warning_at_its_amount(cli, content):
    err = warnings_of(cli, content)
    line = line_of(content / QIP, "montant: 50798")
    assert (
        f"{QIP}:{line} — « montant » : le projet « QIP-2017-02 » coûte 50 798, au-dessus du plafond des QIPs (50 000)."
    ) in err


def test_the_ceiling_is_configuration(cli, content):
    edit(content / "registre/references.yaml", "plafond: 50000", "plafond: 60000")
    assert "au-dessus du plafond" not in warnings_of(cli, content)


def test_qip_longer_than_its_maximum_duration(cli, content):
    edit(content / QIP, "fin_prevue: 2017-11-30   # durée de six mois", "fin_prevue: 2018-03-31")
    err = warnings_of(cli, content)
    assert "le projet « QIP-2017-02 » dure 10 mois, plus que la durée maximale des QIPs (6 mois)." in err


def test_handover_before_approval_is_an_error(cli, content):
    edit(
        content / "registre/projets/ff.yaml",
        "    approbation: 2017-11-15\n\n- id: FF-2017-06",
        "    approbation: 2017-11-15\n    remise: 2017-11-02\n\n- id: FF-2017-06",
    )
    run = cli("check", "--content", str(content))
    assert run.code == 1
    line = line_of(content / "registre/projets/ff.yaml", "remise: 2017-11-02")
    assert (
        f"ff.yaml:{line} — « remise » : la date 2017-11-02 précède le début ou l'approbation (2017-11-15)." in run.err
    )


def test_amount_typed_in_prose_must_match_the_register(cli, content):
    """The officer types 48.296 where the register says 48 269: say so, at the text."""
    edit(
        content / ISSUE,
        "projet à impact rapide (QIP) d'un montant de {{ projet.montant }} au",
        "projet à impact rapide (QIP) d'un montant de 48.296 dollars américains au",
    )
    err = warnings_of(cli, content)
    line = line_of(content / ISSUE, "projet: QIP-2017-01") + 1
    assert (
        f"bulletin.yaml:{line} — « texte » : le texte annonce « 48.296 dollars » mais le registre indique 48 269 "
        "pour le projet « QIP-2017-01 »."
    ) in err


def test_matching_amount_in_prose_is_quiet(cli, content):
    edit(
        content / ISSUE,
        "projet à impact rapide (QIP) d'un montant de {{ projet.montant }} au",
        "projet à impact rapide (QIP) d'un montant de 48.269 dollars américains au",
    )
    assert "le texte annonce" not in warnings_of(cli, content)


NEW_QIP = """
- id: QIP-2017-05
  fonds: qip
  titre: Réhabilitation du forage de Sosso Koïra à Gao
  regions: [gao]
  secteur: eau
  montant: 46350
  jalons:
    approbation: 2017-09-14
    remise: 2017-12-19
"""


def test_a_project_older_than_the_opening_balance_may_be_counted_twice(cli, content):
    """Detailing a QIP approved before the balance's date would silently change November's figures: say so."""
    with (content / QIP).open("a", encoding="utf-8") as register:
        register.write(NEW_QIP)
    err = warnings_of(cli, content)
    line = line_of(content / QIP, "id: QIP-2017-05") + 6
    assert (
        f"{QIP}:{line} — « jalons » : le projet « QIP-2017-05 » commence le 2017-09-14, avant le solde "
        "d'ouverture des QIPs du 2017-10-31"
    ) in err
    # The balance does not count it: say so in the balance, and the warning goes.
    edit(
        content / "registre/soldes.yaml",
        "projets_detailles: [QIP-2017-01,",
        "projets_detailles: [QIP-2017-05, QIP-2017-01,",
    )
    assert "avant le solde" not in warnings_of(cli, content)


def test_an_extension_that_ends_before_it_begins_is_an_error(cli, content):
    pbf = content / "registre/projets/pbf.yaml"
    edit(pbf, "- {debut: 2017-01-01, fin: 2017-03-31}", "- {debut: 2017-01-01, fin: 2016-03-31}")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    line = line_of(pbf, "fin: 2016-03-31")
    assert (
        f"pbf.yaml:{line} — « fin » : la prolongation finit le 2016-03-31, avant de commencer le 2017-01-01." in run.err
    )


def test_a_date_in_quotes_is_the_date_and_an_impossible_one_is_still_refused(cli, content):
    """YAML reads « date: "2017-11-02" » as text; the author meant the date, and check said it does not
    exist. A quoted date that exists is read as the date; one that does not is refused as before."""
    issue = content / ISSUE
    unquoted = cli("check", "--content", str(content))
    edit(issue, "    date: 2017-11-02", '    date: "2017-11-02"')
    quoted = cli("check", "--content", str(content))
    assert quoted.code == 0, quoted.err
    assert quoted.out == unquoted.out and quoted.err == unquoted.err
    edit(issue, '    date: "2017-11-02"', '    date: "2017-11-31"')
    refused = cli("check", "--content", str(content))
    line = line_of(issue, '"2017-11-31"')
    assert refused.code == 1
    assert f"{ISSUE}:{line} — « date » : attendu une date qui existe, trouvé « 2017-11-31 »." in refused.err
