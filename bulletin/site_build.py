"""The web edition as one value, made without any web framework, and the one way it is published.

`make_site` turns the content into a `SiteBuild`: every generated page (title, table of contents, HTML),
the open data and feeds, the pictures and their web sizes, the PDFs, the logo and what the open-data
page lists. `publish_site` hands it to a shell (today MkDocs + Material, bulletin/web.py) in one call,
then indexes, compresses and publishes the folder the shell wrote. The shell returns nothing: what a
rebuild keeps from the site in place (bulletin.incremental) is decided here, before the shell runs.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from html import escape
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from . import pages_en, sanitize, search, typography
from .compress import precompress
from .errors import ContentInvalid
from .figures import IssueFigures
from .i18n import translations
from .images import make_variants
from .incremental import Manifest, digest, forget, manifest_path, read_manifest, source_signature, write_manifest
from .memo import NO_MEMO, NO_PARSING, Memo, Parsing, code_digest
from .models import Edition, Settings
from .offline import make_offline
from .opendata_list import with_files
from .pages import (
    DataFile,
    GeneratedPage,
    PdfFile,
    compute_all,
    data_files,
    figure_keys,
    preview_error_pages,
    print_previews,
    render_pages,
)
from .print_build import PrintResult, plan_print, run_print
from .publish import new_generation
from .render import LOCALE
from .report import format_problems
from .validate import load_edition

PRINT_PREVIEW_STYLES = "assets/print"  # where the preview serves templates/print/ (its pages link it)


@dataclass(frozen=True, slots=True)
class StaticFile:
    uri: str  # site path
    source: Path  # copied as it is


@dataclass(frozen=True, slots=True)
class Logo:
    uri: str
    source: Path
    alt: str


@dataclass(frozen=True)
class SiteBuild:
    """Everything the web edition publishes, ready for a shell to frame and write."""

    content: Path
    pages: Mapping[str, GeneratedPage]  # source path the shell sees ("bulletins/2017-11/index.md") -> page
    data: tuple[DataFile, ...] = ()
    files: tuple[StaticFile, ...] = ()  # pictures (originals and web sizes), the logo, print preview styles
    documents: tuple[tuple[str, str], ...] = ()  # whole HTML documents, written as they are (print previews)
    pdfs: tuple[PrintResult, ...] = ()
    extra_pdfs: tuple[PrintResult, ...] = ()  # print-shop and control variants, placed as they are
    sizes: Mapping[str, int] = field(default_factory=dict)  # site path -> bytes: what the open-data page lists
    edition: Edition | None = None  # None only in a preview of invalid content
    figures: tuple[IssueFigures, ...] = ()
    english: tuple[Edition, tuple[IssueFigures, ...]] | None = None
    logo: Logo | None = None
    updated: str | None = None  # the latest issue's reference date: the sitemap's date of every page
    problems: str | None = None  # the author's report, when a preview shows it in place of the pages
    preview: bool = False

    @property
    def settings(self) -> Settings | None:
        return self.edition.settings if self.edition is not None else None

    @property
    def english_settings(self) -> Settings | None:
        return self.english[0].settings if self.english is not None else None

    @property
    def placed_pdfs(self) -> frozenset[str]:
        return frozenset(r.site_path for r in (*self.pdfs, *self.extra_pdfs))


def make_site(
    content: Path,
    templates: Path,
    *,
    site_url: str | None,
    image_cache: Path,
    edition: Edition | None = None,
    figures: tuple[IssueFigures, ...] | None = None,
    pdfs: tuple[PrintResult, ...] | None = None,
    extra_pdfs: tuple[PrintResult, ...] = (),
    print_cache: Path | None = None,
    memo: Memo = NO_MEMO,
    workers: int = 1,
    preview: bool = False,
    parsing: Parsing = NO_PARSING,
) -> SiteBuild:
    """The site of `content` (loaded here unless `edition` is given), its figures computed once unless
    given. PDFs: those given, else made into `print_cache` when given, else none. The preview
    (`preview`) shows a content error in every page instead of raising ContentInvalid, adds each
    issue's print layout as a page, and makes no PDF. Raises ContentInvalid, PrintFailed."""
    if preview:
        try:
            edition = load_edition(content, parsing)
        except ContentInvalid as exc:
            report = format_problems(exc.problems)
            errors = preview_error_pages(content, templates, report)
            return SiteBuild(content, MappingProxyType({p.uri: p for p in errors}), problems=report, preview=True)
    elif edition is None:
        edition = load_edition(content, parsing)
    figures = compute_all(edition, memo) if figures is None else figures
    if pdfs is None:
        pdfs = run_print(plan_print(edition, templates, print_cache, all_figures=figures)) if print_cache else ()
    linked = {r.site_path: PdfFile(r.site_path.rsplit("/", 1)[1], r.path.stat().st_size) for r in pdfs}
    keys = figure_keys(figures, memo, edition.empreintes)
    bytecode = memo.path.parent / "jinja" / "bulletin" if memo.path is not None else None
    english = pages_en.english(edition, memo)
    pages = (
        *render_pages(
            edition,
            templates,
            linked,
            preview=preview,
            all_figures=figures,
            memo=memo,
            bytecode=bytecode,
            workers=workers,
            keys=keys,
        ),
        *pages_en.english_pages(english[0], templates, linked, english[1], memo, bytecode, workers),
    )
    data = (
        *data_files(edition, site_url, figures, memo, workers, keys),
        *pages_en.english_data(*english, site_url, memo, workers),
    )
    logo = edition.settings.logo
    placed_logo = Logo(f"identite/{logo.fichier.name}", logo.fichier, logo.texte_alternatif) if logo else None
    files = _pictures(pages, image_cache)
    if placed_logo is not None:  # published as a file, shown through <img> (an SVG image runs no script)
        files = (*files, StaticFile(placed_logo.uri, placed_logo.source))
    documents: tuple[tuple[str, str], ...] = ()
    if preview:
        styles = templates / "print"
        files = (
            *files,
            *(
                StaticFile(f"{PRINT_PREVIEW_STYLES}/{p.relative_to(styles).as_posix()}", p)
                for p in sorted(styles.rglob("*"))
                if p.is_file()
            ),
        )
        documents = tuple(
            (f"bulletins/{month}/impression.html", html)
            for month, html in print_previews(
                edition, templates, f"/{PRINT_PREVIEW_STYLES}/print.css", figures, memo, bytecode
            ).items()
        )
    latest = max((i.date_reference for i in edition.issues), default=None)
    sizes = {item.uri: len(item.content) for item in data} | {r.site_path: r.path.stat().st_size for r in pdfs}
    return SiteBuild(
        content,
        MappingProxyType({p.uri: p for p in pages}),
        data,
        files,
        documents,
        pdfs,
        extra_pdfs,
        MappingProxyType(sizes),
        edition,
        figures,
        english,
        placed_logo,
        latest.isoformat() if latest is not None else None,
        preview=preview,
    )


