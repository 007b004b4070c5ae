"""MkDocs adapter: frames a SiteBuild's pages (and places its PDFs) in a Material site. Thin on purpose:
what a page says is decided in bulletin.site_build, before MkDocs runs."""

from __future__ import annotations

import logging
import re
import shutil
import threading
import time
from collections.abc import Callable
from html import escape
from importlib import metadata
from pathlib import Path
from typing import Any, cast

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import clean_directory
from mkdocs.utils.templates import TemplateContext

from . import atomic, csp, i18n, pages_en
from .errors import ContentInvalid
from .i18n import N_, translations
from .incremental import Manifest, digest, tree_digest
from .memo import NO_MEMO, Memo, Parsing
from .models import Edition
from .print_build import PrintFailed, plan_print, print_apart
from .render import LOCALE
from .report import format_problems
from .site_build import (
    Reuse,
    SiteBuild,
    english_footer,
    finish_folder,
    fixed_page_html,
    fixed_page_markdown,
    frame_html,
    front_matter,
    make_site,
    plan_reuse,
)

log = logging.getLogger("mkdocs.plugins.bulletin")
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")  # where MkDocs reports missing link targets
_MISSING_LINK = re.compile(r"contains a link '([^']+)', but the target (?:'([^']+)' )?is not found")


