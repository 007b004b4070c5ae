"""Published is frozen: an issue's publication record (publie.yaml), and the check that holds builds to it.

`build.py publier AAAA-MM` writes the record: the date of publication, every figure the issue prints
(the ids and values of its open data, `opendata.published_figures`), and the register entries those
figures counted, so that a later change can be explained entry by entry. From then on, figures
computed for that issue must equal the record (as corrected by its recorded errata), or the content
is refused; an erratum written in bulletin.yaml accepts the figures it names until `publier` records it.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from . import atomic
from .errors import Problem, SourceRef
from .figures import FUND_ORDER, IssueFigures
from .filters import format_amount, format_day, format_decimal_amount, format_millions, format_number
from .messages import publication as publication_msg
from .models import Currency, Erratum, Issue, Money, ProjectBalance, PublicationRecord, Register
from .opendata import (
    CONTRIBUTORS,
    NAMED_SETS,
    SETTINGS_PRINTED,
    KeyFigure,
    Number,
    _fund_date,
    _number,
    absent_currency,
    absent_value,
    changed_figures,
    errata,
    figure_or_absent,
    named_set,
    published_figures,
    published_values,
)
from .register import balance_in_force, in_force, status_on
from .validate_publication import LEDGER, RECORD, ledger_text, read_ledger

LOCALE = "fr"
# The key figures the issue prints in millions (templates/bulletin/_macros.html, `millions` filter).
IN_MILLIONS = frozenset({"qip.montant", "ff.budget"})
HEADER = """\
# Registre de publication du bulletin {mois} : NE PAS MODIFIER À LA MAIN.
# Écrit par « build.py publier {mois} » : la date de publication, les dates des chiffres, chaque
# chiffre publié (les identifiants de ses données ouvertes, chiffres-cles.json) et les entrées du
# registre qu'ils comptaient. Si le registre change un de ces chiffres, check et la construction s'arrêtent :
# corrigez le registre, ou ajoutez un rectificatif daté dans bulletin.yaml puis relancez
# « build.py publier {mois} », qui l'enregistre ici.
"""


# --- what is recorded ---------------------------------------------------------------


def register_entries(figures: IssueFigures, register: Register) -> dict[str, dict[str, Any]]:
    """The entries an issue's figures count, as plain values: itemised projects (status, amount) at
    their fund's date, contributions received, and the opening balances in force."""
    out: dict[str, dict[str, Any]] = {}
    for project in register.projets:
        status = status_on(project, _fund_date(figures, project.fonds))
        if status is not None:
            out[project.id] = {"fonds": project.fonds, "statut": status.value, **_money(project.montant)}
    when = figures.contributions.date
    cited = figures.contributions_citees
    for c in register.contributions:
        if c.recue is not None and c.recue <= when:
            out[c.id] = {"fonds": "ff", "recue": c.recue, **_money(c.montant)}
        elif c.id in cited:  # announced in the issue, not received yet: its amount is printed all the same
            out[c.id] = {"fonds": "ff", "signee": c.signee, **_money(c.montant)}
    for code in FUND_ORDER:
        balance = balance_in_force(register, code, _fund_date(figures, code))
        if balance is not None:
            out[f"solde-{code}"] = {"fonds": code, **_balance_fields(balance)}
    contributions = in_force(register.soldes_contributions, when)
    if contributions is not None:
        out["solde-contributions"] = {
            "fonds": "ff",
            "date": contributions.date,
            **_money(contributions.montant),
            "bailleurs": len(contributions.bailleurs),
        }
    return out


def _money(money: Money | None) -> dict[str, Any]:
    """An amount, with its value in the publication currency when it was converted (a rate that changes
    moves the published totals: the record shows it)."""
    if money is None:
        return {}
    out: dict[str, Any] = {"montant": _number(money.montant), "devise": money.devise}
    if money.converti is not None:
        out["converti"] = _number(money.converti.montant)
    return out


