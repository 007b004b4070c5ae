"""Bad input: the author reads where (file:line), what was expected and how to fix it — in French.

Every case mutates a private copy of the shipped content and runs the command line in-process.
Tests run from the folder that holds that copy, as the author does, so messages show content/…:line.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from .conftest import ISSUE, ROOT, edit, line_of

QIP = "registre/projets/qip.yaml"
FF = "registre/projets/ff.yaml"
QIP_MD = "bulletins/2017-11/qip.md"


@pytest.fixture(autouse=True)
def author_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run beside content/, as the author does: paths in messages are then relative."""
    monkeypatch.chdir(tmp_path)


def at(content: Path, rel: str, needle: str) -> str:
    """'content/<rel>:<line>' as the author sees it; the line is looked up in the mutated file."""
    return f"content/{rel}:{line_of(content / rel, needle)}"


def check_fails(cli, content: Path, count: int | None = None) -> str:
    """Run `check` on broken content: exit 1, no traceback, the French report on stderr only."""
    run = cli("check", "--content", str(content))
    assert "Traceback" not in run.out + run.err
    assert run.code == 1, run.err
    assert run.out == ""
    if count is not None:
        assert reported(run.err) == count, run.err
    return run.err


def reported(err: str) -> int:
    """Number of errors announced in the report's header, checked against the problems listed."""
    match = re.search(r"^(\d+) erreurs? dans le contenu :$", err, re.MULTILINE)
    assert match, err
    errors_block = re.split(r"^\d+ avertissements? dans le contenu :$", err, flags=re.MULTILINE)[0]
    assert errors_block.count("\n    → ") == int(match[1]), err
    return int(match[1])


def problem_at(err: str, where: str) -> str:
    """The single problem reported at `where` (its line and its '→ fix' line)."""
    found = [block for block in err.split("\n\n") if block.startswith(f"{where} — ")]
    assert len(found) == 1, f"expected one problem at {where}, got:\n{err}"
    return found[0]


# --- 1. Malformed YAML ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, needle, detail",
    [
        ("  debut: 2017-10-30", "\tdebut: 2017-10-30", "\tdebut", "tabulation interdite"),
        (
            "  courriel: sharopov@un.org",
            '  courriel: "sharopov@un.org',
            'courriel: "',
            "un guillemet ouvert ici n'est jamais refermé",
        ),
        (
            "fonction: Chargé de Communication et Liaison",
            "fonction: Chargé de Communication: Liaison",
            "Communication: Liaison",
            "un « : » de trop — mettez le texte entre guillemets",
        ),
        (
            "  courriel: sharopov@un.org",
            '  courriel: "S:\\Communication\\Bulletin"',
            'courriel: "S:',
            "une barre oblique inverse « \\ » entre guillemets doubles (un chemin Windows ?)",
        ),
        (
            "  courriel: sharopov@un.org",
            "  courriel: [sharopov@un.org, dupont@un.org",
            "remerciements: remerciements.md",  # where the parser finds it unclosed: the next line
            "une liste entre crochets [ … ] n'est pas refermée",
        ),
        (
            "  courriel: sharopov@un.org",
            "  courriel: @sharopov",
            "courriel: @",
            "une valeur commence par un caractère réservé",
        ),
    ],
    ids=["tabulation", "guillemet-non-ferme", "deux-points-dans-un-texte", "chemin-windows", "crochet", "arobase"],
)
def test_malformed_yaml(cli, content, old, new, needle, detail):
    """bulletin.yaml:N — le fichier YAML est mal formé (…), at the line of the mistake itself."""
    edit(content / ISSUE, old, new)
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, ISSUE, needle))
    assert f"le fichier YAML est mal formé ({detail}" in problem and problem.split("\n")[0].endswith(").")
    assert "did not" not in problem and "found" not in problem  # the parser's English words are not shown
    assert "→ Vérifiez l'indentation (des espaces, jamais de tabulations)" in problem


@pytest.mark.parametrize(
    "rel, needle", [(ISSUE, "nom: Temur SHARPOV"), (QIP_MD, "Pour plus d'information")], ids=["yaml", "markdown"]
)
def test_file_not_saved_in_utf8(cli, content, rel, needle):
    """qip.md:N — le fichier ne peut pas être lu (octet …) → Enregistrez le fichier en UTF-8."""
    path = content / rel
    line = line_of(path, needle)
    path.write_bytes(path.read_bytes().replace(needle.encode(), needle.encode() + " été".encode("cp1252"), 1))
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, f"content/{rel}:{line}")
    assert "le fichier ne peut pas être lu (octet " in problem
    assert "→ Enregistrez le fichier en UTF-8 depuis votre éditeur de texte." in problem


# --- 2. and 3. Fields: missing, mistyped ------------------------------------------------------


def _remove_title(content: Path) -> None:
    edit(content / QIP, "  titre: Unité avicole de 1 000 poules pondeuses à Bara\n", "")


def test_missing_required_field(cli, content):
    """qip.yaml:N — « titre » : champ obligatoire absent ; attendu un texte. → Ajoutez par exemple : titre: ..."""
    _remove_title(content)
    err = check_fails(cli, content)
    problem = problem_at(err, at(content, QIP, "id: QIP-2017-02"))
    assert "« titre » : champ obligatoire absent ; attendu un texte." in problem
    assert "→ Ajoutez par exemple : titre: ..." in problem


