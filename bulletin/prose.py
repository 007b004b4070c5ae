"""Author prose: Markdown to HTML, and the {{ name }} placeholders for computed figures."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import markdown
from markupsafe import Markup

from . import sandbox, sanitize, typography
from .errors import Problem, SourceRef
from .messages import prose as prose_msg
from .models import Prose

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")

# Names an author may use in an issue's prose. Values are filled in by render.
ISSUE_PLACEHOLDERS = (
    "qip.plafond",
    "qip.duree_max",
    "qip.finalises",
    "qip.en_cours",
    "qip.total",
    "qip.montant",
    "ff.contributeurs",
    "ff.budget",
    "ff.cout",
    "ff.finalises",
    "ff.en_cours",
    "ff.approuves",
    "pbf.projets",
    "pbf.montant",
    "pbf.montant_millions",
    "pbf.prolonges",
)
PROJECT_PLACEHOLDERS = ("projet.montant", "projet.titre")
CONTRIBUTION_PLACEHOLDERS = ("contribution.montant", "contribution.montant_millions", "contribution.bailleur")


def check_placeholders(prose: Prose, allowed: Iterable[str], multiline: bool) -> list[Problem]:
    """Report every {{ name }} that is not an available figure, at its line when known."""
    allowed = tuple(allowed)
    out = []
    for opening in re.finditer(r"\{\{", prose.texte):  # a placeholder only: « {{ 7*7 }} » printed as typed
        if PLACEHOLDER.match(prose.texte, opening.start()) is None:
            line = prose.source.line
            if multiline and line is not None:
                line += prose.texte.count("\n", 0, opening.start())
            typed = prose.texte[opening.start() : opening.start() + 40].split("\n")[0]
            end, following = typed.find("}}"), typed.find("{{", 2)
            if end >= 0 and (following < 0 or end < following):
                typed = typed[: end + 2]
            else:
                typed = (typed[:following] if following > 0 else typed).rstrip() + "…"
            out.append(prose_msg.malformed_placeholder(SourceRef(prose.source.path, line), typed, allowed))
    for match in PLACEHOLDER.finditer(prose.texte):
        if match.group(1) not in allowed:
            line = prose.source.line
            if multiline and line is not None:
                line += prose.texte.count("\n", 0, match.start())
            out.append(prose_msg.unknown_placeholder(SourceRef(prose.source.path, line), match.group(1), allowed))
    return out


# What an author may copy from a web page's source or a template: front matter (a block of « clé: valeur »
# lines between two « --- » lines at the top) and template statements or comments. Neither is read in a
# text: Markdown would print the first as a heading, the second as typed, braces and all.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:[^\n]*\n){0,40}?---[ \t]*(?:\n|\Z)")
_FRONT_FIELD = re.compile(r"^[\w-]+\s*:", re.MULTILINE)
# « {#ancre} » alone is Markdown's attribute list (an anchor): a comment needs its closing « #} ».
_STATEMENT = re.compile(r"\{%.*?%\}|\{#[^}]*?#\}|\{%", re.DOTALL)
_CODE = re.compile(r"(`+)[^`]*?\1|^(?:```|~~~).*?^(?:```|~~~)", re.DOTALL | re.MULTILINE)


def check_stray_syntax(prose: Prose, multiline: bool) -> list[Problem]:
    """A front matter block or a template statement in an author's text (not in code): published as typed."""
    text = prose.texte
    if not text.startswith("---") and "{%" not in text and "#}" not in text:
        return []

    def where(offset: int) -> SourceRef:
        line = prose.source.line
        if multiline and line is not None:
            line += text.count("\n", 0, offset)
        return SourceRef(prose.source.path, line)

    out = []
    front = _FRONT_MATTER.match(text)
    if front and _FRONT_FIELD.search(front.group(0)):
        out.append(prose_msg.front_matter(where(0)))
    # Code (between backquotes) shows syntax on purpose: blanked, same length, before looking.
    visible = _CODE.sub(lambda m: " " * len(m.group(0)), text)
    for statement in _STATEMENT.finditer(visible):
        typed = text[statement.start() : statement.end()].split("\n")[0][:40]
        out.append(prose_msg.template_statement(where(statement.start()), typed))
    return out


def fetched(text: str) -> tuple[sandbox.Resource, ...]:
    """Every address the text's HTML would make a renderer fetch: a pure function of the text, which a
    caller may keep under its digest (converting the archive's prose is most of what `check` costs)."""
    if "<" not in text and "![" not in text:  # no raw HTML, no Markdown picture: nothing to fetch
        return ()
    return tuple(sandbox.resources(_markdown(text)))


