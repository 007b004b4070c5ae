"""Raw work-plan YAML -> typed WorkPlan, with every problem gathered."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TypeVar

from . import prose, sandbox
from .errors import Problem, SourceRef
from .fields import Reader, mappings
from .load import RawList, RawMap, load_yaml, missing, read_markdown
from .memo import NO_PARSING, Parsing
from .messages import fields as fields_msg
from .messages import load as load_msg
from .messages import plan as plan_msg
from .models import Prose
from .plan_models import (
    QUARTERS,
    Account,
    Activity,
    BudgetLine,
    Declared,
    IndicativeResult,
    Result,
    Signatory,
    WorkPlan,
)
from .typography_checks import check_glyphs, check_typography

_PLAN_KEYS = (
    "titre",
    "id_projet",
    "annee",
    "partenaire",
    "modalite",
    "periode",
    "effet_cpd",
    "devise",
    "resume",
    "resultats_indicatifs",
    "resultats",
    "total_declare",
    "finance_declare",
    "non_finance_declare",
    "budget_total_declare",
    "signataires",
)
_TEXT_KEYS = ("titre", "id_projet", "partenaire", "modalite", "effet_cpd")
_DECLARED = ("total_declare", "finance_declare", "non_finance_declare", "budget_total_declare")
ACCOUNTS_FILE = "comptes.yaml"
# A signatory's role copied from an English signature block (« Submitted by Project Coordinator »): without a
# role_fr the French publication would print it as is. A role already written in French needs no role_fr.
_ENGLISH_ROLE = re.compile(
    r"\b(by|of|and|the|submitted|approved|endorsed|prepared|reviewed|coordinator|manager|"
    r"analyst|officer|representative|deputy|head|director|specialist|associate|advisor)\b",
    re.IGNORECASE,
)


def validate_plans(
    folder: Path, currencies: Collection[str], problems: list[Problem], parsing: Parsing = NO_PARSING
) -> tuple[WorkPlan, ...]:
    """Every plan in content/plans/ (the folder is optional)."""
    if not folder.is_dir():
        return ()
    accounts = _accounts(folder / ACCOUNTS_FILE, problems, parsing)
    plans = []
    problems.extend(plan_msg.plan_file_not_read(SourceRef(path), path.name) for path in sorted(folder.glob("*.yml")))
    for path in sorted(folder.glob("*.yaml")):
        if path.name == ACCOUNTS_FILE:
            continue
        if not _PLAN_NAME.fullmatch(path.stem):
            problems.append(plan_msg.plan_file_name(SourceRef(path), path.name, _suggested_name(path.stem)))
            continue
        plan = _plan(path, accounts, currencies, problems, parsing)
        if plan is not None:
            plans.append(plan)
    return tuple(plans)


# A plan's file name is its page's address (plans/<name>/): letters without accents, digits, « - », « _ ».
_PLAN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _suggested_name(stem: str) -> str:
    """« Plan 2025 été #1 » -> « plan-2025-ete-1.yaml »."""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain) or ["plan"]) + ".yaml"


def _accounts(path: Path, problems: list[Problem], parsing: Parsing) -> dict[str, Account]:
    if not path.exists():
        problems.append(missing(path, SourceRef(path.parent), ""))
        return {}
    loaded = load_yaml(path, parsing)
    problems.extend(loaded.problems)
    if not isinstance(loaded.value, RawList):
        return {}
    out = {}
    example = '- {code: "75700", description: ..., libelle_fr: ...}'
    for m in mappings(loaded.value, problems, "compte", example):
        r = Reader(m, problems, ("code", "description", "libelle_fr"))
        code, text = r.text("code", 'code: "75700"'), r.text("description", "description: Training")
        french = r.text("libelle_fr", "libelle_fr: Formations, ateliers et conférences", required=False)
        if code and text:
            out[code] = Account(code, text, french)
            if not french and not r.has("libelle_fr"):
                problems.append(plan_msg.plan_account_untranslated(m.src, code, text))
    return out


