"""French typography where readers and authors see it: the November issue's web page and PDF have the
right no-break spaces, and `check` suggests (never imposes) accents on capitals and grouped numbers."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pypdf

from bulletin.errors import SourceRef
from bulletin.models import Prose
from bulletin.print_build import plan_print
from bulletin.typography_checks import check_typography
from bulletin.validate import load_edition

from .conftest import ISSUE, ROOT, edit, line_of

NNBSP, NBSP = "\u202f", "\u00a0"
FOLDER = "bulletins/2017-11"


class _Text(HTMLParser):
    """A page's text as a reader reads it: no code, script, style or drawing; blocks on their own line."""

    SKIPPED = frozenset(("script", "style", "code", "pre", "svg", "head", "title"))
    BLOCKS = frozenset(("p", "li", "div", "td", "th", "h1", "h2", "h3", "h4", "br", "figcaption", "dt", "dd", "tr"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag in self.SKIPPED
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self.depth -= tag in self.SKIPPED
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def missing_spaces(text: str, colon: bool = True) -> list[str]:
    """Every « ; ! ? » » without U+202F before it, « « » without it after, « : » without U+00A0 before
    it (a time, a ratio or an address aside), each with the words around it."""
    patterns = [r"(?<=[^\u202f;!?(\n])[;!?»]", r"«(?![\u202f\n])"]  # « ?! » takes one space, before « ? »
    if colon:
        patterns.append(r"(?<=[^\u00a0\u202f\d\n])(?<!https)(?<!http)(?<!mailto):")
    return [text[max(0, m.start() - 20) : m.end() + 5] for m in re.finditer("|".join(patterns), text)]


def test_the_issue_page_text_has_every_no_break_space(cli, content, tmp_path):
    assert cli("--content", str(content), "--site-dir", str(tmp_path / "site"), "--sans-pdf").code == 0
    text = page_text((tmp_path / f"site/{FOLDER}/index.html").read_text(encoding="utf-8"))
    assert "«\u202fFaim zéro\u202f»" in text and f"malnutrition{NNBSP};" in text  # typed « «Faim zéro» », « ; »
    assert f"le gouvernement{NBSP}: le Ministre" in text and "http://bit.ly/2yqonzB" in text
    assert "mise en œuvre" in text and "d’organisations" in text
    assert missing_spaces(text) == []


def test_the_checker_of_this_test_sees_a_missing_space():
    assert missing_spaces("a ; b") and missing_spaces("a; b") and missing_spaces("«a»") and missing_spaces("a: b")
    assert missing_spaces(f"10:30, https://x.org, a{NNBSP}?! «{NNBSP}b{NNBSP}»{NNBSP}; c{NBSP}: d") == []


def test_the_print_edition_has_every_no_break_space(cli, content, tmp_path):
    edition = load_edition(content)
    (job,) = plan_print(edition, ROOT / "templates", tmp_path / "cache", months=("2017-11",), plans=False)
    assert missing_spaces(page_text(job.html)) == []
    assert cli("pdf", "2017-11", "--content", str(content), "--site-dir", str(tmp_path / "site")).code == 0
    pdf = tmp_path / f"site/{FOLDER}/bulletin-sr-2017-11.pdf"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "«\u202fFaim zéro\u202f»" in text
    # The PDF's text maps U+00A0 to the space glyph it shares in Lato: colons are checked in the HTML above.
    assert missing_spaces(text, colon=False) == []


# --- check's suggestions -------------------------------------------------------------------------------


def test_check_suggests_accents_and_grouped_numbers_in_the_seed_prose(cli, content, monkeypatch):
    monkeypatch.chdir(content.parent)
    run = cli("check", "--content", "content")
    assert run.code == 0, run.err  # suggestions, never errors
    issue, text = Path("content") / ISSUE, Path(f"content/{FOLDER}/fonds-fiduciaire.md")
    assert (
        f"{issue}:{line_of(content / ISSUE, '86.000')} — « 86.000 » : le point ne groupe pas "
        "les chiffres en français.\n"
        f"    → Écrivez « 86{NNBSP}000 », les milliers séparés par une espace fine insécable (copiez-la depuis "
        "ce message)."
    ) in run.err
    assert (
        f"{issue}:{line_of(content / ISSUE, '1 000 poules')} — « 1 000 » : une espace ordinaire "
        f"peut couper le nombre en fin de ligne.\n    → Écrivez « 1{NNBSP}000 »"
    ) in run.err
    assert (
        f"{text}:1 — « Etats » : en français, les majuscules gardent leur accent.\n    → Écrivez « États »."
    ) in run.err
    # The register's texts that pages print too (found on a sector's and an axis's page by a review): the
    # reference lists' names, a project's title and description.
    references, qip = Path("content/registre/references.yaml"), Path("content/registre/projets/qip.yaml")
    assert (
        f"{references}:{line_of(content / 'registre/references.yaml', 'nom: Education')} — « Education » : en "
        "français, les majuscules gardent leur accent.\n    → Écrivez « Éducation »."
    ) in run.err
    assert f"{qip}:{line_of(content / 'registre/projets/qip.yaml', 'titre: Unité avicole')} — « 1 000 » :" in run.err
    # In the issue: Etats, and Etat three times; in the register: Etat in a description, eight names.
    assert run.err.count("les majuscules gardent leur accent") == 4 + 1 + 8
    # 86.000, 1 000, 10 000 in the issue; 1 000 in a project's title.
    assert run.err.count("les milliers séparés par une espace fine insécable") == 3 + 1


def test_strict_makes_the_suggestions_errors_and_the_build_still_publishes_them_unchanged(cli, content, tmp_path):
    assert cli("check", "--strict", "--content", str(content)).code == 1
    assert cli("--content", str(content), "--site-dir", str(tmp_path / "site"), "--sans-pdf").code == 0
    text = page_text((tmp_path / f"site/{FOLDER}/index.html").read_text(encoding="utf-8"))
    assert "près de 86.000 dollars" in text and "l’autorité de l’Etat" in text  # suggested, not changed


def test_a_markdown_text_is_located_at_the_line_and_code_addresses_and_figures_are_skipped():
    text = (
        "Premier paragraphe.\n\nLe budget (1,000 USD) de l'Ecole, `1.000` et <https://x.org/1.000>,\n"
        "{{ ff.budget }} ; 12,4 millions et 0,300 ; 1.000,50 FCFA ; ELECTIONS.\n"
    )
    found = [str(p) for p in check_typography(Prose(text, SourceRef(Path("qip.md"), 1)), multiline=True)]
    assert found == [
        (
            "qip.md:3 — « 1,000 » : en français, la virgule marque les décimales (« 1,000 » vaut un, pas "
            f"mille).\n    → Écrivez « 1{NNBSP}000 », les milliers séparés par une espace fine insécable (copiez-la "
            "depuis ce message)."
        ),
        "qip.md:3 — « Ecole » : en français, les majuscules gardent leur accent.\n    → Écrivez « École ».",
        (
            "qip.md:4 — « 1.000,50 » : le point ne groupe pas les chiffres en français.\n"
            f"    → Écrivez « 1{NNBSP}000,50 », les milliers séparés par une espace fine insécable (copiez-la depuis "
            "ce message)."
        ),
        "qip.md:4 — « ELECTIONS » : en français, les majuscules gardent leur accent.\n    → Écrivez « ÉLECTIONS ».",
    ]


def test_a_text_already_right_gets_no_suggestion():
    text = f"L’État a versé 86{NNBSP}000 dollars ; 12,4 millions ; les Élections de 2017 ; 2015-2019."
    assert check_typography(Prose(text, SourceRef(Path("qip.md"), 1)), multiline=True) == []


def test_an_amount_typed_with_dots_is_still_compared_with_the_register(cli, content):
    """The amount check reads numbers with the same grammar (bulletin.typography_checks.NUMBER)."""
    edit(content / ISSUE, "près de 86.000 dollars", "près de 96.000 dollars")
    run = cli("check", "--content", str(content))
    assert run.code == 0
    assert "le texte annonce « 96.000 dollars » mais le registre indique" in run.err
    assert "« 96.000 » : le point ne groupe pas les chiffres en français." in run.err


# --- the web font -------------------------------------------------------------------------------------


def test_the_web_font_draws_the_spaces_and_signs_of_french_and_the_stylesheet_loads_it():
    from fontTools.ttLib import TTFont

    css = (ROOT / "templates/web/assets/stylesheets/bulletin.css").read_text(encoding="utf-8")
    faces = re.findall(r"@font-face \{[^}]*\}", css)
    files = [re.search(r'url\("\.\./fonts/([^"]+)"\)', face).group(1) for face in faces]
    assert len(files) == 2 and all("font-display: swap" in face for face in faces)  # regular and bold
    assert '--md-text-font: "Bulletin Texte";' in css  # drawn in it: tests/test_phone_layout.py
    for name in files:
        cmap = TTFont(ROOT / "templates/web/assets/fonts" / name).getBestCmap()
        assert all(ord(c) in cmap for c in f"{NNBSP}{NBSP}’«»œŒÉÀÇéèêàùç€−0123456789"), name


def test_the_guides_example_prose_comes_out_set():
    """Every Markdown example of the author's guide, typed the keyboard way, reads right once rendered."""
    from bulletin import prose

    from .test_guide import guide_blocks

    examples = [b.body for b in guide_blocks() if b.lang == "markdown"]
    names = prose.ISSUE_PLACEHOLDERS + prose.PROJECT_PLACEHOLDERS + prose.CONTRIBUTION_PLACEHOLDERS
    assert len(examples) >= 2 and any(";" in e and "«" in e for e in examples)
    for example in examples:
        text = page_text(str(prose.to_html(example, dict.fromkeys(names, "12 000 dollars"))))
        assert missing_spaces(text) == [], example


def test_every_public_page_and_the_feed_have_every_no_break_space(cli, content, tmp_path):
    """Not only the authors' prose: the fixed pages (À propos, données ouvertes), the fund, region and
    plan pages, the home and archive, the 404 page, every page's <title> and the feed's titles. The
    English edition (en/, bulletin/pages_en.py) is set in English typography: not French spaces."""
    import html as html_module

    site = tmp_path / "site"
    assert cli("--content", str(content), "--site-dir", str(site), "--sans-pdf").code == 0
    pages = sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "en")
    assert {"a-propos/index.html", "donnees-ouvertes/index.html", "regions/gao/index.html", "404.html"} <= {
        p.relative_to(site).as_posix() for p in pages
    }
    missing = {}
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        titles = [html_module.unescape(t) for t in re.findall(r"<title>(.*?)</title>", raw, re.S)]
        found = missing_spaces(page_text(raw)) + [m for t in titles for m in missing_spaces(t)]
        if found:
            missing[path.relative_to(site).as_posix()] = found
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    feed_titles = [html_module.unescape(t) for t in re.findall(r"<title[^>]*>(.*?)</title>", feed, re.S)]
    assert feed_titles and all(missing_spaces(t) == [] for t in feed_titles), feed_titles
    assert missing == {}
    assert "Région\u00a0: Gao" in (site / "regions/gao/index.html").read_text(encoding="utf-8")
