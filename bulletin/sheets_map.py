"""Rows of a sheet -> register entries (projects of one fund, or contributions), every problem located.

The column mapping is `registre/import.yaml`: for each kind of sheet, its default sheet name and, for
each register field, the header(s) a sheet gives it; and value mappings (what a sheet writes -> the
register's code) for regions, sectors, axes, donors and currencies. Without the file, DEFAULT_MAPPING
(the headers the template and the export write) applies; the file overrides it field by field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import Problem
from .fields import MAX_NUMBER
from .load import RawList, RawMap, load_yaml
from .memo import NO_PARSING, Parsing
from .messages import spreadsheet as msg
from .models import Register
from .sanitize import URL_SCHEMES, url_scheme
from .sheets_read import Cell, Sheet, SheetRef

KINDS = ("qip", "ff", "pbf", "contributions")
MAPPING_FILE = "import.yaml"
# Field -> how its cells are read. Milestones are nested under `jalons` in the YAML register.
PROJECT_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "id": "text",
        "titre": "text",
        "regions": "regions",
        "lieux": "texts",
        "secteur": "sector",
        "axe": "axis",
        "montant": "amount",
        "devise": "currency",
        "partenaire": "text",
        "agences": "texts",
        "sections": "texts",
        "bailleurs": "donors",
        "approbation": "date",
        "debut": "date",
        "fin_prevue": "date",
        "remise": "date",
        "cloture": "date",
        "solde": "date",
        "prolongations": "extensions",
        "description": "text",
        "note": "text",
        "remarque_publique": "text",
        "lien": "text",
    }
)
CONTRIBUTION_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "id": "text",
        "bailleur": "donor",
        "montant": "amount",
        "devise": "currency",
        "signee": "date",
        "recue": "date",
        "note": "text",
        "lien": "text",
    }
)
MILESTONES = ("approbation", "debut", "fin_prevue", "remise", "cloture", "solde", "prolongations")
_PROJECT_HEADERS = {
    "id": "Identifiant",
    "titre": "Titre",
    "regions": "Régions",
    "lieux": "Lieux",
    "secteur": "Secteur",
    "axe": "Axe",
    "montant": "Montant",
    "devise": "Devise",
    "partenaire": "Partenaire",
    "agences": "Agences",
    "sections": "Sections",
    "bailleurs": "Bailleurs",
    "approbation": "Approbation",
    "debut": "Début",
    "fin_prevue": "Fin prévue",
    "remise": "Remise",
    "cloture": "Clôture",
    "solde": "Solde d'ouverture",
    "prolongations": "Prolongations",
    "description": "Description",
    "note": "Note interne",
    "remarque_publique": "Remarque publique",
    "lien": "Lien",
}
_CONTRIBUTION_HEADERS = {
    "id": "Identifiant",
    "bailleur": "Bailleur",
    "montant": "Montant",
    "devise": "Devise",
    "signee": "Signée le",
    "recue": "Reçue le",
    "note": "Note interne",
    "lien": "Lien",
}
_FUND_ONLY = {"axe": ("ff",)}  # the other funds have no thematic axis: their sheets leave it out
LIST_SEPARATOR = ";"


@dataclass(frozen=True, slots=True)
class KindMapping:
    kind: str
    sheet: str
    columns: Mapping[str, tuple[str, ...]]  # field -> accepted headers, the first one written by export

    def header(self, key: str) -> str:
        return self.columns[key][0]


@dataclass(frozen=True, slots=True)
class ImportMapping:
    kinds: Mapping[str, KindMapping]
    values: Mapping[str, Mapping[str, str]]  # regions|secteur|axe|bailleurs|devise -> sheet text -> code


def fields_of(kind: str) -> Mapping[str, str]:
    return CONTRIBUTION_FIELDS if kind == "contributions" else PROJECT_FIELDS


def _default(kind: str) -> KindMapping:
    headers = _CONTRIBUTION_HEADERS if kind == "contributions" else _PROJECT_HEADERS
    columns = {k: (h,) for k, h in headers.items() if kind in _FUND_ONLY.get(k, (kind,))}
    sheet = "Contributions" if kind == "contributions" else kind.upper()
    return KindMapping(kind, sheet, MappingProxyType(columns))


DEFAULT_MAPPING = ImportMapping(MappingProxyType({k: _default(k) for k in KINDS}), MappingProxyType({}))


def read_mapping(registre: Path, problems: list[Problem], parsing: Parsing = NO_PARSING) -> ImportMapping:
    """registre/import.yaml over the defaults; problems (file:line) for what it cannot mean."""
    path = registre / MAPPING_FILE
    if not path.exists():
        return DEFAULT_MAPPING
    loaded = load_yaml(path, parsing)
    problems.extend(loaded.problems)
    raw = loaded.value
    if not isinstance(raw, RawMap):
        if raw is not None:
            problems.append(
                msg.mapping_shape(
                    raw.src if isinstance(raw, RawList) else SheetRef(path, 1), "des champs « clé: valeur »"
                )
            )
        return DEFAULT_MAPPING
    kinds = dict(DEFAULT_MAPPING.kinds)
    for key, value in raw.values.items():
        if key == "valeurs":
            continue
        if key not in KINDS:
            problems.append(msg.mapping_unknown_key(raw.ref(key), key, (*KINDS, "valeurs")))
        elif isinstance(value, RawMap):
            kinds[key] = _kind(key, value, problems)
        else:
            problems.append(msg.mapping_shape(raw.ref(key), "des champs « feuille: » et « colonnes: »"))
    values: dict[str, Mapping[str, str]] = {}
    table = raw.values.get("valeurs")
    if isinstance(table, RawMap):
        for key, entries in table.values.items():
            if key not in _VALUE_FIELDS:
                problems.append(msg.mapping_unknown_key(table.ref(key), key, _VALUE_FIELDS))
            elif isinstance(entries, RawMap):
                values[key] = MappingProxyType({fold(str(k)): str(v) for k, v in entries.values.items()})
            else:
                problems.append(msg.mapping_shape(table.ref(key), "des lignes « texte du tableur: code »"))
    elif table is not None:
        problems.append(msg.mapping_shape(raw.ref("valeurs"), "des listes par champ (regions, secteur…)"))
    return ImportMapping(MappingProxyType(kinds), MappingProxyType(values))


_VALUE_FIELDS = ("regions", "secteur", "axe", "bailleurs", "devise")


def _kind(kind: str, raw: RawMap, problems: list[Problem]) -> KindMapping:
    default = DEFAULT_MAPPING.kinds[kind]
    sheet = str(raw.values.get("feuille") or default.sheet)
    columns = dict(default.columns)
    cols = raw.values.get("colonnes")
    if isinstance(cols, RawMap):
        for key, headers in cols.values.items():
            if key not in fields_of(kind):
                problems.append(msg.mapping_unknown_key(cols.ref(key), key, tuple(fields_of(kind))))
            elif isinstance(headers, RawList):
                columns[key] = tuple(str(h) for h in headers.items)
            elif headers is not None:
                columns[key] = (str(headers),)
    elif cols is not None:
        problems.append(msg.mapping_shape(raw.ref("colonnes"), "des lignes « champ: En-tête »"))
    if isinstance(cols, RawMap):  # a header names one field (the ids were read as amounts: a review)
        owner = {fold(h): key for key, headers in columns.items() if key not in cols.values for h in headers}
        for key in cols.values:
            for header in columns.get(key, ()) if key in fields_of(kind) else ():
                other = owner.setdefault(fold(header), key)
                if other != key:
                    problems.append(msg.mapping_header_taken(cols.ref(key), key, header, other))
    return KindMapping(kind, sheet, MappingProxyType(columns))


# --- Rows -> entries -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One row as a register entry: its fields (only those the row fills) in register form."""

    kind: str
    id: str
    values: Mapping[str, Any]
    refs: Mapping[str, SheetRef] = field(repr=False)  # field -> its cell, for messages
    row: SheetRef = field(repr=False)


