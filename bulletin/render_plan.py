"""Jinja rendering of a work plan: web fragment and print document, from one PlanFigures."""

from __future__ import annotations

from jinja2 import Environment

from .charts import Bar, bar_chart
from .plan_figures import PlanFigures
from .prose import to_html


def _context(env: Environment, figures: PlanFigures) -> dict:
    plan, f = figures.plan, env.filters
    amount = lambda v: f"{f['montant_exact'](v)} {plan.devise}"  # noqa: E731 - a one-line formatter
    accounts = [Bar(f"{a.code} {a.description}" if a.code.isdigit() else a.description, v)
                for a, v in figures.par_compte]
    results = [Bar(f"Résultat {r.result.numero}", r.calcule) for r in figures.resultats]
    return dict(
        plan=plan, fig=figures, resume=to_html(plan.resume, {}),
        chart_accounts=bar_chart(accounts, ident=f"{plan.slug}-comptes", fmt=amount,
                                 title=f"Budget par catégorie de compte ({plan.devise})",
                                 description="; ".join(f"{b.label} : {amount(b.value)}" for b in accounts)),
        chart_results=bar_chart(results, ident=f"{plan.slug}-resultats", fmt=amount, color="#2e7d32",
                                title=f"Budget par résultat ({plan.devise})",
                                description="; ".join(f"{b.label} : {amount(b.value)}" for b in results)))


def render_plan(env: Environment, figures: PlanFigures, pdf=None) -> str:
    """The HTML body of a work plan's web page."""
    return env.get_template("plans/plan.html").render(**_context(env, figures), pdf=pdf, print_edition=False)


def render_plan_print(env: Environment, figures: PlanFigures) -> str:
    """The whole HTML document of a work plan's landscape PDF."""
    return env.get_template("print/plan.html").render(**_context(env, figures), print_edition=True)
