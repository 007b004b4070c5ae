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


S = 1_000_000_000  # a second, in nanoseconds


def test_an_older_layout_finishing_last_does_not_delete_the_newer_pdf(tmp_path):
    """In the preview, the PDF of the layout before the last save may finish after the new one: its
    pruning deleted the newer entry before the preview copied it, and the issue's PDF never came.

    The layout of the first save starts at 100 s, the second save's at 102 s; the second is written at
    110 s, the first at 112 s (CI, tests/test_serve.py: both laid out at once on a loaded machine)."""
    other_issue = _entry(tmp_path, "bulletin-sr-2017-12-aaaaaaaa.pdf", 50 * S)
    newer = _entry(tmp_path, "bulletin-sr-2017-11-bbbbbbbb.pdf", 110 * S)
    _prune(newer, 102 * S)
    older = _entry(tmp_path, "bulletin-sr-2017-11-aaaaaaaa.pdf", 112 * S)
    _prune(older, 100 * S)  # written last, begun first: the newer entry was not there when it began
    assert newer.exists() and older.exists() and other_issue.exists()
    # The next layout of the issue, begun after both were written, drops both; never another issue's.
    latest = _entry(tmp_path, "bulletin-sr-2017-11-cccccccc.pdf", 130 * S)
    _prune(latest, 120 * S)
    assert latest.exists() and not newer.exists() and not older.exists() and other_issue.exists()


def test_an_entry_written_just_before_a_layout_began_waits_for_the_next_one(tmp_path):
    """The file system dates a file by a clock that may lag the one the layout reads when it begins: an
    entry within a second of that start is left for the next layout of the issue to drop."""
    close = _entry(tmp_path, "bulletin-sr-2017-11-aaaaaaaa.pdf", 100 * S - S // 2)
    kept = _entry(tmp_path, "bulletin-sr-2017-11-bbbbbbbb.pdf", 105 * S)
    _prune(kept, 100 * S)
    assert close.exists()
    _prune(kept, 102 * S)
    assert not close.exists() and kept.exists()
