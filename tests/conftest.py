"""Shared fixtures: a private copy of the seed fixture content, the CLI run in-process, the seed site
built once per session; the `slow` marker and the golden files' update flag.

Tests never read the shipped `content/`: the officer adds a month to it every month, and that must
not turn the suite red. `tests/fixtures/seed/content` is a frozen copy of the November 2017 issue and
its register; `tests/test_shipped_content.py` is the only test that looks at `content/`.

Slow tests are marked here, not in their files, so that whoever writes a test does not have to
remember it (and people editing test files never conflict over markers). A test is `slow` when its
source, the source of a fixture it uses or of a test-package function either of them calls, shows that
it builds a site (passes `--site-dir`: every page through MkDocs, usually the PDFs through WeasyPrint;
or calls `publish_site`, or MkDocs's `build` itself),
renders a print edition or any PDF (`run_print`, `write_pdf`), runs the live preview (`serve`), drives Chromium,
or is a Hypothesis property (SLOW_SIGNS). `built_site` is the exception that makes the fast suite
fast: one web-only build of the seed per session, shared by the tests that only read it.
`pytest -m "not slow" -n auto` is the fast suite (each pytest-xdist worker builds `built_site` once); CI
runs everything, on one process.
"""

from __future__ import annotations

import inspect
import re
import shutil
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FunctionType

import pytest

from bulletin.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "content"
CONTENT = ROOT / "tests/fixtures/seed/content"
ISSUE = "bulletins/2017-11/bulletin.yaml"
# The November issue's English texts (`texte_en:` and `.en.md`), laid over a copy of the seed by translate().
ENGLISH = ROOT / "tests/fixtures/english"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the seed fixture content that a test may change freely."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a content file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def add_december(content: Path) -> Path:
    """A December 2017 issue copied from November, re-dated: the smallest archive of two issues."""
    december = content / "bulletins/2017-12"
    shutil.copytree(content / "bulletins/2017-11", december)
    issue = december / "bulletin.yaml"
    edit(issue, "mois: 2017-11", "mois: 2017-12")
    edit(issue, "date_reference: 2017-11-30", "date_reference: 2017-12-31")
    edit(issue, "  debut: 2017-10-30\n  fin: 2017-11-30", "  debut: 2017-10-30\n  fin: 2017-12-31")
    return december


def translate(content: Path) -> Path:
    """Give the November issue of a copy of the seed its English edition (tests/fixtures/english: the
    issue's English texts, and the register's projects with their English titles and descriptions)."""
    shutil.copytree(ENGLISH, content, dirs_exist_ok=True)
    return content


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first occurrence of needle, to assert file:line in messages."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Callable[..., Run]:
    def run(*args: str) -> Run:
        # Never the developer's own PDF cache: a test's content would replace its entries.
        extra = [] if "--cache-dir" in args else ["--cache-dir", str(tmp_path / "pdf-cache")]
        code = main(list(args) + extra)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


# ------------------------------------------------------------------ the seed site, built once


