"""Sheets written by the tests, as the section's office software would: .xlsx (XlsxWriter), .ods (odfpy)
and `;`-separated CSV (Windows-1252 or UTF-8 with BOM, decimal commas, jj/mm/aaaa dates).

`projects(n)` makes n projects of the three funds (and a few contributions) in register form; `rows`
turns them into sheet rows with the default headers; `typed_yaml` appends the same projects to a
register by hand (yaml.safe_dump), independently of the import's own writer.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
import yaml
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from bulletin.sheets_map import DEFAULT_MAPPING, MILESTONES, fields_of

REGIONS = {
    "kidal": "Kidal",
    "gao": "Gao",
    "mopti": "Mopti",
    "tombouctou": "Tombouctou",
    "menaka": "Ménaka",
    "segou": "Ségou",
    "bamako": "District de Bamako",
}
SECTORS = {
    "qip": {"eau": "Eau", "sante": "Santé", "education": "Education", "droits-homme": "Droits de l'Homme"},
    "ff": {"elections": "Elections", "rss": "RSS", "cohesion": "Cohésion sociale"},
    "pbf": {"justice": "Justice", "deplaces": "Réintégration des Déplacés"},
}
TITLES = (
    "Réhabilitation : école « Les # amis », 2e phase",
    "Forage d'eau à Ber",
    "yes",
    "2017",
    "- Appui aux femmes",
    "Clinique mobile [Gao]",
    "Latrines, points d'eau et lavabos",
    "Pont: Kidal",
    "Radio communautaire #2",
    "Formation des jeunes à l'élevage",
)
DAY0 = dt.date(2017, 11, 1)


def projects(n: int, seed: int = 15) -> list[dict[str, Any]]:
    """n projects in register form (codes, Decimal amounts, dates), all dated in November 2017 (after
    the balances of 31 October: none can be counted twice)."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        fund = ("qip", "ff", "pbf")[i % 3 if i % 5 else 0]
        p: dict[str, Any] = {
            "id": f"T-{fund.upper()}-{i:04d}",
            "fonds": fund,
            "titre": f"{TITLES[i % len(TITLES)]} ({i})",
        }
        if i % 4:
            p["regions"] = tuple(rnd.sample(sorted(REGIONS), 1 + i % 2))
        if i % 3 == 0:
            p["lieux"] = ("Ber", "Tin-Essako")
        p["secteur"] = rnd.choice(sorted(SECTORS[fund]))
        if fund == "ff":
            p["axe"] = "ABCDE"[i % 5]
        if fund == "qip":
            p["montant"] = Decimal(rnd.randrange(5_000, 50_000)) + (Decimal("0.5") if i % 7 == 0 else 0)
        elif fund == "ff":
            p["montant"] = Decimal(rnd.randrange(100_000, 900_000))
            if i % 11 == 0:
                p["montant"], p["devise"] = Decimal(rnd.randrange(50, 400) * 1_000_000), "XOF"
        if i % 6 == 0:
            p["bailleurs"] = ("Canada", "Suède")
        start = DAY0 + dt.timedelta(days=i % 20)
        p["approbation" if fund != "pbf" else "debut"] = start
        if i % 3 == 1:
            p["remise"] = start + dt.timedelta(days=5)
        elif i % 3 == 2:
            p["fin_prevue"] = start + dt.timedelta(days=60)
        if fund == "pbf" and i % 4 == 1:
            p["prolongations"] = ((dt.date(2018, 1, 1), dt.date(2018, 3, 31)),)
        if i % 8 == 0:
            p["note"] = "Suivi : voir le rapport « trimestriel »"
        if i % 9 == 0:
            p["lien"] = "https://example.org/projets/" + str(i)
        out.append(p)
    return out


def contributions(n: int) -> list[dict[str, Any]]:
    donors = ("Canada", "Suède", "Pays-Bas", "Allemagne")
    return [
        {
            "id": f"T-CONTRIB-{i:02d}",
            "bailleur": donors[i % 4],
            "montant": Decimal(100_000 * (i + 1)),
            "signee": DAY0 + dt.timedelta(days=i),
            **({"recue": DAY0 + dt.timedelta(days=i + 3)} if i % 2 else {}),
        }
        for i in range(n)
    ]


