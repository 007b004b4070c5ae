"""The live preview answers on localhost and shows a saved change, through a real HTTP client."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import ROOT, edit


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
            if needle in last:
                return last
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} not served at {url} within {seconds} s")


def test_preview_serves_the_issue_and_reloads_on_change(content: Path):
    port = _free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content),
                                "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        url = f"http://127.0.0.1:{port}/bulletins/2017-11/"
        _wait_for(url, "Faits saillants", 30)
        edit(content / "bulletins/2017-11/remerciements.md", "Tous unis pour un Mali un et indivisible !",
             "Tous unis pour un Mali un et indivisible ! Merci Gao.")
        _wait_for(url, "Merci Gao.", 15)
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "Aperçu en direct" in output
    assert "Traceback" not in output
