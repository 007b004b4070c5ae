"""Files replaced in one step: written (or linked) under a temporary name beside the target, then
renamed over it. A reader opening the target finds the old file or the new one, never a half-written
one and never none; a build stopped halfway leaves at most a `.part` file beside it. The one place
for this pattern: every file the tool writes for others to read goes through here."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path


def _partial(target: Path) -> Path:
    # The process id keeps two builds writing the same target from sharing a temporary file.
    return target.with_name(f"{target.name}.{os.getpid()}.part")


def write_bytes(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial(target)
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def place(source: Path, target: Path) -> None:
    """A copy of source at target: a hard link when both are on one disk (no bytes copied), else a
    copy. Never written into the old target, which an earlier generation of the site may share."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial(target)
    partial.unlink(missing_ok=True)
    try:
        try:
            os.link(source, partial)
        except OSError:
            shutil.copyfile(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def point(link: Path, target: str) -> None:
    """Make link a symbolic link to target, replacing the link in place in one rename."""
    partial = link.with_name(f".{link.name}.lien-{os.getpid()}")
    partial.unlink(missing_ok=True)
    os.symlink(target, partial)
    try:
        os.replace(partial, link)
    finally:
        partial.unlink(missing_ok=True)


def make_folder(target: Path, files: Iterable[tuple[str, bytes]], staging: Path) -> None:
    """Create the folder target holding these files, all at once: written into the folder staging
    (same disk as target), then renamed. Never replaces a folder: FileExistsError if target exists,
    and nothing is left behind.

    The caller names staging because the folder beside target may be read by someone else (check reads
    every folder of content/bulletins/, and must never see a half-made issue)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(staging, ignore_errors=True)  # left by an interrupted run of this same name
    # mkdir, not mkdtemp (private to its owner): the new folder gets the usual permissions.
    staging.mkdir()
    try:
        for name, data in files:
            (staging / name).write_bytes(data)
        # os.rename would silently replace an empty folder: refuse any folder that is there.
        if target.exists():
            raise FileExistsError(target)
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