def _plan(
    path: Path, accounts: dict[str, Account], currencies: Collection[str], problems: list[Problem], parsing: Parsing
) -> WorkPlan | None:
    loaded = load_yaml(path, parsing)
    problems.extend(loaded.problems)
    if not isinstance(loaded.value, RawMap):
        return None
    r = Reader(loaded.value, problems, _PLAN_KEYS)
    title, project_id, partner, modality, outcome = (r.text(k, f"{k}: ...") for k in _TEXT_KEYS)
    year = r.count("annee", "2024")
    currency = r.text("devise", "devise: USD")
    if currency and currency not in currencies:
        problems.append(
            fields_msg.not_in_list(
                r.ref("devise"), "devise", "devise", currency, currencies, "« devises » de content/reglages.yaml"
            )
        )
    period = r.mapping("periode", "periode: {debut: 2024-01-01, fin: 2024-12-31}")
    start = end = None
    if period is not None:
        p = Reader(period, problems, ("debut", "fin"))
        start, end = p.date("debut", "2024-01-01"), p.date("fin", "2024-12-31")
        if start is not None and end is not None and end < start:
            problems.append(plan_msg.plan_period_order(p.ref("fin"), start, end))
            start = end = None
        elif start is not None and end is not None and year is not None and not start.year <= year <= end.year:
            problems.append(plan_msg.plan_year_outside(r.ref("annee"), year, start, end))
    summary = _summary(r, path.parent, problems)
    indicative = _indicative(r, problems)
    results = _all_or_none(
        [
            _result(m, accounts, problems)
            for m in mappings(
                r.items("resultats", "resultats:\n  - numero: 1", required=True), problems, "resultats", "- numero: 1"
            )
        ]
    )
    declared = {
        k: (Declared(v, r.ref(k)) if (v := r.amount(k, "4728228", required=False, cents=True)) is not None else None)
        for k in _DECLARED
    }
    _unique_numbers(results or (), problems)
    signatories = _signatories(r, problems)
    if (
        title is None
        or project_id is None
        or partner is None
        or modality is None
        or outcome is None
        or year is None
        or currency is None
        or start is None
        or end is None
        or summary is None
        or results is None
    ):
        return None
    return WorkPlan(
        slug=path.stem,
        titre=title,
        id_projet=project_id,
        annee=year,
        partenaire=partner,
        modalite=modality,
        debut=start,
        fin=end,
        effet_cpd=outcome,
        devise=currency,
        resume=summary,
        resultats_indicatifs=indicative,
        resultats=results,
        signataires=signatories,
        comptes=accounts,
        source=loaded.value.src,
        total_declare=declared["total_declare"],
        finance_declare=declared["finance_declare"],
        non_finance_declare=declared["non_finance_declare"],
        budget_total_declare=declared["budget_total_declare"],
    )


T = TypeVar("T")


def _all_or_none(items: Sequence[T | None]) -> tuple[T, ...] | None:
    """Every item, or None when one is missing (its own problems say why)."""
    present = tuple(item for item in items if item is not None)
    return present if len(present) == len(items) else None


def _signatories(r: Reader, problems: list[Problem]) -> tuple[Signatory, ...]:
    example = "- {nom: ..., role: Submitted by Project Coordinator, role_fr: Soumis par le coordonnateur du projet}"
    out = []
    for m in mappings(r.items("signataires", example), problems, "signataires", example):
        s = Reader(m, problems, ("nom", "role", "role_fr"))
        name, role = s.text("nom", "nom: ..."), s.text("role", "role: ...")
        french = s.text("role_fr", "role_fr: Soumis par le coordonnateur du projet", required=False)
        if name and role:
            out.append(Signatory(name, role, french))
            if not french and not s.has("role_fr") and _ENGLISH_ROLE.search(role):
                problems.append(plan_msg.plan_role_untranslated(m.src, name, role))
    return tuple(out)


def _summary(r: Reader, folder: Path, problems: list[Problem]) -> str | None:
    name = r.text("resume", "resume: liptako-gourma-2024.md")
    if name is None:
        return None
    if not sandbox.inside(folder / name, folder):
        problems.append(load_msg.file_outside(r.ref("resume"), "resume", name, "des plans"))
        return None
    loaded = read_markdown(folder / name)
    if loaded.value is None and not loaded.problems:
        problems.append(missing(folder / name, r.ref("resume"), "resume", name))
    problems.extend(loaded.problems)
    if loaded.value is not None:
        summary = Prose(loaded.value, SourceRef(folder / name, 1))
        problems.extend(prose.check_resources(summary, multiline=True))
        problems.extend(prose.check_markup(summary, multiline=True))
        problems.extend(prose.check_stray_syntax(summary, multiline=True))
        problems.extend(check_glyphs(summary, multiline=True))
        problems.extend(check_typography(summary, multiline=True))
    text: str | None = loaded.value
    return text


