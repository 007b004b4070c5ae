"""One way to replace a file or make a folder in one step (bulletin/atomic.py), and one way to find the
entry in force on a day (register.in_force): both used everywhere they are needed."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from bulletin import atomic
from bulletin.errors import SourceRef
from bulletin.models import Rate
from bulletin.money import rate_on
from bulletin.register import in_force

PACKAGE = Path(__file__).resolve().parent.parent / "bulletin"
# publish.py swaps whole site folders and the link (its own protocol, with locks); memo.py is being
# replaced by the explicit cache object (issue 13, item 3).
OWN_RENAMES = {"atomic.py", "publish.py", "memo.py"}


def test_write_bytes_replaces_the_file_and_leaves_nothing_beside_it(tmp_path):
    target = tmp_path / "deep" / "publie.yaml"
    atomic.write_bytes(target, b"old")
    atomic.write_text(target, "nouveau é")
    assert target.read_text(encoding="utf-8") == "nouveau é"
    assert sorted(p.name for p in target.parent.iterdir()) == ["publie.yaml"]


def test_make_folder_moves_every_file_in_at_once(tmp_path):
    staging = tmp_path / ".nouveau-2017-12-1"
    target = tmp_path / "bulletins" / "2017-12"
    atomic.make_folder(target, [("bulletin.yaml", b"mois: 2017-12\n"), ("intro.md", b"Texte")], staging)
    assert sorted(p.name for p in target.iterdir()) == ["bulletin.yaml", "intro.md"]
    assert (target / "intro.md").read_bytes() == b"Texte"
    assert not staging.exists()


def test_make_folder_never_replaces_a_folder_even_an_empty_one(tmp_path):
    staging = tmp_path / ".nouveau-2017-12-1"
    target = tmp_path / "bulletins" / "2017-12"
    target.mkdir(parents=True)  # os.rename alone would replace an empty folder
    with pytest.raises(FileExistsError):
        atomic.make_folder(target, [("bulletin.yaml", b"x")], staging)
    assert list(target.iterdir()) == []
    assert not staging.exists()


def test_no_module_renames_files_by_hand():
    """The write-then-rename pattern lives in atomic.py: a module that needs it calls it."""
    by_hand = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in OWN_RENAMES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"replace", "rename"}
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "os"
            ):
                by_hand.append(f"{path.name}:{node.lineno}")
    assert by_hand == []


def _rate(day: dt.date, currency: str, rate: str) -> Rate:
    return Rate(day, currency, Decimal(rate), "BCEAO", SourceRef(Path("taux.yaml"), 1))


def test_in_force_takes_the_latest_entry_dated_on_or_before_the_day():
    first, second = _rate(dt.date(2017, 1, 1), "XOF", "600"), _rate(dt.date(2017, 6, 30), "XOF", "580.5")
    assert in_force([second, first], dt.date(2017, 6, 29)) is first
    assert in_force([second, first], dt.date(2017, 6, 30)) is second
    assert in_force([second, first], dt.date(2030, 1, 1)) is second
    assert in_force([second, first], dt.date(2016, 12, 31)) is None
    assert in_force([], dt.date(2017, 6, 30)) is None


def test_the_rate_in_force_is_the_latest_of_its_own_currency():
    xof, eur = _rate(dt.date(2017, 1, 1), "XOF", "600"), _rate(dt.date(2017, 3, 1), "EUR", "0.9")
    assert rate_on((eur, xof), "XOF", dt.date(2017, 6, 1)) is xof
    assert rate_on((eur, xof), "EUR", dt.date(2017, 2, 1)) is None
