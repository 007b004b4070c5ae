"""Aggregates on small hand-made registers: statuses derive from dated milestones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bulletin.errors import SourceRef
from bulletin.models import (
    Contribution,
    ContributionBalance,
    Extension,
    Fund,
    Milestones,
    Money,
    Named,
    Project,
    ProjectBalance,
    Register,
    Status,
)
from bulletin.register import (
    compute_approvals,
    compute_breakdown,
    compute_contributions,
    compute_fund,
    compute_phase,
    french_sort_key,
    months_between,
    status_on,
    sum_money,
)

SRC = SourceRef(Path("test.yaml"), 1)


def usd(n: int) -> Money:
    return Money(Decimal(n), "USD")


def project(pid: str, fund: str = "qip", amount: int | None = 10_000, regions=(), **milestones) -> Project:
    return Project(
        id=pid,
        fonds=fund,
        titre=pid,
        jalons=Milestones(**milestones),
        regions=tuple(regions),
        montant=usd(amount) if amount is not None else None,
    )


def register(*projects: Project, balances=(), contributions=(), contribution_balances=()) -> Register:
    return Register(
        fonds=(Fund("qip", "QIP", "QIPs"), Fund("ff", "Fonds fiduciaire", "TF"), Fund("pbf", "PBF", "PBF")),
        regions=(Named("gao", "Gao"), Named("kidal", "Kidal")),
        secteurs={},
        axes=(),
        bailleurs=(),
        projets=tuple(projects),
        contributions=tuple(contributions),
        soldes_projets=tuple(balances),
        soldes_contributions=tuple(contribution_balances),
    )


def test_status_follows_milestones():
    p = project("A", approbation=date(2017, 1, 10), remise=date(2017, 6, 1))
    assert status_on(p, date(2017, 1, 9)) is None
    assert status_on(p, date(2017, 1, 10)) is Status.EN_COURS
    assert status_on(p, date(2017, 5, 31)) is Status.EN_COURS
    assert status_on(p, date(2017, 6, 1)) is Status.FINALISE


def test_project_without_approval_counts_from_its_first_milestone():
    p = project("B", remise=date(2017, 11, 1))
    assert status_on(p, date(2017, 10, 31)) is None
    assert status_on(p, date(2017, 11, 1)) is Status.FINALISE


def test_fund_figures_add_the_latest_balance_and_itemised_projects():
    reg = register(
        project("A", approbation=date(2017, 3, 1), remise=date(2017, 11, 20)),
        project("B", approbation=date(2017, 3, 1)),
        project("C", approbation=date(2017, 12, 5)),  # after the date: not counted
        project("D", fund="ff", approbation=date(2017, 3, 1)),
        balances=[
            ProjectBalance("qip", date(2016, 12, 31), 2013, 10, 5, usd(100_000), "old", SRC),
            ProjectBalance("qip", date(2017, 6, 30), 2013, 12, 4, usd(150_000), "newer", SRC),
            ProjectBalance("qip", date(2017, 12, 31), 2013, 99, 99, usd(1), "future", SRC),
        ],
    )
    before = compute_fund(reg, "qip", date(2017, 11, 19))
    after = compute_fund(reg, "qip", date(2017, 11, 30))
    assert (before.finalises, before.en_cours) == (12, 6)
    assert (after.finalises, after.en_cours, after.approuves) == (13, 5, 18)
    assert after.montant == usd(170_000)
    assert after.non_ventiles == 16 and after.detailles == 2
    assert after.solde.source_text == "newer"


def test_fund_without_balance_counts_itemised_only():
    reg = register(project("A", approbation=date(2017, 3, 1)))
    fig = compute_fund(reg, "qip", date(2017, 4, 1))
    assert (fig.approuves, fig.non_ventiles, fig.solde) == (1, 0, None)


def test_currencies_are_never_added_without_a_rate():
    with pytest.raises(ValueError):
        sum_money([usd(1), Money(Decimal(1), "XOF")])


def test_phase_extensions_and_duration():
    projects = [
        project(
            f"P{i}",
            fund="pbf",
            amount=None,
            debut=date(2015, 1, 1),
            fin_prevue=date(2016, 6, 30),
            prolongations=(Extension(date(2017, 1, 1), date(2017, 3, 31)),) if i < 3 else (),
        )
        for i in range(5)
    ]
    assert compute_phase(projects, date(2016, 12, 31)).prolonges == 0
    phase = compute_phase(projects, date(2017, 2, 28))
    assert (phase.prolonges, phase.annees_debut, phase.durees_mois) == (3, (2015,), (18,))


@pytest.mark.parametrize(
    "start, end, months",
    [
        (date(2015, 1, 1), date(2016, 6, 30), 18),
        (date(2017, 6, 1), date(2017, 11, 30), 6),
        (date(2017, 9, 20), date(2017, 12, 19), 3),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months


def test_contributions_count_when_received():
    reg = register(
        contributions=[
            Contribution("S", "Suède", usd(4_100_000), date(2017, 11, 29), SRC),
            Contribution("A", "Allemagne", usd(1_000_000), date(2017, 1, 1), SRC, recue=date(2017, 2, 1)),
        ],
        contribution_balances=[
            ContributionBalance(date(2016, 12, 31), usd(10_000_000), ("Turquie", "Canada"), "old", SRC)
        ],
    )
    fig = compute_contributions(reg, date(2017, 11, 30))
    assert fig.budget == usd(11_000_000)
    assert fig.contributeurs == ("Allemagne", "Canada", "Turquie")
    assert [c.id for c in fig.annoncees] == ["S"]


def test_french_alphabetical_order_ignores_accents():
    names = ["Suisse", "Éthiopie", "Allemagne", "Norvège", "UN DOCO", "Norvege-bis"]
    assert sorted(names, key=french_sort_key) == [
        "Allemagne",
        "Éthiopie",
        "Norvège",
        "Norvege-bis",
        "Suisse",
        "UN DOCO",
    ]


def test_breakdown_by_region_keeps_unplaced_and_unventilated_apart():
    reg = register(
        project("A", regions=["gao"], approbation=date(2017, 1, 1)),
        project("B", regions=["gao", "kidal"], approbation=date(2017, 1, 1)),
        project("C", approbation=date(2017, 1, 1)),
        balances=[ProjectBalance("qip", date(2016, 12, 31), 2013, 7, 3, None, "old", SRC)],
    )
    b = compute_breakdown(reg, "qip", date(2017, 2, 1), "regions")
    assert b.lignes == (("Gao", 2), ("Kidal", 1))
    assert (b.non_precise, b.non_ventile) == (1, 10)


def test_approvals_between_dates():
    reg = register(
        project("A", fund="ff", approbation=date(2017, 11, 9)),
        project("B", fund="ff", approbation=date(2017, 11, 9)),
        project("C", fund="ff", approbation=date(2017, 12, 1)),
        project("D", fund="qip", approbation=date(2017, 11, 9)),
    )
    days = compute_approvals(reg, "ff", date(2017, 11, 1), date(2017, 11, 30))
    assert [(d.date, [p.id for p in d.projets]) for d in days] == [(date(2017, 11, 9), ["A", "B"])]


def test_each_of_two_entries_under_one_id_is_pointed_to_at_its_own_lines(content: Path) -> None:
    """The projects' lines are kept beside them (Register.lignes): a message about the first of two entries
    with the same id (itself an error) pointed to the second's lines, where the officer found nothing wrong."""
    from bulletin.errors import ContentInvalid
    from bulletin.validate import load_edition

    from .conftest import edit, line_of

    register = content / "registre/projets/qip.yaml"
    text = register.read_text(encoding="utf-8")
    first = text[text.index("- id: QIP-2017-01") : text.index("- id: QIP-2017-02")]
    edit(register, "  montant: 48269\n", "  montant: 70000\n")  # over the QIP ceiling: a warning at its line
    register.write_text(register.read_text(encoding="utf-8") + "\n" + first, encoding="utf-8")
    with pytest.raises(ContentInvalid) as raised:
        load_edition(content)
    problems = raised.value.problems
    over = [p for p in problems if p.field == "montant" and "QIP-2017-01" in p.what and "70" in p.what]
    assert len(over) == 1 and over[0].source.line == line_of(register, "montant: 70000"), problems
    assert any(p.field == "id" and "QIP-2017-01" in p.what for p in problems)  # the duplicate, reported