def test_empty_required_text_is_reported(cli, content):
    """ff.yaml:N — « titre » : champ obligatoire absent — an empty "" title no longer drops the project silently."""
    edit(content / FF, "titre: Prévention et atténuation des conflits et des violences liés aux élections", 'titre: ""')
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, FF, 'titre: ""'))
    assert "« titre » : champ obligatoire absent ; attendu un texte." in problem


def test_a_milestone_written_a_level_too_far_left_is_named_as_such(cli, content):
    """`jalons:` then `remise:` at the project's own indentation: check said « jalons : champ obligatoire
    absent » at the project's first line and « remise : champ inconnu. Vouliez-vous dire « devise » ? »."""
    edit(content / QIP, "  jalons:\n    remise: 2017-11-01\n", "  jalons:\n  remise: 2017-11-01\n")
    err = check_fails(cli, content, count=2)
    remise = line_of(content / QIP, "  remise: 2017-11-01")
    empty = problem_at(err, f"content/{QIP}:{remise - 1}")
    assert "« jalons » : le champ est là mais vide ; attendu un tableau de champs." in empty
    assert "décalez-les de deux espaces de plus que « jalons: »" in empty
    misplaced = problem_at(err, at(content, QIP, "  remise: 2017-11-01"))
    assert "« remise » : ce champ va sous « jalons », pas à ce niveau." in misplaced
    assert "devise" not in err and "champ obligatoire absent" not in err


def test_an_empty_text_field_is_named_at_its_own_line(cli, content):
    edit(content / QIP, "  titre: Unité avicole de 1 000 poules pondeuses à Bara\n", "  titre:\n")
    err = check_fails(cli, content, count=1)
    bara = line_of(content / QIP, "id: QIP-2017-02")
    problem = problem_at(err, f"content/{QIP}:{bara + 2}")
    assert "« titre » : le champ est là mais vide ; attendu un texte." in problem
    assert "décalez" not in problem  # a text has no lines of its own below it


def test_incomplete_project_is_not_also_called_unknown(cli, content):
    """Only the missing title is reported, not a second, misleading « le projet n'existe pas »."""
    _remove_title(content)
    check_fails(cli, content, count=1)


@pytest.mark.parametrize(
    "rel, old, new, needle",
    [
        ("registre/contributions.yaml", "  bailleur: Suède", "  bailleur Suède", "bailleur Suède"),
        (QIP, "  titre: Appui aux pépiniéristes", "  titre Appui aux pépiniéristes", "titre Appui"),
    ],
    ids=["contributions", "projets"],
)
def test_an_unreadable_register_file_is_the_only_error_not_the_entries_it_holds(cli, content, rel, old, new, needle):
    """Found by a new user: a colon forgotten in contributions.yaml was reported first as « contribution
    CONTRIB-2017-SUEDE inconnu(e) : la liste est vide → Ajoutez-le », sending the author to add back an
    entry that is there. The file's own error is the one to read."""
    edit(content / rel, old, new)
    err = check_fails(cli, content, count=1)
    assert "le fichier YAML est mal formé" in problem_at(err, at(content, rel, needle))
    assert "inconnu" not in err and "n'existe pas" not in err


def test_mistyped_field_name(cli, content):
    """bulletin.yaml:N — « date_referance » : champ inconnu. Vouliez-vous dire « date_reference » ?"""
    edit(content / ISSUE, "date_reference: 2017-11-30", "date_referance: 2017-11-30")
    err = check_fails(cli, content, count=2)
    problem = problem_at(err, at(content, ISSUE, "date_referance"))
    assert "« date_referance » : champ inconnu. Vouliez-vous dire « date_reference » ?" in problem
    assert "→ Champs possibles ici : mois, date_reference, numero, periode," in problem
    # The correctly spelt field is then indeed absent: said once, at the top of the file.
    absent = problem_at(err, at(content, ISSUE, "mois: 2017-11"))
    assert "« date_reference » : champ obligatoire absent ; attendu une date AAAA-MM-JJ." in absent


# --- 4. and 5. Identifiers and reference lists --------------------------------------------------


def test_unknown_project_in_event(cli, content):
    """bulletin.yaml:N — « projet » : le projet « QIP-2017-99 » n'existe pas dans le registre (only that)."""
    edit(content / ISSUE, "projet: QIP-2017-02", "projet: QIP-2017-99")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, ISSUE, "projet: QIP-2017-99"))
    assert "« projet » : le projet « QIP-2017-99 » n'existe pas dans le registre." in problem
    assert "→ Ajoutez le projet dans content/registre/projets/ ou corrigez son identifiant." in problem


@pytest.mark.parametrize(
    "rel, old, new, expected, choices",
    [
        (
            QIP,
            "regions: [gao]",
            "regions: [gaoo]",
            "« regions » : région « gaoo » inconnue. Vouliez-vous dire « gao » ?",
            "Choisissez parmi : kayes, koulikoro, sikasso, segou, mopti, tombouctou, taoudenit, gao, menaka, kidal,",
        ),
        (
            FF,
            "fonds: ff\n  titre: Prévention",
            "fonds: fff\n  titre: Prévention",
            "« fonds » : fonds « fff » inconnu. Vouliez-vous dire « ff » ?",
            "Choisissez parmi : ff, pbf, qip",
        ),
    ],
    ids=["region", "fonds"],
)
def test_unknown_value_of_a_reference_list(cli, content, rel, old, new, expected, choices):
    """qip.yaml:N — région « gaoo » inconnue → Choisissez parmi : kayes, … — ou ajoutez-la dans …"""
    edit(content / rel, old, new)
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, rel, new.split("\n")[0]))
    assert expected in problem
    assert f"→ {choices}" in problem
    it = "la" if rel == QIP else "le"  # « une région », « un fonds »
    assert f"— ou ajoutez-{it} dans content/registre/references.yaml." in problem


