"""Amounts in other currencies than the publication's: the dated rates table and the conversions.

The rates table (content/registre/taux.yaml) says, for a date and a currency, how many units of that
currency make one unit of the publication currency (e.g. 580,5 francs CFA for 1 dollar américain).
Each amount is converted at the rate in force on its own date — the latest rate dated on or before it:
- a project: the day it starts to count (approval, else start, else its earliest milestone);
- a contribution: its receipt (the day it enters the budget), else its signature;
- an opening balance: its date.
The amount keeps its currency; its value in the publication currency rides along (Money.converti), so
the pages print both, and every total a conversion enters is published as approximate (Money.environ).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from .errors import Problem, SourceRef
from .fields import Reader, mappings
from .load import RawList, load_yaml
from .memo import NO_PARSING, Parsing
from .messages import fields as fields_msg
from .messages import register as register_msg
from .models import Money, Rate, Register, earliest_date
from .register import in_force

RATES_FILE = "taux.yaml"
CENT = Decimal("0.01")
# The smallest rate accepted (units of a currency for one unit of the publication currency; the
# smallest real ones are about 0.3). Amounts stay below 10**12 (fields.MAX_NUMBER): divided by at
# least this, they keep under 10**16, far inside the 28 digits Decimal rounds to cents exactly. A rate
# of 1e-300 made the conversion crash.
MIN_RATE = Decimal("0.0001")


def read_rates(
    path: Path, publication: str, problems: list[Problem], parsing: Parsing = NO_PARSING
) -> tuple[Rate, ...]:
    """The rates table, oldest first; an absent file is an empty table (every amount in `publication`)."""
    if not path.exists():
        return ()
    loaded = load_yaml(path, parsing)
    problems.extend(loaded.problems)
    if loaded.value is None:
        return ()
    if not isinstance(loaded.value, RawList):
        problems.append(
            fields_msg.wrong_value(
                SourceRef(path, 1),
                "",
                "une liste (lignes commençant par « - »)",
                "autre chose",
                "- {date: 2017-11-01, devise: XOF, taux: 580.5, source: ...}",
            )
        )
        return ()
    out: list[Rate] = []
    seen: dict[tuple[date, str], SourceRef] = {}
    for m in mappings(loaded.value, problems, "taux", "- date: 2017-11-01"):
        r = Reader(m, problems, ("date", "devise", "taux", "source"))
        day, currency = r.date("date"), r.text("devise", "devise: XOF")
        rate, text = r.amount("taux", "580.5"), r.text("source", "source: BCEAO, cours moyen de novembre 2017")
        if currency == publication:
            problems.append(register_msg.rate_of_publication_currency(r.ref("devise"), currency))
            continue
        if rate is not None and rate < MIN_RATE:
            problems.append(
                fields_msg.wrong_value(
                    r.ref("taux"),
                    "taux",
                    f"un taux plus grand que zéro (au moins {MIN_RATE})",
                    "0" if rate == 0 else f"{rate:f}"[:24],
                    "taux: 580.5",
                )
            )
            continue
        if day is None or currency is None or rate is None or text is None:
            continue
        if (day, currency) in seen:
            problems.append(register_msg.duplicate_rate(m.src, currency, day, seen[day, currency]))
            continue
        seen[day, currency] = m.src
        out.append(Rate(day, currency, rate, text, m.src))
    return tuple(sorted(out, key=lambda x: (x.devise, x.date)))


def rate_on(rates: tuple[Rate, ...], currency: str, day: date) -> Rate | None:
    """The rate in force on a day: the latest one of that currency dated on or before it."""
    return in_force((r for r in rates if r.devise == currency), day)


def convert(money: Money, rate: Rate, publication: str) -> Money:
    """The amount with its value in the publication currency, to the cent."""
    value = (money.montant / rate.taux).quantize(CENT, rounding=ROUND_HALF_EVEN)
    return replace(money, converti=Money(value, publication, environ=True))


def apply_rates(register: Register, rates: tuple[Rate, ...], publication: str, problems: list[Problem]) -> Register:
    """The register with every foreign amount converted at the rate of its own date; a missing rate is
    an error at the amount's file:line. Amounts in the publication currency are left as they are."""

    def converted(money: Money, day: date | None, ref: SourceRef, what: str) -> Money:
        if money.devise == publication or day is None:
            return money
        rate = rate_on(rates, money.devise, day)
        if rate is None:
            first = next((r for r in rates if r.devise == money.devise), None)
            problems.append(register_msg.missing_rate(ref, money, day, what, publication, first))
            return money
        return convert(money, rate, publication)

    projects = []
    for p in register.projets:
        day = earliest_date(p)  # the amount's date, even for a project a balance counts until later
        what = (
            f"date d'approbation du projet « {p.id} »"
            if p.jalons.approbation
            else f"date de début du projet « {p.id} »"
            if p.jalons.debut
            else f"premier jalon daté du projet « {p.id} »"
        )
        money = converted(p.montant, day, register.where(p, "montant"), what) if p.montant else None
        projects.append(p if money is p.montant else replace(p, montant=money))
    contributions = []
    for c in register.contributions:
        what = (
            f"réception de la contribution « {c.id} »"
            if c.recue
            else f"signature de la contribution « {c.id} », pas encore reçue"
        )
        money = converted(c.montant, c.recue or c.signee, _line(c.source, c.source_lignes, "montant"), what)
        contributions.append(c if money is c.montant else replace(c, montant=money))
    balances = tuple(
        replace(b, montant=converted(b.montant, b.date, b.source, "date du solde d'ouverture")) if b.montant else b
        for b in register.soldes_projets
    )
    contribution_balances = tuple(
        replace(b, montant=converted(b.montant, b.date, b.source, "date du solde d'ouverture"))
        for b in register.soldes_contributions
    )
    return replace(
        register,
        projets=tuple(projects),
        contributions=tuple(contributions),
        soldes_projets=balances,
        soldes_contributions=contribution_balances,
        taux=rates,
    )


def in_publication_currency(money: Money) -> Money:
    """What an amount adds to a total in the publication currency."""
    return money.converti or money


def _line(src: SourceRef, lines: Mapping[str, int], key: str) -> SourceRef:
    return SourceRef(src.path, lines.get(key, src.line))
