"""The figures the November 2017 seed issue prints come out of the register, and move with it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bulletin.figures import compute_issue
from bulletin.validate import load_edition

from .conftest import CONTENT, edit

NOV = date(2017, 11, 30)


@pytest.fixture(scope="module")
def seed():
    edition = load_edition(CONTENT)
    issue = next(i for i in edition.issues if i.mois == "2017-11")
    return compute_issue(edition.register, issue)


def test_qip_figures_of_the_seed(seed):
    assert (seed.qip.finalises, seed.qip.en_cours, seed.qip.approuves) == (214, 121, 335)
    assert seed.qip.montant.montant == Decimal("15900000")
    assert seed.qip.depuis == 2013
    assert seed.qip.date == NOV


def test_pbf_figures_of_the_seed(seed):
    assert seed.pbf.approuves == 5
    assert seed.pbf.montant.montant == Decimal("12106353")
    assert seed.pbf_phase.prolonges == 3
    assert seed.pbf_phase.annees_debut == (2015,)
    assert seed.pbf_phase.durees_mois == (18,)
    assert seed.pbf.date == date(2017, 2, 28)
    assert seed.pbf_prolonges == ("PBF-2015-1", "PBF-2015-2", "PBF-2015-5")


def test_trust_fund_figures_of_the_seed(seed):
    assert (seed.ff.finalises, seed.ff.en_cours, seed.ff.approuves) == (51, 60, 111)
    assert seed.ff.montant.montant == Decimal("45101404")
    assert seed.contributions.budget.montant == Decimal("53900000")
    assert seed.contributions.contributeurs == (
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
    )
    # Sweden signed on 29 November but had not paid: announced, not counted.
    assert [c.bailleur for c in seed.contributions.annoncees] == ["Suède"]


def test_approvals_are_grouped_by_committee_date(seed):
    days = [(d.date, len(d.projets)) for d in seed.approbations]
    assert days == [(date(2017, 10, 30), 1), (date(2017, 11, 9), 2), (date(2017, 11, 15), 3)]


def test_one_more_handover_moves_the_figures(content: Path):
    """A handover on 20 November in the register: one QIP moves from ongoing to finalised."""
    edit(
        content / "registre/projets/qip.yaml",
        "    fin_prevue: 2017-11-30   # durée de six mois",
        "    fin_prevue: 2017-11-30\n    remise: 2017-11-20",
    )
    edition = load_edition(content)
    figures = compute_issue(edition.register, edition.issues[0])
    assert (figures.qip.finalises, figures.qip.en_cours, figures.qip.approuves) == (215, 120, 335)


def test_received_contribution_enters_budget_and_contributors(content: Path):
    edit(content / "registre/contributions.yaml", "  signee: 2017-11-29", "  signee: 2017-11-29\n  recue: 2017-11-30")
    edition = load_edition(content)
    figures = compute_issue(edition.register, edition.issues[0])
    assert figures.contributions.budget.montant == Decimal("58000000")
    assert "Suède" in figures.contributions.contributeurs
    assert figures.contributions.contributeurs.index("Suède") == figures.contributions.contributeurs.index("Suisse") - 1


def test_region_table_shows_what_the_data_supports(seed):
    table = seed.regions
    rows = {r.nom: r.par_fonds for r in table.lignes}
    assert rows["Mopti"] == (0, 5, 0)
    assert rows["Gao"] == (2, 0, 2)
    assert table.non_ventile.par_fonds == (331, 103, 0)
    assert table.non_precise.par_fonds == (1, 1, 3)
    assert table.total.par_fonds == (335, 111, 5)