class _PlacedPdfs(logging.Filter):
    """MkDocs checks each page's links against its own files, but the PDFs are placed beside the pages
    after its build (on_post_build): a link to one of them is not missing, and the author must not be
    told in English that it is. Any other missing target is still reported."""

    def __init__(self, placed: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.placed = placed  # the latest build's: the preview makes a new plugin per rebuild

    def filter(self, record: logging.LogRecord) -> bool:
        found = _MISSING_LINK.search(record.getMessage())
        return found is None or (found.group(2) or found.group(1)) not in self.placed


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
# Material's own search: lunr, its languages and its worker (1.9 MB; compressing them took 0.47 s of the
# 1.72 s of CPU a cold build of the ten-year archive spends compressing). The readers search with Pagefind
# (bulletin/search.py) and no page loads these (the header has no search box:
# templates/web/partials/header.html): not published.
# A site of an older version that has them is not reused as it is (the code is in the frame of every
# page: site_build.plan_reuse), so a rebuild does not link them back from it.
MATERIAL_SEARCH = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")


class _Kept(File):
    """A generated file the previous build wrote with the same bytes: MkDocs's dirty build skips it."""

    def is_modified(self) -> bool:
        return False


def _never() -> bool:
    return False


def _always() -> bool:
    return True


def frame(config: MkDocsConfig) -> str:
    """A digest of everything of this shell that frames every page: mkdocs.yml, templates/web/, the fixed
    pages, MkDocs's and Material's versions (bulletin.site_build.plan_reuse adds the core's part)."""
    root = Path(config.config_file_path)
    theme = Path(config.theme.custom_dir) if config.theme.custom_dir else root.parent
    return digest(
        root.read_bytes(),
        tree_digest(theme, Path(config.docs_dir)),
        *(metadata.version(name) for name in SHELL_LIBRARIES),
        config.site_url or "",
        str(config.draft_docs),
    )


class BulletinConfig(base.Config):  # type: ignore[no-untyped-call]  # MkDocs's __init_subclass__
    content_dir = c.Type(str, default="content")
    templates_dir = c.Type(str, default="templates")
    pdf = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache/pdf")
    preview = c.Type(bool, default=False)


class BulletinPlugin(BasePlugin[BulletinConfig]):  # type: ignore[no-untyped-call]
    """Frames the pages of a SiteBuild (bulletin.site_build). The command line hands one over
    (bulletin.web.MkDocsShell); a bare `mkdocs build` or `mkdocs serve` makes it with the same make_site."""

    def __init__(self) -> None:
        self.site: SiteBuild | None = None
        self._handed: tuple[SiteBuild, Reuse | None, Path | None] | None = None
        self._reuse: Reuse | None = None
        self._bytecode: Path | None = None  # where the theme's compiled templates are kept between builds
        self._english_nav: Navigation | None = None  # the English pages' menu (on_nav)
        self._documentation: dict[str, File] = {}  # every page's source path -> its file (on_nav)
        self._printing = 0  # the preview's background PDFs: the latest save's only
        self._bare = False
        # The preview's own store, living from one save to the next (on_startup): results of pure steps
        # (bulletin.memo), the manifest of the pages it served, the digest of each print layout served.
        self._memo: Memo | None = None
        self._served: Manifest | None = None
        # The fixed pages' Markdown as the preview served it (with its list of files filled in), by page.
        self._fixed: dict[str, str] = {}
        self._fixed_next: dict[str, str] = {}
        self._layouts: dict[str, str] = {}  # month -> digest of its print layout, as served
        self._layouts_next: dict[str, str] = {}  # and as this build serves it

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Present so that MkDocs keeps this plugin from one rebuild of `mkdocs serve` to the next
        (MkDocs ≥ 1.4 keeps a plugin that has it for the whole process): the preview's store lives here."""

    def hand_over(self, site: SiteBuild, reuse: Reuse | None, cache: Path | None) -> None:
        """The one call of the command line (bulletin.web): the site to write and what to keep."""
        self._handed = (site, reuse, cache / "jinja" / "theme" if cache is not None else None)

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return Path(config.config_file_path).parent / value

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # One plugin per process (on_startup): what one build was handed is not the next one's.
        handed, self._handed = self._handed, None
        self._bare = handed is None  # a bare `mkdocs build` or the preview: no command line around it
        if handed is not None:
            self.site, self._reuse, self._bytecode = handed
        else:
            preview = self.config.preview
            memo = self._preview_memo(config) if preview else NO_MEMO
            # MkDocs makes the theme's templates anew for each build: compiled again at every save of
            # the preview (a third of its time on the archive) unless kept where build.py keeps them.
            cache = self._path(config, self.config.cache_dir)
            self._reuse, self._bytecode = None, cache / "jinja" / "theme" if preview else None
            # What is served is known again only once this build has gone through (on_post_build): a
            # build that fails leaves an error page in every page (web.serve_site).
            served, self._served = self._served, None
            try:
                self.site = make_site(
                    self._path(config, self.config.content_dir),
                    self._path(config, self.config.templates_dir),
                    site_url=config.site_url,
                    image_cache=self._path(config, IMAGE_CACHE),
                    print_cache=self._path(config, self.config.cache_dir) if self.config.pdf else None,
                    preview=preview,
                    memo=memo,
                    parsing=Parsing(memo),
                )
            except ContentInvalid as exc:
                # MkDocs reports PluginError without a traceback; the text is the author's French report.
                raise PluginError(format_problems(exc.problems)) from None
            except PrintFailed as exc:
                raise PluginError(str(exc)) from None
            if self.site.problems:  # the preview shows them in the page, and recovers on save
                log.warning("%s", self.site.problems)
            if preview:
                memo.next_build()
                # MkDocs serves from one folder, rebuilt "dirty" (web.serve_site): what did not change
                # since the last save is not written again, as in a rebuild of build.py.
                self._reuse = plan_reuse(self.site, digest(frame(config), config.site_dir), served, memo)
        placed = [f for f in _PAGES_LOG.filters if isinstance(f, _PlacedPdfs)]
        if not placed:
            placed = [_PlacedPdfs()]
            _PAGES_LOG.addFilter(placed[0])
        placed[0].placed = self.site.placed_pdfs
        return config

    def _preview_memo(self, config: MkDocsConfig) -> Memo:
        """Starts from what the last `build.py build` kept, if any; then kept in memory only."""
        if self._memo is None:
            self._memo = Memo(
                self._path(config, self.config.cache_dir) / "web" / "memo.pickle", write=False, lives_on=True
            )
        return self._memo

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.site is not None and self.site.preview and not (self._reuse and self._reuse.in_place):
            clean_directory(config.site_dir)  # nothing of another frame, or of pages now gone, stays served

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        site, reuse = self.site, self._reuse
        assert site is not None, "made in on_config"
        for unused in [f for f in files if f.src_uri.startswith(MATERIAL_SEARCH)]:
            files.remove(unused)
        keep = reuse if reuse is not None and reuse.in_place else None
        ours = set()
        for item in site.data:
            ours.add(item.uri)
            kind = _Kept if keep and item.uri in keep.data else File
            files.append(kind.generated(config, item.uri, content=item.content))
        for page in site.pages.values():
            kind = _Kept if keep and page.uri in keep.pages else File
            files.append(kind.generated(config, page.uri, content=front_matter(page)))
        for static in site.files:
            ours.add(static.uri)
            kind = _Kept if keep and static.uri in keep.files else File
            files.append(kind.generated(config, static.uri, abs_src_path=str(static.source)))
        # The print layouts of the preview (one per issue, 6 MB on a ten-year archive): one the last save
        # that went through served with the same bytes is not written again.
        self._layouts_next = {}
        for uri, html in site.documents:
            ours.add(uri)
            month = uri.split("/")[1]
            made = self._layouts_next[month] = digest(html)
            same = keep is not None and self._layouts.get(month) == made
            files.append((_Kept if same else File).generated(config, uri, content=html))
        self._fixed_next = {}
        fixed = [f for f in files if f.is_documentation_page() and f.src_uri not in site.pages]
        unchanged = {f.src_uri for f in fixed if site.preview and self._fixed_unchanged(site, f)}
        if keep is not None:
            # The theme's own files are covered by the frame (bulletin.site_build.plan_reuse): the same.
            # The fixed pages list the published files and their sizes: a build.py rebuild makes them
            # again; the preview, which remembers their Markdown as served, only those it changes (the
            # guide alone is 70 kB of Markdown, a third of a save's conversions).
            for file in files:
                if file.is_documentation_page() and file.src_uri not in site.pages:
                    file.is_modified = _never if file.src_uri in unchanged else _always  # type: ignore[method-assign]
                elif not file.is_documentation_page() and file.src_uri not in ours:
                    file.is_modified = _never  # type: ignore[method-assign]
        return files

    def _fixed_unchanged(self, site: SiteBuild, file: File) -> bool:
        """Whether the preview served this fixed page from the same Markdown (the frame, which holds
        its source, the menu, the theme and the settings, is the same: the caller's `keep`)."""
        try:
            markdown = Path(file.abs_src_path or "").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False  # MkDocs reports what it cannot read
        made = self._fixed_next[file.src_uri] = digest(fixed_page_markdown(site, file.src_uri, markdown))
        return self._fixed.get(file.src_uri) == made

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        site = self.site
        # The pages' Content Security Policy (bulletin/csp.py); not in the live preview, whose reloading
        # script MkDocs writes inline into every page.
        env.globals["content_security_policy"] = "" if self.config.preview else csp.policy()
        # The 404 page loads no file, to work at any address: its style is in it, allowed by its hash.
        assert env.loader is not None, "the theme's loader"
        style = env.loader.get_source(env, "introuvable.css")[0]  # templates/web/, the theme's custom_dir
        env.globals["not_found_style"] = style
        env.globals["not_found_policy"] = "" if self.config.preview else csp.policy(styles=(style,))
        # The theme's own words (masthead, 404) in the reader's language, and the publication's logo
        # from content/reglages.yaml, with the alternative text the print edition gives it.
        env.add_extension("jinja2.ext.i18n")
        i18n.install(env, i18n.translations(LOCALE))
        logo = site.logo if site is not None else None
        env.globals["publication_logo"] = {"src": logo.uri, "alt": logo.alt} if logo is not None else None
        env.globals["publication_settings"] = site.settings if site is not None else None
        # One 404 page answers every address, /en/… included: with an English edition (the English menu
        # on_nav found), it says it in English too, from the same msgids in the English catalog.
        english = translations(pages_en.LOCALE) if self._english_nav is not None else None
        env.globals["english_gettext"] = english.gettext if english is not None else None
        if logo is not None:  # the browser's tab shows it too, not Material's default icon
            config.theme["favicon"] = logo.uri
        # MkDocs dates every page of sitemap.xml with the day of the build: two builds of the same
        # content on two days would differ. The content's own date is used instead.
        if site is not None and site.updated is not None:
            for file in files.documentation_pages():
                if file.page is not None:
                    file.page.update_date = site.updated
        if self._bytecode is not None and env.bytecode_cache is None:
            self._bytecode.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(self._bytecode))
        return env

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
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
        self._english_nav = Navigation(entries, entries) if entries else None
        if self._english_nav is not None:
            self._english_nav.homepage = entries[0]
        return nav

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        theirs = cast(dict[str, Any], context)  # Material's template reads the entries below too
        """An English page gets the English menu; every page with a counterpart in the other language
        gets its address, for the language switch and the hreflang alternates (templates/web/main.html)."""
        english = page.file.src_uri.startswith(pages_en.PREFIX)
        if english and self._english_nav is not None:
            context["nav"] = self._english_nav
        if english and config.copyright:
            theirs["page_copyright"] = english_footer(self.site, config.copyright)
        if english and config.extra.get("site_description_en") and not page.meta.get("description"):
            page.meta["description"] = config.extra["site_description_en"]  # Material's <meta name="description">
        other = pages_en.counterpart(page.file.src_uri, self._documentation.keys())
        home = pages_en.PREFIX + "index.md" if not english else "index.md"
        target = other or (home if home in self._documentation else None)
        theirs["language_switch"] = (
            {"href": self._documentation[target].url, "exact": other is not None, "language": "fr" if english else "en"}
            if target
            else None
        )
        return context

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return fixed_page_markdown(self.site, page.file.src_uri, markdown)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return frame_html(output_content) if template_name == "404.html" else output_content

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        generated = self.site.pages.get(page.file.src_uri) if self.site is not None else None
        if generated is None:
            site = self.site
            english = page.file.src_uri.startswith(pages_en.PREFIX)
            settings = None if site is None else (site.english_settings if english else site.settings)
            return fixed_page_html(
                page.file.src_uri, html, site.placed_pdfs if site is not None else frozenset(), settings
            )
        # Material prints the entries' names as HTML; a section may be named after a fund.
        # Under one level-1 entry, the page's title (its h1, id "contenu" in every template): Material's
        # « Aller au contenu » goes to the first entry, so it lands on the title, before the PDF link
        # that follows it, not past it on the first section; the table of contents lists the sections
        # as before (Material shows a level-1 entry's children).
        sections: list[Any] = [
            {"level": t.level, "id": t.id, "name": escape(t.title), "children": []} for t in generated.toc
        ]
        page.toc = get_toc([{"level": 1, "id": "contenu", "name": escape(generated.title), "children": sections}])
        return generated.html  # typeset where it was made (bulletin.pages)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site, folder = self.site, Path(config.site_dir)
        assert site is not None, "made in on_config"
        for result in (*site.pdfs, *site.extra_pdfs):
            # Linked to the cache's copy when they share a disk (a ten-year archive holds hundreds).
            atomic.place(result.path, folder / result.site_path)
        # Material's bundle fetches sitemap.xml beside the page's feed link: the English pages link
        # en/feed.xml, so the English site has the sitemap too (MkDocs writes the one at the root).
        sitemap, english = folder / "sitemap.xml", folder / pages_en.PREFIX
        if sitemap.is_file() and english.is_dir():
            shutil.copyfile(sitemap, english / "sitemap.xml")
        if site.preview and self._reuse is not None:
            self._served = self._reuse.manifest
            self._fixed = self._fixed_next
        if self._bare and not site.preview:
            finish_folder(folder)  # a bare `mkdocs build`: the site build.py makes, minus its generations
        if site.preview and site.edition is not None and (months := self._layouts_changed(site)):
            self._printing += 1
            threading.Thread(
                target=self._print_in_background,
                args=(site.edition, months, self._path(config, self.config.templates_dir), config, self._printing),
                daemon=True,
            ).start()
        log.info("Aperçu à jour (%s).", time.strftime("%H:%M:%S"))

    def _layouts_changed(self, site: SiteBuild) -> tuple[str, ...]:
        """The months whose print layout changed since the last save (at the first, the latest issue's):
        the PDFs the author may be waiting for, not the archive's."""
        layouts = self._layouts_next  # digested as they were handed to MkDocs (on_files)
        first = not self._layouts
        changed = [m for m, d in layouts.items() if self._layouts.get(m) != d]
        self._layouts = layouts
        return tuple(sorted(layouts)[-1:] if first else changed)

    def _print_in_background(
        self, edition: Edition, months: tuple[str, ...], templates: Path, config: MkDocsConfig, generation: int
    ) -> None:
        """The preview's PDFs of these months, made after the pages are served: a newer save's make these stale."""
        try:
            cache = self._path(config, self.config.cache_dir)
            results = print_apart(plan_print(edition, templates, cache, months, plans=False))
            if generation == self._printing:
                for result in results:
                    shutil.copyfile(result.path, Path(config.site_dir) / result.site_path)
                log.info("PDF à jour (%s).", time.strftime("%H:%M:%S"))
        except (PrintFailed, OSError) as exc:
            log.warning("PDF non produit : %s", exc)

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        for folder in (self.config.content_dir, self.config.templates_dir):
            server.watch(str(self._path(config, folder)))
        return server
