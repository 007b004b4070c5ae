"""Hostile input (issue 16): bounded parsing, located errors instead of crashes, safe CSV, same bytes any day.

Each vector once hung, crashed or fooled the build; each test here failed on that code. The vectors
that fit in one file are kept in tests/fuzz_corpus/ (see its README) and replayed from there.
Tests run beside the content, as the author does, so messages show content/…:line.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import resource
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bulletin.errors import SourceRef
from bulletin.load import MAX_YAML_BYTES, MAX_YAML_NODES
from bulletin.messages import load as load_msg

from .conftest import ISSUE, ROOT, edit, line_of

CORPUS = ROOT / "tests/fuzz_corpus"
SOLDES = "registre/soldes.yaml"


@pytest.fixture(autouse=True)
def author_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def replay(content: Path, corpus_file: str, target: str) -> Path:
    """Put a kept hostile file in place of one file of the content."""
    path = content / target
    shutil.copyfile(CORPUS / corpus_file, path)
    return path


def refused(cli, content: Path, command: str = "check") -> str:
    """Run a command on hostile content: exit 1, no traceback, the French report on stderr."""
    args = ("check",) if command == "check" else ("--sans-pdf", "--site-dir", str(content.parent / "site"))
    run = cli(*args, "--content", str(content))
    assert "Traceback" not in run.out + run.err
    assert run.code == 1, run.err
    return run.err


def problem(err: str, where: str) -> str:
    """The one problem reported at `where` (its line and its '→ fix' line)."""
    found = [block for block in err.split("\n\n") if block.startswith(f"{where} — ")]
    assert len(found) == 1, f"expected one problem at {where}, got:\n{err}"
    return found[0]


# --- YAML: aliases, size, number of values, control characters --------------------------------------

MEASURED = """
import resource, sys, time
sys.path.insert(0, {root!r})
from bulletin.cli import main
started = time.perf_counter()
code = main(sys.argv[1:])
print("mesure", code, time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _at_most_3_gb() -> None:  # today's code would take 5 GB: fail, do not swap
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def test_an_alias_bomb_is_refused_at_once_in_little_memory(content, tmp_path):
    """342 bytes that expand to 387 million values: refused in < 1 s and < 200 MB, located."""
    replay(content, "alias-bomb.yaml", "registre/references.yaml")
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURED.format(root=str(ROOT)),
            "check",
            "--content",
            str(content),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_at_most_3_gb,
    )
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    _, code, seconds, max_rss_kb = run.stdout.split()
    assert code == "1"
    assert float(seconds) < 1.0
    assert int(max_rss_kb) < 200 * 1024
    first = problem(run.stderr, "content/registre/references.yaml:1")
    assert first == (
        "content/registre/references.yaml:1 — « &a » : les ancres YAML (« &nom ») et les alias "
        "(« *nom ») ne sont pas acceptés.\n"
        "    → Recopiez la valeur à chaque endroit où elle sert. Si c'est un texte qui commence par "
        "« * » ou « & » (du gras Markdown, par exemple), mettez tout le texte entre guillemets : "
        'texte: "**Gras** au début"'
    )
    assert "« &i »" in problem(run.stderr, "content/registre/references.yaml:9")


def test_an_alias_in_an_issue_is_located_where_it_is_used(cli, content):
    """A text starting with '*' is an alias to YAML: the author is told to quote it."""
    edit(content / ISSUE, "  nom: Temur SHARPOV", "  nom: *Temur SHARPOV")
    err = refused(cli, content)
    assert "« *Temur » : les ancres YAML" in problem(err, f"content/{ISSUE}:{line_of(content / ISSUE, '*Temur')}")


@pytest.mark.parametrize(
    "text",
    ['{"a":&x [0, 0], "b":*x}\n', "[{?&x k : 1}, ?*x : 2]\n", "[\n\ufeff&x [0, 0],\n\ufeff*x]\n"],
    ids=["after a quoted key", "after a question mark", "after a byte-order mark"],
)
def test_an_alias_where_libyaml_takes_it_is_refused(cli, content, text):
    """libyaml takes an anchor right after the ":" of a quoted key, after "?", and after a byte-order mark
    at the start of a line: each is an anchor all the same (they once got through: a 1 kB bomb of the
    first form was expanded)."""
    path = content / "registre/references.yaml"
    path.write_text(text, encoding="utf-8")
    err = refused(cli, content)
    line = 2 if text.startswith("[\n") else 1
    assert "« &x » : les ancres YAML" in problem(err, f"content/registre/references.yaml:{line}")


