"""French typography of the authors' prose: the spaces, apostrophes and ligatures a typesetter sets.

Authors type on a keyboard: « Gao : », « malnutrition; », «Faim zéro», « l'Etat », « oeuvre ».
The pass sets what a French typesetter would, on the text only, never on the markup:

- a narrow no-break space (U+202F) before « ; ! ? », before « » » and after « « », and between a number
  and « % » (« 80% » → « 80 % »);
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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby

NBSP = "\u00a0"
NNBSP = "\u202f"

# Stand-ins in the flat text the rules read (Unicode private use: never in an author's text):
# a block's edge, across which no rule looks, and an element whose text is never touched (code),
# which the rules see as a word.
_EDGE = "\ue000"
_OPAQUE = "\ue001"

# A comment, or a tag as nh3 and Jinja write them (quoted attributes): a `>` may sit inside a quoted value.
_TAG = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL)
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
_PROTECTED = frozenset(("code", "pre", "kbd", "samp", "script", "style", "svg", "math", "textarea"))
_BLOCKS = frozenset(
    (
        "p",
        "br",
        "hr",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "blockquote",
        "figure",
        "figcaption",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "body",
        "html",
        "head",
        "title",
    )
)

# What the rules never touch: visible addresses, any `scheme:` followed by text without a space
# (https://…, mailto:…, javascript:…; their trailing punctuation is the sentence's), e-mail addresses,
# and digits joined by a colon (times, ratios, scores). Found from their `:`, `@` or `www.`: a pattern
# tried at every letter of a page would cost more than all the rules together.
_ADDRESS_TAIL = r"[^\s<>«»\"\ue000\ue001]*[^\s<>«»\"\ue000\ue001.,;:!?)\]]"
_ANCHOR = re.compile(r"[:@]|\bwww\.")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*\Z")
_AFTER_SCHEME = re.compile(r"(?=[^\s\d\ue000\ue001])" + _ADDRESS_TAIL)
_WWW = re.compile(_ADDRESS_TAIL)
_MAILBOX = re.compile(r"[\w.+-]+\Z")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_DIGITS = re.compile(r"\d+(?::\d+)+")

_WHITE = frozenset(" \t\r\n\u00a0\u2009\u202f")  # what a typed space may be, line breaks included
_NOT_BEFORE_SIGN = _WHITE | frozenset("\ue000;:!?«([{")  # a « ; : ! ? » follows a word, a closing sign, code

# What a rule may act on (_set): without any of it in a text, nothing of it changes.
_MAY_CHANGE = re.compile(r"[;:!?«»'%]|oe|(?<=[^\s\ue000]) {2,}(?=[^\s\ue000])", re.IGNORECASE)
_LIGATURES = re.compile(r"oeuvr|coeur|soeur|voeu|oeil|boeuf|oeuf|noeud|moeurs", re.IGNORECASE)
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'")
_DOUBLE_SPACES = re.compile(r"(?<=[^\s\ue000]) {2,}(?=[^\s\ue000])")

# An edit of the flat text: replace [start, end) by new; `sign` is the index of the character the edit
# is for (the « ; » a space goes before), which must not be locked and whose text node gets the new text.
_Edit = tuple[int, int, str, int]


@dataclass(slots=True)
class _Flat:
    """The text of a fragment as one string, each character tagged with the text node it comes from."""

    text: str = ""
    owner: list[int] = field(default_factory=list)  # index of the text node; -1 for a stand-in
    locked: bytearray = field(default_factory=bytearray)  # 1: never changed (a stand-in, an address…)
    _parts: list[str] = field(default_factory=list)

    def add(self, text: str, owner: int) -> None:
        self._parts.append(text)
        self.owner += [owner] * len(text)
        self.locked += (b"\x01" if owner < 0 else b"\x00") * len(text)

    def close(self) -> None:
        self.text = "".join(self._parts)
        for start, end in _untouchable(self.text):
            self.locked[start:end] = b"\x01" * (end - start)

    def apply(self, edits: Iterable[_Edit]) -> None:
        """Make the edits (in text order) that touch no locked character; keep each character's node."""
        text, at = self.text, 0
        parts: list[str] = []
        owner: list[int] = []
        locked = bytearray()
        for start, end, new, sign in edits:
            if self.locked[sign] or any(self.locked[start:end]) or new == text[start:end]:
                continue
            parts += (text[at:start], new)
            owner += self.owner[at:start] + [self.owner[sign]] * len(new)
            locked += self.locked[at:start] + b"\x00" * len(new)
            at = end
        if parts:
            self.text = "".join(parts) + text[at:]
            self.owner = owner + self.owner[at:]
            self.locked = locked + self.locked[at:]

    def pieces(self) -> dict[int, str]:
        """The new text of each text node (a node left empty is absent)."""
        out: dict[int, str] = {}
        at = 0
        for who, run in groupby(self.owner):
            length = len(list(run))
            if who >= 0:
                out[who] = out.get(who, "") + self.text[at : at + length]
            at += length
        return out