def test_an_unknown_event_type_is_chosen_from_the_closed_list_not_added_to_the_guide(cli, content):
    """Found by a new user: the fix read « ou ajoutez-le dans la liste du guide de l'auteur », and editing
    the guide makes no type valid."""
    edit(content / ISSUE, "type: visite\n      projet: QIP-2017-02", "type: visit\n      projet: QIP-2017-02")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, ISSUE, "type: visit\n"[:-1]))
    assert "« type » : type d'événement « visit » inconnu. Vouliez-vous dire « visite » ?" in problem
    assert problem.split("→ ")[1].startswith("Choisissez parmi : ") and problem.endswith(".")
    assert "ajoutez" not in problem and "guide" not in problem


def test_duplicate_project_id(cli, content):
    """qip.yaml:N — « id » : l'identifiant « QIP-2017-01 » est déjà utilisé (qip.yaml:7)."""
    edit(
        content / QIP,
        "  lien: http://bit.ly/2B4wjEu\n",
        "  lien: http://bit.ly/2B4wjEu\n\n"
        "- id: QIP-2017-01   # doublon\n  fonds: qip\n  titre: Doublon\n  montant: 1000\n"
        "  jalons:\n    remise: 2017-11-01\n",
    )
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, QIP, "# doublon"))
    first = at(content, QIP, "id: QIP-2017-01")
    assert f"« id » : l'identifiant « QIP-2017-01 » est déjà utilisé ({first})." in problem
    assert "→ Chaque identifiant doit être unique : changez l'un des deux." in problem


def test_duplicate_item_id_in_issue(cli, content):
    """bulletin.yaml:N — « id » : l'identifiant « crzpc-kidal » est déjà utilisé (bulletin.yaml:43)."""
    edit(content / ISSUE, "id: faim-zero", "id: crzpc-kidal   # doublon")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, ISSUE, "# doublon"))
    first = at(content, ISSUE, "id: crzpc-kidal")
    assert f"« id » : l'identifiant « crzpc-kidal » est déjà utilisé ({first})." in problem
    assert "→ Chaque identifiant doit être unique" in problem


def test_project_listed_twice_in_the_pbf_list(cli, content):
    """A PBF project named twice would be printed, and counted, twice: refused where the second one is."""
    edit(content / ISSUE, "projets: [PBF-2015-1, PBF-2015-2,", "projets: [PBF-2015-1, PBF-2015-2, PBF-2015-1,")
    err = check_fails(cli, content, count=1)
    where = at(content, ISSUE, "projets: [PBF-2015-1")
    problem = problem_at(err, where)
    assert f"« projets » : le projet « PBF-2015-1 » est déjà cité dans cette liste ({where})." in problem
    assert "→ Supprimez la ligne en double" in problem


def test_highlight_points_to_no_item(cli, content):
    """bulletin.yaml:N — « renvoi » : aucun élément du bulletin ne porte l'identifiant « crzpc-kidall »."""
    edit(content / ISSUE, "renvoi: crzpc-kidal", "renvoi: crzpc-kidall")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, ISSUE, "renvoi: crzpc-kidall"))
    assert (
        "« renvoi » : aucun élément du bulletin ne porte l'identifiant « crzpc-kidall ». "
        "Vouliez-vous dire « crzpc-kidal » ?"
    ) in problem
    assert "→ Identifiants disponibles dans ce bulletin : reunion-banque-mondiale, crzpc-kidal," in problem


# --- 6. and 13. Dates against the issue and the register ----------------------------------------


def test_date_outside_issue_period(cli, content):
    """bulletin.yaml:N — « date » : la date 2017-12-05 est hors de la période du bulletin (2017-10-30 – …)."""
    edit(content / ISSUE, "date: 2017-11-10", "date: 2017-12-05")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, ISSUE, "date: 2017-12-05"))
    assert "« date » : la date 2017-12-05 est hors de la période du bulletin (2017-10-30 – 2017-11-30)." in problem
    assert "→ Corrigez la date, ou élargissez la période du bulletin" in problem


def test_remise_not_in_register(cli, content):
    """bulletin.yaml:N — the register dates the handover of « QIP-2017-03 » on another day: say which, and where."""
    edit(content / ISSUE, "date: 2017-11-16", "date: 2017-11-15   # la veille")  # 2017-11-15 also dates another item
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, ISSUE, "# la veille"))
    jalons = line_of(content / "registre/projets/qip.yaml", "remise: 2017-11-16") - 1
    assert (
        f"« type » : le registre date la remise du projet « QIP-2017-03 » du 2017-11-16 "
        f"(content/registre/projets/qip.yaml:{jalons}), pas du 2017-11-15."
    ) in problem
    assert "→ Corrigez la date de l'événement, ou celle du registre si c'est elle qui est fausse." in problem


def test_handover_of_a_project_without_one_in_register(cli, content):
    """bulletin.yaml:N — no handover at all in the register: add it there (file:line given)."""
    edit(content / ISSUE, "type: visite\n      projet: QIP-2017-02", "type: remise\n      projet: QIP-2017-02")
    err = check_fails(cli, content, count=1)
    assert "« type » : le registre n'indique pas de remise du projet « QIP-2017-02 » le 2017-11-10." in err
    jalons = line_of(content / "registre/projets/qip.yaml", "debut: 2017-06-01") - 1
    assert (
        f"→ Ajoutez « remise: 2017-11-10 » dans les jalons du projet (content/registre/projets/qip.yaml:{jalons})"
        in err
    )