def test_an_alias_the_text_search_misses_is_still_never_expanded(content, monkeypatch):
    """Whatever the text looks like, an alias is the very node it names: converting it twice is refused."""
    import re

    from bulletin import load

    monkeypatch.setattr(load, "_ANCHOR_ALIAS_TAG", re.compile(r"(?!)"))  # finds nothing
    path = content / "registre/references.yaml"
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]  # 10^9 values
    path.write_text("\n".join(levels) + "\n", encoding="utf-8")
    loaded = load.load_yaml(path)
    lines = {problem.source.line for problem in loaded.problems}
    assert lines == {1, 2, 3, 4, 5, 6, 7, 8}  # each anchored value, where it is first used again
    assert all("les ancres YAML" in str(problem) for problem in loaded.problems)
    path.write_text("[{? &x k : 1}, ? *x : 2]\n", encoding="utf-8")  # an aliased key
    assert [str(problem) for problem in load.load_yaml(path).problems] == [
        str(load_msg.yaml_alias(SourceRef(path, 1), "&"))
    ]


def test_values_nested_too_deep_are_a_located_error(cli, content):
    path = content / "registre/references.yaml"
    path.write_text("a:\n  b: " + "[" * 200 + "]" * 200 + "\n", encoding="utf-8")
    assert "imbriquées sur plus de 100 niveaux" in problem(refused(cli, content), "content/registre/references.yaml:2")


def test_a_long_register_is_not_scanned_when_it_cannot_hold_too_many_values(tmp_path, monkeypatch):
    """A register with fewer than MAX_YAML_NODES values by the bound of load.most_values is parsed
    without the scan of its events (0.2 s for 3 000 projects, on every change); above, it is scanned."""
    import yaml

    from bulletin import load

    path = tmp_path / "projets.yaml"
    project = '- id: QIP-2017-{n:04d}\n  titre: "Réhabilitation, à Gao : école n° {n}"\n  jalons:\n    approbation: 2017-03-12\n'
    text = "".join(project.format(n=n) for n in range(300))
    path.write_text(text, encoding="utf-8")
    values = sum(isinstance(e, yaml.NodeEvent) for e in yaml.parse(text, Loader=load._BASE_LOADER))
    bound = load.most_values(text)
    assert values <= bound < 2 * len(text)
    scans: list[int] = []
    monkeypatch.setattr(load, "_scan_events", lambda path, text: scans.append(1) or ())
    monkeypatch.setattr(load, "MAX_YAML_NODES", bound)
    assert load.load_yaml(path).problems == () and scans == []
    monkeypatch.setattr(load, "MAX_YAML_NODES", bound - 1)
    assert load.load_yaml(path).problems == () and scans == [1]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(cli, content):
    path = content / "registre/projets/archives.yaml"
    path.write_text("# " + "x" * (MAX_YAML_BYTES + 100_000) + "\n", encoding="utf-8")
    err = refused(cli, content)
    assert problem(err, "content/registre/projets/archives.yaml") == (
        "content/registre/projets/archives.yaml — le fichier est trop gros pour un fichier de contenu "
        "(5,1\u00a0Mo ; au plus 5,0\u00a0Mo).\n"
        "    → Vérifiez que c'est bien le bon fichier ; un registre de projets très long se répartit en plusieurs "
        "fichiers dans content/registre/projets/ (par exemple un par année)."
    )


def test_a_file_with_too_many_values_is_refused_before_they_are_built(cli, content):
    path = content / "registre/projets/archives.yaml"
    path.write_text("[" + "0," * MAX_YAML_NODES + "0]\n", encoding="utf-8")  # 1,5 MB: under the size limit
    err = refused(cli, content)
    assert problem(err, "content/registre/projets/archives.yaml").startswith(
        "content/registre/projets/archives.yaml — le fichier contient plus de 750\u202f000 valeurs, plus qu'un "
        "fichier de contenu n'en a jamais besoin.\n"
    )


