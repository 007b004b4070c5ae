"""Issue 15: export then import changes nothing (byte for byte); a sheet changes existing projects only
with --modifier, field by field, comments and order of the register kept; the publication record still
guards published issues; the template sheet has the headers the import reads."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from bulletin.sheets_map import DEFAULT_MAPPING, KINDS, fields_of

from .conftest import edit, line_of
from .sheet_factory import add_rate, contributions, projects, sheets_for, write_xlsx


def _files(content: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(content.parent.rglob("*")) if p.is_file() and p.suffix != ".xlsx"}


def test_export_then_import_is_a_byte_identical_no_op(content, cli, tmp_path):
    before = _files(content)
    book = tmp_path / "registre.xlsx"
    run = cli("exporter", str(book), "--content", str(content))
    assert run.code == 0, run.err
    assert "QIP (4 lignes), FF (8 lignes), PBF (5 lignes), Contributions (1 ligne)" in run.out
    run = cli("importer", str(book), "--content", str(content))
    assert run.code == 0, run.err
    assert "inchangés (déjà au registre, mêmes valeurs) : 18" in run.out
    assert "Rien à écrire : le registre a déjà toutes ces valeurs." in run.out
    assert _files(content) == before


def test_export_of_imported_projects_imports_back_unchanged(content, cli, tmp_path):
    """The import's own writing reads back as the same values (quoting, decimals, XOF, extensions)."""
    add_rate(content / "registre")
    cli(
        "importer",
        str(write_xlsx(tmp_path / "p.xlsx", sheets_for(projects(60), contributions(4)))),
        "--content",
        str(content),
    )
    before = _files(content)
    book = tmp_path / "registre.xlsx"
    assert cli("exporter", str(book), "--content", str(content)).code == 0
    run = cli("importer", str(book), "--content", str(content))
    assert run.code == 0, run.err
    assert "ajoutés au registre : 0\n  modifiés : 0\n  inchangés (déjà au registre, mêmes valeurs) : 82" in run.out
    assert _files(content) == before


def test_export_has_real_cells_frozen_headers_and_widths(content, cli, tmp_path):
    book = tmp_path / "registre.xlsx"
    cli("exporter", str(book), "--content", str(content))
    wb = CalamineWorkbook.from_path(str(book))
    assert wb.sheet_names == ["QIP", "FF", "PBF", "Contributions", "Soldes projets", "Soldes contributions", "Taux"]
    for kind in KINDS:
        km = DEFAULT_MAPPING.kinds[kind]
        grid = wb.get_sheet_by_name(km.sheet).to_python()
        assert tuple(grid[0]) == tuple(km.header(k) for k in fields_of(kind) if k in km.columns)
    qip = wb.get_sheet_by_name("QIP").to_python()
    first = dict(zip(qip[0], qip[1]))
    assert first["Identifiant"] == "QIP-2017-01" and first["Montant"] == 48269.0
    assert first["Remise"] == dt.date(2017, 11, 1) and first["Régions"] == "Kidal"
    with zipfile.ZipFile(book) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert 'ySplit="1"' in sheet and 'state="frozen"' in sheet
    assert '<col min="2" max="2" width="60.7109375"' in sheet  # Titre


def _sheet_changing_two_projects(tmp_path: Path) -> Path:
    headers = ["Identifiant", "Montant", "Remise", "Fin prévue", "Clôture"]
    return write_xlsx(
        tmp_path / "maj.xlsx",
        {
            "QIP": [
                headers,
                ["QIP-2017-01", Decimal(48269), None, None, dt.date(2017, 11, 30)],
                ["QIP-2017-02", Decimal("49999.5"), dt.date(2017, 11, 28), dt.date(2017, 12, 15), None],
                ["QIP-2017-03", Decimal(37804), dt.date(2017, 11, 16), None, None],
            ]
        },
    )


