"""Entry point: python build.py [build|check|serve] [--content DIR] [--site-dir DIR]."""

import os
import sys
from importlib.util import find_spec
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The project's own environment (README: python3 -m venv .venv), for each system's layout.
VENV = HERE / ".venv"
VENV_PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
# Set on the run again with VENV_PYTHON: a .venv that is not one (no pyvenv.cfg) must not loop.
AGAIN = "BULLETIN_RELANCE"
# The libraries some command imports only when it needs them (bulletin.cli imports the others): a
# Python that has those but not these is not the project's either.
LATER = (
    *("mkdocs", "material", "weasyprint", "pagefind", "brotli", "fontTools", "watchdog", "nh3", "PIL"),
    *("python_calamine", "xlsxwriter"),  # importer, exporter
)


def _missing() -> str | None:
    """The first library of the project this Python lacks, or None."""
    try:
        import bulletin.cli  # noqa: F401
    except ModuleNotFoundError as missing:
        return missing.name or str(missing)
    return next((name for name in LATER if find_spec(name) is None), None)


# The author's guide writes « python build.py … »: typed with a Python that lacks the project's
# libraries (outside .venv), the command runs again with the project's own, as if typed there, and
# with none, the reader gets a French sentence instead of an English traceback.
lacking = _missing()
if lacking is not None:
    if VENV_PYTHON.is_file() and AGAIN not in os.environ and Path(sys.prefix).resolve() != VENV.resolve():
        command = [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]]
        os.environ[AGAIN] = "1"
        if os.name == "nt":
            import subprocess

            sys.exit(subprocess.call(command))
        os.execv(command[0], command)
    sys.exit(
        f"Les bibliothèques du projet ne sont pas installées pour ce Python (il manque « {lacking} »).\n"
        "→ Installez-les une fois, dans le dossier du projet :\n"
        '    python3 -m venv .venv && .venv/bin/pip install -e ".[test]"\n'
        "  puis lancez les commandes avec ce Python : .venv/bin/python build.py …"
    )

from bulletin.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
