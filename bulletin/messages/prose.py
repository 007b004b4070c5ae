"""Long texts: placeholders, amounts typed in prose, markup and files the published page cannot carry."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..errors import Problem, Severity, SourceRef, listing, suggest
from . import number


def unknown_placeholder(src: SourceRef, name: str, known: Iterable[str]) -> Problem:
    known = list(known)
    return Problem(
        src,
        "{{ " + name + " }}",
        "ce chiffre calculé n'existe pas." + suggest(name, known),
        f"Chiffres disponibles ici : {listing(known, 30)}.",
    )


def malformed_placeholder(src: SourceRef, typed: str, known: Iterable[str]) -> Problem:
    """« {{ » that starts no figure's name: published as typed, braces and all."""
    known = list(known)
    return Problem(
        src,
        typed,
        "ce n'est pas un chiffre calculé : entre « {{ » et « }} » vient seulement le nom d'un chiffre, "
        "sans calcul ni filtre ; tel quel, le texte serait publié avec ses accolades.",
        f"Écrivez par exemple {{{{ {known[0] if known else 'qip.total'} }}}} ; chiffres disponibles ici : "
        f"{listing(known, 30)}.",
    )


def front_matter(src: SourceRef) -> Problem:
    """Lines « clé: valeur » between two « --- » at the top of a text: a web page's header, read nowhere."""
    return Problem(
        src,
        "---",
        "ce texte commence par un en-tête entre deux lignes « --- » : il n'est pas lu, et la page "
        "publiée le montrerait tel quel, comme un titre.",
        "Retirez ces lignes, de la première « --- » à la seconde comprise : les réglages d'un numéro "
        "s'écrivent dans son bulletin.yaml.",
    )


def template_statement(src: SourceRef, typed: str) -> Problem:
    """« {% … %} » or « {# … #} » in a text: template syntax, read nowhere, published as typed."""
    return Problem(
        src,
        typed,
        "les instructions entre « {% » et « %} » (ou « {# » et « #} ») ne sont pas lues dans un texte : "
        "elles seraient publiées telles quelles, accolades comprises.",
        "Retirez-les. Pour un chiffre calculé, écrivez seulement son nom entre doubles accolades, par "
        "exemple {{ qip.total }} ; pour montrer ces signes tels quels, mettez-les entre accents graves (`{% %}`).",
    )


def prose_amount(src: SourceRef, typed_text: str, project_id: str, typed: object, registered: Decimal) -> Problem:
    return Problem(
        src,
        "texte",
        f"le texte annonce « {typed_text} » mais le registre indique {number(registered)} "
        f"pour le projet « {project_id} ».",
        "Corrigez le texte ou le registre — ou mieux, écrivez "
        "{{ projet.montant }} : le montant du registre s'y inscrira.",
        Severity.WARNING,
    )


def prose_amount_other_currency(
    src: SourceRef, typed_text: str, what: str, registered: Decimal, currency: str
) -> Problem:
    """An amount typed in prose in another currency than the register's, or a different figure."""
    return Problem(
        src,
        "texte",
        f"le texte annonce « {typed_text} » mais le registre indique {number(registered)} {currency} pour {what}.",
        "Corrigez le texte ou le registre — ou mieux, écrivez {{ projet.montant }} (ou "
        "{{ contribution.montant }}) : le montant du registre s'y inscrira, avec sa conversion.",
        Severity.WARNING,
    )


def prose_contribution_amount(
    src: SourceRef, typed_text: str, contribution_id: str, typed: object, registered: Decimal, currency: str
) -> Problem:
    return Problem(
        src,
        "texte",
        f"le texte annonce « {typed_text} » mais le registre indique {number(registered)} "
        f"{currency} pour la contribution « {contribution_id} ».",
        "Corrigez le texte ou le registre (content/registre/contributions.yaml) — ou mieux, écrivez "
        "{{ contribution.montant }} : le montant du registre s'y inscrira.",
        Severity.WARNING,
    )


_RESOURCE_LABELS = {
    "img": "l'image",
    "image": "l'image",
    "source": "l'image",
    "input": "l'image",
    "attachment": "la pièce jointe",
    "style": "le fichier appelé par un style",
}


_RESOURCE_REASONS = {
    "remote": "est l'adresse d'un autre site : le site et le PDF ne chargent rien depuis un autre site",
    "outside": "désigne un fichier hors du dossier du texte : le bulletin ne lit rien ailleurs",
    "missing": "est introuvable dans le dossier du texte",
    "inside": "ne peut pas figurer dans un texte",
}


PROSE_PICTURE_FIX = (
    "du texte : un texte contient des mots, des liens et des tableaux. Une photo se place dans le "
    "bloc « photo » d'une réunion, d'un événement ou d'une contribution (guide de l'auteur, "
    "« Une photo »)."
)


def prose_resource(src: SourceRef, tag: str, url: str, where: str) -> Problem:
    """A picture, stylesheet, embedded object or attachment in prose (bulletin/sandbox.py says where it points)."""
    label = _RESOURCE_LABELS.get(tag, f"le fichier appelé par <{tag}>")
    reason = "ne peut pas être jointe au PDF" if tag == "attachment" and where == "inside" else _RESOURCE_REASONS[where]
    pronoun = "la" if label.startswith(("l'image", "la ")) else "le"
    # A pasted picture (data:image/png;base64,…) is hundreds of thousands of characters: its start says what it is.
    shown = url if len(url) <= 400 else f"{url[:60]}…{url[-40:]} ({len(url)} caractères)"
    return Problem(src, "", f"{label} « {shown} » {reason}.", f"Retirez-{pronoun} {PROSE_PICTURE_FIX}")


def markup_refused(src: SourceRef, what: str, feminine: bool = False) -> Problem:
    """Markup the published page cannot carry: it would run, frame, submit, redirect or fetch."""
    e, it = ("e", "elle") if feminine else ("", "il")
    return Problem(
        src,
        "",
        f"{what} n'est pas permis{e} dans un texte publié : la page ne peut ni exécuter de "
        f"script, ni inclure un autre site, ni envoyer un formulaire ; {it} serait retiré{e}.",
        f"Retirez-{'la' if feminine else 'le'}. Un lien s'écrit [texte](https://…) ou <https://…> ; une "
        "adresse commence par https://, http://, mailto: ou est relative (voir « Les textes longs » dans "
        "le guide de l'auteur).",
    )


def markup_dropped(src: SourceRef, what: str, feminine: bool = False) -> Problem:
    """Markup outside the allow-list whose text is kept: the author should know it is gone."""
    e = "e" if feminine else ""
    return Problem(
        src,
        "",
        f"{what} sera retiré{e} de la page publiée (le texte autour est gardé).",
        f"Retirez-{'la' if feminine else 'le'}, ou écrivez la même chose en Markdown (**gras**, "
        "*italique*, listes, tableaux, liens) : voir « Les textes longs » dans le guide de l'auteur.",
        Severity.WARNING,
    )


def text_too_long(src: SourceRef, length: int, limit: int, whole: bool) -> Problem:
    """A paragraph or a text no prose has: a pasted picture, a link repeated thousands of times (Markdown
    reads some in a time that grows with the square of their length: minutes)."""
    what, kind = ("ce texte", "d'un texte de bulletin") if whole else ("ce paragraphe", "d'un paragraphe, même long")
    return Problem(
        src,
        "",
        f"{what} fait {number(length)} caractères, plus que les {number(limit)} {kind} : il n'est pas lu "
        "(une image collée dans le texte, un copier-coller répété ?).",
        "Coupez-le en paragraphes plus courts, séparés par une ligne vide ; une photo se place dans le bloc "
        "« photo » d'une réunion, d'un événement ou d'une contribution (guide de l'auteur, « Une photo »).",
    )


def nested_too_deep(src: SourceRef, depth: int, limit: int) -> Problem:
    """Quotes or lists nested far past anything a page shows: the print engine cannot lay them out."""
    return Problem(
        src,
        "",
        f"ce texte imbrique {number(depth)} citations ou listes les unes dans les autres (« > > > … », "
        f"« - - - … ») ; au-delà de {number(limit)}, le PDF ne peut pas être mis en page.",
        "Gardez un ou deux niveaux : une citation commence par un seul « > », une liste par un seul « - ».",
    )
