"""The HTML an author's Markdown may produce: one allow-list, applied by nh3 and explained by `check`.

Authors' prose (the issue's texts, events, a plan's summary, the fixed pages) is Markdown, and
Markdown lets raw HTML through. What reaches a page is cleaned by nh3 (Rust's ammonia) against the
allow-list below: what the author's guide documents (paragraphs, emphasis, links, lists, tables,
headings, abbreviations, footnotes, quotes, code) and nothing that runs, frames, submits, redirects
or fetches from elsewhere. `audit` walks the same Markdown output with the same lists and names every
thing the cleaning drops, so that `check` can say so, located, before the build publishes:
nothing an author wrote disappears silently.

Pictures: a prose `<img>` is kept only with a relative address (the site makes no third-party
request); whether prose may carry pictures at all is bulletin.sandbox's concern at `check`.

>>> clean('<p onclick="x()">Texte <script>alert(1)</script><a href="javascript:alert(1)">lien</a></p>')
'<p>Texte <a>lien</a></p>'
>>> [f.what for f in audit('<p onclick="x()"><iframe src="https://example.org"></iframe></p>')]
["l'attribut onclick", 'la balise <iframe>']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

# Everything Markdown ("extra", "sane_lists", "smarty" here; MkDocs's own for the fixed pages) writes,
# and the few inline tags an author may type for what Markdown has no syntax for.
TAGS = frozenset(
    """
    p br hr h1 h2 h3 h4 h5 h6 em strong b i s del ins sub sup small mark code pre kbd samp var q cite dfn
    blockquote ul ol li dl dt dd table thead tbody tfoot tr th td caption colgroup col a img abbr span div
    figure figcaption
""".split()
)
# Removed with everything inside them (the others are unwrapped: their text stays).
CONTENT_DROPPED = frozenset("script style iframe object embed applet noscript template svg math".split())
# Attributes kept on every allowed tag, then per tag.
GENERIC_ATTRIBUTES = frozenset(("id", "class", "title", "lang", "dir"))
ATTRIBUTES = {
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "th": {"align", "scope", "colspan", "rowspan", "style"},
    "td": {"align", "colspan", "rowspan", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "abbr": set(),
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite"},
    "ins": {"cite"},
}
# Links to http(s), mail, and relative addresses; no javascript:, data:, vbscript:, file:…
URL_SCHEMES = frozenset(("http", "https", "mailto"))
_URL_ATTRIBUTES = frozenset(("href", "src", "cite"))
# Markdown's table alignment (`| :---: |`) is the only style an author's text needs.
_ALIGN = re.compile(r"^\s*text-align:\s*(left|right|center);?\s*$", re.I)
# What the browser ignores in a URL before reading its scheme (WHATWG URL: C0 controls, space, tab, LF).
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Element ids the web theme's own page relies on (Material's `__config`, `__search`, `__drawer`…).
_THEME_ID = re.compile(r"^__|^mermaid$")
# Classes that make the theme fetch a script from a third party (Material loads mermaid from unpkg.com
# for a `pre.mermaid`).
THIRD_PARTY_CLASSES = frozenset(("mermaid",))

_ALL_ATTRIBUTES = {tag: set(ATTRIBUTES.get(tag, ())) | GENERIC_ATTRIBUTES for tag in TAGS}


def url_scheme(url: str) -> str | None:
    """The scheme a browser would read in `url`, lower case; None for a relative address."""
    found = _SCHEME.match(_URL_NOISE.sub("", url))
    return found.group(1).lower() if found else None


def _remote(url: str) -> bool:
    trimmed = _URL_NOISE.sub("", url)
    return trimmed.startswith(("//", "\\\\", "/\\", "\\/")) or url_scheme(url) is not None


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "style":
        return value if _ALIGN.match(value) else None
    if name == "id" and _THEME_ID.match(value):
        return None
    if name == "class":
        return " ".join(c for c in value.split() if c not in THIRD_PARTY_CLASSES) or None
    if tag == "img" and name == "src" and _remote(value):
        return None
    return value


def clean(html: str) -> str:
    """The HTML with only the allow-list's tags, attributes and URL schemes left.

    nh3 writes the text back with characters for entities (’ for &rsquo;), except the no-break space,
    written &nbsp;: put back as the character the rest of the page uses (French typography's spaces).
    """
    cleaned = nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(CONTENT_DROPPED),
        attributes=_ALL_ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    return cleaned.replace("&nbsp;", "\u00a0")


# --- what the cleaning drops, for check ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dropped:
    what: str  # « la balise <script> », « l'attribut onclick », « l'adresse javascript: »
    needle: str  # what to look for in the author's text to find the line
    refused: bool  # True: an error (it would run, frame, submit, redirect or fetch); False: a warning
    feminine: bool = False  # for the French agreement of the message (« permise », « retirée »)


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Dropped] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append(Dropped(f"la balise <{tag}>", f"<{tag}", tag not in _KNOWN_HARMLESS, True))
            return
        for name, value in attrs:
            value = value or ""
            if name not in _ALL_ATTRIBUTES[tag]:
                self.found.append(
                    Dropped(f"l'attribut {name}", name, name.startswith("on") or name in _REFUSED_ATTRIBUTES)
                )
            elif name in _URL_ATTRIBUTES and not (tag == "img" and name == "src"):
                scheme = url_scheme(value)
                if scheme is not None and scheme not in URL_SCHEMES:
                    self.found.append(Dropped(f"l'adresse {scheme}:", value.strip()[:40] or name, True, True))
            elif name == "class" and THIRD_PARTY_CLASSES.intersection(value.split()):
                self.found.append(
                    Dropped(
                        f"la classe {' '.join(sorted(THIRD_PARTY_CLASSES.intersection(value.split())))}",
                        "mermaid",
                        True,
                        True,
                    )
                )
            elif _attribute(tag, name, value) is None and name != "src":
                self.found.append(Dropped(f'l\'attribut {name}="{value}"', value or name, False))

    handle_startendtag = handle_starttag


# Tags a word processor or an old habit may put in a text: unwrapped, their text kept (a warning).
# Any other tag outside the allow-list (script, iframe, object, embed, form, meta, base, link, video…)
# would run, frame, submit, redirect or fetch, or loses its content: an error, since check accepting
# means the build publishes.
_KNOWN_HARMLESS = frozenset(
    "u font center big tt strike nobr wbr section article aside header footer main nav "
    "address time data bdi bdo ruby rt rp details summary hgroup".split()
)
_REFUSED_ATTRIBUTES = frozenset(("formaction", "srcdoc", "action", "xlink:href", "http-equiv", "srcset"))


def audit(html: str) -> list[Dropped]:
    """Everything `clean` would drop from `html`, in document order, tags and attributes alike."""
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser.found
