"""Jinja rendering of the web fragments. Templates print prepared values through Babel filters."""

from __future__ import annotations

import base64
import datetime
import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import i18n
from .charts import Bar, bar_chart, bar_list
from .figures import IssueFigures, axis_share, located_share
from .filters import make_filters
from .hyphenation import protect_names
from .images import plan_variants
from .models import Edition, Issue, Item, Logo, Money, Photo, Project, Prose
from .prose import to_html
from .publication import erratum_lines
from .typography import set_html

LOCALE = "fr"


def make_environment(
    templates: Path,
    edition: Edition,
    locale: str = LOCALE,
    cache: Path | None = None,
    translations: gettext.NullTranslations | None = None,
) -> Environment:
    """One environment per build and locale: strict about undefined names, escaping by default.

    translations: the reader's words (bulletin/i18n.py); by default the catalog of `locale`.
    With a cache folder, compiled templates are kept between runs (Jinja checks their source).
    """
    bytecode = None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        bytecode = FileSystemBytecodeCache(str(cache))
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        undefined=StrictUndefined,
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode,
    )
    t = i18n.translations(locale) if translations is None else translations
    i18n.install(env, t)
    env.filters.update(make_filters(edition.settings.devises, locale, t))
    env.globals["publication"] = edition.settings
    env.globals["lang"] = locale.replace("_", "-")  # BCP 47, for the lang attributes of pages and PDFs
    return env


@dataclass(frozen=True, slots=True)
class PhotoView:
    src: str  # beside the web page
    uri: str  # the full-resolution file, for the PDF engine
    alt: str
    legende: str
    credit: str
    largeur: int
    hauteur: int
    webp: str = ""  # srcset of the web variants
    jpeg: str = ""
    fallback: str = ""  # the middle JPEG, for browsers without srcset


@dataclass(frozen=True, slots=True)
class ItemView:
    """An item ready to print: its prose turned to HTML with figures filled in."""

    id: str
    numero: int
    html: Markup
    type: str | None
    date: datetime.date | None
    projet: Project | None
    lien: str | None
    photo: PhotoView | None = None


@dataclass(frozen=True, slots=True)
class IssueLink:
    mois: str
    href: str


@dataclass(frozen=True, slots=True)
class PdfLink:
    href: str
    taille: int  # bytes


def placeholder_values(figures: IssueFigures, env: Environment) -> dict[str, str]:
    """The formatted value of every {{ name }} an author may write in an issue."""
    f, t = env.filters, i18n.of(env)
    qip_fund = figures.fonds["qip"]
    months, pbf_projects = qip_fund.duree_max_mois or 0, figures.pbf.approuves
    return {
        "qip.plafond": f["montant"](qip_fund.plafond) if qip_fund.plafond else "",
        "qip.duree_max": t.ngettext("%(num)s\u00a0mois", "%(num)s\u00a0mois", months) % {"num": f["nombre"](months)},
        "qip.finalises": f["nombre"](figures.qip.finalises),
        "qip.en_cours": f["nombre"](figures.qip.en_cours),
        "qip.total": f["nombre"](figures.qip.approuves),
        "qip.montant": f["millions"](figures.qip.montant) if figures.qip.montant else "",
        "ff.contributeurs": f["enumeration"](figures.contributions.contributeurs),
        "ff.budget": f["millions"](figures.contributions.budget) if figures.contributions.budget else "",
        "ff.cout": f["montant"](figures.ff.montant) if figures.ff.montant else "",
        "ff.finalises": f["nombre"](figures.ff.finalises),
        "ff.en_cours": f["nombre"](figures.ff.en_cours),
        "ff.approuves": f["nombre"](figures.ff.approuves),
        "pbf.projets": t.ngettext("%(num)s\u00a0projet", "%(num)s\u00a0projets", pbf_projects)
        % {"num": f["nombre"](pbf_projects)},
        "pbf.montant": f["montant"](figures.pbf.montant) if figures.pbf.montant else "",
        "pbf.montant_millions": f["millions"](figures.pbf.montant) if figures.pbf.montant else "",
        "pbf.prolonges": f["nombre"](figures.pbf_phase.prolonges),
    }


def _item_views(
    items: tuple[Item, ...], figures: IssueFigures, env: Environment, base: Mapping[str, str]
) -> tuple[ItemView, ...]:
    f, t = env.filters, i18n.of(env)
    out = []
    for n, item in enumerate(items, start=1):
        values = dict(base)
        project = figures.projets.get(item.projet) if item.projet else None
        if project and project.montant:
            values["projet.montant"] = f["montant"](project.montant)
        if project:
            values["projet.titre"] = project.titre
        contribution = figures.contributions_citees.get(item.contribution) if item.contribution else None
        if contribution:
            values["contribution.montant"] = f["montant"](contribution.montant)
            values["contribution.montant_millions"] = f["millions"](contribution.montant)
            values["contribution.bailleur"] = contribution.bailleur
        # The prose goes on after the lead: « Le 30 octobre, l'équipe… ».
        lead = t.gettext("Le %(jour)s, ") % {"jour": f["jour_mois"](item.date)} if item.date else ""
        link = item.lien or (project.lien if project else None) or (contribution.lien if contribution else None)
        photo = _photo_view(item.photo) if item.photo else None
        out.append(
            ItemView(
                item.id,
                n,
                to_html(item.texte.texte, values, lead, is_french(env)),
                item.type,
                item.date,
                project,
                link,
                photo,
            )
        )
    return tuple(out)