def test_a_control_character_is_located_and_named(cli, content):
    replay(content, "reglages-control-character.yaml", "reglages.yaml")
    err = refused(cli, content)
    line = line_of(content / "reglages.yaml", "\x07")
    column = (content / "reglages.yaml").read_text(encoding="utf-8").splitlines()[line - 1].index("\x07") + 1
    assert column == len("  section: Section Stabilisation") + 1
    assert problem(err, f"content/reglages.yaml:{line}") == (
        f"content/reglages.yaml:{line} — caractère invisible interdit à la colonne {column} : signal sonore "
        "(U+0007).\n"
        "    → Effacez ce caractère (il vient souvent d'un copier-coller depuis un traitement de texte, un PDF ou un "
        "courriel) : placez le curseur à cet endroit et supprimez-le, ou retapez la ligne."
    )


def test_a_control_character_does_not_hide_the_other_problems_of_its_file(cli, content):
    """The rest of the file is still read: an unknown project in the same issue is reported in the same
    run, at its line, not after the character is removed and `check` run again."""
    issue = content / "bulletins/2017-11/bulletin.yaml"
    edit(issue, "projet: QIP-2017-04", "projet: QIP-2017-99")
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("- texte: Discussions", "- texte: \x07Discussions", 1), encoding="utf-8")
    err = refused(cli, content)
    control = line_of(issue, "\x07")
    assert "caractère invisible interdit" in problem(err, f"content/bulletins/2017-11/bulletin.yaml:{control}")
    unknown = line_of(issue, "QIP-2017-99")
    assert "QIP-2017-99" in problem(err, f"content/bulletins/2017-11/bulletin.yaml:{unknown}")


def test_a_bidirectional_override_is_refused_in_yaml_and_in_markdown(cli, content):
    """U+202E shows the rest of its line reversed on the page while the file reads otherwise: never
    published, whether in a register name or in an issue's prose."""
    edit(content / "reglages.yaml", "  section: Section Stabilisation", "  section: Section \u202eStabilisation")
    remerciements = content / "bulletins/2017-11/remerciements.md"
    remerciements.write_text("Merci \u2066à tous\n" + remerciements.read_text(encoding="utf-8"), encoding="utf-8")
    err = refused(cli, content)
    line = line_of(content / "reglages.yaml", "\u202e")
    assert problem(err, f"content/reglages.yaml:{line}").startswith(
        f"content/reglages.yaml:{line} — caractère invisible interdit à la colonne {len('  section: Section ') + 1} : "
        "forçage du sens d'écriture (U+202E).\n"
    )
    assert problem(err, "content/bulletins/2017-11/remerciements.md:1").startswith(
        "content/bulletins/2017-11/remerciements.md:1 — caractère invisible interdit à la colonne 7 : isolement du "
        "sens d'écriture (U+2066).\n"
    )


# --- Amounts -------------------------------------------------------------------------------------------

TOO_LARGE = (
    "« montant » : le nombre « {found} » est trop grand (au plus 999\u202f999\u202f999\u202f999).\n"
    "    → Vérifiez le nombre de chiffres (des chiffres en trop, ou des centimes collés au montant ?) ; un "
    "montant s'écrit en unités, avec un point avant les centimes : 48269.50"
)


@pytest.mark.parametrize(
    "corpus_file, target, found",
    [
        ("qip-amount-29-digits.yaml", "registre/projets/qip.yaml", "48269000000000000000000000000"),
        ("ff-amount-29-digits.yaml", "registre/projets/ff.yaml", "33664100000000000000000000000"),
    ],
    ids=["qip", "ff"],
)
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_29_digit_amount_is_a_located_error(cli, content, corpus_file, target, found, command):
    """check crashed on the QIP amount; it passed the FF amount and the build crashed."""
    path = replay(content, corpus_file, target)
    err = refused(cli, content, command)
    where = f"content/{target}:{line_of(path, found)}"
    assert problem(err, where) == f"{where} — " + TOO_LARGE.format(found=found)


