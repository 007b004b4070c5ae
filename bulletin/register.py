"""Pure aggregates over the project register, as of a date. No I/O, no clock."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Protocol, TypeVar

from .models import Contribution, Money, Project, ProjectBalance, Register, Status, first_date


def planned_end(project: Project, as_of: date) -> date | None:
    """The end a project is expected by on a date: the later of its planned end (fin_prevue) and the
    ends of the extensions that have started by then; None when the register gives no end."""
    j = project.jalons
    ends = [d for d in [j.fin_prevue] + [e.fin for e in j.prolongations if e.debut <= as_of] if d]
    return max(ends) if ends else None


def status_on(project: Project, as_of: date) -> Status | None:
    """Status on a date, derived from dated milestones; None before the project counts.

    Handed over (remise) or closed (cloture) by then: finalised or closed. Otherwise, past its
    planned end with no extension running: unknown (« statut à confirmer »), never « en cours ».
    Otherwise, approved with a start date still to come: approved, not started. Otherwise ongoing
    (an approved project with no start date recorded is taken as started).
    """
    start = first_date(project)
    if start is None or start > as_of:
        return None
    j = project.jalons
    if j.remise and j.remise <= as_of:
        return Status.FINALISE
    if j.cloture and j.cloture <= as_of:
        return Status.CLOTURE
    end = planned_end(project, as_of)
    if end is not None and end < as_of:
        return Status.A_CONFIRMER
    if j.debut and j.debut > as_of:
        return Status.NON_DEMARRE
    return Status.EN_COURS


def is_extended(project: Project, as_of: date) -> bool:
    return any(e.debut <= as_of for e in project.jalons.prolongations)


class Dated(Protocol):
    @property
    def date(self) -> date: ...


D = TypeVar("D", bound=Dated)


def in_force(entries: Iterable[D], as_of: date) -> D | None:
    """The entry in force on a day: the latest one dated on or before it (an opening balance, a rate);
    of two with that date, the first given. None when every entry is later.

    >>> from types import SimpleNamespace as Entry
    >>> entries = [Entry(date=date(2017, 1, 1), n=1), Entry(date=date(2017, 6, 30), n=2)]
    >>> in_force(entries, date(2017, 6, 29)).n, in_force(entries, date(2017, 6, 30)).n
    (1, 2)
    >>> in_force(entries, date(2016, 12, 31)) is None
    True
    """
    return max((e for e in entries if e.date <= as_of), key=lambda e: e.date, default=None)


def balance_on(balances: Iterable[ProjectBalance], fund: str, as_of: date) -> ProjectBalance | None:
    """The opening balance of a fund in force on as_of, as written."""
    return in_force((b for b in balances if b.fonds == fund), as_of)


def balance_in_force(register: Register, fund: str, as_of: date) -> ProjectBalance | None:
    """The opening balance of a fund in force on as_of, less the projects it counted that count apart
    by then (jalons.solde: each from its first event after the balance's date, models.first_date)."""
    balance = balance_on(register.soldes_projets, fund, as_of)
    if balance is None:
        return None
    gone = [
        p
        for p in register.comptes_par_solde.get((fund, balance.date), ())
        if (d := first_date(p)) is not None and d <= as_of
    ]
    return without(balance, gone) if gone else balance


def own_status(project: Project, as_of: date) -> Status | None:
    """A project's status on a date from its milestones, even while an opening balance counts it
    (jalons.solde; status_on is then None: no figure counts it apart): what a page listing projects
    says of it (a region's page, the open data), never « not yet approved » for a project approved."""
    if project.jalons.solde is None:  # most projects: two dataclass copies each cost 0.1 s of a rebuild
        return status_on(project, as_of)
    return status_on(replace(project, jalons=replace(project.jalons, solde=None)), as_of)


def status_in_balance(project: Project, balance: ProjectBalance) -> Status | None:
    """Where a balance counted one of its projects: the project's status on the balance's date."""
    return own_status(project, balance.date)


def without(balance: ProjectBalance, projects: Iterable[Project]) -> ProjectBalance:
    """A balance less projects it counted: each taken from the count its status on the balance's date
    put it in (an unknown status was counted ongoing; a project not started, among the approved when the
    balance declares them, else ongoing), and its amount from the balance's."""
    done = ongoing = waiting = 0
    amounts = []
    for p in projects:
        status = status_in_balance(p, balance)
        if status is not None and status.finished:
            done += 1
        elif status is Status.NON_DEMARRE and balance.approuves is not None:
            waiting += 1
        else:
            ongoing += 1
        if p.montant is not None:
            amounts.append(p.montant.converti or p.montant)
    montant = balance.montant
    if montant is not None and amounts:
        base = montant.converti or montant
        montant = Money(
            base.montant - sum((a.montant for a in amounts), Decimal(0)),
            base.devise,
            environ=base.environ or any(a.environ for a in amounts),
        )
    approuves = balance.approuves - done - ongoing - waiting if balance.approuves is not None else None
    return replace(
        balance,
        finalises=balance.finalises - done,
        en_cours=balance.en_cours - ongoing,
        montant=montant,
        approuves=approuves,
    )


def sum_money(amounts: Iterable[Money | None]) -> Money | None:
    """Add amounts, each in the publication currency when it was converted (bulletin.money); the total is
    approximate (environ) when a conversion entered it. Mixing currencies without a rate is refused
    (validation reports a missing rate first)."""
    values = [a.converti or a for a in amounts if a is not None]
    if not values:
        return None
    currencies = {v.devise for v in values}
    if len(currencies) > 1:
        raise ValueError(f"currencies cannot be added without a rate: {sorted(currencies)}")
    return Money(sum((v.montant for v in values), Decimal(0)), values[0].devise, environ=any(v.environ for v in values))


@dataclass(frozen=True, slots=True)
class FundFigures:
    """One fund's counts and amounts on a date; 'detailles' are itemised, the rest comes from a balance."""

    fonds: str
    date: date
    finalises: int
    en_cours: int
    montant: Money | None
    detailles: int
    non_ventiles: int
    montant_non_ventile: Money | None
    depuis: int | None
    solde: ProjectBalance | None
    non_demarres: int = 0  # approved, not started (itemised, plus what a balance declares)
    a_confirmer: int = 0  # past their planned end with no handover, closure or extension: not « en cours »

    @property
    def approuves(self) -> int:
        """Every project counted: finalised, ongoing, not started, and those whose status is to confirm."""
        return self.finalises + self.en_cours + self.non_demarres + self.a_confirmer


def statuses_on(register: Register, as_of: date) -> dict[str, Status | None]:
    """Every project's status on a date: computed once, read by each aggregate of an issue."""
    return {p.id: status_on(p, as_of) for p in register.projets}


def compute_fund(
    register: Register, fund: str, as_of: date, statuses: dict[str, Status | None] | None = None
) -> FundFigures:
    """Projects finalised / ongoing / approved and their total amount, for one fund on a date."""
    projects = [p for p in register.projets if p.fonds == fund]
    known = statuses if statuses is not None else {p.id: status_on(p, as_of) for p in projects}
    pairs = [(p, known[p.id]) for p in projects]
    counted = [p for p, s in pairs if s is not None]
    balance = balance_in_force(register, fund, as_of)
    fin = sum(1 for _, s in pairs if s is not None and s.finished) + (balance.finalises if balance else 0)
    ongoing = sum(1 for _, s in pairs if s is Status.EN_COURS) + (balance.en_cours if balance else 0)
    not_started = sum(1 for _, s in pairs if s is Status.NON_DEMARRE) + (balance.non_demarres if balance else 0)
    unknown = sum(1 for _, s in pairs if s is Status.A_CONFIRMER)
    # A counted project has a status, hence a first date.
    years = [d.year for p in counted if (d := first_date(p))] + ([balance.depuis] if balance else [])
    return FundFigures(
        fonds=fund,
        date=as_of,
        finalises=fin,
        en_cours=ongoing,
        montant=sum_money([p.montant for p in counted] + [balance.montant if balance else None]),
        detailles=len(counted),
        non_ventiles=balance.total if balance else 0,
        montant_non_ventile=balance.montant if balance else None,
        depuis=min(years) if years else None,
        solde=balance,
        non_demarres=not_started,
        a_confirmer=unknown,
    )


@dataclass(frozen=True, slots=True)
class PhaseFigures:
    """What the PBF block prints beyond counts: start years, planned duration, extensions."""

    annees_debut: tuple[int, ...]
    durees_mois: tuple[int, ...]
    prolonges: int


def months_between(start: date, end: date) -> int:
    """Months from a start date to an inclusive end date, rounded (Jan 1 2015 – Jun 30 2016 = 18)."""
    return round(((end - start).days + 1) / (365.25 / 12))


def compute_phase(projects: Iterable[Project], as_of: date) -> PhaseFigures:
    projects = [p for p in projects if status_on(p, as_of) is not None]
    starts = sorted({p.jalons.debut.year for p in projects if p.jalons.debut})
    durations = sorted(
        {
            months_between(p.jalons.debut, p.jalons.fin_prevue)
            for p in projects
            if p.jalons.debut and p.jalons.fin_prevue
        }
    )
    return PhaseFigures(tuple(starts), tuple(durations), sum(1 for p in projects if is_extended(p, as_of)))


def french_sort_key(text: str) -> str:
    """Alphabetical order as a French reader expects it: accents and case do not lead."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return stripped.casefold()


@dataclass(frozen=True, slots=True)
class ContributionFigures:
    date: date
    budget: Money | None
    contributeurs: tuple[str, ...]  # alphabetical order
    annoncees: tuple[Contribution, ...]  # signed, not yet received


def compute_contributions(register: Register, as_of: date) -> ContributionFigures:
    """Trust-fund budget = received contributions; contributors = donors with a received contribution."""
    balance = in_force(register.soldes_contributions, as_of)
    received = [c for c in register.contributions if c.recue and c.recue <= as_of]
    pending = [c for c in register.contributions if c.signee <= as_of and not (c.recue and c.recue <= as_of)]
    donors = set(balance.bailleurs if balance else ()) | {c.bailleur for c in received}
    return ContributionFigures(
        date=as_of,
        budget=sum_money([balance.montant if balance else None] + [c.montant for c in received]),
        contributeurs=tuple(sorted(donors, key=french_sort_key)),
        annoncees=tuple(sorted(pending, key=lambda c: c.signee)),
    )


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Counts of counted projects per category, with the parts the data cannot place."""

    lignes: tuple[tuple[str, int], ...]  # (label, count), categories with at least one project
    non_precise: int  # itemised projects without the category
    non_ventile: int  # projects known only through an opening balance


def compute_breakdown(
    register: Register, fund: str | None, as_of: date, by: str, statuses: dict[str, Status | None] | None = None
) -> Breakdown:
    """Projects per region ('regions'), sector ('secteur') or axis ('axe'); fund None means all funds."""
    known = statuses if statuses is not None else statuses_on(register, as_of)
    funds = [fund] if fund else [f.code for f in register.fonds]
    labels = _labels(register, fund, by)
    counts: dict[str, int] = defaultdict(int)
    missing = 0
    for p in register.projets:
        if p.fonds not in funds or known[p.id] is None:
            continue
        values = getattr(p, by)
        values = values if isinstance(values, tuple) else ((values,) if values else ())
        missing += not values
        for v in values:
            counts[v] += 1
    balances = [balance_in_force(register, f, as_of) for f in funds]
    unplaced = sum(b.total for b in balances if b)
    rows = tuple((name, counts[code]) for code, name in labels if counts[code])
    return Breakdown(rows, missing, unplaced)


def _labels(register: Register, fund: str | None, by: str) -> list[tuple[str, str]]:
    if by == "regions":
        return [(r.code, r.nom) for r in register.regions]
    if by == "axe":
        return [(a.code, f"{a.code} — {a.nom}") for a in register.axes]
    return [(s.code, s.nom) for s in register.secteurs.get(fund or "", ())]


@dataclass(frozen=True, slots=True)
class ApprovalDay:
    date: date
    projets: tuple[Project, ...]


def compute_approvals(register: Register, fund: str, start: date, end: date) -> tuple[ApprovalDay, ...]:
    """Projects of a fund approved between two dates, grouped by committee date."""
    approved = sorted(
        (
            p
            for p in register.projets
            # A project a balance counts was approved before it was detailed: no issue listed it then.
            if p.fonds == fund and p.jalons.approbation and not p.jalons.solde and start <= p.jalons.approbation <= end
        ),
        key=lambda p: (p.jalons.approbation, p.id),
    )
    return tuple(ApprovalDay(day, tuple(group)) for day, group in groupby(approved, key=lambda p: p.jalons.approbation))


def compute_axis_amounts(
    register: Register, as_of: date, statuses: dict[str, Status | None] | None = None
) -> tuple[tuple[str, Decimal], ...]:
    """Trust-fund amounts per thematic axis, itemised projects only (balances are not broken down)."""
    known = statuses if statuses is not None else statuses_on(register, as_of)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for p in register.projets:
        if p.fonds == "ff" and p.axe and p.montant and known[p.id] is not None:
            sums[p.axe] += (p.montant.converti or p.montant).montant
    return tuple((name, sums[code]) for code, name in _labels(register, "ff", "axe") if sums[code])
