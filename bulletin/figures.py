"""Everything one issue prints, computed once from (register, issue): web, print and data share it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from types import MappingProxyType

from .i18n import N_
from .memo import NO_MEMO, Memo
from .models import Contribution, Fund, Issue, Named, Project, Register, Status
from .register import (
    ApprovalDay,
    Breakdown,
    ContributionFigures,
    FundFigures,
    PhaseFigures,
    compute_contributions,
    compute_phase,
    is_extended,
    status_on,
)
from .timeline import Entry, Timeline, entry

FUND_ORDER = ("qip", "ff", "pbf")


@dataclass(frozen=True, slots=True)
class RegionRow:
    nom: str
    par_fonds: tuple[int, ...]  # in FUND_ORDER
    total: int


@dataclass(frozen=True, slots=True)
class RegionTable:
    """Projects per region and fund; what the register cannot place is shown, not hidden."""

    lignes: tuple[RegionRow, ...]
    non_precise: RegionRow
    non_ventile: RegionRow
    total: RegionRow
    multi_regions: int  # itemised projects counted in more than one region


@dataclass(frozen=True, slots=True)
class IssueFigures:
    issue: Issue
    fonds: Mapping[str, Fund]
    qip: FundFigures
    ff: FundFigures
    pbf: FundFigures
    pbf_phase: PhaseFigures
    contributions: ContributionFigures
    regions: RegionTable
    ff_axes: Breakdown
    ff_axes_montants: tuple[tuple[str, Decimal], ...]
    secteurs: Mapping[str, tuple[Named, ...]]
    axes: tuple[Named, ...]
    approbations: tuple[ApprovalDay, ...]
    projets: Mapping[str, Project]
    pbf_prolonges: tuple[str, ...]  # sorted: the figures' repr is a cache key (bulletin.memo)
    contributions_citees: Mapping[str, Contribution]
    pbf_a_confirmer: tuple[str, ...] = ()  # PBF projects whose status is unknown at the block's date, sorted


def compute_issues(register: Register, issues: Sequence[Issue], memo: Memo = NO_MEMO) -> tuple[IssueFigures, ...]:
    """The figures of each issue, in the order given. In the preview, an issue's figures are computed
    again only when it or the register changed (Memo.get_same): the checks of the published figures
    and the pages then share them."""
    figures = figures_of(register, memo)
    return tuple(figures(issue) for issue in issues)


def figures_of(register: Register, memo: Memo = NO_MEMO) -> Callable[[Issue], IssueFigures]:
    """issue -> its figures (compute_issues for one issue at a time): the register's index is made at
    the first issue whose figures are not found in memo."""
    timeline: list[Timeline] = []

    def entries(project: Project) -> Entry:
        # In the preview, what each project adds to the index is found again for the very same project:
        # after a handover, one of the register's 3 000 is new.
        return memo.get_same("timeline-entry", (project,), partial(entry, project)) if memo.lives_on else entry(project)

    def compute(issue: Issue) -> IssueFigures:
        if not timeline:  # the register's index, itself found again while the register is the same
            timeline.append(memo.get_same("timeline", (register,), partial(Timeline, register, entries), shared=True))
        return memo.same_as_before(f"figures:{id(issue)}", compute_issue(register, issue, timeline[0]))

    return lambda issue: memo.get_same("figures", (register, issue), partial(compute, issue), shared=True)


def compute_issue(register: Register, issue: Issue, timeline: Timeline | None = None) -> IssueFigures:
    """All figures of one issue, as of its reference dates. For many issues, pass one Timeline of the
    register: each figure is then a lookup instead of a pass over the register."""
    timeline = timeline if timeline is not None else Timeline(register)
    when = issue.date_reference
    pbf_projects = timeline.of_fund("pbf")
    cited = {i.projet for i in issue.qip_faits + issue.ff_faits if i.projet} | set(issue.pbf_projets)
    cited_contribs = {i.contribution for i in issue.ff_contributions if i.contribution}
    return IssueFigures(
        issue=issue,
        fonds=MappingProxyType({f.code: f for f in register.fonds}),
        qip=timeline.fund("qip", when),
        ff=timeline.fund("ff", when),
        pbf=timeline.fund("pbf", issue.pbf_date_reference),
        pbf_phase=compute_phase(pbf_projects, issue.pbf_date_reference),
        contributions=compute_contributions(register, when),
        regions=compute_region_table(timeline, when),
        ff_axes=timeline.breakdown("ff", when, "axe"),
        ff_axes_montants=timeline.axis_amounts(when),
        secteurs=MappingProxyType({f: register.secteurs.get(f, ()) for f in FUND_ORDER}),
        axes=register.axes,
        approbations=timeline.approvals("ff", issue.periode_debut, issue.periode_fin),
        projets=timeline.cited(cited),
        pbf_prolonges=tuple(sorted(p.id for p in pbf_projects if is_extended(p, issue.pbf_date_reference))),
        contributions_citees=MappingProxyType({c.id: c for c in register.contributions if c.id in cited_contribs}),
        pbf_a_confirmer=tuple(
            sorted(p.id for p in pbf_projects if status_on(p, issue.pbf_date_reference) is Status.A_CONFIRMER)
        ),
    )


def compute_region_table(timeline: Timeline, as_of: date) -> RegionTable:
    per_fund = [timeline.breakdown(f, as_of, "regions") for f in FUND_ORDER]
    names = [r.nom for r in timeline.register.regions]
    counts = [dict(b.lignes) for b in per_fund]
    rows = []
    for name in names:
        values = tuple(c.get(name, 0) for c in counts)
        if any(values):
            rows.append(_row(name, values))
    # Labels as msgids: whoever prints the table translates them (a region's name is the register's).
    unplaced = _row(N_("Région non précisée"), tuple(b.non_precise for b in per_fund))
    history = _row(N_("Non ventilé (historique)"), tuple(b.non_ventile for b in per_fund))
    projects = tuple(timeline.counted(f, as_of) + b.non_ventile for f, b in zip(FUND_ORDER, per_fund))
    return RegionTable(
        tuple(rows),
        unplaced,
        history,
        _row(N_("Total des projets"), projects),
        timeline.multi_region(FUND_ORDER, as_of),
    )


def _row(name: str, values: tuple[int, ...]) -> RegionRow:
    return RegionRow(name, values, sum(values))


@dataclass(frozen=True, slots=True)
class LocatedShare:
    """How much of a whole a breakdown covers: public pages say it rather than draw a minority as the whole."""

    couverts: int | Decimal  # projects placed in a region, or amounts placed on an axis
    total: int | Decimal
    par_fonds: tuple[int, ...] = ()  # placed projects per fund, in FUND_ORDER (regions only)

    @property
    def partiel(self) -> bool:
        return self.couverts < self.total


def located_share(table: RegionTable) -> LocatedShare:
    """Projects placed in at least one region, out of all projects counted: the opening balances carry no
    region, and an itemised project may lack one."""
    per_fund = tuple(
        t - h - u for t, h, u in zip(table.total.par_fonds, table.non_ventile.par_fonds, table.non_precise.par_fonds)
    )
    return LocatedShare(sum(per_fund), table.total.total, per_fund)


def axis_share(figures: IssueFigures) -> LocatedShare:
    """The trust fund's amounts placed on a thematic axis, out of its whole cost (in the fund's currency)."""
    placed = sum((amount for _, amount in figures.ff_axes_montants), Decimal(0))
    total = figures.ff.montant.montant if figures.ff.montant else placed
    return LocatedShare(placed, total)