def _untouchable(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the addresses and the digit:digit groups of a text."""
    for match in _DIGITS.finditer(text):
        yield match.span()
    for anchor in _ANCHOR.finditer(text):
        at = anchor.start()
        if text[at] == "w":
            tail = _WWW.match(text, anchor.end())
            yield at, tail.end() if tail else anchor.end()
            continue
        head = (_SCHEME if text[at] == ":" else _MAILBOX).search(text, max(0, at - 64), at)
        tail = (_AFTER_SCHEME if text[at] == ":" else _DOMAIN).match(text, at + 1)
        if head and tail and tail.end() > at + 1:
            yield head.start(), tail.end()


def _ligature(match: re.Match[str]) -> _Edit:
    word = match.group(0)
    at = word.lower().index("oe")
    return match.start(), match.end(), word[:at] + ("œ" if word[at] == "o" else "Œ") + word[at + 2 :], match.start()


def _space_before(text: str, signs: str, space: str, not_after: frozenset[str]) -> Iterator[_Edit]:
    """The white space typed before each sign (maybe none) becomes `space`, after a word-like character."""
    for at in (m.start() for m in re.finditer(f"[{signs}]", text)):
        start = at
        while start and text[start - 1] in _WHITE:
            start -= 1
        if start and text[start - 1] not in not_after:
            yield start, at, space, at


def _space_after(text: str, sign: str, space: str, not_before: frozenset[str]) -> Iterator[_Edit]:
    for at in _find_all(text, sign):
        end = at + 1
        while end < len(text) and text[end] in _WHITE:
            end += 1
        if end < len(text) and text[end] not in not_before:
            yield at + 1, end, space, at


def _space_before_percent(text: str) -> Iterator[_Edit]:
    """« 80% » or « 80 % »: the sign tied to its number by a narrow no-break space (not after a word: « le
    % de » is left alone, and an address, where « %20 » is a character, is locked)."""
    for at in _find_all(text, "%"):
        start = at
        while start and text[start - 1] in _WHITE:
            start -= 1
        if start and text[start - 1].isdigit():
            yield start, at, NNBSP, at


def _find_all(text: str, char: str) -> Iterator[int]:
    at = text.find(char)
    while at >= 0:
        yield at
        at = text.find(char, at + 1)


def _set(flat: _Flat) -> None:
    """The rules in order: the words first, then the spaces (each rule reads the text the one before left)."""
    if "oe" in flat.text.lower():
        flat.apply(_ligature(m) for m in _LIGATURES.finditer(flat.text))
    if "'" in flat.text:
        flat.apply((m.start(), m.end(), "\u2019", m.start()) for m in _APOSTROPHE.finditer(flat.text))
    if "  " in flat.text:
        flat.apply((m.start(), m.end(), " ", m.start()) for m in _DOUBLE_SPACES.finditer(flat.text))
    flat.apply(_space_before(flat.text, ";!?", NNBSP, _NOT_BEFORE_SIGN))
    flat.apply(_space_before(flat.text, ":", NBSP, _NOT_BEFORE_SIGN))
    flat.apply(_space_before(flat.text, "»", NNBSP, _WHITE | {_EDGE, "«"}))
    flat.apply(_space_after(flat.text, "«", NNBSP, _WHITE | {_EDGE, "»"}))
    if "%" in flat.text:
        flat.apply(_space_before_percent(flat.text))


def set_text(text: str) -> str:
    """A plain text (no markup) as a French typesetter would set it."""
    flat = _Flat()
    flat.add(text, 0)
    flat.close()
    _set(flat)
    return flat.text


def set_html(fragment: str) -> str:
    """An HTML fragment or page (as bulletin.sanitize.clean or a template writes it) with its text set;
    markup, comments and the text of code, scripts and drawings unchanged.

    Set block by block: no rule reaches across the edge of a block (each stops at the stand-in _EDGE, as
    at the end of a text), so a page is set as the blocks it is cut into at each edge, each found again
    when it was set before (_set_pieces). A region's page of the archive is 2 000 blocks, and a save
    that changes one project changes one or two of them (tests/test_typography.py compares with the page
    set at once)."""
    segments: list[list[str]] = [[]]
    depth = 0
    for piece in _split(fragment):
        if not piece:
            continue
        if piece.startswith("<"):
            tag = _TAG_NAME.match(piece)
            name = tag.group(2).lower() if tag else ""
            if name in _PROTECTED and not piece.endswith("/>"):
                depth = max(0, depth - 1) if tag and tag.group(1) else depth + 1
            elif name in _BLOCKS and depth == 0:
                segments.append([])
        segments[-1].append(piece)
    return "".join(_set_segment(segment) for segment in segments)


_KEPT_UP_TO = 1024  # characters: a block longer (an unclosed <pre> holds the rest of its page) is not kept


def _set_segment(segment: list[str]) -> str:
    pieces = tuple(segment)
    if sum(map(len, pieces)) > _KEPT_UP_TO:
        return _set_pieces.__wrapped__(pieces)
    return _set_pieces(pieces)


@lru_cache(maxsize=8192)  # a save of the archive sets about 5 000 blocks, of 1 KB at most (_set_segment)
def _set_pieces(pieces: tuple[str, ...]) -> str:
    """The tags and texts of a fragment (_split), set as one text; kept for the blocks met again."""
    marks: list[tuple[int, str]] = []  # (index of the piece or -1, its text or a stand-in), in order
    depth = 0
    for index, piece in enumerate(pieces):
        if piece.startswith("<"):
            tag = _TAG_NAME.match(piece)
            name = tag.group(2).lower() if tag else ""
            if name in _PROTECTED and not piece.endswith("/>"):
                if tag and tag.group(1):
                    depth = max(0, depth - 1)
                else:
                    depth += 1
                    marks.append((-1, _OPAQUE))
            elif name in _BLOCKS and depth == 0:
                marks.append((-1, _EDGE))
        elif depth == 0:
            marks.append((index, html.unescape(piece) if "&" in piece else piece))
    if not _MAY_CHANGE.search("".join(text for _, text in marks)):
        return "".join(pieces)  # no sign, quote, « oe » or double space: no rule has anything to do
    flat = _Flat()
    for index, text in marks:
        flat.add(text, index)
    flat.close()
    _set(flat)
    rebuilt = flat.pieces()
    out = list(pieces)
    for index, before in marks:
        if index < 0:
            continue
        after = rebuilt.get(index, "")
        if after != before:
            out[index] = after.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join(out)


def _split(fragment: str) -> list[str]:
    """Tags and texts, in order: a tag is one piece, the text between two tags another."""
    out, at = [], 0
    for match in _TAG.finditer(fragment):
        out += [fragment[at : match.start()], match.group(0)]
        at = match.end()
    out.append(fragment[at:])
    return out
