"""Typed, immutable models. Field names are the French YAML keys the author types."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from .errors import Problem, SourceRef
from .pickling import quicker

if TYPE_CHECKING:
    from .plan_models import WorkPlan


class Status(Enum):
    """A project's status on a date (register.status_on). FINALISE and CLOTURE count as finalised."""

    NON_DEMARRE = "non_demarre"  # approved, its recorded start (debut) still to come
    EN_COURS = "en_cours"
    FINALISE = "finalise"  # handed over (remise)
    CLOTURE = "cloture"  # closed (cloture), not handed over
    A_CONFIRMER = "a_confirmer"  # past its planned end (or its extension's) with no handover or closure

    @property
    def finished(self) -> bool:
        return self in (Status.FINALISE, Status.CLOTURE)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in its own currency. An amount in another currency than the publication's carries its
    value in the publication currency (converti), at the rate in force on its own date (bulletin.money);
    a total that such a conversion entered is 'environ' (approximate), and is published as such."""

    montant: Decimal
    devise: str
    converti: Money | None = None
    environ: bool = False


@dataclass(frozen=True, slots=True)
class Rate:
    """A row of the rates table (registre/taux.yaml): on this date, 1 unit of the publication currency
    is worth `taux` units of `devise` (e.g. 580,5 francs CFA for 1 dollar)."""

    date: date
    devise: str
    taux: Decimal
    source_text: str
    source: SourceRef = field(repr=False)  # where to point messages; no page shows it


@dataclass(frozen=True, slots=True)
class Fund:
    code: str
    nom: str
    sigle: str
    plafond: Money | None = None
    duree_max_mois: int | None = None
    nom_en: str | None = None  # the English edition's name (`nom_en:` beside `nom:`, references.yaml)


@dataclass(frozen=True, slots=True)
class Named:
    """A reference entry: region, sector or thematic axis."""

    code: str
    nom: str
    nom_en: str | None = None  # the English edition's name (`nom_en:` beside `nom:`, references.yaml)


@dataclass(frozen=True, slots=True)
class Extension:
    debut: date
    fin: date


@dataclass(frozen=True, slots=True)
class Milestones:
    approbation: date | None = None
    debut: date | None = None
    fin_prevue: date | None = None
    remise: date | None = None
    cloture: date | None = None
    prolongations: tuple[Extension, ...] = ()
    # The date of the opening balance (registre/soldes.yaml) that counts this project: a project of the
    # summarised history, detailed later (to announce its handover). It stays in that balance until its
    # first event after the balance's date (start, handover, closure, extension), and counts apart from then.
    solde: date | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """A project of the register, as it reads: its lines in the file are kept beside it
    (Register.lignes), not in it. A line added above it moves them and leaves it the same value,
    so the preview keeps the very object, and all it computed from it, after a handover is saved."""

    id: str
    fonds: str
    titre: str
    jalons: Milestones
    regions: tuple[str, ...] = ()
    lieux: tuple[str, ...] = ()
    secteur: str | None = None
    axe: str | None = None
    montant: Money | None = None
    partenaire: str | None = None
    agences: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    bailleurs: tuple[str, ...] = ()
    description: str | None = None
    note: str | None = None  # internal: never published
    remarque_publique: str | None = None  # a remark for readers, printed next to the project
    lien: str | None = None
    # The English edition's texts (`titre_en:`, `description_en:`, `remarque_publique_en:` beside the French).
    titre_en: str | None = None
    description_en: str | None = None
    remarque_publique_en: str | None = None


def earliest_date(project: Project) -> date | None:
    """When a project begins: approval, else start, else its earliest known milestone (the date of its amount)."""
    j = project.jalons
    if j.approbation or j.debut:
        return j.approbation or j.debut
    known = [d for d in (j.fin_prevue, j.remise, j.cloture) if d] + [e.debut for e in j.prolongations]
    return min(known) if known else None


def first_date(project: Project) -> date | None:
    """When a project starts to count apart: when it begins (earliest_date); for a project an opening
    balance counts (jalons.solde), its first event after that balance's date, None while it has none.
    Issues published before that event keep their figures: the project was in the balance."""
    j = project.jalons
    if j.solde is None:
        return earliest_date(project)
    events = [d for d in (j.debut, j.remise, j.cloture, *(e.debut for e in j.prolongations)) if d and d > j.solde]
    return min(events) if events else None


@dataclass(frozen=True, slots=True)
class Contribution:
    id: str
    bailleur: str
    montant: Money
    signee: date
    source: SourceRef = field(repr=False)  # where to point messages; no page shows it
    recue: date | None = None
    note: str | None = None
    lien: str | None = None
    source_lignes: Mapping[str, int] = field(default_factory=dict, repr=False)  # line of each field, for messages


@dataclass(frozen=True, slots=True)
class ProjectBalance:
    """Projects known only in summary, as of a date: not itemised in the register."""

    fonds: str
    date: date
    depuis: int
    finalises: int
    en_cours: int
    montant: Money | None
    source_text: str
    source: SourceRef = field(repr=False)  # where to point messages; no page shows it
    # Itemised projects that started before the balance's date but are NOT counted in it.
    detailles: tuple[str, ...] = ()
    # Approved projects, when the source says so: may exceed finalises + en_cours (approved, not started).
    approuves: int | None = None

    @property
    def total(self) -> int:
        """Projects the balance counts: its declared approved figure, else finalised + ongoing."""
        return self.approuves if self.approuves is not None else self.finalises + self.en_cours

    @property
    def non_demarres(self) -> int:
        return self.total - self.finalises - self.en_cours


@dataclass(frozen=True, slots=True)
class ContributionBalance:
    date: date
    montant: Money
    bailleurs: tuple[str, ...]
    source_text: str
    source: SourceRef = field(repr=False)  # where to point messages; no page shows it


@dataclass(frozen=True, slots=True)
class Lines:
    """Where an entry of a register file is: its first line, and the line of each of its fields."""

    source: SourceRef
    champs: Mapping[str, int] = field(default_factory=dict)

    def at(self, key: str | None = None) -> SourceRef:
        """The line of field `key` (the entry's first line when it has none, or for None)."""
        return SourceRef(self.source.path, self.champs.get(key, self.source.line)) if key else self.source

    def moved(self, by: int) -> Lines:
        """The same entry, `by` lines further down its file."""
        line = self.source.line
        return Lines(
            SourceRef(self.source.path, line + by if line is not None else None),
            MappingProxyType({key: n + by for key, n in self.champs.items()}),
        )


@dataclass(frozen=True, slots=True)
class Register:
    fonds: tuple[Fund, ...]
    regions: tuple[Named, ...]
    secteurs: dict[str, tuple[Named, ...]]
    axes: tuple[Named, ...]
    bailleurs: tuple[str, ...]
    projets: tuple[Project, ...]
    contributions: tuple[Contribution, ...]
    soldes_projets: tuple[ProjectBalance, ...]
    soldes_contributions: tuple[ContributionBalance, ...]
    # Ids of entries left out for their own errors: citing them is not a second error.
    incomplets: frozenset[str] = frozenset()
    # Exchange rates (registre/taux.yaml), oldest first; amounts are converted by bulletin.money.
    taux: tuple[Rate, ...] = ()
    # The donors' English names (references.yaml « bailleurs_en », French name -> English).
    bailleurs_en: Mapping[str, str] = field(default_factory=dict)
    # The implementing agencies' English names (references.yaml « agences_en », e.g. PNUD -> UNDP).
    agences_en: Mapping[str, str] = field(default_factory=dict)
    # The stable parts without their English name: (where, key to add, what), for check (bulletin.language).
    sans_anglais: tuple[tuple[SourceRef, str, str], ...] = field(default=(), repr=False, compare=False)
    # Where each project is written (the lines of projets[i] are lignes[i]), for messages: no page shows
    # it (Project says why it is not in the project).
    lignes: tuple[Lines, ...] = field(default=(), repr=False, compare=False)
    # The kinds of entries ("projets", "contributions") of a file that could not be read (its own
    # error says why): an id it may hold is not reported unknown, which would send the author to add an
    # entry that is there.
    illisibles: frozenset[str] = frozenset()
    # Projects with a milestone written wrong (reported at its line): an issue's event is not also told
    # the register lacks that milestone.
    jalons_illisibles: frozenset[str] = frozenset()
    # Projects and contributions by id, made once: every item of every issue looks one up.
    projets_par_id: Mapping[str, Project] = field(init=False, repr=False, compare=False)
    contributions_par_id: Mapping[str, Contribution] = field(init=False, repr=False, compare=False)
    # The first date on which each fund's itemised projects have an amount, and ("contributions") the
    # trust fund's budget a contribution: every issue's check asks it (bulletin.checks.unprintable_figures).
    premiers_montants: Mapping[str, date] = field(init=False, repr=False, compare=False)
    # The lines of each project by id (of the one projets_par_id holds), and by the project object itself:
    # of two entries under one id (an error), each message about one points to its own lines.
    lignes_projets: Mapping[str, Lines] = field(init=False, repr=False, compare=False)
    lignes_par_objet: Mapping[int, Lines] = field(init=False, repr=False, compare=False)
    # The projects each opening balance counts (jalons.solde), by (fund, balance date), in register order:
    # every figure of a fund on a date asks for those of the balance in force (bulletin.register.balance_in_force).
    comptes_par_solde: Mapping[tuple[str, date], tuple[Project, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "projets_par_id", MappingProxyType({p.id: p for p in self.projets}))
        placed = list(zip(self.projets, self.lignes))
        object.__setattr__(self, "lignes_projets", MappingProxyType({p.id: lines for p, lines in placed}))
        object.__setattr__(self, "lignes_par_objet", MappingProxyType({id(p): lines for p, lines in placed}))
        object.__setattr__(self, "contributions_par_id", MappingProxyType({c.id: c for c in self.contributions}))
        firsts: dict[str, date] = {}
        dated = [(p.fonds, first_date(p)) for p in self.projets if p.montant is not None]
        dated += [("contributions", b.date) for b in self.soldes_contributions]
        dated += [("contributions", c.recue) for c in self.contributions]
        for key, day in dated:
            if day is not None and (key not in firsts or day < firsts[key]):
                firsts[key] = day
        object.__setattr__(self, "premiers_montants", MappingProxyType(firsts))
        counted: dict[tuple[str, date], list[Project]] = {}
        for p in self.projets:
            if p.jalons.solde is not None:
                counted.setdefault((p.fonds, p.jalons.solde), []).append(p)
        object.__setattr__(self, "comptes_par_solde", MappingProxyType({key: tuple(ps) for key, ps in counted.items()}))

    def __reduce__(self) -> tuple[type[Register], tuple[object, ...]]:
        # Kept validated from one build to the next (bulletin.memo): pickled as its fields, the lookup
        # tables (read-only views, which pickle refuses) made again from them on loading.
        return Register, tuple(getattr(self, f.name) for f in fields(self) if f.init)

    def fund(self, code: str) -> Fund:
        return next(f for f in self.fonds if f.code == code)

    def project(self, project_id: str) -> Project:
        return self.projets_par_id[project_id]

    def where(self, project: Project | str, key: str | None = None) -> SourceRef:
        """The line of a project's field `key` (its first line for None or a field it lacks): of that very
        project, or of the one its id names (projets_par_id)."""
        if isinstance(project, str):
            lines = self.lignes_projets.get(project)
        else:
            lines = self.lignes_par_objet.get(id(project)) or self.lignes_projets.get(project.id)
        return lines.at(key) if lines is not None else SourceRef(Path("registre/projets"))

    def contribution(self, contribution_id: str) -> Contribution:
        return self.contributions_par_id[contribution_id]

    def left_out(self, entry_id: str, kind: str) -> bool:
        """Whether citing entry_id (of kind "projets" or "contributions") is no error of its own: the
        entry was left out for its own errors, or the register lacks it and a file that may hold it could
        not be read."""
        known = self.projets_par_id if kind == "projets" else self.contributions_par_id
        return entry_id in self.incomplets or (kind in self.illisibles and entry_id not in known)


@dataclass(frozen=True, slots=True)
class Currency:
    unite: str
    de: str


@dataclass(frozen=True, slots=True)
class Logo:
    """The publication's logo (reglages.yaml « logo »): a file inside content/ and its alternative text."""

    fichier: Path
    texte_alternatif: str


@dataclass(frozen=True, slots=True)
class Settings:
    titre: str
    section: str
    mission: str
    devise_par_defaut: str
    devises: dict[str, Currency]
    logo: Logo | None = None
    # The English edition's running head and masthead (reglages.yaml, `titre_en:` beside `titre:`…).
    titre_en: str | None = None
    section_en: str | None = None
    mission_en: str | None = None
    sans_anglais: tuple[tuple[SourceRef, str, str], ...] = field(default=(), repr=False, compare=False)


# --- One monthly issue ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prose:
    """Markdown text with where it was written, for placeholder errors."""

    texte: str
    source: SourceRef = field(repr=False)  # where to point messages; no page shows it


@dataclass(frozen=True, slots=True)
class Highlight:
    texte: str
    renvoi: str | None
    source: SourceRef = field(repr=False)  # where to point messages; no page shows it
    texte_en: str | None = None  # the English edition's text (`texte_en:` beside `texte:`)


@dataclass(frozen=True, slots=True)
class Photo:
    fichier: Path
    texte_alternatif: str
    legende: str
    credit: str
    largeur: int
    hauteur: int
    source: SourceRef = field(repr=False)  # where to point messages; no page shows it


@dataclass(frozen=True, slots=True)
class Item:
    """A dated entry: a meeting, or an event on a project or a contribution."""

    id: str
    texte: Prose
    source: SourceRef = field(repr=False)  # where to point messages; no page shows it
    date: date | None = None
    type: str | None = None
    projet: str | None = None
    contribution: str | None = None
    lien: str | None = None
    photo: Photo | None = None
    texte_en: Prose | None = None  # the English edition's text (`texte_en:` beside `texte:`)


@dataclass(frozen=True, slots=True)
class Approvals:
    id: str
    introduction: Prose | None
    conclusion: Prose | None
    introduction_en: Prose | None = None
    conclusion_en: Prose | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    nom: str
    fonction: str
    courriel: str
    fonction_en: str | None = None


@dataclass(frozen=True, slots=True)
class Erratum:
    """A dated correction of a published issue, as the officer writes it in bulletin.yaml."""

    date: date
    motif: str
    chiffres: tuple[str, ...]  # ids of published figures, e.g. "qip.projets_en_cours"
    source: SourceRef = field(repr=False)
    motif_en: str | None = None  # the English edition's wording (`motif_en:` beside `motif:`)


@dataclass(frozen=True, slots=True)
class RecordedErratum:
    """An erratum as the publication record keeps it: each figure's value before and after."""

    date: date
    motif: str
    chiffres: Mapping[str, tuple[int | float | None, int | float | None]]


@dataclass(frozen=True, slots=True)
class PublicationRecord:
    """publie.yaml: what an issue printed when it was published, and the errata recorded since."""

    publie_le: date
    chiffres: Mapping[str, int | float | None]  # figure id -> value, as open data gives it
    registre: Mapping[str, Mapping[str, object]]  # register entries counted, for explaining a change
    rectificatifs: tuple[RecordedErratum, ...]
    source: SourceRef = field(repr=False)
    lignes: Mapping[str, int] = field(default_factory=dict, repr=False)  # line of each figure id
    # The dates the issue printed its figures at (« date_reference », « pbf_date_reference »): none in a
    # record written before they were kept.
    dates: Mapping[str, date] = field(default_factory=dict)

    def expected(self) -> dict[str, int | float | None]:
        """The values the issue stands by: as published, then as each recorded erratum corrected them."""
        values = dict(self.chiffres)
        for erratum in self.rectificatifs:
            values.update((key, after) for key, (_, after) in erratum.chiffres.items())
        return values


@dataclass(frozen=True, slots=True)
class Issue:
    mois: str  # "2017-11"
    date_reference: date
    periode_debut: date
    periode_fin: date
    numero: int | None
    faits_saillants: tuple[Highlight, ...]
    coordination: tuple[Item, ...]
    qip_presentation: Prose
    qip_faits: tuple[Item, ...]
    ff_presentation: Prose
    ff_approbations: Approvals
    ff_faits: tuple[Item, ...]
    ff_contributions: tuple[Item, ...]
    pbf_presentation: Prose
    pbf_date_reference: date
    pbf_projets: tuple[str, ...]
    role: Prose
    contact: Contact
    remerciements: Prose
    archive: str
    source: SourceRef = field(repr=False)  # where to point messages; no page shows it
    date_source: SourceRef | None = field(default=None, repr=False)  # the line of date_reference
    pbf_date_source: SourceRef | None = field(default=None, repr=False)  # the line of pbf: date_reference
    rectificatifs: tuple[Erratum, ...] = ()
    publication: PublicationRecord | None = None  # None: a draft, its pages follow the register
    carte: Photo | None = None  # the optional region map, printed with the overview
    # The English Markdown texts (`qip.en.md` beside `qip.md`), by the key that names the French file:
    # "qip", "fonds_fiduciaire", "pbf" (their `presentation`), "role", "remerciements".
    markdown_en: Mapping[str, Prose] = field(default_factory=dict)
    # Each text still without its English: (where, key to add), for check (bulletin/validate.py).
    sans_anglais: tuple[tuple[SourceRef, str], ...] = field(default=(), repr=False, compare=False)
    # The {{ name }} its texts use, French and English: what of the fund settings it prints (opendata).
    # Sorted, not a set: an issue's repr is part of its figures' keys, and a set's order changes from
    # one process to the next (every page was rendered again after each handover).
    placeholders: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Edition:
    """Everything the build publishes, validated."""

    settings: Settings
    register: Register
    issues: tuple[Issue, ...]  # oldest first
    plans: tuple[WorkPlan, ...] = ()
    warnings: tuple[Problem, ...] = ()
    # Month -> a digest of the files its figures are computed from (the issue's, the register's), when
    # a build keeps results between builds (bulletin.memo): its figures' key is found again under it.
    empreintes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False, compare=False)


# Kept results are unpickled at every rebuild (bulletin/pickling.py).
quicker(list(globals().values()))
