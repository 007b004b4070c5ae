"""MkDocs adapter: adds the generated pages to a Material site. Thin on purpose."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from .errors import ContentInvalid
from .pages import GeneratedPage, render_pages
from .report import format_problems
from .validate import load_edition


class BulletinConfig(base.Config):
    content_dir = c.Type(str, default="content")
    templates_dir = c.Type(str, default="templates")


class BulletinPlugin(BasePlugin[BulletinConfig]):
    """Validates content/ at config time and serves the pages that bulletin.pages renders."""

    def __init__(self) -> None:
        self.pages: dict[str, GeneratedPage] = {}

    def _path(self, config, value: str) -> Path:
        return Path(config.config_file_path).parent / value

    def on_config(self, config):
        try:
            edition = load_edition(self._path(config, self.config.content_dir))
        except ContentInvalid as exc:
            # MkDocs reports PluginError without a traceback; the text is the author's French report.
            raise PluginError(format_problems(exc.problems)) from None
        pages = render_pages(edition, self._path(config, self.config.templates_dir))
        self.pages = {p.uri: p for p in pages}
        return config

    def on_files(self, files: Files, config) -> Files:
        for page in self.pages.values():
            files.append(File.generated(config, page.uri, content=f"---\ntitle: {page.title}\n---\n"))
        return files

    def on_page_content(self, html, page, config, files):
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html
        page.toc = get_toc([{"level": t.level, "id": t.id, "name": t.title, "children": []} for t in generated.toc])
        return generated.html

    def on_serve(self, server, config, builder):
        for folder in (self.config.content_dir, self.config.templates_dir):
            server.watch(str(self._path(config, folder)))
        return server