def test_changes_need_modifier_and_are_written_field_by_field(content, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(content.parent)
    sheet = _sheet_changing_two_projects(tmp_path)
    qip = content / "registre/projets/qip.yaml"
    before = qip.read_text(encoding="utf-8")
    run = cli("importer", str(sheet), "--content", str(content))
    assert run.code == 1
    line = line_of(qip, "id: QIP-2017-02")
    assert (
        f"maj.xlsx, feuille « QIP », ligne 3 — « QIP-2017-02 » est déjà au registre "
        f"(content/registre/projets/qip.yaml:{line}) avec d'autres valeurs : montant 50\u202f798 → "
        "49\u202f999,50 ; fin_prevue 30/11/2017 → 15/12/2017 ; remise (vide) → 28/11/2017."
    ) in run.err
    assert qip.read_text(encoding="utf-8") == before

    run = cli("importer", str(sheet), "--modifier", "--essai", "--content", str(content))
    assert run.code == 0, run.err
    assert "modifiés : 2\n  inchangés (déjà au registre, mêmes valeurs) : 1" in run.out
    assert "QIP-2017-01 (content/registre/projets/qip.yaml:7) : cloture (vide) → 30/11/2017" in run.out
    assert qip.read_text(encoding="utf-8") == before

    run = cli("importer", str(sheet), "--modifier", "--content", str(content))
    assert run.code == 0, run.err
    expected = before.replace("    remise: 2017-11-01\n", "    remise: 2017-11-01\n    cloture: 2017-11-30\n", 1)
    expected = expected.replace("  montant: 50798\n", "  montant: 49999.5\n", 1)
    # The trailing comment of a rewritten line is kept; the new milestone goes in the register's order.
    expected = expected.replace(
        "    fin_prevue: 2017-11-30   # durée de six mois\n",
        "    fin_prevue: 2017-12-15   # durée de six mois\n    remise: 2017-11-28\n",
        1,
    )
    assert qip.read_text(encoding="utf-8") == expected
    assert "    debut: 2017-06-01        # « débuté en juin » : jour non précisé\n" in expected


def test_an_import_that_moves_a_published_figure_is_stopped_as_a_hand_edit_is(content, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(content.parent)
    assert cli("publier", "2017-11", "--le", "2017-12-05", "--content", str(content)).code == 0
    before = _files(content)
    sheet = write_xlsx(
        tmp_path / "tard.xlsx",
        {
            "QIP": [
                ["Identifiant", "Titre", "Montant", "Approbation", "Remise"],
                [
                    "QIP-2017-99",
                    "Projet saisi après la publication",
                    Decimal(10000),
                    dt.date(2017, 11, 2),
                    dt.date(2017, 11, 10),
                ],
            ]
        },
    )
    run = cli("importer", str(sheet), "--content", str(content))
    assert run.code == 1
    line = line_of(content / "bulletins/2017-11/publie.yaml", "projets_finalises")
    assert (
        f"content/bulletins/2017-11/publie.yaml:{line} — le numéro 2017-11, publié le 5 décembre 2017, a "
        "imprimé des chiffres que le registre change désormais (publié → calculé) :\n"
        "      Projets finalisés (QIPs), au 30 novembre 2017 : 214 → 215\n"
    ) in run.err
    assert "content/registre/projets/qip.yaml:57 — QIP-2017-99 : nouvelle entrée comptée au 30 novembre 2017" in run.err
    assert ".import-" not in run.err and "avertissement" not in run.err
    assert run.err.rstrip().endswith("puis relancez l'import.")
    assert _files(content) == before


def test_template_has_the_headers_the_import_reads(content, cli, tmp_path):
    model = tmp_path / "modele.xlsx"
    run = cli("importer", "--modele", str(model), "--content", str(content))
    assert run.code == 0, run.err
    wb = CalamineWorkbook.from_path(str(model))
    assert wb.sheet_names == ["QIP", "FF", "PBF", "Contributions"]
    assert wb.get_sheet_by_name("FF").to_python()[0][:3] == ["Identifiant", "Titre", "Régions"]
    assert "Axe" not in wb.get_sheet_by_name("QIP").to_python()[0]
    with zipfile.ZipFile(model) as z:
        assert "Date (cellule date ou jj/mm/aaaa)" in z.read("xl/comments1.xml").decode()
    # Filled in, the template imports.
    grid = wb.get_sheet_by_name("QIP").to_python()
    row = {
        "Identifiant": "QIP-2017-50",
        "Titre": "Puits à Anéfis",
        "Régions": "Kidal",
        "Montant": Decimal(20000),
        "Approbation": dt.date(2017, 11, 3),
    }
    sheet = write_xlsx(tmp_path / "rempli.xlsx", {"QIP": [grid[0], [row.get(h) for h in grid[0]]]})
    run = cli("importer", str(sheet), "--content", str(content))
    assert run.code == 0, run.err
    qip = (content / "registre/projets/qip.yaml").read_text(encoding="utf-8")
    assert qip.endswith(
        "\n\n- id: QIP-2017-50\n  fonds: qip\n  titre: Puits à Anéfis\n  regions: [kidal]\n"
        "  montant: 20000\n  jalons:\n    approbation: 2017-11-03\n"
    )
    edit(content / "registre/projets/qip.yaml", "Puits à Anéfis", "Puits à Anéfis")  # still there, once


@pytest.mark.parametrize(
    "name, reason",
    [
        ("bulletins/2017-11/bulletin.yaml", "ce nom ne finit pas par .xlsx"),
        ("registre.csv", "ce nom ne finit pas par .xlsx"),
        ("Exports/registre.xlsx", "le dossier"),
        ("dossier.xlsx", "c'est un dossier"),
        ("registre/registre.xlsx", "c'est dans le dossier du contenu"),
    ],
)
def test_a_workbook_is_not_written_where_it_would_replace_content_or_cannot_go(cli, content, tmp_path, name, reason):
    """exporter bulletins/2017-11/bulletin.yaml replaced the issue with a workbook; a missing folder or a
    folder's name gave a traceback. Each is refused in French, nothing written, the content intact."""
    (tmp_path / "dossier.xlsx").mkdir()
    base = content if "/" in name and not name.startswith("Exports") else tmp_path
    target = base / name
    before = target.read_bytes() if target.is_file() else None
    for args in (["exporter", str(target)], ["importer", "--modele", str(target)]):
        run = cli(*args, "--content", str(content))
        assert run.code == 1 and "Traceback" not in run.err, run.err
        assert f"Le classeur ne peut pas être écrit dans « {target} » : {reason}" in run.err, run.err
        assert (target.read_bytes() if target.is_file() else None) == before
    assert cli("check", "--content", str(content)).code == 0
