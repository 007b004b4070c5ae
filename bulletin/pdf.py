"""WeasyPrint adapter: HTML string in, PDF bytes out. Nothing else lives here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import sandbox
from .messages import print as print_msg

# PDF/UA-1 makes WeasyPrint tag the structure (headings, lists, tables, reading order) and
# write the language and title into the catalogue: what screen readers and archives need.
VARIANT = "pdf/ua-1"


FIT_MARKER = 'data-fit="tight"'
# The layout rule (tests/test_print_layout.py) lets a last page be at most 60 % blank; the gap before the
# closing block counts as blank, so a page whose text reaches 52 % down may already break it: a document
# is fitted when its last page is less than two thirds used. Setting it tighter can save a page only when
# the last one is less than half used (measured: 8.6 pt saved none of the 6-page English November at
# 52 %), so only then is that layout tried; each try is a whole layout of the document.
FIT_BELOW = 0.65
TIGHTEN_BELOW = 0.5


def _used_height(page: Any) -> float:  # a weasyprint.Page (WeasyPrint has no type information)
    """The share of a page's content area its text reaches down to (margin boxes left out)."""
    from weasyprint.formatting_structure.boxes import LineBox

    box = page._page_box
    root = box.children[0]
    bottoms = [b.position_y + b.height for b in root.descendants() if isinstance(b, LineBox)]
    return float((max(bottoms, default=box.content_box_y()) - box.content_box_y()) / box.height)


def _fitted(render: Any, html: str, document: Any) -> Any:
    """The layout's « fill or tighten » rule, for a document that allows it (<html data-fit="tight">)
    and whose last page is less than two thirds used: set tighter if its last page is less than half
    used and that saves the page; otherwise set a little looser (more leading, more space between
    items) if that fills the last page further without adding one. Most issues fill their last page and
    are laid out once; a fitted one two or three times."""
    if FIT_MARKER not in html or len(document.pages) < 2:
        return document
    used = _used_height(document.pages[-1])
    if used >= FIT_BELOW:
        return document
    if used < TIGHTEN_BELOW:
        tighter = render(html.replace(FIT_MARKER, FIT_MARKER + ' class="tight"', 1))
        if len(tighter.pages) < len(document.pages):
            return tighter
    looser = render(html.replace(FIT_MARKER, FIT_MARKER + ' class="loose"', 1))
    if len(looser.pages) == len(document.pages) and _used_height(looser.pages[-1]) > used:
        return looser
    return document


def _published_link(link: Any) -> bool:
    """An external link of the PDF that leads to a web page or an address: the engine resolves a relative
    link (« ../../a-propos/ », « /etc/passwd », « //host/x ») against the build's folder, and the PDF would
    carry a file:// link to the machine that printed it (found by an adversarial review). Such a link's
    text stays, without the link."""
    kind, target = link[0], str(link[1])
    return kind == "external" and target.lower().startswith(("https://", "http://", "mailto:"))


class FetchFailed(Exception):
    """A stylesheet, font or picture the engine could not, or may not, read; the message says which."""


def write_pdf(html: str, base_url: Path, roots: tuple[Path, ...] = ()) -> bytes:
    """Render one HTML document; relative URLs (stylesheet, fonts, pictures) resolve from base_url.

    The engine reads only `data:` URLs and files whose real path lies in base_url or one of `roots`
    (the templates, the issue's own folder): nothing from another host, nothing else on the disk.
    The PDF carries no attachment: no content declares one.
    """
    from weasyprint import HTML, URLFetcher
    from weasyprint.urls import FatalURLFetchingError

    allowed = tuple({sandbox.real(p) for p in (base_url, *roots)})

    class Fetcher(URLFetcher):  # type: ignore[misc]  # untyped base class
        def fetch(self, url: str, headers: Any = None) -> Any:
            return super().fetch(sandbox.admit(url, allowed), headers)

    # A refused or missing stylesheet, font or picture stops the render instead of silently
    # changing the layout (check refuses them first, with the author's file and line).
    fetcher = Fetcher(allowed_protocols=("file", "data"), fail_on_errors=True)

    def render(source: str) -> Any:
        try:
            return HTML(string=source, base_url=base_url.as_uri() + "/", url_fetcher=fetcher).render(
                pdf_variant=VARIANT
            )
        except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: made an ordinary failure here
            url = m.group(1) if (m := re.search(r'"(.*)"', str(exc))) else str(exc)
            raise FetchFailed(print_msg.print_fetch_failed(url, isinstance(exc.__cause__, sandbox.Refused))) from None

    document = _fitted(render, html, render(html))
    document.metadata.attachments.clear()  # <link rel="attachment">
    for page in document.pages:  # <a rel="attachment">, and links that lead nowhere a reader can go
        page.links[:] = [link for link in page.links if link[0] == "internal" or _published_link(link)]
    pdf: bytes = document.write_pdf(pdf_variant=VARIANT)
    return pdf
