"""The author's guide (content/pages/guide/index.md): every example in it is checked for real.

Each ```yaml (or ```markdown) block of the guide is preceded by a marker naming where it goes:

    <!-- exemple: bulletin.coordination -->

a file (a name of TARGETS, or a text file of the reference issue such as qip.md) and, after a dot, the
keys the example must reach in that file. The example is pasted into a copy of the shipped content as
the author would paste it (mappings merged, list items added, or replacing the item with the same id),
and `check` must pass with no warning the shipped content does not already have. A block without a
marker, a marker naming an unknown place, or an example that check rejects fails: the guide cannot
drift from the real format.

A target of PUBLISHED (`bulletin-publie`) is the reference issue once published: the test runs
`publier` before pasting (an erratum needs a published issue) and again after (recording it, as the
guide tells the author to).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from PIL import Image

from bulletin import prose
from bulletin.load import load_yaml
from bulletin.validate_issue import EVENT_TYPES

from .conftest import ROOT

GUIDE = ROOT / "content/pages/guide/index.md"
ISSUE_FOLDER = "bulletins/2017-11"
TARGETS = {
    "bulletin": f"{ISSUE_FOLDER}/bulletin.yaml",
    "projets-qip": "registre/projets/qip.yaml",
    "projets-ff": "registre/projets/ff.yaml",
    "projets-pbf": "registre/projets/pbf.yaml",
    "contributions": "registre/contributions.yaml",
    "soldes": "registre/soldes.yaml",
    "taux": "registre/taux.yaml",
    "reglages": "reglages.yaml",
    "references": "registre/references.yaml",
    # The issue once published (`publier`): an erratum is pasted there, then recorded by `publier` again.
    "bulletin-publie": f"{ISSUE_FOLDER}/bulletin.yaml",
}
PUBLISHED = {"bulletin-publie"}
CHECKED = ("yaml", "markdown")
UNCHECKED = ("sh", "text")  # commands and sample output: shown, not pasted into content
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
# " +précédent": the example needs the one just before it (a rate for an amount in francs CFA): both are pasted.
_MARKER = re.compile(r"^<!-- exemple: (\S+)( \+précédent)? -->$")


@dataclass(frozen=True)
class Block:
    line: int
    lang: str
    body: str
    marker: str | None
    with_previous: bool = False


def guide_blocks() -> list[Block]:
    text = GUIDE.read_text(encoding="utf-8")
    out = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip().rsplit("\n", 1)[-1]
        marker = _MARKER.match(before)
        out.append(
            Block(
                text.count("\n", 0, match.start()) + 1,
                match.group(1),
                match.group(2),
                marker.group(1) if marker else None,
                bool(marker and marker.group(2)),
            )
        )
    return out


EXAMPLES = [b for b in guide_blocks() if b.lang in CHECKED]


@pytest.fixture(autouse=True)
def author_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_the_guide_has_examples_and_each_checked_block_has_a_marker():
    blocks = guide_blocks()
    assert len(EXAMPLES) >= 15
    assert [b.line for b in blocks if b.lang not in CHECKED + UNCHECKED] == [], "fence without a known language"
    assert [b.line for b in EXAMPLES if b.marker is None] == [], "example without <!-- exemple: … --> marker"
    assert [b.line for b in blocks if b.lang in UNCHECKED and b.marker] == [], "marker on a block never checked"


@pytest.mark.parametrize("block", EXAMPLES, ids=[f"ligne-{b.line}-{b.marker}" for b in EXAMPLES])
def test_example_passes_check_where_its_marker_puts_it(cli, content, tmp_path, block):
    published = block.marker.partition(".")[0] in PUBLISHED
    if published:
        assert cli("publier", ISSUE_FOLDER.rsplit("/", 1)[1], "--le", "2017-12-05", "--content", "content").code == 0
    before = warnings_of(cli, content)
    if block.lang == "markdown":
        target = content / ISSUE_FOLDER / block.marker
        # An English text (`role.en.md`) is a new file beside the French one the issue already has.
        english = block.marker.endswith(".en.md")
        french = target.with_name(block.marker.removesuffix(".en.md") + ".md") if english else target
        assert block.marker.endswith(".md") and french.is_file(), f"unknown text file {block.marker}"
        target.write_text(block.body, encoding="utf-8")
    else:
        if block.with_previous:
            previous = EXAMPLES[EXAMPLES.index(block) - 1]
            assert previous.lang == "yaml", "+précédent follows a yaml example"
            paste_yaml(content, tmp_path, previous)
        paste_yaml(content, tmp_path, block)
    if published:
        assert cli("publier", ISSUE_FOLDER.rsplit("/", 1)[1], "--content", "content").code == 0
    assert warnings_of(cli, content) <= before, "the example brings a warning"


def paste_yaml(content: Path, tmp_path: Path, block: Block) -> None:
    alias, _, place = block.marker.partition(".")
    assert alias in TARGETS, f"unknown target {alias!r}: choose among {sorted(TARGETS)}"
    snippet_file = tmp_path / "exemple.yaml"
    snippet_file.write_text(block.body, encoding="utf-8")
    assert load_yaml(snippet_file).problems == (), "the example itself is not valid YAML for the project"
    snippet = yaml.safe_load(block.body)
    reached = snippet
    for key in filter(None, place.split(".")):
        assert isinstance(reached, dict) and key in reached, f"the example does not reach {block.marker}"
        reached = reached[key]
    target = content / TARGETS[alias]
    merged = merge(yaml.safe_load(target.read_text(encoding="utf-8")), snippet)
    target.write_text(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    for name in photo_files(snippet):  # the author puts the picture in the issue's folder first
        if not (content / ISSUE_FOLDER / name).exists():
            Image.new("RGB", (64, 48), "white").save(content / ISSUE_FOLDER / name, "JPEG")


def merge(old: Any, new: Any) -> Any:
    """Paste `new` into `old`: keys merged, list items added or replacing the item of the same identity."""
    if isinstance(old, dict) and isinstance(new, dict):
        return {**old, **{k: merge(old[k], v) if k in old else v for k, v in new.items()}}
    if isinstance(old, list) and isinstance(new, list):
        out = list(old)
        for item in new:
            same = [i for i, o in enumerate(out) if identity(item) is not None and identity(o) == identity(item)]
            if same:
                out[same[0]] = item
            else:
                out.append(item)
        return out
    return new


def identity(item: Any) -> tuple | None:
    """What makes a list item the same item: its id, or for an opening balance its fund and date; a plain
    value (a project id in `pbf.projets`) is itself, so pasting it where it is already listed keeps one."""
    if isinstance(item, str):
        return ("valeur", item)
    if not isinstance(item, dict):
        return None
    if "id" in item:
        return ("id", item["id"])
    if "date" in item:
        return ("solde", item.get("fonds"), item["date"])
    return None


def photo_files(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value[key]["fichier"] for key in ("photo", "carte") if isinstance(value.get(key), dict)]
        return found + [n for v in value.values() for n in photo_files(v)]
    if isinstance(value, list):
        return [n for v in value for n in photo_files(v)]
    return []


def warnings_of(cli, content: Path) -> set[str]:
    """check passes; its warnings, without line numbers (a pasted example moves lines)."""
    run = cli("check", "--content", "content")
    assert content == Path.cwd() / "content"
    assert run.code == 0, run.err
    found = {re.sub(r"^(\S+?):\d+ — ", r"\1 — ", w) for w in run.err.strip().split("\n\n")[1:]}
    # An English example translates one text: the rest of the issue is then rightly listed as untranslated
    # (tests/test_english_content.py checks those warnings); they are not the example's fault.
    return {w for w in found if "traduction anglaise" not in w}


# --- What the guide says matches the code -----------------------------------------------------------


def test_every_placeholder_is_documented_and_every_documented_one_exists():
    text = GUIDE.read_text(encoding="utf-8")
    known = set(prose.ISSUE_PLACEHOLDERS + prose.PROJECT_PLACEHOLDERS + prose.CONTRIBUTION_PLACEHOLDERS)
    written = {m.group(1) for m in prose.PLACEHOLDER.finditer(text)}
    assert written - known == set(), "the guide names figures that do not exist"
    assert {n for n in known if f"| `{{{{ {n} }}}}` |" not in text} == set(), "figures missing from the tables"


def test_every_event_type_is_in_the_table():
    text = GUIDE.read_text(encoding="utf-8")
    assert [t for t in EVENT_TYPES if f"| `{t}` |" not in text] == []


def test_the_page_shows_placeholders_and_examples_literally():
    """MkDocs' default extensions: {{ … }} stays as written, markers stay hidden comments."""
    html = markdown.Markdown(extensions=["toc", "tables", "fenced_code"]).convert(GUIDE.read_text(encoding="utf-8"))
    assert "{{ projet.montant }}" in html
    assert html.count('<code class="language-yaml">') == sum(b.lang == "yaml" for b in guide_blocks())
    assert "exemple: bulletin" not in re.sub(r"<!--.*?-->", "", html)


def test_the_guide_is_for_the_newsroom_not_in_the_readers_menu():
    """Kept out of the public navigation and of the readers' search, and not linked from « À propos »
    (issue 11: the public site has no page of it; `serve` and `--avec-guide` show it, see
    tests/test_public_site.py)."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    assert "guide/index.md" not in nav
    assert "guide/" not in (ROOT / "content/pages/a-propos.md").read_text(encoding="utf-8")
    assert "search:\n  exclude: true" in GUIDE.read_text(encoding="utf-8")
