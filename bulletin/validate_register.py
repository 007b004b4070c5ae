"""Raw register files -> typed Register, with every problem gathered."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from .errors import Problem, Severity, SourceRef
from .fields import Reader, mapping_at, mappings
from .incremental import digest
from .load import Piece, RawList, RawMap, load_yaml, missing
from .memo import NO_PARSING, Parsing
from .messages import fields as fields_msg
from .messages import load as load_msg
from .messages import register as register_msg
from .models import (
    Contribution,
    ContributionBalance,
    Extension,
    Fund,
    Lines,
    Milestones,
    Money,
    Named,
    Project,
    ProjectBalance,
    Prose,
    Register,
)
from .money import RATES_FILE, apply_rates, read_rates
from .typography_checks import check_typography

REQUIRED_FUNDS = ("qip", "ff", "pbf")
_PROJECT_KEYS = (
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
    "titre_en",
    "description_en",
    "remarque_publique_en",
)
_MILESTONE_KEYS = ("approbation", "debut", "fin_prevue", "remise", "cloture", "solde", "prolongations")


def validate_register(
    folder: Path, default_currency: str, problems: list[Problem], parsing: Parsing = NO_PARSING
) -> Register | None:
    """Read content/registre/; None when it is too broken to use (problems say why)."""
    if not folder.is_dir():
        problems.append(load_msg.folder_missing(folder, "du registre (registre/)"))
        return None
    refs = _references(folder / "references.yaml", default_currency, problems, parsing)
    if refs is None:
        return None
    funds, regions, sectors, axes, donors, donors_en, agencies_en, untranslated = refs
    ctx = _Context(funds, regions, sectors, axes, donors, default_currency, problems, parsing)
    projects: list[tuple[Project, Lines]] = []
    for path in sorted((folder / "projets").glob("*.yaml")):
        projects.extend(ctx.projects(path))
    _check_unique([(p.id, lines.source) for p, lines in projects], "id", problems)
    contributions = ctx.contributions(folder / "contributions.yaml")
    _check_unique([(c.id, c.source) for c in contributions], "id", problems)
    ctx.keep_projects()
    project_balances, contribution_balances = ctx.balances(folder / "soldes.yaml")
    register = Register(
        funds,
        regions,
        sectors,
        axes,
        donors,
        tuple(p for p, _ in projects),
        tuple(contributions),
        project_balances,
        contribution_balances,
        frozenset(ctx.incomplete),
        bailleurs_en=donors_en,
        illisibles=frozenset(ctx.unreadable),
        jalons_illisibles=frozenset(ctx.dates_wrong),
        agences_en=agencies_en,
        sans_anglais=untranslated,
        lignes=tuple(lines for _, lines in projects),
    )
    # Amounts in another currency get their value in the publication currency, at the rate of their date.
    rates = read_rates(folder / RATES_FILE, default_currency, problems, parsing)
    return apply_rates(register, rates, default_currency, problems)


def _check_unique(pairs: list[tuple[str, SourceRef]], field: str, problems: list[Problem]) -> None:
    # « qip-2017-01 » beside « QIP-2017-01 »: one project for a reader, two for the figures.
    seen: dict[str, SourceRef] = {}
    for value, src in pairs:
        if value.casefold() in seen:
            problems.append(fields_msg.duplicate_id(src, field, value, seen[value.casefold()]))
        else:
            seen[value.casefold()] = src


# An entry's id names it in addresses, anchors, open data and the erratum lines check suggests: letters
# without accents, digits, and « - » or « _ » inside; not « . », which separates the parts of a published
# figure's name (projets.<id>.montant). « ../../etc/passwd », « QIP 2017 77 » or « QIP.2017: 90 #x » were
# accepted, the last one making a suggested erratum line invalid YAML.
_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?")


def _identifier(r: Reader, example: str) -> str | None:
    ident = r.text("id", f"id: {example}")
    if ident is not None and not _ID.fullmatch(ident):
        expected = (
            "un identifiant de lettres sans accent et de chiffres, avec des tirets ou des soulignements à "
            "l'intérieur, sans espace ni point (64 signes au plus)"
        )
        r.problems.append(fields_msg.wrong_value(r.ref("id"), "id", expected, ident, f"id: {example}"))
        return None
    return ident


Root = TypeVar("Root", RawMap, RawList)
References = tuple[
    tuple[Fund, ...],
    tuple[Named, ...],
    dict[str, tuple[Named, ...]],
    tuple[Named, ...],
    tuple[str, ...],
    dict[str, str],
    dict[str, str],
    tuple[tuple[SourceRef, str, str], ...],
]


def _root(
    path: Path, problems: list[Problem], kind: type[Root], parsing: Parsing, required: bool = True
) -> Root | None:
    return _root_and_pieces(path, problems, kind, parsing, required)[0]


def _root_and_pieces(
    path: Path, problems: list[Problem], kind: type[Root], parsing: Parsing, required: bool = True
) -> tuple[Root | None, tuple[Piece, ...]]:
    """The file's root value, and its items' pieces when it is a long list parsed item by item."""
    if not path.exists():
        if required:
            problems.append(missing(path, SourceRef(path.parent), ""))
        return None, ()
    loaded = load_yaml(path, parsing)
    problems.extend(loaded.problems)
    if loaded.value is None:
        return None, ()
    if not isinstance(loaded.value, kind):
        what = "une liste (lignes commençant par « - »)" if kind is RawList else "des champs « clé: valeur »"
        problems.append(fields_msg.wrong_value(SourceRef(path, 1), "", what, "autre chose", "voir le guide"))
        return None, ()
    return loaded.value, loaded.pieces


def _holds_text(path: Path) -> bool:
    """Whether a register file holds anything but blank lines and comments (entries it may define).
    Only a regular file of the folder is read, and only its start: a pipe, a device or a link the loader
    refused (a pipe would be read for ever) holds no entry."""
    try:
        if path.is_symlink() or not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb") as f:
            text = f.read(1 << 16).decode("utf-8", errors="replace")
    except OSError:
        return False
    # YAML's ways of writing nothing (a document mark, a null) hold no entry either.
    empty = {"", "---", "...", "~", "null", "Null", "NULL"}
    return any(
        line.strip(" \t\ufeff") not in empty and not line.lstrip(" \t\ufeff").startswith("#")
        for line in text.splitlines()
    )


def _references(path: Path, currency: str, problems: list[Problem], parsing: Parsing) -> References | None:
    raw = _root(path, problems, RawMap, parsing)
    if raw is None:
        return None
    r = Reader(raw, problems, ("fonds", "regions", "secteurs", "axes", "bailleurs", "bailleurs_en", "agences_en"))
    fonds = []
    # Each stable part without its English name, for the English edition's check (bulletin.language).
    untranslated: list[tuple[SourceRef, str, str]] = []
    # A code given twice was taken as two entries: a region's projects counted in two rows, a fund's
    # headings taken from the second, an axis's amount listed twice (published figures gone wrong).
    codes: list[tuple[str, SourceRef]] = []
    for m in mappings(r.items("fonds", "- {code: qip, nom: ..., sigle: QIPs}", True), problems, "fonds", "code: qip"):
        f = Reader(m, problems, ("code", "nom", "nom_en", "sigle", "plafond", "duree_max_mois"))
        code, nom, sigle = f.text("code", "code: qip"), f.text("nom", "nom: ..."), f.text("sigle", "sigle: QIPs")
        nom_en = f.text("nom_en", "nom_en: Quick Impact Projects", False)
        if code:
            codes.append((code, f.ref("code")))
        if code and nom and sigle:
            problems.extend(check_typography(Prose(nom, f.ref("nom")), multiline=False))
            ceiling = f.amount("plafond", "50000", False, cents=True)
            money = Money(ceiling, currency) if ceiling is not None else None
            fonds.append(Fund(code, nom, sigle, money, f.count("duree_max_mois", "6", False, least=1), nom_en))
            if nom_en is None:
                untranslated.append((f.ref("nom"), "nom_en", f"le nom du fonds « {nom} »"))
    for code in REQUIRED_FUNDS:
        if code not in {f.code for f in fonds}:
            problems.append(
                fields_msg.missing_field(
                    r.ref("fonds"), "fonds", f"le fonds « {code} »", f"- {{code: {code}, nom: ..., sigle: ...}}"
                )
            )
    regions = _named(r.items("regions", "- {code: gao, nom: Gao}", True), problems, "regions", untranslated)
    secteurs: dict[str, tuple[Named, ...]] = {}
    sect_raw = r.mapping("secteurs", "secteurs: {qip: [...], ff: [...], pbf: [...]}")
    if sect_raw is not None:
        sr = Reader(sect_raw, problems, [f.code for f in fonds])
        for code in sect_raw.values:
            secteurs[code] = _named(sr.items(code, "- {code: sante, nom: Santé}"), problems, "secteurs", untranslated)
    axes = _named(r.items("axes", "- {code: A, nom: ...}"), problems, "axes", untranslated)
    _check_unique(codes, "code", problems)
    donors = r.texts("bailleurs", "- Canada")
    _check_unique(list(donors), "bailleurs", problems)
    bailleurs = tuple(dict.fromkeys(t for t, _ in donors))
    # The donors' English names: « bailleurs_en: {Allemagne: Germany} », each key a name of « bailleurs ».
    english: dict[str, str] = {}
    raw_en = r.mapping("bailleurs_en", "bailleurs_en: {Allemagne: Germany}", required=False)
    if raw_en is not None:
        e = Reader(raw_en, problems, bailleurs)
        english = {name: text for name in raw_en.values if (text := e.text(name, f"{name}: ...")) is not None}
    untranslated += [(ref, "bailleurs_en", f"le bailleur « {name} »") for name, ref in donors if name not in english]
    # The implementing agencies' English names: « agences_en: {PNUD: UNDP} ». Agencies are not a reference
    # list (a project names any), so any name may be a key; check lists those an English issue prints.
    agencies: dict[str, str] = {}
    raw_agencies = r.mapping("agences_en", "agences_en: {PNUD: UNDP}", required=False)
    if raw_agencies is not None:
        a = Reader(raw_agencies, problems, tuple(raw_agencies.values))
        agencies = {k: text for k in raw_agencies.values if (text := a.text(k, f"{k}: ...")) is not None}
    return tuple(fonds), regions, secteurs, axes, bailleurs, english, agencies, tuple(untranslated)


def _named(
    raw: RawList, problems: list[Problem], what: str, untranslated: list[tuple[SourceRef, str, str]]
) -> tuple[Named, ...]:
    out = []
    codes: list[tuple[str, SourceRef]] = []
    for m in mappings(raw, problems, what, "- {code: ..., nom: ...}"):
        n = Reader(m, problems, ("code", "nom", "nom_en"))
        code, nom = n.text("code", "code: gao"), n.text("nom", "nom: Gao")
        nom_en = n.text("nom_en", "nom_en: ...", False)
        if code:
            codes.append((code, n.ref("code")))
        if code and nom:
            problems.extend(check_typography(Prose(nom, n.ref("nom")), multiline=False))
            out.append(Named(code, nom, nom_en))
            if nom_en is None:
                untranslated.append((n.ref("nom"), "nom_en", f"le nom « {nom} » ({what})"))
    _check_unique(codes, "code", problems)
    return tuple(out)


class _Context:
    """Reference lists a register entry is checked against."""

    def __init__(
        self,
        fonds: Iterable[Fund],
        regions: Iterable[Named],
        secteurs: Mapping[str, Iterable[Named]],
        axes: Iterable[Named],
        bailleurs: Iterable[str],
        currency: str,
        problems: list[Problem],
        parsing: Parsing,
    ) -> None:
        self.funds = {f.code for f in fonds}
        self.regions = [r.code for r in regions]
        self.sectors = {k: [s.code for s in v] for k, v in secteurs.items()}
        self.axes = [a.code for a in axes]
        self.donors = list(bailleurs)
        self.currency = currency
        self.problems = problems
        self.parsing = parsing
        self.incomplete: set[str] = set()
        self.unreadable: set[str] = set()  # the kinds of entries of a file present but unreadable
        self.dates_wrong: set[str] = set()  # projects with a milestone written wrong
        # The preview's projects validated at the last save, by the digest of their text and of the
        # lists they are checked against; and those of this one (keep_projects). A project whose text is
        # the same is the very object again: a handover saved changes one project, and all that was
        # computed from the others is found again by identity (Memo.get_same).
        self.kept = parsing.memo.latest("projets-valides")
        self.made: dict[str, tuple[Project, Lines]] = {}
        self.lists = (
            ""
            if self.kept is None
            else digest(repr((sorted(self.funds), self.regions, self.sectors, self.axes, self.donors, currency)))
        )

    def _choice(self, r: Reader, key: str, value: str | None, choices: Iterable[str], what: str) -> str | None:
        if value is not None and value not in choices:
            self.problems.append(
                fields_msg.not_in_list(r.ref(key), key, what, value, choices, "content/registre/references.yaml")
            )
            return None
        return value

    def _choices(self, r: Reader, key: str, choices: Iterable[str], what: str) -> tuple[str, ...]:
        out = []
        for value, src in r.texts(key, f"{key}: [...]"):
            if value in choices:
                out.append(value)
            else:
                self.problems.append(
                    fields_msg.not_in_list(src, key, what, value, choices, "content/registre/references.yaml")
                )
        return tuple(out)

    def _money(self, r: Reader, key: str, required: bool) -> Money | None:
        amount = r.amount(key, required=required, cents=True)
        devise = r.text("devise", "devise: USD", required=False) or self.currency
        return None if amount is None else Money(amount, devise)

    def projects(self, path: Path) -> list[tuple[Project, Lines]]:
        raw, pieces = _root_and_pieces(path, self.problems, RawList, self.parsing)
        if raw is None:
            if _holds_text(path):  # an empty file holds no entry an issue may cite
                self.unreadable.add("projets")
            return []
        out = []
        for i in range(len(raw.items)):
            key = digest("projet", self.lists, pieces[i].key) if pieces and self.kept is not None else ""
            held = self.kept.get(key) if key and self.kept is not None else None
            if held is not None:  # its text, hence its value and problems (none), as at the last save
                self.made[key] = held
                out.append((held[0], held[1].moved(pieces[i].offset)))
                continue
            m = mapping_at(raw, i, self.problems, "projet", "- id: QIP-2017-01")
            if m is None:
                continue
            before = len(self.problems)
            made = self._project(m)
            if made is None:
                continue
            out.append(made)
            if key and len(self.problems) == before:  # a project with a problem is validated again
                self.made[key] = (made[0], made[1].moved(-pieces[i].offset))
        return out

    def keep_projects(self) -> None:
        """The projects validated now, kept for the next save (the others are let go)."""
        if self.kept is not None:
            self.kept.clear()
            self.kept.update(self.made)

    def _project(self, m: RawMap) -> tuple[Project, Lines] | None:
        """One project of the register and its lines; None when it is left out for its own errors."""
        r = Reader(m, self.problems, _PROJECT_KEYS, nested=dict.fromkeys(_MILESTONE_KEYS, "jalons"))
        pid, titre = _identifier(r, "QIP-2017-01"), r.text("titre", "titre: ...")
        fonds = self._choice(r, "fonds", r.text("fonds", "fonds: qip"), sorted(self.funds), "fonds")
        sector = r.text("secteur", "secteur: sante", required=False)
        if fonds:  # sectors are listed per fund: with an unknown fund, the fund alone is reported
            sector = self._choice(r, "secteur", sector, self.sectors.get(fonds, []), "secteur")
        axe = self._choice(r, "axe", r.text("axe", "axe: B", required=False), self.axes, "axe")
        jalons = self._milestones(r, pid)
        project = Project(
            id=pid or "",
            fonds=fonds or "",
            titre=titre or "",
            jalons=jalons or Milestones(),
            regions=self._choices(r, "regions", self.regions, "région"),
            lieux=tuple(t for t, _ in r.texts("lieux", "lieux: [Gao]")),
            secteur=sector,
            axe=axe,
            montant=self._money(r, "montant", fonds in ("qip", "ff")),
            partenaire=r.text("partenaire", "partenaire: ...", required=False),
            agences=tuple(t for t, _ in r.texts("agences", "agences: [PNUD]")),
            sections=tuple(t for t, _ in r.texts("sections", "sections: [UNPOL]")),
            bailleurs=self._choices(r, "bailleurs", self.donors, "bailleur"),
            description=r.text("description", "description: ...", required=False),
            note=r.text("note", "note: ...", required=False),
            remarque_publique=r.text("remarque_publique", "remarque_publique: ...", required=False),
            lien=r.url("lien", "lien: http://...", required=False),
            titre_en=r.text("titre_en", "titre_en: ...", required=False),
            description_en=r.text("description_en", "description_en: ...", required=False),
            remarque_publique_en=r.text("remarque_publique_en", "remarque_publique_en: ...", required=False),
        )
        # The French texts the pages print, as an issue's prose: « Etat » is « État » on a sector's page too.
        for key in ("titre", "description", "remarque_publique"):
            if text := getattr(project, key):
                self.problems.extend(check_typography(Prose(text, r.ref(key)), multiline=False))
        if pid and titre and fonds and jalons is not None:
            return project, Lines(m.src, MappingProxyType(dict(m.lines)))
        if pid:
            self.incomplete.add(pid)
        return None

    def _milestones(self, r: Reader, pid: str | None) -> Milestones | None:
        raw = r.mapping("jalons", "jalons: {approbation: 2017-11-09}")
        if raw is None:
            return None
        j = Reader(raw, self.problems, _MILESTONE_KEYS)
        before = len(self.problems)
        dates = {k: j.date(k, required=False) for k in _MILESTONE_KEYS[:-1]}
        # A milestone unreadable (« remise: 31/12/2018 ») is reported at its line; an issue's event of that
        # project is then not also told the register lacks it, which would ask for a second « remise: »
        # (its other checks, the project's fund for one, still run; dates in the wrong order are readable).
        if pid and any(p.severity is Severity.ERROR for p in self.problems[before:]):
            self.dates_wrong.add(pid)
        extensions = []
        for m in mappings(
            j.items("prolongations", "- {debut: 2017-01-01, fin: 2017-03-31}"),
            self.problems,
            "prolongations",
            "- {debut: 2017-01-01, fin: 2017-03-31}",
        ):
            e = Reader(m, self.problems, ("debut", "fin"))
            debut, fin = e.date("debut"), e.date("fin")
            if debut and fin and fin < debut:
                self.problems.append(register_msg.extension_order(e.ref("fin"), debut, fin))
            elif debut and fin:
                extensions.append(Extension(debut, fin))
        if not any(v for k, v in dates.items() if k != "solde") and not extensions:
            # A date written wrong is reported at its own line: asking for « au moins une date » would be a
            # second error. Any other way to have none (an empty « prolongations: [] ») is this one.
            if not any(p.severity is Severity.ERROR for p in self.problems[before:]):
                self.problems.append(
                    fields_msg.missing_field(raw.src, "jalons", "au moins une date", "approbation: 2017-11-09")
                )
            return None
        start = dates["approbation"] or dates["debut"]
        for end_key in ("remise", "cloture", "fin_prevue"):
            end = dates[end_key]
            if start and end and end < start:
                self.problems.append(
                    register_msg.milestone_order(j.ref(end_key), end_key, end, "le début ou l'approbation", start)
                )
        return Milestones(**dates, prolongations=tuple(extensions))

    def contributions(self, path: Path) -> list[Contribution]:
        raw = _root(path, self.problems, RawList, self.parsing, required=False)
        if raw is None and _holds_text(path):
            self.unreadable.add("contributions")
        out = []
        for m in mappings(raw or RawList(SourceRef(path), (), ()), self.problems, "contribution", "- id: ..."):
            r = Reader(m, self.problems, ("id", "bailleur", "montant", "devise", "signee", "recue", "note", "lien"))
            cid = _identifier(r, "CONTRIB-2017-SUEDE")
            donor = self._choice(r, "bailleur", r.text("bailleur", "bailleur: Suède"), self.donors, "bailleur")
            money, signee, recue = self._money(r, "montant", True), r.date("signee"), r.date("recue", required=False)
            if signee and recue and recue < signee:
                self.problems.append(
                    register_msg.milestone_order(r.ref("recue"), "recue", recue, "la signature", signee)
                )
            if cid and donor and money and signee:
                out.append(
                    Contribution(
                        cid,
                        donor,
                        money,
                        signee,
                        m.src,
                        recue,
                        r.text("note", "note: ...", required=False),
                        r.url("lien", "lien: http://...", required=False),
                        MappingProxyType(dict(m.lines)),
                    )
                )
            elif cid:  # reported for its own error: an issue citing it is not told it is unknown
                self.incomplete.add(cid)
        return out

    def balances(self, path: Path) -> tuple[tuple[ProjectBalance, ...], tuple[ContributionBalance, ...]]:
        raw = _root(path, self.problems, RawMap, self.parsing, required=False)
        if raw is None:
            return (), ()
        r = Reader(raw, self.problems, ("projets", "contributions"))
        projects = []
        for m in mappings(r.items("projets", "- fonds: qip"), self.problems, "projets", "- fonds: qip"):
            b = Reader(
                m,
                self.problems,
                (
                    "fonds",
                    "date",
                    "depuis",
                    "approuves",
                    "finalises",
                    "en_cours",
                    "montant",
                    "devise",
                    "source",
                    "projets_detailles",
                ),
            )
            fonds = self._choice(b, "fonds", b.text("fonds", "fonds: qip"), sorted(self.funds), "fonds")
            day, since = b.date("date"), b.count("depuis", "2013")
            finalised, ongoing = b.count("finalises"), b.count("en_cours")
            money, text = self._money(b, "montant", False), b.text("source", "source: bulletin de ...")
            itemised = tuple(t for t, _ in b.texts("projets_detailles", "projets_detailles: [QIP-2017-01]"))
            approved = b.count("approuves", "120", required=False)
            if (
                fonds
                and approved is not None
                and finalised is not None
                and ongoing is not None
                and finalised + ongoing > approved
            ):
                self.problems.append(
                    register_msg.balance_over_approved(b.ref("approuves"), fonds, finalised, ongoing, approved)
                )
            if (
                fonds
                and text
                and day is not None
                and since is not None
                and finalised is not None
                and ongoing is not None
            ):
                projects.append(
                    ProjectBalance(fonds, day, since, finalised, ongoing, money, text, m.src, itemised, approved)
                )
        contributions = []
        for m in mappings(
            r.items("contributions", "- date: 2017-10-31"), self.problems, "contributions", "- date: 2017-10-31"
        ):
            b = Reader(m, self.problems, ("date", "montant", "devise", "bailleurs", "source"))
            when, money = b.date("date"), self._money(b, "montant", True)
            donors = self._choices(b, "bailleurs", self.donors, "bailleur")
            text = b.text("source", "source: bulletin de ...")
            if when and money and text:
                contributions.append(ContributionBalance(when, money, donors, text, m.src))
        return tuple(projects), tuple(contributions)
