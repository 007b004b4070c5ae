"""The reader's words live in gettext catalogs (bulletin/i18n.py, bulletin/locale/).

- the committed template `messages.pot` is what extraction finds in the code and templates today;
- the French catalog (the source language) has a translation for every msgid, and no `.mo` is committed;
- with a pseudo-translation catalog (every msgstr wrapped as ⟦…⟧), every text of the November issue page,
  its print document, the home page and every other page of the site (titles and tables of contents
  included) and the work plans' print documents that is not content (the officer's prose and names, the
  register's names, figures and dates that Babel formats) is wrapped: no reader-facing literal escaped
  gettext.
  `test_pseudo_check_catches_a_literal` shows that the check fails on a literal left in a template.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.dates import get_month_names
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po
from markupsafe import escape

from bulletin import i18n, typography
from bulletin.archive import region_views
from bulletin.pages import compute_all, data_files, render_pages
from bulletin.plan_figures import compute_plan
from bulletin.render import (
    PdfLink,
    group_by_year,
    make_environment,
    render_home,
    render_issue,
    render_print,
)
from bulletin.render_plan import render_plan_print
from bulletin.validate import load_edition

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "bulletin/locale/messages.pot"
ENGLISH = ROOT / "bulletin/locale/en/LC_MESSAGES/messages.po"
FRENCH = ROOT / "bulletin/locale/fr/LC_MESSAGES/messages.po"
# The extraction command of README.md (« Traduire »), output aside.
EXTRACT = ["pybabel", "extract", "-F", "babel.cfg", "--no-location", "--sort-output", "-o"]


def _ids(catalog: Catalog) -> set[tuple[str | None, object]]:
    return {(m.context, m.id) for m in catalog if m.id}


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def test_committed_template_is_what_the_code_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run([*EXTRACT, str(fresh), "."])
    found, committed = _ids(_read(fresh)), _ids(_read(POT))
    assert found - committed == set(), "nouveaux textes : relancez l'extraction (README, « Traduire »)"
    assert committed - found == set(), "textes disparus du code : relancez l'extraction (README, « Traduire »)"


GETTEXT = {"_", "gettext", "ngettext", "pgettext", "npgettext", "N_"}


def test_no_word_is_hidden_from_extraction_inside_an_f_string() -> None:
    """pybabel reads an f-string as one string token: a gettext call inside it is never extracted, and
    its words stayed French in the English edition (« le fil Atom des numéros »)."""
    hidden = []
    for path in sorted((ROOT / "bulletin").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if isinstance(call, ast.Call):
                        name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
                        if name in GETTEXT:
                            hidden.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert hidden == []


@pytest.mark.parametrize("path, locale", [(FRENCH, "fr"), (ENGLISH, "en")])
def test_every_msgid_is_translated(path: Path, locale: str) -> None:
    template, catalog = _read(POT), _read(path, locale)
    assert _ids(catalog) == _ids(template)
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        forms = catalog.num_plurals if isinstance(message.id, tuple) else 1
        assert "fuzzy" not in message.flags and len(strings) == forms and all(strings), message.id
    # Placeholders of each translation are those of its msgid (Babel's own checkers).
    assert [(m.id, errs) for m, errs in catalog.check()] == []


def test_english_catalog_has_no_french_typography() -> None:
    """English puts no space before « : ; ? ! », uses “ ” rather than « », and no French word is left as is
    (a msgstr equal to its msgid is only allowed for words both languages share)."""
    shared = {"Budget", "Total", "%(nom)s (%(sigle)s)", "%(titre)s (ID %(id)s)", "Inauguration", "inauguration"}
    for message in _read(ENGLISH, "en"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert not re.search(r"[ \xa0](:|;|\?|!)|&nbsp;[:;]|[«»]", text), text
        if message.string == message.id:
            assert message.id in shared, message.id


def test_english_counts_zero_as_plural() -> None:
    t = i18n.translations("en")
    assert [t.ngettext("%(num)s projet", "%(num)s projets", n) % {"num": n} for n in (0, 1, 2)] == [
        "0 projects",
        "1 project",
        "2 projects",
    ]


def test_no_compiled_catalog_is_committed() -> None:
    assert list((ROOT / "bulletin/locale").rglob("*.mo")) == []


def test_french_counts_zero_and_one_as_singular() -> None:
    t = i18n.translations("fr")
    assert [t.ngettext("%(num)s projet", "%(num)s projets", n) for n in (0, 1, 2)] == [
        "%(num)s projet",
        "%(num)s projet",
        "%(num)s projets",
    ]


def test_unknown_locale_is_refused() -> None:
    with pytest.raises(LookupError):
        i18n.translations("xx")


# --- pseudo-translation ------------------------------------------------------------------------

OPEN, CLOSE, CUT = "⟦", "⟧", "\x00"
WRAPPED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")


def formatted_values(edition) -> re.Pattern[str]:
    """What Babel writes from its locale data, not from a catalog (month names, the compact "millions",
    the last link of a list), and the currency words of the settings (content) that amounts end with."""
    words = [
        *get_month_names("wide", locale="fr").values(),
        "1er",
        "millions",
        "million",
        "milliards",
        "et",
        "ou",
        *(w for c in edition.settings.devises.values() for w in (c.unite, c.de)),
    ]
    return re.compile(
        r"(?i)\b(?:" + "|".join(re.escape(_normal(w)) for w in sorted(words, key=len, reverse=True)) + r")\b"
    )


WORDS = re.compile(r"[^\W\d_][\w'\-]*(?: [^\W\d_][\w'\-]*)*")
# Format names the same in every language.
INVARIANT = {"JSON", "CSV", "PDF"}
ATTRIBUTES = ("aria-label", "title", "alt")


def pseudo_catalog() -> Catalog:
    """Every msgid of the template, translated as itself between ⟦ ⟧."""
    catalog = Catalog(locale="fr", domain=i18n.DOMAIN)
    for m in _read(POT):
        if not m.id:
            continue
        string = (
            tuple(f"{OPEN}{s}{CLOSE}" for s in (m.id[0], *[m.id[1]] * 2))
            if isinstance(m.id, tuple)
            else f"{OPEN}{m.id}{CLOSE}"
        )
        catalog.add(m.id, string, context=m.context, flags=m.flags)
    return catalog


class _Texts(HTMLParser):
    """The page's text nodes (cut apart by CUT, so that ⟦…⟧ may span elements) and reader attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.attributes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(CUT)
        if tag in ("style", "script"):
            self._skip += 1
        self.attributes += [v for k, v in attrs if k in ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(CUT)
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _normal(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ").split())


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def content_corpus(content: Path) -> str:
    """Every text the officer and the register give the pages: YAML values (not comments, which may
    quote the interface) and Markdown prose; the author's guide left out, it quotes the interface."""
    files = [
        content / "reglages.yaml",
        *sorted((content / "bulletins").rglob("*.*")),
        *sorted((content / "registre").rglob("*.*")),
        *sorted((content / "plans").rglob("*.*")),
    ]
    texts = []
    for f in files:
        if f.suffix == ".yaml":
            texts += _strings(yaml.safe_load(f.read_text(encoding="utf-8")))
        elif f.suffix == ".md":
            texts.append(re.sub(r"<!--.*?-->", "", f.read_text(encoding="utf-8"), flags=re.DOTALL))
    # The pages print the prose typeset (bulletin.typography: « œuvre » for « oeuvre »): both forms are content.
    return "\n".join(_normal(form) for t in texts for form in (t, typography.set_text(t)))


def escaped_literals(html: str, corpus: str, values: re.Pattern[str]) -> list[str]:
    """The words of a page that are neither translated (⟦…⟧) nor content: literals that escaped gettext.

    values: what Babel and the settings put into the author's prose (month names, currency words), cut
    out first so that the prose around a figure is found in the content as the author wrote it."""
    parser = _Texts()
    parser.feed(html)
    texts = ["".join(parser.parts), *parser.attributes]
    out = []
    for text in texts:
        while WRAPPED.search(text):
            text = WRAPPED.sub(CUT, text)
        assert OPEN not in text and CLOSE not in text, f"crochets déséquilibrés : {text[:200]!r}"
        for node in text.split(CUT):
            residue = values.sub(CUT, _normal(node))
            out += [w for w in WORDS.findall(residue) if w not in INVARIANT and w not in corpus]
    return out


@pytest.fixture
def pseudo_pages(content: Path):
    def render(templates: Path = ROOT / "templates") -> tuple[dict[str, str], re.Pattern[str]]:
        edition = load_edition(content)
        pseudo = i18n.compile_catalog(pseudo_catalog())
        env = make_environment(templates, edition, translations=pseudo)
        figures = compute_all(edition)
        latest = figures[-1]
        pdf = PdfLink("bulletin-sr-2017-11.pdf", 1_234_567)
        pages = {
            "issue": render_issue(env, edition, latest, None, None, pdf),
            "print": render_print(env, edition, latest),
            "home": render_home(
                env,
                edition,
                latest,
                group_by_year(edition.issues, "bulletins/"),
                pdf,
                [{"plan": p, "href": f"plans/{p.slug}/"} for p in edition.plans],
            ),
        }
        # Every other page of the site with its title and table of contents, and the plans' PDF documents.
        for page in render_pages(edition, templates, translations=pseudo):
            toc = "".join(f"<p>{escape(entry.title)}</p>" for entry in page.toc)
            pages[page.uri] = f"<h1>{escape(page.title)}</h1>{toc}{page.html}"
        for plan in edition.plans:
            for controle in (False, True):
                pages[f"print {plan.slug} {controle}"] = render_plan_print(env, compute_plan(plan), controle)
        return pages, formatted_values(edition)

    return render


def test_every_reader_word_goes_through_the_catalog(content: Path, pseudo_pages) -> None:
    corpus = content_corpus(content)
    pages, values = pseudo_pages()
    escaped = {name: escaped_literals(html, corpus, values) for name, html in pages.items()}
    assert {name: words for name, words in escaped.items() if words} == {}
    assert len(pages) > 10  # issue, print, home, every page of the site, plans in print
    # The catalog did translate: headings, sentences around figures, Python-made chart titles.
    issue = pages["issue"]
    assert f"{OPEN}Chiffres clés{CLOSE}" in issue
    assert re.search(f'{OPEN}<span class="sr-num">[^<]+</span> projets finalisés{CLOSE}', issue)
    assert f"{OPEN}Projets localisés par région, au 30 novembre 2017{CLOSE}" in issue
    assert f"{OPEN}Faits saillants de novembre 2017{CLOSE}" in pages["home"]


def test_pseudo_check_catches_a_literal(content: Path, pseudo_pages, tmp_path: Path) -> None:
    """The check above can fail: a heading written as a plain literal is reported."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    issue = templates / "bulletin/issue.html"
    text = issue.read_text(encoding="utf-8")
    assert '{{ _("Axes thématiques") }}' in text
    issue.write_text(text.replace('{{ _("Axes thématiques") }}', "Axes thématiques"), encoding="utf-8")
    pages, values = pseudo_pages(templates)
    assert escaped_literals(pages["issue"], content_corpus(content), values) == ["Axes thématiques"]


def test_region_index_counts_in_words(content: Path) -> None:
    """Each region's card: « 1 projet », « 5 projets », « 1 événement publié… »: no more « projet(s) »."""
    edition = load_edition(content)
    page = next(p for p in render_pages(edition, ROOT / "templates") if p.uri == "regions/index.md")
    views = region_views(edition, compute_all(edition))
    assert views and "(s)" not in page.html
    cards = page.html.split('<li class="sr-region-card">')[1:]
    assert len(cards) == len(views)
    for view, card in zip(views, cards):
        projects, events = len(view.projects), len(view.events)
        assert f'<a href="{view.code}/">{view.nom}</a>' in card
        assert f'<p class="sr-region-count">{projects} projet{"s" if projects > 1 else ""}</p>' in card
        if events:
            assert f"{events} événement{'s publiés' if events > 1 else ' publié'} dans les bulletins" in card
        else:
            assert "Aucun événement publié pour cette région." in card
    # The fixture has both forms, so that both are checked.
    assert {len(v.projects) > 1 for v in views} == {True, False}


def test_open_data_and_feed_speak_the_catalog(content: Path) -> None:
    """Labels and notes of the open data, titles and summaries of the feed: from the catalog too
    (indicator ids, register names and figures stay as they are)."""
    edition = load_edition(content)
    pseudo = i18n.compile_catalog(pseudo_catalog())
    files = {
        f.uri: f.content.decode("utf-8") for f in data_files(edition, "https://example.org/b/", translations=pseudo)
    }
    data = json.loads(files["bulletins/2017-11/chiffres-cles.json"])
    assert data["source"].startswith(OPEN) and data["source"].endswith(CLOSE)
    labels = [k["libelle"] for k in data["chiffres_cles"]]
    assert labels and all(label.startswith(OPEN) and label.endswith(CLOSE) for label in labels)
    rows = data["regions"]["lignes"]
    assert all(row["libelle"].startswith(OPEN) for row in rows if row["categorie"] != "region")
    assert not any(row["libelle"].startswith(OPEN) for row in rows if row["categorie"] == "region")
    csv_rows = list(csv.DictReader(io.StringIO(files["bulletins/2017-11/chiffres-cles.csv"].lstrip("\ufeff"))))
    assert [row["libelle"] for row in csv_rows] == labels
    feed = ET.fromstring(files["feed.xml"])
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert entries and all(e.findtext(f"{atom}title", "").startswith(OPEN) for e in entries)
    assert all(e.findtext(f"{atom}summary", "").startswith(f"{OPEN}Faits saillants : ") for e in entries)


def test_new_french_messages_get_their_source_text(tmp_path: Path) -> None:
    """After `pybabel update`, `python -m bulletin.i18n fr` gives each new msgid its French text."""
    catalog = Catalog(locale="fr", domain=i18n.DOMAIN)
    catalog.add("Chiffres clés", "Chiffres clés")
    catalog.add("Nouveau titre")
    catalog.add(("%(num)s projet", "%(num)s projets"), ("", "", ""), flags=["fuzzy"])
    po = tmp_path / "messages.po"
    with po.open("wb") as f:
        write_po(f, catalog)
    assert i18n.fill_source(po) == 2
    filled = {m.id: m for m in _read(po, "fr") if m.id}
    assert filled["Nouveau titre"].string == "Nouveau titre"
    plural = filled[("%(num)s projet", "%(num)s projets")]
    assert plural.string == ("%(num)s projet", "%(num)s projets", "%(num)s projets")
    assert "fuzzy" not in plural.flags
    assert filled["Chiffres clés"].string == "Chiffres clés"
