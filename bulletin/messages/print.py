"""The PDF engine."""

from __future__ import annotations

from ..errors import BUILD


def print_fetch_failed(url: str, refused: bool) -> str:
    """The PDF engine met a file it may not read (check should have said so first) or could not read."""
    why = (
        "hors des dossiers que le PDF peut lire (le dossier du numéro et templates/)"
        if refused
        else "introuvable ou illisible"
    )
    return f"le fichier « {url} » est {why} ; lancez « {BUILD} check » pour savoir quel texte le demande"


def print_engine_stopped(site_path: str, code: int | None) -> str:
    """The process laying out a PDF ended without answering (killed, out of memory, crashed)."""
    killed = " : arrêté par le système, peut-être faute de mémoire" if code == -9 else ""
    shown = "inconnu" if code is None else str(code)
    return (
        f"le PDF {site_path} n'a pas pu être produit : le processus qui le mettait en page s'est arrêté sans "
        f"répondre (code {shown}{killed}). Relancez la commande ; le PDF précédent reste en place."
    )