@pytest.mark.parametrize(
    "rel, old, new, field",
    [
        (
            "plans/liptako-gourma-2024.yaml",
            'compte: "72200", montant: 160000}',
            'compte: "72200", montant: 16000000000000000000000000000}',
            "montant",
        ),
        (SOLDES, "    finalises: 211\n", "    finalises: 21100000000000000000000000000\n", "finalises"),
    ],
    ids=["plan-line", "balance-count"],
)
def test_a_29_digit_number_elsewhere_is_a_located_error_too(cli, content, rel, old, new, field):
    """Every amount and count is read by the same Reader: a work plan's line, an opening balance's count."""
    edit(content / rel, old, new)
    found = new.split(": ")[-1].strip(" }\n")
    err = refused(cli, content, "build")
    where = f"content/{rel}:{line_of(content / rel, found)}"
    assert problem(err, where).startswith(
        f"{where} — « {field} » : le nombre « {found} » est trop grand (au plus 999\u202f999\u202f999\u202f999).\n"
    )


# --- Empty or cut register files ----------------------------------------------------------------------


def _no_budget(where: str) -> str:
    return (
        f"{where} — « date_reference » : aucun solde de contributions ni aucune contribution reçue n'est "
        "daté du 2017-11-30 ou d'avant : le bulletin ne peut pas imprimer le budget du Fonds fiduciaire.\n"
        "    → Ajoutez un solde daté sous « contributions » dans content/registre/soldes.yaml (le fichier a-t-il "
        "été vidé ou coupé ?), ou une contribution reçue dans content/registre/contributions.yaml, ou corrigez "
        "la date de référence."
    )


def _no_pbf_amount(where: str) -> str:
    return (
        f"{where} — « date_reference » : aucun solde d'ouverture du fonds « PBF » n'est daté du "
        "2017-02-28 ou d'avant, et aucun projet détaillé de ce fonds n'a de montant à cette date : le bulletin ne peut pas "
        "imprimer le montant de ses projets.\n"
        "    → Ajoutez un solde daté, avec son montant, dans content/registre/soldes.yaml (le fichier a-t-il été "
        "vidé ou coupé ?), ou corrigez la date de référence."
    )


EMPTY = (
    "le fichier est vide (ou ne contient que des commentaires).\n"
    "    → S'il a été vidé ou coupé par erreur, restaurez-le depuis votre sauvegarde (le guide de l'auteur "
    "décrit son contenu) ; un fichier facultatif qui ne sert pas (contributions, plan de travail, fichier de "
    "projets) se supprime."
)


@pytest.mark.parametrize("corpus_file", ["soldes-empty.yaml", "soldes-truncated.yaml"], ids=["empty", "truncated"])
@pytest.mark.parametrize("command", ["check", "build"])
def test_an_empty_or_cut_soldes_file_is_refused_by_check(cli, content, corpus_file, command):
    """check passed both and the build crashed: the issue prints amounts the register no longer has."""
    replay(content, corpus_file, SOLDES)
    err = refused(cli, content, command)
    issue = content / ISSUE
    main_ref = f"content/{ISSUE}:{line_of(issue, 'date_reference: 2017-11-30')}"
    pbf_ref = f"content/{ISSUE}:{line_of(issue, 'date_reference: 2017-02-28')}"
    assert problem(err, main_ref) == _no_budget(main_ref)
    assert problem(err, pbf_ref) == _no_pbf_amount(pbf_ref)
    if corpus_file == "soldes-empty.yaml":
        assert problem(err, f"content/{SOLDES}:1") == f"content/{SOLDES}:1 — {EMPTY}"


@pytest.mark.parametrize(
    "rel",
    [
        "registre/references.yaml",
        "registre/contributions.yaml",
        "registre/projets/qip.yaml",
        "plans/liptako-gourma-2024.yaml",
        "reglages.yaml",
        ISSUE,
    ],
)
def test_an_emptied_content_file_is_said_to_be_empty(cli, content, rel):
    """Before: references.yaml gave exit 1 with no message at all, a plan vanished without a word."""
    (content / rel).write_text("# tout a été effacé\n", encoding="utf-8")
    err = refused(cli, content)
    assert problem(err, f"content/{rel}:1") == f"content/{rel}:1 — {EMPTY}"


