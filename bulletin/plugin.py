"""MkDocs adapter: adds the generated pages (and the issues' PDFs) to a Material site. Thin on purpose."""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from .errors import ContentInvalid
from .images import make_variants
from .pages import GeneratedPage, PdfFile, compute_all, data_files, preview_error_pages, print_previews, render_pages
from .print_build import PrintFailed, PrintResult, plan_print, run_print
from .report import format_problems
from .search_entries import page_entries, unique_entries
from .search_fold import complete_search_index
from .validate import load_edition

log = logging.getLogger("mkdocs.plugins.bulletin")
IMAGE_CACHE = ".cache/images"


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
        self.edition = None
        self.edition_for_data = None
        self.figures = ()
        self.preset_edition = None   # the command line may hand over the content it loaded…
        self.preset_figures = None   # …and the figures it computed
        self._urls: dict[str, str] = {}
        self._generation = 0
        self.pdfs: tuple[PrintResult, ...] | None = None   # the CLI may hand over PDFs it already made
        self.extra_pdfs: tuple[PrintResult, ...] = ()       # print-shop variants, copied as they are

    def _path(self, config, value: str) -> Path:
        return Path(config.config_file_path).parent / value

    def on_config(self, config):
        templates = self._path(config, self.config.templates_dir)
        content = self._path(config, self.config.content_dir)
        self.edition = self.edition_for_data = None
        if self.config.preview:
            try:
                self.edition = load_edition(content)
            except ContentInvalid as exc:
                # In the preview the author sees the report in the page, and the page recovers on save.
                log.warning("%s", format_problems(exc.problems))
                self.pages = {p.uri: p for p in preview_error_pages(content, templates,
                                                                    format_problems(exc.problems))}
                return config
            self.figures = compute_all(self.edition)
            self.pages = {p.uri: p for p in render_pages(self.edition, templates, preview=True,
                                                         all_figures=self.figures)}
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
        pages = render_pages(edition, templates, pdfs, all_figures=self.figures)
        self.pages = {p.uri: p for p in pages}
        self.edition_for_data = edition
        return config

    def on_files(self, files: Files, config) -> Files:
        if self.edition_for_data is not None:
            for data in data_files(self.edition_for_data, config.site_url, self.figures):
                files.append(File.generated(config, data.uri, content=data.content))
        self._urls = {}
        for page in self.pages.values():
            # Indexed by bulletin.search_entries, not re-parsed by Material's search plugin (see there).
            # The title quoted as JSON, which YAML reads as is: « Région : Gao » unquoted is not YAML.
            front = f"---\ntitle: {json.dumps(page.title, ensure_ascii=False)}\nsearch:\n  exclude: true\n---\n"
            generated = File.generated(config, page.uri, content=front)
            files.append(generated)
            self._urls[page.uri] = "" if generated.url == "./" else generated.url  # as Material writes the home
            for uri, source in page.fichiers:
                files.append(File.generated(config, uri, abs_src_path=str(source)))
            made: dict[Path, dict[str, Path]] = {}
            for uri, source, variant in page.variantes:
                wanted = tuple(v for _, s, v in page.variantes if s == source)
                made.setdefault(source, make_variants(source, wanted, self._path(config, IMAGE_CACHE)))
                files.append(File.generated(config, uri, abs_src_path=str(made[source][variant.name])))
        return files

    def on_page_content(self, html, page, config, files):
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html
        page.toc = get_toc([{"level": t.level, "id": t.id, "name": t.title, "children": []} for t in generated.toc])
        return generated.html

    def on_post_build(self, config) -> None:
        # Runs after the search plugin (listed before this one), which indexed the hand-written pages.
        issues = [p for p in self.pages.values() if p.uri.startswith("bulletins/")]
        others = [p for p in self.pages.values() if not p.uri.startswith("bulletins/")]
        # Newest issues first: a section repeated from month to month is indexed at its latest page.
        ordered = [*reversed(issues), *others]
        entries = unique_entries(page_entries(self._urls[p.uri], p.title, p.html) for p in ordered)
        complete_search_index(Path(config.site_dir), [e.as_json() for e in entries])
        if self.config.preview and self.edition is not None:
            self._preview_print(config)
        for result in (*(self.pdfs or ()), *self.extra_pdfs):
            target = Path(config.site_dir) / result.site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(result.path, target)
        log.info("Aperçu à jour (%s).", time.strftime("%H:%M:%S"))

    def _preview_print(self, config) -> None:
        """The print layout as a page beside each issue, and its PDF made in the background."""
        templates, site = self._path(config, self.config.templates_dir), Path(config.site_dir)
        shutil.copytree(templates / "print", site / "assets/print", dirs_exist_ok=True)
        for month, html in print_previews(self.edition, templates, "/assets/print/print.css").items():
            (site / "bulletins" / month / "impression.html").write_text(html, encoding="utf-8")
        self._generation += 1
        cache = self._path(config, self.config.cache_dir)
        threading.Thread(target=self._print_in_background,
                         args=(self.edition, templates, cache, site, self._generation), daemon=True).start()

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
