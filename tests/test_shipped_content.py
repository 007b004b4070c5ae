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


def test_the_shipped_publication_record_guards_every_figure_publier_records(cli, tmp_path: Path) -> None:
    """November's record holds every figure `publier` records now (its values may have been corrected by
    errata since; its keys are what it guards). It was written before the QIP ceiling and duration and
    each contributor were recorded, so changing the ceiling changed the published page without a word
    (found by an adversarial review)."""
    import shutil

    import yaml

    shipped = SHIPPED / "bulletins/2017-11/publie.yaml"
    if not shipped.is_file():  # the officer's content no longer ships it
        return
    content = tmp_path / "content"
    shutil.copytree(SHIPPED, content)
    record = content / "bulletins/2017-11/publie.yaml"
    record.unlink()
    (content / "bulletins/publies.yaml").unlink()
    run = cli("publier", "2017-11", "--le", "2017-12-05", "--content", str(content))
    assert run.code == 0, run.err
    fresh, kept = (yaml.safe_load(path.read_text(encoding="utf-8")) for path in (record, shipped))
    assert fresh["dates"] == kept["dates"]  # the dates its figures were printed at
    missing = fresh["chiffres"].keys() - kept["chiffres"].keys()
    assert "qip.plafond" in fresh["chiffres"] and not missing, sorted(missing)
