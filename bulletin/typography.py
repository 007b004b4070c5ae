"""French typography of the authors' prose: the spaces, apostrophes and ligatures a typesetter sets.

Authors type on a keyboard: « Gao : », « malnutrition; », «Faim zéro», « l'Etat », « oeuvre ».
The pass sets what a French typesetter would, on the text only, never on the markup:

- a narrow no-break space (U+202F) before « ; ! ? », before « » » and after « « »;
- a no-break space (U+00A0) before « : »;
- the typographic apostrophe (’) for a straight one after a letter (« l'État » → « l’État »);
- « œ » in a short list of words (oeuvre, coeur, soeur, voeu, oeil, oeuf, boeuf, noeud, moeurs);
- a run of ordinary spaces as one space.

Nothing changes inside code (`code`, `pre`, `kbd`, `samp`), in a visible address (https://…,
www.…, mailto:…, an e-mail address) or between digits (10:30, 3:1). The pass is idempotent: a text already
set is left as it is. What it must not decide alone (accents on capitals, grouping of numbers) is
left to `check`, as suggestions (bulletin.typography_checks).

No maintained Python library does this for HTML with U+202F (french-typo 1.6, the only French one,
writes `&nbsp;` everywhere, only where a space was typed, rewrites units and ordinals, and does not
skip code or addresses), hence this module.

>>> set_text("Gao : «Faim zéro» ; l'oeuvre!") == (
...     "Gao\u00a0: «\u202fFaim zéro\u202f»\u202f; l’œuvre\u202f!")
True
>>> set_html('<p>Voir <a href="https://x.org/?a=1;b">https://x.org/?a=1;b</a> à 10:30 ; <code>a;b</code></p>')
'<p>Voir <a href="https://x.org/?a=1;b">https://x.org/?a=1;b</a> à 10:30\u202f; <code>a;b</code></p>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

NBSP = "\u00a0"
NNBSP = "\u202f"

# Stand-ins in the flat text the rules read (Unicode private use: never in an author's text):
# a block's edge, across which no rule looks, and an element whose text is never touched (code),
# which the rules see as a word.
_EDGE = "\ue000"
_OPAQUE = "\ue001"

# A tag as nh3 writes it (quoted attributes, comments stripped): a `>` may sit inside a quoted value.
_TAG = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
_PROTECTED = frozenset(("code", "pre", "kbd", "samp", "script", "style", "svg", "math", "textarea"))
_BLOCKS = frozenset((
    "p", "br", "hr", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "blockquote", "figure", "figcaption", "section",
    "article", "header", "footer", "nav", "aside", "body", "html", "head", "title",
))

# What the rules never touch: visible addresses, any `scheme:` followed by text without a space
# (https://…, mailto:…, javascript:…; their trailing punctuation is the sentence's), e-mail addresses,
# and digits joined by a colon (times, ratios, scores).
_UNTOUCHABLE = re.compile(
    r"(?:\b[A-Za-z][A-Za-z0-9+.-]*:(?=[^\s\d\ue000\ue001])|\bwww\.)"
    r"[^\s<>«»\"\ue000\ue001]*[^\s<>«»\"\ue000\ue001.,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\d+(?::\d+)+")

_SPACES = r"[^\S\ue000]*"   # any run of white space (ordinary, no-break, narrow, line break), maybe empty
_WORDLIKE = r"[^\s\ue000;:!?«(\[{]"   # what a « ; : ! ? » may follow: a word, a closing sign, code

_LIGATURES = re.compile(r"(oeuvr|coeur|soeur|voeu|oeil|boeuf|oeuf|noeud|moeurs)", re.IGNORECASE)


@dataclass(slots=True)
class _Flat:
    """The text of a fragment as one string, each character tagged with the text node it comes from."""

    chars: list[str] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)   # index of the text node; -1 for a stand-in
    locked: list[bool] = field(default_factory=list)

    def add(self, text: str, owner: int) -> None:
        self.chars.extend(text)
        self.owner.extend([owner] * len(text))
        self.locked.extend([owner < 0] * len(text))

    def text(self) -> str:
        return "".join(self.chars)

    def lock(self, pattern: re.Pattern[str]) -> None:
        for match in pattern.finditer(self.text()):
            self.locked[match.start():match.end()] = [True] * (match.end() - match.start())

    def replace(self, pattern: re.Pattern[str], new: Callable[[re.Match[str]], str], sign: int) -> None:
        """Replace group 1 of each match of `pattern` unless it, or the sign it is for, is locked.

        `sign` is where that sign stands: 1 just after the group (« ; » after its space), -1 just
        before (« « » before its space), 0 inside. New characters belong to the sign's text node (a
        space inserted before « ; » goes where the « ; » is, outside the bold before it).
        """
        text = self.text()
        chars: list[str] = []
        owner: list[int] = []
        locked: list[bool] = []
        at = 0
        for match in pattern.finditer(text):
            start, end = match.span(1)
            near = end if sign > 0 else start - 1 if sign < 0 else start
            if any(self.locked[start:end]) or self.locked[near]:
                continue
            replacement = new(match)
            if replacement == text[start:end]:
                continue
            who = self.owner[near] if sign else self.owner[start]
            chars += self.chars[at:start] + list(replacement)
            owner += self.owner[at:start] + [who] * len(replacement)
            locked += self.locked[at:start] + [False] * len(replacement)
            at = end
        self.chars = chars + self.chars[at:]
        self.owner = owner + self.owner[at:]
        self.locked = locked + self.locked[at:]


def _ligature(match: re.Match[str]) -> str:
    word = match.group(0)
    at = word.lower().index("oe")
    return word[:at] + ("œ" if word[at] == "o" else "Œ") + word[at + 2:]


# (pattern, replacement), in order: the spaces come last, once the words are settled.
_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str], int], ...] = (
    (_LIGATURES, _ligature, 0),
    (re.compile(r"(?<=[^\W\d_])(')"), lambda m: "\u2019", 0),
    (re.compile(r"(?<=[^\s\ue000])( {2,})(?=[^\s\ue000])"), lambda m: " ", 0),
    (re.compile(rf"(?<={_WORDLIKE})({_SPACES})(?=[;!?])"), lambda m: NNBSP, 1),
    (re.compile(rf"(?<={_WORDLIKE})({_SPACES})(?=:)"), lambda m: NBSP, 1),
    (re.compile(rf"(?<=[^\s\ue000«])({_SPACES})(?=»)"), lambda m: NNBSP, 1),
    (re.compile(rf"(?<=«)({_SPACES})(?=[^\s\ue000»])"), lambda m: NNBSP, -1),
)


def _set(flat: _Flat) -> None:
    flat.lock(_UNTOUCHABLE)
    for pattern, new, sign in _RULES:
        flat.replace(pattern, new, sign)


def set_text(text: str) -> str:
    """A plain text (no markup) as a French typesetter would set it."""
    flat = _Flat()
    flat.add(text, 0)
    _set(flat)
    return flat.text()


def set_html(fragment: str) -> str:
    """An HTML fragment (as bulletin.sanitize.clean writes it) with its text set; markup unchanged."""
    pieces = [p for p in _split(fragment) if p]
    flat, depth, texts = _Flat(), 0, {}
    for index, piece in enumerate(pieces):
        if piece.startswith("<"):
            tag = _TAG_NAME.match(piece)
            name = tag.group(2).lower() if tag else ""
            if name in _PROTECTED and not piece.endswith("/>"):
                if tag and tag.group(1):
                    depth = max(0, depth - 1)
                else:
                    depth += 1
                    flat.add(_OPAQUE, -1)
            elif name in _BLOCKS and depth == 0:
                flat.add(_EDGE, -1)
        elif depth == 0:
            texts[index] = html.unescape(piece)
            flat.add(texts[index], index)
    _set(flat)
    rebuilt: dict[int, list[str]] = {index: [] for index in texts}
    for char, owner in zip(flat.chars, flat.owner):
        if owner >= 0:
            rebuilt[owner].append(char)
    for index, before in texts.items():
        after = "".join(rebuilt[index])
        if after != before:
            pieces[index] = after.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join(pieces)


def _split(fragment: str) -> list[str]:
    """Tags and texts, in order: a tag is one piece, the text between two tags another."""
    out, at = [], 0
    for match in _TAG.finditer(fragment):
        out += [fragment[at:match.start()], match.group(0)]
        at = match.end()
    out.append(fragment[at:])
    return out
