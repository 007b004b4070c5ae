"""The live preview answers on localhost and shows a saved change, through a real HTTP client."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from .conftest import ROOT, add_december, edit, translate


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, needle: str, seconds: float) -> str:
    deadline, last = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            last = _get(url)
            # The print layout wraps names in spans (bulletin/hyphenation.py): compare the text.
            if needle in last or needle in re.sub(r"<[^>]+>", "", last):
                return last
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} not served at {url} within {seconds} s")


def _serve(content: Path, tmp_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--content",
            str(content),
            "--port",
            str(port),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, f"http://127.0.0.1:{port}/"


def _stop(process: subprocess.Popen) -> str:
    process.terminate()
    return process.communicate(timeout=10)[0]


def test_preview_serves_the_issue_and_reloads_on_change(content: Path, tmp_path: Path):
    process, base = _serve(content, tmp_path)
    try:
        url = base + "bulletins/2017-11/"
        _wait_for(url, "Faits saillants", 30)
        edit(
            content / "bulletins/2017-11/remerciements.md",
            "Tous unis pour un Mali un et indivisible !",
            "Tous unis pour un Mali un et indivisible ! Merci Gao.",
        )
        _wait_for(url, "Merci Gao.", 15)
        # The print layout is previewed in the browser, and its PDF is made in the background.
        preview = _wait_for(base + "bulletins/2017-11/impression.html", "Merci Gao.", 15)
        assert "/assets/print/print.css" in preview and "Bulletin mensuel" in preview
        assert "@font-face" in _get(base + "assets/print/print.css")
        _wait_for_pdf(base + "bulletins/2017-11/bulletin-sr-2017-11.pdf", 60)
    finally:
        output = _stop(process)
        # Shown with a failure: what the preview said, but the requests it answered "not found".
        print("\n".join(line for line in output.splitlines() if '" code 404' not in line)[-6000:])
    assert "Aperçu en direct" in output
    assert "Traceback" not in output


def _wait_for_pdf(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.read(5) == b"%PDF-":
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"no PDF at {url} within {seconds} s")


def test_preview_shows_content_errors_in_the_page_and_recovers(content: Path, tmp_path: Path):
    issue = content / "bulletins/2017-11/bulletin.yaml"
    process, base = _serve(content, tmp_path)
    try:
        url = base + "bulletins/2017-11/"
        _wait_for(url, "Faits saillants", 30)
        edit(issue, "date: 2017-11-10", "date: 2017-12-05")
        page = _wait_for(url, "Le contenu contient des erreurs", 15)
        line = next(
            n for n, text in enumerate(issue.read_text(encoding="utf-8").splitlines(), 1) if "date: 2017-12-05" in text
        )
        assert f"bulletin.yaml:{line} — « date » : la date 2017-12-05 est hors de la période du bulletin" in page
        edit(issue, "date: 2017-12-05", "date: 2017-11-10")
        _wait_for(url, "Faits saillants", 15)
    finally:
        output = _stop(process)
    assert "Traceback" not in output


def test_the_english_pages_show_the_content_errors_too(content: Path, tmp_path: Path):
    """A bulletin with English texts: the proofreader of the English edition saw « page introuvable »."""
    translate(content)
    issue = content / "bulletins/2017-11/bulletin.yaml"
    process, base = _serve(content, tmp_path)
    try:
        url = base + "en/bulletins/2017-11/"
        _wait_for(url, "Highlights", 30)
        edit(issue, "date: 2017-11-10", "date: 2017-12-05")
        for page in ("en/", "en/bulletins/2017-11/"):
            _wait_for(base + page, "hors de la période du bulletin", 15)
        edit(issue, "date: 2017-12-05", "date: 2017-11-10")
        _wait_for(url, "Highlights", 15)
    finally:
        output = _stop(process)
    assert "Traceback" not in output


def test_preview_starts_even_when_the_content_is_broken(content: Path, tmp_path: Path):
    edit(content / "bulletins/2017-11/bulletin.yaml", "date: 2017-11-10", "date: 2017-12-05")
    process, base = _serve(content, tmp_path)
    try:
        _wait_for(base + "bulletins/2017-11/", "hors de la période du bulletin", 30)
    finally:
        output = _stop(process)
    assert "Traceback" not in output


def test_a_busy_port_is_a_french_message_and_exit_2(content: Path, tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "serve",
                "--content",
                str(content),
                "--port",
                str(port),
                "--cache-dir",
                str(tmp_path / "cache"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"Le port {port} de 127.0.0.1 est déjà utilisé" in result.stderr
    assert f"serve --port {port + 1}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_an_internal_error_is_shown_in_every_page_and_the_preview_recovers(content: Path, tmp_path: Path):
    """Not a content error: a template that fails. Every request is answered with the error, in French,
    saying where to look; the next save rebuilds the preview."""
    project = tmp_path / "projet"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copytree(content, project / "content")
    template = project / "templates/bulletin/issue.html"
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--content",
            str(project / "content"),
            "--config",
            str(project / "mkdocs.yml"),
            "--port",
            str(port),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base + "bulletins/2017-11/", "Faits saillants", 30)
        template.write_text("{{ 1 // 0 }}" + template.read_text(encoding="utf-8"), encoding="utf-8")
        page = _wait_for(base + "bulletins/2017-11/", "Erreur interne de l’aperçu".replace("’", "'"), 20)
        assert "ZeroDivisionError" in page and "serve" in page and "Enregistrez à nouveau un fichier" in page
        for other in ("", "fonds/", "une/adresse/inconnue/"):  # every request answered, none left waiting
            try:
                answer = _get(base + other)
            except urllib.error.HTTPError as exc:  # an unknown address: 404, with the same page
                answer = exc.read().decode("utf-8")
            assert "Erreur interne de l'aperçu" in answer, other
        template.write_text(template.read_text(encoding="utf-8").replace("{{ 1 // 0 }}", ""), encoding="utf-8")
        _wait_for(base + "bulletins/2017-11/", "Faits saillants", 20)
    finally:
        output = _stop(process)
    assert "Erreur interne de l'aperçu" in output  # and the console has the details


def test_a_save_rewrites_only_the_pages_it_changed_and_the_result_is_a_cold_preview(
    content: Path, tmp_path: Path, monkeypatch
):
    """The preview's rebuilds, in-process as `mkdocs serve` runs them ("dirty", one folder, one plugin
    for the process): a page the save did not change is not written again; the folder then holds the
    very bytes a preview built from nothing holds."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    add_december(content)
    for name, value in {
        "BULLETIN_CONTENT": str(content),
        "BULLETIN_PREVIEW": "true",
        "BULLETIN_PDF": "false",
        "BULLETIN_CACHE": str(tmp_path / "cache"),
    }.items():
        monkeypatch.setenv(name, value)

    def preview(folder: Path) -> None:
        build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(folder)), dirty=True)

    served = tmp_path / "served"
    preview(served)
    november, december = served / "bulletins/2017-11/index.html", served / "bulletins/2017-12/index.html"
    about = served / "a-propos/index.html"  # a fixed page (content/pages), made again only when it changes
    # Each issue's print layout, which the preview shows beside its page: only the one a save changed is
    # written again.
    november_print, december_print = (served / f"bulletins/{m}/impression.html" for m in ("2017-11", "2017-12"))
    pages = (november, december, about, november_print, december_print)
    written = {page: page.stat().st_mtime_ns for page in pages}
    time.sleep(0.05)  # a rewritten file gets a later time
    edit(content / "bulletins/2017-12/remerciements.md", "Tous unis", "Merci Kidal. Tous unis")
    preview(served)
    assert "Merci Kidal." in december.read_text(encoding="utf-8")
    assert december.stat().st_mtime_ns > written[december]
    assert november.stat().st_mtime_ns == written[november]
    assert about.stat().st_mtime_ns == written[about]
    # The print layout of that issue shows the line too (its words kept whole: nh); the other's is kept.
    assert '<span class="nh">Kidal</span>. Tous unis' in december_print.read_text(encoding="utf-8")
    assert december_print.stat().st_mtime_ns > written[december_print]
    assert november_print.stat().st_mtime_ns == written[november_print]
    # The settings frame every page, fixed ones included: a new alternative text for the logo is
    # written into each of them.
    edit(content / "reglages.yaml", 'texte_alternatif: "Bulletin S&R"', 'texte_alternatif: "Logo du bulletin"')
    preview(served)
    assert 'alt="Logo du bulletin"' in about.read_text(encoding="utf-8")
    # The register's events: a handover of the month, then the same handover back-dated into November,
    # whose figures move (the preview keeps each unchanged project, its lines moved: bulletin/memo.py).
    register = content / "registre/projets/qip.yaml"
    edit(
        register,
        "    fin_prevue: 2017-11-30   # durée de six mois",
        "    fin_prevue: 2017-11-30\n    remise: 2017-12-10",
    )
    preview(served)
    assert "215</span> projets finalisés" in december.read_text(encoding="utf-8")
    assert "214</span> projets finalisés" in november.read_text(encoding="utf-8")
    edit(register, "    remise: 2017-12-10", "    remise: 2017-11-20")
    preview(served)
    assert "215</span> projets finalisés" in november.read_text(encoding="utf-8")
    cold = tmp_path / "cold"
    preview(cold)
    pages = sorted(p.relative_to(cold) for p in cold.rglob("*.html"))
    assert pages == sorted(p.relative_to(served) for p in served.rglob("*.html"))
    for page in pages:
        assert (served / page).read_bytes() == (cold / page).read_bytes(), page