@pytest.mark.parametrize("written", ["16/11/2017", "16.11.2017", "16-11-2017"])
def test_a_handover_date_written_day_first_is_one_error_whose_fix_is_that_date(cli, content, written):
    """Found by a new user: « remise: 31/12/2018 » in the register was reported, then the issue's event
    of that handover was told the register has none (« Ajoutez remise: … », a second remise line), and
    the example date was not the one typed."""
    edit(content / QIP, "    remise: 2017-11-16", f"    remise: {written}")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, QIP, f"remise: {written}"))
    assert f"attendu une date AAAA-MM-JJ, trouvé « {written} »." in problem
    assert problem.endswith("→ Écrivez par exemple : remise: 2017-11-16")


def test_a_milestone_written_wrong_still_lets_the_projects_other_checks_run(cli, content):
    """A second reading: marking the project left out hid that an issue cited it under the wrong fund,
    which showed only once the date was fixed. Every error at once."""
    edit(content / QIP, "    fin_prevue: 2017-11-30   # durée de six mois", "    fin_prevue: 30/11/2017")
    edit(content / ISSUE, "      projet: FF-2017-07", "      projet: QIP-2017-02")
    err = check_fails(cli, content, count=2)
    assert "« fin_prevue » : attendu une date AAAA-MM-JJ, trouvé « 30/11/2017 »." in err
    assert "le projet « QIP-2017-02 » relève du fonds « qip », pas du fonds « ff »" in err


def test_milestones_that_hold_no_date_are_an_error_not_a_project_dropped_quietly(cli, content):
    """A second reading: « prolongations: [] » as the only milestone passed check, and the build then
    failed on the issue's event of that project (a traceback)."""
    edit(content / QIP, "    remise: 2017-11-01", "    prolongations: []")
    err = check_fails(cli, content)
    assert "« jalons » : champ obligatoire absent ; attendu au moins une date." in err


@pytest.mark.parametrize(
    "nothing", ["# à remplir\n", "---\n", "~\n", "\ufeff\n"], ids=["comment", "document", "null", "bom"]
)
def test_an_empty_register_file_does_not_hide_an_unknown_project(cli, content, nothing):
    """Only a file that cannot be read may hold the entries an issue cites; an empty one holds none."""
    (content / "registre/projets/autres.yaml").write_text(nothing, encoding="utf-8")
    edit(content / ISSUE, "      projet: QIP-2017-01", "      projet: QIP-2017-09")
    err = check_fails(cli, content)
    assert "le projet « QIP-2017-09 » n'existe pas dans le registre." in err


@pytest.mark.parametrize(
    "old, key",
    [
        ("date: 2017-11-10", "date"),  # an event: optional date
        ("date_reference: 2017-11-30", "date_reference"),  # the issue: required date
        ("date_reference: 2017-02-28", "date_reference"),  # the PBF section: required date
    ],
    ids=["evenement", "bulletin", "pbf"],
)
def test_impossible_date(cli, content, old, key):
    """bulletin.yaml:N — « date » : attendu une date qui existe, trouvé « 2017-02-30 » (said once)."""
    edit(content / ISSUE, old, f"{key}: 2017-02-30")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, ISSUE, f"{key}: 2017-02-30"))
    assert f"« {key} » : attendu une date qui existe, trouvé « 2017-02-30 »." in problem
    assert f"→ Écrivez par exemple : {key}: " in problem


# --- 8., 9. and 14. Files, amounts, placeholders -------------------------------------------------


def test_markdown_file_absent(cli, content):
    """bulletin.yaml:N — « presentation » : le fichier « qip-absent.md » est introuvable."""
    edit(content / ISSUE, "presentation: qip.md", "presentation: qip-absent.md")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, ISSUE, "presentation: qip-absent.md"))
    assert "« presentation » : le fichier « qip-absent.md » est introuvable." in problem
    assert "→ Créez ce fichier dans le même dossier ou corrigez son nom" in problem


@pytest.mark.parametrize(
    "written, shown",
    [
        ('"48.269 dollars"', "48.269 dollars"),
        ("48.269 dollars", "48.269 dollars"),
        ("48 269", "48 269"),
    ],
    ids=["entre-guillemets", "sans-guillemets", "espace-de-milliers"],
)
def test_amount_written_as_text(cli, content, written, shown):
    """qip.yaml:N — « montant » : attendu un montant en chiffres, sans espace ni point de milliers."""
    edit(content / QIP, "montant: 48269", f"montant: {written}")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, QIP, f"montant: {written}"))
    assert (
        f"« montant » : attendu un montant en chiffres, sans espace ni point de milliers, trouvé « {shown} »."
        in problem
    )
    assert "→ Écrivez par exemple : montant: 48269" in problem


