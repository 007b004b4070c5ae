"""MkDocs adapter for the command line: the shell that frames and writes a SiteBuild, and the live preview."""

from __future__ import annotations

import contextlib
import errno
import gc
import html
import json
import logging
import os
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from . import atomic
from .messages import cli as cli_msg
from .plugin import BulletinPlugin, frame
from .site_build import Reuse, SiteBuild

CONTENT_ENV = "BULLETIN_CONTENT"
PDF_ENV = "BULLETIN_PDF"
PREVIEW_ENV = "BULLETIN_PREVIEW"
CACHE_ENV = "BULLETIN_CACHE"
CONFIG_FILE = Path(__file__).resolve().parent.parent / "mkdocs.yml"
THEME_FILES = "fichiers-du-theme.json"  # in the build's cache: the theme's own files (_theme_files_kept)


class MkDocsShell:
    """The site framed by Material for MkDocs (bulletin.site_build.Shell): mkdocs.yml's menu, theme
    and templates/web/. With guide, the author's guide is built too (mkdocs.yml keeps it out of the
    public site as a draft); `cache` keeps the theme's compiled templates between builds."""

    def __init__(
        self,
        config_file: Path = CONFIG_FILE,
        guide: bool = False,
        cache: Path | None = None,
        content: Path | None = None,
    ) -> None:
        _quiet_mkdocs()
        self._config_file, self._guide, self._cache = config_file, guide, cache
        # The fixed pages of the content being built (--content), the ones check read: mkdocs.yml names
        # the project's own, which a build of another content published unchecked in place of its own.
        self._docs = {"docs_dir": str((content / "pages").resolve())} if content is not None else {}
        self._config = self._load()
        self.site_url: str | None = self._config.site_url

    def _load(self, folder: Path | None = None) -> MkDocsConfig:
        config = load_config(str(self._config_file), **self._docs, **({"site_dir": str(folder)} if folder else {}))
        if self._guide:
            config.draft_docs = None  # mkdocs.yml marks the guide a draft: served by "serve", not built
        return config

    @property
    def frame(self) -> str:
        return frame(self._config)

    def write(self, site: SiteBuild, folder: Path, reuse: Reuse | None) -> None:
        config = self._load(folder)  # a configuration serves one build
        plugin = config.plugins["bulletin"]
        assert isinstance(plugin, BulletinPlugin), "mkdocs.yml names the plugin"
        plugin.hand_over(site, reuse, self._cache)
        # "Dirty" is MkDocs's word for: skip the files not modified. In an empty folder that is
        # everything but the files the plugin marks as kept (reuse).
        with _theme_files_from(self._cache / THEME_FILES if self._cache is not None else None):
            build(config, dirty=reuse is not None)


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
    # serve() calls MkDocs's build by this name: the wrapper takes its place.
    mkdocs_serve.build = _showing_errors(mkdocs_serve.build)  # type: ignore[attr-defined]
    Files.add_files_from_theme = _theme_files_kept(Files.add_files_from_theme)  # type: ignore[method-assign,assignment]
    serve = mkdocs_serve.serve
    mkdocs_serve.LiveReloadServer = _told_at_once(mkdocs_serve.LiveReloadServer)  # type: ignore[attr-defined]
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
    # "Dirty": the plugin names the pages that did not change since the last save, MkDocs skips them.
    try:
        serve(
            config_file=str(config_file),
            livereload=True,
            build_type="dirty",
            dev_addr=f"{host}:{port}",
            site_url=f"http://{host}:{port}/",
        )
    except OSError as exc:  # taken between the check above and MkDocs's own bind
        if exc.errno != errno.EADDRINUSE:
            raise
        print(cli_msg.port_busy(host, port, exc.strerror or str(exc)), file=sys.stderr)
        return 2
    return 0