def _balance_fields(balance: ProjectBalance) -> dict[str, Any]:
    """Every field of an opening balance but its wording and location (new fields are kept too)."""
    out: dict[str, Any] = {}
    for f in fields(balance):
        value = getattr(balance, f.name)
        if f.name in ("fonds", "source", "source_text", "detailles"):
            continue
        if isinstance(value, Money):
            out.update(_money(value))
        elif isinstance(value, Decimal):
            out[f.name] = _number(value)
        elif isinstance(value, (int, float, str, date)) or value is None:
            out[f.name] = value
    return out


def _entry_sources(register: Register) -> dict[str, SourceRef]:
    out = {p.id: register.where(p.id) for p in register.projets}
    out.update((c.id, c.source) for c in register.contributions)
    return out


def record_text(
    figures: IssueFigures, register: Register, published_on: date, previous: PublicationRecord | None
) -> str:
    """publie.yaml for an issue: a first publication, or the previous record with the errata of
    bulletin.yaml that it does not keep yet (their figures as published and as corrected)."""
    issue = figures.issue
    data: dict[str, Any] = {"mois": issue.mois, "publie_le": published_on}
    if previous is None:
        data["dates"] = {key: getattr(issue, key) for key in PRINTED_DATES if getattr(issue, key) is not None}
        data["chiffres"] = published_values(figures, register)
        kept: list[dict[str, Any]] = []
    else:
        if previous.dates:  # a record older than the dates' keeping gets none: they may have changed since
            data["dates"] = dict(previous.dates)
        data["chiffres"] = dict(previous.chiffres)
        kept = [
            {
                "date": e.date,
                "motif": e.motif,
                "chiffres": {k: {"avant": a, "apres": b} for k, (a, b) in e.chiffres.items()},
            }
            for e in previous.rectificatifs
        ]
    for correction in errata(figures, register):
        if not correction.enregistre:
            kept.append(
                {
                    "date": correction.date,
                    "motif": correction.motif,
                    "chiffres": {c.chiffre: {"avant": c.avant, "apres": c.apres} for c in correction.chiffres},
                }
            )
    data["rectificatifs"] = kept
    data["registre"] = register_entries(figures, register)
    # One figure a line; one register entry a line: a later `git diff` of the record reads as a list.
    body = "".join(
        yaml.safe_dump(
            {key: value},
            allow_unicode=True,
            sort_keys=False,
            width=120,
            default_flow_style=None if key in ("registre", "rectificatifs") else False,
        )
        for key, value in data.items()
    )
    return HEADER.format(mois=issue.mois) + body


def write_record(folder: Path, text: str) -> Path:
    """Replace publie.yaml in one step: never half-written."""
    target = folder / RECORD
    atomic.write_text(target, text)
    return target


def list_published(bulletins: Path, published: Mapping[str, date]) -> Path | None:
    """The list of published issues (validate_publication.LEDGER) with these issues (month -> day), the
    others as they were, replaced in one step: publier passes every issue that has a record, so a list
    that misses some (older than the list, or a write lost) is made whole by any run. Returns the
    list's path, None when it already listed them all (the content is valid: the list read without an
    error, and no listed day differs from its record)."""
    listed = {m: day for m, (day, _) in (read_ledger(bulletins, []) or {}).items()}
    if all(listed.get(month) == day for month, day in published.items()):
        return None
    target = bulletins / LEDGER
    atomic.write_text(target, ledger_text({**listed, **published}))
    return target


# --- the check ------------------------------------------------------------------------


# The dates an issue prints its figures at (« Au 30 novembre 2017 »): recorded with them, never changed.
PRINTED_DATES = ("date_reference", "pbf_date_reference")