def test_unknown_placeholder_in_markdown(cli, content):
    """qip.md:3 — « {{ qip.inconnu }} » : ce chiffre calculé n'existe pas (line counted inside the .md file)."""
    edit(content / QIP_MD, "Tous les projets", "Tous les {{ qip.inconnu }} projets")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, QIP_MD, "{{ qip.inconnu }}"))
    assert "« {{ qip.inconnu }} » : ce chiffre calculé n'existe pas." in problem
    assert "→ Chiffres disponibles ici : qip.plafond, qip.duree_max," in problem


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("{{ 7*7 }}", "{{ 7*7 }}"),
        ("{{ qip.montant | safe }}", "{{ qip.montant | safe }}"),
        ("{{ qip . montant }}", "{{ qip . montant }}"),
        ("{{ qip.montant } projets", "{{ qip.montant } projets projets"),  # cut at 40 characters
    ],
    ids=["calcul", "filtre", "espaces", "accolade"],
)
def test_a_placeholder_that_names_no_figure_is_located(cli, content, typed, shown):
    """Only « {{ name }} » is filled: anything else between braces was published as typed, braces and all."""
    edit(content / QIP_MD, "Tous les projets", f"Tous les {typed} projets")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, QIP_MD, typed))
    assert f"« {shown}" in problem
    assert "» : ce n'est pas un chiffre calculé : entre « {{ » et « }} » vient seulement" in problem
    assert "→ Écrivez par exemple {{ qip.plafond }} ; chiffres disponibles ici : qip.plafond," in problem


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("{% if qip.total > 10 %}", "{% if qip.total > 10 %}"),
        ("{# à revoir #}", "{# à revoir #}"),
        ("{% raw", "{%"),
    ],
    ids=["instruction", "commentaire", "ouverte"],
)
def test_a_template_statement_in_a_text_is_located(cli, content, typed, shown):
    """Copied from a template: read nowhere, it was published as typed. In code (`…`) it is shown on purpose."""
    edit(content / QIP_MD, "Tous les projets", f"Tous les {typed} projets")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, QIP_MD, typed))
    assert f"« {shown} » : les instructions entre « {{% » et « %}} »" in problem
    assert "→ Retirez-les. Pour un chiffre calculé, écrivez seulement son nom" in problem
    edit(content / QIP_MD, f"Tous les {typed} projets", f"Tous les `{typed}` projets")
    assert cli("check", "--content", str(content)).code == 0


def test_a_web_pages_header_at_the_top_of_a_text_is_refused(cli, content):
    """« ---\ntitle: …\n--- » at the top of a text: Markdown printed « title: … » as a heading."""
    text = (content / QIP_MD).read_text(encoding="utf-8")
    (content / QIP_MD).write_text(f"---\ntitle: QIP\nauthor: Section S&R\n---\n{text}", encoding="utf-8")
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, f"content/{QIP_MD}:1")
    assert "« --- » : ce texte commence par un en-tête entre deux lignes « --- »" in problem
    assert "→ Retirez ces lignes, de la première « --- » à la seconde comprise" in problem


# --- 11. YAML tags -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, tag",
    [
        ('!!python/object/apply:os.system ["touch {marker}"]', "!!python/object/apply:os.system"),
        ('!!python/object/new:os.system {{args: ["touch {marker}"]}}', "!!python/object/new:os.system"),
        ('!!python/name:os.system ""', "!!python/name:os.system"),
    ],
    ids=["apply-liste", "new-tableau", "name-texte"],
)
def test_python_tag_is_refused_and_nothing_runs(cli, content, tmp_path, value, tag):
    """qip.yaml:N — l'étiquette YAML « !!python/… » n'est pas autorisée; the command is never run."""
    marker = tmp_path / "pirate"
    edit(content / QIP, "lien: http://bit.ly/2EKwwyS", "lien: " + value.format(marker=marker))
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, QIP, "lien: !!python"))
    assert f"l'étiquette YAML « {tag} » n'est pas autorisée." in problem
    assert "→ Retirez l'étiquette (le mot qui commence par « ! »)" in problem
    assert not marker.exists()


# --- 15. All problems of a run at once ----------------------------------------------------------------


def test_all_problems_reported_in_one_run(cli, content):
    """4 erreurs dans le contenu : one per broken file, each at its file:line, exit code 1."""
    edit(content / QIP, "montant: 48269", 'montant: "48.269 dollars"')
    edit(content / FF, "fonds: ff\n  titre: Prévention", "fonds: fff\n  titre: Prévention")
    edit(content / ISSUE, "date: 2017-11-10", "date: 2017-12-05")
    edit(content / QIP_MD, "Tous les projets", "Tous les {{ qip.inconnu }} projets")
    err = check_fails(cli, content, count=4)
    assert err.startswith("4 erreurs dans le contenu :")
    assert "attendu un montant en chiffres" in problem_at(err, at(content, QIP, 'montant: "48.269'))
    assert "fonds « fff » inconnu." in problem_at(err, at(content, FF, "fonds: fff"))
    assert "hors de la période du bulletin" in problem_at(err, at(content, ISSUE, "date: 2017-12-05"))
    assert "ce chiffre calculé n'existe pas" in problem_at(err, at(content, QIP_MD, "qip.inconnu"))


