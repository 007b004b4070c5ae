"""Hostile content cannot put markup that runs, frames, submits or redirects into a web page (issue 16).

Every free-text field that reaches a page (settings, fund, region, donor and plan names, project
titles) and every kind of prose (an issue's .md texts, an event's text, a plan's summary) carries
scripts, event handlers, `javascript:` links, frames, objects, forms, `meta` refresh, `base` and
attribute lists with handlers. `check` names each thing it would drop, at its line; and even with
`check`'s prose audits switched off, the built pages (parsed, not searched as text) hold none of them,
while the legitimate Markdown beside them (links, tables, emphasis) is kept. Every page carries the
Content Security Policy, and has no inline script for it to allow.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bulletin import csp, prose, sanitize
from bulletin.cli import main
from bulletin.errors import SourceRef
from bulletin.models import Prose
from tests.conftest import CONTENT, ISSUE, ROOT, edit, line_of

SCRIPT = "<script>alert(1)</script>"
# Prose an author could type, one vector a line (the line is what check must point at).
HOSTILE_PROSE = """

<script>alert('md')</script>

<iframe src="https://evil.example/"></iframe>

<object data="https://evil.example/x.swf"></object>

<embed src="https://evil.example/x.swf">

<form action="https://evil.example/"><input name="q"></form>

<meta http-equiv="refresh" content="0;url=https://evil.example/">

<base href="https://evil.example/">

Un [lien piégé](javascript:alert('lien')) dans une phrase.

<a href="JaVaScRiPt:alert(2)">casse</a> et <a href="data:text/html,x">données</a>

<p onmouseover="alert('survol')">survol</p>

Paragraphe piégé
{: onclick="alert('attr')" }

