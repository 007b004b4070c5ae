"""What `check` suggests about the typography of the authors' prose, without changing it.

The build sets spaces, apostrophes and « œ » itself (bulletin.typography). Two things it must not
decide alone are suggested instead, located and with the corrected form: a capital typed without
its accent in words where the accent is never in doubt (Etat → État), and a number grouped with
dots, commas or ordinary spaces (« 86.000 », « 1,000 », « 1 000 » → « 86 000 » with U+202F).
The grammar of a number as authors type it lives here once: bulletin.checks reads amounts with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .errors import Problem, SourceRef
from .filters import format_day
from .messages import typography as messages
from .models import Prose

NNBSP = "\u202f"

# A whole number as authors type it: thousands grouped by a space (ordinary, no-break or narrow) or a
# dot, or not grouped. bulletin.checks reads the amounts of the prose with it.
NUMBER = r"\d{1,3}(?:[ .\u00a0\u202f]\d{3})+|\d{4,}"
_SEPARATORS = re.compile(r"[ .\u00a0\u202f]")


def number_value(typed: str) -> Decimal:
    """The value of a NUMBER as typed: '86.000' -> 86000, '1 000' -> 1000."""
    return Decimal(_SEPARATORS.sub("", typed))


# A number grouped the way French does not: by dots, English commas or ordinary spaces (one kind in a
# number). A decimal comma after the groups is kept (« 1.000,50 » -> « 1 000,50 »); « 12,4 » or
# « 0,300 » are decimals, not groups.
_MISGROUPED = re.compile(r"(?<![\w.,\u00a0\u202f])[1-9]\d{0,2}([ .,])\d{3}(?:\1\d{3})*(?![\w]|[.,]\d{3})(?:,\d+)?")

# Capitals whose accent is never in doubt; all capitals (« ETAT ») too.
_E_WORDS = (
    "Etat Etats Election Elections Ecole Ecoles Eglise Eglises Equipe Equipes Etude Etudes Evaluation "
    "Evaluations Economie Economique Economiques Education Energie Energies Electricité Elève Elèves "
    "Etablissement Etablissements Evénement Evénements Egalité"
)
_ACCENTED = {word: "É" + word[1:] for word in _E_WORDS.split()}
_ACCENTED |= {word.upper(): fixed.upper() for word, fixed in _ACCENTED.items()}
_CAPITALS = re.compile(r"\b(" + "|".join(sorted(_ACCENTED, key=len, reverse=True)) + r")\b")

# What is not prose: code, addresses, raw HTML tags, the {{ figures }} the build fills in. Each part is
# tried only where it can start (after a space for an e-mail address, not inside a scheme) and stops at
# the first character it cannot hold: a 300 000-character word or a pasted data: address took minutes
# (every start scanned the whole word again), now milliseconds. Fenced code is found apart (_fenced).
_NOT_PROSE = re.compile(
    r"`[^`\n]*`|\{\{[^{}]*\}\}|<[^<>\n]*>|(?<![\w+.-])[A-Za-z][\w+.-]*+://\S+|\bwww\.\S+"
    r"|(?<!\S)\S+@\S+"
)
FENCE = "```"


def _fenced(text: str) -> str:
    """The text with each fenced code block (``` to the next ```) blanked, by one scan."""
    parts, at = [], 0
    while (start := text.find(FENCE, at)) >= 0 and (end := text.find(FENCE, start + 3)) >= 0:
        parts += [text[at:start], "\0" * (end + 3 - start)]
        at = end + 3
    return "".join(parts) + text[at:]


def check_typography(prose: Prose, multiline: bool) -> list[Problem]:
    """Suggestions for the accents of capitals and the grouping of numbers, at the line they are on."""
    text = _NOT_PROSE.sub(lambda m: "\0" * len(m.group(0)), _fenced(prose.texte))
    out = []
    for at, typed, corrected in _findings(text):
        line = prose.source.line
        if multiline and line is not None:
            line += text.count("\n", 0, at)
        where = SourceRef(prose.source.path, line)
        if typed in _ACCENTED:
            out.append(messages.capital_accent(where, typed, corrected))
        else:
            separator = _MISGROUPED.match(typed)
            out.append(messages.number_grouping(where, typed, corrected, separator.group(1) if separator else " "))
    return out


# The print's font (templates/print/fonts): a character none of its faces has is printed as an empty box.
FONTS = Path(__file__).resolve().parent.parent / "templates" / "print" / "fonts"


@lru_cache(maxsize=1)
def printable() -> frozenset[int]:
    """The characters every face of the print's font has (a character only one face has would still fall
    back in the others)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # WeasyPrint's dependency, unstubbed

    maps = [set(TTFont(face, lazy=True).getBestCmap()) for face in sorted(FONTS.glob("*.ttf"))]
    return frozenset(set.intersection(*maps)) if maps else frozenset()