# --- 16. A failed build keeps the previous site --------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_failed_build_leaves_previous_site_untouched(cli, content, tmp_path):
    """Rien n'a été écrit : le site précédent reste en place — byte for byte, and no staging folder left."""
    site = tmp_path / "public" / "site"
    first = cli("--content", str(content), "--site-dir", str(site))
    assert first.code == 0, first.err
    before = _snapshot(site)
    assert "index.html" in before
    # The site is a link to its one generation (bulletin.publish); nothing else is left beside it.
    assert sorted(p.name for p in site.parent.iterdir()) == ["site", "site.1"]
    assert os.readlink(site) == "site.1"

    edit(content / ISSUE, "date: 2017-11-10", "date: 2017-12-05")
    second = cli("--content", str(content), "--site-dir", str(site))
    assert "Traceback" not in second.out + second.err
    assert second.code == 1
    assert "hors de la période du bulletin" in problem_at(second.err, at(content, ISSUE, "date: 2017-12-05"))
    assert "Rien n'a été écrit : le site précédent reste en place." in second.err
    assert _snapshot(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site", "site.1"]
    assert os.readlink(site) == "site.1"


# --- 17. and 18. Exit codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, said",
    [
        (
            ("bogus",),
            "« bogus » n'est pas une valeur possible pour « commande » ; choisissez parmi : build, check, serve",
        ),
        (  # found by a new user
            ("chek",),
            "« chek » n'est pas une valeur possible pour « commande » ; choisissez parmi : build, check, serve, pdf, "
            "nouveau, new, publier, publish, importer, exporter. Vouliez-vous dire « check » ?",
        ),
        (("check", "--nope"), "option inconnue : --nope."),
        (("check", "--port", "abc"), "--port : « abc » n’est pas un port : un nombre de 1 à 65535 (par exemple 8000)"),
        (("check", "--content"), "il manque une valeur après « --content »."),
    ],
    ids=["commande-inconnue", "commande-mal-tapee", "option-inconnue", "port-non-numerique", "valeur-manquante"],
)
def test_usage_error_exits_2_in_french(cli, capsys, args, said):
    """Erreur d'utilisation : … → Aide : python build.py --help, exit code 2."""
    with pytest.raises(SystemExit) as exc:
        cli(*args)
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("utilisation : python build.py")
    assert f"Erreur d'utilisation : {said}" in captured.err
    assert captured.err.endswith("\nAide : python build.py --help\n")
    assert "Traceback" not in captured.err
    assert "usage:" not in captured.err and "invalid" not in captured.err


def test_missing_content_folder_is_a_content_error(cli, tmp_path):
    """ailleurs — le dossier de contenu est introuvable → Vérifiez le chemin donné avec --content (exit 1)."""
    run = cli("check", "--content", "ailleurs")
    assert run.code == 1
    assert run.err.startswith("1 erreur dans le contenu :")
    problem = problem_at(run.err, "ailleurs")
    assert "le dossier de contenu est introuvable." in problem
    assert "→ Vérifiez le chemin donné avec --content" in problem


def test_paths_outside_the_current_folder_are_shown_whole(cli, content, tmp_path, monkeypatch):
    """/tmp/…/content/bulletins/2017-11/bulletin.yaml:N when the author runs from another folder."""
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    edit(content / ISSUE, "date: 2017-11-10", "date: 2017-12-05")
    err = check_fails(cli, content, count=1)
    problem_at(err, f"{content / ISSUE}:{line_of(content / ISSUE, 'date: 2017-12-05')}")


def test_good_content_passes(cli, content):
    """Contenu valide : 1 bulletin, … — exit 0; stderr holds only the seed plan's known warnings."""
    run = cli("check", "--content", str(content))
    assert run.code == 0
    assert "erreur" not in run.err
    assert run.err.startswith("21 avertissements dans le contenu :")
    # The fixture's known findings: the seed's QIP over the ceiling, the seed plan's gaps, and the
    # typography the seed's prose and register were typed with (Etat, 86.000: tests/test_typography_pages.py).
    blocks = run.err.strip().split("\n\n")[1:]
    assert sum("plans/liptako-gourma-2024.yaml:" in b for b in blocks) == 3
    assert sum("« QIP-2017-02 » coûte 50 798" in b.replace("\u202f", " ") for b in blocks) == 1
    assert sum("les majuscules gardent leur accent" in b or "espace fine insécable" in b for b in blocks) == 17
    assert run.out.startswith("Contenu valide : 1 bulletin, ")


@pytest.mark.parametrize(
    "path, old, new, field",
    [
        (ISSUE, "# numero: 12 ", "numero: 0 ", "numero"),
        ("registre/references.yaml", "duree_max_mois: 6", "duree_max_mois: 0", "duree_max_mois"),
    ],
)
def test_a_zero_the_page_would_print_is_refused(cli, content, path, old, new, field):
    """« Bulletin n° 0 », « d'une durée de 0 mois maximum »: accepted, and printed."""
    edit(content / path, old, new)
    result = cli("check", "--content", str(content))
    assert result.code == 1
    line = line_of(content / path, new.strip())
    assert (
        f"{Path(path).name}:{line} — « {field} » : attendu un nombre entier d'au moins 1, trouvé « 0 »." in result.err
    )


REFERENCES = "registre/references.yaml"


@pytest.mark.parametrize(
    "anchor, added, field, value",
    [
        (
            "  - {code: kidal, nom: Kidal, nom_en: Kidal}\n",
            "  - {code: mopti, nom: Mopti bis, nom_en: Mopti bis}\n",
            "code",
            "mopti",
        ),
        ("  - code: pbf\n", "  - code: ff\n    nom: Doublon\n    sigle: DUP\n", "code", "ff"),
        ("axes:\n", "axes:\n  - {code: C, nom: Doublon}\n", "code", "C"),
        ("bailleurs:\n", "bailleurs:\n  - Canada\n", "bailleurs", "Canada"),
    ],
)
def test_a_reference_given_twice_is_a_located_error(cli, content, anchor, added, field, value):
    """A second « mopti » counted Mopti's projects in two rows of the published table; a second fund
    « ff » renamed every Trust Fund heading; a second axis listed its amount twice. check accepted them."""
    path = content / REFERENCES
    text = path.read_text(encoding="utf-8")
    assert anchor in text
    path.write_text(text.replace(anchor, added + anchor if anchor.startswith("  -") else added, 1), encoding="utf-8")
    result = cli("check", "--content", str(content))
    assert result.code == 1
    lines = [
        i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if re.search(rf"\b{value}\b", line)
    ]
    found = re.search(
        rf"references\.yaml:(\d+) — « {field} » : l'identifiant « {value} » est déjà utilisé "
        rf"\(.*references\.yaml:(\d+)\)",
        result.err,
    )
    assert found, result.err[-2000:]
    assert {int(found[1]), int(found[2])} <= set(lines) and found[1] != found[2]


