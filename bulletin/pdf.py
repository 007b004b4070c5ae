"""WeasyPrint adapter: HTML string in, PDF bytes out. Nothing else lives here."""

from __future__ import annotations

from pathlib import Path

# PDF/UA-1 makes WeasyPrint tag the structure (headings, lists, tables, reading order) and
# write the language and title into the catalogue: what screen readers and archives need.
VARIANT = "pdf/ua-1"


def write_pdf(html: str, base_url: Path) -> bytes:
    """Render one HTML document; relative URLs (stylesheet, fonts, pictures) resolve from base_url."""
    from weasyprint import HTML, URLFetcher

    # Only files shipped with the project: no font or picture from a third-party host, and a
    # missing stylesheet or font stops the render instead of silently changing the layout.
    fetcher = URLFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)
    document = HTML(string=html, base_url=base_url.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=VARIANT)
