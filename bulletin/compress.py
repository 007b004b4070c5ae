"""Precompressed copies of the site's text files, for web servers that serve them as they are.

nginx's `gzip_static on` (and `brotli_static on` with its brotli module), Apache with `MultiViews` or
rewrite rules, and most static hosts send `page.html.gz` (or `.br`) to a browser that accepts it,
instead of compressing `page.html` on every request or not at all. On a slow, costly link that is
most of the transfer: the theme's stylesheet and script shrink to about a fifth.

The bytes are deterministic (gzip header time 0, no file name), so two builds of the same content
give the same site. A copy is made again only when its source is newer: an incremental build links
unchanged files, with their copies, from the generation in place (bulletin.publish), and only the
pages it wrote are compressed again. Copies are written beside the file under a temporary name and
renamed (bulletin.atomic): a hard-linked copy shared with the previous generation is never changed.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from . import atomic

# What a browser fetches as text; PDFs, photos and fonts (woff2 is compressed already) are left alone.
TEXT = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt", ".webmanifest"})

# The theme's own files, fetched by every first visit, then cached.
SHARED = frozenset({".css", ".js"})
BIG = 256 * 1024


def _gzip(data: bytes, path: Path) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _brotli_quality(data: bytes, path: Path) -> int:
    """Quality 11 for the theme's stylesheets and scripts, which every first visit fetches: a fifth
    smaller than gzip. The pages, open data and search index (nine tenths of a site's text) at 6: on the
    120-issue archive of bench/archive.py quality 11 for them cost 26 s of CPU, half of a cold build,
    for files a tenth smaller (about 1 KB on an issue page). Quality 8 gave files 1 % smaller than 6
    (2.89 MiB against 2.92 for the archive's 16 MiB of text) for a third more time (0.62 s against 0.47)
    and 10 MiB more of the build's peak memory: its encoder's tables take 13 MiB, quality 6's 3 MiB."""
    return 11 if path.suffix in SHARED and len(data) <= BIG else 6


def _encoders() -> dict[str, Callable[[bytes, Path], bytes]]:
    encoders: dict[str, Callable[[bytes, Path], bytes]] = {".gz": _gzip}
    try:  # declared in pyproject.toml; a site without .br still works, served gzipped
        import brotli  # type: ignore[import-untyped]  # Google's binding ships no type information
    except ImportError:
        return encoders
    encoders[".br"] = lambda data, path: bytes(brotli.compress(data, quality=_brotli_quality(data, path)))
    return encoders


def text_files(folder: Path, skip: frozenset[str] = frozenset()) -> Iterator[Path]:
    """Every text file under folder that a server may send compressed, in a stable order (but under
    the folders of folder named in skip)."""
    for root, dirs, names in os.walk(folder):
        if root == str(folder):
            dirs[:] = [d for d in dirs if d not in skip]
        dirs.sort()
        for name in sorted(names):
            if os.path.splitext(name)[1].lower() in TEXT:
                yield Path(root, name)


def precompress(folder: Path, skip: frozenset[str] = frozenset()) -> int:
    """Write `NAME.gz` (and `NAME.br`) beside every text file under folder (but under the folders named
    in skip) whose copy is missing or older than it. A copy that would not be smaller is not written
    (the server then sends the file itself), and an old one is removed. Returns the number of copies
    written.

    One file at a time: a build compresses while Pagefind indexes (bulletin/site_build.py), which
    takes the other core; a second thread of compression was no faster on two cores and raised the
    build's peak memory by 40 MiB (Brotli's window and hash tables, per file in flight)."""
    encoders = _encoders()
    written = 0
    for path in text_files(folder, skip):
        source = path.stat()
        data: bytes | None = None
        for suffix, encode in encoders.items():
            target = path.with_name(path.name + suffix)
            try:
                if target.stat().st_mtime_ns >= source.st_mtime_ns:
                    continue
            except FileNotFoundError:
                pass
            if data is None:
                data = path.read_bytes()
            packed = encode(data, path)
            if len(packed) < len(data):
                atomic.write_bytes(target, packed)
                written += 1
            else:
                target.unlink(missing_ok=True)
    return written
