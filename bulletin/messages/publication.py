"""The publication record of an issue, its errata, and the series of published figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..errors import BUILD, Problem, Severity, SourceRef, listing, suggest


def record_damaged(src: SourceRef, expected: str, month: str) -> Problem:
    return Problem(
        src,
        "",
        f"le registre de publication est abîmé : attendu {expected}.",
        f"Ce fichier s'écrit avec « {BUILD} publier {month} », jamais à la main : reprenez sa version "
        "précédente dans l'historique (git), sans le modifier.",
    )


def published_figures_moved(
    src: SourceRef, month: str, published_on: str, changes: Sequence[str], entries: Sequence[str], keys: Sequence[str]
) -> Problem:
    moved = "\n".join(f"      {line}" for line in changes)
    why = (
        ("\n    Entrées du registre qui les font bouger :\n" + "\n".join(f"      {e}" for e in entries))
        if entries
        else "\n    Aucune entrée du registre comptée par le numéro n'a changé de statut ni de montant : "
        + (
            "un projet a sans doute changé de région (« regions » dans le registre)."
            if any(k == "regions" or k.startswith("regions.") for k in keys)
            else "le numéro lui-même a sans doute changé (un fait, un projet ou une contribution ajouté ou retiré "
            "de son bulletin.yaml, ou une date de référence déplacée), ou le calcul de ses chiffres."
        )
    )
    return Problem(
        src,
        "",
        f"le numéro {month}, publié le {published_on}, a imprimé des chiffres que le registre "
        f"change désormais (publié → calculé) :\n{moved}{why}",
        "Si le registre est faux, corrigez-le. S'il est juste, ajoutez au numéro (bulletin.yaml) un "
        "rectificatif daté, puis enregistrez-le :\n"
        "        rectificatifs:\n          - date: AAAA-MM-JJ\n            motif: ce qui a été corrigé\n"
        f"            chiffres: [{', '.join(keys)}]\n"
        f"      puis : {BUILD} publier {month}",
    )


def erratum_on_draft(src: SourceRef, month: str) -> Problem:
    return Problem(
        src,
        "rectificatifs",
        f"le numéro {month} n'est pas publié : il n'a rien à rectifier (ses "
        "chiffres suivent le registre jusqu'à sa publication).",
        f"Retirez le rectificatif ; ou, si le numéro a bien paru, enregistrez d'abord sa publication : "
        f"{BUILD} publier {month} --le AAAA-MM-JJ",
    )


def erratum_not_recorded(src: SourceRef, month: str, day: str) -> Problem:
    return Problem(
        src,
        "rectificatifs",
        f"le rectificatif du {day} n'est pas encore enregistré dans "
        "publie.yaml : tant qu'il ne l'est pas, les chiffres qu'il nomme ne sont pas gardés.",
        f"Relisez la page du numéro, puis enregistrez-le : {BUILD} publier {month}",
        Severity.WARNING,
    )


def erratum_removed(src: SourceRef, month: str, day: str, motif: str) -> Problem:
    return Problem(
        src,
        "rectificatifs",
        f"le rectificatif du {day} (« {motif} ») est enregistré pour le numéro "
        f"{month} mais ne figure plus dans son bulletin.yaml.",
        "Un rectificatif publié reste publié : remettez-le dans « rectificatifs » de bulletin.yaml "
        "(même date ; le motif peut être reformulé).",
    )


def erratum_before_publication(src: SourceRef, day: str, published_on: str) -> Problem:
    return Problem(
        src,
        "date",
        f"le rectificatif est daté du {day}, avant la publication du numéro ({published_on}).",
        "Datez le rectificatif du jour où vous le publiez.",
    )


def unknown_published_figure(src: SourceRef, name: str, known: Iterable[str]) -> Problem:
    known = list(known)
    return Problem(
        src,
        "chiffres",
        f"le chiffre « {name} » n'est pas un chiffre publié par ce numéro." + suggest(name, known),
        f"Chiffres possibles (ceux de chiffres-cles.json) : {listing(known, 14)}.",
    )


def series_decrease(src: SourceRef, what: str, earlier: str, later: str, explanations: Sequence[str]) -> Problem:
    why = "\n".join(f"      {e}" for e in explanations)
    return Problem(
        src,
        "date_reference",
        f"{what} baisse d'un numéro au suivant, alors qu'il ne fait que "
        f"s'additionner :\n      {earlier}\n      {later}\n    Ce qui l'explique :\n{why}",
        "Vérifiez le solde d'ouverture et les projets nommés : un solde plus récent doit reprendre "
        "tout ce que le précédent comptait (moins les projets détaillés qui y entrent). Si la baisse "
        "est juste (une erreur corrigée), dites-le dans le texte du numéro ; un numéro déjà publié "
        "se corrige par un rectificatif.",
        Severity.WARNING,
    )


def already_published(month: str, published_on: str) -> str:
    return (
        f"Le numéro {month} est publié depuis le {published_on} : sa date de publication ne change pas.\n"
        f"    → Pour corriger un chiffre, ajoutez un rectificatif dans bulletin.yaml, puis lancez "
        f"{BUILD} publier {month} (sans --le)."
    )


def published_before_its_figures(month: str, published_on: str, reference: str, given: bool) -> str:
    """A publication day before the day the issue's figures are counted at: a typo in --le (once recorded,
    a publication day never changes), or publier run before the month is over."""
    when = f"le {published_on}" if given else f"aujourd'hui ({published_on})"
    return (
        f"Le numéro {month} ne peut pas être publié {when} : ses chiffres sont arrêtés au {reference}, plus tard. "
        "Rien n'a été enregistré.\n"
        f"    → Donnez le jour où le numéro a paru, à partir du {reference} : "
        f"{BUILD} publier {month} --le AAAA-MM-JJ"
    )


def published_in_the_future(month: str, published_on: str, today: str) -> str:
    return (
        f"Le numéro {month} ne peut pas être publié le {published_on} : ce jour n'est pas encore venu (nous "
        f"sommes le {today}). Rien n'a été enregistré.\n"
        f"    → Lancez publier le jour où le numéro paraît, ou donnez ce jour s'il est passé : "
        f"{BUILD} publier {month} --le AAAA-MM-JJ"
    )


def nothing_to_record(month: str, published_on: str) -> str:
    return (
        f"Le numéro {month} est publié depuis le {published_on} et tous ses rectificatifs sont enregistrés : "
        "rien à faire."
    )


def published_report(record: SourceRef, month: str, published_on: str, errata: int) -> str:
    """errata: how many errata the record now holds, 0 when the issue is recorded as published for the first time."""
    if errata:
        recorded = "Rectificatif enregistré" if errata == 1 else "Rectificatifs enregistrés"
        return (
            f"{recorded} pour le numéro {month} dans {record} : les chiffres corrigés sont "
            "désormais ceux que le numéro garde."
        )
    return (
        f"Numéro {month} enregistré comme publié le {published_on} dans {record}, et ajouté à la liste des "
        "numéros publiés (publies.yaml, à côté des numéros).\n"
        "  Ajoutez ces deux fichiers au contenu (git) avec le numéro. Désormais, si le registre change un "
        "chiffre de ce numéro, check et la construction s'arrêtent et disent lesquels."
    )


def listed_report(ledger: SourceRef, months: Sequence[str]) -> str:
    return (
        f"Liste des numéros publiés écrite : {ledger} ({', '.join(months)}) ; leurs chiffres et leurs "
        "registres de publication ne changent pas.\n"
        "  Ajoutez ce fichier au contenu (git). Désormais, si le publie.yaml d'un de ces numéros disparaît, "
        "check et la construction s'arrêtent."
    )


# --- the list of published issues (content/bulletins/publies.yaml) ------------------------------


def ledger_damaged(src: SourceRef, expected: str, found: str) -> Problem:
    return Problem(
        src,
        "",
        f"la liste des numéros publiés est abîmée : attendu {expected}, trouvé {found}.",
        f"Ce fichier s'écrit avec « {BUILD} publier AAAA-MM », une ligne « AAAA-MM: AAAA-MM-JJ » par "
        "numéro publié : reprenez sa version précédente dans l'historique (git), ou corrigez la ligne.",
    )


def published_issue_removed(src: SourceRef, month: str, published_on: str, folder: str) -> Problem:
    return Problem(
        src,
        month,
        f"le numéro {month}, publié le {published_on}, n'a plus de dossier {folder}.",
        "Un numéro publié reste dans les archives : remettez son dossier (sauvegarde, historique git).",
    )


def record_missing(src: SourceRef, month: str, published_on: str, record: str) -> Problem:
    return Problem(
        src,
        month,
        f"le numéro {month} a été publié le {published_on}, mais son registre de publication {record} "
        "manque : ses chiffres publiés suivraient le registre, sans rectificatif ni message.",
        "Remettez ce publie.yaml (sauvegarde, historique git), sans le modifier. Si le numéro n'a "
        "jamais paru, retirez aussi sa ligne de cette liste (ou le fichier, si c'est sa seule ligne).",
    )


def ledger_date_differs(src: SourceRef, month: str, listed: str, recorded: str, record: str) -> Problem:
    return Problem(
        src,
        month,
        f"le numéro {month} est publié le {listed} d'après cette liste, le {recorded} d'après {record}.",
        "L'un des deux fichiers a été modifié à la main : reprenez sa version précédente dans l'historique (git).",
    )


def record_not_listed(src: SourceRef, month: str, published_on: str, ledger: str) -> Problem:
    return Problem(
        src,
        "",
        f"le numéro {month}, publié le {published_on}, n'est pas dans la liste des numéros publiés {ledger} : "
        "si ce publie.yaml disparaissait, personne ne le verrait.",
        f"Lancez « {BUILD} publier {month} » : la liste reprend chaque numéro qui a un publie.yaml, rien "
        "d'autre ne change.",
        Severity.WARNING,
    )


def ledger_missing(src: SourceRef, months: Sequence[str]) -> Problem:
    return Problem(
        src,
        "",
        f"les numéros publiés ({', '.join(months)}) ne sont pas dans une liste des numéros publiés "
        "(publies.yaml) : un publie.yaml supprimé par erreur rendrait ses chiffres modifiables sans "
        "rectificatif, et personne ne le verrait.",
        f"Écrivez la liste : « {BUILD} publier {months[-1]} » y met chaque numéro qui a un publie.yaml ; "
        "les chiffres et les dates ne changent pas.",
        Severity.WARNING,
    )


def printed_date_changed(
    src: SourceRef, key: str, month: str, published: str | None, was: str | None, now: str | None, iso: str
) -> Problem:
    """A published issue's reference date (« Au 30 novembre 2017 » on every figure) changed."""
    return Problem(
        src,
        key,
        f"le numéro {month}, publié le {published}, a imprimé ses chiffres au {was} ; cette date ne peut plus "
        f"changer (trouvé : {now or 'aucune'}).",
        f"Remettez « {key.split(': ')[-1]}: {iso} ». Un chiffre faux se corrige par un rectificatif daté, "
        "pas en changeant la date.",
    )