def check_publications(
    all_figures: Sequence[IssueFigures],
    register: Register,
    currencies: Mapping[str, Currency],
    publication: str,
    published: Callable[[IssueFigures], Mapping[str, KeyFigure]] | None = None,
) -> list[Problem]:
    """Published issues against their records; errata of drafts; errata not yet recorded. `published`:
    each issue's published_figures, when the caller has them (computed here otherwise)."""
    out: list[Problem] = []
    for figures in all_figures:
        issue, record = figures.issue, figures.issue.publication
        if record is None:
            out += [publication_msg.erratum_on_draft(e.source, issue.mois) for e in issue.rectificatifs]
            continue
        computed = published(figures) if published is not None else published_figures(figures, register)
        for key, day in record.dates.items():
            now = getattr(issue, key, None)
            if now != day:
                pbf = key != "date_reference"
                where = (issue.pbf_date_source if pbf else issue.date_source) or issue.source
                published_on, was = format_day(record.publie_le, LOCALE), format_day(day, LOCALE)
                found = format_day(now, LOCALE) if now else None
                field = "pbf: date_reference" if pbf else "date_reference"
                out.append(
                    publication_msg.printed_date_changed(
                        where, field, issue.mois, published_on, was, found, day.isoformat()
                    )
                )
        out += _check_errata(issue, record, computed)
        out += _check_figures(issue, record, figures, register, currencies, publication, computed)
    return out


def _check_errata(issue: Issue, record: PublicationRecord, computed: Mapping[str, KeyFigure]) -> list[Problem]:
    out = []
    written = {e.date for e in issue.rectificatifs}
    for kept in record.rectificatifs:
        if kept.date not in written:
            out.append(
                publication_msg.erratum_removed(record.source, issue.mois, format_day(kept.date, LOCALE), kept.motif)
            )
    recorded = {e.date for e in record.rectificatifs}
    # A figure the issue printed that the register no longer gives (a count back to zero, a project no
    # longer cited) is named as check names it: it is in the record, not among the figures computed now.
    known = {**record.expected(), **{key: k.valeur for key, k in computed.items()}}
    for erratum in issue.rectificatifs:
        if erratum.date < record.publie_le:
            out.append(
                publication_msg.erratum_before_publication(
                    erratum.source, format_day(erratum.date, LOCALE), format_day(record.publie_le, LOCALE)
                )
            )
        for name in erratum.chiffres:
            if not any(names(name, key) for key in known):
                out.append(publication_msg.unknown_published_figure(erratum.source, name, known))
        if erratum.date not in recorded:
            out.append(unrecorded(issue, erratum))
    return out


def unrecorded(issue: Issue, erratum: Erratum) -> Problem:
    """The warning that an issue's erratum is not recorded yet (`publier` records it: not said to it)."""
    return publication_msg.erratum_not_recorded(erratum.source, issue.mois, format_day(erratum.date, LOCALE))


def _check_figures(
    issue: Issue,
    record: PublicationRecord,
    figures: IssueFigures,
    register: Register,
    currencies: Mapping[str, Currency],
    publication: str,
    computed: Mapping[str, KeyFigure],
) -> list[Problem]:
    expected = record.expected()
    recorded = {e.date for e in record.rectificatifs}
    covered = [name for e in issue.rectificatifs if e.date not in recorded for name in e.chiffres]
    # What the issue printed, gone or moved, and what it printed nothing of that it would print now (a
    # figure the code computes since then was never published: opendata.changed_figures).
    values = {key: k.valeur for key, k in computed.items()}
    moved = [key for key in changed_figures(expected, values) if not any(names(name, key) for name in covered)]
    if not moved:
        return []
    when = figures.issue.date_reference
    now = {
        k: figure_or_absent(k, computed, register, when, currency=absent_currency(k, expected, publication))
        for k in moved
    }
    lines = [
        f"{_label(now[k], register)} : {_shown(k, now[k], expected.get(k, absent_value(k)), currencies)} → "
        f"{_shown(k, now[k], now[k].valeur, currencies)}"
        for k in moved
        if named_set(k) is None
    ]
    named: list[str] = []
    for listed in NAMED_SETS:
        gone, came = _names_changed(moved, expected, listed.prefix)
        if gone or came:
            day = format_day(getattr(figures, listed.dated_by).date, LOCALE)
            lines.append(
                f"{listed.libelle} ({_sigle(register, listed.fonds)}), au {day} : {_names(gone)} → {_names(came)}"
            )
        if listed.prefix == CONTRIBUTORS:
            named = came
    funds = {now[k].fonds for k in moved if k not in SETTINGS_PRINTED and not k.startswith(CONTRIBUTORS)}
    entries = explain(
        record, register_entries(figures, register), _entry_sources(register), funds, figures.issue.date_reference
    )
    entries += [
        f"{_references(record)} — « {SETTINGS_PRINTED[k]} » du fonds qip : le texte du numéro l'imprime "
        f"({{{{ {k} }}}}), et ce réglage a changé"
        for k in moved
        if k in SETTINGS_PRINTED
    ]
    entries += _naming(named, figures, register)
    where = SourceRef(record.source.path, record.lignes.get(moved[0], record.source.line))
    shortest = list(dict.fromkeys(_group(k) for k in moved))
    return [
        publication_msg.published_figures_moved(
            where, issue.mois, format_day(record.publie_le, LOCALE), lines, entries, shortest
        )
    ]


