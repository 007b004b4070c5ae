"""The site is published by switching a symbolic link: `site` -> `site.<n>`, a sibling folder.

Each build assembles a whole new generation in a staging folder beside the link
(`.site.nouveau-<pid>-<random>`), renames it `site.<n>` (n one more than any generation there), then points
`site` at it with one rename of a new link over the old one. A reader opening `site/index.html`
finds the previous generation or the new one, never nothing and never a mix of both.

The generation replaced is kept until the next build replaces it in turn: a reader (a web server)
that resolved `site` just before the switch may still be opening files in it. Older generations,
staging folders of builds that were stopped (Ctrl+C, SIGKILL, power cut) and the leftovers of older
versions of this program (`.site.nouveau-<pid>`, `.site.ancien-<pid>`, a real `site/` folder) are
removed at the start of the next build, and after each switch. After a switch, the generation that no
reader needs any more is renamed `.site.corbeille-<pid>-<random>` and deleted by a `rm` that the build
does not wait for: deleting its 2 700 files took 0.3 s of each rebuild of a ten-year archive, after the
site was already published (issue 17). A deletion that did not finish is done by the next build.

Builds may run at the same time on the same site. Each holds an exclusive lock (flock) on its own
staging folder and a shared lock on the generation it starts from, for as long as it runs; a folder
that someone holds a lock on is never removed. The cleaning and the switch are made under a lock on
the folder that holds the site, so that two builds never switch or clean at the same moment. The
kernel drops the locks of a process that dies, however it dies: its folders become removable.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import atomic

STAGING = "nouveau"  # .site.nouveau-<pid>-<random>: a generation being assembled
TRASH = "corbeille"  # .site.corbeille-<pid>-<random>: a generation no one needs, being deleted
# .site.<kind>-<pid>: staging, older versions' swap, a link, the trash
LEFTOVERS = ("nouveau", "ancien", "lien", TRASH)


def site_path(site: Path) -> Path:
    """The site's path with its folder resolved but not the link itself."""
    site = site.absolute()
    return site.parent.resolve() / site.name


def site_refusal(site: Path, content: Path) -> str | None:
    """Why `site` may not be where the site is written (None: it may). A build turns a real folder there
    into its previous generation, moved aside and later deleted (_migrate, the pruning of old
    generations): --site-dir naming the content folder moved the content aside. Only a folder that holds
    a built site (its index.html), or nothing, is taken over."""
    where, source = site_path(site), content.resolve()
    if where == source or source.is_relative_to(where):
        return "c'est le dossier du contenu, ou un dossier qui le contient"
    if where.is_relative_to(source):
        return "c'est dans le dossier du contenu"
    if where.is_dir() and not where.is_symlink() and any(where.iterdir()) and not (where / "index.html").is_file():
        return "ce dossier existe et ne contient pas un site construit (pas de index.html)"
    if where.exists() and not where.is_dir():
        return "c'est un fichier"
    # Its generations are made beside it: the nearest folder that exists on the way must take them.
    probe = where.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        return f"« {probe} » est un fichier, pas un dossier"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"vous ne pouvez pas écrire dans « {probe} »"
    return None


def current(site: Path) -> Path | None:
    """The folder the readers of `site` see now: its generation, a real folder (older versions), or none."""
    if site.is_symlink():
        target = site.parent / os.readlink(site)
        return target if target.is_dir() else None
    return site if site.is_dir() else None


def _number(site: Path, name: str) -> int | None:
    found = re.fullmatch(re.escape(site.name) + r"\.(\d+)", name)
    return int(found[1]) if found else None


def _generations(site: Path) -> dict[int, Path]:
    out = {}
    for path in site.parent.iterdir():
        number = _number(site, path.name)
        if number is not None and path.is_dir() and not path.is_symlink():
            out[number] = path
    return out


def try_lock(path: Path, kind: int) -> int | None:
    """An open descriptor of path holding a flock of kind, or None if someone else holds a conflicting one."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def _serialised(site: Path) -> Iterator[None]:
    """Only one build at a time cleans or switches beside this site: a lock on the folder holding it."""
    fd = os.open(site.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _to_trash(path: Path, site: Path) -> Path | None:
    """path renamed to a trash name beside the site, unless someone holds a lock on it (then None)."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
        return None
    try:
        fd = try_lock(path, fcntl.LOCK_EX)
    except OSError:
        return None
    if fd is None:
        return None
    try:
        trash = site.with_name(f".{site.name}.{TRASH}-{os.getpid()}-{secrets.token_hex(4)}")
        os.rename(path, trash)
        return trash
    except OSError:
        return None
    finally:
        os.close(fd)


