"""The readers' search: a Pagefind index of the site as written, for the search page (recherche/).

Pagefind (a Rust program, from PyPI as `pagefind[extended]`) reads the written HTML pages and
indexes, on each, only the element marked `data-pagefind-body` (the article: templates/web/main.html;
a page whose front matter says `search: exclude: true` has none and is left out), in one index per
language, each made by a run of its own: the English edition's pages (under en/, which alone say
`<html lang="en">`) in English, the others in French. The English search page (en/recherche/) finds
the English pages only. It stems French words and folds accents ("pepinieristes" finds
« pépiniéristes », "réunions" finds « réunion »), and writes `pagefind/` into the site: a script, a
WebAssembly search, and the index and page excerpts in small chunks that the browser fetches only
for the words searched, from the search page alone (templates/web/assets/javascripts/recherche.js).
Nothing of it loads with other pages.

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
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from . import atomic
from .incremental import digest
from .memo import code_digest
from .messages import search as messages
from .publish import try_lock

BUNDLE = "pagefind"  # the folder Pagefind writes into the site
ENTRY = "pagefind-entry.json"  # its entry file: the languages and their indexes
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


def _pages(root: Path) -> dict[str, str]:
    """The HTML pages under root (but Pagefind's bundle), by path relative to it, with their index's language."""
    out = {}
    for folder, dirs, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        if relative == ".":
            dirs[:] = [d for d in dirs if d != BUNDLE]
        for name in names:
            if name.endswith(".html"):
                page = os.path.normpath(os.path.join(relative, name))
                out[page] = _language_of(Path(page))
    return out


def _same_languages(folder: Path, base: Path) -> tuple[set[str], set[str]]:
    """The languages whose pages folder holds as base does, no more, no fewer, byte for byte (most of
    them are the same file: a rebuild takes what did not change from the generation in place as hard
    links); and the languages of the pages of either."""
    here, there = _pages(folder), _pages(base)
    present = {*here.values(), *there.values()}
    differ = {here.get(page) or there[page] for page in here.keys() ^ there.keys()}
    for page in here.keys() & there.keys():
        if here[page] not in differ and not (
            os.path.samefile(folder / page, base / page) or (folder / page).read_bytes() == (base / page).read_bytes()
        ):
            differ.add(here[page])
    return present - differ, present


def index_site(folder: Path, copies: Path | None = None, base: Path | None = None) -> None:
    """Write the search index of the HTML pages under `folder` into `folder/pagefind/`.

    Each language's index is made by a Pagefind run of its own, from the pages of its folder (the
    English edition's under en/, French for the rest), and the runs' files are put together: Pagefind
    indexes each language apart, so the result is the same, file for file, as one run over the whole
    site (tests/test_search.py compares them). One run at a time holds a language's pages, not the
    site's: 130 MiB instead of 150 on the ten-year archive of bench/archive.py.

    Args:
        folder: the site as written by the web shell, not yet published.
        copies: where the copies that Pagefind reads are kept from one build to the next (only the pages
            written since are copied again); by default, a temporary folder.
        base: the generation in place, when its index was made by this code and this Pagefind: the
            index of a language whose pages are all the same as there is taken from it, not made again
            (after a sentence edited in French, the English index stays; 0.3 s of a rebuild), and so
            are the precompressed copies of the script and worker every run writes the same.

    Raises:
        SearchIndexFailed: Pagefind is missing or failed, wrote no French index (or no English one when
            there are English pages), or wrote a file shared by the languages differently in two runs.
    """
    bundle = folder / BUNDLE
    # A rebuild's folder holds hard links to the files of the site in place (bulletin.publish): they
    # are unlinked, never written through, so the published index stays whole until the switch.
    shutil.rmtree(bundle, ignore_errors=True)
    kept: dict[str, Any] = {}  # language -> its line of the entry
    if base is not None:
        kept, present = _unchanged_languages(folder, base)
        if set(kept) == present == set(_entry(base / BUNDLE).get("languages", {})):
            _link(base / BUNDLE, bundle, lambda _: True)  # no page changed: the index in place, as it is
            return
    with _held(copies) as mine, ExitStack() as scratch:
        copied = None
        if mine is not None:
            try:
                copied = _copied(folder, mine)
            except OSError:  # a cache that cannot be written (full, read-only) costs only the time it saves
                copied = None  # and left without a record, its copies are all made again next time
        if copied is None:
            copied = _copied(folder, Path(scratch.enter_context(tempfile.TemporaryDirectory(prefix="recherche-"))))
        roots, marked = copied
        entry: dict[str, Any] = {}
        for language, root in roots.items():
            # Pagefind indexes only the marked element of each page once one page of its run has it, the
            # whole page otherwise: as one run over the site, a language none of whose pages is marked,
            # beside one that is, has no index (and is reported below).
            if language not in kept and (language in marked or not marked):
                entry = _merged(entry, _pagefind(root, bundle, language), language)
    if base is not None and kept:
        ran = bool(entry)
        entry = entry or {**_entry(base / BUNDLE), "languages": {}}  # the same Pagefind wrote it (index_stamp)
        entry["languages"].update(kept)
        # With no run, the files every run writes (the script, its worker) come from the index in place.
        _link(base / BUNDLE, bundle, lambda f: any(_belongs(f, k) for k in kept) or (not ran and _common(f)))
    if base is not None:  # a run's script and worker are those in place: so are their compressed copies
        _link(base / BUNDLE, bundle, partial(_same_common, base / BUNDLE, bundle))
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    bundle.mkdir(parents=True, exist_ok=True)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    # Pagefind lists the languages of its entry file in no fixed order: sorted, two builds of the same
    # site write the same file (bulletin/incremental.py compares them; the web server caches by content).
    atomic.write_text(bundle / ENTRY, json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    languages = sorted(entry["languages"])
    wanted = [LANGUAGE, *([ENGLISH] if (folder / ENGLISH).is_dir() else [])]
    for language in wanted:
        if language not in languages:
            raise SearchIndexFailed(messages.pagefind_no_french(", ".join(languages) or "aucune page", language))


def _language_of(relative: Path) -> str:
    """The index a page goes into: English under en/ (bulletin/pages_en.py), French elsewhere."""
    return ENGLISH if relative.parts[0] == ENGLISH else LANGUAGE


def _unchanged_languages(folder: Path, base: Path) -> tuple[dict[str, Any], set[str]]:
    """The languages whose index the generation in place holds and whose pages are all the same here,
    with that index's line of the entry file; and the languages of the pages here or there."""
    languages = _entry(base / BUNDLE).get("languages", {})
    same, present = _same_languages(folder, base)
    kept = {
        language: languages[language]
        for language in sorted(same)
        if language in languages and (base / BUNDLE / f"pagefind.{languages[language].get('hash')}.pf_meta").is_file()
    }
    return kept, present


def _same_common(old: Path, new: Path, relative: Path) -> bool:
    """Whether a file of no language's index (or a precompressed copy of one) is in the old bundle as
    the new one has it: Pagefind writes its script and worker the same whatever it indexed."""
    if not _common(relative):
        return False
    written = relative.with_suffix("") if relative.suffix in (".gz", ".br") else relative
    try:
        return (old / written).read_bytes() == (new / written).read_bytes()
    except OSError:
        return False


def _entry(bundle: Path) -> dict[str, Any]:
    """The entry file of an index ({} when it cannot be read, or holds no languages' map)."""
    try:
        entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
        return entry if isinstance(entry, dict) and isinstance(entry.get("languages"), dict) else {}
    except (OSError, ValueError):
        return {}


def _belongs(relative: Path, language: str) -> bool:
    """Whether a file of Pagefind's bundle is one language's: its metadata and WebAssembly at the top
    (`pagefind.fr_….pf_meta`, `wasm.fr.pagefind`), its index, fragment and filter chunks below (`fr_…`);
    their precompressed copies with them."""
    name = relative.name
    if len(relative.parts) == 1:
        return name.startswith((f"pagefind.{language}_", f"wasm.{language}."))
    return name.startswith(f"{language}_")


def _common(relative: Path) -> bool:
    """Whether a file of the bundle belongs to no language's index (nor is the entry file)."""
    return not relative.name.startswith(ENTRY) and not any(_belongs(relative, k) for k in (LANGUAGE, ENGLISH))


def _link(source: Path, bundle: Path, wanted: Callable[[Path], bool]) -> None:
    """The wanted files of the index in place, linked into the new bundle (never written through)."""
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if path.is_file() and wanted(relative):
            atomic.place(path, bundle / relative)


def _merged(entry: dict[str, Any], output: Path, language: str) -> dict[str, Any]:
    """One language's run (written into `output`, inside the bundle) moved into the bundle, and its
    entry added to `entry`. The files both runs write (the script, its worker, the WebAssembly of
    languages without a stemmer) are the same bytes: Pagefind writes them whatever it indexed."""
    bundle = output.parent
    run_entry = _entry(output)
    found: dict[str, Any] = run_entry.get("languages", {})
    if language not in found:
        raise SearchIndexFailed(messages.pagefind_no_french(", ".join(sorted(found)) or "aucune page", language))
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output)
        if not path.is_file() or relative.as_posix() == ENTRY:
            continue
        target = bundle / relative
        if target.exists():
            if target.read_bytes() != path.read_bytes():
                raise SearchIndexFailed(messages.pagefind_differs(relative.as_posix()))
            continue
        atomic.place(path, target)  # linked: the run's folder goes as a whole
    shutil.rmtree(output)
    merged = entry or {**run_entry, "languages": {}}
    merged["languages"][language] = found[language]
    return merged


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


