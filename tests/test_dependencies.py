"""Every distribution the code imports is declared in pyproject.toml, and constraints.txt pins every
declared one at a version the declared range accepts (README, « Reconstruire à l'identique »)."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
CONSTRAINTS = ROOT / "constraints.txt"
# The project's own modules: the package, the tests, and the bench scripts some tests drive.
LOCAL = {"bulletin", "tests"} | {p.stem for p in (ROOT / "bench").glob("*.py")}


def _declared(*extras: str) -> dict[str, Requirement]:
    lines = list(PYPROJECT["dependencies"])
    for extra in extras:
        lines += PYPROJECT["optional-dependencies"][extra]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def _imported(folder: Path) -> set[str]:
    """Top-level names of the third-party modules the folder's Python files import."""
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in LOCAL}


def _undeclared(folder: Path, declared: dict[str, Requirement]) -> list[str]:
    providers = packages_distributions()
    return sorted(
        f"{module} ({', '.join(providers.get(module, ['not installed']))})"
        for module in _imported(folder)
        if not {canonicalize_name(d) for d in providers.get(module, [])} & set(declared)
    )


def test_the_package_imports_only_declared_distributions():
    assert _undeclared(ROOT / "bulletin", _declared()) == []


def test_the_tests_import_only_declared_distributions():
    assert _undeclared(ROOT / "tests", _declared("test")) == []


def test_constraints_pin_every_declared_distribution_within_its_range():
    pins = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    declared = _declared(*PYPROJECT["optional-dependencies"])
    assert sorted(set(declared) - set(pins)) == [], "regenerate constraints.txt (README)"
    outside = {name: pins[name] for name, req in declared.items() if not req.specifier.contains(pins[name])}
    assert outside == {}, "regenerate constraints.txt (README)"
