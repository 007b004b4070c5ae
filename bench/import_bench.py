"""Spreadsheet import and export benchmark (issue 15: 3 000 rows in under 3 s, median of 5).

    .venv/bin/python bench/import_bench.py [--rows 3000] [--runs 5]

Writes a workbook of --rows projects (the three funds, as tests/sheet_factory.py makes them: names
for regions and sectors, date and number cells) and times, each run in a fresh process on a fresh copy
of the frozen seed content:
  - `build.py importer projets.xlsx` (read, map, compare, vet with `check` on a scratch copy, write);
  - `build.py exporter registre.xlsx` of the register that import made (--rows + 17 projects);
  - `build.py importer registre.xlsx` of that export (everything unchanged: nothing written);
and prints the median and the spread. Python's start-up and imports are inside every figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.sheet_factory import add_rate, projects, sheets_for, write_xlsx  # noqa: E402

SEED = ROOT / "tests/fixtures/seed/content"
PY = sys.executable


def _time(*args: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one command in a fresh process. Both are shown:
    on a machine shared with other work, the wall clock also counts the waits for a core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([PY, str(ROOT / "build.py"), *args], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _fresh(folder: Path, name: str) -> Path:
    content = folder / name
    shutil.copytree(SEED, content)
    add_rate(content / "registre")
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sheet = write_xlsx(folder / "projets.xlsx", sheets_for(projects(args.rows), []))
        imports, exports, again = [], [], []
        for run in range(args.runs):
            content = _fresh(folder, f"content-{run}")
            imports.append(_time("importer", str(sheet), "--content", str(content), "--cache-dir", str(folder / "c")))
            book = folder / f"registre-{run}.xlsx"
            exports.append(_time("exporter", str(book), "--content", str(content), "--cache-dir", str(folder / "c")))
            before = {p: p.read_bytes() for p in (content / "registre").rglob("*.yaml")}
            again.append(_time("importer", str(book), "--content", str(content), "--cache-dir", str(folder / "c")))
            assert before == {p: p.read_bytes() for p in (content / "registre").rglob("*.yaml")}, "round trip wrote"
        size = sum(p.stat().st_size for p in (content / "registre/projets").glob("*.yaml"))
    print(
        f"{args.rows} lignes, registre obtenu : {args.rows + 17} projets, {size / 1e6:.2f} Mo de YAML ; "
        f"médiane de {args.runs} (min–max), processus neuf à chaque fois ; charge moyenne de la machine : "
        f"{os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs"
    )
    print(f"  {'':40} {'temps réel':>22}   {'temps CPU':>22}")
    for label, times in (
        ("import de la feuille", imports),
        ("export du registre", exports),
        ("import de l'export (aucun changement)", again),
    ):
        walls, cpus = [t[0] for t in times], [t[1] for t in times]
        print(
            f"  {label:40} {statistics.median(walls):5.2f} s ({min(walls):.2f}–{max(walls):.2f})   "
            f"{statistics.median(cpus):5.2f} s ({min(cpus):.2f}–{max(cpus):.2f})"
        )


if __name__ == "__main__":
    main()
