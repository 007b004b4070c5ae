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
