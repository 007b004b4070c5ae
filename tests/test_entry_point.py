"""build.py typed as the author's guide writes it (« python build.py … »), by a Python that lacks the
project's libraries: it runs with the project's own environment, and without one it says in French
what to do, never an English traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the POSIX layout of .venv")


def _project(tmp_path: Path) -> Path:
    """A project folder whose build.py is the real one, with the package beside it and no .venv."""
    project = tmp_path / "projet"
    project.mkdir()
    (project / "build.py").write_bytes((ROOT / "build.py").read_bytes())
    (project / "bulletin").symlink_to(ROOT / "bulletin")
    return project


def _bare(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """build.py run by this Python without its site-packages (-S), as a system Python without the libraries."""
    return subprocess.run(
        [sys.executable, "-S", "-I", str(project / "build.py"), *args], capture_output=True, text=True, cwd=project
    )


def test_without_the_libraries_the_command_says_in_french_how_to_install_them(tmp_path):
    run = _bare(_project(tmp_path), "check")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("Les bibliothèques du projet ne sont pas installées pour ce Python (il manque « ")
    assert '.venv/bin/pip install -e ".[test]"' in run.stderr and ".venv/bin/python build.py" in run.stderr


def test_with_the_projects_environment_beside_it_the_command_runs_there(tmp_path):
    project = _project(tmp_path)
    (project / ".venv/bin").mkdir(parents=True)
    python = project / ".venv/bin/python"  # stands for the project's environment: this Python, with its libraries
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    run = _bare(project, "--help")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("utilisation : python build.py")


def test_a_venv_folder_that_is_not_one_gets_the_french_message_not_an_endless_relaunch(tmp_path):
    """A second reading: a .venv/bin/python without the libraries and without pyvenv.cfg (a link to the
    system's Python) was launched again and again."""
    project = _project(tmp_path)
    (project / ".venv/bin").mkdir(parents=True)
    (project / ".venv/bin/python").symlink_to(sys.executable)
    run = subprocess.run(
        [sys.executable, "-S", "-I", str(project / "build.py"), "check"],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1", "PYTHONSAFEPATH": "1", "PYTHONNOSITE": "1"},
    )
    # Launched again once: that Python (no pyvenv.cfg beside it, so no environment) lacks them too.
    assert "Traceback" not in run.stderr
    assert run.returncode == 1
    assert run.stderr.startswith("Les bibliothèques du projet ne sont pas installées pour ce Python")