# --- Open data -----------------------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://x","y")'


def test_a_donor_named_like_a_formula_is_neutralised_in_the_csv_only(cli, content):
    """OWASP: a text cell starting with = + - @ tab or CR gets a leading single quote; JSON keeps the name."""
    name = FORMULA.replace('"', '\\"')
    edit(content / "registre/references.yaml", "bailleurs:\n", f'bailleurs:\n  - "{name}"\n')
    edit(content / SOLDES, "    bailleurs:\n", f'    bailleurs:\n      - "{name}"\n')
    run = cli("--sans-pdf", "--content", str(content), "--site-dir", "site")
    assert run.code == 0, run.err
    folder = Path("site/bulletins/2017-11")
    rows = list(csv.DictReader(io.StringIO((folder / "chiffres-cles.csv").read_text(encoding="utf-8-sig"), newline="")))
    donors = next(r for r in rows if r["indicateur"] == "contributeurs")
    assert donors["liste"].startswith("'" + FORMULA + " | ")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())
    for row in rows:  # numbers stay numbers: no quote before them
        float(row["valeur"])
    data = json.loads((folder / "chiffres-cles.json").read_text(encoding="utf-8"))
    listed = next(k for k in data["chiffres_cles"] if k["indicateur"] == "contributeurs")["liste"]
    assert FORMULA in listed


# --- Same bytes on any day ------------------------------------------------------------------------------


def _tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_a_day_apart_are_identical_to_the_byte(cli, content, tmp_path, monkeypatch):
    """The clock the whole process sees (time, datetime) is moved by a day between two full web builds."""
    time_machine = pytest.importorskip("time_machine")
    import mkdocs.utils

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    day = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    seen = []
    for n, when in enumerate((day, day + timedelta(days=1))):
        with time_machine.travel(when):
            seen.append(mkdocs.utils.get_build_date())
            run = cli(
                "--sans-pdf",
                "--content",
                str(content),
                "--site-dir",
                f"site{n}",
                "--cache-dir",
                str(tmp_path / f"cache{n}"),
            )
        assert run.code == 0, run.err
    assert seen == ["2026-03-14", "2026-03-15"]  # the build really saw two days
    first, second = _tree(tmp_path / "site0"), _tree(tmp_path / "site1")
    assert "sitemap.xml.gz" in first and len(first) > 50
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert b"<lastmod>2017-11-30</lastmod>" in first["sitemap.xml"]  # the latest issue's reference date


@pytest.mark.parametrize("value", ["48269000000000000000000000000", ".nan"])
def test_a_29_digit_value_in_the_publication_record_is_a_located_error(cli, content, value):
    """publie.yaml is written by `publier`; a hand-edited giant or not-a-number value is refused, not printed."""
    record = "bulletins/2017-11/publie.yaml"
    assert cli("publier", "2017-11", "--le", "2017-12-05", "--content", str(content)).code == 0
    edit(content / record, "qip.projets_en_cours: 121", f"qip.projets_en_cours: {value}")
    line = line_of(content / record, "qip.projets_en_cours:")
    err = refused(cli, content)
    assert problem(err, f"content/{record}:{line}").startswith(
        f"content/{record}:{line} — le registre de publication est abîmé : attendu un nombre.\n"
    )


# Fragments of YAML that make values in block and flow style, empty keys and values included.
_FRAGMENTS = [
    "a", "b c", ":", ": ", "- ", "-", "? ", ",", ", ", "[", "]", "{", "}", "\n", "\n  ", "  ", "'x'", '"y"',
    " #c", "---\n", "...\n", "|\n  t\n", ">-\n  t\n", "~", "2017-03-12", "1",
]  # fmt: skip