def fold(text: str) -> str:
    """Headers and names compared as people read them: case, accents and spacing do not count."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


class _Lookup:
    """Sheet text -> register code for one list (regions, a fund's sectors…): by code, by name, or by
    the mapping file's values; unknown texts are reported with the closest name."""

    def __init__(self, pairs: list[tuple[str, str]], extra: Mapping[str, str]) -> None:
        self.shown = [name for _, name in pairs]
        self.table = {fold(code): code for code, _ in pairs}
        self.table.update({fold(name): code for code, name in pairs})
        self.table.update(extra)

    def get(self, text: str) -> str | None:
        return self.table.get(fold(text))


class RowReader:
    """Reads the rows of one sheet of one kind against the register's reference lists."""

    def __init__(
        self,
        register: Register,
        default_currency: str,
        currencies: tuple[str, ...],
        mapping: ImportMapping,
        problems: list[Problem],
    ) -> None:
        values = mapping.values
        self.mapping = mapping
        self.problems = problems
        self.default_currency = default_currency
        self.regions = _Lookup([(r.code, r.nom) for r in register.regions], values.get("regions", {}))
        self.sectors = {
            fund: _Lookup([(s.code, s.nom) for s in named], values.get("secteur", {}))
            for fund, named in register.secteurs.items()
        }
        self.axes = _Lookup([(a.code, a.code) for a in register.axes], values.get("axe", {}))
        self.donors = _Lookup([(b, b) for b in register.bailleurs], values.get("bailleurs", {}))
        self.currencies = _Lookup([(c, c) for c in currencies], values.get("devise", {}))
        self.ceilings = {f.code: f.plafond for f in register.fonds if f.plafond is not None}
        # An entry already in the register may be updated by a sheet that has only some of its columns.
        self.registered = frozenset(register.projets_par_id) | frozenset(register.contributions_par_id)
        self.ignored: dict[SheetRef, tuple[str, ...]] = {}  # headers of each sheet that no field reads

    def entries(self, sheet: Sheet, kind: str) -> list[Entry]:
        km = self.mapping.kinds[kind]
        columns = self._columns(sheet, km)
        if columns is None:
            return []
        out = []
        for row in sheet.rows:
            entry = self._entry(sheet, kind, km, columns, row.line, row.cells)
            if entry is not None:
                out.append(entry)
        return out

    def _columns(self, sheet: Sheet, km: KindMapping) -> dict[str, tuple[int, str]] | None:
        """field -> (column index, header as the sheet writes it); None when a required column lacks."""
        by_header = {fold(h): i for i, h in enumerate(sheet.headers) if h}
        columns: dict[str, tuple[int, str]] = {}
        for key, headers in km.columns.items():
            index = next((by_header[fold(h)] for h in headers if fold(h) in by_header), None)
            if index is not None:
                columns[key] = (index, sheet.headers[index])
        used = {i for i, _ in columns.values()}
        self.ignored[sheet.ref()] = tuple(h for i, h in enumerate(sheet.headers) if h and i not in used)
        required = ("id", "bailleur") if km.kind == "contributions" else ("id",)
        missing = [km.header(k) for k in required if k not in columns]
        if missing:
            known = [h for hs in km.columns.values() for h in hs]
            self.problems.append(msg.column_missing(sheet.ref(sheet.header_line), missing, sheet.headers, known))
            return None
        return columns

    def _entry(
        self,
        sheet: Sheet,
        kind: str,
        km: KindMapping,
        columns: dict[str, tuple[int, str]],
        line: int,
        cells: tuple[Cell, ...],
    ) -> Entry | None:
        values: dict[str, Any] = {}
        refs: dict[str, SheetRef] = {}
        before = len(self.problems)
        fund = kind if kind != "contributions" else None
        for key, (index, header) in columns.items():
            cell = cells[index] if index < len(cells) else ""
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            ref = refs[key] = sheet.ref(line, header)
            value = self._value(fields_of(kind)[key], cell, ref, key, fund)
            scheme = url_scheme(value) if key == "lien" and value else None
            if scheme is not None and scheme not in URL_SCHEMES:  # pages print it as a link
                self.problems.append(msg.link_refused(ref, value, scheme))
                value = None
            if value is not None:
                values[key] = value
        row = sheet.ref(line)
        self._required(kind, km, values, refs, row)
        self._order(kind, values, refs)
        ident = values.get("id")
        if not isinstance(ident, str) or len(self.problems) > before:
            return None
        return Entry(kind, ident, MappingProxyType(values), MappingProxyType(refs), row)

    def _value(self, how: str, cell: Cell, ref: SheetRef, key: str, fund: str | None) -> Any:
        if how == "text":
            return _text(cell)
        if how == "texts":
            return _texts(cell)
        if how == "amount":
            return self._amount(cell, ref)
        if how == "date":
            return self._date(cell, ref)
        if how == "extensions":
            return self._extensions(cell, ref)
        if how == "regions":
            return self._codes(_texts(cell), self.regions, ref, "la région", "references.yaml (regions)")
        if how == "donors":
            return self._codes(_texts(cell), self.donors, ref, "le bailleur", "references.yaml (bailleurs)")
        if how == "donor":
            found = self._codes((_text(cell),), self.donors, ref, "le bailleur", "references.yaml (bailleurs)")
            return found[0] if found else None
        lookup, what, where = {
            "sector": (
                self.sectors.get(fund or "", _Lookup([], {})),
                "le secteur",
                f"references.yaml (secteurs {fund})",
            ),
            "axis": (self.axes, "l'axe", "references.yaml (axes)"),
            "currency": (self.currencies, "la devise", "reglages.yaml (devises)"),
        }[how]
        found = self._codes((_text(cell),), lookup, ref, what, where)
        if not found:
            return None
        if how == "currency" and found[0] == self.default_currency:
            return None  # the register leaves the publication's own currency unwritten
        return found[0]

    def _codes(
        self, texts: tuple[str, ...], lookup: _Lookup, ref: SheetRef, what: str, where: str
    ) -> tuple[str, ...] | None:
        out = []
        for text in texts:
            code = lookup.get(text)
            if code is None:
                self.problems.append(msg.unknown_value(ref, what, text, lookup.shown, where))
                return None
            out.append(code)
        return tuple(out)

    def _amount(self, cell: Cell, ref: SheetRef) -> Decimal | None:
        amount = parse_amount(cell)
        if amount is None or amount < 0:
            self.problems.append(msg.bad_amount(ref, cell))
            return None
        if amount >= MAX_NUMBER:
            self.problems.append(msg.amount_too_large(ref, cell, MAX_NUMBER))
            return None
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:  # the register refuses it too (fields.Reader.amount)
            typed = isinstance(cell, str) and re.search(r"[.,]\d{3}\D*$", cell.strip()) is not None
            self.problems.append(msg.amount_with_more_than_cents(ref, cell, typed))
            return None
        return amount

    def _date(self, cell: Cell, ref: SheetRef) -> dt.date | None:
        day, exists = parse_date(cell)
        if day is None:
            self.problems.append(msg.bad_date(ref, cell, exists))
        return day

    def _extensions(self, cell: Cell, ref: SheetRef) -> tuple[tuple[dt.date, dt.date], ...] | None:
        out = []
        for part in _texts(cell):
            ends = [p.strip() for p in re.split(r"\s+(?:au|à|->|→)\s+", part)]
            days = [parse_date(e)[0] for e in ends]
            if len(ends) != 2 or days[0] is None or days[1] is None:
                self.problems.append(msg.bad_extension(ref, part))
                return None
            if days[1] < days[0]:
                self.problems.append(
                    msg.dates_out_of_order(ref, "la fin de la prolongation", days[1], "son début", days[0])
                )
                return None
            out.append((days[0], days[1]))
        return tuple(out)

    def _required(
        self, kind: str, km: KindMapping, values: dict[str, Any], refs: dict[str, SheetRef], row: SheetRef
    ) -> None:
        if values.get("id") in self.registered:
            return
        if kind == "contributions":
            required: tuple[str, ...] = ("id", "bailleur", "montant", "signee")
        else:
            required = ("id", "titre", "montant") if kind in ("qip", "ff") else ("id", "titre")
        for key in required:
            if key not in values and key not in refs:  # a cell filled but wrong is already reported
                self.problems.append(msg.cell_required(_at(row, km, key), km.header(key)))
        dated = [k for k in MILESTONES if k != "solde"]  # a balance's date is not one of the project's
        if kind != "contributions" and not any(k in values or k in refs for k in dated):
            self.problems.append(msg.no_milestone(row, [km.header(k) for k in dated if k in km.columns]))

    def _order(self, kind: str, values: dict[str, Any], refs: dict[str, SheetRef]) -> None:
        if kind == "contributions":
            pairs = [("recue", "la réception", "signee", "la signature")]
        else:
            start = "approbation" if "approbation" in values else "debut"
            what = "l'approbation" if start == "approbation" else "le début"
            pairs = [
                (end, label, start, what)
                for end, label in (("remise", "la remise"), ("cloture", "la clôture"), ("fin_prevue", "la fin prévue"))
            ]
        for end, end_label, start, start_label in pairs:
            if end in values and start in values and values[end] < values[start]:
                self.problems.append(
                    msg.dates_out_of_order(refs[end], end_label, values[end], start_label, values[start])
                )

    def over_ceiling(self, entry: Entry) -> Problem | None:
        """An amount above its fund's ceiling: asked of the entries the import adds or whose amount it
        changes (the register may already hold one, accepted with a warning by `check`)."""
        ceiling = self.ceilings.get(entry.kind)
        amount = entry.values.get("montant")
        # In another currency, the ceiling is checked on the converted amount by `check`, at its date.
        if ceiling is None or amount is None or "devise" in entry.values or amount <= ceiling.montant:
            return None
        return msg.over_ceiling(entry.refs["montant"], amount, ceiling.montant, entry.kind)


def _at(row: SheetRef, km: KindMapping, key: str) -> SheetRef:
    return SheetRef(row.path, row.line, row.sheet, km.header(key))


def _text(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # an identifier or a year typed as a number
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return " ".join(str(cell).split())


def _texts(cell: Cell) -> tuple[str, ...]:
    return tuple(t for t in (" ".join(p.split()) for p in _text(cell).split(LIST_SEPARATOR)) if t)


_SPACES = re.compile(r"[\s\u00a0\u202f']")
_FR_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_amount(cell: Cell) -> Decimal | None:
    """A number cell, or a text as French software writes it: `48 269,50`, `48269.5`, `48 269 $`."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        try:
            amount = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
        except InvalidOperation:
            return None
        return amount if amount.is_finite() else None
    text = _SPACES.sub("", str(cell)).rstrip("$€").replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        return None
    return Decimal(text)


def parse_date(cell: Cell) -> tuple[dt.date | None, bool]:
    """A date cell, or `jj/mm/aaaa` or `aaaa-mm-jj` text. The flag says the text had a date's shape
    (31/02/2017: a day that does not exist, not a typing slip of shape)."""
    if isinstance(cell, dt.datetime):
        return cell.date(), True
    if isinstance(cell, dt.date):
        return cell, True
    text = str(cell).strip()
    m = _FR_DATE.match(text)
    parts = (m.group(3), m.group(2), m.group(1)) if m else None
    m = _ISO_DATE.match(text)
    if m:
        parts = (m.group(1), m.group(2), m.group(3))
    if parts is None:
        return None, False
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2])), True
    except ValueError:
        return None, True


def check_unique(entries: list[Entry], problems: list[Problem]) -> None:
    seen: dict[str, Entry] = {}
    for entry in entries:
        first = seen.setdefault(entry.id, entry)
        if first is not entry:
            problems.append(msg.duplicate_in_sheet(entry.refs.get("id", entry.row), entry.id, first.row))
