"""The register's aggregates for many dates at once: a sweep over its dated milestones.

register.py defines each figure project by project, which costs the whole register for every date;
an archive of N issues over a register that grows with it cost N × projects, and twice the archive four
times the time. Here the register is indexed once (each project's milestones sorted, with running
totals), and a figure on a date is a binary search. The results are the same objects as register.py's;
tests/test_timeline.py compares the two on random registers at every date of a decade.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from types import MappingProxyType
from typing import TypeVar

from .models import Money, Project, Register, first_date
from .register import ApprovalDay, Breakdown, FundFigures, _labels, balance_in_force, sum_money


def _finished(project: Project, start: date) -> date | None:
    """From when a project counts as finalised: its handover or closure, never before it counts."""
    ends = [d for d in (project.jalons.remise, project.jalons.cloture) if d]
    return max(start, min(ends)) if ends else None


Span = tuple[date, "date | None"]  # [from, to): to None = for ever


def _unknown_spans(project: Project, start: date, stop: date | None) -> list[Span]:
    """When a counted, unfinished project is past its planned end (register.planned_end): between
    two extension starts the planned end is fixed, and the project is unknown from the day after it."""
    j = project.jalons
    cuts: list[date | None] = [None, *sorted({e.debut for e in j.prolongations})]
    spans = []
    for k, cut in enumerate(cuts):
        nxt = cuts[k + 1] if k + 1 < len(cuts) else None
        ends = [d for d in [j.fin_prevue] + [e.fin for e in j.prolongations if cut and e.debut <= cut] if d]
        if not ends:
            continue
        lo = max(d for d in (cut, max(ends) + timedelta(days=1), start) if d is not None)
        his = [d for d in (nxt, stop) if d is not None]
        hi = min(his) if his else None
        if hi is None or lo < hi:
            spans.append((lo, hi))
    return spans


def _not_started_span(project: Project, start: date, stop: date | None) -> list[Span]:
    """Approved, its recorded start still to come (before it is finished)."""
    debut = project.jalons.debut
    end = min(debut, stop) if debut and stop else debut
    return [(start, end)] if end and start < end else []


def _overlap(spans: list[Span], other: list[Span]) -> list[Span]:
    out = []
    for a, b in spans:
        for c, d in other:
            lo, ends = max(a, c), [x for x in (b, d) if x is not None]
            hi = min(ends) if ends else None
            if hi is None or lo < hi:
                out.append((lo, hi))
    return out


@dataclass(frozen=True, slots=True)
class _Dates:
    """Sorted dates, each with a running total of the amounts attached to the dates up to it."""

    dates: tuple[date, ...]
    totals: tuple[Decimal, ...] = ()

    @classmethod
    def of(cls, dated: list[tuple[date, Decimal]]) -> _Dates:
        dated = sorted(dated, key=lambda pair: pair[0])
        return cls(tuple(d for d, _ in dated), tuple(accumulate((a for _, a in dated), initial=Decimal(0))))

    def count(self, as_of: date) -> int:
        return bisect_right(self.dates, as_of)

    def total(self, as_of: date) -> Decimal:
        return self.totals[self.count(as_of)]


_NONE = _Dates((), (Decimal(0),))
Dated = list[tuple[date, Decimal]]
K = TypeVar("K")


def _indexed(table: Mapping[K, Dated]) -> dict[K, _Dates]:
    return {key: _Dates.of(dated) for key, dated in table.items()}


@dataclass(frozen=True, slots=True)
class _Spans:
    """How many [from, to) periods contain a date: those begun by then, less those ended by then."""

    begun: _Dates
    ended: _Dates

    @classmethod
    def of(cls, spans: list[Span]) -> _Spans:
        return cls(
            _Dates.of([(a, Decimal(0)) for a, _ in spans]),
            _Dates.of([(b, Decimal(0)) for _, b in spans if b is not None]),
        )

    def count(self, as_of: date) -> int:
        return self.begun.count(as_of) - self.ended.count(as_of)


_NO_SPANS = _Spans(_NONE, _NONE)
BY = ("regions", "secteur", "axe")


def _values(project: Project, by: str) -> tuple[str, ...]:
    values = getattr(project, by)
    return values if isinstance(values, tuple) else ((values,) if values else ())


@dataclass(frozen=True, slots=True)
class Entry:
    """What one project adds to a Timeline: its dates, periods, amount and places. A function of the project
    alone, so that the preview computes it once per project object (a handover saved changes one)."""

    fonds: str
    approbation: date | None
    start: date | None  # None: never counted, and nothing below is used
    end: date | None = None
    unknown: tuple[Span, ...] = ()
    not_started: tuple[Span, ...] = ()
    both: tuple[Span, ...] = ()
    value: Money | None = None  # in the publication currency (bulletin.money)
    axe: str | None = None
    placed: tuple[tuple[str, str], ...] = ()  # (by, category)
    unplaced: tuple[str, ...] = ()  # the ways of placing (BY) it has no value for
    multi: bool = False


def entry(p: Project) -> Entry:
    start = first_date(p)
    # A project a balance counts was approved before it was detailed: no issue lists its approval.
    approved = None if p.jalons.solde else p.jalons.approbation
    if start is None:
        return Entry(p.fonds, approved, None)
    end = _finished(p, start)
    unknown, not_started = _unknown_spans(p, start, end), _not_started_span(p, start, end)
    placed = tuple((by, category) for by in BY for category in _values(p, by))
    return Entry(
        p.fonds,
        approved,
        start,
        end,
        tuple(unknown),
        tuple(not_started),
        tuple(_overlap(not_started, unknown)),  # unknown wins: counted once
        (p.montant.converti or p.montant) if p.montant is not None else None,
        p.axe,
        placed,
        tuple(by for by in BY if not _values(p, by)),
        len(p.regions) > 1,
    )


class Timeline:
    """Indexes one register; answers as register.py would, for any date, in logarithmic time.
    `entries`: each project's Entry (by default computed here; in the preview, found again)."""

    def __init__(self, register: Register, entries: Callable[[Project], Entry] = entry) -> None:
        self.register = register
        starts: dict[str, Dated] = defaultdict(list)
        finishes: dict[str, Dated] = defaultdict(list)
        money: dict[tuple[str, str], Dated] = defaultdict(list)
        converted: dict[str, Dated] = defaultdict(list)  # amounts converted from another currency
        placed: dict[tuple[str, str, str], Dated] = defaultdict(list)
        unplaced: dict[tuple[str, str], Dated] = defaultdict(list)
        axis_money: dict[str, Dated] = defaultdict(list)
        multi: dict[str, Dated] = defaultdict(list)
        approved: dict[str, list[tuple[date, Project]]] = defaultdict(list)
        spans: dict[tuple[str, str], list[Span]] = defaultdict(list)  # (fund, kind) -> periods
        zero = Decimal(0)
        for p in register.projets:
            e = entries(p)
            fund = e.fonds
            if e.approbation:
                approved[fund].append((e.approbation, p))
            start = e.start
            if start is None:
                continue  # never counted
            starts[fund].append((start, zero))
            if e.end is not None:
                finishes[fund].append((e.end, zero))
            spans[fund, "unknown"] += e.unknown
            spans[fund, "not_started"] += e.not_started
            spans[fund, "both"] += e.both
            if (value := e.value) is not None:
                money[fund, value.devise].append((start, value.montant))
                if value.environ:
                    converted[fund].append((start, zero))
                if fund == "ff" and e.axe:
                    axis_money[e.axe].append((start, value.montant))
            for by, category in e.placed:
                placed[fund, by, category].append((start, zero))
            for by in e.unplaced:
                unplaced[fund, by].append((start, zero))
            if e.multi:
                multi[fund].append((start, zero))
        self._starts, self._finishes, self._money = _indexed(starts), _indexed(finishes), _indexed(money)
        self._placed, self._unplaced, self._axis_money = _indexed(placed), _indexed(unplaced), _indexed(axis_money)
        self._multi, self._converted = _indexed(multi), _indexed(converted)
        self._spans = {key: _Spans.of(periods) for key, periods in spans.items()}
        self._currencies = {fund: sorted(cur for f, cur in self._money if f == fund) for fund, _ in self._money}
        self._approved = {fund: sorted(pairs, key=lambda dp: (dp[0], dp[1].id)) for fund, pairs in approved.items()}
        self._approval_dates = {fund: [day for day, _ in pairs] for fund, pairs in self._approved.items()}
        self.projects: Mapping[str, Project] = MappingProxyType({p.id: p for p in register.projets})
        self._order = {p.id: n for n, p in enumerate(register.projets)}
        by_fund: dict[str, list[Project]] = defaultdict(list)
        for p in register.projets:
            by_fund[p.fonds].append(p)
        self._by_fund = {fund: tuple(ps) for fund, ps in by_fund.items()}

    def of_fund(self, fund: str) -> tuple[Project, ...]:
        """The fund's projects, in register order."""
        return self._by_fund.get(fund, ())

    def cited(self, ids: Iterable[str]) -> Mapping[str, Project]:
        """The registered projects among ids, in register order."""
        known = sorted((i for i in set(ids) if i in self.projects), key=self._order.__getitem__)
        return MappingProxyType({i: self.projects[i] for i in known})

    def counted(self, fund: str, as_of: date) -> int:
        return self._starts.get(fund, _NONE).count(as_of)

    def fund(self, fund: str, as_of: date) -> FundFigures:
        """As register.compute_fund."""
        counted = self.counted(fund, as_of)
        done = self._finishes.get(fund, _NONE).count(as_of)
        balance = balance_in_force(self.register, fund, as_of)
        unknown = self._spans.get((fund, "unknown"), _NO_SPANS).count(as_of)
        not_started = self._spans.get((fund, "not_started"), _NO_SPANS).count(as_of) - self._spans.get(
            (fund, "both"), _NO_SPANS
        ).count(as_of)
        approximate = self._converted.get(fund, _NONE).count(as_of) > 0
        amounts = [
            Money(self._money[fund, cur].total(as_of), cur, environ=approximate)
            for cur in self._currencies.get(fund, ())
            if self._money[fund, cur].count(as_of)
        ]
        years = ([self._starts[fund].dates[0].year] if counted else []) + ([balance.depuis] if balance else [])
        return FundFigures(
            fonds=fund,
            date=as_of,
            finalises=done + (balance.finalises if balance else 0),
            en_cours=counted - done - unknown - not_started + (balance.en_cours if balance else 0),
            montant=sum_money(amounts + [balance.montant if balance else None]),
            detailles=counted,
            non_ventiles=balance.total if balance else 0,
            montant_non_ventile=balance.montant if balance else None,
            depuis=min(years) if years else None,
            solde=balance,
            non_demarres=not_started + (balance.non_demarres if balance else 0),
            a_confirmer=unknown,
        )

    def breakdown(self, fund: str | None, as_of: date, by: str) -> Breakdown:
        """As register.compute_breakdown."""
        funds = [fund] if fund else [f.code for f in self.register.fonds]
        rows = []
        for code, name in _labels(self.register, fund, by):
            count = sum(self._placed.get((f, by, code), _NONE).count(as_of) for f in funds)
            if count:
                rows.append((name, count))
        missing = sum(self._unplaced.get((f, by), _NONE).count(as_of) for f in funds)
        balances = [balance_in_force(self.register, f, as_of) for f in funds]
        return Breakdown(tuple(rows), missing, sum(b.total for b in balances if b))

    def axis_amounts(self, as_of: date) -> tuple[tuple[str, Decimal], ...]:
        """As register.compute_axis_amounts."""
        sums = {code: self._axis_money.get(code, _NONE).total(as_of) for code, _ in _labels(self.register, "ff", "axe")}
        return tuple((name, sums[code]) for code, name in _labels(self.register, "ff", "axe") if sums[code])

    def multi_region(self, funds: tuple[str, ...], as_of: date) -> int:
        """Counted projects placed in more than one region."""
        return sum(self._multi.get(f, _NONE).count(as_of) for f in funds)

    def approvals(self, fund: str, start: date, end: date) -> tuple[ApprovalDay, ...]:
        """As register.compute_approvals."""
        dates = self._approval_dates.get(fund, [])
        approved = self._approved.get(fund, [])[bisect_left(dates, start) : bisect_right(dates, end)]
        days: dict[date, list[Project]] = {}
        for day, p in approved:
            days.setdefault(day, []).append(p)
        return tuple(ApprovalDay(day, tuple(ps)) for day, ps in days.items())