def _photo_view(photo: Photo) -> PhotoView:
    variants = plan_variants(photo.fichier.name, photo.largeur, photo.hauteur)
    # Addresses, not file names: « Kidal été #1 ?.jpg » was read as a page, an anchor and a query, and a
    # space or a comma splits a srcset (found by an adversarial review). The files keep their names.
    srcset = {
        mime: ", ".join(f"{quote(v.name)} {v.width}w" for v in variants if v.mime == mime)
        for mime in ("image/webp", "image/jpeg")
    }
    jpegs = [v for v in variants if v.mime == "image/jpeg"]
    return PhotoView(
        quote(photo.fichier.name),
        photo.fichier.resolve().as_uri(),
        photo.texte_alternatif,
        photo.legende,
        photo.credit,
        photo.largeur,
        photo.hauteur,
        srcset["image/webp"],
        srcset["image/jpeg"],
        quote(jpegs[len(jpegs) // 2].name),
    )


def _prose(p: Prose | None, values: Mapping[str, str], french: bool = True) -> Markup | None:
    return to_html(p.texte, values, french=french) if p else None


def is_french(env: Environment) -> bool:
    """Whether the environment writes French (its lang), hence French typography."""
    return str(env.globals["lang"]).startswith("fr")


def _issue_context(env: Environment, edition: Edition, figures: IssueFigures, web: bool = False) -> dict[str, Any]:
    """What both editions of an issue print: prepared items, prose and figures."""
    issue = figures.issue
    values = placeholder_values(figures, env)
    return dict(
        issue=issue,
        fig=figures,
        coordination=_item_views(issue.coordination, figures, env, values),
        qip_faits=_item_views(issue.qip_faits, figures, env, values),
        ff_faits=_item_views(issue.ff_faits, figures, env, values),
        ff_contributions=_item_views(issue.ff_contributions, figures, env, values),
        texts={
            name: _prose(getattr(issue, name), values, is_french(env))
            for name in ("qip_presentation", "ff_presentation", "pbf_presentation", "role", "remerciements")
        },
        approvals_intro=_prose(issue.ff_approbations.introduction, values, is_french(env)),
        approvals_outro=_prose(issue.ff_approbations.conclusion, values, is_french(env)),
        pbf_projects=[figures.projets[p] for p in issue.pbf_projets],
        carte=_photo_view(issue.carte) if issue.carte else None,
        rectificatifs=erratum_lines(
            figures,
            edition.register,
            edition.settings.devises,
            i18n.of(env),
            edition.settings.devise_par_defaut,
            str(env.globals["lang"]).replace("-", "_"),  # back to the Babel locale the environment was made for
        ),
        **_shares(figures),
        **_charts(env, figures, bar_list if web else bar_chart),
    )


def _shares(figures: IssueFigures) -> dict[str, Any]:
    """What part of the whole the region and axis breakdowns cover, for the sentences that say it."""
    axes = axis_share(figures)
    currency = figures.ff.montant.devise if figures.ff.montant else "USD"
    return dict(
        share_regions=located_share(figures.regions),
        share_axes=axes,
        share_axes_money=(Money(Decimal(axes.couverts), currency), Money(Decimal(axes.total), currency)),
    )


def _charts(env: Environment, figures: IssueFigures, chart: Callable[..., Markup] = bar_chart) -> dict[str, Any]:
    """The issue's two charts, drawn from the figures the tables beside them print (chart: bar_list on the web)."""
    f, t, day = env.filters, i18n.of(env), env.filters["jour"](figures.issue.date_reference)
    value = t.gettext("%(libelle)s : %(valeur)s")
    regions = [Bar(row.nom, Decimal(row.total)) for row in figures.regions.lignes]
    axes = [Bar(name, amount) for name, amount in figures.ff_axes_montants]
    currency = figures.ff.montant.devise if figures.ff.montant else "USD"

    def money(v: Decimal) -> str:
        return str(f["montant"](Money(v, currency)))

    return dict(
        chart_regions=chart(
            regions,
            ident="graphique-regions",
            fmt=lambda v: f["nombre"](v),
            title=t.gettext("Projets localisés par région, au %(jour)s") % {"jour": day},
            description="; ".join(value % {"libelle": b.label, "valeur": int(b.value)} for b in regions),
        ),
        chart_axes=chart(
            axes,
            ident="graphique-axes",
            fmt=money,
            color="#2e7d32",
            title=t.gettext("Fonds fiduciaire : coût des projets approuvés, par axe, au %(jour)s") % {"jour": day},
            description="; ".join(value % {"libelle": b.label, "valeur": money(b.value)} for b in axes),
        ),
    )


def render_issue(
    env: Environment,
    edition: Edition,
    figures: IssueFigures,
    previous: IssueLink | None,
    following: IssueLink | None,
    pdf: PdfLink | None = None,
    preview: bool = False,
) -> str:
    """The HTML body of one issue page on the web (in the preview, with a link to the print layout)."""
    return typeset(
        env,
        env.get_template("bulletin/issue.html").render(
            **_issue_context(env, edition, figures, web=True),
            previous=previous,
            following=following,
            pdf=pdf,
            print_edition=False,
            preview=preview,
        ),
    )


def render_french_only(env: Environment, figures: IssueFigures, french_href: str) -> str:
    """The page of an issue that has no text in the page's language: says so, links the French page
    (french_href, relative to the page) and gives the issue's key figures, never its French texts."""
    return typeset(
        env,
        env.get_template("bulletin/french_only.html").render(issue=figures.issue, fig=figures, french_href=french_href),
    )


def typeset(env: Environment, html: str) -> str:
    """The page's text in French typography, the templates' sentences as the authors' prose (already set):
    a template, and its translations, keep ordinary spaces before « ; » and inside « ». An English page
    (the environment's lang) is left as written: English puts no space before « : »."""
    return set_html(html) if is_french(env) else html


def typeset_made(env: Environment, render: Callable[[], str]) -> str:
    """render() typeset: for a page made in a worker process or kept in a memo, typeset once, there."""
    return typeset(env, render())


@dataclass(frozen=True, slots=True)
class LogoView:
    src: str  # a data: URL: the print engine reads only templates/ and the issue's folder (bulletin/sandbox.py)
    alt: str


_LOGO_MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def logo_view(logo: Logo | None) -> LogoView | None:
    """The logo embedded in the document itself, so that no PDF needs to read outside its issue."""
    if logo is None:
        return None
    data = base64.b64encode(logo.fichier.read_bytes()).decode("ascii")
    return LogoView(f"data:{_LOGO_MIME[logo.fichier.suffix.lower()]};base64,{data}", logo.texte_alternatif)


def render_print(
    env: Environment, edition: Edition, figures: IssueFigures, imprimeur: bool = False, preview_css: str | None = None
) -> str:
    """The whole HTML document handed to the PDF engine for one issue.

    With preview_css, the same document for a browser: stylesheet at that URL, pictures beside the page.
    """
    regions, t = [row.nom for row in figures.regions.lignes], i18n.of(env)
    keywords = [
        edition.settings.mission,
        "Mali",
        t.gettext("Stabilisation et Relèvement"),
        "QIP",
        t.gettext("Fonds fiduciaire"),
        "PBF",
        env.filters["mois"](figures.issue.mois),
        *regions,
    ]
    return protect_names(
        typeset(
            env,
            env.get_template("print/issue.html").render(
                **_issue_context(env, edition, figures),
                keywords=keywords,
                imprimeur=imprimeur,
                logo=logo_view(edition.settings.logo),
                print_edition=preview_css is None,
                stylesheet=preview_css or "print.css",
                preview=preview_css is not None,
            ),
        )
    )


def render_home(
    env: Environment,
    edition: Edition,
    latest: IssueFigures,
    issues_by_year: tuple[tuple[int, tuple[IssueLink, ...]], ...],
    pdf: PdfLink | None = None,
    plans: list[Any] | None = None,
    french_href: str | None = None,
) -> str:
    """The home page: the latest issue's highlights and key figures, every issue, then the work plans.
    With french_href (the latest issue has no text in the page's language), a link to its French page
    in place of its highlights."""
    return typeset(
        env,
        env.get_template("bulletin/home.html").render(
            issue=latest.issue,
            fig=latest,
            latest_href=f"bulletins/{latest.issue.mois}/",
            issues_by_year=issues_by_year,
            pdf=pdf,
            plans=plans or [],
            french_href=french_href,
        ),
    )


def group_by_year(issues: tuple[Issue, ...], prefix: str) -> tuple[tuple[int, tuple[IssueLink, ...]], ...]:
    """Issues grouped by year, newest first, with links relative to the page they appear on."""
    years: dict[int, list[IssueLink]] = {}
    for issue in sorted(issues, key=lambda i: i.mois, reverse=True):
        years.setdefault(int(issue.mois[:4]), []).append(IssueLink(issue.mois, f"{prefix}{issue.mois}/"))
    return tuple((y, tuple(links)) for y, links in years.items())