def _told_at_once(server: type[Any]) -> type[Any]:
    """MkDocs's live-reload server, told of a save by the system as it happens (inotify, FSEvents,
    ReadDirectoryChangesW: watchdog's native observer) as well as by MkDocs's own look at the folders
    every 0.5 s, which stays for the file systems that send no events (network shares, some
    containers). A save waited 0.25 s on average before its rebuild began; looking more often cost an
    idle preview of the archive a fifth of a core. Each change starts one rebuild, whichever observer
    reports it first: the other one's report of the same file in the same state is dropped."""
    if getattr(server, "told_at_once", False):
        return server
    from watchdog import events
    from watchdog.observers import Observer

    lost = getattr(events, "EVENT_TYPE_EVENTS_LOST", "events_lost")  # the system's queue overflowed
    # Asked of the system, which then sends nothing else: not the openings and readings of every folder
    # that MkDocs's look makes each 0.5 s (they doubled an idle preview's use of the processor).
    written: list[type[events.FileSystemEvent]] = [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileMovedEvent,
        events.FileDeletedEvent,
        events.FileClosedEvent,
    ]
    changes = {
        events.EVENT_TYPE_CREATED,
        events.EVENT_TYPE_MODIFIED,
        events.EVENT_TYPE_MOVED,
        events.EVENT_TYPE_DELETED,
        events.EVENT_TYPE_CLOSED,  # after writing
        lost,
    }

    class Server(server):  # type: ignore[misc]  # MkDocs's class, known at run time
        told_at_once = True

        def __init__(self, builder: Callable[[], None], *args: Any, **kwargs: Any) -> None:
            super().__init__(_collecting_between_saves(builder), *args, **kwargs)
            self._native = Observer()
            self._native_watches: dict[str, Any] = {}
            self._reported: dict[str, tuple[int, ...] | None] = {}
            self._reported_lock = threading.Lock()

        def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
            path = os.path.abspath(path)
            if path in self._watched_paths:
                self._watched_paths[path] += 1
                return
            self._watched_paths[path] = 1
            handler = events.FileSystemEventHandler()
            handler.on_any_event = self._changed  # type: ignore[method-assign]
            self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)
            # No events for this folder (too many watches, a file system without them): MkDocs's look.
            with contextlib.suppress(OSError):
                self._native_watches[path] = self._native.schedule(
                    handler, path, recursive=recursive, event_filter=written
                )

        def unwatch(self, path: str) -> None:
            super().unwatch(path)
            path = os.path.abspath(path)
            if path not in self._watched_paths and path in self._native_watches:
                self._native.unschedule(self._native_watches.pop(path))

        def serve(self, *args: Any, **kwargs: Any) -> None:
            with contextlib.suppress(OSError):  # MkDocs's own look at the folders still sees every save
                self._native.start()
            super().serve(*args, **kwargs)

        def shutdown(self, wait: bool = False) -> None:
            if self._native.is_alive():
                self._native.stop()
            super().shutdown(wait)

        def _changed(self, event: events.FileSystemEvent) -> None:
            # The native observer also reports files opened and closed unwritten: the build's own reads.
            if event.is_directory or event.event_type not in changes:
                return
            if event.event_type != lost:
                path = os.fsdecode(event.dest_path or event.src_path)
                state = _file_state(path)
                with self._reported_lock:
                    if path in self._reported and self._reported[path] == state:
                        return  # the other observer saw this very change
                    self._reported[path] = state
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

    return Server


# Seconds a preview waits after a build before the collector's full pass: the browser has reloaded the
# page by then, and the author is reading it.
IDLE_COLLECTION = 2.0


def _collecting_between_saves(builder: Callable[[], None], idle: float = IDLE_COLLECTION) -> Callable[[], None]:
    """The preview's builder (every rebuild after a save; MkDocs makes the first build apart), with
    Python's cycle collector off while it builds.

    The preview lives on and holds the whole archive (the edition, the memo's pages and figures). The
    collector's passes during a save's build walked all of it again and again, for garbage found in the
    new objects only: 0.4-0.65 s of a 2.0-2.3 s save of a handover in the 120-issue archive. It is off
    during each build (as `build.py` keeps it off while reading the content: bulletin.cli). Turned on
    again, its first pass walks the youngest objects only, those the build made (tens of milliseconds);
    the full pass over the archive, which frees the cycles left in the older generations, is made `idle`
    seconds after the last build, in a thread, unless another save has started meanwhile (it then waits
    for the next pause). A save that comes during that pass waits for it to end."""
    lock = threading.Lock()
    pending: list[threading.Timer] = []

    def collect() -> None:
        with lock:
            if pending and pending[0] is threading.current_thread():
                pending.clear()
                gc.collect()

    def build() -> None:
        with lock:
            for timer in pending:
                timer.cancel()
            pending.clear()
            gc.disable()
        try:
            builder()
        finally:
            gc.enable()
            timer = threading.Timer(idle, collect)
            timer.daemon = True
            with lock:
                pending.append(timer)
            timer.start()

    return build


