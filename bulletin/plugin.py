"""MkDocs adapter: adds the generated pages (and the issues' PDFs) to a Material site. Thin on purpose."""

from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import time
from html import escape
from importlib import metadata
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import atomic, csp, i18n, pages_en, sanitize, typography
from .errors import ContentInvalid
from .figures import IssueFigures
from .i18n import N_, translations
from .images import make_variants
from .incremental import Manifest, digest, read_manifest, source_signature, tree_digest
from .memo import NO_MEMO, Memo, code_digest
from .models import Edition
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
from .print_build import PrintFailed, PrintResult, plan_print, run_print
from .render import LOCALE
from .report import format_problems
from .validate import load_edition

log = logging.getLogger("mkdocs.plugins.bulletin")
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")  # where MkDocs reports missing link targets
_MISSING_LINK = re.compile(r"contains a link '([^']+)', but the target (?:'([^']+)' )?is not found")


class _PlacedPdfs(logging.Filter):
    """MkDocs checks each page's links against its own files, but the PDFs are placed beside the pages
    after its build (on_post_build): a link to one of them is not missing, and the author must not be
    told in English that it is. Any other missing target is still reported."""

    def __init__(self, plugin: BulletinPlugin) -> None:
        super().__init__()
        self.plugin = plugin

    def filter(self, record: logging.LogRecord) -> bool:
        found = _MISSING_LINK.search(record.getMessage())
        if found is None:
            return True
        placed = {r.site_path for r in (*(self.plugin.pdfs or ()), *self.plugin.extra_pdfs)}
        return (found.group(2) or found.group(1)) not in placed


# The titles of mkdocs.yml's nav, for the English pages' menu (on_nav): marked for the catalogs' extraction.
NAV_TITLES = (
    N_("Accueil"),
    N_("Les numéros"),
    N_("Les fonds"),
    N_("Les régions"),
    N_("Plans de travail"),
    N_("À propos"),
)
IMAGE_CACHE = ".cache/images"
SHELL_LIBRARIES = ("mkdocs", "mkdocs-material")  # they shape the frame of every page


class _Kept(File):
    """A generated file the previous build wrote with the same bytes: MkDocs's dirty build skips it."""

    def is_modified(self) -> bool:
        return False


def _never() -> bool:
    return False


class BulletinConfig(base.Config):
    content_dir = c.Type(str, default="content")
    templates_dir = c.Type(str, default="templates")
    pdf = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache/pdf")
    preview = c.Type(bool, default=False)


