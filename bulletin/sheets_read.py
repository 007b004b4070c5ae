"""Spreadsheets (.xlsx, .ods, .csv) -> rows of raw cell values, each row remembering where it was.

Workbooks are read by python-calamine (Rust, one library for xlsx and ods, fast on thousands of rows).
CSV is read with the standard library, in the shapes French office software writes: `;` (or `,` or tab)
separators, UTF-8 with or without BOM, else Windows-1252; cells then are texts, and
bulletin.sheets_map reads decimal commas and `jj/mm/aaaa` dates out of them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from .errors import Problem, SourceRef
from .messages import spreadsheet as msg

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv")
Cell = Any  # str, float, int, bool, date or datetime, as the reader gives it; "" when empty


@dataclass(frozen=True, slots=True)
class SheetRef(SourceRef):
    """A place in a spreadsheet: `fichier.xlsx, feuille « QIP », ligne 14, colonne « Montant »`.
    A SourceRef, so that messages about sheets sort and print with every other problem."""

    sheet: str | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.path.name]
        if self.sheet:
            parts.append(f"feuille « {self.sheet} »")
        if self.line:
            parts.append(f"ligne {self.line}")
        if self.column:
            parts.append(f"colonne « {self.column} »")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # 1-based, as the spreadsheet numbers its rows
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Sheet:
    path: Path
    name: str | None  # None for a CSV file: it has one unnamed sheet
    headers: tuple[str, ...]
    header_line: int
    rows: tuple[Row, ...]

    def ref(self, line: int | None = None, column: str | None = None) -> SheetRef:
        return SheetRef(self.path, line, self.name, column)


def sheet_names(path: Path) -> tuple[str, ...]:
    """Names of a workbook's sheets; a CSV file has none."""
    if path.suffix.lower() == ".csv":
        return ()
    return tuple(CalamineWorkbook.from_path(str(path)).sheet_names)


def read_sheets(path: Path, names: tuple[str, ...] | None, problems: list[Problem]) -> list[Sheet]:
    """The sheets asked for (all of them when names is None) with their header row; problems when the
    file cannot be read or a sheet is missing."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        problems.append(msg.unsupported_file(SheetRef(path), suffix))
        return []
    if not path.is_file():
        problems.append(msg.file_not_found(SheetRef(path)))
        return []
    if (refused := _too_big(path, suffix == ".csv")) is not None:
        problems.append(refused)
        return []
    if suffix == ".csv":
        grid = _csv_grid(path, problems)
        return [] if grid is None else _sheet(path, None, grid, problems)
    try:
        book = CalamineWorkbook.from_path(str(path))
        present = tuple(book.sheet_names)
        out: list[Sheet] = []
        for name in present if names is None else names:
            if name not in present:
                problems.append(msg.sheet_missing(SheetRef(path, None, name), name, present))
                continue
            out.extend(_sheet(path, name, book.get_sheet_by_name(name).to_python(skip_empty_area=False), problems))
        return out
    except (CalamineError, OSError, ValueError) as exc:  # a damaged or password-protected file
        problems.append(msg.file_unreadable(SheetRef(path), str(exc) or type(exc).__name__))
        return []


# A register of 3 000 projects is 0.3 MB as a workbook, 0.5 MB as CSV and 2 MB decompressed: the limits
# leave room for ten times more, and keep a file of a million rows (59 s, 3.9 GB), an 18 MB CSV (27 s,
# 1 GB) or a zip bomb from being read at all. A sheet of more rows than any register is not mapped.
MAX_FILE = 10_000_000  # bytes, as messages count them (« 10 Mo »)
MAX_UNPACKED = 50_000_000
MAX_ROWS = 30_000


def _too_big(path: Path, plain: bool) -> Problem | None:
    """Why the file is not read for its size (None: it is read); a workbook is a zip archive, whose
    members' sizes are read from its directory before anything is decompressed."""
    size = path.stat().st_size
    if size > MAX_FILE:
        return msg.file_too_big(SheetRef(path), size, MAX_FILE, unpacked=False)
    if plain or not zipfile.is_zipfile(path):  # not a zip: the reader says what it is
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return None  # the reader reports the damage
    return msg.file_too_big(SheetRef(path), unpacked, MAX_UNPACKED, unpacked=True) if unpacked > MAX_UNPACKED else None


def _sheet(path: Path, name: str | None, grid: list[list[Cell]], problems: list[Problem]) -> list[Sheet]:
    """The header row is the first with two cells filled (a title in A1 above the table is passed
    over), else the first with any; rows left entirely empty are skipped."""
    filled = [i for i, row in enumerate(grid) if any(_filled(c) for c in row)]
    start = next((i for i in filled[:10] if sum(_filled(c) for c in grid[i]) >= 2), filled[0] if filled else None)
    if start is None:
        problems.append(msg.sheet_empty(SheetRef(path, None, name)))
        return []
    headers = tuple(str(c).strip() if _filled(c) else "" for c in grid[start])
    rows = tuple(Row(i + 1, tuple(row)) for i, row in enumerate(grid) if i > start and any(_filled(c) for c in row))
    if len(rows) > MAX_ROWS:
        problems.append(msg.too_many_rows(SheetRef(path, None, name), len(rows), MAX_ROWS))
        return []
    return [Sheet(path, name, headers, start + 1, rows)]


def _filled(cell: Cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _csv_grid(path: Path, problems: list[Problem]) -> list[list[Cell]] | None:
    data = path.read_bytes()
    text = _decode(data)
    if text is None:
        problems.append(msg.file_unreadable(SheetRef(path), "ni UTF-8 ni Windows-1252"))
        return None
    first = text.split("\n", 1)[0]
    # French office software writes `;` (the comma is the decimal mark); others write `,` or tabs.
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: list[list[Cell]] = []
    while True:
        started = reader.line_num + 1  # the row read next starts on the line after the last one read
        try:
            row = next(reader)
        except StopIteration:
            return grid
        except csv.Error:  # a quote never closed runs to the end of the file, past the reader's limit
            problems.append(msg.csv_row_unreadable(SheetRef(path, started)))
            return None
        if any(_swallows_rows(cell, delimiter) for cell in row):  # the same, within the reader's limit
            problems.append(msg.csv_row_unreadable(SheetRef(path, started)))
            return None
        grid.append(list(row))


def _swallows_rows(cell: str, delimiter: str) -> bool:
    r"""Whether a cell holds what reads as rows of the file (lines of several cells each): a quote opened
    and never closed takes every line after it into one cell, silently, up to the reader's limit.

    >>> _swallows_rows("Centre de santé\nQIP-1;Puits;qip\nQIP-2;Radier;qip", ";"), _swallows_rows("Deux\nlignes", ";")
    (True, False)
    """
    lines = cell.split("\n")[1:]
    return sum(1 for line in lines if line.count(delimiter) >= 2) >= 2


def _decode(data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's « CSV (séparateur : point-virgule) » on a French Windows: no BOM, Windows-1252.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None
