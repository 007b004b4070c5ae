"""Series checks across issues: a cumulative figure of a fund never goes down from one issue to a later one.

The figures compared are the issues' open data (`opendata.key_figures`), so a figure added there is
checked here as soon as its indicator is listed in CUMULATIVE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from .errors import Problem
from .figures import IssueFigures
from .filters import format_day, format_decimal_amount
from .messages import publication as publication_msg
from .models import Issue, Milestones, Register
from .opendata import KeyFigure, key_figures
from .register import balance_in_force, in_force

LOCALE = "fr"
# Indicators that only add up over time: finalised, approved in total, their amount, the trust
# fund's budget (contributions received) and its contributors. Ongoing projects go up and down.
CUMULATIVE = ("projets_finalises", "projets_approuves", "montant", "budget", "contributeurs")


def check_series(all_figures: Sequence[IssueFigures], register: Register) -> list[Problem]:
    """A warning for each cumulative figure lower in an issue than in the issue before it."""
    return check_points([(f.issue, cumulative(f, register)) for f in all_figures], register)


def cumulative(
    figures: IssueFigures, register: Register, keys: Sequence[KeyFigure] | None = None
) -> dict[str, KeyFigure]:
    """An issue's cumulative key figures, by fund and indicator: what the series compare (kept per issue
    with its other checks, bulletin/validate.py). `keys`: key_figures(figures, register), when known."""
    keys = key_figures(figures, register) if keys is None else keys
    return {f"{k.fonds}.{k.indicateur}": k for k in keys if k.indicateur in CUMULATIVE}


def check_points(points: Sequence[tuple[Issue, Mapping[str, KeyFigure]]], register: Register) -> list[Problem]:
    """check_series on each issue's cumulative figures (`cumulative`)."""
    out: list[Problem] = []
    previous: Mapping[str, KeyFigure] = {}
    previous_issue: Issue | None = None
    for issue, current in sorted(points, key=lambda point: point[0].mois):
        for key, k in current.items():
            before = previous.get(key)
            if (
                before is None
                or previous_issue is None
                or before.valeur is None
                or k.valeur is None
                or k.valeur >= before.valeur
            ):
                continue
            if before.devise != k.devise:
                continue
            fund = register.fund(k.fonds).sigle if any(f.code == k.fonds for f in register.fonds) else k.fonds
            where = issue.date_source or issue.source
            out.append(
                publication_msg.series_decrease(
                    where,
                    f"« {k.libelle} » ({fund})",
                    _point(previous_issue.mois, before),
                    _point(issue.mois, k),
                    _explain(register, k.fonds, k.indicateur, before.date_reference, k.date_reference),
                )
            )
        previous, previous_issue = current, issue
    return out


def _point(month: str, k: KeyFigure) -> str:
    assert k.valeur is not None, "only figures with a value are compared"
    value = format_decimal_amount(k.valeur, LOCALE) + (f" {k.devise}" if k.devise else "")
    return f"numéro {month}, au {format_day(k.date_reference, LOCALE)} : {value}"


def _explain(register: Register, fund: str, indicator: str, earlier: date, later: date) -> list[str]:
    """The opening balances in force at both dates, and the entries dated between them."""
    out = []
    if indicator in ("budget", "contributeurs"):
        for day in (earlier, later):
            s = in_force(register.soldes_contributions, day)
            out.append(
                f"au {format_day(day, LOCALE)} : "
                + (
                    f"solde des contributions du "
                    f"{format_day(s.date, LOCALE)} ({s.source}), {format_decimal_amount(s.montant.montant, LOCALE)} "
                    f"{s.montant.devise}, {len(s.bailleurs)} bailleurs"
                    if s
                    else "aucun solde des contributions"
                )
            )
        out += [
            f"{c.source} — contribution {c.id}, reçue le {format_day(received, LOCALE)}"
            for c in register.contributions
            if (received := c.recue) and earlier < received <= later
        ]
        return out
    for day in (earlier, later):
        b = balance_in_force(register, fund, day)
        out.append(
            f"au {format_day(day, LOCALE)} : "
            + (
                f"solde d'ouverture du {format_day(b.date, LOCALE)} ({b.source}) : {b.finalises} finalisés, "
                f"{b.en_cours} en cours"
                + (f", {format_decimal_amount(b.montant.montant, LOCALE)} {b.montant.devise}" if b.montant else "")
                if b
                else "aucun solde d'ouverture"
            )
        )
    out += [
        f"{register.where(p)} — projet {p.id} : {_milestones(p.jalons, earlier, later)}"
        for p in register.projets
        if p.fonds == fund and _milestones(p.jalons, earlier, later)
    ]
    return out


def _milestones(j: Milestones, earlier: date, later: date) -> str:
    dated: Mapping[str, date | None] = {
        "approbation": j.approbation,
        "debut": j.debut,
        "remise": j.remise,
        "cloture": j.cloture,
    }
    return ", ".join(f"{name} le {format_day(d, LOCALE)}" for name, d in dated.items() if d and earlier < d <= later)