Bonne [adresse](https://minusma.unmissions.org/) et *emphase* gardées.

| colonne | valeur |
| --- | --- |
| cellule | 1 |
"""
# (what check names, what to find on the reported line of qip.md)
EXPECTED_IN_QIP = [
    ("la balise <script>", "<script>"),
    ("la balise <iframe>", "<iframe"),
    ("la balise <object>", "<object"),
    ("la balise <embed>", "<embed"),
    ("la balise <form>", "<form"),
    ("la balise <input>", "<input"),
    ("la balise <meta>", "<meta"),
    ("la balise <base>", "<base"),
    ("l'adresse javascript:", "[lien piégé]"),
    ("l'adresse javascript:", "JaVaScRiPt:"),
    ("l'adresse data:", "data:text/html"),
    ("l'attribut onmouseover", "onmouseover"),
    ("l'attribut onclick", "{: onclick"),
]


def make_hostile(content: Path) -> None:
    """The seed content with markup in every free text that reaches a page (check accepts the names)."""
    edit(content / "reglages.yaml", "titre: Bulletin mensuel S&R", f"titre: Bulletin{SCRIPT}")
    edit(content / "reglages.yaml", "mission: MINUSMA", f"mission: MINUSMA{SCRIPT}")
    refs = content / "registre/references.yaml"
    edit(refs, "nom: Fonds fiduciaire", f"nom: Fonds fiduciaire{SCRIPT}")
    edit(refs, "sigle: QIPs", "sigle: QIPs<img src=x onerror=alert(1)>")
    edit(refs, "nom: Gao,", f"nom: Gao{SCRIPT},")
    for path in (content / "registre").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Canada", f"Canada{SCRIPT}"), encoding="utf-8")
    edit(
        content / "registre/projets/qip.yaml",
        "titre: Unité avicole de 1 000 poules pondeuses à Bara",
        f"titre: Unité avicole *de* 1 000 poules [x](javascript:alert(1)) {SCRIPT} à Bara",
    )
    edit(
        content / "plans/liptako-gourma-2024.yaml",
        "titre: Mécanisme de Stabilisation",
        f"titre: Mécanisme{SCRIPT} de Stabilisation",
    )
    issue = content / ISSUE
    edit(
        issue,
        "un montant de\n        {{ projet.montant }} consiste",
        "un montant de\n        {{ projet.montant }} ({{ projet.titre }}) consiste",
    )
    edit(
        issue,
        "une délégation de la MINUSMA a effectué",
        "une <script>alert('texte')</script> délégation <iframe src=\"https://evil.example/\"></iframe>"
        " de la MINUSMA a effectué",
    )
    folder = issue.parent
    for name in ("qip.md", "fonds-fiduciaire.md", "pbf.md", "role.md", "remerciements.md"):
        with (folder / name).open("a", encoding="utf-8") as f:
            f.write(HOSTILE_PROSE)
    with (content / "plans/liptako-gourma-2024.md").open("a", encoding="utf-8") as f:
        f.write(HOSTILE_PROSE)


# ------------------------------------------------------------------------------- check


def test_check_names_every_dropped_thing_at_its_line(content, cli):
    make_hostile(content)
    run = cli("check", "--content", str(content))
    assert run.code == 1
    report = run.out + run.err
    qip = content / "bulletins/2017-11/qip.md"
    for what, needle in EXPECTED_IN_QIP:
        where = f"bulletins/2017-11/qip.md:{line_of(qip, needle)} — "
        agreed = "e dans" if what.startswith(("la ", "l'adresse")) else " dans"
        it = "elle serait retirée" if what.startswith(("la ", "l'adresse")) else "il serait retiré"
        message = (
            f"{what} n'est pas permis{agreed} un texte publié : la page ne peut ni exécuter de script, "
            f"ni inclure un autre site, ni envoyer un formulaire ; {it}."
        )
        assert where + message in report, f"{what} not reported at {where}"
    plan_summary = content / "plans/liptako-gourma-2024.md"
    assert (
        f"plans/liptako-gourma-2024.md:{line_of(plan_summary, '<script>')} — la balise <script> n'est pas permise"
        in report
    )
    # A one-line text of bulletin.yaml is located at its field.
    item_line = line_of(content / ISSUE, "id: qip-poules-bara") + 4
    assert f"bulletins/2017-11/bulletin.yaml:{item_line} — la balise <script> n'est pas permise" in report
    assert f"bulletins/2017-11/bulletin.yaml:{item_line} — la balise <iframe> n'est pas permise" in report
    # The names of the register and the settings are text, not markup: check has nothing to say of them.
    assert not [
        line
        for line in report.splitlines()
        if "n'est pas permis" in line and ("references.yaml" in line or "reglages.yaml" in line or "qip.yaml" in line)
    ]


def test_harmless_markup_outside_the_list_is_a_warning_naming_it(content, cli):
    qip = content / "bulletins/2017-11/qip.md"
    with qip.open("a", encoding="utf-8") as f:
        f.write('\n\nUn mot <u>souligné</u> et <span style="color: red">rouge</span>.\n')
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.out + run.err
    line = line_of(qip, "<u>souligné")
    assert (
        f"bulletins/2017-11/qip.md:{line} — la balise <u> sera retirée de la page publiée (le texte autour est gardé)."
        in run.out + run.err
    )
    assert f"bulletins/2017-11/qip.md:{line} — l'attribut style sera retiré" in run.out + run.err
    assert cli("check", "--content", str(content), "--strict").code == 1


# (field, file, text after which the field is written with the URL, indentation)
LINK_FIELDS = [
    ("lien", ISSUE, "      projet: QIP-2017-02\n", "      "),  # an event's link
    ("archive", ISSUE, None, ""),  # the issue's archive
    ("lien", "registre/projets/qip.yaml", None, "  "),  # a project's link
    ("lien", "registre/contributions.yaml", None, "  "),  # a contribution's link
]


def _link_written(content: Path, field: str, where: str, after: str | None, indent: str, url: str) -> Path:
    """The link field set to url: the first value of the field replaced, or a line added after `after`."""
    path = content / where
    written = f'{indent}{field}: "{url}"\n'
    if after is None:
        old = next(
            line
            for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
            if line.startswith(f"{indent}{field}: ")
        )
        edit(path, old, written)
    else:
        edit(path, after, after + written)
    return path


@pytest.mark.parametrize("field, where, after, indent", LINK_FIELDS, ids=lambda v: str(v)[:20])
@pytest.mark.parametrize(
    "url, scheme",
    [
        ("javascript:alert(document.domain)", "javascript"),
        ("data:text/html;base64,PHNjcmlwdD4=", "data"),
        ("JaVaScRiPt:alert(1)", "javascript"),
        ("file:///etc/passwd", "file"),
        ("vbscript:msgbox", "vbscript"),
    ],
)
def test_link_fields_refuse_schemes_other_than_web_and_mail(content, cli, field, where, after, indent, url, scheme):
    path = _link_written(content, field, where, after, indent, url)
    run = cli("check", "--content", str(content))
    assert run.code == 1
    line = line_of(path, url)
    expected = (
        f"{where}:{line} — « {field} » : l'adresse « {url} » commence par « {scheme}: » ; seules les "
        "adresses https://, http:// et mailto: sont publiées."
    )
    assert expected in run.out + run.err


@pytest.mark.parametrize("field, where, after, indent", LINK_FIELDS, ids=lambda v: str(v)[:20])
@pytest.mark.parametrize("url", ["www.minusma.org", "bit.ly/2kHVozG", "//evil.example/x"])
def test_link_fields_refuse_a_site_named_without_its_scheme(content, cli, field, where, after, indent, url):
    """« www.minusma.org » reads as a page of this site (a dead link on the web, a link to the build's
    folder in the PDF): refused, with the full address to write."""
    path = _link_written(content, field, where, after, indent, url)
    run = cli("check", "--content", str(content))
    assert run.code == 1
    full = url if url.startswith("//") else "//" + url
    expected = f"{where}:{line_of(path, url)} — « {field} » : l'adresse « {url} » n'a pas de « https:// »"
    assert expected in run.err and f"« {field}: https:{full} »" in run.err, run.err


def test_the_pdf_carries_no_link_to_the_machine_that_printed_it(content, cli, tmp_path):
    """The print engine resolves a relative link against the build's folder: « ../../../../etc/passwd »,
    « /etc/passwd » or « //host/x » became file:// links in the PDF. Only web and mail links are kept
    (their text stays); the page's own links to its sections still work."""
    import pypdf

    with (content / "bulletins/2017-11/role.md").open("a", encoding="utf-8") as role:
        role.write(
            "\n\n[remonter](../../../../etc/passwd), [mot de passe](/etc/passwd), [ailleurs](//evil.example/x),"
            " [À propos](../../a-propos/) et [le site](https://minusma.unmissions.org/).\n"
        )
    site = tmp_path / "site"
    run = cli("pdf", "2017-11", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp_path / "c"))
    assert run.code == 0, run.err
    pdf = site / "bulletins/2017-11/bulletin-sr-2017-11.pdf"
    reader = pypdf.PdfReader(pdf)
    uris = [
        str(a.get_object()["/A"].get("/URI"))
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    ]
    assert "https://minusma.unmissions.org/" in uris
    assert all(u.startswith(("https://", "http://", "mailto:")) for u in uris), uris
    assert b"file:" not in pdf.read_bytes()
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "remonter" in text and "mot de passe" in text