def test_most_values_is_never_fewer_than_the_parser_makes():
    """load.most_values decides whether a file must be scanned: it must bound every text libyaml parses
    (without anchors or aliases, which are looked for apart)."""
    import yaml
    from hypothesis import assume, given, settings
    from hypothesis import strategies as st

    from bulletin import load

    @settings(max_examples=1000, deadline=None)
    @given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join))
    def bounded(text: str) -> None:
        try:
            values = sum(isinstance(e, yaml.NodeEvent) for e in yaml.parse(text, Loader=load._BASE_LOADER))
        except yaml.YAMLError:
            assume(False)
        assert values <= load.most_values(text)

    bounded()
    # Every text of up to five of the characters that make values: "{a}", "[a:]", "? a", "-\n-"…
    for length in range(1, 6):
        for chars in itertools.product("a:-?,[]{} \n", repeat=length):
            text = "".join(chars)
            try:
                values = sum(isinstance(e, yaml.NodeEvent) for e in yaml.parse(text, Loader=load._BASE_LOADER))
            except yaml.YAMLError:
                continue
            assert values <= load.most_values(text), repr(text)
    for path in (ROOT / "tests/fixtures").rglob("*.yaml"):  # and every content file of the fixtures
        text = path.read_text(encoding="utf-8")
        if "&" not in text and "*" not in text:
            values = sum(isinstance(e, yaml.NodeEvent) for e in yaml.parse(text, Loader=load._BASE_LOADER))
            assert values <= load.most_values(text), path


# --- prose: lines and nestings no text has -------------------------------------------------------

PICTURE = "Voir la carte : ![carte](data:image/png;base64," + "iVBORw0KGgo" * 18_000 + ")"


LINKS = "[a](https://x.org/" * 500  # 9 000 characters a line: under any line limit, not under the paragraph's


