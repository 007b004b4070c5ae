"""The pages of the web edition as (uri, title, html, toc): no web framework here, so the shell can change."""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from . import i18n
from .archive import RegionView, fund_history, region_views
from .feed import atom_feed
from .figures import IssueFigures, compute_issues, located_share
from .images import Variant, plan_variants
from .incremental import digest, tree_digest
from .memo import NO_MEMO, Memo, code_digest
from .models import Edition, Issue, Item, Photo, Register
from .opendata import issue_csv, issue_json
from .plan_figures import compute_plan
from .print_build import issue_pdf_path, plan_pdf_path
from .render import (
    LOCALE,
    IssueLink,
    PdfLink,
    group_by_year,
    make_environment,
    render_french_only,
    render_home,
    render_issue,
    render_print,
    typeset,
    typeset_made,
)
from .render_archive import render_fund, render_region
from .render_plan import render_plan
from .typography import set_html


@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class PdfFile:
    name: str  # as published next to the issue page
    taille: int  # bytes


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    uri: str  # source path the web shell sees, e.g. "bulletins/2017-11/index.md"
    title: str
    html: str  # as published: a French page in French typography (render.typeset), set where it is made
    toc: tuple[TocEntry, ...] = ()
    fichiers: tuple[tuple[str, Path], ...] = ()  # (site path, source file) published beside the page
    variantes: tuple[tuple[str, Path, Variant], ...] = ()  # (site path, source picture, web variant to make)
    indexed: bool = True  # whether the readers' search indexes it (bulletin.search)