def test_link_fields_accept_web_mail_and_relative_addresses(content, cli):
    edit(content / "registre/projets/qip.yaml", "lien: http://bit.ly/2EKwwyS", "lien: mailto:sr@un.org")
    edit(content / ISSUE, "archive: https://minusma.unmissions.org/bulletin-mensuel", "archive: ../archives/")
    assert cli("check", "--content", str(content)).code == 0


# ------------------------------------------------------------------------------- the built pages


class _Page(HTMLParser):
    """Every element of a page with its attributes, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


# The search fields of the header (templates/web/partials/recherche.html) and of the search page.
SEARCH_FIELDS = {"sr-recherche-entete", "sr-search-q"}


def _offences(page: _Page) -> list[str]:
    out = []
    for tag, attrs in page.elements:
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset", "applet"):
            out.append(f"<{tag}>")
        if tag == "input" and not attrs.get("class", "").startswith("md-") and attrs.get("id") not in SEARCH_FIELDS:
            out.append("<input> other than Material's toggles and the search fields")
        if tag == "form" and attrs.get("name") != "search":
            out.append("<form> other than the site's search")
        if tag == "meta" and "http-equiv" in attrs and attrs["http-equiv"] != "Content-Security-Policy":
            out.append(f"<meta http-equiv={attrs['http-equiv']}>")
        if tag == "script" and not (attrs.get("src") or attrs.get("type") == "application/json"):
            out.append("inline <script>")
        if tag == "script" and re.match(r"^[a-z]+:|//", attrs.get("src", ""), re.I):
            out.append(f"<script src={attrs['src']}> from elsewhere")
        for name, value in attrs.items():
            if name.startswith("on"):
                out.append(f"<{tag} {name}=>")
            if name in ("href", "src", "action", "formaction", "data") and sanitize.url_scheme(value) not in (
                None,
                "http",
                "https",
                "mailto",
            ):
                out.append(f"<{tag} {name}={value[:30]}>")
        if tag == "pre" and "mermaid" in attrs.get("class", "").split():
            out.append("pre.mermaid")
    if any("alert(" in text for text in page.script_text):
        out.append("a script's text holds the content's alert(")
    return out


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The hostile content built with check's prose audits switched off: the renderer alone must hold."""
    folder = tmp_path_factory.mktemp("hostile")
    content = folder / "content"
    shutil.copytree(CONTENT, content)
    make_hostile(content)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("check_markup", "check_resources"):  # this branch's audit, and the print sandbox's
            if hasattr(prose, name):
                patch.setattr(prose, name, lambda *args, **kwargs: [])
        site = folder / "site"
        code = main(
            ["--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(folder / "cache")]
        )
    assert code == 0
    return site


def test_no_built_page_carries_a_script_handler_frame_form_refresh_or_base(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 15
    offences = {str(p.relative_to(hostile_site)): found for p in pages if (found := _offences(_parse(p)))}
    assert not offences, offences


def test_the_search_index_holds_the_hostile_names_as_text(hostile_site):
    """Pagefind keeps the text of the pages: the search page writes it as text (test below)."""
    from tests.test_search import fragments

    found = fragments(hostile_site)
    assert found["/regions/gao/"]["meta"]["title"] == "Région\u00a0: Gao<script>alert(1)</script>"
    assert "Fonds fiduciaire<script>alert(1)</script>" in found["/bulletins/2017-11/"]["content"]


def test_in_chromium_search_results_show_the_hostile_names_as_text(hostile_site):
    """The search page builds its results from text nodes and <mark> only: a name holding markup
    is shown as written, and nothing of it runs."""
    from tests.test_accessibility import chromium_session, serve

    server, base = serve(hostile_site)
    try:
        with chromium_session() as browser:
            context = browser.new_context()
            try:
                page = context.new_page()
                problems: list[str] = []
                page.on("dialog", lambda d: (problems.append(f"dialog {d.message!r}"), d.dismiss()))
                page.on("pageerror", lambda e: problems.append(f"script error {e}"))
                page.goto(base + "/recherche/?q=Gao", wait_until="load")
                page.wait_for_function("() => document.querySelectorAll('#sr-search-resultats > li').length")
                titles = page.evaluate(
                    "[...document.querySelectorAll('#sr-search-resultats h2')].map(h => h.textContent)"
                )
                tags = page.evaluate("[...document.querySelectorAll('#sr-search-resultats *')].map(e => e.tagName)")
            finally:
                context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert not problems, problems
    assert "Région\u00a0: Gao<script>alert(1)</script>" in titles
    assert set(tags) <= {"LI", "H2", "A", "P", "MARK", "UL"}, set(tags)


def test_hostile_names_print_as_text_in_titles_headers_tables_and_placeholders(hostile_site):
    region = (hostile_site / "regions/gao/index.html").read_text(encoding="utf-8")
    assert "<title>Région\u00a0: Gao&lt;script&gt;alert(1)&lt;/script&gt; - " in region
    issue = hostile_site / "bulletins/2017-11/index.html"
    html = issue.read_text(encoding="utf-8")
    # The fund's name in the table of contents, the project's title through {{ projet.titre }}.
    assert "Fonds fiduciaire&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert (
        "(Unité avicole *de* 1 000 poules [x](javascript:alert(1)) &lt;script&gt;alert(1)&lt;/script&gt; à Bara)"
        in html
    )
    assert "Canada&lt;script&gt;alert(1)&lt;/script&gt;, Danemark" in html  # {{ ff.contributeurs }}
    plan = (hostile_site / "plans/liptako-gourma-2024/index.html").read_text(encoding="utf-8")
    assert "Mécanisme&lt;script&gt;alert(1)&lt;/script&gt; de Stabilisation" in plan


def test_legitimate_markdown_beside_the_hostile_markup_is_kept(hostile_site):
    page = _parse(hostile_site / "bulletins/2017-11/index.html")
    links = [attrs.get("href") for tag, attrs in page.elements if tag == "a"]
    assert "https://minusma.unmissions.org/" in links
    assert "http://bit.ly/2yqonzB" in links  # the seed's own <http://…> link
    tags = [tag for tag, _ in page.elements]
    assert "em" in tags and "strong" in tags
    html = (hostile_site / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    assert "<td>cellule</td>" in html and "<th>colonne</th>" in html
    assert "Paragraphe piégé" in html and "survol" in html  # the text of what was dropped stays


def test_every_page_carries_the_content_security_policy_and_no_inline_script(hostile_site):
    policy = csp.policy()
    for directive in (
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'self'",
    ):
        assert directive in policy
    pages = sorted(hostile_site.rglob("*.html"))
    for path in pages:
        page = _parse(path)
        metas = [a for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        if path.name == "404.html":  # loads no file, to work at any address: its one style by its hash
            style = (ROOT / "templates/web/introuvable.css").read_text(encoding="utf-8")
            assert [m["content"] for m in metas] == [csp.policy(styles=(style,))], path
            assert f"<style>{style}</style>" in path.read_text(encoding="utf-8")
            assert not [t for t, _ in page.elements if t in ("script", "link")], path
            continue
        assert [m["content"] for m in metas] == [policy], path
        scripts = [i for i, (t, _) in enumerate(page.elements) if t == "script"]
        if path.parent.name != "recherche":  # the pages load no script at all (templates/web/main.html)
            assert not scripts, path
            continue
        # The search page's own script: after the policy, so that it governs it; no inline script.
        csp_at = next(i for i, (t, a) in enumerate(page.elements) if a.get("http-equiv") == "Content-Security-Policy")
        assert scripts and csp_at < scripts[0], path
        assert all(a.get("src") for t, a in page.elements if t == "script"), path


def test_the_readme_gives_the_same_policy_as_a_header():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # With the hash of the 404 page's style: the server sends the header with that page too.
    style = (ROOT / "templates/web/introuvable.css").read_text(encoding="utf-8")
    assert f'Content-Security-Policy "{csp.policy(header=True, styles=(style,))}"' in readme


# ------------------------------------------------------------------------------- the parts


def test_clean_keeps_relative_pictures_and_drops_remote_ones_and_theme_hooks():
    assert sanitize.clean('<img src="carte.png" alt="Carte">') == '<img src="carte.png" alt="Carte">'
    assert sanitize.clean('<img src="https://evil.example/x.png" alt="x">') == '<img alt="x">'
    assert sanitize.clean('<img src="//evil.example/x.png">') == "<img>"
    assert sanitize.clean('<pre class="mermaid"><code>graph</code></pre>') == "<pre><code>graph</code></pre>"
    assert sanitize.clean('<p id="__config">x</p>') == "<p>x</p>"
    assert sanitize.clean('<a href="java&#9;script:alert(1)">x</a>') == "<a>x</a>"
    assert (
        sanitize.clean('<th style="text-align: center;">x</th>'.join(("<table><tr>", "</tr></table>")))
        == '<table><tbody><tr><th style="text-align: center;">x</th></tr></tbody></table>'
    )


def test_a_placeholder_value_is_text_whatever_it_holds():
    values = {"projet.titre": "<b>Puits</b> *de* [Gao](javascript:x) {: onclick=y } & fils"}
    html = prose.to_html("Projet : {{ projet.titre }}.", values)
    # The text is set in French typography (bulletin.typography): a no-break space before the colon.
    assert html == ("<p>Projet\u00a0: &lt;b&gt;Puits&lt;/b&gt; *de* [Gao](javascript:x) {: onclick=y } &amp; fils.</p>")


# ------------------------------------------------------------------------------- in a browser


def test_in_chromium_no_hostile_script_runs_and_the_policy_blocks_nothing_of_the_site(hostile_site):
    """Every page of the hostile site opened in Chromium, over HTTP as published: no alert(), no other
    script error, no request or script the policy refuses (the site's own frame runs under it)."""
    from tests.test_accessibility import chromium_session, serve

    server, base = serve(hostile_site)
    try:
        with chromium_session() as browser:
            context = browser.new_context()
            try:
                problems: list[str] = []
                for path in sorted(hostile_site.rglob("index.html")):
                    url = base + "/" + str(path.parent.relative_to(hostile_site)).replace(".", "") + "/"
                    url = url.replace("//", "/").replace("http:/", "http://")
                    page = context.new_page()
                    page.on("dialog", lambda d, url=url: (problems.append(f"{url}: dialog {d.message!r}"), d.dismiss()))
                    page.on("pageerror", lambda e, url=url: problems.append(f"{url}: script error {e}"))
                    page.on(
                        "console",
                        lambda m, url=url: (
                            problems.append(f"{url}: {m.text}") if "Content Security Policy" in m.text else None
                        ),
                    )
                    page.goto(url, wait_until="load")
                    page.wait_for_load_state("networkidle")
                    # Material's bundle is not loaded (templates/web/main.html; the search page has its own).
                    assert page.evaluate("typeof document$ === 'undefined'"), url
                    page.close()
                assert not problems, "\n".join(problems)
            finally:
                context.close()
    finally:
        server.shutdown()
        server.server_close()


def test_fixed_pages_are_checked_and_cleaned_like_the_issues_texts(content, cli):
    page = content / "pages/a-propos.md"
    with page.open("a", encoding="utf-8") as f:
        f.write('\n\n<script>alert("page")</script>\n\nUn [lien](javascript:alert(1)).\n')
    run = cli("check", "--content", str(content))
    assert run.code == 1
    report = run.out + run.err
    assert f"pages/a-propos.md:{line_of(page, '<script>')} — la balise <script> n'est pas permise" in report
    assert f"pages/a-propos.md:{line_of(page, 'javascript:')} — l'adresse javascript: n'est pas permise" in report
    # In the build, MkDocs renders these pages itself: the plugin cleans what it rendered.
    from types import SimpleNamespace

    from bulletin.plugin import BulletinPlugin

    plugin = BulletinPlugin()
    rendered = '<p>Texte</p><script>alert("page")</script><p><a href="javascript:alert(1)">lien</a></p>'
    fixed_page = SimpleNamespace(file=SimpleNamespace(src_uri="a-propos.md"))
    assert (
        plugin.on_page_content(rendered, page=fixed_page, config=None, files=None) == "<p>Texte</p><p><a>lien</a></p>"
    )


def test_the_live_preview_leaves_the_policy_out_for_its_reloading_script():
    """MkDocs's live reload writes an inline script into every page: the preview has no policy; builds do."""
    from jinja2 import Environment, FileSystemLoader

    from bulletin.plugin import BulletinPlugin

    for preview, expected in ((True, ""), (False, csp.policy())):
        plugin = BulletinPlugin()
        errors, warnings = plugin.load_config({"preview": preview})
        assert not errors
        env = Environment(loader=FileSystemLoader(ROOT / "templates/web"))
        plugin.on_env(env, config=None, files=None)
        assert env.globals["content_security_policy"] == expected


def test_the_same_markup_twice_is_reported_at_each_of_its_lines(content, cli):
    qip = content / "bulletins/2017-11/qip.md"
    with qip.open("a", encoding="utf-8") as f:
        f.write("\n\n<script>un()</script>\n\nEntre les deux.\n\n<script>deux()</script>\n")
    report = cli("check", "--content", str(content)).err
    for needle in ("<script>un()", "<script>deux()"):
        assert f"bulletins/2017-11/qip.md:{line_of(qip, needle)} — la balise <script> n'est pas permise" in report


@pytest.mark.parametrize(
    "text",
    [
        "Voir : [le rapport](javascript:alert(1)) pour tout savoir.",
        "Réunion : <script>alert(1)</script>",
        "Lien : <javascript:alert(1)>",
        "Texte : [^note]\n\n[^note]: [ici](data:text/html,x)",
        'Objet : ![carte](x.png){: onerror="alert(1)" }',
        "Montant : {{ qip.total }} [ici](javascript:alert(1))",
        'Titre : {{ qip.total }}\n{: onclick="alert(1)" }',
        "Montant : {{ qip.total }} <iframe src=x></iframe>",
    ],
)
def test_prose_with_colons_is_still_checked_wherever_a_link_or_markup_can_hide(text):
    """check_markup converts only texts where the cleaning can drop something (<, { or [): a colon
    alone (French prose is full of them) cannot make a link, so it is not converted just to be checked."""
    problems = prose.check_markup(Prose(text, SourceRef(Path("bulletin.yaml"), 3)), multiline=True)
    assert problems, text


def test_prose_without_link_or_markup_has_nothing_the_cleaning_could_drop():
    text = "Objet : javascript:alert(1) et data:text/html,x, {{ qip.total }} ; **gras** : oui."
    assert prose.check_markup(Prose(text, SourceRef(Path("bulletin.yaml"), 3)), multiline=False) == []
    assert list(sanitize.audit(prose._markdown(text))) == []  # what a full conversion would have found