def test_a_link_typed_over_several_lines_is_quoted_on_one_line(cli, content):
    """Found by the contract's random contents: a « lien » holding a text of several lines was quoted as
    typed, and the message ran over several lines that read as other messages."""
    qip = content / "registre/projets/qip.yaml"
    edit(qip, "  lien: http://bit.ly/2EKwwyS", '  lien: "Texte :\\n\\n- un\\n- deux"')
    run = cli("check", "--content", str(content))
    assert run.code == 1
    line = line_of(qip, 'lien: "Texte')
    assert (
        f"qip.yaml:{line} — « lien » : l'adresse « Texte : - un - deux » commence par « texte: » ; seules les "
        "adresses https://, http:// et mailto: sont publiées."
    ) in run.err


def test_a_value_from_an_empty_list_says_the_list_is_empty(cli, content):
    """With no contribution recorded, the issue's contribution is unknown because the list is empty: the
    message says so and where to add it, not « Choisissez parmi :  » with nothing to choose from."""
    (content / "registre/contributions.yaml").write_text("[]\n", encoding="utf-8")
    err = check_fails(cli, content)
    problem = problem_at(err, at(content, ISSUE, "contribution: CONTRIB-2017-SUEDE"))
    assert "contribution « CONTRIB-2017-SUEDE » inconnue : la liste est vide." in problem
    assert "→ Ajoutez-la dans content/registre/contributions.yaml." in problem
    assert "Choisissez parmi" not in err


def test_a_name_that_is_there_but_is_no_file_is_told_so_and_nothing_waits(cli, content):
    """A link in a loop, a folder or a pipe where a file is named: « introuvable » sent the author
    looking for a file that is in its place, and reading a pipe would wait for ever."""
    prose = content / "bulletins/2017-11/qip.md"
    prose.unlink()
    prose.symlink_to(prose.name)  # a link to itself
    settings = content / "reglages.yaml"
    settings.unlink()
    os.mkfifo(settings)
    run = cli("check", "--content", str(content))
    assert run.code == 1 and "Traceback" not in run.err
    loop = problem_at(run.err, at(content, ISSUE, "qip.md"))
    assert "« qip.md » n'est pas un fichier que l'on peut lire : c'est un lien qui ne mène à aucun fichier" in loop
    assert "introuvable" not in loop
    pipe = [block for block in run.err.split("\n\n") if "reglages.yaml" in block.split(" — ")[0]]
    assert pipe and "un fichier spécial du système (un tube ou un périphérique)" in pipe[0], run.err


def test_a_pipe_among_the_register_files_is_told_so_and_nothing_waits(cli, content):
    """A second look: telling an empty register file from an unreadable one read the file again, and a
    pipe the loader had refused was then read for ever."""
    os.mkfifo(content / "registre/projets/autres.yaml")
    contributions = content / "registre/contributions.yaml"
    contributions.unlink()
    os.mkfifo(contributions)
    run = cli("check", "--content", str(content))
    assert run.code == 1 and "Traceback" not in run.err
    for name in ("autres.yaml", "contributions.yaml"):
        pipe = [block for block in run.err.split("\n\n") if name in block.split(" — ")[0]]
        assert pipe and "un fichier spécial du système (un tube ou un périphérique)" in pipe[0], run.err


def test_a_contribution_with_an_error_of_its_own_is_not_also_called_unknown(cli, content):
    """An impossible signature date left the contribution out of the register, and the issue citing it
    was told it was unknown, « la liste est vide »: one mistake, two errors, the second one false."""
    edit(content / "registre/contributions.yaml", "signee: 2017-11-29", "signee: 2017-11-31")
    err = check_fails(cli, content, count=1)
    assert "2017-11-31" in err and "inconnu" not in err and "la liste est vide" not in err


@pytest.mark.parametrize("kind", ["absent", "lien-casse", "tube", "dossier"])
def test_a_menu_page_that_is_not_a_file_is_refused_by_check_and_the_build(cli, content, tmp_path, kind):
    """« À propos » missing, a link to nowhere, a pipe or a folder: check said « Contenu valide », then the
    build failed with a traceback, waited for ever, or published a menu link to nowhere with MkDocs's
    English warning."""
    about = content / "pages/a-propos.md"
    about.unlink()
    if kind == "lien-casse":
        about.symlink_to(content / "pages/ailleurs.md")
    elif kind == "tube":
        os.mkfifo(about)
    elif kind == "dossier":
        about.mkdir()
    for args in (["check"], ["--sans-pdf", "--site-dir", str(tmp_path / "site")]):
        run = cli(*args, "--content", str(content))
        assert run.code == 1 and "Traceback" not in run.err and "WARNING" not in run.err, run.err
        shown = "introuvable" if kind == "absent" else "n'est pas un fichier que l'on peut lire"
        assert re.search(rf"pages — .*a-propos\.md.*{shown}", run.err), run.err
    assert not (tmp_path / "site").exists()


