"""The officer's own content: whatever month it has reached, it must check and build.

This is the only test that reads the shipped `content/`. It asserts nothing about its figures (those
change every month); the figures are tested on `tests/fixtures/seed/content`.
"""

from __future__ import annotations

from pathlib import Path

from .conftest import SHIPPED


def test_shipped_content_checks_and_builds(cli, tmp_path: Path) -> None:
    checked = cli("check", "--content", str(SHIPPED))
    assert checked.code == 0, checked.out + checked.err
    site = tmp_path / "site"
    built = cli("--sans-pdf", "--content", str(SHIPPED), "--site-dir", str(site))
    assert built.code == 0, built.out + built.err
    assert (site / "index.html").is_file()