def _server(root: Path):
    return _told_at_once_server(root, lambda: None)


def _told_at_once_server(root: Path, builder):
    from mkdocs.livereload import LiveReloadServer

    from bulletin.web import _told_at_once

    return _told_at_once(LiveReloadServer)(builder=builder, host="127.0.0.1", port=_free_port(), root=str(root))


def test_each_change_starts_one_rebuild_whichever_observer_reports_it(tmp_path: Path):
    from watchdog.events import (
        FileClosedNoWriteEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
        FileOpenedEvent,
    )

    server = _server(tmp_path)
    page = tmp_path / "qip.md"
    page.write_text("Une phrase.", encoding="utf-8")

    def reported(event) -> bool:
        server._want_rebuild = False
        server._changed(event)
        return server._want_rebuild

    try:
        assert not reported(FileOpenedEvent(str(page)))  # read by the build itself: nothing changed
        assert not reported(FileClosedNoWriteEvent(str(page)))
        assert reported(FileModifiedEvent(str(page)))  # the system's event, at once
        assert not reported(FileModifiedEvent(str(page)))  # MkDocs's look, 0.5 s later: the same change
        page.write_text("Une phrase modifiée.", encoding="utf-8")
        assert reported(FileModifiedEvent(str(page)))
        saved = tmp_path / "qip.md.tmp"  # an editor's save: written beside, then renamed
        saved.write_text("Une autre.", encoding="utf-8")
        saved.rename(page)
        assert reported(FileMovedEvent(str(saved), str(page)))
        assert not reported(FileModifiedEvent(str(page)))
        page.unlink()
        assert reported(FileDeletedEvent(str(page)))
        assert not reported(FileDeletedEvent(str(page)))
    finally:
        server.server_close()