def _group(key: str) -> str:
    """The name an erratum gives a moved figure: the region table and each list of names as wholes."""
    if key.startswith("regions."):
        return "regions"
    listed = named_set(key)
    return listed.prefix.rstrip(".") if listed is not None else key


def _names_changed(keys: Sequence[str], before: Mapping[str, object], prefix: str) -> tuple[list[str], list[str]]:
    """The names of a list (`prefix`: opendata.NAMED_SETS) among `keys` that the issue printed and no
    longer does, and those it prints now."""
    names = [k[len(prefix) :] for k in keys if k.startswith(prefix)]
    gone = [n for n in names if before.get(prefix + n)]
    return gone, [n for n in names if n not in gone]


def _names(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "—"


def _naming(named: Sequence[str], figures: IssueFigures, register: Register) -> list[str]:
    """Where the register gives each newly named contributor: its contributions received by the date."""
    when = figures.contributions.date
    out = [
        f"{c.source} — {c.id} : bailleur « {c.bailleur} »"
        for c in register.contributions
        if c.bailleur in named and c.recue is not None and c.recue <= when
    ]
    balance = in_force(register.soldes_contributions, when)
    if balance is not None:
        out += [
            f"{balance.source} — solde des contributions au {format_day(balance.date, LOCALE)} : bailleur « {name} »"
            for name in named
            if name in balance.bailleurs
        ]
    return out


# The references.yaml field behind each fund setting an issue's text may print.
def _references(record: PublicationRecord) -> Path:
    """content/registre/references.yaml, beside the bulletins/AAAA-MM/ folder of the record."""
    return record.source.path.parent.parent.parent / "registre" / "references.yaml"


def names(name: str, key: str) -> bool:
    """Whether an erratum's `chiffres` entry names a figure: its id, or a group of ids (`regions`, `qip`)."""
    return key == name or key.startswith(name + ".")


def explain(
    record: PublicationRecord,
    current: Mapping[str, Mapping[str, Any]],
    sources: Mapping[str, SourceRef],
    funds: set[str],
    as_of: date,
) -> list[str]:
    """The register entries of the moved figures' funds that differ from what the record counted."""
    everything = "" in funds  # a region table's total column moves with any fund
    out = []
    for key in sorted(set(record.registre) | set(current)):
        before, after = record.registre.get(key), current.get(key)
        fund = (after or before or {}).get("fonds")
        if before == after or not (everything or fund in funds):
            continue
        where = f"{sources[key]} — " if key in sources else ""
        if after is None:
            out.append(
                f"{where}{key} : n'est plus comptée (retirée du registre, datée après le "
                f"{format_day(as_of, LOCALE)}, ou que le numéro ne cite plus)"
            )
        elif before is None:
            out.append(f"{where}{key} : nouvelle entrée comptée au {format_day(as_of, LOCALE)} ({_fields(after)})")
        else:
            diffs = [
                f"{name} {before.get(name)} → {after.get(name)}"
                for name in dict.fromkeys([*before, *after])
                if before.get(name) != after.get(name)
            ]
            out.append(f"{where}{key} : {', '.join(str(d) for d in diffs)}")
    return out


def _fields(entry: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in entry.items() if k != "fonds")


def _sigle(register: Register, code: str) -> str:
    return next((f.sigle for f in register.fonds if f.code == code), code or "total")


def _label(k: KeyFigure, register: Register, dated: bool = True) -> str:
    # A region's column, or a label that already ends in parentheses, takes the fund after a comma:
    # « Projets approuvés (tous statuts), QIP », not « (tous statuts) (QIP) ».
    after_comma = k.indicateur.startswith("regions.") or k.libelle.endswith(")")
    fund = "" if not k.fonds else f", {_sigle(register, k.fonds)}" if after_comma else f" ({_sigle(register, k.fonds)})"
    return f"{k.libelle}{fund}" + (f", au {format_day(k.date_reference, LOCALE)}" if dated else "")


def _shown(key: str, k: KeyFigure, value: Number | None, currencies: Mapping[str, Currency]) -> str:
    """A value as the issue prints it; an amount also as its raw value, which open data gives."""
    if value is None:
        return "—"
    if k.devise is None or k.devise not in currencies:
        return format_number(value, LOCALE) if k.unite != "annee" else str(value)
    money = Money(Decimal(str(value)), k.devise)
    printed = (
        format_millions(money, currencies, LOCALE) if key in IN_MILLIONS else format_amount(money, currencies, LOCALE)
    )
    return f"« {printed} » ({format_decimal_amount(money.montant, LOCALE)} {k.devise})"


# --- what the page shows --------------------------------------------------------------


def erratum_lines(
    figures: IssueFigures,
    register: Register,
    currencies: Mapping[str, Currency],
    t: gettext.NullTranslations,
    publication: str,
    locale: str = LOCALE,
) -> tuple[tuple[date, str, tuple[str, ...]], ...]:
    """The issue's errata for its pages, in the language of t, numbers in the way of `locale` (the English
    page printed « USD 1 234 567 », French grouping in an English sentence):
    (day, motif, ("label : before → after", …)), oldest first."""
    french = locale.startswith("fr")
    now = published_figures(figures, register, t)
    when = figures.issue.date_reference
    kept = figures.issue.publication.expected() if figures.issue.publication else {}
    # The contributors' names in the page's language: the record keeps the French ones.
    donor = (lambda name: name) if french else (lambda name: register.bailleurs_en.get(name, name))
    # A recorded erratum keeps its French wording in publie.yaml; the English page says it in English
    # where bulletin.yaml does (`motif_en`, which the English edition's issue carries as its motif).
    worded = {} if french else {e.date: e.motif for e in figures.issue.rectificatifs if e.motif_en}
    out = []
    for correction in errata(figures, register):
        figures_changed = [c for c in correction.chiffres if named_set(c.chiffre) is None]
        shown = {
            c.chiffre: figure_or_absent(
                c.chiffre, now, register, when, t, absent_currency(c.chiffre, kept, publication)
            )
            for c in figures_changed
        }
        changes = [
            t.gettext("%(chiffre)s : %(avant)s → %(apres)s")
            % {
                "chiffre": _label(shown[c.chiffre], register, dated=False),
                "avant": _plain(shown[c.chiffre], c.avant, currencies, t, locale),
                "apres": _plain(shown[c.chiffre], c.apres, currencies, t, locale),
            }
            for c in figures_changed
        ]
        for listed in NAMED_SETS:
            named = [c for c in correction.chiffres if c.chiffre.startswith(listed.prefix)]
            if named:
                name = donor if listed.prefix == CONTRIBUTORS else (lambda text: text)
                gone = [name(c.chiffre[len(listed.prefix) :]) for c in named if c.avant]
                added = [name(c.chiffre[len(listed.prefix) :]) for c in named if not c.avant]
                changes.append(
                    t.gettext("%(liste)s : %(avant)s → %(apres)s")
                    % {"liste": t.gettext(listed.libelle), "avant": _names(gone), "apres": _names(added)}
                )
        out.append((correction.date, worded.get(correction.date, correction.motif), tuple(changes)))
    return tuple(out)


def _plain(
    k: KeyFigure, value: Number | None, currencies: Mapping[str, Currency], t: gettext.NullTranslations, locale: str
) -> str:
    """A value as a reader reads it in a sentence: exact, with the currency's house wording."""
    if value is None:
        return "—"
    if k.devise is None or k.devise not in currencies:
        return format_number(value, locale) if k.unite != "annee" else str(value)
    return format_amount(Money(Decimal(str(value)), k.devise), currencies, locale, t)
