"""The print cache keeps one PDF per issue and variant, and never loses the newest one."""

from __future__ import annotations

import os
from pathlib import Path

from bulletin.print_build import _prune


def _entry(folder: Path, name: str, mtime_ns: int) -> Path:
    path = folder / name
    path.write_bytes(b"%PDF-")
    os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def test_an_older_layout_finishing_last_does_not_delete_the_newer_pdf(tmp_path):
    """In the preview, the PDF of the layout before the last save may finish after the new one: its
    pruning deleted the newer entry before the preview copied it, and the issue's PDF never came."""
    newer = _entry(tmp_path, "bulletin-sr-2017-11-bbbbbbbb.pdf", 2_000_000_000)
    older = _entry(tmp_path, "bulletin-sr-2017-11-aaaaaaaa.pdf", 1_000_000_000)
    other_issue = _entry(tmp_path, "bulletin-sr-2017-12-aaaaaaaa.pdf", 1_000_000_000)
    _prune(older)  # the older layout, written (and pruning) last
    assert newer.exists() and older.exists() and other_issue.exists()
    _prune(newer)  # the newer one prunes what is older than itself, of its own issue only
    assert newer.exists() and not older.exists() and other_issue.exists()