def figure_keys(
    all_figures: Sequence[IssueFigures], memo: Memo = NO_MEMO, prints: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """A digest of each issue's figures (their repr holds every value a page or a data file prints):
    computed once per build, shared by the page and data keys (and in the preview, once per figures).
    `prints`: what each month's figures are computed from (Edition.empreintes): when it is the same as
    at the last build, the key is found in memo without the figures' repr (a fifth of a second of each
    rebuild of a ten-year archive)."""
    prints = prints or {}
    return tuple(
        memo.get_same("figures-key", (f,), partial(_figures_key, f, memo, prints.get(f.issue.mois)), shared=True)
        for f in all_figures
    )


def _figures_key(figures: IssueFigures, memo: Memo = NO_MEMO, made_from: str | None = None) -> str:
    if made_from is None:
        return digest(repr(figures))
    return memo.get(digest("figures-key", made_from), partial(_figures_key, figures))


def compute_all(edition: Edition, memo: Memo = NO_MEMO) -> tuple[IssueFigures, ...]:
    """The figures of every issue, oldest first (figures.compute_issues)."""
    return compute_issues(edition.register, edition.issues, memo)


def render_pages(
    edition: Edition,
    templates: Path,
    pdfs: Mapping[str, PdfFile] | None = None,
    preview: bool = False,
    all_figures: tuple[IssueFigures, ...] | None = None,
    memo: Memo = NO_MEMO,
    bytecode: Path | None = None,
    workers: int = 1,
    keys: Sequence[str] | None = None,
    translations: gettext.NullTranslations | None = None,
    locale: str = LOCALE,
    french_only: Mapping[str, str] | None = None,
) -> tuple[GeneratedPage, ...]:
    """Every generated page of the site: home, then one page per issue (linking its PDF when given),
    formatted for `locale` (a Babel locale, i18n.EDITIONS) in the words of `translations` (by default,
    the catalog of `locale`). The English page set: `edition_in(edition, "en")` (bulletin/language.py)
    with locale="en_GB"; `french_only` maps the months it has no text for to their French page's address
    (relative to the site's root): each gets a page that says so, with its figures (bulletin/pages_en.py).

    An issue page is a pure function of its figures, its neighbours, its PDF link, the templates and
    the settings: kept in memo under their digest (the other pages read every issue: always made).
    The issue pages not kept are rendered in `workers` processes.
    """
    env = make_environment(templates, edition, locale=locale, cache=bytecode, translations=translations)
    env_key = digest(
        templates_digest(templates), repr(edition.settings), code_digest(), i18n.fingerprint(i18n.of(env)), locale
    )
    pdfs = pdfs or {}
    french_only = french_only or {}
    all_figures = compute_all(edition, memo) if all_figures is None else all_figures
    pages = []
    months = [f.issue.mois for f in all_figures]
    keys = figure_keys(all_figures, memo, edition.empreintes) if keys is None else keys
    jobs = []
    for i, figures in enumerate(all_figures):
        previous = IssueLink(months[i - 1], f"../{months[i - 1]}/") if i > 0 else None
        following = IssueLink(months[i + 1], f"../{months[i + 1]}/") if i + 1 < len(months) else None
        pdf = pdfs.get(issue_pdf_path(figures.issue.mois))
        job = (figures, previous, following, PdfLink(pdf.name, pdf.taille) if pdf else None, preview)
        french = french_only.get(figures.issue.mois)
        jobs.append((digest("issue-page", env_key, keys[i], repr(job[1:]), french or ""), job, french))
    t = i18n.of(env)
    views = region_views(edition, all_figures) if all_figures else ()
    # A fund page presents the fund in the words of the latest issue that has the page's language.
    written = [i for i, f in enumerate(all_figures) if f.issue.mois not in french_only]
    presenting = written[-1] if written else None
    # A region's view equal to the last save's is that very object, its key found again: after a
    # handover, only its region's view is digested again (Memo.same_as_before).
    views = tuple(memo.same_as_before(f"region-view:{locale}:{view.code}", view) for view in views)
    view_keys = [memo.get_same("view-key", (view,), partial(_view_key, view, memo)) for view in views]
    archive = (
        _archive_jobs(env, edition, all_figures, views, view_keys, env_key, keys[-1], presenting, keys, memo)
        if all_figures
        else []
    )
    # One pass over all the heavy pages, in as many processes as the machine has cores.
    renders: list[tuple[str, Callable[[], str]]] = [
        (key, partial(render_issue, env, edition, *job))
        if french is None
        else (key, partial(render_french_only, env, job[0], f"../../../{french}"))
        for key, job, french in jobs
    ]
    made = memo.get_all(renders + [(key, render) for _, _, key, render in archive], workers)
    archive_pages = {
        uri: GeneratedPage(uri, title, html) for (uri, title, _, _), html in zip(archive, made[len(jobs) :])
    }
    for html, (_key, (figures, *_), french) in zip(made, jobs):
        title = env.filters["mois_titre"](figures.issue.mois)
        folder = f"bulletins/{figures.issue.mois}"
        pictures = _pictures(figures.issue)
        # Only the web copies, which Pillow writes without the camera's metadata: the original, which no
        # page links, was published too, and a phone's photo carries where it was taken (GPS) in its EXIF
        # (found by an adversarial review). The PDF reads the original from the content folder.
        photos: tuple[tuple[str, Path], ...] = ()
        variants = tuple(
            (f"{folder}/{v.name}", photo.fichier, v)
            for photo in pictures
            for v in plan_variants(photo.fichier.name, photo.largeur, photo.hauteur)
        )
        # A page in the other language only says so and gives the key figures: its menu lists just them.
        toc = _issue_toc(figures, t) if french is None else (TocEntry(2, "chiffres-cles", t.gettext("Chiffres clés")),)
        pages.append(GeneratedPage(f"{folder}/index.md", title, html, toc, photos, variants))
    plans = [(plan, compute_plan(plan)) for plan in edition.plans]
    for plan, plan_figures in plans:
        pdf = pdfs.get(plan_pdf_path(plan.slug))
        link = PdfLink(pdf.name, pdf.taille) if pdf else None
        # A plan's page reads only the plan (and its PDF's link): kept while the issues change around it.
        html = memo.get(
            digest("plan-page", env_key, repr(plan), repr(link)),
            partial(typeset_made, env, partial(render_plan, env, plan_figures, link)),
        )
        pages.append(
            GeneratedPage(
                f"plans/{plan.slug}/index.md",
                t.gettext("Plan de travail %(annee)s — %(titre)s") % {"annee": plan.annee, "titre": plan.titre},
                html,
                _plan_toc(t),
            )
        )
    # The search page (bulletin.search): its own words are not something to find.
    pages.append(
        GeneratedPage(
            "recherche/index.md",
            t.gettext("Rechercher"),
            typeset(env, env.get_template("bulletin/recherche.html").render()),
            indexed=False,
        )
    )
    listing = env.get_template("plans/list.html").render(
        plans=[{"plan": p, "fig": f, "href": f"{p.slug}/"} for p, f in plans]
    )
    pages.append(GeneratedPage("plans/index.md", t.gettext("Plans de travail"), typeset(env, listing)))
    if all_figures:
        index_key = digest("region-index", env_key, keys[-1], *view_keys)
        pages.extend(_archive_pages(env, edition, views, archive_pages, all_figures[-1], memo.get_one(index_key)))
        latest = all_figures[-1].issue.mois
        pdf = pdfs.get(issue_pdf_path(latest))
        link = PdfLink(f"bulletins/{latest}/{pdf.name}", pdf.taille) if pdf else None
        home = render_home(
            env,
            edition,
            all_figures[-1],
            group_by_year(edition.issues, "bulletins/"),
            link,
            [{"plan": p, "href": f"plans/{p.slug}/"} for p, _ in plans],
            f"../{french_only[latest]}" if latest in french_only else None,
        )
        pages.insert(0, GeneratedPage("index.md", t.gettext("Accueil"), home))
        by_month = {f.issue.mois: f for f in all_figures}
        archive_key = digest("archive-index", env_key, *keys, repr(sorted(french_only.items())))
        back_issues = memo.get(
            archive_key, partial(typeset_made, env, partial(_archive_index, env, edition, by_month, french_only))
        )
        # Its years in the page's contents (the side column, empty before): a ten-year archive is a long page.
        years = sorted({issue.mois[:4] for issue in edition.issues}, reverse=True)
        toc = tuple(TocEntry(2, f"annee-{year}", year) for year in years)
        pages.append(GeneratedPage("bulletins/index.md", t.gettext("Tous les numéros"), back_issues, toc))
    return tuple(pages)


def templates_digest(templates: Path) -> str:
    """The templates' text (the print fonts, which no page's HTML depends on, left out)."""
    return tree_digest(*(p for p in sorted(templates.iterdir()) if p.is_dir()), skip=("fonts",))


def _archive_jobs(
    env: Environment,
    edition: Edition,
    all_figures: tuple[IssueFigures, ...],
    views: Sequence[RegionView],
    view_keys: Sequence[str],
    env_key: str,
    latest_key: str,
    presenting: int | None,
    keys: Sequence[str],
    memo: Memo,
) -> list[tuple[str, str, str, Callable[[], str]]]:
    """(uri, title, key, render) of the page of each fund and each region: a fund page reads the
    latest issue and the fund's history, a region page its view; kept in memo under their digest."""
    jobs: list[tuple[str, str, str, Callable[[], str]]] = []
    t = i18n.of(env)
    funds = repr(edition.register.fonds)
    for fund in edition.register.fonds:
        # The presenting issue's figures hold its texts: a change of its presentation changes the key.
        text_key = keys[presenting] if presenting is not None else ""
        history = [part for m in fund_history(all_figures, fund.code) for part in (m.mois, _repr(m.figures, memo))]
        key = digest("fund-page", env_key, funds, fund.code, latest_key, text_key, *history)
        jobs.append(
            (
                f"fonds/{fund.code}/index.md",
                t.gettext("%(nom)s (%(sigle)s)") % {"nom": fund.nom, "sigle": fund.sigle},
                key,
                partial(typeset_made, env, partial(render_fund, env, edition, all_figures, fund.code, presenting)),
            )
        )
    for view, view_key in zip(views, view_keys, strict=True):
        jobs.append(
            (
                f"regions/{view.code}/index.md",
                t.gettext("Région : %(nom)s") % {"nom": view.nom},
                digest("region-page", env_key, funds, view_key),
                partial(typeset_made, env, partial(render_region, env, edition, view)),
            )
        )
    return jobs


def _repr(value: object, memo: Memo) -> str:
    """repr(value), found again for the very same object in the preview (Memo.get_same): the projects,
    events and fund figures of the issues a save did not touch are the objects of the last save."""
    return memo.get_same("repr", (value,), partial(repr, value))


def _view_key(view: RegionView, memo: Memo) -> str:
    """A digest of everything repr(view) holds, its projects and events by their own (kept) repr."""
    projects = [part for p in view.projects for part in (_repr(p.project, memo), repr(p.status))]
    events = [
        part for e in view.events for part in (e.mois, e.anchor, repr(e.date), repr(e.type), _repr(e.project, memo))
    ]
    return digest(view.code, view.nom, view.as_of.isoformat(), str(len(projects)), *projects, *events)


def _archive_pages(
    env: Environment,
    edition: Edition,
    views: Sequence[RegionView],
    made: dict[str, GeneratedPage],
    latest: IssueFigures,
    kept_index: Callable[[Callable[[], str]], str],
) -> list[GeneratedPage]:
    """The fund and region pages (made), with their indexes; computed from content, never kept by hand.
    The regions' index (every region's projects) is kept_index(render)."""
    t = i18n.of(env)
    funds = [made[f"fonds/{f.code}/index.md"] for f in edition.register.fonds]
    regions = [page for uri, page in made.items() if uri.startswith("regions/")]
    fund_index = GeneratedPage(
        "fonds/index.md",
        t.gettext("Les fonds"),
        typeset(env, env.get_template("bulletin/funds_index.html").render(funds=edition.register.fonds, latest=latest)),
    )
    region_index = GeneratedPage(
        "regions/index.md",
        t.gettext("Les régions"),
        kept_index(
            partial(
                typeset_made,
                env,
                partial(
                    env.get_template("bulletin/regions_index.html").render,
                    views=views,
                    latest=latest,
                    share=located_share(latest.regions),
                ),
            )
        ),
    )
    return [*funds, fund_index, *regions, region_index]


def _archive_index(
    env: Environment, edition: Edition, figures: Mapping[str, IssueFigures], french_only: Mapping[str, str]
) -> str:
    """The back issues, newest first, grouped by year; one without text in the page's language says so,
    with its key figures and a link to its French page (french_only: month -> address from the root)."""
    years: dict[int, list[Issue]] = {}
    for issue in sorted(edition.issues, key=lambda i: i.mois, reverse=True):
        years.setdefault(int(issue.mois[:4]), []).append(issue)
    return env.get_template("bulletin/archive.html").render(
        years=list(years.items()),
        count=len(edition.issues),
        figures=figures,
        french_only={month: f"../../{href}" for month, href in french_only.items()},
    )


def _plan_toc(t: gettext.NullTranslations) -> tuple[TocEntry, ...]:
    sections = [
        ("resume", t.gettext("Description sommaire")),
        ("resultats-indicatifs", t.gettext("Résultats indicatifs")),
        ("budget", t.gettext("Activités et budget")),
        ("graphiques", t.gettext("Répartition du budget")),
        ("signataires", t.gettext("Signataires")),
    ]
    return tuple(TocEntry(2, anchor, title) for anchor, title in sections)


def _items(issue: Issue) -> tuple[Item, ...]:
    return issue.coordination + issue.qip_faits + issue.ff_faits + issue.ff_contributions


def _pictures(issue: Issue) -> list[Photo]:
    """The items' photos and the optional region map: published beside the page, with their web variants."""
    return [item.photo for item in _items(issue) if item.photo] + ([issue.carte] if issue.carte else [])


def _issue_toc(figures: IssueFigures, t: gettext.NullTranslations) -> tuple[TocEntry, ...]:
    sections = [
        ("faits-saillants", t.gettext("Faits saillants")),
        ("chiffres-cles", t.gettext("Chiffres clés")),
        # The heading itself (templates/bulletin/issue.html): « Aperçu par région » named another section.
        ("apercu", t.gettext("Aperçu global depuis %(annee)s") % {"annee": figures.qip.depuis}),
        ("secteurs", t.gettext("Secteurs")),
        ("coordination", t.gettext("Coordination des bailleurs")),
        ("qip", figures.fonds["qip"].sigle),
        ("ff", figures.fonds["ff"].nom),
        ("pbf", figures.fonds["pbf"].sigle),
        ("role", t.gettext("Rôle de la Section")),
    ]
    return tuple(TocEntry(2, anchor, title) for anchor, title in sections)


def preview_error_pages(content: Path, templates: Path, report: str) -> tuple[GeneratedPage, ...]:
    """While previewing, every page the author may be looking at shows the French report instead."""
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=True, extensions=["jinja2.ext.i18n"])
    t = i18n.translations(LOCALE)
    i18n.install(env, t)
    html = env.get_template("bulletin/erreurs.html").render(report=report)
    html = set_html(html) if LOCALE.startswith("fr") else html
    uris = ["index.md", "bulletins/index.md", "plans/index.md", "fonds/index.md", "regions/index.md"]  # the menu
    uris += [f"bulletins/{d.name}/index.md" for d in sorted((content / "bulletins").glob("*")) if d.is_dir()]
    uris += [f"plans/{p.stem}/index.md" for p in sorted((content / "plans").glob("*.yaml")) if p.stem != "comptes"]
    # The English edition's pages too (the site always has en/): its proofreader was told « page
    # introuvable » instead of the error (a review's find).
    uris += [f"en/{uri}" for uri in uris]
    return tuple(GeneratedPage(uri, t.gettext("Erreurs dans le contenu"), html) for uri in uris)


