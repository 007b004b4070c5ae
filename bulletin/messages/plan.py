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


def plan_file_name(src: SourceRef, name: str, suggestion: str) -> Problem:
    """A plan's file name is its page's address: a space, « # » or « ? » there broke every link to it."""
    return Problem(
        src,
        "",
        f"le nom du fichier « {name} » devient l'adresse de la page du plan : il ne peut contenir que des "
        "lettres sans accent, des chiffres, des tirets et des soulignements (une espace, un point, « # » ou "
        "« ? » y casseraient les liens).",
        f"Renommez le fichier, par exemple « {suggestion} ».",
    )


def plan_file_not_read(src: SourceRef, name: str) -> Problem:
    """A plan saved as .yml: not read, without a word."""
    return Problem(
        src,
        "",
        f"le fichier « {name} » n'est pas lu : seuls les fichiers en « .yaml » sont des plans de travail.",
        f"Renommez-le « {name.rsplit('.', 1)[0]}.yaml ».",
        Severity.WARNING,
    )


def plan_period_order(src: SourceRef, start: object, end: object) -> Problem:
    """« Période du 31 décembre 2024 au 1er janvier 2024 » was printed (an adversarial review)."""
    return Problem(
        src,
        "fin",
        f"la fin de la période ({end}) précède son début ({start}).",
        "Vérifiez les deux dates : « debut » est le premier jour du plan, « fin » le dernier.",
    )


def plan_year_outside(src: SourceRef, year: int, start: object, end: object) -> Problem:
    """« Plan de travail 1850 » for a plan of 2024: the title prints the year."""
    return Problem(
        src,
        "annee",
        f"l'année {year} n'est pas celle de la période du plan ({start} – {end}) ; le titre de sa page l'imprime.",
        "Écrivez l'année du plan, celle de sa période.",
    )


def plan_duplicate_number(src: SourceRef, what: str, number: object, first: SourceRef) -> Problem:
    """Two results, or two activities, under one number: the page and its totals would mix them."""
    return Problem(
        src,
        "numero",
        f"le numéro « {number} » est déjà celui {'d’une autre' if what == 'activité' else 'd’un autre'} {what} "
        f"({first}).",
        f"Donnez à chaque {what} son propre numéro.",
    )