def test_the_menu_pages_check_requires_are_those_mkdocs_yml_names():
    from bulletin.validate import MENU_PAGES

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = text[text.index("\nnav:\n") :].split("\n\n", 1)[0]
    generated = {"index.md", "bulletins/index.md", "fonds/index.md", "regions/index.md", "plans/index.md"}
    named = set(re.findall(r": (\S+\.md)$", nav, re.MULTILINE))
    assert named - generated == set(MENU_PAGES)


def test_an_english_text_that_is_not_a_file_is_told_so_not_called_untranslated(cli, content):
    """role.en.md as a link to nowhere: « ce texte n'a pas encore sa traduction anglaise » sent the author
    to write a translation that is there, in the wrong form."""
    english = content / "bulletins/2017-11/role.en.md"
    english.symlink_to(content / "bulletins/2017-11/ailleurs.en.md")
    err = check_fails(cli, content)
    assert "« role.en.md » n'est pas un fichier que l'on peut lire" in err
    assert not [line for line in err.splitlines() if "role.en.md" in line and "traduction anglaise" in line]


def test_an_empty_text_file_is_told_and_a_contact_address_or_a_link_without_a_site_refused(cli, content):
    """An empty remerciements.md made its box vanish without a word; « sharopov(at)un.org » and
    « archive: https:// » were published as links leading nowhere (found by an adversarial review)."""
    (content / "bulletins/2017-11/remerciements.md").write_text("\n", encoding="utf-8")
    edit(content / ISSUE, "sharopov@un.org", "sharopov(at)un.org")
    edit(content / ISSUE, "archive: https://minusma.unmissions.org/bulletin-mensuel", "archive: 'https://'")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert "remerciements.md:1 — le fichier « remerciements.md » (« remerciements ») est vide" in run.err
    line = line_of(content / ISSUE, "sharopov(at)un.org")
    assert f"bulletin.yaml:{line} — « courriel » : « sharopov(at)un.org » n'est pas une adresse" in run.err
    line = line_of(content / ISSUE, "archive: 'https://'")
    assert f"bulletin.yaml:{line} — « archive » : l'adresse « https:// » ne nomme aucun site." in run.err


def test_second_reading_cases_are_said_at_their_line(cli, content):
    """From a second reading: « https://[minusma » stopped check with a traceback (an unbalanced bracket
    reads as a broken IPv6 address); a logo of 9 000 pixels was called unreadable; « mailto:… » and
    « a#b@un.org » as a contact's courriel; an empty English text file vanished without a word."""
    from PIL import Image

    edit(content / ISSUE, "archive: https://minusma.unmissions.org/bulletin-mensuel", "archive: 'https://[minusma'")
    edit(content / ISSUE, "sharopov@un.org", "mailto:sharopov@un.org")
    Image.new("RGB", (9000, 40)).save(content / "identite/logo.png")
    edit(content / "reglages.yaml", "fichier: identite/logo.svg", "fichier: identite/logo.png")
    (content / "bulletins/2017-11/role.en.md").write_text("  \n", encoding="utf-8")
    run = cli("check", "--content", str(content))
    assert run.code == 1 and "Traceback" not in run.err, run.err
    assert f"bulletin.yaml:{line_of(content / ISSUE, 'https://[minusma')} — « archive » : l'adresse" in run.err
    assert "« mailto:sharopov@un.org » n'est pas une adresse électronique" in run.err
    assert "le logo « identite/logo.png » est trop grand (9000 × 40 pixels)" in run.err
    assert "role.en.md:1 — le fichier « role.en.md » (« role en anglais ») est vide" in run.err


@pytest.mark.parametrize(
    "ident", ["../../etc/passwd", "QIP 2017 77", "QIP.2017: 90 #x", "12345/6", "QIP-2017-09é", "QIP.2017.90", "-QIP"]
)
def test_an_id_that_is_not_a_plain_name_is_refused_at_its_line(cli, content, ident):
    """An id names its entry in addresses, anchors and the erratum lines check suggests: these were
    accepted (an adversarial review), the third making a suggested erratum line invalid YAML."""
    edit(content / QIP, "- id: QIP-2017-01", f'- id: "{ident}"')
    err = check_fails(cli, content)
    problem = problem_at(err, at(content, QIP, f'- id: "{ident}"'))
    assert "« id » : attendu un identifiant de lettres sans accent et de chiffres, avec des tirets ou des" in problem
    assert f"trouvé « {ident} »" in problem


def test_two_ids_that_differ_only_in_case_are_one_too_many(cli, content):
    """« qip-2017-01 » beside « QIP-2017-01 »: one project for a reader, two for the figures."""
    edit(content / QIP, "- id: QIP-2017-02", "- id: qip-2017-01")
    err = check_fails(cli, content)
    assert at(content, QIP, "- id: qip-2017-01") + " — « id »" in err
    assert "« qip-2017-01 »" in err


def test_a_problem_in_a_yaml_text_is_at_the_line_that_holds_it(cli, content):
    """A text written under « texte: >- » spans lines: its problems were all at the key's line, two or ten
    lines above what they quote (an officer's walkthrough)."""
    line = "      de lutte anti-mines des Nations Unies), UNOPS (Bureau des Nations unies\n"
    edit(content / ISSUE, line, line.replace("UNOPS (", "UNOPS {{ qip.inconnu }} ("))
    err = check_fails(cli, content, count=1)
    problem = problem_at(err, at(content, ISSUE, "UNOPS {{ qip.inconnu }}"))
    assert "« {{ qip.inconnu }} » : ce chiffre calculé n'existe pas." in problem
    assert at(content, ISSUE, "UNOPS {{ qip.inconnu }}") != at(content, ISSUE, "vaste réunion de")
