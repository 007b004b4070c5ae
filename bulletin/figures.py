"""Everything one issue prints, computed once from (register, issue): web, print and data share it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Mapping

from .models import Contribution, Fund, Issue, Named, Project, Register
from .register import (ApprovalDay, Breakdown, compute_axis_amounts, ContributionFigures, FundFigures, PhaseFigures,
                       compute_approvals, compute_breakdown, compute_contributions, compute_fund, compute_phase,
                       is_extended, statuses_on)

FUND_ORDER = ("qip", "ff", "pbf")


@dataclass(frozen=True, slots=True)
class RegionRow:
    nom: str
    par_fonds: tuple[int, ...]   # in FUND_ORDER
    total: int


@dataclass(frozen=True, slots=True)
class RegionTable:
    """Projects per region and fund; what the register cannot place is shown, not hidden."""

    lignes: tuple[RegionRow, ...]
    non_precise: RegionRow
    non_ventile: RegionRow
    total: RegionRow
    multi_regions: int            # itemised projects counted in more than one region


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
    pbf_prolonges: frozenset[str]
    contributions_citees: Mapping[str, Contribution]


def compute_issue(register: Register, issue: Issue) -> IssueFigures:
    """All figures of one issue, as of its reference dates."""
    when = issue.date_reference
    statuses = statuses_on(register, when)
    pbf_projects = [p for p in register.projets if p.fonds == "pbf"]
    cited = {i.projet for i in issue.qip_faits + issue.ff_faits if i.projet} | set(issue.pbf_projets)
    cited_contribs = {i.contribution for i in issue.ff_contributions if i.contribution}
    return IssueFigures(
        issue=issue,
        fonds=MappingProxyType({f.code: f for f in register.fonds}),
        qip=compute_fund(register, "qip", when, statuses),
        ff=compute_fund(register, "ff", when, statuses),
        pbf=compute_fund(register, "pbf", issue.pbf_date_reference),
        pbf_phase=compute_phase(pbf_projects, issue.pbf_date_reference),
        contributions=compute_contributions(register, when),
        regions=compute_region_table(register, when, statuses),
        ff_axes=compute_breakdown(register, "ff", when, "axe", statuses),
        ff_axes_montants=compute_axis_amounts(register, when, statuses),
        secteurs=MappingProxyType({f: register.secteurs.get(f, ()) for f in FUND_ORDER}),
        axes=register.axes,
        approbations=compute_approvals(register, "ff", issue.periode_debut, issue.periode_fin),
        projets=MappingProxyType({p.id: p for p in register.projets if p.id in cited}),
        pbf_prolonges=frozenset(p.id for p in pbf_projects if is_extended(p, issue.pbf_date_reference)),
        contributions_citees=MappingProxyType({c.id: c for c in register.contributions if c.id in cited_contribs}),
    )


def compute_region_table(register: Register, as_of, statuses=None) -> RegionTable:
    statuses = statuses if statuses is not None else statuses_on(register, as_of)
    per_fund = [compute_breakdown(register, f, as_of, "regions", statuses) for f in FUND_ORDER]
    names = [r.nom for r in register.regions]
    counts = [dict(b.lignes) for b in per_fund]
    rows = []
    for name in names:
        values = tuple(c.get(name, 0) for c in counts)
        if any(values):
            rows.append(_row(name, values))
    unplaced = _row("Région non précisée", tuple(b.non_precise for b in per_fund))
    history = _row("Non ventilé (historique)", tuple(b.non_ventile for b in per_fund))
    multi = sum(1 for p in register.projets if len(p.regions) > 1 and p.fonds in FUND_ORDER
                and statuses[p.id] is not None)
    projects = tuple(sum(1 for p in register.projets if p.fonds == f and statuses[p.id] is not None) + b.non_ventile
                     for f, b in zip(FUND_ORDER, per_fund))
    return RegionTable(tuple(rows), unplaced, history, _row("Total des projets", projects), multi)


def _row(name: str, values: tuple[int, ...]) -> RegionRow:
    return RegionRow(name, values, sum(values))


