"""`python build.py nouveau AAAA-MM`: a new issue made from the previous one, that check accepts as it is.

Every case runs the command line in-process on a private copy of the shipped content, from the folder
that holds it, as the author does.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from bulletin.errors import BUILD
from bulletin.new_issue import source_month

from .conftest import ISSUE, edit, line_of

STABLE = ("role.md", "remerciements.md", "qip.md", "fonds-fiduciaire.md", "pbf.md")
EMPTY_FIX = (
    "Ajoutez ses éléments (voir l'exemple en commentaire), ou laissez-la vide si le mois n'en a pas : "
    "la page l'omettra."
)


@pytest.fixture(autouse=True)
def author_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


STATUS_FIX = (
    "Ajoutez à ses jalons ce qui s'est passé : « remise: AAAA-MM-JJ » (remis aux bénéficiaires), "
    "« cloture: AAAA-MM-JJ » (clôturé), ou une prolongation "
    "« prolongations: [{debut: AAAA-MM-JJ, fin: AAAA-MM-JJ}] »."
)


def december_status_warnings(content: Path) -> set[tuple[str, str, str]]:
    """At 31 December 2017 two projects of the frozen register are past their planned end (30 November,
    19 December) with nothing recorded since: `check` asks what happened (« statut à confirmer »)."""
    out = set()
    for name, project_id in (("qip", "QIP-2017-02"), ("ff", "FF-2017-08")):
        path = content / f"registre/projets/{name}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines()
        start = line_of(path, f"id: {project_id}")
        line = next(n for n in range(start, len(lines) + 1) if lines[n - 1].strip() == "jalons:")
        out.add((f"content/registre/projets/{name}.yaml:{line}", "jalons", STATUS_FIX))
    return out


def new(cli, content: Path, mois: str = "2017-12", command: str = "nouveau"):
    """Run from the folder that holds content/, named as the author names it."""
    assert content == Path.cwd() / "content"
    return cli(command, mois, "--content", "content")


def warnings_of(cli, content: Path) -> set[tuple[str, str, str]]:
    """(file:line, field, fix) of each warning `check` reports; check itself must pass."""
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    assert "erreur" not in run.err.split("\n", 1)[0]
    found = set()
    for block in run.err.strip().split("\n\n")[1:]:
        match = re.match(r"^(\S+) — « (.+?) » : .*\n    → (.*)$", block, re.DOTALL)
        assert match, block
        found.add(match.groups())
    return found


_TYPOGRAPHY_FIX = re.compile(r"^Écrivez « [^»]+ »(\.|, les milliers séparés)")


def without_copied_typography(after: set, before: set) -> set:
    """The warnings without the typography suggestions (tests/test_typography_pages.py) that the stable texts
    copied from November bring to December: the same words and numbers, suggested again at their new lines."""
    copied = {w for w in after - before if "/2017-12/" in w[0] and _TYPOGRAPHY_FIX.match(w[2])}
    assert copied, "the copied presentation texts keep November's « Etat »"
    assert {w[1:] for w in copied} <= {w[1:] for w in before if _TYPOGRAPHY_FIX.match(w[2])}
    return after - copied


def lines_of(path: Path, text: str) -> list[int]:
    return [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == text]


def uncomment_examples(text: str) -> str:
    """Do what the header of bulletin.yaml tells the author: drop each `key: []`, uncomment its example."""
    lines = text.splitlines()
    out: list[str] = []
    for line in lines:
        match = re.fullmatch(r"( *)(\w+): \[\]", line)
        if not match:
            out.append(line)
            continue
        pad, key = match.groups()
        start = max(i for i, previous in enumerate(out) if previous == f"{pad}# {key}:")
        example = out[start:]
        assert all(e.startswith(pad + "#") for e in example), example
        out[start:] = [pad + e[len(pad) + 2 :] if e != pad + "#" else "" for e in example]
    return "\n".join(out) + "\n"


# --- The issue it makes -------------------------------------------------------------------------


def test_new_issue_passes_check_with_only_the_empty_section_warnings(cli, content):
    """check: exit 0; beyond the shipped content's own warnings, exactly the four empty monthly sections (and
    the two projects whose status December cannot know: see december_status_warnings)."""
    before = warnings_of(cli, content)
    assert {w for w in before if "plans/liptako-gourma-2024.yaml:" in w[0]}, "the plan's known warnings"
    run = new(cli, content)
    assert run.code == 0, run.err
    made = content / "bulletins/2017-12/bulletin.yaml"
    where = lambda line: f"content/bulletins/2017-12/bulletin.yaml:{line}"  # noqa: E731
    expected = {
        (where(lines_of(made, "faits_saillants: []")[0]), "faits_saillants", EMPTY_FIX),
        (where(lines_of(made, "coordination: []")[0]), "coordination", EMPTY_FIX),
    }
    expected |= {(where(n), "faits_marquants", EMPTY_FIX) for n in lines_of(made, "  faits_marquants: []")}
    assert len(expected) == 4
    assert without_copied_typography(warnings_of(cli, content), before) == (
        before | expected | december_status_warnings(content)
    )


def test_new_issue_masthead_stable_parts_and_empty_sections(cli, content):
    new(cli, content)
    previous = yaml.safe_load((content / ISSUE).read_text(encoding="utf-8"))
    made = yaml.safe_load((content / "bulletins/2017-12/bulletin.yaml").read_text(encoding="utf-8"))
    assert made["mois"] == "2017-12"
    assert made["date_reference"] == dt.date(2017, 12, 31)
    assert "numero" not in made and "periode" not in made  # the previous issue has no numero
    assert made["faits_saillants"] == made["coordination"] == []
    assert made["qip"] == {"presentation": "qip.md", "faits_marquants": []}
    assert made["fonds_fiduciaire"] == {
        "presentation": "fonds-fiduciaire.md",
        "faits_marquants": [],
        "contributions": [],
        "approbations": previous["fonds_fiduciaire"]["approbations"],
    }
    for key in ("pbf", "contact", "archive", "role", "remerciements"):
        assert made[key] == previous[key], key


def test_the_commented_numero_line_stays_when_the_previous_issue_has_none(cli, content):
    new(cli, content)
    text = (content / "bulletins/2017-12/bulletin.yaml").read_text(encoding="utf-8")
    assert re.search(r"^# numero: \d+ +# facultatif", text, re.MULTILINE)


def test_numero_follows_the_previous_issue(cli, content):
    edit(content / ISSUE, "# numero: 12", "numero: 12")
    new(cli, content)
    made = yaml.safe_load((content / "bulletins/2017-12/bulletin.yaml").read_text(encoding="utf-8"))
    assert made["numero"] == 13


@pytest.mark.parametrize(
    "mois, date_reference",
    [("2018-02", dt.date(2018, 2, 28)), ("2020-02", dt.date(2020, 2, 29)), ("2018-04", dt.date(2018, 4, 30))],
)
def test_date_reference_is_the_last_day_of_the_month(cli, content, mois, date_reference):
    new(cli, content, mois)
    made = yaml.safe_load((content / f"bulletins/{mois}/bulletin.yaml").read_text(encoding="utf-8"))
    assert made["date_reference"] == date_reference


def test_stable_files_are_copied_unchanged(cli, content):
    new(cli, content)
    folder = content / "bulletins/2017-12"
    assert sorted(p.name for p in folder.iterdir()) == sorted(("bulletin.yaml",) + STABLE)
    for name in STABLE:
        assert (folder / name).read_bytes() == (content / "bulletins/2017-11" / name).read_bytes(), name
    assert not list(content.glob(".nouveau-*")), "the staging folder is moved in place, not left behind"


def test_the_examples_uncommented_as_told_pass_check(cli, content):
    """Each monthly section's example is in the exact format: uncommented as is, check accepts it."""
    before = warnings_of(cli, content)
    new(cli, content)
    made = content / "bulletins/2017-12/bulletin.yaml"
    made.write_text(uncomment_examples(made.read_text(encoding="utf-8")), encoding="utf-8")
    filled = yaml.safe_load(made.read_text(encoding="utf-8"))
    assert [len(filled[k]) for k in ("faits_saillants", "coordination")] == [1, 1]
    assert len(filled["qip"]["faits_marquants"]) == 1
    assert [len(filled["fonds_fiduciaire"][k]) for k in ("faits_marquants", "contributions")] == [1, 1]
    assert without_copied_typography(warnings_of(cli, content), before) == before | december_status_warnings(content)