def rows(kind: str, entries: list[dict[str, Any]]) -> list[list[Any]]:
    """Header row and one row per entry, values as a person types them (names, not codes)."""
    km = DEFAULT_MAPPING.kinds[kind]
    keys = [k for k in fields_of(kind) if k in km.columns]
    out: list[list[Any]] = [[km.header(k) for k in keys]]
    for e in entries:
        row = []
        for k in keys:
            v = e.get(k)
            if k == "regions" and v:
                v = " ; ".join(REGIONS[c] for c in v)
            elif k == "secteur" and v:
                v = SECTORS[kind][v]
            elif k == "devise" and v == "XOF":
                v = "FCFA"
            elif k == "prolongations" and v:
                v = "; ".join(f"{a:%d/%m/%Y} au {b:%d/%m/%Y}" for a, b in v)
            elif isinstance(v, tuple):
                v = "; ".join(v)
            row.append(v)
        out.append(row)
    return out


def sheets_for(entries: list[dict[str, Any]], contribs: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    sheets = {
        DEFAULT_MAPPING.kinds[f].sheet: rows(f, [e for e in entries if e["fonds"] == f]) for f in ("qip", "ff", "pbf")
    }
    sheets[DEFAULT_MAPPING.kinds["contributions"].sheet] = rows("contributions", contribs)
    return sheets


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, grid in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(grid):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), day)
                elif isinstance(v, Decimal):
                    ws.write_number(r, c, float(v))
                else:
                    ws.write_string(r, c, str(v))
    book.close()
    return path


def write_ods(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    doc = OpenDocumentSpreadsheet()
    for name, grid in sheets.items():
        table = Table(name=name)
        for row in grid:
            tr = TableRow()
            for v in row:
                if v is None:
                    cell = TableCell()
                elif isinstance(v, dt.date):
                    cell = TableCell(valuetype="date", datevalue=v.isoformat())
                    cell.addElement(P(text=f"{v:%d/%m/%Y}"))
                elif isinstance(v, Decimal):
                    cell = TableCell(valuetype="float", value=str(v))
                    cell.addElement(P(text=str(v)))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(v)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def french(v: Any) -> str:
    """A cell as French office software writes it in CSV: 12 345,5 and 01/11/2017."""
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return f"{v:%d/%m/%Y}"
    if isinstance(v, Decimal):
        whole, _, frac = f"{v:f}".partition(".")
        return f"{int(whole):,}".replace(",", "\u00a0") + ("," + frac if frac else "")
    return str(v)


def write_csv(path: Path, grid: list[list[Any]], encoding: str = "cp1252") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows([[french(v) for v in row] for row in grid])
    return path


def typed_yaml(registre: Path, entries: list[dict[str, Any]], contribs: list[dict[str, Any]]) -> None:
    """The same entries typed into the register by hand: appended to projets/<fonds>.yaml and
    contributions.yaml with PyYAML, milestones under `jalons`."""
    for fund in ("qip", "ff", "pbf"):
        items = [_typed(e) for e in entries if e["fonds"] == fund]
        with (registre / f"projets/{fund}.yaml").open("a", encoding="utf-8") as f:
            f.write("\n" + yaml.safe_dump(items, allow_unicode=True, sort_keys=False))
    with (registre / "contributions.yaml").open("a", encoding="utf-8") as f:
        f.write("\n" + yaml.safe_dump([_plain(c) for c in contribs], allow_unicode=True, sort_keys=False))


def _plain(e: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in e.items():
        if isinstance(v, Decimal):
            v = int(v) if v == int(v) else float(v)
        elif k == "prolongations":
            v = [{"debut": a, "fin": b} for a, b in v]
        elif isinstance(v, tuple):
            v = list(v)
        out[k] = v
    return out


def _typed(e: dict[str, Any]) -> dict[str, Any]:
    plain = _plain(e)
    jalons = {k: plain.pop(k) for k in MILESTONES if k in plain}
    plain["jalons"] = jalons
    return plain


def add_rate(registre: Path) -> None:
    """A franc CFA rate for the projects in XOF (the seed register has none)."""
    (registre / "taux.yaml").write_text(
        "- {date: 2017-01-01, devise: XOF, taux: 580.5, source: BCEAO (test)}\n", encoding="utf-8"
    )
