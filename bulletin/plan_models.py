"""Typed, immutable models of a partner's annual work plan. Field names are the YAML keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import SourceRef
from .pickling import quicker

QUARTERS = ("T1", "T2", "T3", "T4")


@dataclass(frozen=True, slots=True)
class Account:
    code: str
    description: str  # the Atlas label, as the partner's documents print it (English)
    libelle_fr: str | None = None  # the label the publication prints

    @property
    def libelle(self) -> str:
        return self.libelle_fr or self.description


@dataclass(frozen=True, slots=True)
class BudgetLine:
    responsable: str
    compte: str
    trimestres: tuple[str, ...]  # the line's own quarters, or its activity's
    source: SourceRef
    montant: Decimal | None = None  # None: the source gives no amount (kept as such)
    donateur: str | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    numero: str
    texte: str
    trimestres: tuple[str, ...]
    lignes: tuple[BudgetLine, ...]
    source: SourceRef
    sous_activites: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Result:
    numero: int
    titre: str
    activites: tuple[Activity, ...]
    source: SourceRef
    sous_total_declare: Decimal | None = None
    sous_total_ligne: int | None = None  # line of the declared sub-total, for findings


@dataclass(frozen=True, slots=True)
class IndicativeResult:
    texte: str
    marqueur_genre: int


@dataclass(frozen=True, slots=True)
class Signatory:
    nom: str
    role: str  # as the document writes it (often English)
    role_fr: str | None = None  # the role the publication prints

    @property
    def libelle(self) -> str:
        return self.role_fr or self.role


@dataclass(frozen=True, slots=True)
class Declared:
    """A figure the document prints, with where it is written."""

    valeur: Decimal
    source: SourceRef


@dataclass(frozen=True, slots=True)
class WorkPlan:
    slug: str
    titre: str
    id_projet: str
    annee: int
    partenaire: str
    modalite: str
    debut: date
    fin: date
    effet_cpd: str
    devise: str
    resume: str
    resultats_indicatifs: tuple[IndicativeResult, ...]
    resultats: tuple[Result, ...]
    signataires: tuple[Signatory, ...]
    comptes: dict[str, Account]
    source: SourceRef
    total_declare: Declared | None = None
    finance_declare: Declared | None = None
    non_finance_declare: Declared | None = None
    budget_total_declare: Declared | None = None


# Kept results are unpickled at every rebuild (bulletin/pickling.py).
quicker(list(globals().values()))
