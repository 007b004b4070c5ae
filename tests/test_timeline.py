"""The sweep (bulletin/timeline.py) gives the figures register.py defines, on random registers, on
every day around their milestones: published figures come from the sweep, the definitions stay readable."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bulletin.figures import FUND_ORDER, compute_region_table
from bulletin.models import (
    Extension,
    Milestones,
    Money,
    Named,
    Project,
    ProjectBalance,
    Rate,
    Register,
    Status,
    earliest_date,
    first_date,
)
from bulletin.money import apply_rates
from bulletin.register import (
    compute_approvals,
    compute_axis_amounts,
    compute_breakdown,
    compute_fund,
    status_on,
    statuses_on,
)
from bulletin.timeline import Timeline

from .test_register import SRC, register

REGIONS = ("gao", "kidal", "mopti")
START = date(2015, 1, 1)


def _day(rng: random.Random) -> date:
    return START + timedelta(days=rng.randrange(700))


def _project(n: int, rng: random.Random) -> Project:
    approved = _day(rng) if rng.random() < 0.8 else None
    started = _day(rng) if rng.random() < 0.3 else None  # neither: counts from its earliest milestone
    later = (approved or started or START) + timedelta(days=rng.randrange(-30, 300))  # sometimes before start
    extensions = []
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):  # sometimes after a gap: unknown, then ongoing again
        begins = later + timedelta(days=rng.randrange(-20, 200))
        extensions.append(Extension(begins, begins + timedelta(days=rng.randrange(1, 120))))
    milestones = Milestones(
        approbation=approved,
        debut=started,
        fin_prevue=later if rng.random() < 0.5 else None,
        remise=later + timedelta(days=rng.randrange(0, 200)) if rng.random() < 0.4 else None,
        cloture=later + timedelta(days=rng.randrange(0, 300)) if rng.random() < 0.25 else None,
        prolongations=tuple(extensions),
    )
    if rng.random() < 0.05:
        milestones = Milestones()  # no date at all: never counts
    fund = rng.choice(FUND_ORDER)
    return Project(
        id=f"P-{n:03d}",
        fonds=fund,
        titre=f"Projet {n}",
        jalons=milestones,
        regions=tuple(rng.sample(REGIONS, rng.choice((0, 1, 1, 1, 2)))),
        secteur=rng.choice((None, "sante", "eau")),
        axe=rng.choice((None, "A", "B")) if fund == "ff" else None,
        montant=_money(rng) if rng.random() < 0.85 else None,
    )


def _money(rng: random.Random) -> Money:
    """Mostly dollars; some francs CFA, converted at the rate of the project's date (bulletin.money)."""
    if rng.random() < 0.25:
        return Money(Decimal(rng.randrange(500_000, 50_000_000)), "XOF")
    return Money(Decimal(rng.randrange(1000, 90000)), "USD")


# A rate every quarter, from before the first project: every amount has a rate in force on its date.
RATES = tuple(
    Rate(
        START - timedelta(days=90) + timedelta(days=91 * k),
        "XOF",
        Decimal(480 + 7 * k) + Decimal("0.25"),
        "source",
        SRC,
    )
    for k in range(12)
)


def _counted_in(project: Project, balances: tuple[ProjectBalance, ...], rng: random.Random) -> Project:
    """Some projects begun by the date of a balance of their fund are counted in it (jalons.solde): they
    count apart from their first event after it, and the balance counts them until then."""
    begun = earliest_date(project)
    mine = [b for b in balances if b.fonds == project.fonds and begun and begun <= b.date]
    if not mine or rng.random() < 0.6:
        return project
    return replace(project, jalons=replace(project.jalons, solde=rng.choice(mine).date))


def _register(seed: int) -> Register:
    rng = random.Random(seed)
    balances = []
    for fund in ("qip", "ff"):
        for _ in range(rng.randrange(3)):
            done, ongoing = rng.randrange(50), rng.randrange(50)
            approved = done + ongoing + rng.randrange(5) if rng.random() < 0.5 else None  # some not started
            balances.append(
                ProjectBalance(
                    fund,
                    START + timedelta(days=rng.randrange(400)),
                    2013,
                    done,
                    ongoing,
                    Money(Decimal(rng.randrange(10**6)), "USD"),
                    "source",
                    SRC,
                    approuves=approved,
                )
            )
    balances = tuple(balances)
    projects = [_counted_in(_project(n, rng), balances, rng) for n in range(120)]
    base = register(*projects, balances=balances)
    plain = Register(
        fonds=base.fonds,
        regions=tuple(Named(r, r.title()) for r in REGIONS),
        secteurs={"qip": (Named("sante", "Santé"), Named("eau", "Eau"))},
        axes=(Named("A", "Axe A"), Named("B", "Axe B")),
        bailleurs=(),
        projets=base.projets,
        contributions=(),
        soldes_projets=balances,
        soldes_contributions=(),
    )
    problems: list = []
    converted = apply_rates(plain, RATES, "USD", problems)
    assert problems == []
    return converted