def _pictures(pages: tuple[GeneratedPage, ...], cache: Path) -> tuple[StaticFile, ...]:
    """The pictures the pages show: originals as they are, web sizes made once per picture (Pillow)."""
    out = []
    for page in pages:
        out += [StaticFile(uri, source) for uri, source in page.fichiers]
        made: dict[Path, dict[str, Path]] = {}
        for uri, source, variant in page.variantes:
            if source not in made:
                wanted = tuple(v for _, s, v in page.variantes if s == source)
                made[source] = make_variants(source, wanted, cache)
            out.append(StaticFile(uri, made[source][variant.name]))
    return tuple(out)


# What a shell does with the pages: the same words and typography whatever frames them.


def _french(uri: str) -> bool:
    return LOCALE.startswith("fr") and not uri.startswith(pages_en.PREFIX)


def front_matter(page: GeneratedPage) -> str:
    """The page's title and search setting as a Markdown source's front matter.

    The title quoted as JSON, which YAML reads as is: « Région : Gao » unquoted is not YAML. Escaped:
    the frame prints the title as HTML (header, <title>), and it holds register names. A page the
    readers' search leaves out says so as the fixed pages do (templates/web/main.html)."""
    title = escape(typography.set_text(page.title) if _french(page.uri) else page.title)
    hidden = "" if page.indexed else "search:\n  exclude: true\n"
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n{hidden}---\n"


def fixed_page_html(uri: str, html: str, placed: frozenset[str] = frozenset(), settings: Settings | None = None) -> str:
    """A fixed page (« À propos », the guide) as the shell rendered the authors' Markdown: cleaned as an
    issue's texts are, its links to the placed PDFs mended (placed_links), typeset, and its title in the
    blue masthead every generated page opens with (`settings`: the publication's, in the page's language)."""
    clean = placed_links(uri, sanitize.clean(html), placed)
    if settings is not None:
        clean = masthead(clean, f"{settings.mission} · {settings.section}")
    return typography.set_html(clean) if _french(uri) else clean


_LEADING_TITLE = re.compile(r"\A\s*<h1 id=\"([^\"]*)\">(.*?)</h1>", re.S)


