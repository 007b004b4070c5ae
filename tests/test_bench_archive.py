"""The varied bench archive (bench/archive.py) is valid content, differs month by month and is reproducible."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from archive import make_archive


def _texts(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_small_varied_archive_passes_check(cli, tmp_path: Path) -> None:
    content = make_archive(tmp_path / "a", issues=3, projects=75, contributions=8)
    checked = cli("check", "--content", str(content))
    assert checked.code == 0, checked.out + checked.err
    assert "3 bulletins" in checked.out


def test_two_months_differ_and_generation_is_deterministic(tmp_path: Path) -> None:
    content = make_archive(tmp_path / "a", issues=12, projects=120, contributions=5)
    again = make_archive(tmp_path / "b", issues=12, projects=120, contributions=5)
    first, second = _texts(content / "bulletins/2010-01"), _texts(content / "bulletins/2010-02")
    for name in ("bulletin.yaml", "qip.md", "pbf.md"):
        assert first[name] != second[name].replace("2010-02", "2010-01"), name
    assert _texts(again / "bulletins/2010-02") == second
    register = "registre/projets/synthetique.yaml"
    assert (again / register).read_bytes() == (content / register).read_bytes()
    text = (content / register).read_text(encoding="utf-8")
    assert "prolongations:" in text and "cloture:" in text and "remise:" in text
