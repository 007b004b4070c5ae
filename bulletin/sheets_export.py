"""The register -> one .xlsx workbook (XlsxWriter: write-only, the fastest of the well-kept writers).

One sheet per fund and one for contributions, with the headers the import reads (so that importing
the export changes nothing), then balances and rates for reading only. Real date and number cells,
frozen header row, column widths. `template` writes the same sheets with their headers only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
import xlsxwriter.worksheet  # type: ignore[import-untyped]

from .load import RawList, RawMap, load_yaml
from .models import Register
from .sheets_map import KINDS, LIST_SEPARATOR, ImportMapping, fields_of
from .sheets_merge import Existing

_HINTS = {
    "text": "Texte",
    "texts": "Textes séparés par « ; »",
    "amount": "Nombre (sans devise)",
    "currency": "Code de devise (vide : dollars)",
    "date": "Date (cellule date ou jj/mm/aaaa)",
    "extensions": "jj/mm/aaaa au jj/mm/aaaa, séparées par « ; »",
    "regions": "Noms de régions séparés par « ; »",
    "sector": "Nom du secteur",
    "axis": "Lettre de l'axe (A à E)",
    "donors": "Bailleurs séparés par « ; »",
    "donor": "Nom du bailleur",
}
_WIDE = {"titre": 60, "description": 60, "note": 40, "remarque_publique": 40, "lien": 28, "source": 60}


class _Book:
    def __init__(self, path: Path) -> None:
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
        self.head = self.book.add_format({"bold": True, "bg_color": "#DDE6F0", "text_wrap": True, "valign": "top"})
        self.day = self.book.add_format({"num_format": "dd/mm/yyyy"})
        self.whole = self.book.add_format({"num_format": "#,##0"})
        self.cents = self.book.add_format({"num_format": "#,##0.00"})

    def sheet(self, name: str, headers: list[tuple[str, str, str]]) -> xlsxwriter.worksheet.Worksheet:
        """headers: (header, field, hint) per column."""
        ws = self.book.add_worksheet(name)
        for col, (header, key, hint) in enumerate(headers):
            ws.write_string(0, col, header, self.head)
            if hint:
                ws.write_comment(0, col, hint)
            ws.set_column(col, col, _WIDE.get(key, max(12, len(header) + 2)))
        ws.freeze_panes(1, 0)
        return ws

    def cell(self, ws: xlsxwriter.worksheet.Worksheet, row: int, col: int, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), self.day)
        elif isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            number = Decimal(str(value))
            ws.write_number(row, col, float(number), self.whole if number == int(number) else self.cents)
        else:
            ws.write_string(row, col, str(value))

    def close(self) -> None:
        self.book.close()


def _columns(mapping: ImportMapping, kind: str) -> list[tuple[str, str, str]]:
    km = mapping.kinds[kind]
    how = fields_of(kind)
    return [(km.header(k), k, _HINTS[how[k]]) for k in how if k in km.columns]


def template(path: Path, mapping: ImportMapping) -> None:
    book = _Book(path)
    for kind in KINDS:
        book.sheet(mapping.kinds[kind].sheet, _columns(mapping, kind))
    book.close()


def export(
    path: Path, register: Register, existing: dict[str, Existing], registre: Path, mapping: ImportMapping, currency: str
) -> dict[str, int]:
    """The workbook; the number of rows written per sheet."""
    regions = {r.code: r.nom for r in register.regions}
    sectors = {fund: {s.code: s.nom for s in named} for fund, named in register.secteurs.items()}
    book = _Book(path)
    counts = {}
    for kind in KINDS:
        columns = _columns(mapping, kind)
        ws = book.sheet(mapping.kinds[kind].sheet, columns)
        rows = [e for e in existing.values() if e.kind == kind]
        for r, entry in enumerate(rows, start=1):
            for c, (_, key, _) in enumerate(columns):
                value = entry.values.get(key)
                if key == "devise" and value is None:
                    value = currency
                elif key == "regions" and value is not None:
                    value = tuple(regions.get(v, v) for v in value)
                elif key == "secteur" and value is not None:
                    value = sectors.get(kind, {}).get(value, value)
                book.cell(ws, r, c, _flat(value))
        counts[mapping.kinds[kind].sheet] = len(rows)
    counts.update(_balances(book, registre))
    book.close()
    return counts


def _flat(value: Any) -> Any:
    if isinstance(value, tuple):
        if value and isinstance(value[0], tuple):  # extensions
            return f"{LIST_SEPARATOR} ".join(f"{a:%d/%m/%Y} au {b:%d/%m/%Y}" for a, b in value)
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value)
    return value


_BALANCE_COLUMNS = {
    "Soldes projets": (
        "projets",
        [
            ("Fonds", "fonds"),
            ("Date", "date"),
            ("Depuis", "depuis"),
            ("Approuvés", "approuves"),
            ("Finalisés", "finalises"),
            ("En cours", "en_cours"),
            ("Montant", "montant"),
            ("Devise", "devise"),
            ("Source", "source"),
            ("Projets détaillés", "projets_detailles"),
        ],
    ),
    "Soldes contributions": (
        "contributions",
        [
            ("Date", "date"),
            ("Montant", "montant"),
            ("Devise", "devise"),
            ("Bailleurs", "bailleurs"),
            ("Source", "source"),
        ],
    ),
}


def _balances(book: _Book, registre: Path) -> dict[str, int]:
    """Balances and rates, for reading: the import does not read these sheets back."""
    counts = {}
    soldes = load_yaml(registre / "soldes.yaml").value if (registre / "soldes.yaml").exists() else None
    for name, (key, columns) in _BALANCE_COLUMNS.items():
        items = soldes.values.get(key) if isinstance(soldes, RawMap) else None
        counts[name] = _rows(book, name, columns, items)
    rates = load_yaml(registre / "taux.yaml").value if (registre / "taux.yaml").exists() else None
    counts["Taux"] = _rows(
        book, "Taux", [("Date", "date"), ("Devise", "devise"), ("Taux", "taux"), ("Source", "source")], rates
    )
    return counts


def _rows(book: _Book, name: str, columns: list[tuple[str, str]], items: object) -> int:
    ws = book.sheet(name, [(h, k, "") for h, k in columns])
    maps = [i for i in items.items if isinstance(i, RawMap)] if isinstance(items, RawList) else []
    for r, item in enumerate(maps, start=1):
        for c, (_, key) in enumerate(columns):
            value = item.values.get(key)
            if isinstance(value, RawList):
                value = tuple(str(v) for v in value.items)
            book.cell(ws, r, c, _flat(value) if not isinstance(value, str) else " ".join(value.split()))
    return len(maps)