def _theme_files_kept(
    gather: Callable[[Files, Any, MkDocsConfig], None], store: Path | None = None
) -> Callable[[Files, Any, MkDocsConfig], None]:
    """MkDocs's gathering of the theme's own files (Files.add_files_from_theme), for the preview. At every
    build it walks every file of the theme's folders and matches each name against a dozen patterns:
    Material's 14 500 (its icons), 0.1 s of each save, to find the same 49 files. The preview finds them
    once, and again only when the folder of the theme that can change while it runs (templates/web/, the
    custom_dir) holds other files: an installed theme does not change under a running program. A page of
    the content with the same address still comes first, as in MkDocs.

    With `store` (a file of the build's cache), the listing is kept there for the next build, under the
    versions of MkDocs and Material besides the rest: a build is a new process (0.06 s of each rebuild)."""
    if getattr(gather, "kept", False):
        return gather
    # The latest listing only: a preview left open while files come and go in templates/web/ would
    # otherwise hold one entry per state of that folder.
    found: dict[str, tuple[tuple[str, str], ...]] = {}

    def gather_kept(files: Files, env: Any, config: MkDocsConfig) -> None:
        theme = config.theme
        key = json.dumps(
            [
                theme.dirs,
                sorted(theme.static_templates),  # a set
                _names_under(theme.custom_dir) if theme.custom_dir else [],
                [metadata.version(name) for name in ("mkdocs", "mkdocs-material")],
            ]
        )
        if key not in found:
            listing = _stored_listing(store, key)
            if listing is None:
                alone = Files([])
                gather(alone, env, config)
                listing = tuple((file.src_uri, file.src_dir) for file in alone if file.src_dir is not None)
                if store is not None:
                    with contextlib.suppress(OSError):  # a cache that cannot be written costs only the time
                        atomic.write_text(store, json.dumps({"key": key, "files": listing}))
            found.clear()
            found[key] = listing
        for path, folder in found[key]:
            if files.get_file_from_path(path) is None:
                files.append(File(path, folder, config.site_dir, config.use_directory_urls))

    gather_kept.kept = True  # type: ignore[attr-defined]  # a mark on the function, read above
    return gather_kept


def _stored_listing(store: Path | None, key: str) -> tuple[tuple[str, str], ...] | None:
    """The listing a build kept in `store` under `key` (None: none, another key, or unreadable)."""
    if store is None:
        return None
    try:
        kept = json.loads(store.read_text(encoding="utf-8"))
        if kept["key"] == key:
            return tuple((str(path), str(folder)) for path, folder in kept["files"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


@contextlib.contextmanager
def _theme_files_from(store: Path | None) -> Iterator[None]:
    """MkDocs's gathering of the theme's files kept in `store` for the length of one build (the preview's
    is kept in memory for all its builds: left as it is)."""
    original = Files.add_files_from_theme
    if getattr(original, "kept", False) or store is None:
        yield
        return
    Files.add_files_from_theme = _theme_files_kept(original, store)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Files.add_files_from_theme = original  # type: ignore[method-assign]


def _names_under(folder: str) -> tuple[str, ...]:
    return tuple(sorted(os.path.join(top, name) for top, _, names in os.walk(folder) for name in names))


def _file_state(path: str) -> tuple[int, ...] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None  # deleted (or moved away)
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _port_busy(host: str, port: int) -> str | None:
    """Why the preview cannot listen on host:port, or None when it can (bound as MkDocs binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def _showing_errors(build_function: Callable[..., None]) -> Callable[..., None]:
    """MkDocs's build, made to always leave a site to serve: on an unexpected error, every page of the
    preview (and any other address) shows the error in French, and the console has the traceback."""
    if getattr(build_function, "shows_errors", False):
        return build_function

    def build_or_show_error(config: MkDocsConfig, *args: Any, **kwargs: Any) -> None:
        try:
            build_function(config, *args, **kwargs)
        except Exception as exc:
            traceback.print_exc()
            what, where = cli_msg.preview_crashed(f"{type(exc).__name__} : {exc}")
            _write_error_site(Path(config.site_dir), what, where)
            logging.getLogger("mkdocs.plugins.bulletin").error("%s\n    → %s", what, where)

    build_or_show_error.shows_errors = True  # type: ignore[attr-defined]  # a mark on the function, read above
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
