"""Imported entries against the YAML register: what is added, changed (field by field) or left alone,
and the new text of each register file (bulletin.sheets_yaml edits it line by line)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .errors import Problem, SourceRef
from .load import RawList, RawMap, load_yaml
from .memo import NO_PARSING, Parsing
from .messages import spreadsheet as msg
from .sheets_map import MILESTONES, Entry, fields_of
from .sheets_yaml import (
    CannotEdit,
    Edit,
    append_entries,
    apply,
    entry_lines,
    field_edits,
)

PROJECT_ORDER = (
    "id",
    "fonds",
    "titre",
    "regions",
    "lieux",
    "secteur",
    "axe",
    "montant",
    "devise",
    "partenaire",
    "agences",
    "sections",
    "bailleurs",
    "jalons",
    "description",
    "note",
    "remarque_publique",
    "lien",
)
CONTRIBUTION_ORDER = ("id", "bailleur", "montant", "devise", "note", "signee", "recue", "lien")


@dataclass(frozen=True, slots=True)
class Existing:
    """An entry of the register as typed: its values in the form the import gives (bulletin.sheets_map)."""

    kind: str  # qip, ff, pbf (the `fonds` it declares) or contributions
    path: Path
    raw: RawMap
    values: Mapping[str, Any]

    @property
    def ref(self) -> SourceRef:
        return self.raw.src


@dataclass(frozen=True, slots=True)
class Change:
    entry: Entry
    existing: Existing
    fields: Mapping[str, tuple[Any, Any]]  # field -> (old or None, new)


@dataclass(frozen=True, slots=True)
class MergePlan:
    added: tuple[Entry, ...]
    changed: tuple[Change, ...]
    unchanged: tuple[Entry, ...]
    texts: Mapping[Path, str] = field(repr=False)  # register file -> its new text (only files that change)


def read_existing(registre: Path, default_currency: str, parsing: Parsing = NO_PARSING) -> dict[str, Existing]:
    """Every project and contribution of the register by id (the register is valid: `check` passed)."""
    out: dict[str, Existing] = {}
    files: list[tuple[Path, str | None]] = [(p, None) for p in sorted((registre / "projets").glob("*.yaml"))]
    files.append((registre / "contributions.yaml", "contributions"))
    for path, kind in files:
        if not path.exists():
            continue
        root = load_yaml(path, parsing).value
        if not isinstance(root, RawList):
            continue
        for item in root.items:
            if isinstance(item, RawMap) and item.values.get("id") is not None:
                entry_kind = kind or str(item.values.get("fonds"))
                out[str(item.values["id"])] = Existing(
                    entry_kind, path, item, _normalised(item, entry_kind, default_currency)
                )
    return out


def _normalised(raw: RawMap, kind: str, currency: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    flat = dict(raw.values)
    jalons = flat.pop("jalons", None)
    if isinstance(jalons, RawMap):
        flat.update(jalons.values)
    for key, how in fields_of(kind).items():
        value = flat.get(key)
        if value is None:
            continue
        if how in ("texts", "regions", "donors"):
            items = value.items if isinstance(value, RawList) else (value,)
            values[key] = tuple(" ".join(str(i).split()) for i in items)
        elif how == "amount":
            try:
                values[key] = Decimal(str(value))
            except InvalidOperation:
                continue
        elif how == "date":
            values[key] = value
        elif how == "extensions":
            values[key] = (
                tuple((e.values.get("debut"), e.values.get("fin")) for e in value.items if isinstance(e, RawMap))
                if isinstance(value, RawList)
                else value
            )
        elif how == "currency" and str(value) == currency:
            continue
        else:
            values[key] = " ".join(str(value).split())
    return values


def plan_merge(
    entries: list[Entry],
    existing: dict[str, Existing],
    registre: Path,
    modify: bool,
    vet: Callable[[Entry], Problem | None],
    problems: list[Problem],
) -> MergePlan:
    """`vet`: what to ask of an entry whose amount the import brings in (the fund's ceiling)."""
    added, changed, unchanged = [], [], []
    for entry in entries:
        old = existing.get(entry.id)
        if old is None:
            problems.extend(p for p in (vet(entry),) if p)
            added.append(entry)
            continue
        if old.kind != entry.kind:
            problems.append(msg.other_fund(entry.refs.get("id", entry.row), entry.id, entry.kind, old.kind, old.ref))
            continue
        diff = {k: (old.values.get(k), v) for k, v in entry.values.items() if old.values.get(k) != v}
        if not diff:
            unchanged.append(entry)
            continue
        if "montant" in diff:
            problems.extend(p for p in (vet(entry),) if p)
        change = Change(entry, old, diff)
        if not modify:
            problems.append(msg.differs(entry.row, entry.id, old.ref, describe(change)))
        changed.append(change)
    if problems:
        return MergePlan(tuple(added), tuple(changed), tuple(unchanged), {})
    texts = _texts(added, changed, registre, problems)
    return MergePlan(tuple(added), tuple(changed), tuple(unchanged), texts)


def describe(change: Change) -> list[str]:
    """`montant 48 269 → 50 000`, one per field, in the register's field order."""
    order = {k: i for i, k in enumerate(fields_of(change.entry.kind))}
    return [
        f"{key} {msg.shown(old) if old is not None else '(vide)'} → {msg.shown(new)}"
        for key, (old, new) in sorted(change.fields.items(), key=lambda kv: order[kv[0]])
    ]


def _texts(added: list[Entry], changed: list[Change], registre: Path, problems: list[Problem]) -> dict[Path, str]:
    by_file: dict[Path, list[Edit]] = {}
    lines: dict[Path, list[str]] = {}
    for change in changed:
        path = change.existing.path
        if path not in lines:
            lines[path] = path.read_text(encoding="utf-8").split("\n")
        try:
            by_file.setdefault(path, []).extend(_edits(change, lines[path]))
        except CannotEdit:
            problems.append(msg.cannot_edit(change.existing.ref, change.entry.id))
    new_entries: dict[Path, list[list[str]]] = {}
    for entry in added:
        path = registre / ("contributions.yaml" if entry.kind == "contributions" else f"projets/{entry.kind}.yaml")
        new_entries.setdefault(path, []).append(_entry_lines(entry))
    texts = {}
    for path in sorted(set(by_file) | set(new_entries)):
        text = path.read_text(encoding="utf-8") if path.exists() else msg.new_file_header(path.name)
        if path in by_file:
            text = "\n".join(apply(lines[path], by_file[path]))
        texts[path] = append_entries(text, new_entries.get(path, []))
    return texts


def _edits(change: Change, lines: list[str]) -> list[Edit]:
    raw = change.existing.raw
    new = {k: v for k, (_, v) in change.fields.items()}
    if change.entry.kind == "contributions":
        return field_edits(lines, raw, new, CONTRIBUTION_ORDER)
    top = {k: v for k, v in new.items() if k not in MILESTONES}
    dated = {k: v for k, v in new.items() if k in MILESTONES}
    jalons = raw.values.get("jalons")
    if dated and isinstance(jalons, RawMap):
        edits = field_edits(lines, jalons, dated, MILESTONES, within=PROJECT_ORDER.index("jalons"))
    elif dated:
        raise CannotEdit("jalons")
    else:
        edits = []
    return field_edits(lines, raw, top, PROJECT_ORDER) + edits


def _entry_lines(entry: Entry) -> list[str]:
    values = dict(entry.values)
    if entry.kind == "contributions":
        return entry_lines(values, CONTRIBUTION_ORDER, ())
    values["fonds"] = entry.kind
    return entry_lines(values, PROJECT_ORDER, MILESTONES)


def as_date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None
