"""Print typography: keep the PDF engine's automatic hyphenation away from names and codes.

WeasyPrint hyphenates every word of a `hyphens: auto` block with the French dictionary, which splits
acronyms and proper nouns (« MINUS-MA », « Ki-dal », « Luxem-bourg »): a French editor never does.
The engine cannot tell a name from a common word, so the print HTML marks them: every word of the
body text that holds a capital letter, a digit or an « @ » is wrapped in `<span class="nh">`, which the
print stylesheet sets to `hyphens: manual` (and keeps on one line when it is short). Registered names
all start with a capital, so this covers the regions, places, donors and partners of the register.
"""

from __future__ import annotations

import re

# A tag, a comment, or an entity: left exactly as they are.
_MARKUP = re.compile(r"(<!--.*?-->|<[^>]*>|&#?\w+;)", re.DOTALL)
# A word: letters, digits, apostrophes and inner hyphens or dots; protected when it holds a capital,
# a digit or an @ (acronyms, names, codes such as QIP-2017-01, e-mail addresses).
_WORD = re.compile(r"[\w@’'\-/]*[A-ZÀ-ÖØ-Þ0-9@][\w@’'\-/]*(?:\.\w[\w@’'\-/]*)*")
# Text inside these elements is never laid out as body text, or must not change (an HTML span inside
# an SVG <text> would make the engine drop the whole drawing).
_RAW = ("head", "style", "script", "title", "pre", "code", "svg")
_OPEN = re.compile(r"<(/?)(\w+)")
# A longer name may still break at its own hyphens or slashes rather than overflow a column.
NOWRAP_MAX = 24
# Shorter words are below the stylesheet's hyphenate-limit-chars anyway: no span needed.
SHORTEST = 5


def protect_names(html: str) -> str:
    """Wrap the capitalised words, acronyms and codes of the body text so they are never hyphenated.

    >>> protect_names("<body><p>La MINUSMA à Kidal, le 2 novembre ; QIP-2017-01.</p></body>")
    '<body><p>La <span class="nh">MINUSMA</span> à <span class="nh">Kidal</span>, le 2 novembre ; <span class="nh">QIP-2017-01</span>.</p></body>'
    >>> protect_names('<body><a href="Tombouctou">Tombouctou</a></body>')
    '<body><a href="Tombouctou"><span class="nh">Tombouctou</span></a></body>'
    >>> protect_names('<body><svg><text>Tombouctou</text></svg> Tombouctou</body>')
    '<body><svg><text>Tombouctou</text></svg> <span class="nh">Tombouctou</span></body>'
    """
    out: list[str] = []
    raw_depth = 0
    for piece in _MARKUP.split(html):
        if not piece:
            continue
        if piece.startswith("<"):
            tag = _OPEN.match(piece)
            if tag and tag.group(2).lower() in _RAW and not piece.endswith("/>"):
                raw_depth += -1 if tag.group(1) else 1
            out.append(piece)
        elif piece.startswith("&") or raw_depth > 0:
            out.append(piece)
        else:
            out.append(_WORD.sub(_wrap, piece))
    return "".join(out)


def _wrap(match: re.Match[str]) -> str:
    word = match.group(0)
    if len(word) < SHORTEST:
        return word
    kind = "nh" if len(word) <= NOWRAP_MAX else "nh long"
    return f'<span class="{kind}">{word}</span>'
