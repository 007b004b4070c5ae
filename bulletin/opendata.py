"""Open data of one issue: its key figures, the register rows it uses and its region table, as JSON and CSV.

Both formats are made for machines, not for a French spreadsheet's display settings: the CSV uses
`,` between fields and `.` as decimal point (RFC 4180, quoted by the csv module), numbers are
never formatted (no grouping, no currency word), dates are ISO 8601. Every record carries its own
`date_reference`, because the blocks of one issue are computed at different dates (PBF: 28 February
2017 in the November 2017 issue). Both formats are built from the same `key_figures` records, so a
figure cannot differ between them, nor from the page, which reads the same IssueFigures.
"""

from __future__ import annotations

import csv
import gettext
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from .figures import FUND_ORDER, IssueFigures, RegionRow
from .i18n import N_
from .i18n import SOURCE as FRENCH
from .models import Contribution, Money, Project, Register
from .register import FundFigures, in_force, is_extended, own_status

# The reader-facing words of this module (msgids, translated where the data is written); the indicator
# ids are the stable part, labels may be reworded.
SOURCE = N_(
    "Chiffres calculés à la construction du bulletin à partir du registre daté des projets et des "
    "contributions, chacun à sa date de référence (date_reference). « dont_non_ventile » : part connue "
    "seulement par un solde d'ouverture, en résumé, sans détail projet par projet. « environ » : vrai quand un "
    "montant dans une autre devise, converti au taux en vigueur à sa date (registre, taux.yaml), entre "
    "dans le total."
)
LABELS = {
    "projets_finalises": N_("Projets finalisés"),
    "projets_en_cours": N_("Projets en cours"),
    "projets_non_demarres": N_("Projets approuvés non démarrés"),
    "projets_a_confirmer": N_(
        "Projets au statut à confirmer (fin prévue dépassée sans remise, clôture ni prolongation)"
    ),
    "projets_approuves": N_("Projets approuvés (tous statuts)"),
    "montant": N_("Montant des projets approuvés"),
    "depuis": N_("Année des premiers projets"),
    "projets_prolonges": N_("Projets prolongés"),
    "budget": N_("Budget du fonds (contributions reçues)"),
    "contributeurs": N_("Contributeurs (bailleurs dont une contribution est reçue)"),
    # The fund's settings (references.yaml), published only by an issue whose text prints them.
    "plafond": N_("Coût maximal d'un projet"),
    "duree_max": N_("Durée maximale d'un projet, en mois"),
}
# Each donor the key figures name as a contributor is a published figure of its own ("ff.contributeurs.
# Suède": 1): the count alone let a donor be renamed or replaced by another under a published issue.
CONTRIBUTORS = "ff.contributeurs."


@dataclass(frozen=True, slots=True)
class NamedSet:
    """Names an issue prints as a list, each a published figure of its own (its value 1): a name that
    goes or comes changes the page as a value that moves does. `dated_by`: the figures whose date the
    list is at (IssueFigures.contributions, .pbf)."""

    prefix: str  # "ff.contributeurs.": each name's figure is the prefix and the name
    fonds: str
    indicateur: str  # one name's figure's (KeyFigure.indicateur)
    libelle: str  # the list, in messages and errata
    element: str  # one name's figure: its label, with %(nom)s
    dated_by: str


# The PBF block prints its projects' start years, planned durations and which are extended: a published
# issue's « sur 18 mois » became « sur 24 mois » when a planned end moved, and the asterisk of an
# extended project went to another with the count unchanged, without a word (an adversarial review).
NAMED_SETS = (
    NamedSet(
        CONTRIBUTORS,
        "ff",
        "contributeur",
        N_("Contributeurs nommés"),
        N_("Contributeur nommé : %(nom)s"),
        "contributions",
    ),
    NamedSet(
        "pbf.annees_debut.", "pbf", "annee_debut", N_("Années de démarrage"), N_("Année de démarrage : %(nom)s"), "pbf"
    ),
    NamedSet(
        "pbf.durees_mois.", "pbf", "duree_mois", N_("Durées prévues, en mois"), N_("Durée prévue : %(nom)s mois"), "pbf"
    ),
    NamedSet("pbf.prolonges.", "pbf", "prolonge", N_("Projets prolongés"), N_("Projet prolongé : %(nom)s"), "pbf"),
)


