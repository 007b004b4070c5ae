"""Author-facing problems: their types and the helpers every message uses.

The French sentences themselves live by pipeline stage in bulletin.messages.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

from .pickling import quicker


class Severity(Enum):
    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a value was written: file and 1-based line."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        shown = display_path(self.path)
        return f"{shown}:{self.line}" if self.line else shown


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in the content, with where, what and how to fix it."""

    source: SourceRef
    field: str
    what: str
    fix: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        head = f"{self.source} — « {self.field} » : {self.what}" if self.field else f"{self.source} — {self.what}"
        return f"{head}\n    → {self.fix}"


class ContentInvalid(Exception):
    """Raised once, after every problem of a run has been gathered."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problème(s) dans le contenu")
        self.problems = tuple(sorted(problems, key=_problem_order))


def _problem_order(p: Problem) -> tuple[str, int]:
    return (str(p.source.path), p.source.line or 0)


def display_path(path: Path) -> str:
    """A path as the author typed it: relative to where the command runs when it can be."""
    return _relative(str(path), os.getcwd())


@lru_cache(maxsize=1024)
def _relative(path: str, cwd: str) -> str:
    # Cached: a report of an archive names the same hundred files hundreds of times, and resolving a
    # path asks the disk about each of its folders. The file itself is not resolved: a message about a
    # symbolic link names the link, not where it leads.
    try:
        whole = Path(path)
        return str((whole.parent.resolve() / whole.name).relative_to(Path(cwd).resolve()))
    except ValueError:
        return path


def _build_command() -> str:
    """How the author runs the tool, so that the commands we suggest work as typed (README: .venv/bin/python)."""
    exe = Path(sys.executable)
    try:
        return f"{exe.relative_to(Path.cwd())} build.py"
    except ValueError:
        return "python build.py"


BUILD = _build_command()


def suggest(word: str, choices: Iterable[str]) -> str:
    """« Vouliez-vous dire … ? » when one choice is close to what the author typed."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" Vouliez-vous dire « {close[0]} » ?" if close else ""


def listing(choices: Iterable[str], limit: int = 12) -> str:
    items = [str(c) for c in choices]
    shown = ", ".join(items[:limit])
    return shown + (", …" if len(items) > limit else "")


# Kept results are unpickled at every rebuild (bulletin/pickling.py).
quicker(list(globals().values()))
