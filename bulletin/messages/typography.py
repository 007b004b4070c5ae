"""Authors' messages about the typography of their prose: suggestions `check` prints, never errors.

The build sets spaces, apostrophes and « œ » by itself (bulletin.typography); what it cannot decide
alone, an accent on a capital or the grouping of a number, is suggested here with the corrected form.
"""

from __future__ import annotations

from ..errors import Problem, Severity, SourceRef


def number_grouping(src: SourceRef, typed: str, corrected: str, separator: str) -> Problem:
    """A number in prose grouped with dots, commas or ordinary spaces."""
    why = {
        ".": "le point ne groupe pas les chiffres en français",
        ",": "en français, la virgule marque les décimales (« 1,000 » vaut un, pas mille)",
        " ": "une espace ordinaire peut couper le nombre en fin de ligne",
    }[separator]
    return Problem(
        src,
        typed,
        f"{why}.",
        f"Écrivez « {corrected} », les milliers séparés par une espace fine insécable (copiez-la depuis ce message).",
        Severity.WARNING,
    )


def glyph_missing(src: SourceRef, char: str) -> Problem:
    """A character the print's font does not have: the PDF would show an empty box in its place."""
    return Problem(
        src,
        char,
        f"ce caractère (U+{ord(char):04X}) n'existe pas dans la police du PDF : il y serait imprimé comme un "
        "carré vide.",
        "Retirez-le, ou remplacez-le par un mot (un émoji, une flèche ou un symbole rare viennent souvent d'un "
        "copier-coller).",
        Severity.WARNING,
    )


def capital_accent(src: SourceRef, typed: str, corrected: str) -> Problem:
    """A capital typed without the accent the word always carries."""
    return Problem(
        src, typed, "en français, les majuscules gardent leur accent.", f"Écrivez « {corrected} ».", Severity.WARNING
    )


def capital_after_date(src: SourceRef, typed: str, corrected: str, lead: str, english: bool) -> Problem:
    """A dated event's text that starts with a capital: the page writes the date before it."""
    which = "le texte anglais" if english else "le texte"
    return Problem(
        src,
        typed,
        f"{which} suit la date que la page écrit devant lui (« {lead}{typed}… ») : il continue la phrase.",
        f"Écrivez « {corrected} », avec une minuscule.",
        Severity.WARNING,
    )
