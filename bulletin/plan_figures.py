"""Pure computations over a work plan: totals from the budget lines, and declared figures checked against them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .errors import Problem, SourceRef
from .messages import plan as plan_msg
from .plan_models import QUARTERS, Account, Result, WorkPlan

# A declared figure less than one currency unit away from the computed one is a rounding, not an error.
ROUNDING_TOLERANCE = Decimal(1)


@dataclass(frozen=True, slots=True)
class Check:
    """One declared figure against its computation. kind: resultat, total, sous_totaux, financement."""

    kind: str
    declare: Decimal
    calcule: Decimal
    source: SourceRef
    numero: int | None = None

    @property
    def ecart(self) -> Decimal:
        return self.calcule - self.declare

    @property
    def verdict(self) -> str:
        if self.ecart == 0:
            return "accord"
        return "arrondi" if abs(self.ecart) < ROUNDING_TOLERANCE else "ecart"


@dataclass(frozen=True, slots=True)
class ResultFigures:
    result: Result
    calcule: Decimal
    part: Decimal  # share of the computed grand total, 0–1
    sans_montant: tuple[str, ...]  # activities with a line that has no amount


@dataclass(frozen=True, slots=True)
class QuarterFigures:
    trimestre: str
    activites: int
    lignes: int


@dataclass(frozen=True, slots=True)
class PlanFigures:
    plan: WorkPlan
    resultats: tuple[ResultFigures, ...]
    total: Decimal
    par_compte: tuple[tuple[Account, Decimal], ...]  # largest first
    par_trimestre: tuple[QuarterFigures, ...]
    part_financee: Decimal | None
    controles: tuple[Check, ...]
    activites: int
    lignes: int


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def compute_plan(plan: WorkPlan) -> PlanFigures:
    """Every total of a plan, computed from its budget lines only."""
    subtotals = [_sum(line.montant for a in r.activites for line in a.lignes) for r in plan.resultats]
    total = _sum(subtotals)
    results = tuple(
        ResultFigures(
            r,
            s,
            s / total if total else Decimal(0),
            tuple(a.numero for a in r.activites if any(line.montant is None for line in a.lignes)),
        )
        for r, s in zip(plan.resultats, subtotals)
    )
    lines = [line for r in plan.resultats for a in r.activites for line in a.lignes]
    by_account: dict[str, Decimal] = {}
    for line in lines:
        by_account[line.compte] = by_account.get(line.compte, Decimal(0)) + (line.montant or 0)
    activities = [a for r in plan.resultats for a in r.activites]
    quarters = tuple(
        QuarterFigures(
            q, sum(1 for a in activities if q in a.trimestres), sum(1 for line in lines if q in line.trimestres)
        )
        for q in QUARTERS
    )
    funded, declared_total = plan.finance_declare, plan.budget_total_declare
    return PlanFigures(
        plan=plan,
        resultats=results,
        total=total,
        par_compte=tuple(sorted(((plan.comptes[c], v) for c, v in by_account.items()), key=lambda x: -x[1])),
        par_trimestre=quarters,
        part_financee=(funded.valeur / declared_total.valeur) if funded and declared_total else None,
        controles=_checks(plan, results, total),
        activites=len(activities),
        lignes=len(lines),
    )


def _checks(plan: WorkPlan, results: tuple[ResultFigures, ...], total: Decimal) -> tuple[Check, ...]:
    checks = [
        Check(
            "resultat",
            r.result.sous_total_declare,
            r.calcule,
            SourceRef(plan.source.path, r.result.sous_total_ligne),
            r.result.numero,
        )
        for r in results
        if r.result.sous_total_declare is not None
    ]
    if plan.total_declare:
        checks.append(Check("total", plan.total_declare.valeur, total, plan.total_declare.source))
        declared = [r.result.sous_total_declare for r in results]
        if all(d is not None for d in declared):
            checks.append(Check("sous_totaux", plan.total_declare.valeur, _sum(declared), plan.total_declare.source))
    funded, unfunded, budget = plan.finance_declare, plan.non_finance_declare, plan.budget_total_declare
    if funded and unfunded and budget:
        checks.append(Check("financement", budget.valeur, funded.valeur + unfunded.valeur, budget.source))
    return tuple(checks)


def plan_findings(figures: PlanFigures) -> tuple[Problem, ...]:
    """Warnings for the author: each disagreement beyond rounding, and each line without an amount."""
    plan, out = figures.plan, []
    missing = {r.result.numero: r.sans_montant for r in figures.resultats}
    for check in figures.controles:
        if check.verdict != "ecart":
            continue
        if check.kind == "resultat":
            without = missing[check.numero] if check.numero is not None else ()
            hint = (
                f"Ligne sans montant : activité {', '.join(without)}. Complétez-la, ou corrigez le sous-total déclaré."
                if without
                else "Vérifiez les montants des lignes de ce résultat, ou corrigez le sous-total déclaré."
            )
            out.append(
                plan_msg.plan_declared_gap(
                    check.source,
                    "sous_total_declare",
                    f"résultat {check.numero}",
                    check.declare,
                    check.calcule,
                    plan.devise,
                    hint,
                )
            )
        elif check.kind == "total":
            out.append(
                plan_msg.plan_declared_gap(
                    check.source,
                    "total_declare",
                    "total général",
                    check.declare,
                    check.calcule,
                    plan.devise,
                    "L'écart vient des résultats signalés ci-dessus.",
                )
            )
        elif check.kind == "sous_totaux":
            out.append(
                plan_msg.plan_declared_gap(
                    check.source,
                    "total_declare",
                    "total général (somme des sous-totaux déclarés)",
                    check.declare,
                    check.calcule,
                    plan.devise,
                    "Le total déclaré ne fait pas la somme des sous-totaux déclarés.",
                )
            )
        elif check.kind == "financement" and plan.finance_declare and plan.non_finance_declare:
            out.append(
                plan_msg.plan_funding_gap(
                    check.source,
                    plan.finance_declare.valeur,
                    plan.non_finance_declare.valeur,
                    check.declare,
                    plan.devise,
                )
            )
    for result in plan.resultats:
        for activity in result.activites:
            for line in activity.lignes:
                if line.montant is None:
                    out.append(plan_msg.plan_line_without_amount(line.source, activity.numero))
    return tuple(out)