@pytest.mark.parametrize(
    "text, message",
    [
        ("x" * 300_000, "caractères, plus que les 200\u202f000 d'un texte de bulletin"),
        ("[a](https://x.org/" * 10_000, "ce paragraphe fait 180\u202f001 caractères, plus que les 8\u202f000"),
        ("\n".join([LINKS] * 4), "ce paragraphe fait 36\u202f004 caractères, plus que les 8\u202f000"),
        ("<b " * 12_000, "ce paragraphe fait 36\u202f001 caractères"),
        (PICTURE, "ce paragraphe fait "),
        (">" * 300 + " texte", "ce texte imbrique 300 citations ou listes"),
        ("- " * 300 + "x", "ce texte imbrique 300 citations ou listes"),
        ("\n".join("    " * i + "- x" for i in range(300)), "ce texte imbrique 21 citations ou listes"),
        ("<blockquote>" * 300 + "x" + "</blockquote>" * 300, "ce texte imbrique 300 citations ou listes"),
        # A table's delimiter row under plain text (no table for Markdown) or rows without a « | » (the
        # table ends) does not make the lines after it rows: they are one paragraph.
        ("du texte\n:--|:--\n" + "\n".join([LINKS[:7_740]] * 4), "ce paragraphe fait "),
        ("a | b\n:--|:--\n" + "\n".join([LINKS[:7_740]] * 4), "ce paragraphe fait "),
    ],
    ids=["word", "links", "lines", "tags", "picture", "quotes", "lists", "indented", "html", "no-table", "table-ends"],
)
def test_a_line_or_a_nesting_no_prose_has_is_refused_at_once(content, tmp_path, text, message):
    """A 300 000-character word took minutes in the typography check (every start scanned the word
    again), 20 000 links minutes in Markdown, a pasted picture a minute and a 200 000-character message;
    300 nested quotes passed check and the PDF failed (RecursionError). Each is refused at its line, in
    seconds (a hang would hit the timeout), with a message of reasonable length."""
    role = content / "bulletins/2017-11/role.md"
    role.write_text(role.read_text(encoding="utf-8") + "\n\n" + text + "\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--content", str(content)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in run.stderr and run.returncode == 1, run.stderr[-2000:]
    located = [block for block in run.stderr.split("\n\n") if "role.md:" in block]
    assert located and all(len(row) < 400 for block in located for row in block.splitlines())
    assert any(re.search(rf"role\.md:\d+ — .*{re.escape(message)}", block) for block in located), located


def test_long_tables_rules_and_nested_lists_a_page_has_are_accepted(cli, content):
    """What the guards must let through: a table of 200 rows (each row is read apart), a horizontal rule
    typed « - - - … », a list nested three levels, a long paragraph."""
    role = content / "bulletins/2017-11/role.md"
    rows = "".join(f"| Projet numéro {i} à Gao | {i} 000 |\n" for i in range(200))
    # The same table written without its outer pipes, as Markdown allows: its rows were one paragraph.
    bare = "".join(f"Projet numéro {i} à Tombouctou | {i} 000\n" for i in range(250))
    nested = "- un\n    - deux\n        - trois\n"
    paragraph = "La section a suivi les projets de la région avec les partenaires. " * 100
    role.write_text(
        f"| Projet | Montant |\n|---|---|\n{rows}\nProjet | Montant\n--- | ---:\n{bare}\n{'- ' * 30}\n\n"
        f"{nested}\n{paragraph}\n",
        encoding="utf-8",
    )
    assert len(bare) > 8_000
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    assert "caractères, plus que" not in run.err and "imbrique" not in run.err


def test_a_long_word_or_address_is_still_only_checked_as_prose(cli, content):
    """The typography check's patterns now start only where a word or an address can start: what they
    find did not change (an address, a figure's placeholder, code are still not prose)."""
    role = content / "bulletins/2017-11/role.md"
    role.write_text(
        "Ecrivez à contact@un.org ou voir https://Etat.example/Etat, `Etat` et {{ qip.total }}.\n\n"
        "```\nEtat\n```\n\nL'Etat et 86.000 francs.\n",
        encoding="utf-8",
    )
    run = cli("check", "--content", str(content))
    found = [block.split(" — ", 1)[1].split("\n")[0] for block in run.err.split("\n\n") if "role.md:" in block]
    assert found == [
        "« Etat » : en français, les majuscules gardent leur accent.",
        "« 86.000 » : le point ne groupe pas les chiffres en français.",
    ], run.err


def test_a_fixed_pages_front_matter_is_read_within_the_bounds_and_its_keys(cli, content):
    """An alias bomb in « À propos »'s front matter passed check, and the build published a 104 MB page
    (one level more: a MemoryError); « template: » named a file for MkDocs to open. Both refused at
    their line; a front matter of comments, or the keys a page may set, pass."""
    about = content / "pages/a-propos.md"
    body = about.read_text(encoding="utf-8")
    levels = "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 7))
    about.write_text(
        f"---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n{levels}title: *a6\n---\n\n{body}", encoding="utf-8"
    )
    guide = content / "pages/guide/import.md"
    guide_text = guide.read_text(encoding="utf-8")
    guide.write_text(
        guide_text.replace("search:\n", "template: ../../../../etc/passwd\nsearch:\n", 1), encoding="utf-8"
    )
    err = refused(cli, content)
    assert re.search(r"content/pages/a-propos\.md:2 — .*ancres", err), err
    assert f"content/pages/guide/import.md:{line_of(guide, 'template:')} — « template » :" in err
    about.write_text(f"---\n# une note\n---\n\n{body}", encoding="utf-8")
    guide.write_text(guide_text.replace("search:\n", "title: Importer\nsearch:\n", 1), encoding="utf-8")
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err


@pytest.mark.parametrize("char, name", [("\u2028", "séparateur de lignes (Word)"), ("\x85", "passage à la ligne")])
def test_a_line_break_yaml_reads_but_no_editor_shows_is_named_at_its_line(cli, content, char, name):
    """A Word line separator inside a text read as « il manque « : » après une clé » on the next line,
    and hid an unknown project elsewhere in the file: now named at its line and column, the rest read."""
    issue = content / "bulletins/2017-11/bulletin.yaml"
    edit(issue, "projet: QIP-2017-04", "projet: QIP-2017-99")
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("- texte: Discussions de", f"- texte: Discussions{char} de", 1), encoding="utf-8")
    err = refused(cli, content)
    line = 1 + text[: text.index("- texte: Discussions de")].count("\n")
    assert f"content/bulletins/2017-11/bulletin.yaml:{line} — caractère invisible interdit" in err and name in err
    unknown = 1 + text[: text.index("QIP-2017-99")].count("\n")  # str.splitlines would count the break too
    assert f"content/bulletins/2017-11/bulletin.yaml:{unknown} — " in err
    assert "mal formé" not in err