def named_set(key: str) -> NamedSet | None:
    """The list a published figure's id names one element of, if any."""
    return next((named for named in NAMED_SETS if key.startswith(named.prefix)), None)


# What the issue's prose prints of the QIP fund's settings ({{ qip.plafond }}: a published figure of
# that id), each with the field of references.yaml that sets it (named when a published one moves).
SETTINGS_PRINTED: Mapping[str, str] = MappingProxyType({"qip.plafond": "plafond", "qip.duree_max": "duree_max_mois"})
REGION_ROWS = ("non_precise", "non_ventile", "total")  # RegionTable's rows beside the regions, in print order
LIST_SEPARATOR = " | "  # inside the CSV's `liste` cell; no donor name or project id contains it

Number = int | float


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """One published figure, self-describing: which fund, what, how much, in what, as of when."""

    fonds: str
    indicateur: str
    libelle: str
    valeur: Number | None
    unite: str
    devise: str | None  # ISO 4217 code for amounts, None for counts
    dont_non_ventile: Number | None  # part from an opening balance; None where that does not apply
    liste: tuple[str, ...]  # the names behind a count, in the published order
    date_reference: date
    environ: bool = False  # an amount converted from another currency entered it (approximate)


def key_figures(
    figures: IssueFigures, register: Register, t: gettext.NullTranslations = FRENCH
) -> tuple[KeyFigure, ...]:
    """The key figures of an issue, fund by fund in FUND_ORDER (the region table's column order),
    labelled in the language of t."""
    out: list[KeyFigure] = []
    for code in FUND_ORDER:
        fund: FundFigures = getattr(figures, code)
        out += _fund_counts(fund)
        if code == "pbf":
            out.append(
                _count(
                    fund.fonds,
                    "projets_prolonges",
                    figures.pbf_phase.prolonges,
                    "projets",
                    fund.date,
                    None,
                    tuple(sorted(figures.pbf_prolonges)),
                )
            )
        if code == "ff":
            out += _trust_fund_budget(figures, register)
    return tuple(replace(k, libelle=t.gettext(k.libelle)) for k in out)


