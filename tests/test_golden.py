"""Golden outputs of the November 2017 seed issue, compared byte for byte with `tests/golden/`.

Chosen fragments of the web site (the issue's article, its region table, the home page's content, a fund
page), the issue's open data (JSON and CSV) and the text of its PDF (`pdftotext -layout`). Builds are
byte-deterministic (no date of build anywhere: `sitemap.xml` and the PDF are dated from the issue), so
nothing is normalised: any change to these outputs shows here as a unified diff.

When the change is intended, rewrite the files and review them:

    python -m pytest tests/test_golden.py --update-golden
    git diff tests/golden/

The web goldens come from the session's shared web-only build (`built_site`, fast suite); the PDF text
needs WeasyPrint and poppler's `pdftotext`, so that test is slow (and skipped without poppler).
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bulletin.cli import main

from .conftest import CONTENT, ROOT

GOLDEN = ROOT / "tests/golden"
MAX_DIFF_LINES = 400


@dataclass(frozen=True)
class Web:
    golden: str  # file name in tests/golden/
    page: str  # file of the built site
    tag: str | None = None  # the first <tag class="… cls …"> element, as written; None: the whole file
    cls: str | None = None


WEB = [
    Web("bulletin-2017-11.article.html", "bulletins/2017-11/index.html", "article", "sr-issue"),
    Web("bulletin-2017-11.regions.html", "bulletins/2017-11/index.html", "table", "sr-regions"),
    Web("accueil.contenu.html", "index.html", "article", "md-content__inner"),
    Web("fonds-qip.article.html", "fonds/qip/index.html", "article", "sr-fund-page"),
    Web("bulletin-2017-11.chiffres-cles.json", "bulletins/2017-11/chiffres-cles.json"),
    Web("bulletin-2017-11.chiffres-cles.csv", "bulletins/2017-11/chiffres-cles.csv"),
]
PDF_TEXT = "bulletin-2017-11.pdf.txt"


class _Element(HTMLParser):
    """Where the first <tag class="… cls …"> starts and ends in the page, to cut it out exactly as written.

    The standard library's parser, rather than a soup library re-serialising the tree: the golden must
    be the bytes the site publishes, attribute order and whitespace included.
    """

    def __init__(self, tag: str, cls: str) -> None:
        super().__init__(convert_charrefs=False)
        self.tag, self.cls = tag, cls
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != self.tag or self.end is not None:
            return
        if self.start is None:
            if self.cls in (dict(attrs).get("class") or "").split():
                self.start, self.depth = self.getpos(), 1
        else:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == self.tag and self.start is not None and self.end is None:
            self.depth -= 1
            if self.depth == 0:
                self.end = self.getpos()


def fragment(html: str, tag: str, cls: str) -> str:
    """The element `<tag class="… cls …">…</tag>`, cut from html as written, with a final newline."""
    finder = _Element(tag, cls)
    finder.feed(html)
    finder.close()
    assert finder.start and finder.end, (
        f'no complete <{tag} class="{cls}"> in the page: if the page is meant '
        "to have changed, choose another element in WEB (tests/test_golden.py)"
    )
    lines = html.splitlines(keepends=True)

    def offset(pos: tuple[int, int]) -> int:
        return sum(len(line) for line in lines[: pos[0] - 1]) + pos[1]

    start, end_tag = offset(finder.start), offset(finder.end)
    end = html.index(">", end_tag) + 1
    return html[start:end] + "\n"


def compare(name: str, actual: str, source: str, request: pytest.FixtureRequest, rewritten: list[str]) -> None:
    """actual equals tests/golden/<name>, or (--update-golden) becomes it; otherwise fail with a diff."""
    path = GOLDEN / name
    expected = path.read_bytes().decode("utf-8") if path.exists() else None  # line ends as they are
    if actual == expected:
        return
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        rewritten.append(f"tests/golden/{name}" + (" (new)" if expected is None else ""))
        return
    if expected is None:
        pytest.fail(
            f"tests/golden/{name} does not exist: run `python -m pytest tests/test_golden.py --update-golden`,"
            " then review and commit it",
            pytrace=False,
        )
    diff = list(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"tests/golden/{name}",
            tofile=f"{source} (this build)",
        )
    )
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in diff[:MAX_DIFF_LINES])
    more = f"… {len(diff) - MAX_DIFF_LINES} more diff lines\n" if len(diff) > MAX_DIFF_LINES else ""
    pytest.fail(
        f"{source} differs from tests/golden/{name}:\n{shown}{more}"
        "If the change is intended: python -m pytest tests/test_golden.py --update-golden, "
        "then review `git diff tests/golden/`.",
        pytrace=False,
    )


@pytest.mark.parametrize("web", WEB, ids=[w.golden for w in WEB])
def test_web_output_equals_its_golden(
    web: Web, built_site: Path, request: pytest.FixtureRequest, rewritten: list[str]
) -> None:
    text = (built_site / web.page).read_bytes().decode("utf-8")
    if web.tag and web.cls:
        text = fragment(text, web.tag, web.cls)
    source = web.page + (f' <{web.tag} class="{web.cls}">' if web.tag else "")
    compare(web.golden, text, source, request, rewritten)


@pytest.fixture(scope="module")
def issue_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("golden-pdf")
    assert (
        main(
            [
                "pdf",
                "2017-11",
                "--content",
                str(CONTENT),
                "--site-dir",
                str(base / "site"),
                "--cache-dir",
                str(base / "cache"),
            ]
        )
        == 0
    )
    return base / "site/bulletins/2017-11/bulletin-sr-2017-11.pdf"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_text_equals_its_golden(issue_pdf: Path, request: pytest.FixtureRequest, rewritten: list[str]) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(issue_pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    compare(PDF_TEXT, text, "bulletin-sr-2017-11.pdf (pdftotext -layout)", request, rewritten)


def test_every_golden_file_belongs_to_a_test() -> None:
    """A golden file no test compares would look like a guarantee it is not."""
    expected = {w.golden for w in WEB} | {PDF_TEXT}
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(expected)


# The comparison itself must be able to fail, and say where.


def test_fragment_is_the_element_as_written_with_its_nested_elements() -> None:
    page = (
        '<main>\n<table class="x">\n  <tr><td><table class="y"><tr><td>1</td></tr></table></td></tr>\n'
        "</table >\n</main>"
    )
    assert fragment(page, "table", "x") == page[page.index("<table") : page.index("</table >") + 9] + "\n"
    assert fragment(page, "table", "y") == '<table class="y"><tr><td>1</td></tr></table>\n'


def test_a_difference_fails_with_a_unified_diff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setattr(f"{__name__}.GOLDEN", tmp_path)
    (tmp_path / "g.html").write_text("<p>un</p>\n<p>deux</p>\n", encoding="utf-8")
    monkeypatch.setattr(request.config.option, "update_golden", False)
    with pytest.raises(pytest.fail.Exception) as failed:
        compare("g.html", "<p>un</p>\n<p>trois</p>\n", "page.html", request, [])
    message = str(failed.value)
    assert "--- tests/golden/g.html\n+++ page.html (this build)\n" in message
    assert "-<p>deux</p>\n+<p>trois</p>\n" in message


def test_the_update_flag_rewrites_only_what_differs_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setattr(f"{__name__}.GOLDEN", tmp_path)
    (tmp_path / "same.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "old.json").write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(request.config.option, "update_golden", True)
    done: list[str] = []
    for name, text in [("same.json", "{}\n"), ("old.json", '{"a": 1}\r\n'), ("new.json", "[]\n")]:
        compare(name, text, name, request, done)
    assert done == ["tests/golden/old.json", "tests/golden/new.json (new)"]
    assert (tmp_path / "old.json").read_bytes() == b'{"a": 1}\r\n'
