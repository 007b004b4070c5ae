"""Views across issues: each fund's figures month by month, and what happened in each region. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .figures import IssueFigures
from .models import Edition, Project, Status
from .register import FundFigures, own_status


@dataclass(frozen=True, slots=True)
class FundMonth:
    mois: str
    figures: FundFigures


def fund_history(all_figures: tuple[IssueFigures, ...], fund: str) -> tuple[FundMonth, ...]:
    """A fund's figures as each issue published them, oldest first."""
    return tuple(FundMonth(f.issue.mois, getattr(f, fund)) for f in all_figures)


@dataclass(frozen=True, slots=True)
class RegionEvent:
    """Something an issue reports of a project of the region: a dated entry, or its approval."""

    mois: str
    anchor: str  # the entry's id on the issue page (the approvals' heading for an approval)
    date: date | None
    type: str | None  # an event type of the entry (render_archive.EVENT_LABELS), "approbation"
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

    def count(self, fund: str) -> int:
        """How many of its projects are of `fund` (the regions' index: a filter over them in the template
        took a twentieth of a second of each save of the archive, for each language)."""
        return sum(1 for p in self.projects if p.project.fonds == fund)


def region_views(edition: Edition, all_figures: Sequence[IssueFigures] = ()) -> tuple[RegionView, ...]:
    """Every region that has at least one itemised project, with its projects and the issues' events there:
    the entries about its projects, and the approvals each issue lists (its figures, `all_figures`): a
    region whose four projects an issue announces as approved said « Aucun événement publié »."""
    if not edition.issues:
        return ()
    approved = {f.issue.mois: [(day.date, p) for day in f.approbations for p in day.projets] for f in all_figures}
    as_of = edition.issues[-1].date_reference
    projects = {p.id: p for p in edition.register.projets}
    out = []
    for region in edition.register.regions:
        mine = [p for p in edition.register.projets if region.code in p.regions]
        if not mine:
            continue
        events = []
        for issue in reversed(edition.issues):
            events += [
                RegionEvent(issue.mois, item.id, item.date, item.type, projects[item.projet])
                for item in issue.qip_faits + issue.ff_faits
                if item.projet in projects and region.code in projects[item.projet].regions
            ]
            told = {(e.project.id, e.type) for e in events if e.mois == issue.mois}  # an entry says it already
            events += [
                RegionEvent(issue.mois, issue.ff_approbations.id, day, "approbation", p)
                for day, p in approved.get(issue.mois, ())
                if region.code in p.regions and (p.id, "approbation") not in told
            ]
        order = {"qip": 0, "ff": 1, "pbf": 2}
        listed = tuple(
            RegionProject(p, own_status(p, as_of)) for p in sorted(mine, key=lambda p: (order.get(p.fonds, 9), p.id))
        )
        out.append(RegionView(region.code, region.nom, as_of, listed, tuple(events)))
    return tuple(out)