class BulletinPlugin(BasePlugin[BulletinConfig]):
    """Validates content/ at config time and serves the pages that bulletin.pages renders."""

    def __init__(self) -> None:
        self.pages: dict[str, GeneratedPage] = {}
        self.edition: Edition | None = None
        self.edition_for_data: Edition | None = None
        self.figures: tuple[IssueFigures, ...] = ()
        self.figure_keys: tuple[str, ...] | None = None
        self.preset_edition: Edition | None = None  # the command line may hand over the content it loaded…
        self.preset_figures: tuple[IssueFigures, ...] | None = None  # …and the figures it computed
        self._generation = 0
        self.pdfs: tuple[PrintResult, ...] | None = None  # the CLI may hand over PDFs it already made
        self.extra_pdfs: tuple[PrintResult, ...] = ()  # print-shop variants, copied as they are
        # (cache, site, the generation in place or None), from the CLI: see bulletin.incremental
        self.incremental: tuple[Path, Path, Path | None] | None = None
        self.next_manifest: tuple[Any, ...] | None = None  # (frame, pages, data, copied), for bulletin.incremental
        self._previous: Manifest | None = None
        self.reused = False  # whether this build only writes what changed since the site in place
        self.memo: Memo = NO_MEMO  # results kept between builds (bulletin.memo), from the CLI
        self.workers = 1  # processes for the issue pages; the CLI hands over the cores (not the preview)
        self.published_sizes: dict[str, int] = {}  # site path -> bytes of each open-data file and PDF
        self.english: tuple[Edition, tuple[IssueFigures, ...]] | None = None  # English edition, its figures
        self.english_nav: Navigation | None = None  # the English pages' menu (on_nav)
        self._documentation: dict[str, File] = {}  # every page's source path -> its file (on_nav)
        self.image_cache: Path | None = None  # web sizes of the photos; the CLI's cache folder, else .cache/images

    def _path(self, config, value: str) -> Path:
        return Path(config.config_file_path).parent / value

    def on_config(self, config):
        placed = [f for f in _PAGES_LOG.filters if isinstance(f, _PlacedPdfs)]
        if placed:
            placed[0].plugin = self  # the preview makes a new plugin per rebuild: follow the latest
        else:
            _PAGES_LOG.addFilter(_PlacedPdfs(self))
        templates = self._path(config, self.config.templates_dir)
        content = self._path(config, self.config.content_dir)
        self.edition = self.edition_for_data = self.figure_keys = self.english = None
        if self.config.preview:
            try:
                self.edition = load_edition(content)
            except ContentInvalid as exc:
                # In the preview the author sees the report in the page, and the page recovers on save.
                log.warning("%s", format_problems(exc.problems))
                self.pages = {p.uri: p for p in preview_error_pages(content, templates, format_problems(exc.problems))}
                return config
            self.figures = compute_all(self.edition)
            self.english = english = pages_en.english(self.edition)
            self.pages = {
                p.uri: p
                for p in (
                    *render_pages(self.edition, templates, preview=True, all_figures=self.figures),
                    *pages_en.english_pages(english[0], templates, figures=english[1]),
                )
            }
            self.edition_for_data = self.edition
            return config
        try:
            edition = self.preset_edition if self.preset_edition is not None else load_edition(content)
            if self.pdfs is None and self.config.pdf:
                self.pdfs = run_print(plan_print(edition, templates, self._path(config, self.config.cache_dir)))
        except ContentInvalid as exc:
            # MkDocs reports PluginError without a traceback; the text is the author's French report.
            raise PluginError(format_problems(exc.problems)) from None
        except PrintFailed as exc:
            raise PluginError(str(exc)) from None
        pdfs = {r.site_path: PdfFile(r.site_path.rsplit("/", 1)[1], r.path.stat().st_size) for r in self.pdfs or ()}
        # Once: pages and open data (and, from the command line, the PDFs) print the same figures.
        self.figures = self.preset_figures if self.preset_figures is not None else compute_all(edition)
        self.figure_keys = figure_keys(self.figures)
        pages = render_pages(
            edition,
            templates,
            pdfs,
            all_figures=self.figures,
            memo=self.memo,
            bytecode=self._bytecode("bulletin"),
            workers=self.workers,
            keys=self.figure_keys,
        )
        self.english = translated, figures = pages_en.english(edition)
        english_pages = pages_en.english_pages(
            translated,
            templates,
            pdfs,
            figures,
            memo=self.memo,
            bytecode=self._bytecode("bulletin"),
            workers=self.workers,
        )
        self.pages = {p.uri: p for p in (*pages, *english_pages)}
        self.edition_for_data = edition
        return config

    def on_files(self, files: Files, config) -> Files:
        data: tuple[DataFile, ...] = (
            (
                *data_files(
                    self.edition_for_data, config.site_url, self.figures, self.memo, self.workers, self.figure_keys
                ),
                *pages_en.english_data(*self._english(), config.site_url, self.memo, self.workers),
            )
            if self.edition_for_data
            else ()
        )
        kept_pages, kept_data = self._reuse_previous_site(config, files, data)
        if (logo := self._logo()) is not None:
            # Published as a file, shown through <img> (an SVG image runs no script), not as a data: URL.
            files.append(File.generated(config, logo[0], abs_src_path=str(logo[1])))
        # What the open-data page lists (bulletin.opendata_list), with the sizes the reader downloads.
        self.published_sizes = {item.uri: len(item.content) for item in data}
        self.published_sizes.update({r.site_path: r.path.stat().st_size for r in self.pdfs or ()})
        for item in data:
            kind = _Kept if item.uri in kept_data else File
            files.append(kind.generated(config, item.uri, content=item.content))
        for page in self.pages.values():
            # The title quoted as JSON, which YAML reads as is: « Région : Gao » unquoted is not YAML.
            # Escaped: Material prints the title as HTML (header, <title>), and it holds register names.
            # A page the readers' search leaves out says so as the fixed pages do (templates/web/main.html).
            french = LOCALE.startswith("fr") and not page.uri.startswith(pages_en.PREFIX)
            title = escape(typography.set_text(page.title) if french else page.title)
            hidden = "" if page.indexed else "search:\n  exclude: true\n"
            front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n{hidden}---\n"
            files.append((_Kept if page.uri in kept_pages else File).generated(config, page.uri, content=front))
            for uri, source in page.fichiers:
                files.append(File.generated(config, uri, abs_src_path=str(source)))
            made: dict[Path, dict[str, Path]] = {}
            for uri, source, variant in page.variantes:
                wanted = tuple(v for _, s, v in page.variantes if s == source)
                made.setdefault(
                    source, make_variants(source, wanted, self.image_cache or self._path(config, IMAGE_CACHE))
                )
                files.append(File.generated(config, uri, abs_src_path=str(made[source][variant.name])))
        if self.incremental is not None:
            self._copied_files(files)
        return files

    def _reuse_previous_site(self, config, files: Files, data) -> tuple[set[str], set[str]]:
        """With a manifest of the generation in place (see bulletin.incremental), name the pages and
        data files that come out the same: MkDocs skips them, and writes the rest into the empty new
        generation, which the command line completes from the one in place. Runs before MkDocs writes."""
        self.reused = False
        if self.incremental is None:
            return set(), set()
        cache, site, in_place = self.incremental
        pages = {p.uri: digest(p.title, repr(p.toc), p.html) for p in self.pages.values()}
        data_digests = {d.uri: digest(d.content) for d in data}
        frame = self._frame(config)
        self.next_manifest = (frame, pages, data_digests)
        previous = read_manifest(cache, site, in_place) if in_place is not None else None
        if previous is None or previous.frame != frame:
            return set(), set()
        kept_pages, kept_data = previous.unchanged(frame, pages, data_digests)
        self.reused = True
        self._previous = previous
        return kept_pages, kept_data

    def _copied_files(self, files: Files) -> None:
        """The signature of the source of every file MkDocs copies (theme, pictures); in a reused site,
        one whose source has the same signature as when the site in place was built is not copied."""
        copied = {}
        for file in files:
            if file.is_documentation_page() or file.abs_src_path is None or isinstance(file, _Kept):
                continue
            try:
                copied[file.dest_uri] = source_signature(file.abs_src_path)
            except OSError:
                continue
            if (
                self.reused
                and self._previous is not None
                and self._previous.copied.get(file.dest_uri) == copied[file.dest_uri]
            ):
                file.is_modified = _never  # type: ignore[method-assign]  # an instance attribute: MkDocs asks each file
        assert self.next_manifest is not None, "set by _reuse_previous_site, before"
        frame, pages, data = self.next_manifest
        self.next_manifest = (frame, pages, data, copied)

    def _frame(self, config) -> str:
        """Everything that frames every page: when it changes, no page of the previous site is kept."""
        root = Path(config.config_file_path)
        theme = Path(config.theme.custom_dir) if config.theme.custom_dir else root.parent
        layout = [(p.uri, p.title, repr(p.toc), repr(p.fichiers), repr(p.variantes)) for p in self.pages.values()]
        pdfs = sorted((r.site_path, r.path.stat().st_size) for r in (*(self.pdfs or ()), *self.extra_pdfs))
        # code_digest(): this package's source and the core's libraries; the frame's are the shell's.
        return digest(
            root.read_bytes(),
            tree_digest(theme, Path(config.docs_dir)),
            code_digest(),
            *(metadata.version(name) for name in SHELL_LIBRARIES),
            json.dumps(layout),
            json.dumps(pdfs),
            config.site_url or "",
            self.config.content_dir,
        )

    def _bytecode(self, name: str) -> Path | None:
        """Where compiled templates are kept between builds (Jinja checks each one's source)."""
        return self.memo.path.parent / "jinja" / name if self.memo.path is not None else None

    def on_env(self, env, config, files):
        # The pages' Content Security Policy (bulletin/csp.py); not in the live preview, whose reloading
        # script MkDocs writes inline into every page.
        env.globals["content_security_policy"] = "" if self.config.preview else csp.policy()
        # The 404 page loads no file, to work at any address: its style is in it, allowed by its hash.
        style = env.loader.get_source(env, "introuvable.css")[0]  # templates/web/, the theme's custom_dir
        env.globals["not_found_style"] = style
        env.globals["not_found_policy"] = "" if self.config.preview else csp.policy(styles=(style,))
        # The theme's own words (masthead, 404) in the reader's language, and the publication's logo
        # from content/reglages.yaml, with the alternative text the print edition gives it.
        env.add_extension("jinja2.ext.i18n")
        i18n.install(env, i18n.translations(LOCALE))
        logo = self._logo()
        env.globals["publication_logo"] = (
            {"src": logo[0], "alt": self.edition_for_data.settings.logo.texte_alternatif}
            if logo and self.edition_for_data and self.edition_for_data.settings.logo
            else None
        )
        env.globals["publication_settings"] = self.edition_for_data.settings if self.edition_for_data else None
        if logo is not None:  # the browser's tab shows it too, not Material's default icon
            config.theme["favicon"] = logo[0]
        # MkDocs dates every page of sitemap.xml (and the header of sitemap.xml.gz) with the day of the
        # build: two builds of the same content on two days would differ. The content's own date is
        # used instead, the latest issue's reference date (after every page is read, before the
        # sitemap is written).
        if self.edition_for_data is not None and self.edition_for_data.issues:
            day = max(issue.date_reference for issue in self.edition_for_data.issues).isoformat()
            for file in files.documentation_pages():
                if file.page is not None:
                    file.page.update_date = day
        if (folder := self._bytecode("theme")) is not None and env.bytecode_cache is None:
            folder.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        return env

    def _logo(self) -> tuple[str, Path] | None:
        """The logo of content/reglages.yaml as (site path, file): the same file the print edition embeds."""
        logo = self.edition_for_data.settings.logo if self.edition_for_data else None
        return (f"identite/{logo.fichier.name}", logo.fichier) if logo else None

    def _english(self) -> tuple[Edition, tuple[IssueFigures, ...]]:
        """The English edition and its figures (made once per build, in on_config, but for the preview)."""
        if self.english is None and self.edition_for_data is not None:
            self.english = pages_en.english(self.edition_for_data)
        assert self.english is not None, "called with an edition only"
        return self.english

    def on_nav(self, nav, config, files):
        """The English pages' menu: the entries of mkdocs.yml's nav whose page has an English counterpart,
        titled from the catalog (NAV_TITLES), for on_page_context to give the English pages."""
        t = translations(pages_en.LOCALE)
        self._documentation = {f.src_uri: f for f in files.documentation_pages()}
        entries = []
        for item in nav.items:
            file = item.file if isinstance(item, Page) else None
            other = files.get_file_from_path(pages_en.PREFIX + file.src_uri) if file is not None else None
            if other is not None and other.page is not None:
                other.page.title = t.gettext(item.title) if item.title else other.page.title
                entries.append(other.page)
        self.english_nav = Navigation(entries, entries) if entries else None
        if self.english_nav is not None:
            self.english_nav.homepage = entries[0]
        return nav

    def on_page_context(self, context, page, config, nav):
        """An English page gets the English menu; every page with a counterpart in the other language
        gets its address, for the language switch and the hreflang alternates (templates/web/main.html)."""
        english = page.file.src_uri.startswith(pages_en.PREFIX)
        if english and self.english_nav is not None:
            context["nav"] = self.english_nav
        if english and self.english is not None and self.edition_for_data is not None and config.copyright:
            # mkdocs.yml's footer line, with the section and mission named as the English edition names them.
            french, translated = self.edition_for_data.settings, self.english[0].settings
            line = config.copyright.replace(french.section, translated.section)
            context["page_copyright"] = line.replace(french.mission, translated.mission)
        other = pages_en.counterpart(page.file.src_uri, self._documentation.keys())
        home = pages_en.PREFIX + "index.md" if not english else "index.md"
        target = other or (home if home in self._documentation else None)
        context["language_switch"] = (
            {"href": self._documentation[target].url, "exact": other is not None, "language": "fr" if english else "en"}
            if target
            else None
        )
        return context

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.src_uri.startswith(pages_en.PREFIX):
            # An English fixed page (content/pages/en/) lists the files published under en/, linked from it.
            prefix = pages_en.PREFIX
            sizes = {uri[len(prefix) :]: size for uri, size in self.published_sizes.items() if uri.startswith(prefix)}
            return with_files(markdown, sizes, translations(pages_en.LOCALE), pages_en.LOCALE)
        return with_files(markdown, self.published_sizes, translations(LOCALE), LOCALE)

    def on_post_template(self, output_content, template_name, config):
        # The 404 page, a static template of the theme, in French typography as every page.
        return _typeset(output_content) if template_name == "404.html" else output_content

    def on_page_content(self, html, page, config, files):
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            # A fixed page (« À propos », the guide): the authors' Markdown, cleaned as an issue's texts are.
            clean = sanitize.clean(html)
            return clean if page.file.src_uri.startswith(pages_en.PREFIX) else _typeset(clean)
        # Material prints the entries' names as HTML; a section may be named after a fund.
        # Under one level-1 entry, the page's title (its h1, id "contenu" in every template): Material's
        # « Aller au contenu » goes to the first entry, so it lands on the title, before the PDF link
        # that follows it, not past it on the first section; the table of contents lists the sections
        # as before (Material shows a level-1 entry's children).
        sections: list[Any] = [
            {"level": t.level, "id": t.id, "name": escape(t.title), "children": []} for t in generated.toc
        ]
        page.toc = get_toc([{"level": 1, "id": "contenu", "name": escape(generated.title), "children": sections}])
        return generated.html if page.file.src_uri.startswith(pages_en.PREFIX) else _typeset(generated.html)

    def on_post_build(self, config) -> None:
        if self.config.preview and self.edition is not None:
            self._preview_print(config, self.edition)
        for result in (*(self.pdfs or ()), *self.extra_pdfs):
            # Linked to the cache's copy when they share a disk (a ten-year archive holds hundreds).
            atomic.place(result.path, Path(config.site_dir) / result.site_path)
        # Material's bundle fetches sitemap.xml beside the page's feed link: the English pages link
        # en/feed.xml, so the English site has the sitemap too (MkDocs writes the one at the root).
        sitemap, english = Path(config.site_dir) / "sitemap.xml", Path(config.site_dir) / pages_en.PREFIX
        if sitemap.is_file() and english.is_dir():
            shutil.copyfile(sitemap, english / "sitemap.xml")
        log.info("Aperçu à jour (%s).", time.strftime("%H:%M:%S"))

    def _preview_print(self, config, edition: Edition) -> None:
        """The print layout as a page beside each issue, and its PDF made in the background."""
        templates, site = self._path(config, self.config.templates_dir), Path(config.site_dir)
        shutil.copytree(templates / "print", site / "assets/print", dirs_exist_ok=True)
        for month, html in print_previews(edition, templates, "/assets/print/print.css").items():
            (site / "bulletins" / month / "impression.html").write_text(html, encoding="utf-8")
        self._generation += 1
        cache = self._path(config, self.config.cache_dir)
        threading.Thread(
            target=self._print_in_background, args=(edition, templates, cache, site, self._generation), daemon=True
        ).start()

    def _print_in_background(self, edition, templates: Path, cache: Path, site: Path, generation: int) -> None:
        try:
            results = run_print(plan_print(edition, templates, cache, plans=False), workers=1)
            if generation == self._generation:  # a newer save started its own PDFs: these are stale
                for result in results:
                    shutil.copyfile(result.path, site / result.site_path)
                log.info("PDF à jour (%s).", time.strftime("%H:%M:%S"))
        except (PrintFailed, OSError) as exc:
            log.warning("PDF non produit : %s", exc)

    def on_serve(self, server, config, builder):
        for folder in (self.config.content_dir, self.config.templates_dir):
            server.watch(str(self._path(config, folder)))
        return server


def _typeset(html: str) -> str:
    """Every page's text in French typography, not only the authors' prose: the fixed pages, and the
    sentences of the fund, region and plan templates (set_html is idempotent: a text set stays so)."""
    return typography.set_html(html) if LOCALE.startswith("fr") else html