def _copied(folder: Path, copies: Path) -> tuple[dict[str, Path], set[str]]:
    """The pages of folder copied under copies/pages/<language>/ with their elisions split (French
    always, English if there are English pages); the folder of each language's copies returned, and
    the languages of which a page marks what is indexed (data-pagefind-body).

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
    roots, marked = {LANGUAGE: pages / LANGUAGE}, set()
    for page in folder.rglob("*.html"):
        relative = page.relative_to(folder)
        if relative.parts[0] == BUNDLE:
            continue
        info = page.stat()
        signature = [info.st_size, info.st_mtime_ns, info.st_ino]  # not its change time: linking sets it
        language = _language_of(relative)
        name, copy = relative.as_posix(), pages / language / relative
        roots[language] = pages / language
        if known.get(name, [])[:3] == signature and copy.is_file():
            body = known[name][3:] == [1]
        else:
            html = page.read_text(encoding="utf-8")
            body = "data-pagefind-body" in html
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(split_elisions(html), encoding="utf-8")
        now[name] = [*signature, int(body)]
        if body:
            marked.add(language)
    for gone in set(known) - set(now):
        (pages / _language_of(Path(gone)) / gone).unlink(missing_ok=True)
    for root in roots.values():
        root.mkdir(parents=True, exist_ok=True)
    atomic.write_text(record, json.dumps({"stamp": stamp, "pages": now}))
    return roots, marked


def _pagefind(pages: Path, bundle: Path, language: str) -> Path:
    """One language's index, by a run of Pagefind over that language's copies, into a folder of the
    bundle (the precompression running meanwhile leaves the bundle alone: bulletin/site_build.py);
    the folder is returned. Every page of the run is indexed in `language`, whatever its <html lang>."""
    output = bundle / f".{language}"
    command = [
        *pagefind_command(),
        *("--site", str(pages), "--output-path", str(output.resolve()), "--force-language", language, "--quiet"),
    ]
    try:
        run = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SearchIndexFailed(messages.pagefind_missing(str(exc))) from None
    if run.returncode != 0:
        raise SearchIndexFailed(messages.pagefind_failed(run.returncode, run.stdout + run.stderr))
    return output