def print_previews(
    edition: Edition,
    templates: Path,
    stylesheet: str,
    all_figures: tuple[IssueFigures, ...] | None = None,
    memo: Memo = NO_MEMO,
    bytecode: Path | None = None,
) -> dict[str, str]:
    """The print layout of each issue as a browser page, keyed by month. One issue's is a function of its
    figures, the register's names, the templates and the settings: kept in memo under their digest.
    bytecode: where the compiled templates are kept (the preview makes a layout at each save)."""
    env = make_environment(templates, edition, cache=bytecode)
    all_figures = compute_all(edition, memo) if all_figures is None else all_figures
    reg = edition.register
    env_key = digest(
        templates_digest(templates),
        repr(edition.settings),
        code_digest(),
        i18n.fingerprint(i18n.of(env)),
        repr((reg.fonds, reg.regions, reg.secteurs, reg.axes, reg.soldes_contributions)),
        stylesheet,
    )
    made = memo.get_all(
        [
            (digest("print-preview", env_key, key), partial(render_print, env, edition, f, preview_css=stylesheet))
            for key, f in zip(figure_keys(all_figures, memo, edition.empreintes), all_figures)
        ]
    )
    return {f.issue.mois: html for f, html in zip(all_figures, made)}


def _issue_data(figures: IssueFigures, register: Register, t: gettext.NullTranslations) -> tuple[str, str]:
    return issue_json(figures, register, t), issue_csv(figures, register, t)