def masthead(html: str, kicker: str) -> str:
    """The page's leading title as the generated pages show theirs: in a masthead under the mission and
    section's names. The À propos and open-data pages opened on a bare title, as documentation does.

    >>> masthead('<h1 id="a">Titre</h1>', "S&R")
    '<header class="sr-masthead"><p class="sr-kicker">S&amp;R</p><h1 class="sr-title" id="a">Titre</h1></header>'
    """
    return _LEADING_TITLE.sub(
        lambda m: (
            f'<header class="sr-masthead"><p class="sr-kicker">{escape(kicker)}</p>'
            f'<h1 class="sr-title" id="{m[1]}">{m[2]}</h1></header>'
        ),
        html,
        count=1,
    )


_PDF_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^":?#]+\.pdf)"')


def placed_links(uri: str, html: str, placed: frozenset[str]) -> str:
    """The page's links to PDFs placed beside MkDocs's pages (SiteBuild.placed_pdfs), made relative to the
    page's address as MkDocs makes a link to one of its own files: MkDocs left them as written, relative
    to the page's source, and the open-data page's « le numéro imprimable (PDF) » led nowhere.

    >>> placed_links("en/donnees-ouvertes.md", '<a href="bulletins/2017-11/b-en.pdf">PDF</a> <a href="x.pdf">',
    ...              frozenset({"en/bulletins/2017-11/b-en.pdf"}))
    '<a href="../../en/bulletins/2017-11/b-en.pdf">PDF</a> <a href="x.pdf">'
    """
    folder, parts = posixpath.dirname(uri), uri.removesuffix(".md").split("/")
    up = "../" * (len(parts) - (parts[-1] == "index"))  # directory URLs: « a-propos.md » is « a-propos/ »

    def mended(found: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(folder, found[2]))
        return f'{found[1]}{up}{target}"' if target in placed else found[0]

    return _PDF_HREF.sub(mended, html)


def frame_html(html: str) -> str:
    """A page the shell makes alone (the 404 page), in the French typography of every page."""
    return typography.set_html(html) if LOCALE.startswith("fr") else html


def fixed_page_markdown(site: SiteBuild | None, uri: str, markdown: str) -> str:
    """A fixed page's Markdown with the list of published files filled in (bulletin.opendata_list): an
    English page (content/pages/en/) lists the files published under en/, linked from it."""
    sizes = site.sizes if site is not None else {}
    if uri.startswith(pages_en.PREFIX):
        prefix = pages_en.PREFIX
        own = {path[len(prefix) :]: size for path, size in sizes.items() if path.startswith(prefix)}
        return with_files(markdown, own, translations(pages_en.LOCALE), pages_en.LOCALE)
    return with_files(markdown, sizes, translations(LOCALE), LOCALE)


def english_footer(site: SiteBuild | None, line: str) -> str:
    """The site's footer line with the section and mission named as the English edition names them."""
    french, english = (site.settings, site.english_settings) if site is not None else (None, None)
    if french is None or english is None:
        return line
    return line.replace(french.section, english.section).replace(french.mission, english.mission)


# Rebuilding: what the site in place lends the new generation.


@dataclass(frozen=True)
class Reuse:
    """What a rebuild need not write: the new generation takes it from the one in place."""

    in_place: bool  # whether the generation in place is the same frame: if not, the lists are empty
    pages: frozenset[str]
    data: frozenset[str]
    files: frozenset[str]  # StaticFile site paths whose source is unchanged
    manifest: Manifest  # the new generation's, recorded once it is in place