def _indicative(r: Reader, problems: list[Problem]) -> tuple[IndicativeResult, ...]:
    out = []
    for m in mappings(
        r.items("resultats_indicatifs", "- {texte: ..., marqueur_genre: 2}"),
        problems,
        "resultats_indicatifs",
        "- {texte: ..., marqueur_genre: 2}",
    ):
        i = Reader(m, problems, ("texte", "marqueur_genre"))
        text, marker = i.text("texte", "texte: ..."), i.count("marqueur_genre", "2")
        if marker is not None and marker > 3:
            problems.append(
                fields_msg.wrong_value(
                    i.ref("marqueur_genre"),
                    "marqueur_genre",
                    "un marqueur de genre de 0 à 3",
                    marker,
                    "marqueur_genre: 2",
                )
            )
        elif text and marker is not None:
            out.append(IndicativeResult(text, marker))
    return tuple(out)


def _quarters(r: Reader, problems: list[Problem], default: tuple[str, ...] = ()) -> tuple[str, ...]:
    out = []
    for written, src in r.texts("trimestres", "trimestres: [T1, T2]"):
        value = written.upper().replace("Q", "T", 1)  # the source tables say Q1–Q4: accepted as T1–T4
        if value in QUARTERS:
            out.append(value)
        else:
            problems.append(plan_msg.wrong_quarter(src, written))
    return tuple(sorted(set(out))) or default


def _unique_numbers(results: Sequence[Result], problems: list[Problem]) -> None:
    """Each result under a number of its own, and each activity within its result (two « 1.1 » were
    accepted; a partner may number each result's activities from 1)."""
    firsts: dict[object, SourceRef] = {}
    for result in results:
        first = firsts.setdefault(("résultat", result.numero), result.source)
        if first is not result.source:
            problems.append(plan_msg.plan_duplicate_number(result.source, "résultat", result.numero, first))
        for activity in result.activites:
            first = firsts.setdefault((result.numero, activity.numero), activity.source)
            if first is not activity.source:
                problems.append(plan_msg.plan_duplicate_number(activity.source, "activité", activity.numero, first))


def _result(m: RawMap, accounts: dict[str, Account], problems: list[Problem]) -> Result | None:
    r = Reader(m, problems, ("numero", "titre", "sous_total_declare", "activites"))
    number, title = r.count("numero", "1"), r.text("titre", "titre: ...")
    activities_raw = r.items("activites", 'activites:\n  - numero: "1.1"')
    if not activities_raw.items and number is not None:
        problems.append(plan_msg.no_activity(m.src, number))
    activities = _all_or_none(
        [_activity(a, accounts, problems) for a in mappings(activities_raw, problems, "activites", '- numero: "1.1"')]
    )
    declared = r.amount("sous_total_declare", "355333", required=False, cents=True)
    if number is None or not title or not activities:
        return None
    return Result(
        number, title, activities, m.src, declared, r.ref("sous_total_declare").line if declared is not None else None
    )


def _activity(m: RawMap, accounts: dict[str, Account], problems: list[Problem]) -> Activity | None:
    r = Reader(m, problems, ("numero", "texte", "sous_activites", "trimestres", "lignes"))
    number, text = r.text("numero", 'numero: "1.1"'), r.text("texte", "texte: ...")
    quarters = _quarters(r, problems)
    subs = tuple(t for t, _ in r.texts("sous_activites", "- ..."))
    lines_raw = r.items("lignes", 'lignes:\n  - {responsable: PNUD, compte: "75700", montant: 20000}')
    if not lines_raw.items and number:
        problems.append(plan_msg.no_line(m.src, number))
    lines = _all_or_none(
        [_line(raw, accounts, quarters, problems) for raw in mappings(lines_raw, problems, "lignes", "- {...}")]
    )
    if not number or not text or not lines:
        return None
    return Activity(number, text, quarters, lines, m.src, subs)


def _line(
    m: RawMap, accounts: dict[str, Account], quarters: tuple[str, ...], problems: list[Problem]
) -> BudgetLine | None:
    r = Reader(m, problems, ("responsable", "compte", "montant", "trimestres", "donateur"))
    who = r.text("responsable", "responsable: PNUD")
    account = r.text("compte", 'compte: "75700"')
    if account is not None and account not in accounts:
        problems.append(
            fields_msg.not_in_list(
                r.ref("compte"), "compte", "compte budgétaire", account, accounts, "content/plans/comptes.yaml"
            )
        )
        account = None
    amount = r.amount("montant", "20000", required=False, cents=True)
    if r.has("montant") and amount is None:
        return None
    own = _quarters(r, problems, quarters)
    if not who or not account:
        return None
    return BudgetLine(who, account, own, m.src, amount, r.text("donateur", "donateur: ...", required=False))