def _delete_meanwhile(folders: list[Path]) -> None:
    """The folders deleted by a `rm` of their own, which this process does not wait for: started by a
    shell that puts it in the background and ends at once (waited for: no process is left unreaped)."""
    shell = shutil.which("sh")
    if shell is None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        return
    subprocess.run(
        [shell, "-c", 'rm -rf -- "$@" &', "sh", *map(str, folders)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # not stopped with the build by a Ctrl+C in the terminal
        check=False,
    )


def clean(site: Path) -> None:
    """Remove what no reader and no running build needs (call under _serialised): renamed to the trash
    at once, deleted by a program this process does not wait for (_delete_meanwhile).

    Kept: the generation `site` points at, the newest generation older than it (readers may still be
    in it), every folder a running build holds a lock on."""
    live = current(site)
    numbers = _generations(site)
    now = _number(site, live.name) if live is not None and live != site else None
    older = [n for n in numbers if now is None or n < now]
    keep = {now, max(older, default=None)}
    removed = []
    for number, path in numbers.items():
        if number not in keep:
            removed.append(path)
    leftover = re.compile(r"\." + re.escape(site.name) + r"\.(" + "|".join(LEFTOVERS) + r")-\d+(-\w+)?")
    removed += [p for p in site.parent.iterdir() if leftover.fullmatch(p.name)]
    already = f".{site.name}.{TRASH}-"  # an earlier deletion's, maybe still running: deleted again, as is
    moved = [p if p.name.startswith(already) else _to_trash(p, site) for p in removed]
    trash = [t for t in moved if t is not None]
    if trash:
        _delete_meanwhile(trash)


class Generation:
    """A new generation of the site, assembled in `folder` and published by publish()."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.folder = site  # named in _start()
        self.base: Path | None = None  # the folder readers saw when this began; kept while this runs
        self.published: Path | None = None
        self._locks: list[int] = []

    def _start(self) -> None:
        self.site.parent.mkdir(parents=True, exist_ok=True)
        with _serialised(self.site):
            clean(self.site)
            # Not tempfile.mkdtemp: its folders are private (0700), and a web server must read this one.
            self.folder = self.site.with_name(f".{self.site.name}.{STAGING}-{os.getpid()}-{secrets.token_hex(4)}")
            self.folder.mkdir()
            # A folder of a fresh name: no one else can hold a lock on it yet.
            if (own := try_lock(self.folder, fcntl.LOCK_EX)) is not None:
                self._locks.append(own)
            base = current(self.site)
            if base is not None:
                fd = try_lock(base, fcntl.LOCK_SH)  # shared: other builds may start from it too
                if fd is not None:
                    self.base = base
                    self._locks.append(fd)

    def fill_from_base(self) -> None:
        """Hard links to every file of the base generation that this one does not have yet: an
        incremental build wrote only what changed. Files are never written in place (see
        bulletin.atomic), so a file two generations share stays the same in both."""
        if self.base is None:
            return
        for folder, _, names in os.walk(self.base):
            relative = os.path.relpath(folder, self.base)
            target = self.folder / relative
            target.mkdir(parents=True, exist_ok=True)
            for name in names:
                new = target / name
                if not os.path.lexists(new):
                    try:
                        os.link(os.path.join(folder, name), new)
                    except OSError:
                        shutil.copy2(os.path.join(folder, name), new)

    def publish(
        self, before: Callable[[], None] = lambda: None, after: Callable[[Path], None] = lambda path: None
    ) -> Path:
        """Rename the staging folder `site.<n>` and point `site` at it; before() runs just before the
        switch and after(generation) just after, both while no other build can switch."""
        with _serialised(self.site):
            numbers = _generations(self.site)
            number = max(numbers, default=0) + 1
            old = self.site if self.site.is_dir() and not self.site.is_symlink() else None
            if old is not None:
                number += 1  # the folder of an older version becomes the previous generation
            generation = self.site.with_name(f"{self.site.name}.{number}")
            before()
            os.rename(self.folder, generation)
            if old is not None:
                _migrate(self.site, generation.name, self.site.with_name(f"{self.site.name}.{number - 1}"))
            else:
                atomic.point(self.site, generation.name)
            self.published = generation
            after(generation)
            self._release()
            clean(self.site)
        return generation

    def _release(self) -> None:
        for fd in self._locks:
            os.close(fd)
        self._locks = []

    def _abandon(self) -> None:
        self._release()
        if self.published is None and self.folder != self.site:
            shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def new_generation(site: Path) -> Iterator[Generation]:
    """A staging folder for a new generation of `site`, removed if the block ends before publish()."""
    generation = Generation(site_path(site))
    try:
        generation._start()
        yield generation
    finally:
        generation._abandon()


# renameat2(2)'s RENAME_EXCHANGE swaps two names in one step (Linux 3.15, glibc 2.28).
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # a file system that cannot exchange: two renames instead
    raise OSError(code, os.strerror(code), str(a))


def _migrate(site: Path, target: str, keep_as: Path) -> None:
    """A real `site/` folder (built by an older version) becomes the previous generation and `site` the
    link: exchanged in one step where the system can, else in two renames (once, at this migration)."""
    link = site.with_name(f".{site.name}.lien-{os.getpid()}")
    link.unlink(missing_ok=True)
    os.symlink(target, link)
    if _exchange(link, site):
        os.rename(link, keep_as)  # `link` is now the old folder
    else:
        os.rename(site, keep_as)
        os.rename(link, site)
