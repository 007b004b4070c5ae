"""Starting a new issue from the previous one (« nouveau »)."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import BUILD, Problem, SourceRef


def new_issue_exists(src: SourceRef, mois: str) -> Problem:
    return Problem(
        src,
        "",
        f"le numéro {mois} existe déjà : rien n'a été modifié.",
        f"Pour continuer ce numéro, modifiez directement son bulletin.yaml. Pour repartir de zéro, "
        f"déplacez d'abord ce dossier hors de bulletins/ (pour en garder une copie) ou "
        f"supprimez-le, puis relancez : {BUILD} nouveau {mois}",
    )


def no_issue_to_copy(src: SourceRef) -> Problem:
    return Problem(
        src,
        "",
        "aucun numéro existant à reprendre (aucun dossier AAAA-MM contenant bulletin.yaml).",
        "« nouveau » part du numéro précédent : vérifiez le dossier donné avec --content, ou créez "
        "le premier numéro à la main en suivant le guide de l'auteur.",
    )


def new_issue_report(folder: SourceRef, source: str, copied: Iterable[str], options: str) -> str:
    """What `nouveau` made, and what to run next (with the same --content, if one was given)."""
    steps = (
        (f"{BUILD} check{options}", "vérifie le contenu (les rubriques encore vides sont signalées)"),
        (f"{BUILD} serve{options}", "aperçu en direct sur http://127.0.0.1:8000/"),
        (f"{BUILD}{options}", "construit le site et les PDF"),
    )
    width = max(len(command) for command, _ in steps)
    return "\n".join(
        [
            f"Numéro créé : {folder}/ (à partir du numéro {source})",
            "  bulletin.yaml : ours rempli, parties stables reprises, rubriques du mois vides "
            "(un exemple en commentaire au-dessus de chacune)",
            f"  copiés tels quels : {', '.join(copied) or 'aucun fichier'}",
            "",
            "Ensuite :",
            f"  1. Remplissez les rubriques du mois dans {folder}/bulletin.yaml et relisez les textes .md.",
            *(f"  {n}. {command.ljust(width)}   {what}" for n, (command, what) in enumerate(steps, start=2)),
        ]
    )
