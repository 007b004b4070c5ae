"""What a web rebuild can keep from the previous one: a manifest of the site last built.

MkDocs rebuilds every page each time. After a small change (one event in the register), most pages
come out byte for byte the same; only the issues whose figures moved, the fund and region pages and
the home page differ. The manifest records, for the site last built, a digest of everything that
frames every page (MkDocs configuration, theme, menu, titles, code), and a digest of each generated
page and data file. When the frame is unchanged, MkDocs writes only the pages and files that changed
into the new generation of the site, which takes the rest from the generation in place as hard links
(bulletin.publish); anything else means a full build. Either way the new generation is put in place
whole, in one step.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import atomic

VERSION = 4  # 4: the stamp of the search index the generation holds


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def tree_digest(*folders: Path, skip: tuple[str, ...] = ()) -> str:
    """The names and bytes of every file under the folders (but under the folder names in skip)."""
    h = hashlib.sha256()
    left_out = ("__pycache__", *skip)
    for folder in folders:
        h.update(str(folder.name).encode() + b"\0")
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not set(left_out) & set(p.parts)):
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def files_digest(folder: Path) -> str:
    """The names and signatures (source_signature: size, times, inode) of the files under folder, and
    where each link leads: what a validation of the folder reads (a link's target decides whether the
    sandbox lets it through, whatever its bytes), found without reading a byte of it. The empty digest
    for a missing folder."""
    h = hashlib.sha256()
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted([*names, *(d for d in dirs if os.path.islink(os.path.join(root, d)))]):
            path = os.path.join(root, name)
            h.update(os.path.relpath(path, folder).encode("utf-8", "surrogateescape") + b"\0")
            if os.path.islink(path):
                h.update(b"link:" + os.readlink(path).encode("utf-8", "surrogateescape") + b"\0")
            try:
                h.update(json.dumps(source_signature(path)).encode() + b"\0")
            except OSError:
                h.update(b"unreadable\0")  # a dangling link: the validation says so
    return h.hexdigest()


Signature = list[str | int]  # a list, not a tuple: it goes through JSON and is compared as read back


@dataclass(frozen=True, slots=True)
class Manifest:
    frame: str  # digest of what frames every page
    pages: Mapping[str, str]  # generated page uri -> digest
    data: Mapping[str, str]  # generated data file uri -> digest
    copied: Mapping[str, Signature]  # site path of a copied file (theme, picture) -> its source's signature
    search: str = ""  # what made the generation's search index (bulletin.search.index_stamp)


def source_signature(path: str) -> Signature:
    """What changes whenever a file's bytes may have: its size, times and inode. The change time is
    set by the system on any write or move: a photo put back with an old date still shows."""
    info = os.stat(path)
    return [path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _listing(site: Path) -> dict[str, list[int]] | None:
    """Every file of the site with its size and modification time: a file edited, added or deleted
    by hand since the last build shows here."""
    if not site.is_dir():
        return None
    out = {}
    for folder, _, names in os.walk(site):
        for name in names:
            path = os.path.join(folder, name)
            info = os.stat(path)
            out[os.path.relpath(path, site)] = [info.st_size, info.st_mtime_ns]
    return out


def manifest_path(cache: Path, site: Path) -> Path:
    """Named after the site's path (a link to its current generation, not the generation itself)."""
    site = site.absolute()
    return cache / "web" / f"{digest(str(site.parent.resolve() / site.name))[:16]}.json"


def read_manifest(cache: Path, site: Path, folder: Path | None = None) -> Manifest | None:
    """The manifest of `site`, if the files in `folder` (by default the site's current generation)
    are the ones last built there and untouched since."""
    try:
        raw = json.loads(manifest_path(cache, site).read_text(encoding="utf-8"))
        manifest = Manifest(raw["frame"], raw["pages"], raw["data"], raw["copied"], raw["search"])
        listing = raw["listing"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest if raw.get("version") == VERSION and listing == _listing(folder or site) else None


def write_manifest(
    cache: Path,
    site: Path,
    frame: str,
    pages: Mapping[str, str],
    data: Mapping[str, str],
    copied: Mapping[str, Signature],
    search: str,
    folder: Path | None = None,
) -> None:
    """Record the generation just put in place, `folder` (call forget() before the switch, this after)."""
    atomic.write_text(
        manifest_path(cache, site),
        json.dumps(
            {
                "version": VERSION,
                "frame": frame,
                "pages": dict(pages),
                "data": dict(data),
                "copied": dict(copied),
                "search": search,
                "listing": _listing(folder or site),
            }
        ),
    )


def forget(cache: Path, site: Path) -> None:
    """No manifest while the site is being changed: a build stopped halfway is followed by a full one."""
    manifest_path(cache, site).unlink(missing_ok=True)
