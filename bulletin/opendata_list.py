"""The list of downloadable files on the open-data page: each linked, with its size, newest issue first.

The page (content/pages/donnees-ouvertes.md) describes the files; the list is made from the files the
build publishes, so a new issue, a new kind of file or a size that changes needs no edit of the page.
The authors write `<!-- fichiers -->` where the list goes.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping

from .filters import format_month, format_size

MARKER = "<!-- fichiers -->"
_ISSUE_FILE = re.compile(r"^bulletins/(\d{4}-\d{2})/([^/]+)$")


def _kind(name: str, t: gettext.NullTranslations) -> str | None:
    if name == "chiffres-cles.json":
        return t.gettext("chiffres clés, projets et contributions (JSON)")
    if name == "chiffres-cles.csv":
        return t.gettext("chiffres clés (CSV, pour un tableur)")
    if name.endswith(".pdf") and not name.endswith(("-imprimeur.pdf", "-controle.pdf")):
        return t.gettext("le numéro imprimable (PDF)")
    return None


def files_markdown(sizes: Mapping[str, int], t: gettext.NullTranslations, locale: str = "fr") -> str:
    """A Markdown list of the published files, links relative to a page at the site's root (MkDocs
    makes them relative to the page's address). sizes: site path -> bytes.

    >>> lines = files_markdown({"bulletins/2017-11/chiffres-cles.csv": 1200, "feed.xml": 5300,
    ...                         "bulletins/2017-11/chiffres-cles.json": 25_000}, gettext.NullTranslations())
    >>> for part in lines.replace("\u00a0", "~").replace("\u202f", "^").split("^; "):
    ...     print(part)
    - Novembre 2017~: [chiffres clés, projets et contributions (JSON)](bulletins/2017-11/chiffres-cles.json) (25~Ko)
    [chiffres clés (CSV, pour un tableur)](bulletins/2017-11/chiffres-cles.csv) (1~Ko)
    - [le fil Atom des numéros](feed.xml) (5~Ko)
    >>> print(files_markdown({"bulletins/2017-11/chiffres-cles.csv": 1200}, gettext.NullTranslations(), "en_GB"))
    - November 2017: [chiffres clés (CSV, pour un tableur)](bulletins/2017-11/chiffres-cles.csv) (1\u00a0Ko)
    """
    by_issue: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(sizes):
        found = _ISSUE_FILE.match(path)
        kind = _kind(found[2], t) if found else None
        if found and kind:
            by_issue.setdefault(found[1], []).append((path, kind))
    order = {"json": 0, "csv": 1, "pdf": 2}
    # Punctuation spacing is the language's typography, not a word to translate: French sets a no-break
    # space before « : » and « ; », English none.
    french = locale.startswith("fr")
    colon, semicolon = ("\u00a0: ", "\u202f; ") if french else (": ", "; ")
    lines = []
    for month in sorted(by_issue, reverse=True):
        links = sorted(by_issue[month], key=lambda item: order.get(item[0].rsplit(".", 1)[1], 9))
        parts = semicolon.join(f"[{kind}]({path}) ({format_size(sizes[path], locale, t)})" for path, kind in links)
        lines.append(f"- {format_month(month, locale, capital=True)}{colon}{parts}")
    if "feed.xml" in sizes:
        size = format_size(sizes["feed.xml"], locale, t)
        feed = t.gettext("le fil Atom des numéros")  # not inside the f-string: extraction would not see it
        lines.append(f"- [{feed}](feed.xml) ({size})")
    return "\n".join(lines)


def with_files(markdown: str, sizes: Mapping[str, int], t: gettext.NullTranslations, locale: str = "fr") -> str:
    """The page's Markdown with the list in place of its marker (a page without the marker unchanged)."""
    return markdown.replace(MARKER, files_markdown(sizes, t, locale)) if MARKER in markdown else markdown
