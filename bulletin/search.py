"""The readers' search: a Pagefind index of the site as written, for the search page (recherche/).

Pagefind (a Rust program, from PyPI as `pagefind[extended]`) reads the written HTML pages and
indexes, on each, only the element marked `data-pagefind-body` (the article: templates/web/main.html;
a page whose front matter says `search: exclude: true` has none and is left out), in one index per
language of the pages' `<html lang>`: the English search page (en/recherche/) finds the English pages
only. It stems French words and folds accents ("pepinieristes" finds « pépiniéristes », "réunions" finds « réunion »),
and writes `pagefind/` into the site: a script, a WebAssembly search, and the index and page
excerpts in small chunks that the browser fetches only for the words searched, from the search
page alone (templates/web/assets/javascripts/recherche.js). Nothing of it loads with other pages.

Pagefind splits words at spaces only, so « l’installation » would be indexed as one word that
"installation" does not find. The pages are therefore indexed from copies in which a French elision
is followed by a space (« l’ installation »); the search page removes that space from what it shows
and splits the reader's query the same way. The published pages are not changed.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from . import atomic
from .incremental import digest
from .memo import code_digest
from .messages import search as messages
from .publish import try_lock

BUNDLE = "pagefind"  # the folder Pagefind writes into the site
COPIES = "recherche"  # the folder of the copies Pagefind reads, in the build's cache (index_site)
# Pagefind's ready-made interfaces, which the search page does not use (it calls pagefind.js itself,
# with its own result list): not published.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
LANGUAGE = "fr"
ENGLISH = "en"  # the English edition's folder and language (bulletin/pages_en.py)
# The French words that elide before a vowel (le, de, je, me, ne, se, te, ce, que and its compounds),
# and an apostrophe as the pages may write it (typographic, straight, or as an HTML entity) before a
# letter. The search page's script has the same list (ELIDED in recherche.js).
ELIDED = frozenset(
    {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "quelqu"}
)
_APOSTROPHE = re.compile(r"(?:’|'|&#39;|&#x27;|&rsquo;|&#8217;|&apos;)(?=[^\W\d_]|&)")
_LONGEST = max(map(len, ELIDED))


class SearchIndexFailed(Exception):
    """Pagefind could not index the site; the message (French) says what to do."""


def split_elisions(html: str) -> str:
    """The page with a space after each elided word, for the indexer's eyes only.

    Found from the apostrophes rather than by one regular expression over the page: several times
    faster on a ten-year archive (7 MB of HTML), and the whole site is indexed at every build.

    >>> split_elisions("<p>la formation et l’installation d&#39;ateliers</p>")
    '<p>la formation et l’ installation d&#39; ateliers</p>'
    >>> split_elisions("aujourd’hui, 'citation', l’2017, Qu’il")
    "aujourd’hui, 'citation', l’2017, Qu’ il"
    """
    parts, done = [], 0
    for apostrophe in _APOSTROPHE.finditer(html):
        start = word = apostrophe.start()
        while word > 0 and start - word <= _LONGEST and html[word - 1].isalpha():
            word -= 1
        before = html[word - 1] if word > 0 else " "
        if html[word:start].lower() in ELIDED and not (before.isalnum() or before in "_&#"):
            parts += [html[done : apostrophe.end()], " "]
            done = apostrophe.end()
    parts.append(html[done:])
    return "".join(parts)


def pagefind_command() -> list[str]:
    """The Pagefind program: PAGEFIND_BINARY_PATH if set, else the one the `pagefind[extended]`
    distribution installed (Pagefind's own lookup)."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise SearchIndexFailed(messages.pagefind_missing(str(exc))) from None
    program = get_executable()
    if program is None:
        raise SearchIndexFailed(messages.pagefind_missing("pagefind_bin_extended")) from None
    return [str(program)]


def index_stamp() -> str:
    """What an index is made with besides the pages: this package's code (the copies it indexes) and
    Pagefind's version. Recorded with each generation of the site (bulletin.incremental)."""
    try:
        version = metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        version = "?"
    return digest(code_digest(), version, os.environ.get("PAGEFIND_BINARY_PATH", ""))


def same_pages(folder: Path, base: Path) -> bool:
    """Whether folder holds the HTML pages of base, no more, no fewer, byte for byte (most of them are
    the same file: a rebuild takes what did not change from the generation in place as hard links)."""

    def pages(root: Path) -> set[Path]:
        return {p.relative_to(root) for p in root.rglob("*.html") if p.relative_to(root).parts[0] != BUNDLE}

    listed = pages(folder)
    if listed != pages(base):
        return False
    return all(
        os.path.samefile(folder / page, base / page) or (folder / page).read_bytes() == (base / page).read_bytes()
        for page in listed
    )


def index_site(folder: Path, copies: Path | None = None) -> None:
    """Write the search index of the HTML pages under `folder` into `folder/pagefind/`.

    Args:
        folder: the site as written by the web shell, not yet published.
        copies: where the copies that Pagefind reads are kept from one build to the next (only the pages
            written since are copied again); by default, a temporary folder.

    Raises:
        SearchIndexFailed: Pagefind is missing, failed, or wrote no French index.
    """
    bundle = folder / BUNDLE
    # A rebuild's folder holds hard links to the files of the site in place (bulletin.publish): they
    # are unlinked, never written through, so the published index stays whole until the switch.
    shutil.rmtree(bundle, ignore_errors=True)
    with _held(copies) as mine:
        kept = None
        if mine is not None:
            try:
                kept = _copied(folder, mine)
            except OSError:  # a cache that cannot be written (full, read-only) costs only the time it saves
                kept = None  # and left without a record, its copies are all made again next time
        if kept is None:
            with tempfile.TemporaryDirectory(prefix="recherche-") as scratch:
                run = _pagefind(_copied(folder, Path(scratch)), bundle)
        else:
            run = _pagefind(kept, bundle)
    if run.returncode != 0:
        raise SearchIndexFailed(messages.pagefind_failed(run.returncode, run.stdout + run.stderr))
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    _sort_languages(bundle)
    languages = _languages(bundle)
    # One index per language, from each page's <html lang>: the English pages (under en/) are searched
    # from the English search page alone, in English (stemmed as English), and give English results.
    wanted = [LANGUAGE, *([ENGLISH] if (folder / ENGLISH).is_dir() else [])]
    for language in wanted:
        if language not in languages:
            raise SearchIndexFailed(messages.pagefind_no_french(", ".join(languages) or "aucune page", language))


@contextmanager
def _held(copies: Path | None) -> Iterator[Path | None]:
    """The copies folder, locked for this build from the copying to the end of Pagefind's reading; None
    when there is none, when it cannot be made, or when another build holds it (builds may run at the
    same time on one site and cache, bulletin/publish.py): that build then works from a temporary copy."""
    fd = None
    if copies is not None:
        try:
            copies.mkdir(parents=True, exist_ok=True)
            fd = try_lock(copies, fcntl.LOCK_EX)
        except OSError:
            fd = None
    try:
        yield copies if fd is not None else None
    finally:
        if fd is not None:
            os.close(fd)


def _copied(folder: Path, copies: Path) -> Path:
    """The pages of folder copied under copies/pages/ with their elisions split, and the folder returned.

    A page whose size, modification time and inode are those recorded for its copy (copies/copies.json)
    is not copied again: a rebuild writes the pages that changed as new files and links the others from
    the generation in place, so a page unchanged keeps its inode. Copying every page took 0.4 s of each
    rebuild of a ten-year archive. Records from other code start afresh."""
    record, pages = copies / "copies.json", copies / "pages"
    stamp = index_stamp()
    try:
        raw = json.loads(record.read_text(encoding="utf-8"))
        known: dict[str, list[int]] = raw["pages"] if raw["stamp"] == stamp else {}
    except (OSError, ValueError, KeyError, TypeError):
        known = {}
    if not known:
        shutil.rmtree(pages, ignore_errors=True)
    record.unlink(missing_ok=True)  # an interrupted copy leaves no record: the next one copies every page
    now: dict[str, list[int]] = {}
    for page in folder.rglob("*.html"):
        relative = page.relative_to(folder)
        if relative.parts[0] == BUNDLE:
            continue
        info = page.stat()
        signature = [info.st_size, info.st_mtime_ns, info.st_ino]  # not its change time: linking sets it
        name, copy = relative.as_posix(), pages / relative
        if known.get(name) != signature or not copy.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(split_elisions(page.read_text(encoding="utf-8")), encoding="utf-8")
        now[name] = signature
    for gone in set(known) - set(now):
        (pages / gone).unlink(missing_ok=True)
    pages.mkdir(parents=True, exist_ok=True)
    atomic.write_text(record, json.dumps({"stamp": stamp, "pages": now}))
    return pages


def _pagefind(pages: Path, bundle: Path) -> subprocess.CompletedProcess[str]:
    command = [*pagefind_command(), "--site", str(pages), "--output-path", str(bundle.resolve()), "--quiet"]
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SearchIndexFailed(messages.pagefind_missing(str(exc))) from None


def _languages(bundle: Path) -> list[str]:
    """The languages of the index Pagefind wrote, from its entry file."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sorted(entry["languages"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _sort_languages(bundle: Path) -> None:
    """Pagefind lists the languages of its entry file in no fixed order: sorted, two builds of the same
    site write the same file (bulletin/incremental.py compares them; the web server caches by content)."""
    path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["languages"] = dict(sorted(entry["languages"].items()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # _languages reports an entry it cannot read
    path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
