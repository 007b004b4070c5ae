"""Jinja rendering of the pages across issues: one page per fund, one per region, and their indexes."""

from __future__ import annotations

from decimal import Decimal

from jinja2 import Environment

from . import i18n
from .archive import RegionView, fund_history
from .charts import Bar, bar_list
from .figures import IssueFigures
from .i18n import N_
from .models import Edition
from .prose import to_html
from .render import is_french, placeholder_values

PRESENTATIONS = {"qip": "qip_presentation", "ff": "ff_presentation", "pbf": "pbf_presentation"}
EVENT_LABELS = {
    "remise": N_("remise"),
    "inauguration": N_("inauguration"),
    "visite": N_("visite de terrain"),
    "lancement": N_("lancement"),
    "approbation": N_("approbation"),
    "cloture": N_("clôture"),
    "evaluation": N_("évaluation"),
}


# Each fund's colour, as its headings and key figures wear it (templates/web/assets/stylesheets/bulletin.css):
# the Trust Fund's and the PBF's pages drew their chart in the QIPs' blue.
FUND_COLOURS = {"qip": "#0a6e9e", "ff": "#2e7d32", "pbf": "#a85400"}


def render_fund(
    env: Environment, edition: Edition, all_figures: tuple[IssueFigures, ...], code: str, presenting: int | None = -1
) -> str:
    """A fund's page: its presentation and key figures from the latest issue, and their evolution.
    The presentation is the text of the issue at index `presenting` (the English site: the latest issue
    that has an English edition, never a French text), none when it is None."""
    latest = all_figures[-1]
    fund = edition.register.fund(code)
    history, t = fund_history(all_figures, code), i18n.of(env)
    bars = [Bar(env.filters["mois_titre"](m.mois), Decimal(m.figures.approuves)) for m in history]
    chart = bar_list(
        bars,
        color=FUND_COLOURS.get(code, FUND_COLOURS["qip"]),
        ident=f"evolution-{code}-graphique",
        fmt=lambda v: env.filters["nombre"](v),
        title=t.gettext("%(sigle)s : projets approuvés publiés dans chaque numéro") % {"sigle": fund.sigle},
        description="; ".join(
            t.ngettext("%(mois)s : %(num)s projet", "%(mois)s : %(num)s projets", int(b.value))
            % {"mois": b.label, "num": int(b.value)}
            for b in bars
        ),
    )
    text = getattr(all_figures[presenting].issue, PRESENTATIONS[code]).texte if presenting is not None else None
    return env.get_template("bulletin/fund.html").render(
        code=code,
        fund=fund,
        latest=latest,
        history=history,
        chart=chart,
        # a column for each status beside finalised and ongoing, when some issue has such projects
        not_started=any(m.figures.non_demarres for m in history),
        unknown=any(m.figures.a_confirmer for m in history),
        presentation=to_html(text, placeholder_values(latest, env), french=is_french(env)) if text else None,
    )


def render_region(env: Environment, edition: Edition, view: RegionView) -> str:
    return env.get_template("bulletin/region.html").render(
        region=view,
        funds={f.code: f for f in edition.register.fonds},
        labels={kind: i18n.of(env).gettext(label) for kind, label in EVENT_LABELS.items()},
    )