def issue_json(figures: IssueFigures, register: Register, t: gettext.NullTranslations = FRENCH) -> str:
    """The issue's open data as JSON text (UTF-8 characters kept as they are, keys in a fixed order).

    Args:
        figures: the issue's figures, as compute_issue returns them.
        register: the register they were computed from (for names of regions, sectors and axes).
        t: the language of the labels and of the source note.
    Returns:
        A JSON object: bulletin, source, chiffres_cles, projets, contributions, regions; ends with a newline.
    """
    data = {
        "bulletin": figures.issue.mois,
        "source": t.gettext(SOURCE),
        "chiffres_cles": [_key_figure_json(k) for k in key_figures(figures, register, t)],
        # Dated corrections of a published issue: each figure as published and as corrected.
        "rectificatifs": [
            {
                "date": e.date.isoformat(),
                "motif": e.motif,
                "chiffres": [{"chiffre": c.chiffre, "publie": c.avant, "corrige": c.apres} for c in e.chiffres],
            }
            for e in errata(figures, register)
        ],
        "projets": [_project_json(p, register, _fund_date(figures, p.fonds)) for p in _used_projects(figures)],
        "contributions": [
            _contribution_json(c, figures.contributions.date)
            for c in sorted(figures.contributions_citees.values(), key=lambda c: (c.signee, c.id))
        ],
        "regions": _regions_json(figures, register, t),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def issue_csv(figures: IssueFigures, register: Register, t: gettext.NullTranslations = FRENCH) -> str:
    """The issue's key figures as CSV text: one row per figure, header first.

    The text starts with U+FEFF (the UTF-8 byte order mark once encoded) and ends lines with CRLF:
    write it with encoding="utf-8" and newline="" so that neither is changed.

    Args:
        figures: the issue's figures, as compute_issue returns them.
        register: the register they were computed from.
        t: the language of the labels.
    Returns:
        The CSV text, `,`-separated, `.` decimal point, empty cells for absent values.
    """
    buffer = io.StringIO()
    # Excel guesses a legacy code page for a CSV without a BOM and shows "FinalisÃ©s"; with it, accents
    # come out right. Machine readers (Python's utf-8-sig, pandas, R) skip the mark.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(f.name for f in fields(KeyFigure))
    for k in key_figures(figures, register, t):
        writer.writerow(_csv_cell(getattr(k, f.name)) for f in fields(KeyFigure))
    return buffer.getvalue()


# --- key figures ---------------------------------------------------------------


def _fund_counts(fund: FundFigures) -> list[KeyFigure]:
    """Counts, amount and first year of one fund, with the part its opening balance brings."""
    balance = fund.solde
    rows = [
        _count(
            fund.fonds, "projets_finalises", fund.finalises, "projets", fund.date, balance.finalises if balance else 0
        ),
        _count(fund.fonds, "projets_en_cours", fund.en_cours, "projets", fund.date, balance.en_cours if balance else 0),
        *(
            [
                _count(
                    fund.fonds,
                    "projets_non_demarres",
                    fund.non_demarres,
                    "projets",
                    fund.date,
                    balance.non_demarres if balance else 0,
                )
            ]
            if fund.non_demarres
            else []
        ),
        *(
            [_count(fund.fonds, "projets_a_confirmer", fund.a_confirmer, "projets", fund.date, 0)]
            if fund.a_confirmer
            else []
        ),
        _count(fund.fonds, "projets_approuves", fund.approuves, "projets", fund.date, fund.non_ventiles),
        _amount(fund.fonds, "montant", fund.montant, fund.montant_non_ventile, fund.date),
    ]
    if fund.depuis is not None:
        rows.append(_count(fund.fonds, "depuis", fund.depuis, "annee", fund.date, None))
    return rows


def _trust_fund_budget(figures: IssueFigures, register: Register) -> list[KeyFigure]:
    contributions = figures.contributions
    balance = _contribution_balance(register, contributions.date)
    return [
        _amount("ff", "budget", contributions.budget, balance, contributions.date),
        _count(
            "ff",
            "contributeurs",
            len(contributions.contributeurs),
            "contributeurs",
            contributions.date,
            None,
            contributions.contributeurs,
        ),
    ]


def _contribution_balance(register: Register, as_of: date) -> Money | None:
    """The opening balance compute_contributions starts from (the latest dated on or before as_of)."""
    balance = in_force(register.soldes_contributions, as_of)
    return balance.montant if balance else None


def _count(
    fund: str, indicator: str, value: int, unit: str, when: date, from_balance: int | None, names: tuple[str, ...] = ()
) -> KeyFigure:
    return KeyFigure(fund, indicator, LABELS[indicator], value, unit, None, from_balance, tuple(names), when)


def _amount(fund: str, indicator: str, money: Money | None, from_balance: Money | None, when: date) -> KeyFigure:
    currency = money.devise if money else None
    # A balance in another currency than the total cannot be: sum_money refuses to mix them.
    part = _number((from_balance.converti or from_balance).montant) if from_balance else (0 if money else None)
    return KeyFigure(
        fund,
        indicator,
        LABELS[indicator],
        _number(money.montant) if money else None,
        currency or "",
        currency,
        part,
        (),
        when,
        bool(money and money.environ),
    )


def _key_figure_json(k: KeyFigure) -> dict[str, Any]:
    record = {f.name: getattr(k, f.name) for f in fields(KeyFigure)}
    record["liste"] = list(k.liste)
    record["date_reference"] = k.date_reference.isoformat()
    return record


# --- published figures and errata ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    chiffre: str  # a published figure's id, as published_figures names it
    avant: Number | None
    apres: Number | None


@dataclass(frozen=True, slots=True)
class Correction:
    date: date
    motif: str
    chiffres: tuple[Change, ...]
    enregistre: bool  # already kept by the publication record (publie.yaml)


def published_figures(
    figures: IssueFigures,
    register: Register,
    t: gettext.NullTranslations = FRENCH,
    keys: Sequence[KeyFigure] | None = None,
) -> dict[str, KeyFigure]:
    """Every figure an issue prints, by a stable id: "fonds.indicateur" for the key figures,
    "regions.<region or row>.<fund or total>" for the region table, and the amounts of the projects and
    contributions it cites ("projets.<id>.montant", "contributions.<id>.montant", with ".converti" for
    their value in the publication currency). The publication record keeps them; labels in the language of t.
    `keys`: key_figures(figures, register, t), when the caller has them."""
    keys = key_figures(figures, register, t) if keys is None else keys
    out = {f"{k.fonds}.{k.indicateur}": k for k in keys}
    cited: list[tuple[str, str, str, Money | None]] = [
        ("projets", p.id, t.gettext("Montant du projet %(id)s") % {"id": p.id}, p.montant)
        for p in _used_projects(figures)
    ]
    cited += [
        (
            "contributions",
            c.id,
            t.gettext("Montant de la contribution %(id)s (%(bailleur)s)") % {"id": c.id, "bailleur": c.bailleur},
            c.montant,
        )
        for c in sorted(figures.contributions_citees.values(), key=lambda c: c.id)
    ]
    for group, ident, label, money in cited:
        if money is None:
            continue
        for suffix, amount in (("montant", money), ("montant.converti", money.converti)):
            if amount is not None:
                out[f"{group}.{ident}.{suffix}"] = KeyFigure(
                    "",
                    f"{group}.{ident}",
                    label,
                    _number(amount.montant),
                    amount.devise,
                    amount.devise,
                    None,
                    (),
                    figures.issue.date_reference,
                    amount.environ,
                )
    out.update(_settings_printed(figures, t))
    listed = {
        CONTRIBUTORS: [(french_donor(register, name), name) for name in figures.contributions.contributeurs],
        "pbf.annees_debut.": [(str(year), str(year)) for year in figures.pbf_phase.annees_debut],
        "pbf.durees_mois.": [(str(months), str(months)) for months in figures.pbf_phase.durees_mois],
        # The page marks an extended project among those the issue names only (its count covers all).
        "pbf.prolonges.": [(pid, pid) for pid in figures.pbf_prolonges if pid in figures.issue.pbf_projets],
    }
    for named in NAMED_SETS:
        when = getattr(figures, named.dated_by).date
        for key_name, shown in listed[named.prefix]:
            label = t.gettext(named.element) % {"nom": shown}
            out[named.prefix + key_name] = KeyFigure(
                named.fonds, named.indicateur, label, 1, "nom", None, None, (shown,), when
            )
    table = _regions_json(figures, register, t)
    for row in table["lignes"]:
        name = row["region"] or row["categorie"]
        for column in (*table["colonnes"], "total"):
            out[f"regions.{name}.{column}"] = KeyFigure(
                "" if column == "total" else column,
                f"regions.{name}",
                t.gettext("Projets par région : %(ligne)s") % {"ligne": row["libelle"]},
                row[column],
                "projets",
                None,
                None,
                (),
                figures.issue.date_reference,
            )
    return out


def french_donor(register: Register, name: str) -> str:
    """A donor's French name, the one a publication record keeps, from its name in this register (the
    English edition's register names donors in English: references.yaml « bailleurs_en »)."""
    if name in register.bailleurs_en:
        return name
    return next((french for french, english in register.bailleurs_en.items() if english == name), name)


def _settings_printed(figures: IssueFigures, t: gettext.NullTranslations) -> dict[str, KeyFigure]:
    """The QIP ceiling and longest duration, when the issue's text prints them ({{ qip.plafond }},
    {{ qip.duree_max }}): a later change of references.yaml would otherwise rewrite a published sentence
    without a word. An issue that does not print them does not publish them."""
    used = figures.issue.placeholders
    fund = figures.fonds["qip"]
    when = figures.issue.date_reference
    out = {}
    if "qip.plafond" in used and fund.plafond is not None:
        ceiling = fund.plafond
        label = t.gettext(LABELS["plafond"])
        amount = _number(ceiling.montant)
        out["qip.plafond"] = KeyFigure("qip", "plafond", label, amount, ceiling.devise, ceiling.devise, None, (), when)
    if "qip.duree_max" in used and fund.duree_max_mois is not None:
        out["qip.duree_max"] = KeyFigure(
            "qip", "duree_max", t.gettext(LABELS["duree_max"]), fund.duree_max_mois, "mois", None, None, (), when
        )
    return out


# Figures an issue prints only when there is something to print: a region's row once a project is placed
# there, a cited amount once the register has it, these counts once not zero. One that appears or goes
# after publication changes the published page as surely as a value that moves.
_WHEN_PRESENT = ("regions.", "projets.", "contributions.")
_WHEN_NOT_ZERO = frozenset({"projets_non_demarres", "projets_a_confirmer"})


def absent_value(key: str) -> Number | None:
    """What a figure the issue no longer prints stands for: no project (0) in a region's cell or in a count
    printed only when not zero, nothing (None) for an amount."""
    return 0 if key.startswith("regions.") or key.rsplit(".", 1)[-1] in _WHEN_NOT_ZERO else None


def changed_figures(expected: Mapping[str, Number | None], now: Mapping[str, Number | None]) -> list[str]:
    """The ids of the published figures whose value now differs from what the issue stands by (expected):
    a value that moved, a figure gone, a figure printed where the issue printed none (a new region row,
    « dont 1 au statut à confirmer »). A new indicator of the code was never published: not a change.

    >>> changed_figures({"qip.montant": 5, "regions.mopti.ff": 5, "regions.mopti.qip": 0},
    ...                 {"qip.montant": 5, "regions.segou.ff": 5, "regions.segou.qip": 0, "qip.nouveau": 3})
    ['regions.mopti.ff', 'regions.segou.ff']
    """
    moved = [k for k, v in expected.items() if now.get(k, absent_value(k)) != v]
    # A record written before a list's names were kept holds none of them: they are new to it, not changes.
    kept = {named.prefix for named in NAMED_SETS if any(k.startswith(named.prefix) for k in expected)}

    def appears(k: str) -> bool:
        named = named_set(k)
        if named is not None:
            return named.prefix in kept
        return k.startswith(_WHEN_PRESENT) or k.rsplit(".", 1)[-1] in _WHEN_NOT_ZERO

    appeared = [k for k, v in now.items() if k not in expected and v != absent_value(k) and appears(k)]
    return moved + appeared


def absent_currency(key: str, recorded: Mapping[str, object], publication: str) -> str | None:
    """The currency of a cited amount the issue no longer prints, as far as its publication record tells:
    the publication currency for its converted value, and for the amount itself when the record holds no
    converted value beside it (it needed none); None when the amount was in another currency.

    >>> [absent_currency(k, {"projets.A.montant.converti": 1}, "USD")
    ...  for k in ("projets.A.montant", "projets.A.montant.converti", "projets.B.montant", "qip.total")]
    [None, 'USD', 'USD', None]
    """
    if key.endswith(".montant.converti") or key == "qip.plafond":
        return publication
    if key.endswith(".montant") and key.startswith(("projets.", "contributions.")):
        return None if f"{key}.converti" in recorded else publication
    return None


def figure_or_absent(
    key: str,
    now: Mapping[str, KeyFigure],
    register: Register,
    when: date,
    t: gettext.NullTranslations = FRENCH,
    currency: str | None = None,
) -> KeyFigure:
    """The figure `key` as computed now, or, for one the issue no longer prints, what describes it (its
    label and unit) with its absent value: for messages and errata that say what it was and is. A cited
    amount gone is in `currency` (absent_currency): it was shown as a bare number."""
    if key in now:
        return now[key]
    named = named_set(key)
    if named is not None:
        label = t.gettext(named.element) % {"nom": key[len(named.prefix) :]}
        return KeyFigure(named.fonds, named.indicateur, label, None, "nom", None, None, (), when)
    parts = key.split(".")
    if parts[0] == "regions" and len(parts) == 3:
        names = {r.code: r.nom for r in register.regions}
        label = t.gettext("Projets par région : %(ligne)s") % {"ligne": names.get(parts[1], parts[1])}
        column = "" if parts[2] == "total" else parts[2]
        return KeyFigure(column, f"regions.{parts[1]}", label, absent_value(key), "projets", None, None, (), when)
    if parts[0] in ("projets", "contributions") and len(parts) >= 3:
        label = (
            t.gettext("Montant du projet %(id)s") % {"id": parts[1]}
            if parts[0] == "projets"
            else t.gettext("Montant de la contribution %(id)s (%(bailleur)s)")
            % {"id": parts[1], "bailleur": getattr(register.contributions_par_id.get(parts[1]), "bailleur", "—")}
        )
        return KeyFigure("", f"{parts[0]}.{parts[1]}", label, None, currency or "", currency, None, (), when)
    indicator = parts[-1]
    label = t.gettext(LABELS[indicator]) if indicator in LABELS else key
    unit = {"depuis": "annee", "duree_max": "mois", "plafond": currency or ""}.get(indicator, "projets")
    devise = currency if indicator == "plafond" else None
    return KeyFigure(parts[0], indicator, label, absent_value(key), unit, devise, None, (), when)


def published_values(figures: IssueFigures, register: Register) -> dict[str, Number | None]:
    return {key: k.valeur for key, k in published_figures(figures, register).items()}


def errata(figures: IssueFigures, register: Register) -> tuple[Correction, ...]:
    """The issue's errata, oldest first: recorded ones as publie.yaml keeps them, the others (not yet
    recorded) from the published values to the values computed now."""
    issue, record = figures.issue, figures.issue.publication
    if record is None or not issue.rectificatifs:
        return ()
    recorded = {e.date: e for e in record.rectificatifs}
    expected = record.expected()
    now = published_values(figures, register)
    out = []
    for erratum in sorted(issue.rectificatifs, key=lambda e: e.date):
        kept = recorded.get(erratum.date)
        if kept is not None:
            changes = tuple(Change(k, before, after) for k, (before, after) in kept.chiffres.items())
        else:
            changes = tuple(
                Change(k, expected.get(k, absent_value(k)), now.get(k, absent_value(k)))
                for k in changed_figures(expected, now)
                if any(k == n or k.startswith(n + ".") for n in erratum.chiffres)
            )
        out.append(Correction(erratum.date, erratum.motif, changes, kept is not None))
    return tuple(out)


# --- register rows ---------------------------------------------------------------


def _used_projects(figures: IssueFigures) -> list[Project]:
    """Projects cited by the issue (events, PBF list) and TF projects approved in its period."""
    used = {p.id: p for p in figures.projets.values()}
    used.update((p.id, p) for day in figures.approbations for p in day.projets)
    return sorted(used.values(), key=lambda p: (_fund_rank(p.fonds), p.id))


def _fund_rank(code: str) -> int:
    return FUND_ORDER.index(code) if code in FUND_ORDER else len(FUND_ORDER)


def _fund_date(figures: IssueFigures, code: str) -> date:
    """The reference date of a fund's block: a project's status is read at its fund's date."""
    return getattr(figures, code).date if code in FUND_ORDER else figures.issue.date_reference


def _project_json(p: Project, register: Register, when: date) -> dict[str, Any]:
    regions = {r.code: r.nom for r in register.regions}
    sectors = {s.code: s.nom for s in register.secteurs.get(p.fonds, ())}
    axes = {a.code: a.nom for a in register.axes}
    status = own_status(p, when)  # a project an opening balance counts: its own status all the same
    j = p.jalons
    return {
        "id": p.id,
        "fonds": p.fonds,
        "titre": p.titre,
        "regions": [{"code": code, "nom": regions[code]} for code in p.regions],
        "secteur": {"code": p.secteur, "nom": sectors[p.secteur]} if p.secteur else None,
        "axe": {"code": p.axe, "nom": axes[p.axe]} if p.axe else None,
        "montant": _number(p.montant.montant) if p.montant else None,
        "devise": p.montant.devise if p.montant else None,
        "montant_converti": _converted(p.montant),
        "statut": status.value if status else None,  # None: not yet counted on that date
        "prolonge": is_extended(p, when),
        "jalons": {
            "approbation": _iso(j.approbation),
            "debut": _iso(j.debut),
            "fin_prevue": _iso(j.fin_prevue),
            "remise": _iso(j.remise),
            "cloture": _iso(j.cloture),
            "prolongations": [{"debut": e.debut.isoformat(), "fin": e.fin.isoformat()} for e in j.prolongations],
            # Only for a project an opening balance counts (the balance's date): the other files stay as they were.
            **({"solde": j.solde.isoformat()} if j.solde else {}),
        },
        "date_reference": when.isoformat(),
    }


def _contribution_json(c: Contribution, when: date) -> dict[str, Any]:
    received = c.recue is not None and c.recue <= when
    return {
        "id": c.id,
        "bailleur": c.bailleur,
        "montant": _number(c.montant.montant),
        "devise": c.montant.devise,
        "montant_converti": _converted(c.montant),
        "signee": c.signee.isoformat(),
        "recue": _iso(c.recue),
        "statut": "recue" if received else "annoncee",  # only received contributions count in the budget
        "date_reference": when.isoformat(),
    }


# --- region table -----------------------------------------------------------------


def _regions_json(figures: IssueFigures, register: Register, t: gettext.NullTranslations) -> dict[str, Any]:
    """The region table with its unplaced and historical rows as rows of their own, never folded in
    (their labels in the language of t; a region's name is the register's)."""
    table = figures.regions
    codes = {r.nom: r.code for r in register.regions}
    when = figures.issue.date_reference
    rows = [_region_row(row, "region", codes[row.nom], when) for row in table.lignes]
    rows += [
        _region_row(replace(getattr(table, name), nom=t.gettext(getattr(table, name).nom)), name, None, when)
        for name in REGION_ROWS
    ]
    return {
        "colonnes": list(FUND_ORDER),
        # A project in several regions is counted in each: region rows may add up to more than the total.
        "projets_multi_regions": table.multi_regions,
        "lignes": rows,
    }


def _region_row(row: RegionRow, kind: str, code: str | None, when: date) -> dict[str, Any]:
    return {
        "categorie": kind,
        "region": code,
        "libelle": row.nom,
        **dict(zip(FUND_ORDER, row.par_fonds)),
        "total": row.total,
        "date_reference": when.isoformat(),
    }


# --- values -----------------------------------------------------------------------


def _number(value: Decimal) -> Number:
    """An amount as a JSON number: whole amounts as integers, cents kept otherwise."""
    return int(value) if value == value.to_integral_value() else float(value)


def _converted(money: Money | None) -> dict[str, Any] | None:
    """An amount's value in the publication currency, at the rate of its date (bulletin.money); None when
    the amount is already in the publication currency."""
    if money is None or money.converti is None:
        return None
    return {"montant": _number(money.converti.montant), "devise": money.converti.devise, "environ": True}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(…)` in a donor's
# name): OWASP's "CSV injection" advice is to start such a text cell with a single quote, which the
# spreadsheet shows as text. Numbers are never negative here (amounts and counts are checked >= 0),
# so number cells are left as they are and stay numbers.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> str:
    """A CSV cell: ISO dates, plain numbers (no exponent, no grouping), empty for None, and texts that
    a spreadsheet could take for a formula neutralised with a leading single quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(Decimal(repr(value)), "f") if isinstance(value, float) else str(value)
    text = LIST_SEPARATOR.join(value) if isinstance(value, tuple) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
