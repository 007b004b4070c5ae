"""Search entries for the generated pages, in the format of Material's search index.

Material's search plugin re-parses every page's HTML with Python's HTMLParser, which cost more than a
third of a ten-year archive's build. The generated pages are our own markup, so they are split here by
their headings with a few regular expressions instead; the hand-written pages (« À propos »…) still
go through Material's plugin. The entries follow Material's rules: a section per heading that has an
id, the page's title for what precedes them, and in the text only a few tags kept (paragraphs, lists,
code), bare, so that the results panel lays them out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1\s*>", re.S | re.I)
_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
# Charts are drawn twice: in the SVG and in the data table beside it; only the table is indexed. The
# links to the neighbouring issues name other pages: not this one's text.
_SKIPPED = re.compile(r"<(svg|script|style|object|nav)\b.*?</\1\s*>", re.S | re.I)
_KEPT = frozenset("p code pre li ol ul sub sup".split())
# Tags that flow inside a line of text: dropped without a space, unlike cells, blocks and breaks.
_INLINE = frozenset("a abbr b bdi cite data dfn em i kbd mark q s samp small span strong time u var".split())
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_KEPT_TAG = re.compile(rf"<(/?)({'|'.join(_KEPT)})\b[^>]*>", re.I)
_INLINE_TAG = re.compile(rf"</?(?:{'|'.join(_INLINE)})\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Runs of spaces, and any other blank: not \s, which would swallow the no-break spaces of French
# typography; a lone space is left alone (matching each one cost half the time of indexing a page).
_SPACES = re.compile(r"[ \t\n\r\f\v]{2,}|[\t\n\r\f\v]")
_EMPTY = re.compile(r"<(p|code|pre|li|ol|ul|sub|sup)>\s*</\1>")


@dataclass(frozen=True, slots=True)
class Entry:
    location: str   # page URL relative to the site root, with #anchor for a section
    title: str
    text: str

    def as_json(self) -> dict[str, str]:
        return {"location": self.location, "title": self.title, "text": self.text}


def _clean(fragment: str) -> str:
    """HTML fragment -> Material's search text: kept tags bare, other tags gone, entities as Material
    writes them (escaped &, <, >; everything else as characters), whitespace collapsed. Whole-string
    substitutions only: this runs over every section of a ten-year archive."""
    text = _SKIPPED.sub(" ", fragment)
    text = _INLINE_TAG.sub("", text)
    text = _KEPT_TAG.sub("\x02\\1\\2\x03", text)   # out of the way of the escaping below
    text = _ANY_TAG.sub(" ", text)
    text = html.escape(html.unescape(text), quote=False).replace("\x02", "<").replace("\x03", ">")
    text = _SPACES.sub(" ", text)
    while True:
        emptied = _EMPTY.sub("", text)
        if emptied == text:
            return text.strip()
        text = emptied


def _title(fragment: str) -> str:
    return _SPACES.sub(" ", html.escape(html.unescape(_TAG.sub("", _SKIPPED.sub("", fragment))), quote=False)).strip()


def page_entries(url: str, title: str, page_html: str) -> tuple[Entry, ...]:
    """One page's entries: what precedes its first heading with an id, under the page's title, then
    one per heading with an id. A heading without one (the <h1>, a chart's caption) stays in its
    section's text, as in Material."""
    sections = []   # (anchor, heading, where the heading starts, where its text starts)
    for heading in _HEADING.finditer(page_html):
        found = _ID.search(heading[2])
        if found:
            sections.append((found[1], _title(heading[3]), heading.start(), heading.end()))
    ends = [start for _, _, start, _ in sections] + [len(page_html)]
    entries = [Entry(url, html.escape(title, quote=False), _clean(page_html[:ends[0]]))]
    for (anchor, heading, _, begin), end in zip(sections, ends[1:]):
        entries.append(Entry(f"{url}#{anchor}", heading, _clean(page_html[begin:end])))
    return tuple(entries)


def unique_entries(pages: Iterable[tuple[Entry, ...]]) -> list[Entry]:
    """The entries of the pages in order, a section whose title and text were already indexed left out:
    the presentations and the section's role are carried over from issue to issue, and a reader
    searching them wants one result, not one per month. Pages come newest first, so the one kept is
    the latest wording's newest page."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for entries in pages:
        for i, entry in enumerate(entries):
            key = (entry.title, entry.text)
            # A page's first entry is its title: kept even when empty, so every page can be found by name.
            if i == 0 or (entry.text and key not in seen):
                kept.append(entry)
            seen.add(key)
    return kept
