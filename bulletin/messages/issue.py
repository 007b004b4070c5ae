"""One issue against the register: what it cites, its period, its sections and the figures it would print."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import Problem, Severity, SourceRef, listing, suggest
from . import number, one_line


def unknown_project(src: SourceRef, field: str, project_id: str, known: Iterable[str]) -> Problem:
    return Problem(
        src,
        field,
        f"le projet « {project_id} » n'existe pas dans le registre." + suggest(project_id, known),
        "Ajoutez le projet dans content/registre/projets/ ou corrigez son identifiant.",
    )


def wrong_fund(src: SourceRef, project_id: str, fund: str, expected: str) -> Problem:
    return Problem(
        src,
        "projet",
        f"le projet « {project_id} » relève du fonds « {fund} », pas du fonds « {expected} » de cette rubrique.",
        "Déplacez l'élément dans la rubrique de son fonds, ou corrigez l'identifiant.",
    )


def date_outside_period(src: SourceRef, field: str, found: object, start: str, end: str) -> Problem:
    return Problem(
        src,
        field,
        f"la date {found} est hors de la période du bulletin ({start} – {end}).",
        "Corrigez la date, ou élargissez la période du bulletin avec "
        "« periode: {debut: AAAA-MM-JJ, fin: AAAA-MM-JJ} » dans bulletin.yaml.",
    )


def milestone_missing(
    src: SourceRef, project_id: str, kind: str, when: object, registered: object, project: SourceRef
) -> Problem:
    if registered:
        return Problem(
            src,
            "type",
            f"le registre date la {kind} du projet « {project_id} » du {registered} ({project}), pas du {when}.",
            "Corrigez la date de l'événement, ou celle du registre si c'est elle qui est fausse.",
        )
    return Problem(
        src,
        "type",
        f"le registre n'indique pas de {kind} du projet « {project_id} » le {when}.",
        f"Ajoutez « {kind}: {when} » dans les jalons du projet ({project}), "
        "ou corrigez la date ou le type de l'événement.",
    )


def dangling_reference(src: SourceRef, field: str, target: str, known: Iterable[str]) -> Problem:
    known = list(known)
    return Problem(
        src,
        field,
        f"aucun élément du bulletin ne porte l'identifiant « {target} »." + suggest(target, known),
        f"Identifiants disponibles dans ce bulletin : {listing(known)}.",
    )


def no_balance(src: SourceRef, fund: str, when: object) -> Problem:
    return Problem(
        src,
        "date_reference",
        f"aucun solde d'ouverture du fonds « {fund} » n'est antérieur au {when}.",
        "Ajoutez un solde daté dans content/registre/soldes.yaml, ou corrigez la date de référence.",
    )


def folder_name(src: SourceRef, found: str, mois: str) -> Problem:
    return Problem(
        src,
        "mois",
        f"le dossier « {found} » ne correspond pas au mois « {mois} ».",
        "Le dossier d'un bulletin porte le nom de son mois (AAAA-MM) : renommez l'un ou l'autre.",
    )


def empty_section(src: SourceRef, field: str) -> Problem:
    return Problem(
        src,
        field,
        "cette rubrique du mois est vide.",
        "Ajoutez ses éléments (voir l'exemple en commentaire), ou laissez-la vide si le mois n'en a pas : "
        "la page l'omettra.",
        Severity.WARNING,
    )


def no_balance_for_issue(
    src: SourceRef, fund: str, when: object, first_date: object, first: SourceRef, field: str
) -> Problem:
    """An issue dated before every opening balance of a fund: its totals would leave out the whole history."""
    return Problem(
        src,
        field,
        f"aucun solde d'ouverture des {fund} n'est daté du {when} ou d'avant (le premier est "
        f"du {first_date}, {first}) : les chiffres cumulés de ce numéro laisseraient de côté tous les "
        "projets antérieurs, connus seulement par ce solde.",
        f"Ajoutez dans content/registre/soldes.yaml un solde des {fund} daté du {when} ou d'avant "
        f"(nombre de projets finalisés, en cours, montant, source) ; ou, si la date est une faute de "
        f"frappe, corrigez « {field} ».",
    )


def contribution_balance_missing(src: SourceRef, when: object, first_date: object, first: SourceRef) -> Problem:
    return Problem(
        src,
        "date_reference",
        f"aucun solde d'ouverture des contributions au Fonds fiduciaire n'est "
        f"daté du {when} ou d'avant (le premier est du {first_date}, {first}) : le budget du fonds "
        "laisserait de côté toutes les contributions antérieures.",
        f"Ajoutez dans content/registre/soldes.yaml, sous « contributions », un solde daté du {when} ou "
        "d'avant (montant, bailleurs, source) ; ou, si la date est une faute de frappe, corrigez "
        "« date_reference ».",
    )


def fund_amount_unknown(src: SourceRef, field: str, sigle: str, when: object, balance: SourceRef | None) -> Problem:
    if balance is None:
        what = f"aucun solde d'ouverture du fonds « {sigle} » n'est daté du {when} ou d'avant"
    else:
        what = f"le solde d'ouverture du fonds « {sigle} » en vigueur au {when} ({balance}) n'a pas de montant"
    return Problem(
        src,
        field,
        f"{what}, et aucun projet détaillé de ce fonds n'a de montant à cette date : le "
        "bulletin ne peut pas imprimer le montant de ses projets.",
        "Ajoutez un solde daté, avec son montant, dans content/registre/soldes.yaml (le fichier a-t-il "
        "été vidé ou coupé ?), ou corrigez la date de référence.",
    )


def budget_unknown(src: SourceRef, field: str, when: object) -> Problem:
    return Problem(
        src,
        field,
        f"aucun solde de contributions ni aucune contribution reçue n'est daté du {when} ou "
        "d'avant : le bulletin ne peut pas imprimer le budget du Fonds fiduciaire.",
        "Ajoutez un solde daté sous « contributions » dans content/registre/soldes.yaml (le fichier "
        "a-t-il été vidé ou coupé ?), ou une contribution reçue dans content/registre/contributions.yaml, "
        "ou corrigez la date de référence.",
    )


def figure_too_large(src: SourceRef, month: str, label: str, value: object, limit: object) -> Problem:
    """A total or a converted amount the issue would print is beyond what the register accepts."""
    return Problem(
        src,
        "date_reference",
        f"le numéro {month} imprimerait « {label} » = {value}, au-delà de la "
        f"limite des montants ({limit}) : un montant, un solde ou un taux du registre est sans doute faux.",
        "Vérifiez les montants et les taux (content/registre/taux.yaml) qui entrent dans ce chiffre.",
    )


def listed_twice(src: SourceRef, field: str, project_id: str, first: SourceRef) -> Problem:
    """A project named twice in one list: it would be printed, and counted, twice."""
    return Problem(
        src,
        field,
        f"le projet « {project_id} » est déjà cité dans cette liste ({first}).",
        "Supprimez la ligne en double : chaque projet ne figure qu'une fois.",
    )


def missing_english(src: SourceRef, field: str) -> Problem:
    return Problem(
        src,
        field,
        "ce texte n'a pas encore sa traduction anglaise, alors que ce numéro a une édition anglaise.",
        "Ajoutez le texte anglais à côté du français (« texte_en: » sous « texte: », ou un fichier « .en.md » "
        "à côté du « .md ») : voir le guide, « L'édition anglaise ». En attendant, la page anglaise montre le "
        "texte français.",
        Severity.WARNING,
    )


def missing_english_new_issue(missing: list[tuple[SourceRef, str]], first: str) -> Problem:
    """The texts of a French-only issue published after the English edition began (`first`, its month in
    words):
    one warning for the issue, at its first text, naming each text at its line (one warning per text made
    a month just created by `nouveau` a list of a dozen identical warnings above the others)."""
    missing = sorted(missing, key=lambda pair: (str(pair[0].path), pair[0].line or 0))
    src = missing[0][0]

    def named(ref: SourceRef, field: str) -> str:
        place = ref.path.name + " " if ref.path != src.path else ""
        return f"« {field} » ({place}ligne {ref.line})" if ref.line is not None else f"« {field} »"

    if len(missing) == 1:
        field, waiting = missing[0][1], "ce texte attend sa traduction"
    else:
        field, waiting = (
            "",
            f"ses {len(missing)} textes attendent leur traduction : "
            + ", ".join(named(ref, key) for ref, key in missing),
        )
    return Problem(
        src,
        field,
        f"ce numéro n'a pas encore d'édition anglaise, alors que le bulletin paraît aussi en anglais depuis "
        f"{first} : {waiting}.",
        "Ajoutez le texte anglais à côté du français (« texte_en: » sous « texte: », ou un fichier « .en.md » "
        "à côté du « .md ») : voir le guide, « L'édition anglaise ». En attendant, le site anglais annonce ce "
        "numéro « en français seulement », avec ses chiffres et un lien vers la page française.",
        Severity.WARNING,
    )


def highlight_too_long(src: SourceRef, field: str, length: int, limit: int) -> Problem:
    return Problem(
        src,
        field,
        f"un fait saillant tient en une ou deux lignes de la une : celui-ci a {length} caractères ({limit} au plus).",
        "Raccourcissez-le à l'essentiel ; le détail va dans la rubrique, où « renvoi » mène le lecteur.",
    )


def too_many_highlights(src: SourceRef, count: int, limit: int) -> Problem:
    return Problem(
        src,
        "faits_saillants",
        f"{count} faits saillants : la une en présente {limit} au plus.",
        "Gardez les plus importants ; les autres restent dans leurs rubriques.",
    )


def highlights_too_long(src: SourceRef, total: int, limit: int, english: bool) -> Problem:
    which = "textes anglais (« texte_en »)" if english else "textes"
    return Problem(
        src,
        "faits_saillants",
        f"les {which} des faits saillants font ensemble {number(total)} caractères : la une en tient {limit} au plus.",
        "Raccourcissez-les, ou gardez les plus importants ; le détail va dans les rubriques.",
    )


def text_empty(src: SourceRef, key: str, name: str) -> Problem:
    return Problem(
        src,
        "",
        f"le fichier « {name} » (« {key} ») est vide : sa rubrique paraîtrait sans texte.",
        "Écrivez le texte de la rubrique (copiez celui du mois précédent s'il ne change pas).",
        Severity.WARNING,
    )


def email_wrong(src: SourceRef, value: str) -> Problem:
    return Problem(
        src,
        "courriel",
        f"« {one_line(value)} » n'est pas une adresse électronique : le lien « écrire à » ne mènerait nulle part.",
        "Écrivez l'adresse complète, par exemple « courriel: prenom.nom@un.org ».",
    )
