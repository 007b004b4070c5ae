"""`build.py pdf AAAA-MM` reads and checks what that issue's PDF prints: the settings, the register and
that issue, with the checks of its own figures (issue 17: printing one issue of a ten-year archive
validated every issue and computed all their figures first). `check` and the build still read all."""

from __future__ import annotations

import pytest

from bulletin.errors import ContentInvalid
from bulletin.print_build import plan_print
from bulletin.validate import load_edition

from .conftest import ISSUE, ROOT, add_december, edit, translate
from .test_publication import QIP, RECORD, add_late_qip, publish

UNKNOWN = "QIP-2099-99"


def _errors(content, only=None) -> str:
    with pytest.raises(ContentInvalid) as refused:
        load_edition(content, only=only)
    return "\n".join(str(problem) for problem in refused.value.problems)


def test_one_issue_is_read_alone_and_an_error_elsewhere_does_not_stop_it(content):
    add_december(content)
    edit(content / ISSUE, "projet: QIP-2017-01", f"projet: {UNKNOWN}")
    assert UNKNOWN in _errors(content)  # the whole content: November's error stops check and the build
    assert UNKNOWN in _errors(content, only="2017-11")  # and the PDF of November
    december = load_edition(content, only="2017-12")
    assert [issue.mois for issue in december.issues] == ["2017-12"]
    assert december.plans == ()  # the work plans are not read for an issue's PDF
    assert not any("2017-11" in str(warning.source.path) for warning in december.warnings)


def test_the_issue_alone_prints_what_the_whole_content_prints(content, tmp_path):
    """Same HTML in both editions, so the same cache entry: `pdf` and the build make the same PDF bytes."""
    translate(content)
    add_december(content)
    for month in ("2017-11", "2017-12"):
        alone = plan_print(load_edition(content, only=month), ROOT / "templates", tmp_path, months=(month,))
        whole = plan_print(load_edition(content), ROOT / "templates", tmp_path, months=(month,))
        assert [(job.site_path, job.html, job.cached) for job in alone] == [
            (job.site_path, job.html, job.cached) for job in whole
        ]
    assert len(alone) == 2  # December, a copy of November, has the English edition too


def test_the_printed_issue_figures_are_still_checked_against_its_publication(cli, content):
    add_december(content)  # a draft: its figures follow the register
    publish(cli, content)
    add_late_qip(content)  # an approval dated in November moves what November printed
    assert "nouvelle entrée comptée au 30 novembre 2017" in _errors(content, only="2017-11")
    assert "nouvelle entrée comptée au 30 novembre 2017" in _errors(content)
    december = load_edition(content, only="2017-12")  # December prints none of November's figures
    assert [issue.mois for issue in december.issues] == ["2017-12"]
    assert not (content / RECORD.replace("2017-11", "2017-12")).exists()


def test_pdf_prints_its_issue_while_another_is_broken(cli, content, tmp_path):
    add_december(content)
    edit(content / ISSUE, "projet: QIP-2017-01", f"projet: {UNKNOWN}")
    site = tmp_path / "site"
    printed = cli("pdf", "2017-12", "--content", str(content), "--site-dir", str(site))
    assert printed.code == 0, printed.err
    assert (site / "bulletins/2017-12/bulletin-sr-2017-12.pdf").read_bytes().startswith(b"%PDF-")
    assert UNKNOWN not in printed.err and "bulletins/2017-11" not in printed.err
    refused = cli("pdf", "2017-11", "--content", str(content), "--site-dir", str(site))
    assert refused.code == 1 and UNKNOWN in refused.err and "Rien n'a été écrit" in refused.err
    assert not (site / "bulletins/2017-11").exists()
    checked = cli("check", "--content", str(content))
    assert checked.code == 1 and UNKNOWN in checked.err
    missing = cli("pdf", "2018-01", "--content", str(content), "--site-dir", str(site))
    assert missing.code == 1 and "Aucun bulletin pour 2018-01" in missing.err
    assert "Numéros disponibles : 2017-11, 2017-12" in missing.err


def test_statuses_are_read_at_the_latest_issue_not_the_printed_one(content):
    """The site shows a project's status at the latest issue's date: printing November must not warn
    that a project handed over in December shows « statut à confirmer » (it does not, on the site)."""
    add_december(content)
    edit(content / QIP, "fin_prevue: 2017-11-30   # durée", "fin_prevue: 2017-11-20   # durée")
    edit(content / QIP, "  lien: http://bit.ly/2Dik7oV", "    remise: 2017-12-10\n  lien: http://bit.ly/2Dik7oV")
    for only in (None, "2017-11"):
        warnings = [str(w) for w in load_edition(content, only=only).warnings]
        assert not [w for w in warnings if "QIP-2017-02" in w and "statut à confirmer" in w]


def test_pdf_of_a_month_in_an_empty_archive_says_what_to_create(cli, content, tmp_path):
    for folder in (content / "bulletins").iterdir():
        for path in sorted(folder.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        folder.rmdir()
    run = cli("pdf", "2017-11", "--content", str(content), "--site-dir", str(tmp_path / "site"))
    assert run.code == 1 and "aucun bulletin trouvé" in run.err and "Numéros disponibles" not in run.err
    assert "Traceback" not in run.err
