"""MkDocs adapter for the command line: build a new generation of the site, then switch to it."""

from __future__ import annotations

import errno
import html
import logging
import os
import socket
import sys
import traceback
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from . import search
from .compress import precompress
from .forked import cores
from .incremental import forget, write_manifest
from .memo import NO_MEMO, Memo
from .messages import cli as cli_msg
from .offline import make_offline
from .print_build import PrintResult
from .publish import new_generation

CONTENT_ENV = "BULLETIN_CONTENT"
PDF_ENV = "BULLETIN_PDF"
PREVIEW_ENV = "BULLETIN_PREVIEW"
CACHE_ENV = "BULLETIN_CACHE"


def build_site(
    config_file: Path,
    content: Path,
    site_dir: Path,
    templates: Path,
    pdfs: tuple[PrintResult, ...] = (),
    extra_pdfs: tuple[PrintResult, ...] = (),
    all_figures=None,
    edition=None,
    cache: Path | None = None,
    memo: Memo = NO_MEMO,
    guide: bool = False,
    offline: bool = False,
) -> int:
    """Build a new generation of the site beside site_dir and switch site_dir to it (bulletin.publish);
    a failure leaves site_dir untouched.

    The PDFs, made beforehand by the print stage, are linked from the pages and copied beside them.
    With a cache folder, MkDocs writes only the pages that changed since the generation in place, and
    the new generation takes the rest from it (bulletin.incremental). Returns the number of HTML pages.
    With guide, the author's guide is built too (mkdocs.yml keeps it out of the public site); with
    offline, the site is made to be opened from disk (bulletin.offline) and is not precompressed.
    """
    _quiet_mkdocs()
    with new_generation(site_dir) as generation:
        site_dir = generation.site
        config = load_config(str(config_file), site_dir=str(generation.folder))
        if guide:
            config.draft_docs = None  # mkdocs.yml marks the guide a draft: served by "serve", not built
        plugin = config.plugins["bulletin"]
        plugin.config.content_dir = str(content.resolve())
        plugin.config.templates_dir = str(templates.resolve())
        plugin.pdfs, plugin.extra_pdfs, plugin.preset_figures = pdfs, extra_pdfs, all_figures
        plugin.preset_edition = edition
        # The copy for reading from disk has its pages rewritten after MkDocs, and the authors' copy has
        # pages the public one must not take over: neither keeps pages from, or for, another generation.
        incremental = cache if not (offline or guide) else None
        plugin.incremental = (cache, site_dir, generation.base) if incremental is not None else None
        plugin.memo = memo
        plugin.workers = cores()
        if cache is not None:
            plugin.image_cache = cache / "images"
        # "Dirty" is MkDocs's word for: skip the files not modified. In an empty folder that is
        # everything; when the plugin found the generation in place reusable, it has named what it can keep.
        build(config, dirty=incremental is not None)
        if plugin.reused:
            generation.fill_from_base()
        pages = sum(1 for _ in generation.folder.rglob("*.html"))

        def _forget() -> None:  # no manifest names the new generation until it is wholly in place
            if incremental is not None:
                forget(incremental, site_dir)

        def _record(folder: Path) -> None:
            if incremental is not None and plugin.next_manifest is not None:
                write_manifest(incremental, site_dir, *plugin.next_manifest, folder=folder)

        # The readers' search indexes the pages as written, the whole site each time (bulletin.search).
        search.index_site(generation.folder)
        # Last, on the complete folder: the search's own files are text too.
        if offline:
            make_offline(generation.folder)
        else:
            precompress(generation.folder)
        generation.publish(before=_forget, after=_record)
    return pages


