"""Issue 15: a sheet with ten kinds of mistakes gives ten located French messages and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from .sheet_factory import write_csv, write_ods, write_xlsx

HEADERS = ["Identifiant", "Titre", "Régions", "Secteur", "Montant", "Bailleurs", "Approbation", "Remise"]
D = dt.date(2017, 11, 2)
ROWS = [
    ["E-01", "Région mal écrite", "Tombouctu", "Eau", Decimal(1000), None, D, None],
    ["E-02", "Bailleur mal écrit", "Gao", "Eau", Decimal(1000), "Canada ; Canda", D, None],
    ["E-03", "Date impossible", "Gao", "Eau", Decimal(1000), None, "31/02/2017", None],
    ["E-04", "Remis avant d'être approuvé", "Gao", "Eau", Decimal(1000), None, D, dt.date(2017, 10, 1)],
    ["E-05", "Au-dessus du plafond", "Gao", "Eau", Decimal(60000), None, D, None],
    ["E-06", "Premier du nom", "Gao", "Eau", Decimal(1000), None, D, None],
    ["E-06", "Second du nom", "Gao", "Eau", Decimal(1000), None, D, None],
    [
        "QIP-2017-01",
        "Matériel de couture au profit des femmes des cercles de Kidal et Tin-Essako",
        "Kidal",
        "Artisanat",
        Decimal(48000),
        "MINUSMA",
        None,
        dt.date(2017, 11, 1),
    ],
    ["E-09", "Montant en lettres", "Gao", "Eau", "mille dollars", None, D, None],
    ["E-10", None, "Gao", "Eau", Decimal(1000), None, D, None],
    ["E-11", "Secteur mal écrit", "Gao", "Santee", Decimal(1000), None, D, None],
]
WHERE = "erreurs.{ext}, feuille « QIP », ligne {line}, colonne « {column} »"
EXPECTED = [
    (2, "Régions", "la région « Tombouctu » est inconnue du registre. Vouliez-vous dire « Tombouctou » ?"),
    (3, "Bailleurs", "le bailleur « Canda » est inconnu du registre. Vouliez-vous dire « Canada » ?"),
    (4, "Approbation", "attendu une date qui existe, trouvé « 31/02/2017 »."),
    (5, "Remise", "la remise (01/10/2017) précède l'approbation (02/11/2017)."),
    (6, "Montant", "le montant 60\u202f000 dépasse le plafond du fonds « qip » (50\u202f000)."),
    (8, "Identifiant", "l'identifiant « E-06 » est déjà utilisé (erreurs.{ext}, feuille « QIP », ligne 7)."),
    (10, "Montant", "attendu un montant en chiffres, trouvé « mille dollars »."),
    (11, "Titre", "la colonne « Titre » est vide ; elle est obligatoire."),
    (12, "Secteur", "le secteur « Santee » est inconnu du registre. Vouliez-vous dire « Santé » ?"),
]
CHANGED = (
    "erreurs.{ext}, feuille « QIP », ligne 9 — « QIP-2017-01 » est déjà au registre ({register}:7) avec "
    "d'autres valeurs : montant 48\u202f269 → 48\u202f000."
)


def _registre(content: Path) -> dict[Path, bytes]:
    """Every file beside and in the content (a scratch copy left behind would show), but the sheets."""
    return {
        p: p.read_bytes() if p.is_file() else b""
        for p in sorted(content.parent.rglob("*"))
        if p.suffix not in (".xlsx", ".ods", ".csv")
    }


def _check(run, ext: str, register: str, sheet: str | None = "QIP") -> None:
    assert run.code == 1
    assert run.err.startswith("10 erreurs dans le contenu :"), run.err

    def located(text: str) -> str:  # a CSV file has no sheet to name
        return text if sheet else text.replace(", feuille « QIP »", "")

    for line, column, what in EXPECTED:
        assert located(f"{WHERE.format(ext=ext, line=line, column=column)} — {what.format(ext=ext)}") in run.err
    assert located(CHANGED.format(ext=ext, register=register)) in run.err
    assert run.err.rstrip().endswith("Rien n'a été écrit : corrigez la feuille, puis relancez l'import.")
    assert "Traceback" not in run.err


def test_ten_kinds_of_mistakes_in_a_workbook(content, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(content.parent)
    before = _registre(content)
    for ext, write in (("xlsx", write_xlsx), ("ods", write_ods)):
        run = cli(
            "importer", str(write(tmp_path / f"erreurs.{ext}", {"QIP": [HEADERS, *ROWS]})), "--content", str(content)
        )
        _check(run, ext, "content/registre/projets/qip.yaml")
        assert _registre(content) == before


def test_ten_kinds_of_mistakes_in_a_csv(content, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(content.parent)
    before = _registre(content)
    path = write_csv(tmp_path / "erreurs.csv", [HEADERS, *ROWS])
    run = cli("importer", str(path), "--fonds", "qip", "--content", str(content))
    _check(run, "csv", "content/registre/projets/qip.yaml", sheet=None)
    assert _registre(content) == before


def test_a_missing_column_is_named_with_the_closest_header(content, cli, tmp_path):
    path = write_xlsx(tmp_path / "qip.xlsx", {"QIP": [["Identifant", "Titre"], ["X-1", "Projet"]]})
    run = cli("importer", str(path), "--content", str(content))
    assert run.code == 1
    assert (
        "qip.xlsx, feuille « QIP », ligne 1 — colonne obligatoire absente : « Identifiant ». "
        "Vouliez-vous dire « Identifant » ?"
    ) in run.err


def test_unreadable_and_unknown_files_are_refused_in_french(content, cli, tmp_path, capsys):
    bad = tmp_path / "abime.xlsx"
    bad.write_bytes(b"pas un classeur")
    run = cli("importer", str(bad), "--content", str(content))
    assert run.code == 1 and "abime.xlsx — le fichier ne peut pas être lu" in run.err
    run = cli("importer", str(tmp_path / "projets.txt"), "--content", str(content))
    assert run.code == 1 and "projets.txt — format de fichier non pris en charge (« .txt »)." in run.err
    path = write_xlsx(
        tmp_path / "liens.xlsx", {"QIP": [["Identifiant", "Lien"], ["QIP-2017-01", "javascript:alert(1)"]]}
    )
    run = cli("importer", str(path), "--content", str(content))
    assert run.code == 1
    assert (
        "liens.xlsx, feuille « QIP », ligne 2, colonne « Lien » — l'adresse « javascript:alert(1) » commence par "
        "« javascript: » ; seules les adresses https://, http:// et mailto: sont publiées."
    ) in run.err
    with pytest.raises(SystemExit) as exit_:
        cli("importer", "--content", str(content))
    assert exit_.value.code == 2
    assert "« importer » attend un fichier, par exemple : " in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        cli("check", "--essai", "--content", str(content))
    assert exit_.value.code == 2
    assert (
        "les options --feuille, --fonds, --essai, --modifier et --modele vont avec « importer » seulement"
        in capsys.readouterr().err
    )


def test_a_csv_cell_whose_quote_is_never_closed_is_located_not_a_traceback(content, cli, tmp_path):
    """One stray « " » in an export took every row after it into one cell: silently when they were few,
    and past the csv module's limit with a traceback. Now the row where the cell opens is named, and
    nothing is written, in both cases."""
    header = "Identifiant;Titre;Régions;Lieux;Secteur;Montant;Approbation;Description"
    registre = sorted((content / "registre").rglob("*.yaml"))
    before = {p: p.read_bytes() for p in registre}
    for count, note in ((40, "court"), (400, "x" * 400)):
        lines = [header] + [f"T-QIP-{i:04d};Projet {i};;Ber;Eau;1000;2017-11-01;{note}" for i in range(count)]
        lines[11] = lines[11].replace(";Projet", ';"Projet')
        path = tmp_path / f"qip-{count}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        run = cli("importer", str(path), "--fonds", "qip", "--content", str(content))
        assert run.code == 1 and "Traceback" not in run.err, run.err
        assert f"{path.name}, ligne 12 — cette ligne ne peut pas être lue : une cellule y ouvre" in run.err, run.err
        assert {p: p.read_bytes() for p in registre} == before


def test_an_amount_with_more_than_cents_is_located_not_read_as_a_fraction(content, cli, tmp_path, monkeypatch):
    """« 48.269 » and « 48,269 » were imported as 48 dollars and a fraction, without a word (an adversarial
    review); a computed number cell with more than cents too. The register refuses them as well."""
    monkeypatch.chdir(content.parent)
    before = _registre(content)
    rows = [
        ["M-01", "Point de milliers", "Gao", "Eau", "48.269", None, D, None],
        ["M-02", "Virgule de milliers", "Gao", "Eau", "48,269", None, D, None],
        ["M-03", "Calculé", "Gao", "Eau", 1000.123456, None, D, None],
        ["M-04", "Centimes", "Gao", "Eau", "48 269,50", None, D, None],
    ]
    run = cli(
        "importer", str(write_csv(tmp_path / "m.csv", [HEADERS, *rows])), "--fonds", "qip", "--content", str(content)
    )
    assert run.code == 1 and "Traceback" not in run.err
    for line, typed in ((2, "48.269"), (3, "48,269")):
        assert (
            f"m.csv, ligne {line}, colonne « Montant » — le montant « {typed} » a trois chiffres après la virgule : "
            "ce sont sans doute des milliers"
        ) in run.err
    assert "m.csv, ligne 4, colonne « Montant » — le montant « 1000.123456 » a plus de deux chiffres" in run.err
    assert "ligne 5" not in run.err  # cents are fine
    assert _registre(content) == before
    qip = content / "registre/projets/qip.yaml"
    qip.write_text(qip.read_text(encoding="utf-8").replace("montant: 48269", "montant: 48.269", 1), encoding="utf-8")
    err = cli("check", "--content", str(content)).err
    assert "« montant » : le montant « 48.269 » a 3 chiffres après le point : un montant en a au plus deux" in err
    assert "S'il s'agit de 48\u202f269, écrivez 48269 (sans point de milliers)" in err


def test_one_header_for_two_fields_in_the_mapping_is_refused(content, cli, tmp_path):
    """import.yaml gave « Code projet » to the amount too: the ids were read as amounts (an adversarial review)."""
    mapping = content / "registre/import.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace("montant: [Montant, Coût (USD)]", "montant: [Montant, Code projet]"), "utf-8")
    before = _registre(content)
    rows = [["M-01", "Projet", "Gao", "Eau", "1000", None, D, None]]
    run = cli(
        "importer", str(write_csv(tmp_path / "m.csv", [HEADERS, *rows])), "--fonds", "qip", "--content", str(content)
    )
    assert run.code == 1 and "Traceback" not in run.err
    line = next(
        n
        for n, t in enumerate(mapping.read_text(encoding="utf-8").splitlines(), 1)
        if "Code projet]" in t and "montant" in t
    )
    assert (
        f"import.yaml:{line} — « montant » : l'en-tête « Code projet » est déjà celui du champ « id » : la même "
        "colonne serait lue pour les deux."
    ) in run.err
    assert _registre(content) == before


def test_a_file_far_beyond_any_register_is_not_read(content, cli, tmp_path):
    """A million rows took 59 s and 3.9 GB before a word, an 18 MB CSV 27 s and 1 GB; a zip bomb would
    have exhausted the memory (an adversarial review). Refused at once, by size, decompressed size or rows."""
    import time
    import zipfile

    big = tmp_path / "gros.csv"
    big.write_bytes(b"Identifiant;Titre\n" + b"X-1;" + b"a" * 11_000_000 + b"\n")
    bomb = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 60_000_000)
    rows = write_csv(
        tmp_path / "lignes.csv",
        [HEADERS, *[[f"L-{n}", "Projet", "Gao", "Eau", 1000, None, D, None] for n in range(30_001)]],
    )
    expected = {
        big: "gros.csv — le fichier fait 11",
        bomb: "bombe.xlsx — une fois décompressé, le classeur fait 60",
        rows: "lignes.csv — la feuille a 30\u202f001 lignes remplies, plus qu'aucun registre",
    }
    for path, said in expected.items():
        started = time.monotonic()
        run = cli("importer", str(path), "--fonds", "qip", "--content", str(content))
        assert run.code == 1 and said in run.err and "Traceback" not in run.err, run.err[:500]
        assert time.monotonic() - started < 20  # refused before the rows are mapped, not after
