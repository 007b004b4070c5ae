"""The site made to be opened from disk (a USB key, a shared folder), without a web server.

A web server answers `fonds/` with `fonds/index.html`; a browser reading `file://` shows a directory
listing instead. So, after MkDocs has written the site, every relative link to a folder gets its
`index.html` written out. (MkDocs's `use_directory_urls: false` would do that for MkDocs's own links,
but not for the links the bulletin's templates write between generated pages, and it would change the
pages' addresses: links to the site from elsewhere would break between the two editions.)

Search cannot run from disk: the browser refuses the index request and the search worker under
`file://`. The copy says so in a banner on every page and hides the search field (it would wait
forever) through its own stylesheet, so that the hidden field is not a Tab stop either.

Pages are written under a new name and renamed (bulletin.atomic): a page the generation shares with
the previous one through a hard link is never changed in place.
"""

from __future__ import annotations

import gettext
import html
import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import atomic
from .i18n import translations

STYLESHEET = "assets/stylesheets/hors-ligne.css"
# The header's search form (partials/recherche.html; Material's own search field, should it come back).
CSS = """/* Opened from disk: search needs the website (bulletin/offline.py). */
.sr-recherche, .md-search, .md-header__button[for="__search"] { display: none !important; }
.sr-hors-ligne { margin: 0; padding: .4rem 1rem; background: #fff4ce; color: #3d2e00; font-size: .8rem; }
"""
_LINK = re.compile(r'\b(href|src)="([^"]*)"')
_HEAD_END = re.compile(r"</head>", re.I)
# A font preload (templates/web/main.html) is a CORS request, which a page read from file:// may not
# make: it fails with an error, while the stylesheet's own load of the same font works. Dropped here.
_FONT_PRELOAD = re.compile(r'<link rel="preload"[^>]*\bas="font"[^>]*>\s*', re.I)
_BODY = re.compile(r"<body\b[^>]*>", re.I)


def folder_link(url: str) -> str:
    """A relative link to a folder, with the `index.html` a browser needs from disk; any other unchanged.

    >>> folder_link("../fonds/"), folder_link(".."), folder_link("../bulletins/2017-11/#qip")
    ('../fonds/index.html', '../index.html', '../bulletins/2017-11/index.html#qip')
    >>> folder_link("#qip"), folder_link("https://un.org/"), folder_link("/bulletin-sr/"), folder_link("a.pdf")
    ('#qip', 'https://un.org/', '/bulletin-sr/', 'a.pdf')
    """
    parts = urlsplit(html.unescape(url))
    if parts.scheme or parts.netloc or parts.path.startswith("/") or not parts.path:
        return url
    path = parts.path + "/" if parts.path in (".", "..") or parts.path.endswith("/..") else parts.path
    if not path.endswith("/"):
        return url
    return html.escape(urlunsplit(parts._replace(path=path + "index.html")), quote=True)


def offline_page(page: str, depth: int, note: str) -> str:
    """One page's HTML for the copy opened from disk; depth is how many folders below the site it is."""
    page = _LINK.sub(lambda m: f'{m[1]}="{folder_link(m[2])}"', page)
    page = _FONT_PRELOAD.sub("", page)
    sheet = "../" * depth + STYLESHEET
    page = _HEAD_END.sub(lambda m: f'<link rel="stylesheet" href="{sheet}">{m[0]}', page, count=1)
    return _BODY.sub(lambda m: f'{m[0]}<p class="sr-hors-ligne" role="note">{html.escape(note)}</p>', page, count=1)


def make_offline(folder: Path, t: gettext.NullTranslations | None = None) -> int:
    """Rewrite every page under folder for reading from disk; returns the number of pages."""
    t = t or translations("fr")
    note = t.gettext("Copie hors ligne du bulletin : la recherche n’est disponible que sur le site web.")
    atomic.write_text(folder / STYLESHEET, CSS)
    count = 0
    for root, _, names in os.walk(folder):
        depth = len(Path(root).relative_to(folder).parts)
        for name in names:
            if name.endswith(".html"):
                path = Path(root, name)
                atomic.write_text(path, offline_page(path.read_text(encoding="utf-8"), depth, note))
                count += 1
    return count
