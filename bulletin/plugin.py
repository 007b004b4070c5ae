"""MkDocs adapter: adds the generated pages (and the issues' PDFs) to a Material site. Thin on purpose."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from .errors import ContentInvalid
from .pages import GeneratedPage, PdfFile, render_pages
from .print_build import PrintFailed, PrintResult, plan_print, run_print
from .report import format_problems
from .validate import load_edition

log = logging.getLogger("mkdocs.plugins.bulletin")


class BulletinConfig(base.Config):
    content_dir = c.Type(str, default="content")
    templates_dir = c.Type(str, default="templates")
    pdf = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache/pdf")


class BulletinPlugin(BasePlugin[BulletinConfig]):
    """Validates content/ at config time and serves the pages that bulletin.pages renders."""

    def __init__(self) -> None:
        self.pages: dict[str, GeneratedPage] = {}
        self.pdfs: tuple[PrintResult, ...] | None = None   # the CLI may hand over PDFs it already made
        self.extra_pdfs: tuple[PrintResult, ...] = ()       # print-shop variants, copied as they are

    def _path(self, config, value: str) -> Path:
        return Path(config.config_file_path).parent / value

    def on_config(self, config):
        templates = self._path(config, self.config.templates_dir)
        try:
            edition = load_edition(self._path(config, self.config.content_dir))
            if self.pdfs is None and self.config.pdf:
                self.pdfs = run_print(plan_print(edition, templates, self._path(config, self.config.cache_dir)))
        except ContentInvalid as exc:
            # MkDocs reports PluginError without a traceback; the text is the author's French report.
            raise PluginError(format_problems(exc.problems)) from None
        except PrintFailed as exc:
            raise PluginError(str(exc)) from None
        pdfs = {r.site_path: PdfFile(r.site_path.rsplit("/", 1)[1], r.path.stat().st_size) for r in self.pdfs or ()}
        pages = render_pages(edition, templates, pdfs)
        self.pages = {p.uri: p for p in pages}
        return config

    def on_files(self, files: Files, config) -> Files:
        for page in self.pages.values():
            files.append(File.generated(config, page.uri, content=f"---\ntitle: {page.title}\n---\n"))
            for uri, source in page.fichiers:
                files.append(File.generated(config, uri, abs_src_path=str(source)))
        return files

    def on_page_content(self, html, page, config, files):
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html
        page.toc = get_toc([{"level": t.level, "id": t.id, "name": t.title, "children": []} for t in generated.toc])
        return generated.html

    def on_post_build(self, config) -> None:
        for result in (*(self.pdfs or ()), *self.extra_pdfs):
            target = Path(config.site_dir) / result.site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(result.path, target)
        log.info("Aperçu à jour (%s).", time.strftime("%H:%M:%S"))

    def on_serve(self, server, config, builder):
        for folder in (self.config.content_dir, self.config.templates_dir):
            server.watch(str(self._path(config, folder)))
        return server
