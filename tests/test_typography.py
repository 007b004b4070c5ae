"""French typography of the authors' prose (bulletin.typography): examples to the code point, and
properties over generated texts and fragments (idempotent, only spaces, apostrophes and « œ » change,
markup, code and addresses never)."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bulletin.prose import to_html
from bulletin.typography import set_html, set_text

from .conftest import line_of

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("le gouvernement: le Ministre", f"le gouvernement{NBSP}: le Ministre"),
        ("Gao : premier projet", f"Gao{NBSP}: premier projet"),
        ("alimentaire/ malnutrition; d'améliorer", f"alimentaire/ malnutrition{NNBSP}; d’améliorer"),
        ("Tous unis !", f"Tous unis{NNBSP}!"),
        ("Vraiment?!", f"Vraiment{NNBSP}?!"),
        ("au Mali «Faim zéro».", f"au Mali «{NNBSP}Faim zéro{NNBSP}»."),
        ("« Bara »", f"«{NNBSP}Bara{NNBSP}»"),
        (f"«{NBSP}Bara{NBSP}»", f"«{NNBSP}Bara{NNBSP}»"),
        (
            "la mise en oeuvre, le coeur, une soeur, un voeu, l'oeil",
            "la mise en œuvre, le cœur, une sœur, un vœu, l’œil",
        ),
        ("OEUVRE et Oeuvre, manoeuvre, boeuf, noeud, moeurs", "ŒUVRE et Œuvre, manœuvre, bœuf, nœud, mœurs"),
        ("le coefficient, la moelle, Noël", "le coefficient, la moelle, Noël"),
        ("deux  espaces   ici", "deux espaces ici"),
        ("Résolution 2085 (2012):", f"Résolution 2085 (2012){NBSP}:"),
        ("(?) et (!)", "(?) et (!)"),
        ("dont 80% sont alloués", f"dont 80{NNBSP}% sont alloués"),
        ("un taux de 12,5 %.", f"un taux de 12,5{NNBSP}%."),
        ("le % des projets", "le % des projets"),
    ],
)
def test_examples(typed, expected):
    assert set_text(typed) == expected


@pytest.mark.parametrize(
    "untouched",
    [
        "à 10:30, un ratio de 3:1, le score 2:0:1",
        "http://bit.ly/2yqonzB",
        "https://exemple.org/page?a=1;b=2!c",
        "écrire à sharopov@un.org",
        "mailto:sharopov@un.org",
        "www.exemple.org/a;b",
        "https://exemple.org/a%20b",
    ],
)
def test_times_ratios_addresses_are_left_as_typed(untouched):
    assert set_text(untouched) == untouched


def test_an_address_keeps_its_text_but_not_the_sentence_after_it():
    assert set_text("Voir https://exemple.org/x?y=1 : la page.") == f"Voir https://exemple.org/x?y=1{NBSP}: la page."


def test_html_code_links_and_attributes_are_never_changed():
    fragment = (
        '<p title="a : b ; c" class="x">Voir <a href="https://x.org/?a=1;b">https://x.org/?a=1;b</a> '
        "à 10:30 ; <code>a: b; c</code> fin</p><pre><code>x ; y : « z »</code></pre>"
    )
    assert set_html(fragment) == (
        '<p title="a : b ; c" class="x">Voir <a href="https://x.org/?a=1;b">https://x.org/?a=1;b</a> '
        f"à 10:30{NNBSP}; <code>a: b; c</code> fin</p><pre><code>x ; y : « z »</code></pre>"
    )


def test_html_rules_reach_across_inline_elements_not_blocks():
    assert set_html("<p>de cérémonies. « <em>C’est une première</em> » a souligné</p>") == (
        f"<p>de cérémonies. «{NNBSP}<em>C’est une première</em>{NNBSP}» a souligné</p>"
    )
    # The space goes with the sign, outside the bold; the space the bold kept is taken away.
    assert set_html("<p><strong>Gao </strong>: texte</p>") == f"<p><strong>Gao</strong>{NBSP}: texte</p>"
    assert set_html("<ul><li>fin</li><li>; début</li></ul>") == "<ul><li>fin</li><li>; début</li></ul>"


def test_a_page_keeps_its_comments_scripts_and_drawings():
    page = (
        "<p>a<!-- l'ours : x -->b : c</p><script>if (a<b && c>d) x = 'y : z';</script>"
        "<svg><text>Gao : 3</text></svg><p>fin ; ok</p>"
    )
    assert set_html(page) == (
        "<p>a<!-- l'ours : x -->b\u00a0: c</p><script>if (a<b && c>d) x = 'y : z';</script>"
        "<svg><text>Gao : 3</text></svg><p>fin\u202f; ok</p>"
    )


def test_entities_stay_entities():
    assert set_html("<p>R &amp; D ; a &lt; b</p>") == f"<p>R &amp; D{NNBSP}; a &lt; b</p>"


def test_prose_rendering_applies_the_pass():
    html_out = str(to_html("Le **comité** a dit: «oui»; voir <http://bit.ly/2yqonzB> et `a: b`.", {}))
    assert html_out == (
        f"<p>Le <strong>comité</strong> a dit{NBSP}: «{NNBSP}oui{NNBSP}»{NNBSP}; voir "
        '<a href="http://bit.ly/2yqonzB">http://bit.ly/2yqonzB</a> et <code>a: b</code>.</p>'
    )


# --- properties ----------------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "Gao",
        "l'État",
        "oeuvre",
        "coeur",
        "voeu",
        "OEIL",
        "projet",
        "10:30",
        "3:1",
        "86.000",
        "1 000",
        "https://x.org/a?b=1;c",
        "www.x.org",
        "a.b@un.org",
        "mailto:a@b.org",
        "javascript:x(1)",
        "(",
        ")",
        "’",
        "«",
        "»",
        ":",
        ";",
        "!",
        "?",
        "?!",
        "'",
        ",",
        ".",
        "-",
        "—",
        "*",
        "&",
        "<",
        ">",
        "é",
        "x:y",
        "Œuvre",
        "%",
        "80",
    ]
)
SPACES = st.sampled_from(["", " ", "  ", NBSP, NNBSP, "\n", " \u00a0 "])
TEXTS = st.lists(st.tuples(WORDS, SPACES), max_size=30).map(lambda parts: "".join(w + s for w, s in parts))
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Co")), max_size=60)


def _skeleton(text: str) -> str:
    """What the pass may not change: everything but white space, apostrophes and the œ ligature."""
    return re.sub(r"\s", "", text.casefold()).replace("œ", "oe").replace("’", "'")


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXTS, ANY_TEXT))
def test_idempotent_and_only_spaces_apostrophes_and_ligatures_change(text):
    once = set_text(text)
    assert set_text(once) == once
    assert _skeleton(once) == _skeleton(text)


ADDRESSES = st.sampled_from(
    ["https://exemple.org/a?b=1;c=2", "http://bit.ly/2yqonzB", "a.b@un.org", "www.exemple.org/x;y", "10:30", "3:1"]
)


@settings(max_examples=200, deadline=None)
@given(TEXTS, ADDRESSES, TEXTS)
def test_addresses_times_and_ratios_come_out_as_typed(before, address, after):
    out = set_text(f"{before} {address} {after}")
    assert f" {address}" in out or f"{NBSP}{address}" in out or f"{NNBSP}{address}" in out


@st.composite
def fragments(draw):
    """A cleaned fragment: paragraphs of text, inline elements, code, links with an address."""
    blocks = []
    for _ in range(draw(st.integers(1, 3))):
        inline = []
        for _ in range(draw(st.integers(1, 4))):
            text = html.escape(draw(TEXTS), quote=False)
            kind = draw(st.sampled_from(["text", "strong", "em", "code", "a"]))
            inline.append(
                text
                if kind == "text"
                else f'<a href="https://x.org/?q=1;r">{text}</a>'
                if kind == "a"
                else f"<{kind}>{text}</{kind}>"
            )
        blocks.append(f"<p>{''.join(inline)}</p>")
    return "".join(blocks)


_TAGS = re.compile(r"<[^>]*>")
_CODE = re.compile(r"<code>.*?</code>", re.DOTALL)


@settings(max_examples=200, deadline=None)
@given(fragments())
def test_html_pass_is_idempotent_and_never_touches_markup_or_code(fragment):
    once = set_html(fragment)
    assert set_html(once) == once
    assert _TAGS.findall(once) == _TAGS.findall(fragment)
    assert _CODE.findall(once) == _CODE.findall(fragment)
    assert _skeleton(html.unescape(_TAGS.sub("", once))) == _skeleton(html.unescape(_TAGS.sub("", fragment)))


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_one_paragraph_reads_as_the_plain_text_pass(text):
    assert set_html(f"<p>{html.escape(text, quote=False)}</p>") == f"<p>{html.escape(set_text(text), quote=False)}</p>"


def test_a_character_the_prints_font_lacks_is_warned_at_its_line(cli, content):
    """✅ and a flag printed as empty boxes in the PDF, and check said nothing: each is a warning at the
    line where it first is; the letters, punctuation and spaces of French texts never are."""
    role = content / "bulletins/2017-11/role.md"
    added = "\n\nMission accomplie ✅ au Mali 🇲🇱 → suite.\n"
    role.write_text(role.read_text(encoding="utf-8") + added, encoding="utf-8")
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    where = f"{role}:{line_of(role, 'Mission accomplie')} — "
    warned = [block for block in run.err.split("\n\n") if "n'existe pas dans la police du PDF" in block]
    assert len(warned) == 3 and all(block.startswith(where) for block in warned), warned
    assert "« ✅ » : ce caractère (U+2705) n'existe pas" in run.err and "(U+1F1F2)" in run.err
    assert "U+2192" not in run.err  # the arrow is in the font


def test_a_dated_event_that_starts_with_a_capital_is_warned_but_a_name_is_not(cli, content):
    """The page writes « Le 30 octobre, » before a dated event's text: « La Section… » read « Le 30 octobre,
    La Section… », and check said nothing. A name (« MINUSMA a… ») starts with its capital all the same."""
    issue = content / "bulletins/2017-11/bulletin.yaml"
    text = issue.read_text(encoding="utf-8")
    assert "      la Section S&R de la MINUSMA a organisé une **vaste" in text
    text = text.replace(
        "      la Section S&R de la MINUSMA a organisé une **vaste",
        "      La Section S&R de la MINUSMA a organisé une **vaste",
    )
    issue.write_text(text, encoding="utf-8")
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    warned = [block for block in run.err.split("\n\n") if "suit la date" in block]
    assert len(warned) == 1, run.err
    texte = line_of(issue, "La Section S&R de la MINUSMA a organisé") - 1  # `texte: >-`, where the text begins
    assert warned[0].startswith(f"{issue}:{texte} — « La » :")
    assert "(« Le 30 octobre, La… »)" in warned[0] and "Écrivez « la », avec une minuscule." in warned[0]
    issue.write_text(
        text.replace("      La Section S&R de la MINUSMA a organisé", "      MINUSMA a organisé"), encoding="utf-8"
    )
    assert "suit la date" not in cli("check", "--content", str(content)).err


# Pieces of pages as the templates and the authors write them: blocks and inline tags, the elements
# whose text is never set (some left open), comments, entities, and text with every sign the rules act on.
_BLOCKISH = st.sampled_from(["<p>", "</p>", "<li>", "</li>", "<td>", "</td>", '<div class="a">', "</div>", "<h2>"])
_INLINE = st.sampled_from(["<b>", "</b>", '<a href="https://x.org/a:b">', "</a>", "<span>", "</span>", "<br/>"])
_OPAQUE_TAGS = st.sampled_from(["<code>", "</code>", "<pre>", "</pre>", "<svg/>", "<svg>", "</svg>", "<!-- a ; b -->"])
_WORDS = st.lists(
    st.sampled_from(
        [
            *"aeoiltnsAOE019 :;!?«»'&\n\u00a0\u202f",
            "  ",
            "oe",
            "&amp;",
            "&#39;",
            "&raquo;",
            "www.x.fr",
            "a@b.fr",
            "10:30",
        ]
        + ["https://y.org/p?q=1;r"]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.one_of(_BLOCKISH, _INLINE, _OPAQUE_TAGS, _WORDS), max_size=40))
@example(["a ", "<b>", ": x"])  # a rule across an inline tag: the space and the sign in two texts
@example(["<p>", "a ", "</p>", " ; b", "<li>", "« c", "</li>"])  # blocks: each edge stops the rules
@example(["<code>", "a", "<p>", " ; b", "</code>", " ; c"])  # a block inside code is not an edge
@example(["<pre>", "x", "<p>", "a ; b"])  # code left open: the rest is never set
@example(["l'", "<b>", "oeuvre", "</b>", "  x", "<td>", "https://z.org/a;b :", "</td>"])
def test_a_page_set_block_by_block_reads_as_the_page_set_at_once(parts: list[str]) -> None:
    """set_html sets each block apart, and finds again a block it has set (a region's page of 2 000
    blocks after a save that changed one): no rule reaches across the edge of a block, so the page
    must come out as the page set at once, whatever its tags, signs and unclosed elements."""
    from bulletin.typography import _set_pieces, _split

    fragment = "".join(parts)
    at_once = _set_pieces.__wrapped__(tuple(p for p in _split(fragment) if p))
    assert set_html(fragment) == at_once
    assert set_html(fragment) == at_once  # found again: the same
