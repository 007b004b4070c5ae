"""Issue 15: the register from the section's spreadsheets. 200 projects typed in a sheet (xlsx, ods, and a
`;`-separated Windows-1252 CSV per fund) import into a copy of the seed register, and the issue built
from it has the same open data as the one built from the same projects typed in YAML."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bulletin import load
from bulletin.figures import compute_issue
from bulletin.load import load_yaml
from bulletin.opendata import issue_json
from bulletin.sheets_cli import _parsed_once, _register
from bulletin.sheets_merge import read_existing
from bulletin.validate import load_edition

from .conftest import CONTENT
from .sheet_factory import (
    add_rate,
    contributions,
    projects,
    rows,
    sheets_for,
    typed_yaml,
    write_csv,
    write_ods,
    write_xlsx,
)

N = 200


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> str:
    """Open data of November 2017 with the 200 projects typed in YAML by hand."""
    typed = tmp_path_factory.mktemp("typed") / "content"
    shutil.copytree(CONTENT, typed)
    add_rate(typed / "registre")
    typed_yaml(typed / "registre", projects(N), contributions(6))
    return _open_data(typed)


def _open_data(content: Path) -> str:
    edition = load_edition(content)
    issue = next(i for i in edition.issues if i.mois == "2017-11")
    return issue_json(compute_issue(edition.register, issue), edition.register)


def _imported(content: Path) -> list[str]:
    return [
        str(p.values["id"])
        for f in sorted((content / "registre/projets").glob("*.yaml"))
        for p in load_yaml(f).value.items
        if str(p.values["id"]).startswith("T-")
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_workbook_of_200_projects_gives_the_figures_of_the_same_projects_typed_in_yaml(
    fmt, content, cli, tmp_path, expected
):
    add_rate(content / "registre")
    book = sheets_for(projects(N), contributions(6))
    path = (write_xlsx if fmt == "xlsx" else write_ods)(tmp_path / f"projets.{fmt}", book)
    run = cli("importer", str(path), "--content", str(content))
    assert run.code == 0, run.err
    assert f"ajoutés au registre : {N + 6}" in run.out
    assert len(_imported(content)) == N
    assert _open_data(content) == expected
    # The figures moved: the comparison is not between two unchanged registers.
    assert json.loads(expected) != json.loads(_open_data_of_seed())


def _open_data_of_seed() -> str:
    return _open_data(CONTENT)


def test_windows_csv_per_fund_gives_the_same_figures(content, cli, tmp_path, expected):
    add_rate(content / "registre")
    entries = projects(N)
    for fund in ("qip", "ff", "pbf"):
        path = write_csv(tmp_path / f"{fund}.csv", rows(fund, [e for e in entries if e["fonds"] == fund]))
        assert b";" in path.read_bytes() and "é".encode("cp1252") in path.read_bytes()
        run = cli("importer", str(path), "--content", str(content))
        assert run.code == 0, run.err
    # A UTF-8 CSV with BOM, whose name says nothing: the fund comes from --fonds.
    path = write_csv(tmp_path / "export-secretariat.csv", rows("contributions", contributions(6)), "utf-8-sig")
    run = cli("importer", str(path), "--fonds", "contributions", "--content", str(content))
    assert run.code == 0, run.err
    assert _open_data(content) == expected


def test_trial_shows_the_summary_and_writes_nothing(content, cli, tmp_path):
    before = {p: p.read_bytes() for p in (content / "registre").rglob("*.yaml")}
    path = write_xlsx(tmp_path / "qip.xlsx", {"QIP": rows("qip", [e for e in projects(30) if e["fonds"] == "qip"])})
    run = cli("importer", str(path), "--essai", "--content", str(content))
    assert run.code == 0, run.err
    added = len([e for e in projects(30) if e["fonds"] == "qip"])
    assert f"Import de qip.xlsx, « QIP » (qip) : {added} lignes.\n  ajoutés au registre : {added}" in run.out
    assert "Essai (--essai) : rien n'a été écrit." in run.out
    assert {p: p.read_bytes() for p in (content / "registre").rglob("*.yaml")} == before


def test_named_sheet_and_fund(content, cli, tmp_path):
    grid = rows("qip", [e for e in projects(10) if e["fonds"] == "qip"])
    path = write_xlsx(tmp_path / "suivi.xlsx", {"Suivi 2017": grid, "Notes": [["rien"]]})
    run = cli("importer", str(path), "--content", str(content))
    assert run.code == 1
    assert "suivi.xlsx — aucune feuille n'a un nom connu de l'import (QIP, FF, PBF, Contributions)." in run.err
    run = cli("importer", str(path), "--feuille", "Suivi 2017", "--fonds", "qip", "--content", str(content))
    assert run.code == 0, run.err
    assert len(_imported(content)) == len(grid) - 1


def test_a_title_above_the_table_and_unknown_columns(content, cli, tmp_path):
    grid = rows("qip", [e for e in projects(10) if e["fonds"] == "qip"])
    grid[0].append("Statut")
    for row in grid[1:]:
        row.append("En cours")
    path = write_xlsx(tmp_path / "qip.xlsx", {"QIP": [["Suivi des QIP, 2017"], [], *grid]})
    run = cli("importer", str(path), "--essai", "--content", str(content))
    assert run.code == 0, run.err
    assert (
        "colonnes ignorées (qip.xlsx, feuille « QIP ») : « Statut » — aucun champ du registre ne les lit "
        "(voir registre/import.yaml)"
    ) in run.out
    assert f"ajoutés au registre : {len(grid) - 1}" in run.out


def test_the_import_parses_each_register_file_once(content, monkeypatch):
    """The import checks the register, then reads it again for the merge: from the parses kept for the
    command, not a second parse of each file (a second or more for a register of 3 000 projects)."""
    parsed: list[str] = []
    real = load._parse

    def counted(path, text):
        parsed.append(path.name)
        return real(path, text)

    monkeypatch.setattr(load, "_parse", counted)
    parsing = _parsed_once()
    assert _register(content, parsing) is not None
    read_existing(content / "registre", "USD", parsing)
    files = [f.name for f in (content / "registre/projets").glob("*.yaml")] + ["contributions.yaml"]
    assert files and sorted(name for name in parsed if name in files) == sorted(files)
