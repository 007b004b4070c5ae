"""Jinja rendering of the pages across issues: one page per fund, one per region, and their indexes."""

from __future__ import annotations

from decimal import Decimal

from jinja2 import Environment

from .archive import RegionView, fund_history
from .charts import Bar, bar_chart
from .figures import IssueFigures
from .models import Edition
from .prose import to_html
from .render import placeholder_values

PRESENTATIONS = {"qip": "qip_presentation", "ff": "ff_presentation", "pbf": "pbf_presentation"}
EVENT_LABELS = {"remise": "remise", "inauguration": "inauguration", "visite": "visite de terrain",
                "lancement": "lancement", "approbation": "approbation", "cloture": "clôture",
                "evaluation": "évaluation"}


def render_fund(env: Environment, edition: Edition, all_figures: tuple[IssueFigures, ...], code: str) -> str:
    """A fund's page: its presentation and key figures from the latest issue, and their evolution."""
    latest = all_figures[-1]
    fund = edition.register.fund(code)
    history = fund_history(all_figures, code)
    bars = [Bar(env.filters["mois_titre"](m.mois), Decimal(m.figures.approuves)) for m in history]
    chart = bar_chart(bars, ident=f"evolution-{code}-graphique", fmt=lambda v: env.filters["nombre"](v),
                      title=f"{fund.sigle} : projets approuvés publiés dans chaque numéro",
                      description="; ".join(f"{b.label} : {int(b.value)} projets" for b in bars))
    presentation = getattr(latest.issue, PRESENTATIONS[code])
    return env.get_template("bulletin/fund.html").render(
        code=code, fund=fund, latest=latest, history=history, chart=chart,
        # a column for each status beside finalised and ongoing, when some issue has such projects
        not_started=any(m.figures.non_demarres for m in history), unknown=any(m.figures.a_confirmer for m in history),
        presentation=to_html(presentation.texte, placeholder_values(latest, env)))


def render_region(env: Environment, edition: Edition, view: RegionView) -> str:
    return env.get_template("bulletin/region.html").render(
        region=view, funds={f.code: f for f in edition.register.fonds}, labels=EVENT_LABELS)


def render_index(env: Environment, title: str, intro: str, entries: list[dict]) -> str:
    return env.get_template("bulletin/index_list.html").render(title=title, intro=intro, entries=entries)