def _plainly_printable(char: str) -> bool:
    """Latin letters, punctuation, spaces and currency signs: what the font surely has, decided without it."""
    code = ord(char)
    return code <= 0x24F or 0x2000 <= code <= 0x206F or 0x20A0 <= code <= 0x20CF or char in "\n\t"


def check_glyphs(prose: Prose, multiline: bool) -> list[Problem]:
    """Each character of the text the print's font does not have, once, at the line where it first is."""
    text = _NOT_PROSE.sub(lambda m: "\0" * len(m.group(0)), _fenced(prose.texte))
    unusual = {c for c in set(text) if not _plainly_printable(c)}
    if not unusual:
        return []
    missing = sorted((text.index(c), c) for c in unusual if ord(c) not in printable())
    out = []
    for at, char in missing:
        line = prose.source.line
        if multiline and line is not None:
            line += text.count("\n", 0, at)
        out.append(messages.glyph_missing(SourceRef(prose.source.path, line), char))
    return out


def _findings(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, as typed, corrected) in the order of the text."""
    found = [(m.start(), m.group(0), _regroup(m)) for m in _MISGROUPED.finditer(text)]
    found += [(m.start(), m.group(0), _ACCENTED[m.group(0)]) for m in _CAPITALS.finditer(text)]
    yield from sorted(found)


def _regroup(match: re.Match[str]) -> str:
    """The number with its groups joined by U+202F, its decimal comma kept."""
    whole, comma, decimals = match.group(0).partition(",") if match.group(1) != "," else (match.group(0), "", "")
    return whole.replace(match.group(1), NNBSP) + comma + decimals


# The words a dated event's text may start with that are never a name: capitalised, they follow the
# date the page writes before the text (« Le 15 novembre, La section… »). A name (MINUSMA, Gao) is left alone.
_COMMON_FIRST = {
    False: frozenset(
        "le la les l un une des du de d ce cet cette ces il elle ils elles on nous dans en au aux à sur lors "
        "suite après avant afin pour par avec son sa ses leur leurs notre nos grâce depuis durant pendant "
        "plusieurs deux trois quatre cinq cela celle celui ceux une".split()
    ),
    True: frozenset(
        "the a an this these that those it they he she we in on at during following after before with his her "
        "their its our as for by from some several two three four five".split()
    ),
}
_FIRST_WORD = re.compile(r"[\s*_]*([^\W\d_]+)(\S*)")


def check_capital_after_date(prose: Prose, english: bool, when: date) -> list[Problem]:
    """A dated event's text begins after « Le 15 novembre, » (« On 15 November, »): a capitalised common
    word there reads « Le 15 novembre, La section… »."""
    match = _FIRST_WORD.match(prose.texte)
    if match is None:
        return []
    word = match.group(1)
    if not (word[0].isupper() and word[1:] == word[1:].lower() and word.lower() in _COMMON_FIRST[english]):
        return []
    typed = word + match.group(2)
    corrected = word[0].lower() + typed[1:]
    day = format_day(when, "en" if english else "fr", year=False)
    lead = f"On {day}, " if english else f"Le {day}, "
    return [messages.capital_after_date(prose.source, typed, corrected, lead, english)]