@dataclass(frozen=True, slots=True)
class DataFile:
    uri: str
    content: bytes


def data_files(
    edition: Edition,
    site_url: str | None,
    all_figures: tuple[IssueFigures, ...] | None = None,
    memo: Memo = NO_MEMO,
    workers: int = 1,
    keys: Sequence[str] | None = None,
    translations: gettext.NullTranslations | None = None,
    locale: str = LOCALE,
) -> tuple[DataFile, ...]:
    """Open data beside each issue page, and the Atom feed when the site's public address is known,
    labelled in the words of `translations` (by default, the catalog of `locale`), dates of the feed
    formatted for `locale`.
    An issue's data is a pure function of its figures and the register's names: kept in memo."""
    all_figures = compute_all(edition, memo) if all_figures is None else all_figures
    reg = edition.register
    t = i18n.translations(locale) if translations is None else translations
    # What the data reads from the register beside the figures: names, and the contributions' balance.
    names = digest(
        code_digest(),
        repr((reg.fonds, reg.regions, reg.secteurs, reg.axes, reg.soldes_contributions)),
        i18n.fingerprint(t),
    )
    keys = figure_keys(all_figures, memo, edition.empreintes) if keys is None else keys
    made = memo.get_all(
        [
            (
                digest("issue-data", names, key),
                partial(_issue_data, figures, reg, t),
            )
            for key, figures in zip(keys, all_figures)
        ],
        workers,
    )
    out = []
    for (json_text, csv_text), figures in zip(made, all_figures):
        folder = f"bulletins/{figures.issue.mois}"
        # The CSV text starts with its BOM already: encoding it as plain UTF-8 keeps exactly one.
        out.append(DataFile(f"{folder}/chiffres-cles.json", json_text.encode("utf-8")))
        out.append(DataFile(f"{folder}/chiffres-cles.csv", csv_text.encode("utf-8")))
    if site_url and all_figures:
        out.append(DataFile("feed.xml", atom_feed(edition, all_figures, site_url, t, locale).encode("utf-8")))
    return tuple(out)