def _reference_region_table(reg: Register, as_of: date):
    """The region table as defined project by project (the old compute_region_table)."""
    statuses = statuses_on(reg, as_of)
    per_fund = [compute_breakdown(reg, f, as_of, "regions", statuses) for f in FUND_ORDER]
    counts = [dict(b.lignes) for b in per_fund]
    rows = [(r.nom, tuple(c.get(r.nom, 0) for c in counts)) for r in reg.regions]
    multi = sum(1 for p in reg.projets if len(p.regions) > 1 and statuses[p.id] is not None)
    projects = tuple(
        sum(1 for p in reg.projets if p.fonds == f and statuses[p.id] is not None) + b.non_ventile
        for f, b in zip(FUND_ORDER, per_fund)
    )
    return (
        [(n, v) for n, v in rows if any(v)],
        tuple(b.non_precise for b in per_fund),
        tuple(b.non_ventile for b in per_fund),
        projects,
        multi,
    )


@pytest.mark.parametrize("seed", range(4))
def test_sweep_gives_the_defined_figures_every_day(seed):
    reg = _register(seed)
    timeline = Timeline(reg)
    milestones = sorted(
        {
            d
            for p in reg.projets
            for d in (p.jalons.approbation, p.jalons.debut, p.jalons.remise, p.jalons.cloture, p.jalons.fin_prevue)
            if d
        }
        | {d for p in reg.projets for e in p.jalons.prolongations for d in (e.debut, e.fin)}
    )
    days = sorted({d + timedelta(days=k) for d in milestones[::3] for k in (-1, 0, 1)} | {START - timedelta(days=1)})
    for day in days:
        statuses = statuses_on(reg, day)
        for fund in FUND_ORDER:
            figures = timeline.fund(fund, day)
            assert figures == compute_fund(reg, fund, day), (fund, day)
            balance = figures.solde
            mine = [s for p, s in zip(reg.projets, statuses.values()) if p.fonds == fund]
            assert figures.a_confirmer == mine.count(Status.A_CONFIRMER)  # never hidden in « en cours »
            assert figures.en_cours == mine.count(Status.EN_COURS) + (balance.en_cours if balance else 0)
            for by in ("regions", "secteur", "axe"):
                assert timeline.breakdown(fund, day, by) == compute_breakdown(reg, fund, day, by, statuses)
        assert timeline.breakdown(None, day, "regions") == compute_breakdown(reg, None, day, "regions", statuses)
        assert timeline.axis_amounts(day) == compute_axis_amounts(reg, day, statuses)
        table = compute_region_table(timeline, day)
        assert (
            [(r.nom, r.par_fonds) for r in table.lignes],
            table.non_precise.par_fonds,
            table.non_ventile.par_fonds,
            table.total.par_fonds,
            table.multi_regions,
        ) == _reference_region_table(reg, day)
    for start, end in zip(days[::5], days[3::5]):
        for fund in FUND_ORDER:
            assert timeline.approvals(fund, start, end) == compute_approvals(reg, fund, start, end)


def test_the_random_registers_exercise_every_case():
    """The comparison above means something only if the data has the hard cases."""
    projects = [p for seed in range(4) for p in _register(seed).projets]
    assert any(p.jalons.remise and p.jalons.approbation and p.jalons.remise < p.jalons.approbation for p in projects)
    assert any(p.jalons == Milestones() for p in projects)
    assert any(not p.jalons.approbation and not p.jalons.debut and p.jalons.remise for p in projects)
    assert any(len(p.regions) > 1 for p in projects) and any(not p.regions for p in projects)
    assert any(p.montant is None for p in projects) and any(p.jalons.cloture for p in projects)
    assert any(p.montant and p.montant.converti for p in projects) and any(
        p.montant and p.montant.devise == "USD" for p in projects
    )
    # Projects counted in a balance: some leave it (and count apart), some never do.
    counted = [p for p in projects if p.jalons.solde]
    assert any(first_date(p) for p in counted) and any(first_date(p) is None for p in counted)
    assert any(p.jalons.approbation for p in counted)  # an approval no issue lists
    # Some dates see a fund total with a conversion in it, some a fund total without any.
    reg = _register(0)
    totals = [
        compute_fund(reg, f, d).montant for f in FUND_ORDER for d in (START + timedelta(days=30 * k) for k in range(25))
    ]
    assert any(t and t.environ for t in totals) and any(t and not t.environ for t in totals)


def test_the_random_registers_exercise_every_status():
    """Every status occurs, including a project unknown after its planned end and ongoing again once an
    extension starts after a gap, and a project both not started and past its planned end."""
    seen, reborn, both = set(), False, False
    for seed in range(4):
        for p in _register(seed).projets:
            days = [START + timedelta(days=k) for k in range(0, 1400, 7)]
            statuses = [status_on(p, d) for d in days]
            seen |= set(statuses)
            reborn |= any(a is Status.A_CONFIRMER and b is Status.EN_COURS for a, b in zip(statuses, statuses[1:]))
            both |= any(
                s is Status.A_CONFIRMER and p.jalons.debut and p.jalons.debut > d for s, d in zip(statuses, days)
            )
    assert seen == set(Status) | {None}
    assert reborn and both
    assert any(
        b.approuves and b.approuves > b.finalises + b.en_cours
        for seed in range(4)
        for b in _register(seed).soldes_projets
    )
