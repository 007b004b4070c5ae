"""Views across issues: each fund's figures month by month, and what happened in each region. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .figures import IssueFigures
from .models import Edition, Item, Project, Status
from .register import FundFigures, status_on


@dataclass(frozen=True, slots=True)
class FundMonth:
    mois: str
    figures: FundFigures


def fund_history(all_figures: tuple[IssueFigures, ...], fund: str) -> tuple[FundMonth, ...]:
    """A fund's figures as each issue published them, oldest first."""
    return tuple(FundMonth(f.issue.mois, getattr(f, fund)) for f in all_figures)


@dataclass(frozen=True, slots=True)
class RegionEvent:
    mois: str
    item: Item
    project: Project


@dataclass(frozen=True, slots=True)
class RegionProject:
    project: Project
    status: Status | None


@dataclass(frozen=True, slots=True)
class RegionView:
    code: str
    nom: str
    as_of: date
    projects: tuple[RegionProject, ...]  # itemised projects of the region, by fund then id
    events: tuple[RegionEvent, ...]  # newest issue first


def region_views(edition: Edition) -> tuple[RegionView, ...]:
    """Every region that has at least one itemised project, with its projects and the issues' events there."""
    if not edition.issues:
        return ()
    as_of = edition.issues[-1].date_reference
    projects = {p.id: p for p in edition.register.projets}
    out = []
    for region in edition.register.regions:
        mine = [p for p in edition.register.projets if region.code in p.regions]
        if not mine:
            continue
        events = [
            RegionEvent(issue.mois, item, projects[item.projet])
            for issue in reversed(edition.issues)
            for item in issue.qip_faits + issue.ff_faits
            if item.projet in projects and region.code in projects[item.projet].regions
        ]
        order = {"qip": 0, "ff": 1, "pbf": 2}
        listed = tuple(
            RegionProject(p, status_on(p, as_of)) for p in sorted(mine, key=lambda p: (order.get(p.fonds, 9), p.id))
        )
        out.append(RegionView(region.code, region.nom, as_of, listed, tuple(events)))
    return tuple(out)
