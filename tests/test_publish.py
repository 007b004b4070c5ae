"""Publication (bulletin.publish): `site` is a link to a whole generation `site.<n>`, switched in one
step. Readers never find the site missing or half-built; stopped builds leave nothing that the next
build does not clean; builds running at the same time end with a complete site."""

from __future__ import annotations

import hashlib
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from functools import partial
from pathlib import Path

import pytest

from bulletin import publish
from bulletin.incremental import forget
from bulletin.publish import new_generation

from .conftest import ROOT, edit

HOME = "index.html"
# The poller reads the home page, then yields the core for this long (the machine may have two cores).
# Measured against the code before bulletin.publish (a folder renamed away, then the new one renamed
# in): this poller found site/index.html missing at 3 moments of 20 builds (the issue's fuzzer: 6).
POLL_PAUSE = 0.0001


def _command(content: Path, site: Path, cache: Path, *more: str) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "build.py"),
        "--sans-pdf",
        "--content",
        str(content),
        "--site-dir",
        str(site),
        "--cache-dir",
        str(cache),
        *more,
    ]


def _build(content: Path, site: Path, cache: Path) -> None:
    done = subprocess.run(_command(content, site, cache), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def _files(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _beside(site: Path) -> list[str]:
    """What is beside the site once the generations a build sent to the trash are deleted (by a `rm`
    the build does not wait for: bulletin.publish.clean)."""
    deadline = time.monotonic() + 30
    while any(p.name.startswith(".site.corbeille-") for p in site.parent.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.01)
    return sorted(p.name for p in site.parent.iterdir())


def test_the_generation_no_reader_needs_is_deleted_without_the_build_waiting(cli, content, tmp_path, monkeypatch):
    """After the switch, the generation before the one replaced goes to the trash at once (a rename) and
    is deleted by a program the build does not wait for; a trash folder a deletion left (stopped, a
    power cut) is deleted by the next build."""
    site, cache = tmp_path / "public/site", tmp_path / "cache"
    args = ("--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache))
    for _ in range(2):
        assert cli(*args).code == 0
    deleted: list[list[str]] = []
    monkeypatch.setattr(publish, "_delete_meanwhile", lambda folders: deleted.append([f.name for f in folders]))
    assert cli(*args).code == 0
    [[trash]] = deleted
    assert trash.startswith(".site.corbeille-")
    assert (site.parent / trash / "index.html").is_file()  # site.1, whole, under its trash name
    assert sorted(p.name for p in site.parent.iterdir()) == sorted([trash, "site", "site.2", "site.3"])
    monkeypatch.undo()
    assert cli(*args).code == 0  # its deletion never ran: this build's does it, with site.2's
    assert _beside(site) == ["site", "site.3", "site.4"]


def test_each_build_is_a_generation_the_link_switches_to_and_the_one_before_is_kept(cli, content, tmp_path):
    site, cache = tmp_path / "public/site", tmp_path / "cache"
    args = ("--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache))
    assert cli(*args).code == 0
    assert site.is_symlink() and os.readlink(site) == "site.1"  # relative: the folder may be moved whole
    assert _beside(site) == ["site", "site.1"]
    edit(content / "bulletins/2017-11/remerciements.md", "", "Une ligne de plus.\n\n")
    assert cli(*args).code == 0
    assert os.readlink(site) == "site.2"
    assert _beside(site) == ["site", "site.1", "site.2"]  # a reader may still be in the one replaced
    # The rebuild wrote only what changed and took the rest from site.1, as hard links (no bytes copied).
    new, old = site.parent / "site.2", site.parent / "site.1"
    assert (new / "bulletins/2017-11/index.html").read_bytes() != (old / "bulletins/2017-11/index.html").read_bytes()
    assert os.path.samefile(new / "regions/gao/index.html", old / "regions/gao/index.html")
    assert cli(*args).code == 0
    assert _beside(site) == ["site", "site.2", "site.3"]
    assert os.readlink(site) == "site.3"


def test_a_reader_never_finds_the_home_page_missing_during_20_full_builds(content, tmp_path):
    """Issue 16, vector 7: with the two renames of older versions, a poller found site/ missing 6 times in 20 builds."""
    site, cache = tmp_path / "public/site", tmp_path / "cache"
    _build(content, site, cache)
    missing, partial_pages, reads = [], [], [0]
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            try:
                with open(site / HOME, "rb") as page:
                    text = page.read()
            except FileNotFoundError as exc:
                missing.append(str(exc))
                continue
            reads[0] += 1
            if not text.rstrip().endswith(b"</html>"):
                partial_pages.append(len(text))
            time.sleep(POLL_PAUSE)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        for _ in range(20):
            forget(cache, site)  # no manifest: a full build, a whole new generation (the memo keeps it quick)
            _build(content, site, cache)
    finally:
        stop.set()
        poller.join()
    assert os.readlink(site) == "site.21"  # twenty whole generations were switched to
    assert missing == []
    assert partial_pages == []
    assert reads[0] > 1000, "the poller did run throughout"


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def test_a_killed_build_leaves_the_site_servable_and_the_next_build_cleans_its_folder(content, tmp_path):
    site, cache = tmp_path / "public/site", tmp_path / "cache"
    _build(content, site, cache)
    before = _files(site)
    edit(content / "bulletins/2017-11/remerciements.md", "", "Une ligne de plus.\n\n")
    forget(cache, site)  # a full build: MkDocs writes every file into the new generation
    build = subprocess.Popen(
        _command(content, site, cache), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def writing() -> bool:
        try:
            return any(
                p.is_file() for staging in site.parent.glob(f".site.nouveau-{build.pid}-*") for p in staging.rglob("*")
            )
        except OSError:  # a file moved while listed: look again
            return False

    deadline = time.monotonic() + 60
    while not writing():
        assert build.poll() is None, "the build ended before it could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    [staging] = site.parent.glob(f".site.nouveau-{build.pid}-*")
    build.send_signal(signal.SIGKILL)  # halfway through writing the new generation
    build.wait()
    assert staging.is_dir(), "the build was killed while it wrote its staging folder"
    assert _files(site) == before
    server, url = _serve(site)  # as a web server would: through the link
    try:
        with urllib.request.urlopen(url) as home, urllib.request.urlopen(url + "bulletins/2017-11/") as issue:
            assert home.status == issue.status == 200
            assert b"</html>" in home.read() and b"</html>" in issue.read()
    finally:
        server.shutdown()
    _build(content, site, cache)
    assert not staging.exists()
    assert _beside(site) == ["site", "site.1", "site.2"]
    assert "Une ligne de plus." in (site / "bulletins/2017-11/index.html").read_text(encoding="utf-8")


def test_concurrent_builds_end_with_a_complete_site(cli, content, tmp_path):
    site, cache = tmp_path / "public/site", tmp_path / "cache"
    _build(content, site, cache)
    edit(content / "bulletins/2017-11/remerciements.md", "", "Une ligne de plus.\n\n")
    builds = [
        subprocess.Popen(
            _command(content, site, cache), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    for build in builds:
        _, err = build.communicate(timeout=180)
        assert build.returncode == 0, err
    cold = tmp_path / "froid"
    assert (
        cli(
            "--sans-pdf",
            "--content",
            str(content),
            "--site-dir",
            str(cold),
            "--cache-dir",
            str(tmp_path / "cache-froid"),
        ).code
        == 0
    )
    assert _files(site) == _files(cold)
    # Switches are made one at a time, each to a number above all others: the last one is in place.
    assert os.readlink(site) == "site.4"
    assert _beside(site) == ["site", "site.3", "site.4"]


def test_the_folders_of_a_running_build_are_never_cleaned(cli, content, tmp_path):
    site, cache = tmp_path / "public/site", tmp_path / "cache"
    args = ("--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache))
    assert cli(*args).code == 0
    # A build that started from site.1 and is still running (here, in this process, holding its locks).
    with new_generation(site) as running:
        (running.folder / "en-cours.html").write_text("…", encoding="utf-8")
        for _ in range(3):
            forget(cache, site)
            assert cli(*args).code == 0
        assert running.folder.is_dir() and (running.folder / "en-cours.html").is_file()
        assert running.base == site.parent.resolve() / "site.1"
        assert running.base.is_dir(), "the generation a running build starts from is kept"
        assert os.readlink(site) == "site.4"
    assert not running.folder.exists(), "a build stopped before publishing removes its own folder"
    forget(cache, site)
    assert cli(*args).code == 0
    assert _beside(site) == ["site", "site.4", "site.5"]


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_site_folder_from_an_older_version_becomes_the_previous_generation(
    cli, content, tmp_path, monkeypatch, exchange
):
    if not exchange:  # a file system without RENAME_EXCHANGE: the folder is renamed away, then the link in
        monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    site, cache = tmp_path / "public/site", tmp_path / "cache"
    (site / "bulletins").mkdir(parents=True)
    (site / HOME).write_text("<html>ancien site</html>", encoding="utf-8")
    for leftover in (".site.nouveau-4242", ".site.ancien-4243"):  # killed builds of older versions
        (site.parent / leftover / "bulletins").mkdir(parents=True)
    (site.parent / "site.bak").mkdir()  # not ours: never touched
    args = ("--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache))
    assert cli(*args).code == 0
    assert os.readlink(site) == "site.2"
    assert (site.parent / "site.1" / HOME).read_text(encoding="utf-8") == "<html>ancien site</html>"
    assert _beside(site) == ["site", "site.1", "site.2", "site.bak"]
    assert "</html>" in (site / HOME).read_text(encoding="utf-8")
    forget(cache, site)
    assert cli(*args).code == 0
    assert _beside(site) == ["site", "site.2", "site.3", "site.bak"]


def test_pdf_of_one_issue_publishes_a_generation_with_it(cli, content, tmp_path):
    site, cache = tmp_path / "public/site", tmp_path / "cache"
    assert cli("--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache)).code == 0
    pdf = "bulletins/2017-11/bulletin-sr-2017-11.pdf"
    run = cli("pdf", "2017-11", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache))
    assert run.code == 0, run.err
    assert f"PDF écrit : {site / pdf}" in run.out
    assert os.readlink(site) == "site.2"
    assert (site / pdf).read_bytes().startswith(b"%PDF-")
    assert not (site.parent / "site.1" / pdf).exists()  # the generation readers had is not changed
    assert set(_files(site.parent / "site.1")) | {pdf} == set(_files(site))
    assert "Aucun site n'était construit" not in run.err


def test_pdf_of_one_issue_where_no_site_is_built_says_the_site_holds_the_pdfs_alone(cli, content, tmp_path):
    """Published with no page: a reader found no home page, and nothing said so (an adversarial review)."""
    site, cache = tmp_path / "public/site", tmp_path / "cache"
    run = cli("pdf", "2017-11", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache))
    assert run.code == 0, run.err
    assert (site / "bulletins/2017-11/bulletin-sr-2017-11.pdf").is_file() and not (site / "index.html").exists()
    assert (
        "il ne contient que ces PDF, sans page d'accueil.\n    → Pour publier le site entier, construisez-le" in run.err
    )


def test_a_site_folder_that_would_take_the_content_or_another_folder_aside_is_refused(content, cli, tmp_path):
    """A build turns a real folder at --site-dir into its previous generation, moved aside and later
    deleted: --site-dir naming the content folder moved the content aside. Refused, nothing moved, as is
    a folder that holds something other than a built site, or the content's parent folder."""
    papers = tmp_path / "documents"
    papers.mkdir()
    (papers / "rapport.docx").write_text("x", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    for site, reason in (
        (content, "c'est le dossier du contenu, ou un dossier qui le contient"),
        (content.parent, "c'est le dossier du contenu, ou un dossier qui le contient"),
        (content / "site", "c'est dans le dossier du contenu"),
        (papers, "ce dossier existe et ne contient pas un site construit"),
    ):
        for args in (["--sans-pdf"], ["pdf", "2017-11"]):
            run = cli(*args, "--content", str(content), "--site-dir", str(site))
            assert run.code == 1 and "Traceback" not in run.err, run.err
            assert f"Le site ne peut pas être écrit dans « {site} » : {reason}" in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (papers / "rapport.docx").is_file() and cli("check", "--content", str(content)).code == 0


def test_a_site_folder_the_system_will_not_write_is_said_in_french(content, cli, tmp_path, monkeypatch):
    """A file where a folder of the path should be was a FileExistsError traceback; a folder the system
    refuses (read-only, full, /sys) was a PermissionError one. The first is refused before anything is
    read; any other the system refuses while the site is written is named with its reason, in French."""
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    run = cli("--sans-pdf", "--content", str(content), "--site-dir", str(blocker / "site"))
    assert run.code == 1 and "Traceback" not in run.err, run.err
    assert f"Le site ne peut pas être écrit dans « {blocker / 'site'} » : « {blocker} » est un fichier" in run.err

    import errno

    from bulletin import cli_make, publish, site_build

    def refused(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system", str(tmp_path / "site"))

    # Where the build looks it up (site_build imported the name), and at its source.
    monkeypatch.setattr(site_build, "new_generation", refused)
    monkeypatch.setattr(cli_make, "new_generation", refused)
    monkeypatch.setattr(publish, "new_generation", refused)
    run = cli("--sans-pdf", "--content", str(content), "--site-dir", str(tmp_path / "site"))
    assert run.code == 1 and "Traceback" not in run.err, run.err
    assert f"{tmp_path / 'site'} — impossible d'écrire : le disque est en lecture seule." in run.err