def serve_site(config_file: Path, content: Path, host: str, port: int, cache: Path) -> int:
    """Live preview: MkDocs rebuilds on every change under content/ and templates/.

    Returns the exit code: 2 when the port is taken (a French message, no traceback). Every build of the
    preview that fails for an unexpected reason shows the error in every page instead of leaving the
    requests waiting for a build that never comes (MkDocs serves nothing until a build succeeds); the
    next save rebuilds as usual.
    """
    from mkdocs.commands import serve as mkdocs_serve

    if (busy := _port_busy(host, port)) is not None:
        print(cli_msg.port_busy(host, port, busy), file=sys.stderr)
        return 2
    mkdocs_serve.build = _showing_errors(mkdocs_serve.build)
    serve = mkdocs_serve.serve
    # mkdocs.yml reads the content folder with !ENV: each rebuild reloads the config from it.
    os.environ[CONTENT_ENV] = str(content.resolve())
    # The preview shows the web page; PDFs are made by "build" and "pdf", which take seconds each.
    os.environ[PDF_ENV] = "false"
    os.environ[PREVIEW_ENV] = "true"
    os.environ[CACHE_ENV] = str(cache.resolve())
    _quiet_mkdocs()
    logging.getLogger("mkdocs.plugins.bulletin").setLevel(logging.INFO)
    print(
        f"Aperçu en direct : http://{host}:{port}/ — il se met à jour à chaque enregistrement "
        f"dans {content} ou templates/. Ctrl+C pour arrêter.",
        flush=True,
    )
    # MkDocs mounts the preview under site_url's path: serve it at the root the author is told about.
    try:
        serve(
            config_file=str(config_file), livereload=True, dev_addr=f"{host}:{port}", site_url=f"http://{host}:{port}/"
        )
    except OSError as exc:  # taken between the check above and MkDocs's own bind
        if exc.errno != errno.EADDRINUSE:
            raise
        print(cli_msg.port_busy(host, port, exc.strerror or str(exc)), file=sys.stderr)
        return 2
    return 0


def _port_busy(host: str, port: int) -> str | None:
    """Why the preview cannot listen on host:port, or None when it can (bound as MkDocs binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def _showing_errors(build_function):
    """MkDocs's build, made to always leave a site to serve: on an unexpected error, every page of the
    preview (and any other address) shows the error in French, and the console has the traceback."""
    if getattr(build_function, "shows_errors", False):
        return build_function

    def build_or_show_error(config, *args, **kwargs):
        try:
            return build_function(config, *args, **kwargs)
        except Exception as exc:
            traceback.print_exc()
            what, where = cli_msg.preview_crashed(f"{type(exc).__name__} : {exc}")
            _write_error_site(Path(config.site_dir), what, where)
            logging.getLogger("mkdocs.plugins.bulletin").error("%s\n    → %s", what, where)

    build_or_show_error.shows_errors = True
    return build_or_show_error


def _write_error_site(site: Path, what: str, where: str) -> None:
    """The error page in place of every page already built, and as the answer to any other address."""
    page = ERROR_PAGE.format(what=html.escape(what), where=html.escape(where)).encode("utf-8")
    site.mkdir(parents=True, exist_ok=True)
    for target in {*site.rglob("*.html"), site / "index.html", site / "404.html"}:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page)


# Standalone on purpose: the error may come from the templates themselves.
ERROR_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Erreur interne de l'aperçu</title>
<style>body{{font:1rem/1.5 sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}}
.sr-error{{border-left:4px solid #b00020;padding:.5rem 1rem;background:#fdecee}}</style></head>
<body><main><h1>Erreur interne de l'aperçu</h1>
<div class="sr-error" role="alert"><p>{what}</p><p>{where}</p></div></main></body></html>
"""


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    # MkDocs warns that a dirty build may leave the navigation stale: the plugin keeps only pages
    # whose frame (navigation included) is unchanged, so the warning would only alarm the author.
    return not record.getMessage().startswith("A 'dirty' build")


def _quiet_mkdocs(level: int = logging.WARNING) -> None:
    build_logger = logging.getLogger("mkdocs.commands.build")
    if _not_dirty_warning not in build_logger.filters:
        build_logger.addFilter(_not_dirty_warning)
    logger = logging.getLogger("mkdocs")
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(handler)
