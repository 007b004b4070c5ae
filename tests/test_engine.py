"""`build.py pdf AAAA-MM` starts the PDF engine's process before it reads the content (bulletin.engine):
the engine is imported on the second core meanwhile. The PDF it lays out is the one laid out here, its
failures reach the author as before, and it never outlives the command."""

from __future__ import annotations

import pytest

from bulletin import engine as engine_module
from bulletin.engine import Engine, started
from bulletin.print_build import PrintFailed, PrintJob, plan_print, render_job, run_print
from bulletin.validate import load_edition

from .conftest import ROOT, translate

TEMPLATES = ROOT / "templates"


def _jobs(content, cache):
    return plan_print(load_edition(content), TEMPLATES, cache, months=("2017-11",))


def test_the_engine_lays_out_the_same_pdf_as_this_process(content, tmp_path):
    translate(content)  # two PDFs: the engine lays out the first, this process the second
    here = run_print(_jobs(content, tmp_path / "here"), workers=1)
    with started(render_job) as engine:
        there = run_print(_jobs(content, tmp_path / "there"), engine=engine)
        again = run_print(_jobs(content, tmp_path / "there"), engine=engine)  # cached: nothing sent
    assert [r.site_path for r in there] == [r.site_path for r in here] and len(here) == 2
    assert [r.path.read_bytes() for r in there] == [r.path.read_bytes() for r in here]
    assert [r.rendered for r in there] == [True, True] and [r.rendered for r in again] == [False, False]


def _failing(tmp_path) -> PrintJob:
    return PrintJob(
        "bulletins/2017-11/bulletin-sr-2017-11.pdf",
        '<html lang="fr"><body><img src="absente.png"></body></html>',
        TEMPLATES / "print",
        tmp_path / "cache/x.pdf",
        (TEMPLATES,),
    )


def test_a_failure_in_the_engine_reaches_the_author_in_french(tmp_path):
    job = _failing(tmp_path)
    with pytest.raises(PrintFailed) as here:
        run_print((job,), workers=1)
    with started(render_job) as engine, pytest.raises(PrintFailed) as there:
        run_print((job,), engine=engine)
    assert str(there.value) == str(here.value) and "introuvable ou illisible" in str(there.value)
    assert not job.cached.exists()


def test_an_engine_that_died_is_a_print_failure_not_a_hang(tmp_path):
    engine = Engine(render_job)
    try:
        engine._process.kill()
        engine._process.join()
        with pytest.raises(PrintFailed, match="l'impression s'est arrêtée"):
            run_print((_failing(tmp_path),), engine=engine)
    finally:
        engine.stop()


def test_the_engine_stops_with_the_command_even_while_importing(monkeypatch):
    import time

    monkeypatch.setattr(engine_module, "warm_up", lambda: time.sleep(60))  # inherited by the forked process
    with started(render_job) as engine:
        assert engine._process.is_alive()
    assert not engine._process.is_alive()


def test_pdf_with_content_errors_stops_its_engine(cli, content, tmp_path, monkeypatch):
    engines: list[Engine] = []
    real = engine_module.Engine.__init__

    def recorded(self, work):
        real(self, work)
        engines.append(self)

    monkeypatch.setattr(engine_module.Engine, "__init__", recorded)
    settings = content / "reglages.yaml"
    valid = settings.read_text(encoding="utf-8")
    settings.write_text("publication: [\n", encoding="utf-8")
    run = cli("pdf", "2017-11", "--content", str(content), "--site-dir", str(tmp_path / "site"))
    assert run.code == 1 and "Rien n'a été écrit" in run.err and "Traceback" not in run.err
    assert len(engines) == 1 and not engines[0]._process.is_alive()
    settings.write_text(valid, encoding="utf-8")
    printed = cli("pdf", "2017-11", "--content", str(content), "--site-dir", str(tmp_path / "site"))
    assert printed.code == 0, printed.err
    assert len(engines) == 2 and not engines[1]._process.is_alive()