def test_values_that_need_quotes_are_carried_over_exactly(cli, content):
    """A colon, a hash or a number-like text in a stable value survives the trip through the template."""
    edit(
        content / ISSUE,
        "fonction: Chargé de Communication et Liaison (section S&R)",
        'fonction: "Chargé de communication : S&R #1"',
    )
    edit(content / ISSUE, "nom: Temur SHARPOV", 'nom: "2017"')
    new(cli, content)
    made = yaml.safe_load((content / "bulletins/2017-12/bulletin.yaml").read_text(encoding="utf-8"))
    assert made["contact"]["fonction"] == "Chargé de communication : S&R #1"
    assert made["contact"]["nom"] == "2017"


# --- Which issue it starts from ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "existing, mois, expected",
    [
        (("2017-11",), "2017-12", "2017-11"),
        (("2017-10", "2017-11", "2018-03"), "2018-01", "2017-11"),
        (("2017-11", "2018-03"), "2017-06", "2018-03"),  # none before it: the latest
        ((), "2017-12", None),
    ],
)
def test_source_month(existing, mois, expected):
    assert source_month(existing, mois) == expected


def test_the_latest_issue_before_the_month_is_the_source(cli, content):
    new(cli, content, "2017-12")
    edit(content / "bulletins/2017-12/bulletin.yaml", "# numero: 13 ", "numero: 40 ")
    new(cli, content, "2018-01")
    made = yaml.safe_load((content / "bulletins/2018-01/bulletin.yaml").read_text(encoding="utf-8"))
    assert made["numero"] == 41
    assert "à partir du numéro 2017-12" in (content / "bulletins/2018-01/bulletin.yaml").read_text(encoding="utf-8")


