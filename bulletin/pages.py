"""The pages of the web edition as (uri, title, html, toc): no web framework here, so the shell can change."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .figures import IssueFigures, compute_issue
from .models import Edition
from .render import IssueLink, group_by_year, make_environment, render_home, render_issue


@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    uri: str          # source path the web shell sees, e.g. "bulletins/2017-11/index.md"
    title: str
    html: str
    toc: tuple[TocEntry, ...] = ()


def compute_all(edition: Edition) -> tuple[IssueFigures, ...]:
    """The figures of every issue, oldest first."""
    return tuple(compute_issue(edition.register, issue) for issue in edition.issues)


def render_pages(edition: Edition, templates: Path) -> tuple[GeneratedPage, ...]:
    """Every generated page of the site: home, then one page per issue."""
    env = make_environment(templates, edition)
    all_figures = compute_all(edition)
    pages = []
    months = [f.issue.mois for f in all_figures]
    for i, figures in enumerate(all_figures):
        previous = IssueLink(months[i - 1], f"../{months[i - 1]}/") if i > 0 else None
        following = IssueLink(months[i + 1], f"../{months[i + 1]}/") if i + 1 < len(months) else None
        html = render_issue(env, edition, figures, previous, following)
        title = env.filters["mois_titre"](figures.issue.mois)
        pages.append(GeneratedPage(f"bulletins/{figures.issue.mois}/index.md", f"Bulletin S&R — {title}", html,
                                   _issue_toc(figures)))
    if all_figures:
        home = render_home(env, edition, all_figures[-1], group_by_year(edition.issues, "bulletins/"))
        pages.insert(0, GeneratedPage("index.md", "Accueil", home))
    return tuple(pages)


def _issue_toc(figures: IssueFigures) -> tuple[TocEntry, ...]:
    sections = [("faits-saillants", "Faits saillants"), ("chiffres-cles", "Chiffres clés"),
                ("apercu", "Aperçu par région"), ("secteurs", "Secteurs"),
                ("coordination", "Coordination des bailleurs"), ("qip", figures.fonds["qip"].sigle),
                ("ff", figures.fonds["ff"].nom), ("pbf", figures.fonds["pbf"].sigle), ("role", "Rôle de la Section")]
    return tuple(TocEntry(2, anchor, title) for anchor, title in sections)
