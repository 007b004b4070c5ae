"""`build.py pdf AAAA-MM` starts the PDF engine's process before it reads the content (bulletin.engine):
WeasyPrint is imported on the second core meanwhile. That process lays out the first PDF, the same bytes
as this process would; its failures reach the author in French; it never outlives the command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bulletin import engine as engine_module
from bulletin import print_build
from bulletin.engine import Engine, started
from bulletin.print_build import PrintFailed, PrintJob, plan_print, render_job, run_print
from bulletin.validate import load_edition

from .conftest import ROOT, translate

TEMPLATES = ROOT / "templates"


def traced(job: PrintJob) -> None:
    """render_job, leaving the number of the process that ran it beside the PDF's cache entry."""
    job.cached.parent.mkdir(parents=True, exist_ok=True)
    job.cached.with_suffix(".pid").write_text(str(os.getpid()), encoding="utf-8")
    render_job(job)


def dies(job: PrintJob) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _jobs(content: Path, cache: Path) -> tuple[PrintJob, ...]:
    return plan_print(load_edition(content), TEMPLATES, cache, months=("2017-11",))


def _failing(tmp_path: Path) -> PrintJob:
    return PrintJob(
        "bulletins/2017-11/bulletin-sr-2017-11.pdf",
        '<html lang="fr"><body><img src="absente.png"></body></html>',
        TEMPLATES / "print",
        tmp_path / "cache/x.pdf",
        (TEMPLATES,),
    )


def test_the_engine_lays_out_the_first_pdf_and_this_process_the_others(content, tmp_path):
    translate(content)  # two PDFs: French and English
    here = run_print(_jobs(content, tmp_path / "here"), workers=1)
    with started(traced) as engine:
        jobs = _jobs(content, tmp_path / "there")
        there = run_print(jobs, engine=engine)
        again = run_print(jobs, engine=engine)  # cached: nothing is laid out again
        assert jobs[0].cached.with_suffix(".pid").read_text(encoding="utf-8") == str(engine.pid)
    assert engine.pid != os.getpid() and not jobs[1].cached.with_suffix(".pid").exists()
    assert [r.path.read_bytes() for r in there] == [r.path.read_bytes() for r in here] and len(here) == 2
    assert [r.rendered for r in there] == [True, True] and [r.rendered for r in again] == [False, False]


def test_a_failure_in_the_engine_reaches_the_author_in_french(tmp_path):
    job = _failing(tmp_path)
    with pytest.raises(PrintFailed) as here:
        run_print((job,), workers=1)
    with started(traced) as engine, pytest.raises(PrintFailed) as there:
        run_print((job,), engine=engine)
    assert job.cached.with_suffix(".pid").read_text(encoding="utf-8") == str(engine.pid)
    assert str(there.value) == str(here.value) and "introuvable ou illisible" in str(there.value)
    assert not job.cached.exists()


@pytest.mark.parametrize("when", ["before the job", "with the job"])
def test_an_engine_that_died_is_a_print_failure_not_a_hang(tmp_path, when):
    with started(dies) as engine:
        if when == "before the job":
            os.kill(engine.pid, signal.SIGKILL)
        with pytest.raises(PrintFailed) as failed:
            run_print((_failing(tmp_path),), engine=engine)
    assert str(failed.value) == (
        "le PDF bulletins/2017-11/bulletin-sr-2017-11.pdf n'a pas pu être produit : le processus qui le mettait "
        "en page s'est arrêté sans répondre (code -9 : arrêté par le système, peut-être faute de mémoire). "
        "Relancez la commande ; le PDF précédent reste en place."
    )


def test_the_engine_stops_with_the_command_even_while_importing(monkeypatch):
    monkeypatch.setattr(engine_module, "_import_engine", lambda: time.sleep(60))  # what the child runs (forked)
    with started(render_job) as engine:
        assert _alive(engine.pid)
    assert not _alive(engine.pid)


def test_ctrl_c_is_left_to_the_command(tmp_path, content):
    """The terminal sends Ctrl-C to every process: the engine leaves it to the command, which stops it."""
    with started(traced) as engine:
        os.kill(engine.pid, signal.SIGINT)  # held back until it ignores it, however early it comes
        (job,) = _jobs(content, tmp_path)
        (result,) = run_print((job,), engine=engine)
        assert result.path.read_bytes().startswith(b"%PDF-")
        assert job.cached.with_suffix(".pid").read_text(encoding="utf-8") == str(engine.pid)


PARENT = """
import os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bulletin.engine import Engine
from bulletin.print_build import render_job
engine = Engine(render_job)
Path(sys.argv[2]).write_text(str(engine.pid))
os._exit(0)  # killed, out of memory: no `finally`, no stop()
"""


def test_the_engine_ends_when_the_command_dies(tmp_path):
    # Its output goes nowhere: whoever reads the command's output would otherwise wait for the engine.
    subprocess.run(
        [sys.executable, "-c", PARENT, str(ROOT), str(tmp_path / "pid")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=60,
        check=True,
    )
    pid = int((tmp_path / "pid").read_text(encoding="utf-8"))
    deadline = time.monotonic() + 30  # the import first, then the end of its pipe
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


def _alive(pid: int | None) -> bool:
    """Running, and not a zombie waiting to be reaped by whoever adopted it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_pdf_lays_out_in_its_engine_and_stops_it_even_on_content_errors(content, tmp_path, monkeypatch, capfd):
    """Through the command line, the engine's own output included (capfd: the file descriptors)."""
    from bulletin.cli import main

    engines: list[Engine] = []
    real = engine_module.Engine.__init__

    def recorded(self, work):
        real(self, work)
        engines.append(self)

    monkeypatch.setattr(engine_module.Engine, "__init__", recorded)
    monkeypatch.setattr(print_build, "render_job", traced)  # what `pdf` hands its engine
    settings = content / "reglages.yaml"
    valid = settings.read_text(encoding="utf-8")
    settings.write_text("publication: [\n", encoding="utf-8")
    site, cache = tmp_path / "site", tmp_path / "cache"
    command = ["pdf", "2017-11", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache)]
    assert main(command) == 1
    out, err = capfd.readouterr()
    assert "Rien n'a été écrit" in err and "Traceback" not in out + err
    assert len(engines) == 1 and not _alive(engines[0].pid)
    settings.write_text(valid, encoding="utf-8")
    code = main(command)
    out, err = capfd.readouterr()
    assert code == 0, err
    assert "Traceback" not in out + err and "PDF écrit" in out
    assert len(engines) == 2 and not _alive(engines[1].pid)
    (made,) = cache.glob("*.pid")
    assert made.read_text(encoding="utf-8") == str(engines[1].pid)
    assert (site / "bulletins/2017-11/bulletin-sr-2017-11.pdf").read_bytes().startswith(b"%PDF-")
