"""An issue's errata (bulletin.yaml) and its publication record (publie.yaml) -> typed models."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from .errors import Problem, SourceRef, display_path
from .fields import MAX_NUMBER, Reader, mappings
from .filters import format_day
from .load import RawList, RawMap, load_yaml
from .memo import NO_PARSING, Parsing
from .messages import fields as fields_msg
from .messages import publication as publication_msg
from .models import Erratum, Issue, PublicationRecord, RecordedErratum

RECORD = "publie.yaml"
# Beside the issue folders: every issue published, with its day, one line each, written by `publier`
# with the record. A record deleted by mistake (it looks like clutter, and deleting it silences the
# check of the published figures) turned a published issue back into a draft without a word.
LEDGER = "publies.yaml"
LEDGER_HEADER = """\
# Numéros publiés : NE PAS MODIFIER À LA MAIN.
# Écrit par « build.py publier AAAA-MM », une ligne par numéro publié : son mois et le jour de sa
# publication. Tant qu'un numéro est ici, son registre de publication (AAAA-MM/publie.yaml) doit
# rester : check et la construction s'arrêtent s'il manque.
"""
LOCALE = "fr"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ERRATUM_EXAMPLE = (
    "rectificatifs:\n  - date: 2017-12-15\n    motif: un QIP approuvé le 10 novembre avait été omis\n"
    "    chiffres: [qip.projets_en_cours]"
)
_RECORD_KEYS = ("mois", "publie_le", "dates", "chiffres", "registre", "rectificatifs")


def read_errata(r: Reader, problems: list[Problem]) -> tuple[Erratum, ...]:
    """The `rectificatifs` list of bulletin.yaml; one erratum per date."""
    out: list[Erratum] = []
    seen: dict[dt.date, SourceRef] = {}
    for m in mappings(r.items("rectificatifs", ERRATUM_EXAMPLE), problems, "rectificatifs", ERRATUM_EXAMPLE):
        e = Reader(m, problems, ("date", "motif", "motif_en", "chiffres"))
        day = e.date("date", "2017-12-15")
        motif = e.text("motif", "motif: un QIP approuvé le 10 novembre avait été omis")
        motif_en = e.text("motif_en", "motif_en: a QIP approved on 10 November had been left out", required=False)
        figures = tuple(name for name, _ in e.texts("chiffres", "chiffres: [qip.projets_en_cours, qip.montant]"))
        if day in seen:
            problems.append(fields_msg.duplicate_id(e.ref("date"), "date", str(day), seen[day]))
            continue
        if day and motif:
            seen[day] = e.ref("date")
            out.append(Erratum(day, motif, figures, m.src, motif_en))
    return tuple(out)


def load_record(folder: Path, problems: list[Problem], parsing: Parsing = NO_PARSING) -> PublicationRecord | None:
    """publie.yaml of an issue folder, None when the issue is not published (or its record is unreadable)."""
    path = folder / RECORD
    if not path.exists():
        return None
    loaded = load_yaml(path, parsing)
    problems.extend(loaded.problems)
    before = len(problems)
    if not isinstance(loaded.value, RawMap):
        if not loaded.problems:  # a syntax error is already reported where it is
            problems.append(
                publication_msg.record_damaged(SourceRef(path, 1), "des champs « clé: valeur »", folder.name)
            )
        return None
    r = Reader(loaded.value, problems, _RECORD_KEYS)
    published = r.date("publie_le")
    dated = r.mapping("dates", "dates: {date_reference: 2017-11-30}", required=False)
    dates = {}
    if dated is not None:
        d = Reader(dated, problems, ("date_reference", "pbf_date_reference"))
        dates = {key: day for key in ("date_reference", "pbf_date_reference") if (day := d.date(key, required=False))}
    figures, lines = _values(r, "chiffres", folder.name, problems)
    entries = _entries(r, problems, folder.name)
    recorded = []
    for m in mappings(r.items("rectificatifs", "rectificatifs: []"), problems, "rectificatifs", "- date: ..."):
        e = Reader(m, problems, ("date", "motif", "chiffres"))
        day, motif = e.date("date"), e.text("motif", "motif: ...")
        changes: dict[str, tuple[int | float | None, int | float | None]] = {}
        raw = e.mapping("chiffres", "chiffres: {qip.projets_en_cours: {avant: 121, apres: 122}}", required=False)
        if raw is not None:
            for key, value in raw.values.items():
                if isinstance(value, RawMap) and set(value.values) == {"avant", "apres"}:
                    changes[key] = (value.values["avant"], value.values["apres"])
                else:
                    problems.append(publication_msg.record_damaged(raw.ref(key), "{avant: …, apres: …}", folder.name))
        if day and motif:
            recorded.append(RecordedErratum(day, motif, MappingProxyType(changes)))
    if len(problems) > before or published is None:
        return None
    return PublicationRecord(
        published, figures, entries, tuple(recorded), SourceRef(path, 1), lines, MappingProxyType(dates)
    )


def _values(
    r: Reader, key: str, month: str, problems: list[Problem]
) -> tuple[Mapping[str, int | float | None], Mapping[str, int]]:
    raw = r.mapping(key, f"{key}: {{qip.projets_en_cours: 121}}")
    if raw is None:
        return MappingProxyType({}), MappingProxyType({})
    values: dict[str, int | float | None] = {}
    for name, value in raw.values.items():
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or not -MAX_NUMBER < value < MAX_NUMBER
        ):  # nan and inf compare False
            problems.append(publication_msg.record_damaged(raw.ref(name), "un nombre", month))
        else:
            values[name] = value
    return MappingProxyType(values), MappingProxyType(dict(raw.lines))


def _entries(r: Reader, problems: list[Problem], month: str) -> Mapping[str, Mapping[str, object]]:
    """registre: {id: {field: value}}: the register entries the issue counted, as plain values."""
    raw = r.mapping("registre", "registre: {}", required=False)
    if raw is None:
        return MappingProxyType({})
    out: dict[str, Mapping[str, object]] = {}
    for name, value in raw.values.items():
        if not isinstance(value, RawMap):
            problems.append(publication_msg.record_damaged(raw.ref(name), "des champs « clé: valeur »", month))
            continue
        out[name] = MappingProxyType({k: _plain(v) for k, v in value.values.items()})
    return MappingProxyType(out)


def _plain(value: object) -> object:
    if isinstance(value, RawMap):
        return {k: _plain(v) for k, v in value.values.items()}
    if isinstance(value, RawList):
        return [_plain(v) for v in value.items]
    return value


def read_ledger(
    bulletins: Path, problems: list[Problem], parsing: Parsing = NO_PARSING
) -> dict[str, tuple[dt.date, SourceRef]] | None:
    """bulletins/publies.yaml: month -> (the day it was published, where the ledger says so); None
    when there is no ledger."""
    path = bulletins / LEDGER
    if not path.exists():
        return None
    loaded = load_yaml(path, parsing)
    problems.extend(loaded.problems)
    if loaded.value is None:
        return {}
    if not isinstance(loaded.value, RawMap):
        if not loaded.problems:
            problems.append(
                publication_msg.ledger_damaged(SourceRef(path, 1), "des lignes « AAAA-MM: AAAA-MM-JJ »", "autre chose")
            )
        return {}
    raw = loaded.value
    r = Reader(raw, problems, tuple(raw.values))
    out: dict[str, tuple[dt.date, SourceRef]] = {}
    for month in raw.values:
        if not _MONTH.match(str(month)):
            problems.append(publication_msg.ledger_damaged(raw.ref(month), "un mois AAAA-MM", f"« {month} »"))
            continue
        day = r.date(month, "2017-12-05")
        if day is not None:
            out[str(month)] = (day, raw.ref(month))
    return out


def ledger_text(published: Mapping[str, dt.date]) -> str:
    """The ledger listing these issues, oldest first."""
    return LEDGER_HEADER + "".join(f"{month}: {day.isoformat()}\n" for month, day in sorted(published.items()))


def check_ledger(
    bulletins: Path,
    issues: Sequence[Issue],
    problems: list[Problem],
    parsing: Parsing = NO_PARSING,
    only: str | None = None,
) -> None:
    """Every issue the ledger lists keeps its folder and its record, published on the day listed; every
    issue with a record is listed (`only`: that month alone, for `build.py pdf`). Without a ledger (a
    content older than it), a warning names the published issues and the command that lists them; so
    does a record the list lacks (publier lists it: a warning, which does not stop publier)."""
    found: list[Problem] = []
    ledger = read_ledger(bulletins, found, parsing)
    # `build.py pdf` prints one issue: a damaged line of another month is for check and the build.
    problems.extend(found if only is None else [p for p in found if p.field == only])
    recorded = {i.mois: i.publication for i in issues if i.publication is not None and only in (None, i.mois)}
    if ledger is None:
        if recorded and only is None:
            problems.append(publication_msg.ledger_missing(SourceRef(bulletins), sorted(recorded)))
        return
    where = bulletins / LEDGER
    for month, (day, src) in sorted(ledger.items()):
        if only not in (None, month):
            continue
        folder, kept = bulletins / month, bulletins / month / RECORD
        listed = format_day(day, LOCALE)
        if not folder.is_dir():
            problems.append(publication_msg.published_issue_removed(src, month, listed, display_path(folder)))
        elif not kept.exists():
            problems.append(publication_msg.record_missing(src, month, listed, display_path(kept)))
        elif month in recorded and recorded[month].publie_le != day:
            published = format_day(recorded[month].publie_le, LOCALE)
            problems.append(publication_msg.ledger_date_differs(src, month, listed, published, display_path(kept)))
    for month, record in sorted(recorded.items()):
        if month not in ledger:
            problems.append(
                publication_msg.record_not_listed(
                    record.source, month, format_day(record.publie_le, LOCALE), display_path(where)
                )
            )
