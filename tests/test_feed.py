"""The Atom feed of the issues follows the rules a feed validator checks, newest issue first."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bulletin.feed import atom_feed
from bulletin.pages import compute_all
from bulletin.validate import load_edition

from .conftest import CONTENT, add_december

SITE = "https://example.org/bulletin/"
NS = {"a": "http://www.w3.org/2005/Atom"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 3339 date-time (section 5.6), as Atom's Date constructs require it.
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")


def feed_of(content: Path) -> ET.Element:
    edition = load_edition(content)
    return ET.fromstring(atom_feed(edition, compute_all(edition), SITE))


@pytest.fixture(scope="module")
def seed() -> ET.Element:
    return feed_of(CONTENT)


@pytest.fixture
def two_issues(content: Path) -> ET.Element:
    """A December issue copied from November, as in the web archive test."""
    add_december(content)
    return feed_of(content)


def assert_valid_atom(feed: ET.Element) -> None:
    """The RFC 4287 constraints a validator reports as errors, checked element by element."""
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.get(XML_LANG) == "fr"
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"a:{tag}", NS)) == 1, tag
    assert feed.findall("a:author/a:name", NS), "a feed without entry authors needs an author"
    self_links = [link for link in feed.findall("a:link", NS) if link.get("rel") == "self"]
    assert [link.get("href") for link in self_links] == [SITE + "feed.xml"]
    entries = feed.findall("a:entry", NS)
    assert entries
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"a:{tag}", NS)) == 1, tag
        alternates = [link for link in entry.findall("a:link", NS) if link.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1
    ids = [e.findtext("a:id", namespaces=NS) for e in entries]
    assert len(set(ids)) == len(ids)
    for element in [feed, *entries]:
        for tag in ("updated", "published"):
            for stamp in element.findall(f"a:{tag}", NS):
                assert RFC3339.match(stamp.text), stamp.text
    for link in feed.iter("{http://www.w3.org/2005/Atom}link"):
        assert link.get("href", "").startswith("https://"), "links and ids must be absolute"
    for entry_id in [feed.findtext("a:id", namespaces=NS), *ids]:
        assert entry_id.startswith("https://")


def test_feed_is_valid_atom(seed):
    assert_valid_atom(seed)
    assert seed.findtext("a:author/a:name", namespaces=NS) == "MINUSMA — Section Stabilisation et Relèvement"
    assert seed.findtext("a:updated", namespaces=NS) == "2017-11-30T00:00:00Z"


def test_entry_of_the_november_issue(seed):
    (entry,) = seed.findall("a:entry", NS)
    assert entry.findtext("a:title", namespaces=NS) == "Bulletin S&R — Novembre 2017"
    assert entry.findtext("a:id", namespaces=NS) == SITE + "bulletins/2017-11/"
    assert entry.findtext("a:updated", namespaces=NS) == "2017-11-30T00:00:00Z"
    links = {link.get("rel"): link for link in entry.findall("a:link", NS)}
    assert links["alternate"].get("href") == SITE + "bulletins/2017-11/"
    assert links["enclosure"].get("href") == SITE + "bulletins/2017-11/bulletin-sr-2017-11.pdf"
    assert links["enclosure"].get("type") == "application/pdf"
    summary = entry.findtext("a:summary", namespaces=NS)
    assert "Opportunités de nouveaux projets : vaste réunion de consultation" in summary
    assert summary.startswith("Faits saillants")


def test_entries_are_newest_first(two_issues):
    assert_valid_atom(two_issues)
    entries = two_issues.findall("a:entry", NS)
    assert [e.findtext("a:id", namespaces=NS) for e in entries] == [
        SITE + "bulletins/2017-12/",
        SITE + "bulletins/2017-11/",
    ]
    assert entries[0].findtext("a:title", namespaces=NS) == "Bulletin S&R — Décembre 2017"
    assert two_issues.findtext("a:updated", namespaces=NS) == entries[0].findtext("a:updated", namespaces=NS)
    assert two_issues.findtext("a:updated", namespaces=NS) == "2017-12-31T00:00:00Z"


def test_feed_does_not_depend_on_the_build_time_or_order():
    edition = load_edition(CONTENT)
    figures = compute_all(edition)
    first = atom_feed(edition, figures, SITE)
    assert atom_feed(edition, tuple(reversed(figures)), SITE.rstrip("/")) == first


def test_relative_site_url_is_refused():
    edition = load_edition(CONTENT)
    with pytest.raises(ValueError):
        atom_feed(edition, compute_all(edition), "/bulletin/")
