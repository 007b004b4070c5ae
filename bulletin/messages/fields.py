"""The shape of one value: a field missing, unknown, of the wrong kind, out of its list or too large."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..errors import Problem, SourceRef, listing, suggest
from . import number, one_line


def missing_field(src: SourceRef, field: str, expected: str, example: str) -> Problem:
    return Problem(src, field, f"champ obligatoire absent ; attendu {expected}.", f"Ajoutez par exemple : {example}")


def empty_field(src: SourceRef, field: str, expected: str, example: str, holds_lines: bool) -> Problem:
    """`field:` with nothing after it; for a list or a table, the lines meant for it may be under it but
    not indented."""
    below = (
        f" ; si ses lignes sont juste en dessous, décalez-les de deux espaces de plus que « {field}: »"
        if holds_lines
        else ""
    )
    return Problem(
        src, field, f"le champ est là mais vide ; attendu {expected}.", f"Complétez-le, par exemple : {example}{below}."
    )


def misplaced_field(src: SourceRef, field: str, parent: str) -> Problem:
    return Problem(
        src,
        field,
        f"ce champ va sous « {parent} », pas à ce niveau.",
        f"Décalez la ligne vers la droite, de deux espaces de plus que « {parent}: », juste en dessous de lui.",
    )


def unknown_field(src: SourceRef, field: str, allowed: Iterable[str]) -> Problem:
    allowed = list(allowed)
    return Problem(
        src, field, "champ inconnu." + suggest(field, allowed), f"Champs possibles ici : {listing(allowed, 30)}."
    )


def wrong_value(src: SourceRef, field: str, expected: str, found: object, example: str) -> Problem:
    return Problem(src, field, f"attendu {expected}, trouvé « {found} ».", f"Écrivez par exemple : {example}")


# The words not_in_list names that are feminine: « région inconnue », « ajoutez-la ».
_FEMININE = frozenset({"région", "contribution", "devise"})


def not_in_list(
    src: SourceRef, field: str, what: str, found: object, choices: Iterable[str], where: str | None
) -> Problem:
    """`where`: the file whose list the author may add to; None for a closed list (the event types)."""
    choices = list(choices)
    unknown, it = ("inconnue", "la") if what in _FEMININE else ("inconnu", "le")
    if not choices and where is not None:  # nothing to choose from: the list itself is what is missing
        return Problem(src, field, f"{what} « {found} » {unknown} : la liste est vide.", f"Ajoutez-{it} dans {where}.")
    return Problem(
        src,
        field,
        f"{what} « {found} » {unknown}." + suggest(str(found), choices),
        f"Choisissez parmi : {listing(choices)}" + (f" — ou ajoutez-{it} dans {where}." if where else "."),
    )


def duplicate_id(src: SourceRef, field: str, value: str, first: SourceRef) -> Problem:
    return Problem(
        src,
        field,
        f"l'identifiant « {value} » est déjà utilisé ({first}).",
        "Chaque identifiant doit être unique : changez l'un des deux.",
    )


def amount_too_large(src: SourceRef, field: str, found: object, limit: int) -> Problem:
    return Problem(
        src,
        field,
        f"le nombre « {found} » est trop grand (au plus {number(limit - 1)}).",
        "Vérifiez le nombre de chiffres (des chiffres en trop, ou des centimes collés au montant ?) ; "
        "un montant s'écrit en unités, avec un point avant les centimes : 48269.50",
    )


def too_many_decimals(src: SourceRef, field: str, found: object, amount: Decimal) -> Problem:
    """An amount with more than cents: « 48.269 » from a sheet was 48 dollars and a fraction, not 48 269."""
    places = -int(amount.as_tuple().exponent)
    thousands = places == 3 and amount >= 1
    grouped = amount.scaleb(3).to_integral_value()
    return Problem(
        src,
        field,
        f"le montant « {found} » a {places} chiffres après le point : un montant en a au plus deux, les centimes"
        + (" ; ces trois chiffres sont sans doute des milliers." if thousands else "."),
        (f"S'il s'agit de {number(grouped)}, écrivez {grouped} (sans point de milliers) ; " if thousands else "")
        + ("des" if thousands else "Des")
        + " centimes s'écrivent avec deux chiffres : 48269.50",
    )


def url_without_scheme(src: SourceRef, field: str, value: str) -> Problem:
    """A link field naming another site without « https:// »: a browser reads it as a page of this one."""
    full = value if value.startswith("//") else "//" + value
    return Problem(
        src,
        field,
        f"l'adresse « {one_line(value)} » n'a pas de « https:// » : le navigateur la lirait comme une page de "
        "ce site, et le lien ne mènerait nulle part.",
        f"Écrivez l'adresse complète : « {field}: https:{one_line(full)} ».",
    )


def url_without_host(src: SourceRef, field: str, value: str) -> Problem:
    return Problem(
        src,
        field,
        f"l'adresse « {one_line(value)} » ne nomme aucun site.",
        f"Écrivez l'adresse complète, par exemple « {field}: https://minusma.unmissions.org/… ».",
    )


def url_refused(src: SourceRef, field: str, value: str, scheme: str) -> Problem:
    """A link field whose address is not a web page or an e-mail address."""
    return Problem(
        src,
        field,
        f"l'adresse « {one_line(value)} » commence par « {one_line(scheme, 20)}: » ; seules les adresses https://, "
        "http:// et mailto: sont publiées.",
        f"Écrivez l'adresse complète de la page, par exemple « {field}: https://minusma.unmissions.org/… ».",
    )
