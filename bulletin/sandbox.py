"""What the build may read on the content's behalf: files inside given folders, and `data:` URLs.

Two uses, both pure (no PDF engine here):
- the print fetcher asks `admit(url, roots)` before reading anything (bulletin/pdf.py);
- `check` lists the resources a prose text would make the engine fetch (`resources(html)`) and how
  each one relates to the text's folder (`classify`), to refuse them with a located message first.

>>> import tempfile; root = Path(tempfile.mkdtemp())
>>> (root / "a.css").write_text("p {}")
4
>>> admit((root / "a.css").as_uri(), (root,)) == (root / "a.css").resolve().as_uri()
True
>>> admit("file:///etc/passwd", (root,))  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
Refused: file:///etc/passwd
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname


class Refused(ValueError):
    """A URL the content may not make the build read."""


def real(path: Path | str) -> Path:
    """The path with every symlink and `..` resolved, whether or not it exists."""
    return Path(os.path.realpath(path))


def confined(path: Path | str, roots: Iterable[Path]) -> Path | None:
    """The real path if it lies inside one of the (already real) roots, else None; it may not exist."""
    target = real(path)
    return target if any(target.is_relative_to(root) for root in roots) else None


def inside(path: Path | str, folder: Path | str) -> bool:
    """Whether a path, once symlinks and `..` are resolved, lies in the folder (the file need not exist)."""
    return real(path).is_relative_to(real(folder))


def admit(url: str, roots: tuple[Path, ...]) -> str:
    """The URL to fetch for `url`: a `data:` URL as is, a `file:` URL inside a root as its real path.

    Everything else (another scheme, another host, a path outside the roots, a symlink leading out)
    raises Refused; a missing file inside a root is left for the fetcher to report as missing.
    `roots` must be real paths (see `real`).
    """
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return url
    if scheme == "file":
        parts = urlsplit(url)
        if parts.netloc in ("", "localhost"):
            target = confined(url2pathname(unquote(parts.path)), roots)
            if target is not None:
                return target.as_uri()
    raise Refused(url)


def links_leaving(folder: Path, root: Path) -> list[tuple[Path, Path]]:
    """(path, real target) of every link that takes `folder` (a folder or a file), or an entry under it,
    out of `root`: what a reader following links (the build reading the content, MkDocs copying its
    docs folder) would take from elsewhere on the disk. Only links are resolved (one system call per
    entry otherwise: a ten-year archive is walked in milliseconds, before every build and `check`)."""
    base, out, seen = real(root), [], set()

    def walk(here: Path, real_here: Path) -> None:
        if real_here in seen:  # a link loop, or a folder reached through a link: walked already
            return
        seen.add(real_here)
        try:
            # Real folders before linked ones: a file is reported where it lies, not through a link.
            entries = sorted(os.scandir(here), key=lambda e: (e.is_symlink(), e.name))
        except OSError:  # unreadable: the reader that needs it reports it
            return
        for entry in entries:
            if entry.name.startswith("."):  # .git and the like: nothing the build reads or MkDocs copies
                continue
            path = here / entry.name
            if entry.is_symlink():
                target = real(path)
                if not target.is_relative_to(base):
                    out.append((path, target))
                elif target.is_dir():
                    walk(path, target)
            elif entry.is_dir(follow_symlinks=False):
                walk(path, real_here / entry.name)

    start = real(folder)
    if not start.is_relative_to(base):
        return [(folder, start)] if os.path.lexists(folder) else []
    if start.is_dir():
        walk(folder, start)
    return sorted(out)


# --- resources named by prose HTML ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resource:
    tag: str  # "img", "object", "link", "style", "a" (an attachment)…
    url: str


# Attributes that make a renderer fetch something, on whatever element carries them.
_FETCHING = (
    "src",
    "data",
    "poster",
    "background",
    "srcset",
    "lowsrc",
    "dynsrc",
    "codebase",
    "archive",
    "longdesc",
    "imagesrcset",
)
# `href` fetches on these (an `<a>` or `<area>` is a link to follow, unless it asks to be attached).
_HREF_FETCHES = (
    "link",
    "base",
    "image",
    "use",
    "feimage",
    "script",
    "tref",
    "pattern",
    "filter",
    "lineargradient",
    "radialgradient",
    "textpath",
    "mpath",
    "cursor",
    "font-face-uri",
)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3|image-set\(|image\(""", re.I | re.S)


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _css_urls(css: str) -> list[str]:
    out = []
    for m in _CSS_URL.finditer(css):
        out.append(m.group(2) if m.group(2) is not None else m.group(4) if m.group(4) is not None else m.group(0))
    return out


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Resource] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        rel = " ".join(v or "" for k, v in attrs if k.lower() == "rel").lower().split()
        for key, value in attrs:
            key, value = key.lower(), (value or "").strip()
            name = key.rsplit(":", 1)[-1]  # xlink:href
            if name in _FETCHING and value:
                urls = _srcset_urls(value) if name.endswith("srcset") else [value]
                self.found.extend(Resource(tag, u) for u in urls)
            elif name == "href" and (tag in _HREF_FETCHES or (tag in ("a", "area") and "attachment" in rel)):
                self.found.append(Resource("attachment" if "attachment" in rel else tag, value))
            elif name == "style":
                self.found.extend(Resource("style", u) for u in _css_urls(value))
        if tag == "style":
            self._in_style = True

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag.lower() == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(Resource("style", u) for u in _css_urls(data))


def resources(html: str) -> list[Resource]:
    """Every URL the HTML would make a renderer fetch (not the links a reader follows).

    >>> resources('<p><img src="a.png"> <a href="x.pdf">x</a> <a rel="attachment" href="/etc/passwd">y</a></p>')
    [Resource(tag='img', url='a.png'), Resource(tag='attachment', url='/etc/passwd')]
    >>> resources('<svg><image xlink:href="file:///x.png"/></svg><p style="background: url(../y.png)">')
    [Resource(tag='image', url='file:///x.png'), Resource(tag='style', url='../y.png')]
    """
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


REMOTE, OUTSIDE, MISSING, INSIDE = "remote", "outside", "missing", "inside"


def classify(url: str, folder: Path) -> str:
    """Where a URL written in a text of `folder` points: another site, outside the folder, nowhere, or inside.

    >>> classify("https://example.org/a.png", Path("/tmp")), classify("//cdn.example/a.png", Path("/tmp"))
    ('remote', 'remote')
    >>> classify("file:///etc/passwd", Path("/tmp")), classify("/etc/passwd", Path("/tmp"))
    ('outside', 'outside')
    >>> classify("../../etc/passwd", Path("/tmp/a"))
    'outside'
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return INSIDE
    if scheme == "file" or len(scheme) == 1 or (not scheme and not parts.netloc and url.startswith(("/", "\\"))):
        return OUTSIDE
    if scheme or parts.netloc or url.startswith("//"):
        return REMOTE
    base = real(folder)
    target = real(base / url2pathname(unquote(parts.path)))
    if not target.is_relative_to(base):
        return OUTSIDE
    return INSIDE if target.exists() else MISSING
