"""Shared fixtures: a private copy of the seed fixture content, and the CLI run in-process.

Tests never read the shipped `content/`: the officer adds a month to it every month, and that must
not turn the suite red. `tests/fixtures/seed/content` is a frozen copy of the November 2017 issue and
its register; `tests/test_shipped_content.py` is the only test that looks at `content/`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from bulletin.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "content"
CONTENT = ROOT / "tests/fixtures/seed/content"
ISSUE = "bulletins/2017-11/bulletin.yaml"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the seed fixture content that a test may change freely."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a content file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def add_december(content: Path) -> Path:
    """A December 2017 issue copied from November, re-dated: the smallest archive of two issues."""
    december = content / "bulletins/2017-12"
    shutil.copytree(content / "bulletins/2017-11", december)
    issue = december / "bulletin.yaml"
    edit(issue, "mois: 2017-11", "mois: 2017-12")
    edit(issue, "date_reference: 2017-11-30", "date_reference: 2017-12-31")
    edit(issue, "  debut: 2017-10-30\n  fin: 2017-11-30", "  debut: 2017-10-30\n  fin: 2017-12-31")
    return december


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first occurrence of needle, to assert file:line in messages."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, tmp_path):
    def run(*args: str) -> Run:
        # Never the developer's own PDF cache: a test's content would replace its entries.
        extra = [] if "--cache-dir" in args else ["--cache-dir", str(tmp_path / "pdf-cache")]
        code = main(list(args) + extra)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)
    return run