def test_the_system_tells_the_preview_of_a_save_without_mkdocs_looking(tmp_path: Path):
    server = _server(tmp_path)
    folder = tmp_path / "content"
    folder.mkdir()
    server.watch(str(folder))
    server._native.start()  # MkDocs's own observer, which looks every 0.5 s, is not started
    try:
        (folder / "qip.md").write_text("Une phrase.", encoding="utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=10)
    finally:
        server._native.stop()
        server._native.join()
        server.server_close()


class _Cycle:
    """Garbage only the cycle collector frees: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def test_a_save_is_built_with_the_collector_off_and_its_full_pass_waits_for_the_pause_after(tmp_path: Path):
    import gc

    from bulletin import web

    passes: list[tuple[int, str]] = []  # (generation, thread) of each pass of the collector

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            passes.append((info["generation"], threading.current_thread().name))

    def builder() -> None:
        passes.append((-1, "build starts"))
        made = [_Cycle() for _ in range(20_000)]  # enough new objects to start passes, were it on
        del made
        passes.append((-1, "build ends"))

    def during_builds() -> list[tuple[int, str]]:
        out, inside = [], False
        for entry in passes:
            if entry[0] == -1:
                inside = entry[1] == "build starts"
            elif inside:
                out.append(entry)
        return out

    def full_passes_in_timers() -> int:
        return sum(1 for generation, thread in passes if generation == 2 and thread != "MainThread")

    gc.callbacks.append(seen)
    try:
        build = web._collecting_between_saves(builder, idle=0.5)
        build()
        assert during_builds() == []  # not one pass while it built
        assert gc.isenabled()
        assert full_passes_in_timers() == 0  # not yet: the pause has not come
        time.sleep(1.5)
        assert full_passes_in_timers() == 1  # then one full pass, in its own thread
        # Three saves in a row, each before the pause: one full pass, after the last.
        for _ in range(3):
            build()
        assert during_builds() == [] and full_passes_in_timers() == 1
        time.sleep(1.5)
        assert full_passes_in_timers() == 2
        # A build that fails: its error reaches MkDocs, the collector is on again, the pass comes.
        failing = web._collecting_between_saves(lambda: 1 / 0, idle=0.5)
        try:
            failing()
        except ZeroDivisionError:
            pass
        else:
            raise AssertionError("the build's error reaches MkDocs, which reports it")
        assert gc.isenabled()
        time.sleep(1.5)
        assert full_passes_in_timers() == 3
    finally:
        gc.callbacks.remove(seen)
        gc.enable()
    # The live-reload server of the preview builds through it.
    built: list[bool] = []
    server = _told_at_once_server(tmp_path, lambda: built.append(gc.isenabled()))
    try:
        server.builder()
    finally:
        server.server_close()
        gc.enable()
    assert built == [False]


def test_the_preview_finds_the_themes_files_once_until_its_own_folder_changes(tmp_path: Path):
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files

    from bulletin.web import _theme_files_kept

    custom, docs = tmp_path / "theme", tmp_path / "docs"
    (custom / "assets").mkdir(parents=True)
    docs.mkdir()
    (custom / "assets/sr.css").write_text("p{}", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ndocs_dir: docs\ntheme:\n  name: material\n  custom_dir: theme\n", encoding="utf-8"
    )
    config = load_config(str(tmp_path / "mkdocs.yml"))
    env = config.theme.get_env()
    walks: list[int] = []
    original = Files.add_files_from_theme

    def counted(files: Files, env, config) -> None:
        walks.append(1)
        original(files, env, config)

    def listed(files: Files) -> list[tuple[str, str | None, str]]:
        return sorted((f.src_uri, f.src_dir, f.abs_dest_path) for f in files)

    kept = _theme_files_kept(counted)
    mkdocs_own = Files([])
    original(mkdocs_own, env, config)
    first, second = Files([]), Files([])
    kept(first, env, config)
    kept(second, env, config)
    assert listed(first) == listed(second) == listed(mkdocs_own)  # the same files as MkDocs finds
    assert "assets/sr.css" in {f.src_uri for f in first}
    assert len(walks) == 1  # walked once
    # A page of the content at a theme file's address comes first, as in MkDocs.
    (docs / "assets").mkdir()
    (docs / "assets/sr.css").write_text("p{color:red}", encoding="utf-8")
    content = Files([File("assets/sr.css", str(docs), config.site_dir, config.use_directory_urls)])
    kept(content, env, config)
    assert [f.src_dir for f in content if f.src_uri == "assets/sr.css"] == [str(docs)]
    # A file added to the theme's own folder while the preview runs is found.
    (custom / "assets/new.js").write_text("", encoding="utf-8")
    third = Files([])
    kept(third, env, config)
    assert "assets/new.js" in {f.src_uri for f in third}
    assert len(walks) == 2
    # Only the latest listing is held: a folder that comes back to an earlier state is walked again
    # (a long preview would otherwise hold one listing per state of its folder).
    (custom / "assets/new.js").unlink()
    kept(Files([]), env, config)
    (custom / "assets/new.js").write_text("", encoding="utf-8")
    fourth = Files([])
    kept(fourth, env, config)
    assert "assets/new.js" in {f.src_uri for f in fourth}
    assert len(walks) == 4


def test_a_build_finds_the_themes_files_in_its_cache_as_the_last_build_listed_them(content, cli, tmp_path, monkeypatch):
    """A build is a new process: the listing of the theme's own files is kept in the build's cache, under
    the theme's folders, the custom folder's files and the versions of MkDocs and Material."""
    import json

    from mkdocs.structure.files import Files

    from bulletin.web import THEME_FILES

    walks: list[int] = []
    original = Files.add_files_from_theme

    def counted(files, env, config) -> None:
        walks.append(1)
        original(files, env, config)

    monkeypatch.setattr(Files, "add_files_from_theme", counted)
    site, cache = tmp_path / "site", tmp_path / "cache"
    args = ("--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache))
    assert cli(*args).code == 0
    assert len(walks) == 1 and Files.add_files_from_theme is counted  # put back after the build
    stored = json.loads((cache / THEME_FILES).read_text(encoding="utf-8"))
    assert "assets/stylesheets/bulletin.css" in {path for path, _ in stored["files"]}
    edit(content / "bulletins/2017-11/remerciements.md", "", "Une ligne de plus.\n\n")
    assert cli(*args).code == 0
    assert len(walks) == 1  # the theme was not walked again
    assert (site / "assets").is_dir() and any((site / "assets").rglob("*.css"))
    (cache / THEME_FILES).write_text(json.dumps({**stored, "key": "mkdocs 0.0"}), encoding="utf-8")
    edit(content / "bulletins/2017-11/remerciements.md", "Une ligne de plus.", "Deux lignes de plus.")
    assert cli(*args).code == 0
    assert len(walks) == 2  # another theme (an upgrade): walked again
    cold = tmp_path / "froid"
    assert (
        cli("--sans-pdf", "--content", str(content), "--site-dir", str(cold), "--cache-dir", str(tmp_path / "c2")).code
        == 0
    )
    assert sorted(p.relative_to(cold).as_posix() for p in (cold / "assets").rglob("*")) == sorted(
        p.relative_to(site).as_posix() for p in (site / "assets").rglob("*")
    )


def test_a_port_out_of_range_is_a_french_usage_error(capsys):
    """`--port 99999` stopped the preview with Python's OverflowError; `--port 0` announced « :0/ »."""
    import pytest

    from bulletin.cli import main

    for port in ("99999", "-1", "0", "huit"):
        with pytest.raises(SystemExit) as stopped:
            main(["serve", f"--port={port}"])
        assert stopped.value.code == 2
        err = capsys.readouterr().err
        assert f"--port : « {port} » n’est pas un port : un nombre de 1 à 65535" in err and "Traceback" not in err