def _tree(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The seed content's web site (`--sans-pdf`), built once per session for the tests that only read it.

    Its files and folders are read-only, and at the end of the session the site must be as it was built:
    a test that changed it would mislead every test after it (build your own: `cli` and `content`).
    """
    base = tmp_path_factory.mktemp("built-site")
    site = base / "site"
    assert (
        main(["--sans-pdf", "--content", str(CONTENT), "--site-dir", str(site), "--cache-dir", str(base / "cache")])
        == 0
    )
    site = site.resolve()  # the generation the link points to
    built = _tree(site)
    writable = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    for path in [*site.rglob("*"), site]:
        path.chmod(path.stat().st_mode & ~writable)
    yield site
    now = _tree(site)
    changed = sorted(name for name in built.keys() | now.keys() if built.get(name) != now.get(name))
    assert not changed, f"a test changed the shared built_site (read-only for tests): {changed[:10]}"


# ------------------------------------------------------------------ the slow marker

# What makes a test slow, found in the source of the test, its fixtures and the helpers they call:
# a site build (`--site-dir`, which every build and `pdf` command needs, or it would write into the
# repository's site/), a print run or any WeasyPrint rendering, the live preview, Chromium, a Hypothesis
# property.
SLOW_SIGNS = re.compile(
    r"""["']--site-dir["']|\b(run_print|write_pdf|publish_site)\(|\bbuild\(load_config\(|["']serve["'],\s*["']--|"""
    r"""chromium|@given\b""",
    re.IGNORECASE,
)
SHARED = {"built_site"}  # built once per session: using it does not make a test slow
# Functions that pass `--site-dir` only to see check refuse the build before any page is made (every case
# of tests/fuzz_corpus/ expects "check-error"; tests/test_markers.py checks it stays so).
REFUSED_BEFORE_BUILDING = {"tests.test_bounded_input.refused", "tests.test_contract.test_corpus_case"}


_REASONS: dict[object, str | None] = {}  # per function: a test module's helpers serve many tests


def _reason(func: object) -> str | None:
    """The first slow sign in func or in a function of the test package it names, transitively, or None."""
    func = inspect.unwrap(func)  # type: ignore[arg-type]
    if not isinstance(func, FunctionType) or f"{func.__module__}.{func.__qualname__}" in REFUSED_BEFORE_BUILDING:
        return None
    if func in _REASONS:
        return _REASONS[func]
    _REASONS[func] = None  # a helper calling itself, or two calling each other, ends here
    try:
        found = SLOW_SIGNS.search(inspect.getsource(func))
    except (OSError, TypeError):
        return None
    reason = f"{func.__module__}.{func.__qualname__}: {found.group()}" if found else None
    names = set(func.__code__.co_names)
    for const in func.__code__.co_consts:  # nested functions and lambdas
        if inspect.iscode(const):
            names |= set(const.co_names)
    for name in sorted(names):
        called = func.__globals__.get(name)
        if reason is None and isinstance(called, FunctionType) and called.__module__.startswith("tests."):
            reason = _reason(called)
    _REASONS[func] = reason
    return reason


def slow_reason(item: pytest.Item) -> str | None:
    """Why item is slow ("module.function: sign"), or None: see SLOW_SIGNS."""
    if not isinstance(item, pytest.Function):
        return None  # doctests
    funcs = [item.function]
    # Every fixture the test uses, directly or through another fixture (pytest resolved them at collection).
    for name, definitions in item._fixtureinfo.name2fixturedefs.items():
        if name not in SHARED:
            funcs += [d.func for d in definitions if d.func.__module__.startswith("tests")]
    return next((reason for func in funcs if (reason := _reason(func))), None)


SLOW_REASONS = pytest.StashKey[dict[str, str | None]]()


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects: every collected test is classified and recorded
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reasons = config.stash.setdefault(SLOW_REASONS, {})
    for item in items:
        reasons[item.nodeid] = reason = slow_reason(item)
        if reason and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.slow(reason=reason))


# ------------------------------------------------------------------ golden files


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files of tests/golden/ from this run's outputs (tests/test_golden.py) "
        "instead of comparing, and list the files rewritten",
    )


REWRITTEN = pytest.StashKey[list[str]]()


@pytest.fixture
def rewritten(request: pytest.FixtureRequest) -> list[str]:
    """Where tests/test_golden.py lists the golden files it rewrote (`--update-golden`), for the summary."""
    return request.config.stash.setdefault(REWRITTEN, [])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    if not config.getoption("--update-golden"):
        return
    done = config.stash.get(REWRITTEN, [])
    terminalreporter.section("golden files")
    if done:
        terminalreporter.write_line(f"{len(done)} golden file(s) rewritten (review with `git diff tests/golden/`):")
        for name in sorted(done):
            terminalreporter.write_line(f"  {name}")
    else:
        terminalreporter.write_line("no golden file rewritten: every one compared equal (or its test did not run)")