# --- What it says, and what it refuses ----------------------------------------------------------------


def test_report_names_the_folder_the_copies_and_the_next_commands(cli, content):
    run = new(cli, content)
    assert run.code == 0 and run.err == ""
    assert run.out.startswith("Numéro créé : content/bulletins/2017-12/ (à partir du numéro 2017-11)\n")
    assert f"copiés tels quels : {', '.join(STABLE)}\n" in run.out
    assert "Remplissez les rubriques du mois dans content/bulletins/2017-12/bulletin.yaml" in run.out
    for command in ("check", "serve"):
        assert f"{BUILD} {command} --content content " in run.out
    assert f"{BUILD} --content content " in run.out


def test_new_is_an_alias(cli, content):
    run = new(cli, content, command="new")
    assert run.code == 0, run.err
    assert (content / "bulletins/2017-12/bulletin.yaml").is_file()


def test_an_existing_issue_is_never_overwritten(cli, content):
    """exit 1, the French refusal says how to go on, and the folder is left exactly as it was."""
    new(cli, content)
    folder = content / "bulletins/2017-12"
    edit(folder / "bulletin.yaml", "coordination: []", "coordination: []  # travail en cours")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    run = new(cli, content)
    assert run.code == 1
    assert run.out == ""
    assert run.err == (
        "content/bulletins/2017-12 — le numéro 2017-12 existe déjà : rien n'a été modifié.\n"
        "    → Pour continuer ce numéro, modifiez directement son bulletin.yaml. Pour repartir de "
        "zéro, déplacez d'abord ce dossier hors de bulletins/ (pour en garder une copie) ou "
        f"supprimez-le, puis relancez : {BUILD} nouveau 2017-12\n"
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_the_shipped_issue_itself_is_refused(cli, content):
    before = (content / ISSUE).read_bytes()
    assert new(cli, content, "2017-11").code == 1
    assert (content / ISSUE).read_bytes() == before


@pytest.mark.parametrize(
    "mois, said",
    [
        ("2017-13", "« 2017-13 » n'est pas un mois de la forme AAAA-MM"),
        ("nov-2017", "« nov-2017 » n'est pas un mois de la forme AAAA-MM"),
        ("2017-1", "« 2017-1 » n'est pas un mois de la forme AAAA-MM"),
        (None, "il manque le mois du numéro"),
    ],
)
def test_malformed_month_is_a_usage_error(cli, capsys, content, mois, said):
    with pytest.raises(SystemExit) as exc:
        cli("nouveau", *([mois] if mois else []), "--content", str(content))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"Erreur d'utilisation : {said} ; « nouveau » attend par exemple : {BUILD} nouveau 2017-12\n" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in (content / "bulletins").iterdir()) == ["2017-11"]


def test_a_broken_previous_issue_is_reported_and_nothing_is_made(cli, content):
    edit(content / ISSUE, "archive: https://", "archive: : https://")
    run = new(cli, content)
    assert run.code == 1
    assert run.err.startswith(f"content/{ISSUE}:{line_of(content / ISSUE, 'archive: : https://')} — ")
    assert "le fichier YAML est mal formé" in run.err
    assert not (content / "bulletins/2017-12").exists()
    assert not list(content.glob(".nouveau-*"))


def test_no_issue_to_start_from(cli, tmp_path):
    (tmp_path / "vide/bulletins").mkdir(parents=True)
    run = cli("nouveau", "2017-12", "--content", "vide")
    assert run.code == 1
    assert run.err.startswith("vide/bulletins — aucun numéro existant à reprendre")
    assert not (tmp_path / "vide/bulletins/2017-12").exists()


def test_a_bilingual_issues_english_stable_parts_come_with_the_french(cli, content):
    """The English of the stable texts (role.en.md beside role.md…) and of the contact's function and the
    approvals' sentences is carried over as the French is: it translates what is carried over."""
    from .conftest import translate

    translate(content)
    run = new(cli, content)
    assert run.code == 0, run.err
    previous, folder = content / "bulletins/2017-11", content / "bulletins/2017-12"
    english = sorted(p.name for p in previous.glob("*.en.md"))
    assert english and sorted(p.name for p in folder.glob("*.en.md")) == english
    for name in english:
        assert (folder / name).read_bytes() == (previous / name).read_bytes(), name
    was = yaml.safe_load((previous / "bulletin.yaml").read_text(encoding="utf-8"))
    made = yaml.safe_load((folder / "bulletin.yaml").read_text(encoding="utf-8"))
    assert made["contact"]["fonction_en"] == was["contact"]["fonction_en"]
    for key in ("introduction_en", "conclusion_en"):
        assert made["fonds_fiduciaire"]["approbations"][key] == was["fonds_fiduciaire"]["approbations"][key]
    run = cli("check", "--content", str(content))
    assert run.code == 0 and "attendent leur traduction" not in run.err, run.err
