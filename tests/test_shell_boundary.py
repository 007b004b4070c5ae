"""The shell boundary (docs/architecture.md): the core makes one SiteBuild without any web framework,
hands it to a shell in one call, and reads nothing back. A second shell, here a plain one of twenty
lines, publishes the same pages through the same orchestration."""

from __future__ import annotations

import re
import subprocess
import sys
from html import escape
from pathlib import Path

from bulletin.site_build import Reuse, SiteBuild, make_site, plan_reuse, publish_site

from .conftest import ROOT

ADAPTERS = {"plugin.py", "web.py"}  # the MkDocs + Material shell


def test_only_the_adapter_names_the_web_framework():
    named = [
        f"{path.name}:{n}"
        for path in sorted((ROOT / "bulletin").rglob("*.py"))
        if path.name not in ADAPTERS
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"mkdocs|material", line)
    ]
    assert named == []


def test_the_core_runs_without_importing_the_web_framework():
    code = (
        "import sys, bulletin.site_build, bulletin.cli, bulletin.print_build, bulletin.search\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'mkdocs', 'material'}))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert run.stdout.strip() == "[]"


class PlainShell:
    """A second shell: each page in a bare HTML frame, the other files copied. It records what it was
    given, to show what the core decided before it ran."""

    site_url = "https://example.org/bulletin/"
    frame = "plain-1"

    def __init__(self) -> None:
        self.given: list[Reuse | None] = []

    def write(self, site: SiteBuild, folder: Path, reuse: Reuse | None) -> None:
        self.given.append(reuse)
        kept = reuse.pages if reuse is not None and reuse.in_place else frozenset()
        for page in site.pages.values():
            if page.uri in kept:
                continue
            target = folder / re.sub(r"(index)?\.md$", "", page.uri) / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            lang = "en" if page.uri.startswith("en/") else "fr"
            head = f'<meta charset="utf-8"><title>{escape(page.title)}</title>'
            body = f"<main data-pagefind-body>{page.html}</main>" if page.indexed else page.html
            target.write_text(
                f'<!doctype html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>', "utf-8"
            )
        for data in site.data:
            (folder / data.uri).parent.mkdir(parents=True, exist_ok=True)
            (folder / data.uri).write_bytes(data.content)


def test_a_second_shell_publishes_the_pages_and_the_core_decides_what_it_keeps(content, tmp_path):
    site = make_site(content, ROOT / "templates", site_url=PlainShell.site_url, image_cache=tmp_path / "images")
    shell, folder, cache = PlainShell(), tmp_path / "site", tmp_path / "cache"
    assert publish_site(site, shell, folder, cache) >= len(site.pages)
    issue = (folder / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    assert site.pages["bulletins/2017-11/index.md"].html in issue
    assert (folder / "bulletins/2017-11/chiffres-cles.csv").read_bytes() == next(
        d.content for d in site.data if d.uri == "bulletins/2017-11/chiffres-cles.csv"
    )
    assert (folder / "pagefind").is_dir()  # the orchestration's own steps, whatever the shell
    assert (folder / "bulletins/2017-11/index.html.gz").is_file()
    # First build: nothing in place to keep. Second, same content: every page is kept, and the
    # generation in place fills the new one, which the shell was told before it wrote anything.
    assert shell.given[0] is not None and not shell.given[0].in_place
    again = make_site(content, ROOT / "templates", site_url=PlainShell.site_url, image_cache=tmp_path / "images")
    publish_site(again, shell, folder, cache)
    second = shell.given[1]
    assert second is not None and second.in_place and second.pages == frozenset(again.pages)
    assert (folder / "bulletins/2017-11/index.html").read_text(encoding="utf-8") == issue
    # A shell whose frame changed (its theme, its version) keeps nothing.
    assert not plan_reuse(again, "plain-2", second.manifest).in_place
    assert plan_reuse(again, "plain-1", second.manifest).in_place


def test_the_core_hands_over_the_pages_typeset(content, tmp_path):
    """A shell writes a page's HTML as it is: the French pages come in French typography (typeset where
    they are made, the heavy ones in the rendering processes, once per change), the English ones as written."""
    from bulletin.typography import set_html

    site = make_site(content, ROOT / "templates", site_url=PlainShell.site_url, image_cache=tmp_path / "images")
    french = [page for uri, page in site.pages.items() if not uri.startswith("en/")]
    assert len(french) > 10 and any(uri.startswith("en/") for uri in site.pages)
    for page in french:
        assert set_html(page.html) == page.html, page.uri
    assert "Région\u00a0: Gao</h1>" in site.pages["regions/gao/index.md"].html  # set in its rendering process
