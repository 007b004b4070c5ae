"""Entry point: python build.py [build|check|serve] [--content DIR] [--site-dir DIR]."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The project's own environment (README: python3 -m venv .venv), for each system's layout.
VENV = HERE / ".venv"
VENV_PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

try:
    from bulletin.cli import main
except ModuleNotFoundError as missing:
    # The author's guide writes « python build.py … »: typed with a Python that lacks the project's
    # libraries (outside .venv), the command runs again with the project's own, as if typed there,
    # and with none, the reader gets a French sentence instead of an English traceback.
    if VENV_PYTHON.is_file() and Path(sys.prefix).resolve() != VENV.resolve():
        command = [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]]
        if os.name == "nt":
            import subprocess

            sys.exit(subprocess.call(command))
        os.execv(command[0], command)
    sys.exit(
        "Les bibliothèques du projet ne sont pas installées pour ce Python "
        f"(il manque « {missing.name or missing} »).\n"
        "→ Installez-les une fois, dans le dossier du projet :\n"
        '    python3 -m venv .venv && .venv/bin/pip install -e ".[test]"\n'
        "  puis lancez les commandes avec ce Python : .venv/bin/python build.py …"
    )

if __name__ == "__main__":
    sys.exit(main())