def plan_reuse(site: SiteBuild, shell_frame: str, previous: Manifest | None, memo: Memo = NO_MEMO) -> Reuse:
    """Compare the build with the manifest of the generation in place (bulletin.incremental). In the
    preview (`memo` lives on), a page's HTML or a data file kept from the last save is the very same
    object: its digest is found again (the site's 14 MB took a thirtieth of a second of each save).

    The frame is everything that frames every page: the shell's own (its configuration, theme and
    version, `shell_frame`), this package's code, the page layout, the PDFs and the settings. When it differs,
    nothing is kept; the shell's own files are covered by it, so a shell keeps them all when in_place."""
    layout = [(p.uri, p.title, repr(p.toc), repr(p.fichiers), repr(p.variantes)) for p in site.pages.values()]
    pdfs = sorted((r.site_path, r.path.stat().st_size) for r in (*site.pdfs, *site.extra_pdfs))
    # The settings frame every page too: the logo and its alternative text in the header, the section
    # and the mission in the English footer.
    settings = repr((site.settings, site.english_settings, site.logo))
    frame = digest(shell_frame, code_digest(), json.dumps(layout), json.dumps(pdfs), str(site.content), settings)
    pages = {
        p.uri: digest(p.title, repr(p.toc), memo.get_same("html-digest", (p.html,), partial(digest, p.html)))
        for p in site.pages.values()
    }
    data = {d.uri: memo.get_same("data-digest", (d.content,), partial(digest, d.content)) for d in site.data}
    copied = {}
    for item in site.files:
        try:
            copied[item.uri] = source_signature(str(item.source))
        except OSError:
            continue
    manifest = Manifest(frame, pages, data, copied)
    same = (
        previous is not None
        and previous.frame == frame
        and set(previous.pages) == set(pages)
        and set(previous.data) == set(data)
    )
    if not same or previous is None:
        return Reuse(False, frozenset(), frozenset(), frozenset(), manifest)
    return Reuse(
        True,
        frozenset(uri for uri, d in pages.items() if previous.pages[uri] == d),
        frozenset(uri for uri, d in data.items() if previous.data[uri] == d),
        frozenset(uri for uri, s in copied.items() if previous.copied.get(uri) == s),
        manifest,
    )


class Shell(Protocol):
    """What frames and writes the site (bulletin/web.py for MkDocs + Material; docs/architecture.md
    says what a second one must do). Its configuration is read before the build; `write` returns nothing."""

    @property
    def site_url(self) -> str | None: ...  # the site's public address, for the feeds

    @property
    def frame(self) -> str: ...  # a digest of everything of the shell that frames every page

    def write(self, site: SiteBuild, folder: Path, reuse: Reuse | None) -> None: ...


def finish_folder(folder: Path, offline: bool = False, copies: Path | None = None, base: Path | None = None) -> None:
    """What follows the shell on the folder it wrote: the readers' search index, made from the pages
    as written (bulletin.search: a language's index is made again whenever one of its pages changed);
    then, on the complete folder (the search's own files are text too), the precompressed copies, or the
    changes for reading from disk. Pagefind runs as a program of its own: the pages are compressed
    meanwhile, its files after it. `copies`: where the copies of the pages that Pagefind reads are kept
    between builds; `base`: the generation in place, whose index of a language is kept when that
    language's pages did not change (search.index_site)."""
    if offline:
        search.index_site(folder, copies, base)
        make_offline(folder)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        indexing = pool.submit(search.index_site, folder, copies, base)
        precompress(folder, skip=frozenset({search.BUNDLE}))
        indexing.result()
    precompress(folder)


def publish_site(
    site: SiteBuild, shell: Shell, site_dir: Path, cache: Path | None, *, offline: bool = False, reuse: bool = True
) -> int:
    """Write a new generation of the site beside site_dir with the shell, complete it (search index,
    precompressed copies, or the copy for reading from disk) and switch site_dir to it
    (bulletin.publish); a failure leaves site_dir untouched. With a cache folder and `reuse`, only the
    pages that changed since the generation in place are written, the rest is taken from it. Returns
    the number of HTML pages."""
    stamp = search.index_stamp()
    with new_generation(site_dir) as generation:
        site_dir = generation.site
        plan = previous = None
        if cache is not None and reuse:
            previous = read_manifest(cache, site_dir, generation.base) if generation.base is not None else None
            plan = plan_reuse(site, shell.frame, previous)
        shell.write(site, generation.folder, plan)
        if plan is not None and plan.in_place:
            generation.fill_from_base()
        count = sum(1 for _ in generation.folder.rglob("*.html"))
        # Indexing reads every page again (seconds on an archive): the index of a language none of whose
        # pages changed is taken from the generation in place (search.index_site), after a change that no
        # page shows (a PDF, a data file, nothing at all) the whole index.
        base = (
            generation.base
            if plan is not None and plan.in_place and not offline and previous is not None and previous.search == stamp
            else None
        )
        manifest = manifest_path(cache, site_dir) if cache is not None else None
        copies = manifest.with_name(f"{manifest.stem}-{search.COPIES}") if manifest is not None else None
        finish_folder(generation.folder, offline, copies=copies, base=base)

        def _forget() -> None:  # no manifest names the new generation until it is wholly in place
            if plan is not None and cache is not None:
                forget(cache, site_dir)

        def _record(folder: Path) -> None:
            if plan is not None and cache is not None:
                m = plan.manifest
                write_manifest(cache, site_dir, m.frame, m.pages, m.data, m.copied, stamp, folder=folder)

        generation.publish(before=_forget, after=_record)
    return count
