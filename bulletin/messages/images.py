"""Pictures: photos and the logo."""

from __future__ import annotations

from ..errors import Problem, SourceRef


def photo_unreadable(src: SourceRef, name: str, detail: str) -> Problem:
    return Problem(
        src,
        "fichier",
        f"la photo « {name} » ne peut pas être lue ({detail}).",
        "Enregistrez-la à nouveau en JPEG ou PNG depuis votre logiciel de photos.",
    )


def photo_too_big(src: SourceRef, name: str, size: str) -> Problem:
    return Problem(
        src,
        "fichier",
        f"la photo « {name} » est trop grande ({size}).",
        "Réduisez-la à 3000 pixels de large au plus (JPEG, qualité 85) avant de l'ajouter.",
    )


def photo_outside(src: SourceRef, name: str) -> Problem:
    return Problem(
        src,
        "fichier",
        f"la photo « {name} » est hors du dossier du numéro (chemin absolu, « .. » ou "
        "lien symbolique qui mène ailleurs) : le bulletin ne publie que les fichiers du numéro.",
        "Copiez la photo dans le dossier du numéro, à côté de bulletin.yaml, et écrivez seulement son "
        "nom : fichier: couture-kidal.jpg",
    )


def logo_outside(src: SourceRef, name: str) -> Problem:
    return Problem(
        src,
        "fichier",
        f"le logo « {name} » est hors du dossier content/ (chemin absolu, « .. » ou lien "
        "symbolique qui mène ailleurs) : la publication ne lit rien ailleurs.",
        "Copiez le logo dans content/identite/ et écrivez son chemin depuis content/ : fichier: identite/logo.svg",
    )


def logo_unreadable(src: SourceRef, name: str) -> Problem:
    return Problem(
        src,
        "fichier",
        f"le logo « {name} » ne peut pas être lu : un logo est un fichier SVG, PNG ou JPEG.",
        "Enregistrez-le à nouveau en SVG (de préférence) ou en PNG, puis corrigez le nom du fichier.",
    )


def logo_too_big(src: SourceRef, name: str, size: str) -> Problem:
    return Problem(
        src,
        "fichier",
        f"le logo « {name} » est trop grand ({size}) : il est imprimé sur quelques centimètres.",
        "Enregistrez-le à 1 000 pixels de côté au plus, ou en SVG.",
    )


def logo_unsafe(src: SourceRef, name: str, what: str) -> Problem:
    """A logo is published as its file: one that runs or fetches something would do it on the site."""
    return Problem(
        src,
        "fichier",
        f"le logo « {name} » contient {what} : le site le publierait tel quel, et un lecteur qui l'ouvre "
        "l'exécuterait.",
        "Exportez le logo à nouveau depuis le logiciel de dessin, en SVG simple (sans script ni lien) ou en PNG.",
    )
