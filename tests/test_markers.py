"""The `slow` marker set by tests/conftest.py: what runs a browser, WeasyPrint, Hypothesis or a site build is
slow; what only checks content, or only reads the session's shared seed site, is in the fast suite.

The classification of every collected test is recorded at collection; these tests read that record, and
skip a test whose file this run did not collect (`pytest` and `pytest -m "not slow"` collect them all).
"""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT, SLOW_REASONS

SLOW = {
    "tests/test_accessibility.py::test_page_has_no_wcag_21_aa_violation": "chromium",
    "tests/test_contract.py::test_check_accepts_only_what_builds": "@given",
    "tests/test_incremental.py::test_a_rebuild_after_one_event_writes_only_what_changed_and_equals_a_cold_build": 'tests.test_incremental._build: "--site-dir"',
    "tests/test_golden.py::test_pdf_text_equals_its_golden": 'tests.test_golden.issue_pdf: "--site-dir"',
    "tests/test_serve.py::test_preview_serves_the_issue_and_reloads_on_change": 'tests.test_serve._serve: "serve",',
    "tests/test_sandbox.py::test_pdf_engine_refuses_a_symlink_leading_out": "write_pdf(",
    "tests/test_shell_boundary.py::test_a_second_shell_publishes_the_pages_and_the_core_decides_what_it_keeps": (
        "publish_site("
    ),
    "tests/test_serve.py::test_a_save_rewrites_only_the_pages_it_changed_and_the_result_is_a_cold_preview": (
        "build(load_config("
    ),
}
FAST = [
    "tests/test_checks.py::test_handover_before_approval_is_an_error",  # check only
    "tests/test_bounded_input.py::test_an_emptied_content_file_is_said_to_be_empty",  # the build is refused
    "tests/test_web.py::test_issue_page_has_every_section_of_the_seed",  # reads built_site
    "tests/test_golden.py::test_web_output_equals_its_golden",  # reads built_site
    "tests/test_contract.py::test_corpus_case",  # check refuses each
]


@pytest.fixture
def reasons(request: pytest.FixtureRequest) -> dict[str, str | None]:
    return request.config.stash.get(SLOW_REASONS, {})


def _matching(reasons: dict[str, str | None], name: str) -> dict[str, str | None]:
    """The classification of test `name` (each of its parameters), or a skip if its file was not collected."""
    module = name.split("::")[0]
    if not any(node.startswith(module + "::") for node in reasons):
        pytest.skip(f"{module} is not collected in this run: the classification is checked on the whole suite")
    found = {node: why for node, why in reasons.items() if node == name or node.startswith(name + "[")}
    assert found, f"{name} is not collected any more: update tests/test_markers.py"
    return found


@pytest.mark.parametrize("name", SLOW, ids=[n.split("::")[1] for n in SLOW])
def test_what_runs_a_browser_weasyprint_hypothesis_or_a_build_is_slow(
    reasons: dict[str, str | None], name: str
) -> None:
    for node, why in _matching(reasons, name).items():
        assert why is not None and SLOW[name] in why, f"{node}: {why}"


@pytest.mark.parametrize("name", FAST, ids=[n.split("::")[1] for n in FAST])
def test_what_checks_or_reads_the_shared_site_is_fast(reasons: dict[str, str | None], name: str) -> None:
    for node, why in _matching(reasons, name).items():
        assert why is None, f"{node} is marked slow: {why}"


def test_every_kept_crasher_is_refused_by_check_so_its_replay_builds_nothing() -> None:
    """The corpus replays stay in the fast suite (tests/conftest.py) only while check refuses every case."""
    expected = {
        case.parent.name: json.loads(case.read_text(encoding="utf-8")).get("expect")
        for case in (ROOT / "tests/fuzz_corpus").glob("*/case.json")
    }
    building = sorted(name for name, expect in expected.items() if expect != "check-error")
    assert expected and building == [], (
        f"{building} may build a site: take tests.test_contract.test_corpus_case "
        "out of REFUSED_BEFORE_BUILDING in tests/conftest.py"
    )


def test_the_marker_is_on_the_items(request: pytest.FixtureRequest, reasons: dict[str, str | None]) -> None:
    """The record and the marker agree on this very test, which is fast."""
    assert request.node.nodeid in reasons and reasons[request.node.nodeid] is None
    assert request.node.get_closest_marker("slow") is None