def check_resources(
    prose: Prose, multiline: bool, resources: Sequence[sandbox.Resource] | None = None
) -> list[Problem]:
    """Refuse every picture, stylesheet, embedded object or attachment the text's HTML would fetch
    (`resources`: fetched(prose.texte), when the caller has it).

    Whatever it points to (another site, a file outside the text's folder, a missing or a present
    file), nothing in prose is fetched: pictures go in a photo block. Located at the line where
    the address is written, when it can be found there.
    """
    text = prose.texte
    folder = prose.source.path.parent
    out: list[Problem] = []
    after: dict[str, int] = {}  # the same address twice: the second is searched after the first
    for found in fetched(text) if resources is None else resources:
        line = prose.source.line
        at = text.find(found.url, after.get(found.url, 0))
        if at >= 0:
            after[found.url] = at + 1
            if multiline and line is not None:
                line += text.count("\n", 0, at)
        out.append(
            prose_msg.prose_resource(
                SourceRef(prose.source.path, line), found.tag, found.url, sandbox.classify(found.url, folder)
            )
        )
    return out


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace placeholders by their formatted values; validation has vouched for the names.

    A value is text (a project's title, a donor's name), never markup: it is escaped for HTML and for
    Markdown before it joins the author's Markdown, so it prints as written.
    """
    return PLACEHOLDER.sub(lambda m: literal(values[m.group(1)]), text)


_MARKDOWN = markdown.Markdown(extensions=["extra", "sane_lists", "smarty"], output_format="html")
# Markdown's own escapes (\*, \[, \{…), except the dot and the hyphen: they start a list only at the
# head of a line, and escaped they would keep smarty from writing "…" and "–" as it did before.
_MARKDOWN_SPECIAL = re.compile(
    "([{}])".format(re.escape("".join(c for c in _MARKDOWN.ESCAPED_CHARS if c not in ".-\"'")))
)


def literal(value: str) -> str:
    """A plain text as Markdown that renders exactly that text: `<`, `&` as entities, `*`, `[`… escaped."""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped.replace("\n", " "))


# Markdown reads a paragraph (its inline text) in a time that, for some texts, grows with the square of
# its length or worse ("[a](https://x.org/" repeated: 18 000 characters 1 s, 36 000 4 s, one line of
# 360 000 minutes; "<b " likewise), and check converts every text. A paragraph, list item or table row
# longer than LONGEST_PARAGRAPH, or a text longer than LONGEST_TEXT, is refused before Markdown sees it:
# a long paragraph is a few thousand characters, the longest page (the author's guide) 76 000.
LONGEST_PARAGRAPH = 8_000
LONGEST_TEXT = 200_000
_BLOCK_START = re.compile(r"[ \t]*(?:[-*+>|#]|\d{1,9}[.)])")
# A table's delimiter row (« --- | :---: »), with or without its outer pipes, under a header row that has
# a « | »: the rows under it that have one are read cell by cell, each a row of its own even when it does
# not start with « | ». A line without one ends the table, as it does for Markdown (a delimiter row under
# plain text is no table: its lines stay one paragraph).
_TABLE_DELIMITER = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")


def too_long(text: str) -> list[tuple[int, int]]:
    """(index of the first line, length) of the whole text when longer than LONGEST_TEXT, else of each
    paragraph (lines up to a blank line or the next item, quote, row or heading) longer than LONGEST_PARAGRAPH."""
    if len(text) <= LONGEST_PARAGRAPH:
        return []
    if len(text) > LONGEST_TEXT:
        return [(0, len(text))]
    out, first, size, table, previous = [], 0, 0, False, ""
    for i, line in enumerate(text.split("\n")):
        table = table and "|" in line
        if not line.strip() or _BLOCK_START.match(line) or table:
            if size > LONGEST_PARAGRAPH:
                out.append((first, size))
            size = 0
        table = table or ("|" in previous and bool(_TABLE_DELIMITER.match(line)))
        previous = line
        if line.strip():
            first = i if size == 0 else first
            size += len(line) + 1
    if size > LONGEST_PARAGRAPH:
        out.append((first, size))
    return out


# Quotes and lists nested in each other: Python-Markdown's list reading and the print engine's layout
# recurse, and gave up (a RecursionError: no page, no PDF) at 300 levels; a page never needs more than a
# few. A level is a marker (« > », « - », « 1. ») or four columns of indentation before the first one.
DEEPEST = 20
_NESTING = re.compile(r"[ \t]*(?:>[ \t]*|[-*+][ \t]+|\d{1,9}[.)][ \t]+)")
_INDENT = re.compile(r"[ \t]*")
_RULE = re.compile(r"[ \t]*(?:([-*_])[ \t]*)(?:\1[ \t]*){2,}")  # « - - - », « *** »: a horizontal rule


def nesting(text: str) -> list[tuple[int, int]]:
    """(index of the line, its depth) of each line nested deeper than DEEPEST."""
    out = []
    for i, line in enumerate(text.split("\n")):
        if _RULE.fullmatch(line):
            continue
        indent = _INDENT.match(line)
        depth, at = len(indent.group(0).expandtabs(4)) // 4 if indent else 0, 0
        while (marker := _NESTING.match(line, at)) is not None and marker.end() > at:
            depth, at = depth + 1, marker.end()
        if depth > DEEPEST:
            out.append((i, depth))
    return out


_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)[^>]*?(/?)>")
_VOID = frozenset({"br", "hr", "img", "input", "wbr", "col", "area", "source", "track", "meta", "link", "embed"})
# Left unclosed in hand-written HTML, and closed by the next one: not counted as nesting.
_OPTIONAL_CLOSE = frozenset({"p", "li", "td", "th", "tr", "dt", "dd", "option", "thead", "tbody", "tfoot"})
DEEPEST_ELEMENTS = 50


def element_depth(html: str) -> int:
    """How deep the elements of an HTML fragment are nested (raw HTML in prose nests as Markdown does)."""
    depth = deepest = 0
    for tag in _TAG.finditer(html):
        name = tag[2].lower()
        if name in _VOID or name in _OPTIONAL_CLOSE:
            continue
        if tag[1]:
            depth = max(0, depth - 1)
        elif not tag[3]:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


@lru_cache(maxsize=4096)
def _markdown(text: str) -> str:
    # One converter, reset between texts: building one loads every extension and costs more than
    # converting a paragraph. Results are cached by text: most prose repeats between renders.
    if too_long(text):  # refused by check_markup: never published, and never handed to Markdown
        return f"<p>{Markup.escape(text)}</p>"
    return _MARKDOWN.reset().convert(text)


@lru_cache(maxsize=4096)
def _convert(text: str, french: bool = True) -> str:
    """The author's Markdown as HTML, cleaned against bulletin.sanitize's allow-list, then set in French
    typography (bulletin.typography: web and print read the same HTML); an English text is left as typed."""
    html = sanitize.clean(_markdown(text))
    return typography.set_html(html) if french else html


def check_markup(prose: Prose, multiline: bool) -> list[Problem]:
    """Everything the cleaning would drop from a text, located at the line where it is written.

    Scripts, event handlers, frames, forms, `meta`, `base` and addresses other than http(s), mailto
    or relative are errors; other markup that would be unwrapped (its text kept) is a warning.
    """
    text = prose.texte
    long_lines = too_long(text)
    if long_lines:
        first = prose.source.line
        located = [first + i if multiline and first is not None else first for i, _ in long_lines]
        whole = long_lines[0][1] > LONGEST_TEXT
        return [
            prose_msg.text_too_long(
                SourceRef(prose.source.path, line), length, LONGEST_TEXT if whole else LONGEST_PARAGRAPH, whole
            )
            for line, (_, length) in zip(located, long_lines, strict=True)
        ]
    deep = nesting(text) if (">" in text or "- " in text or "* " in text or "+ " in text or ". " in text) else []
    if deep:
        first = prose.source.line
        return [
            prose_msg.nested_too_deep(
                SourceRef(prose.source.path, first + i if multiline and first is not None else first), depth, DEEPEST
            )
            for i, depth in deep
        ]
    # Only raw HTML (<), an attribute list ({) or a link, picture, footnote or abbreviation ([) can give
    # the cleaning something to drop: an address's scheme matters only inside one of them. Most French
    # prose has colons and none of these, and is then not converted just to be checked. A figure's
    # placeholder ({{ qip.total }}) becomes plain text on the page: its braces do not count.
    bare = PLACEHOLDER.sub("", text) if "{{" in text else text
    if "<" not in bare and "{" not in bare and "[" not in bare:
        return []
    out, after = [], 0
    converted = _markdown(text)
    depth = element_depth(converted) if "<" in bare else 0
    if depth > DEEPEST_ELEMENTS:
        out.append(prose_msg.nested_too_deep(prose.source, depth, DEEPEST_ELEMENTS))
    lowered = text.lower()
    for dropped in sanitize.audit(converted):
        line = prose.source.line
        at = lowered.find(dropped.needle.lower(), after)
        if at < 0:
            at = lowered.find(dropped.needle.lower())
        if at >= 0:
            after = at + 1
            if multiline and line is not None:
                line += text.count("\n", 0, at)
        where = SourceRef(prose.source.path, line)
        out.append(
            prose_msg.markup_refused(where, dropped.what, dropped.feminine)
            if dropped.refused
            else prose_msg.markup_dropped(where, dropped.what, dropped.feminine)
        )
    return out


def to_html(text: str, values: Mapping[str, str], lead: str = "", french: bool = True) -> Markup:
    """Markdown -> HTML; a lead ("Le 30 octobre, ") runs into the first paragraph. french=False: an English
    text, without French typography (no space before « : »)."""
    html = _convert(fill(text, values), french)
    if lead:
        escaped = str(Markup.escape(lead))
        html = html.replace("<p>", "<p>" + escaped, 1) if html.startswith("<p>") else escaped + html
    return Markup(html)
