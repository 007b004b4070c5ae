"""Jinja rendering of a work plan: web fragment and print document, from one PlanFigures."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from . import i18n
from .charts import Bar, bar_chart, bar_list
from .plan_figures import PlanFigures
from .prose import to_html
from .render import PdfLink, typeset

Chart = Callable[..., Markup]  # bar_chart or bar_list: the same keyword arguments


def _context(env: Environment, figures: PlanFigures, chart: Chart = bar_chart) -> dict[str, Any]:
    plan, f, t = figures.plan, env.filters, i18n.of(env)

    def amount(value: Decimal) -> str:
        return f"{f['montant_exact'](value)} {plan.devise}"

    value = t.gettext("%(libelle)s : %(valeur)s")
    accounts = [Bar(f"{a.code} {a.libelle}" if a.code.isdigit() else a.libelle, v) for a, v in figures.par_compte]
    results = [
        Bar(t.gettext("Résultat %(numero)s") % {"numero": r.result.numero}, r.calcule) for r in figures.resultats
    ]
    # Shown above each chart in print too, where the drawing's own <title> is not seen.
    title_accounts = t.gettext("Budget par catégorie de compte (%(devise)s)") % {"devise": plan.devise}
    title_results = t.gettext("Budget par résultat (%(devise)s)") % {"devise": plan.devise}
    return dict(
        title_accounts=title_accounts,
        title_results=title_results,
        plan=plan,
        fig=figures,
        resume=to_html(plan.resume, {}),
        chart_accounts=chart(
            accounts,
            ident=f"{plan.slug}-comptes",
            fmt=amount,
            title=title_accounts,
            label_width=250,
            description="; ".join(value % {"libelle": b.label, "valeur": amount(b.value)} for b in accounts),
        ),
        chart_results=chart(
            results,
            ident=f"{plan.slug}-resultats",
            fmt=amount,
            color="#2e7d32",
            title=title_results,
            description="; ".join(value % {"libelle": b.label, "valeur": amount(b.value)} for b in results),
        ),
    )


def render_plan(env: Environment, figures: PlanFigures, pdf: PdfLink | None = None) -> str:
    """The HTML body of a work plan's web page."""
    # The web page keeps its note on totals and flags lines without an amount, as the check does.
    return env.get_template("plans/plan.html").render(
        **_context(env, figures, bar_list), pdf=pdf, print_edition=False, annotate=True
    )


def render_plan_print(env: Environment, figures: PlanFigures, controle: bool = False) -> str:
    """The whole HTML document of a work plan's landscape PDF.

    The public edition shows the plan as its partner declared it, plus the computed totals; the
    control edition (controle=True) adds the check's annotations: lines without an amount, declared
    sub-totals that differ, and the note comparing every declared figure with its computation.
    """
    # Set in French typography as the web page is (pages.py typesets it): the PDF had straight apostrophes.
    html = env.get_template("print/plan.html").render(**_context(env, figures), print_edition=True, annotate=controle)
    return typeset(env, html)
