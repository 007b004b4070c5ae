"""What each part of the speed layer saves, on the varied archive (docs/architecture.md, « Speed layer »).

    .venv/bin/python bench/parts_bench.py [--runs 3] [--issues 120]

After one cold web build of the archive (state S: the site and its caches), each measure starts from S
put back in place (same paths: the manifest is named after the site's), adds one handover in the
current month and rebuilds the web site (`build.py --sans-pdf`) with one part of the speed layer taken
away:
  - all: the memo, the manifest and the processes;
  - no memo: `.cache/web/memo.pickle` removed (every YAML file parsed, every page and data file made);
  - no manifest: the manifest removed (MkDocs writes every page; nothing taken from the site in place);
  - one process: the build pinned to one core (`taskset -c 0`), so it starts no worker;
then a cold build (empty caches) on the machine's cores and on one core. The variants alternate within
each run (A B C D …); medians of wall and CPU time are printed with the load average.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import archive
from measure import Run, load, median, run
from scale_bench import _handover_now
from synthetic import ROOT

PY = sys.executable
ONE_CORE = ["taskset", "-c", "0"]


def _build(content: Path, state: Path, pinned: bool = False) -> list[str]:
    command = [PY, "build.py", "--sans-pdf", "--content", str(content)]
    command += ["--site-dir", str(state / "site"), "--cache-dir", str(state / "cache")]
    return (ONE_CORE if pinned else []) + command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--issues", type=int, default=120)
    args = parser.parse_args()
    print(f"load average before: {load()}")
    rebuilds = ("all", "no memo", "no manifest", "one process")
    colds = ("cold, all cores", "cold, one core")
    results: dict[str, list[Run]] = {name: [] for name in (*rebuilds, *colds)}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        content = archive.make_archive(tmp_path / "archive", args.issues, 25 * args.issues, args.issues * 5 // 2)
        register = content / "registre/projets/synthetique.yaml"
        original = register.read_text(encoding="utf-8")
        latest = sorted((content / "bulletins").iterdir())[-1]
        changed = _handover_now(original, date.fromisoformat(f"{latest.name}-01"))
        # The manifest is named after the site's path: every rebuild starts from S put back at that path.
        state, saved = tmp_path / "state", tmp_path / "S"
        run(_build(content, state), ROOT)
        shutil.copytree(state, saved, symlinks=True)
        for n in range(args.runs):
            for name in rebuilds:
                shutil.rmtree(state)
                shutil.copytree(saved, state, symlinks=True)
                if name == "no memo":
                    (state / "cache/web/memo.pickle").unlink()
                if name == "no manifest":
                    for manifest in (state / "cache/web").glob("*.json"):
                        manifest.unlink()
                register.write_text(changed, encoding="utf-8")
                try:
                    results[name].append(run(_build(content, state, pinned=name == "one process"), ROOT))
                finally:
                    register.write_text(original, encoding="utf-8")
            for name in colds:
                cold = tmp_path / f"{n}-cold"
                results[name].append(run(_build(content, cold, pinned=name.endswith("one core")), ROOT))
                shutil.rmtree(cold)
    print(f"varied archive, {args.issues} issues; medians of {args.runs}; one handover added for the rebuilds")
    print(f"{'measure':<18} {'wall (s)':>9} {'CPU (s)':>8} {'RSS (MiB)':>10}  {'wall / all':>10}")
    for name, runs in results.items():
        m = median(runs)
        reference = median(results["all" if name in rebuilds else "cold, all cores"]).wall
        print(f"{name:<18} {m.wall:9.2f} {m.cpu:8.2f} {m.rss_mib:10.0f}  {m.wall / reference:10.2f}")
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
