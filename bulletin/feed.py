"""An Atom 1.0 feed (RFC 4287) of the issues, so readers and aggregators learn of each new bulletin.

Pure: the dates come from the content (an issue is "updated" at its reference date), never from the
clock, so rebuilding the site gives the same feed byte for byte and feed readers see no false news.
"""

from __future__ import annotations

import gettext
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date

from .figures import IssueFigures
from .filters import format_month
from .i18n import translations
from .models import Edition, Issue
from .print_build import issue_pdf_path

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_PATH = "feed.xml"
LOCALE = "fr"


def atom_feed(
    edition: Edition,
    figures_list: Sequence[IssueFigures],
    site_url: str,
    t: gettext.NullTranslations | None = None,
    locale: str = LOCALE,
) -> str:
    """The site's Atom feed: one entry per issue, newest first.

    Args:
        edition: the validated edition (publication title and author come from its settings).
        figures_list: the issues' figures, in any order.
        site_url: the site's absolute base URL, e.g. "https://example.org/bulletin/".
        t, locale: the language of the entries' titles and summaries (by default, the catalog of locale).
    Returns:
        The feed as XML text with its declaration, to publish at site_url + "feed.xml".
    """
    base = _base_url(site_url)
    t = translations(locale) if t is None else t
    issues = sorted((f.issue for f in figures_list), key=lambda i: i.mois, reverse=True)
    settings = edition.settings
    # The default namespace is written as a plain attribute rather than through ET.register_namespace,
    # which would change a process-wide table.
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: locale})
    _text(feed, "id", base)
    _text(feed, "title", settings.titre)
    _text(feed, "subtitle", f"{settings.section} — {settings.mission}")
    # An empty archive still needs a date: nothing has been published, so the epoch says so.
    _text(feed, "updated", _timestamp(max((i.date_reference for i in issues), default=date(1970, 1, 1))))
    author = ET.SubElement(feed, "author")
    _text(author, "name", f"{settings.mission} — {settings.section}")
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": base + FEED_PATH})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": base})
    for issue in issues:
        _entry(feed, issue, base, t, locale)
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _entry(feed: ET.Element, issue: Issue, base: str, t: gettext.NullTranslations, locale: str) -> None:
    page = f"{base}bulletins/{issue.mois}/"
    entry = ET.SubElement(feed, "entry")
    # The page URL is the id: it is what the site promises to keep, and it is unique per issue.
    _text(entry, "id", page)
    _text(
        entry, "title", t.gettext("Bulletin S&R — %(mois)s") % {"mois": format_month(issue.mois, locale, capital=True)}
    )
    _text(entry, "updated", _timestamp(issue.date_reference))
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": page})
    ET.SubElement(
        entry, "link", {"rel": "enclosure", "type": "application/pdf", "href": base + issue_pdf_path(issue.mois)}
    )
    if issue.faits_saillants:
        _text(entry, "summary", _summary(issue, t))


def _summary(issue: Issue, t: gettext.NullTranslations) -> str:
    """The highlights as one short text: 'Faits saillants : A ; B ; C.'"""
    items = [h.texte.strip().rstrip(".;") for h in issue.faits_saillants]
    # French sets a space before the semicolon, English does not: the separator is the catalog's too.
    separator = t.pgettext("séparateur des faits saillants", " ; ")
    return t.gettext("Faits saillants : %(liste)s.") % {"liste": separator.join(items)}


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = value
    return element


def _timestamp(day: date) -> str:
    """RFC 3339 at midnight UTC: an issue speaks as of a day, not an hour."""
    return f"{day.isoformat()}T00:00:00Z"


def _base_url(site_url: str) -> str:
    """The absolute base URL ending with '/': Atom ids and links must be absolute IRIs."""
    if not site_url.startswith(("https://", "http://")):
        raise ValueError(f"site_url must be an absolute http(s) URL, got {site_url!r}")
    return site_url if site_url.endswith("/") else site_url + "/"
