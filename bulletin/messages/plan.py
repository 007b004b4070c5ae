"""Work plans: their structure, declared totals against their lines, and their French labels."""

from __future__ import annotations

from decimal import Decimal

from ..errors import Problem, Severity, SourceRef
from . import amount


def wrong_quarter(src: SourceRef, found: object) -> Problem:
    return Problem(
        src,
        "trimestres",
        f"trimestre « {found} » inconnu ; attendu T1, T2, T3 ou T4.",
        "Écrivez par exemple : trimestres: [T1, T2]",
    )


def no_activity(src: SourceRef, numero: object) -> Problem:
    return Problem(
        src,
        "activites",
        f"le résultat {numero} n'a aucune activité.",
        "Ajoutez au moins une activité avec ses lignes budgétaires, ou retirez le résultat.",
    )


def no_line(src: SourceRef, numero: object) -> Problem:
    return Problem(
        src,
        "lignes",
        f"l'activité {numero} n'a aucune ligne budgétaire.",
        'Ajoutez par exemple : lignes: [{responsable: PNUD, compte: "75700", montant: 20000}]',
    )


def plan_declared_gap(
    src: SourceRef, field: str, what: str, declared: Decimal, computed: Decimal, currency: str, hint: str
) -> Problem:
    gap = computed - declared
    return Problem(
        src,
        field,
        f"{what} : le document déclare {amount(declared, currency)}, les lignes totalisent "
        f"{amount(computed, currency)} (écart : {'+' if gap > 0 else '−'}{amount(abs(gap), currency)}).",
        hint,
        Severity.WARNING,
    )


def plan_line_without_amount(src: SourceRef, activity: str) -> Problem:
    return Problem(
        src,
        "montant",
        f"la ligne de l'activité {activity} n'a pas de montant ; elle ne compte pas dans les totaux.",
        "Ajoutez le montant s'il est connu ; sinon laissez la ligne telle quelle (le plan publié le signale).",
        Severity.WARNING,
    )


def plan_funding_gap(src: SourceRef, funded: Decimal, unfunded: Decimal, total: Decimal, currency: str) -> Problem:
    return Problem(
        src,
        "budget_total_declare",
        f"financé ({amount(funded, currency)}) plus non financé "
        f"({amount(unfunded, currency)}) ne font pas le budget total déclaré ({amount(total, currency)}).",
        "Vérifiez les trois montants déclarés en bas du plan.",
        Severity.WARNING,
    )


def plan_account_untranslated(src: SourceRef, code: str, label: str) -> Problem:
    return Problem(
        src,
        "libelle_fr",
        f"le compte {code} « {label} » n'a pas de libellé français : le plan publié l'imprime en anglais.",
        f"Ajoutez sa traduction à côté de la description, par exemple : "
        f'{{code: "{code}", description: {label}, libelle_fr: ...}}',
        Severity.WARNING,
    )


def plan_role_untranslated(src: SourceRef, name: str, role: str) -> Problem:
    return Problem(
        src,
        "role_fr",
        f"le rôle du signataire {name} (« {role} ») semble en anglais et n'a pas de "
        "forme française : le plan publié l'imprime tel quel.",
        f"Ajoutez-la à côté du rôle d'origine, par exemple : {{nom: {name}, role: {role}, role_fr: ...}}",
        Severity.WARNING,
    )
