"""The whole content tree -> Edition, or ContentInvalid with every problem of the run."""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar, cast

from .checks import check_prose_amounts, check_register, check_statuses, cited_amounts
from .errors import ContentInvalid, Problem, Severity, SourceRef
from .fields import MAX_NUMBER, Reader, kind_of
from .figures import IssueFigures, figures_of
from .filters import format_month
from .incremental import digest, files_digest
from .language import is_translated
from .load import RawMap, load_yaml, load_yaml_text, missing, read_markdown
from .memo import NO_MEMO, NO_PARSING, Memo, Parsing
from .messages import fields as fields_msg
from .messages import issue as issue_msg
from .messages import load as load_msg
from .messages import register as register_msg
from .models import Currency, Edition, Issue, Money, Prose, Register, Settings
from .opendata import KeyFigure, key_figures, published_figures
from .photos import LOGO_EXAMPLE, read_logo
from .plan_figures import compute_plan, plan_findings
from .plan_models import WorkPlan
from .prose import check_markup
from .publication import check_publications
from .register import compute_approvals
from .sandbox import links_leaving
from .series import check_points, cumulative
from .validate_issue import Citations, validate_citing, validate_issue
from .validate_plan import validate_plans
from .validate_publication import LEDGER, check_ledger
from .validate_register import validate_register

T = TypeVar("T")


def load_edition(content: Path, parsing: Parsing = NO_PARSING, only: str | None = None) -> Edition:
    """Load and validate content/; raise ContentInvalid listing all errors at once. `parsing`: where the
    command keeps parsed files and how many processes parse a long one (bulletin.memo.Parsing).

    `only` (a month, AAAA-MM): what that issue's PDF prints and nothing else: the settings, the register
    and that issue, with the checks of its figures (`build.py pdf`). The other issues, the work plans
    and the fixed pages are neither read nor checked: printing one issue of a ten-year archive
    validated 120 issues and computed all their figures first (issue 17). An error elsewhere does not
    stop it; `check` and the build still read everything. Nor are the checks that are about the site
    or the archive (all warnings): the statuses its pages show at the latest issue's date, the series
    across issues, the English expected of the issues after the first translated one."""
    problems: list[Problem] = []
    if not content.is_dir():
        raise ContentInvalid([load_msg.folder_missing(content, "de contenu")])
    leaving = _links_out(content, only)
    if leaving:  # reported before anything is read: nothing of a file elsewhere reaches even a message
        raise ContentInvalid(leaving)
    settings = _settings(content / "reglages.yaml", problems, parsing)
    memo = parsing.memo
    currency = settings.devise_par_defaut if settings else "USD"
    kept = memo.path is not None  # without a store, no key is worth its digests
    register_key = digest("register", currency, files_digest(content / "registre")) if kept else ""
    register = _kept(
        memo, register_key, problems, partial(validate_register, content / "registre", currency, parsing=parsing)
    )
    issues, issue_keys = [], []
    folders = sorted(p for p in (content / "bulletins").glob("*") if p.is_dir() and only in (None, p.name))
    if not folders:
        problems.append(load_msg.no_issue(content / "bulletins"))
    reading = _RegisterReading(register, register_key, currency, memo) if kept and register is not None else None
    for folder in folders:
        issue, key = _validated_issue(memo, folder, register, register_key, reading, problems, parsing)
        if issue is not None:
            issues.append(issue)
            issue_keys.append(key)
    if register is not None and settings is not None:
        _check_currencies(register, settings, problems)
        problems.extend(check_register(register))
        if not only:  # the statuses the site's pages show, read at the latest issue's date
            problems.extend(check_statuses(register, issues))
        for issue in issues:
            # Checked again when the issue or the amounts of the entries it names changed, not at every
            # change of the register: those amounts, equal to the last save's, are that very tuple.
            named = memo.same_as_before(f"prose-amounts:{id(issue)}", cited_amounts(issue, register))
            amounts = partial(check_prose_amounts, issue, register)
            problems.extend(memo.get_same("prose-amounts", (issue, named), amounts))
        problems.extend(_untranslated(issues, settings, register))
    check_ledger(content / "bulletins", issues, problems, parsing, only)
    plans = () if only else _plans_and_pages(content, settings, problems, parsing)
    blocking = [p for p in problems if p.severity is Severity.ERROR]
    keyed = list(zip(issues, issue_keys, strict=True))
    frame = digest(register_key, repr(settings)) if kept and settings is not None else ""
    if blocking or settings is None or register is None:
        if settings is not None and register is not None:
            sound = _issues_sound(content, keyed, blocking)
            if sound is not None:  # the published issues' figures are still checked: all errors at once
                problems.extend(check_published(register, sound, settings, memo, frame, series=False))
        raise ContentInvalid(problems)
    problems.extend(check_published(register, keyed, settings, memo, frame))
    if any(p.severity is Severity.ERROR for p in problems):
        raise ContentInvalid(problems)
    # Warnings in file and line order: two runs over the same content read the same.
    warnings = tuple(sorted(problems, key=lambda p: (str(p.source.path), p.source.line or 0)))
    # What each issue's figures are computed from: the register and the issue (its key covers what it read).
    prints = {issue.mois: digest("figures", register_key, key) for issue, key in keyed if key}
    ordered = tuple(sorted(issues, key=lambda i: i.mois))
    return Edition(settings, register, ordered, plans, warnings, MappingProxyType(prints))


def _links_out(content: Path, only: str | None) -> list[Problem]:
    """A link that leads out of the content, wherever the build would read or copy through it: the
    settings, the register, an issue's file or the static pages (which MkDocs copies into the site,
    following links). Read through a link, a file from elsewhere on the disk (another team's register,
    a private file of settings) would have its values published. For `pdf`, only what its issue prints."""
    printed = ("reglages.yaml", "registre", "identite", f"bulletins/{LEDGER}", f"bulletins/{only}")
    read = (content,) if only is None else tuple(content / part for part in printed)
    return [load_msg.link_leaving_content(p, target) for where in read for p, target in links_leaving(where, content)]


def _plans_and_pages(
    content: Path, settings: Settings | None, problems: list[Problem], parsing: Parsing
) -> tuple[WorkPlan, ...]:
    """The work plans, validated, and the fixed pages' problems: what the site publishes besides the issues."""
    plans = validate_plans(content / "plans", settings.devises if settings else {}, problems, parsing)
    if not (content / "pages").is_dir():  # MkDocs publishes them (its docs_dir, bulletin/web.py)
        problems.append(load_msg.pages_missing(content / "pages"))
    problems.extend(_check_pages(content / "pages", parsing.memo))
    for plan in plans:
        problems.extend(plan_findings(compute_plan(plan)))
    return plans


def _validated_issue(
    memo: Memo,
    folder: Path,
    register: Register | None,
    register_key: str,
    reading: _RegisterReading | None,
    problems: list[Problem],
    parsing: Parsing,
) -> tuple[Issue | None, str]:
    """One issue validated, and the key it is kept under ("" without a store): the digest of its files
    and of what of the register it read (Citations, _RegisterReading). What it read is learnt from its
    last validation, kept under its files' digest, and a result is kept only under the key of what its
    own validation read: found under that key, it was made from the same reading. A handover recorded
    in the register validated every issue again (half a second on a ten-year archive); now only the
    issues that name that project."""
    validate = partial(validate_issue, folder, register, parsing=parsing)
    if not register_key:
        return validate(problems), ""
    files = digest(str(folder), files_digest(folder))
    if reading is None:  # an invalid register is read whole (its problems are the ones reported)
        key = digest("issue", register_key, files)
        return _kept(memo, key, problems, validate), key
    named = f"cites:{files}"
    if memo.has(named):
        key = reading.key(files, memo.get(named, Citations))
        if _is_kept(memo, key):
            return _kept(memo, key, problems, validate), key
    seen: list[Problem] = []
    (issue, citations), used = memo.reading(partial(validate_citing, folder, register, seen, parsing))
    memo.put(named, citations)
    key = reading.key(files, citations)

    def again(out: list[Problem]) -> Issue | None:
        # Validated just now: kept, not validated twice, with the entries its validation read (its
        # texts' checks, its parsed pieces), which a later build finding it kept carries over.
        memo.carry(used)
        out.extend(seen)
        return issue

    return _kept(memo, key, problems, again), key


class _RegisterReading:
    """What an issue's validation reads of a valid register, digested: the fund and balance tables every
    issue is checked against, each project (its fields, whether it was left out for its own errors) or
    contribution (whether it exists) that the issue names, and the lines of the projects a message of it
    points to. Not the other projects' lines: a line added to the register moves every project below it.
    An entry named that the register lacks is reported with the nearest ids of the whole register: the
    key is then the whole register's. Each entry is digested once per build, however many issues name it."""

    def __init__(self, register: Register, register_key: str, currency: str, memo: Memo) -> None:
        self._register, self._register_key, self._memo = register, register_key, memo
        balances = [(b, b.source) for b in register.soldes_projets]
        contributions = [(b, b.source) for b in register.soldes_contributions]
        firsts = sorted(register.premiers_montants.items())
        self._tables = digest(currency, repr(register.fonds), repr(balances), repr(contributions), repr(firsts))
        self._entries: dict[tuple[str, str], str] = {}

    def key(self, files: str, citations: Citations) -> str:
        named = [*(("projet", i) for i in citations.projects), *(("contribution", i) for i in citations.contributions)]
        found = [
            self._entries[n] if n in self._entries else self._entries.setdefault(n, self._entry(*n)) for n in named
        ]
        if not all(found):
            return digest("issue", self._register_key, files)
        lines = [self._lines(i) for i in citations.located]
        return digest("issue", files, self._tables, *found, "lignes", *lines)

    def _lines(self, project_id: str) -> str:
        register = self._register  # left out since, for its own errors: None
        lines = register.lignes_projets.get(project_id) if project_id in register.projets_par_id else None
        return repr((lines.source, sorted(lines.champs.items())) if lines is not None else None)

    def _entry(self, kind: str, entry_id: str) -> str:
        """The entry's digest, "" when the register lacks it."""
        register = self._register
        if kind == "contribution":
            known = entry_id in register.contributions_par_id
            return "connue" if known else "illisible" if register.left_out(entry_id, "contributions") else ""
        if register.left_out(entry_id, "projets"):
            return "incomplet"
        project = register.projets_par_id.get(entry_id)
        if project is None:
            return ""
        # Its source and lines are not in its repr. In the preview, the very project of the last save
        # while the register is unchanged: its digest is found again (Memo.get_same).
        found = self._memo.get_same("project-digest", (project,), lambda: digest(repr(project)))
        # Its value alone does not tell a milestone left out from one written wrong (jalons_illisibles).
        return found + ":jalons illisibles" if entry_id in register.jalons_illisibles else found


def _is_kept(memo: Memo, key: str) -> bool:
    """Whether _kept(memo, key, …) would find its result without validating."""
    return memo.has_live(key) or memo.has(f"validated:{key}")


def _kept(memo: Memo, key: str, problems: list[Problem], validate: Callable[[list[Problem]], T]) -> T:
    """validate(problems), its result and the problems it found kept under key, the digest of the files it
    reads: from one build (or `check`) to the next in the memo's file, and in the preview as the very
    objects, from one save to the next. After a save, the issue saved is validated again, and the
    register and the other issues only if they changed."""
    if not key:
        return validate(problems)

    def found() -> tuple[T, tuple[Problem, ...]]:
        out: list[Problem] = []
        return validate(out), tuple(out)

    def stored() -> tuple[T, tuple[Problem, ...]]:
        kept = f"validated:{key}"
        if not memo.remembers() and not memo.has(kept):
            return found()  # `check` or `pdf`, on a file changed since the last build: nothing to keep it for
        if memo.lives_on and not memo.write and not memo.has(kept):
            # The preview: get_live holds the objects themselves, and its store is never written. A copy
            # as bytes would never be read, and making one of the archive's register cost 0.1 s of a save.
            return found()
        # Kept as bytes, unpickled only when found: the memo's file holds the validations of files since
        # changed until the next build lets them go, and reading them back would cost as much as the rest.
        made: list[tuple[T, tuple[Problem, ...]]] = []

        def make() -> bytes:
            made.append(found())
            return pickle.dumps(made[0], pickle.HIGHEST_PROTOCOL)

        blob = memo.get_whole(kept, make)
        return made[0] if made else cast(tuple[T, tuple[Problem, ...]], pickle.loads(blob))

    value, seen = memo.get_live(key, stored) if memo.lives_on else stored()
    problems.extend(seen)
    return value


def _untranslated(issues: list[Issue], settings: Settings, register: Register) -> list[Problem]:
    """Once an issue has an English edition, the bulletin is bilingual: the stable parts' English names
    and every later issue's texts are expected (an issue's own missing texts: bulletin/validate_issue.py)."""
    first = min((issue.mois for issue in issues if is_translated(issue)), default=None)
    if first is None:
        return []
    out = [register_msg.missing_english_name(*missing) for missing in (*settings.sans_anglais, *register.sans_anglais)]
    for issue in issues:
        if issue.mois > first and not is_translated(issue) and issue.sans_anglais:
            out.append(issue_msg.missing_english_new_issue(list(issue.sans_anglais), format_month(first, "fr")))
    return out + _untranslated_projects([i for i in issues if is_translated(i)], register)


def _untranslated_projects(translated: list[Issue], register: Register) -> list[Problem]:
    """The register's texts an English issue prints (title, description, public remark and agencies of each
    project it cites or lists among the Trust Fund's approvals) without their English: the English page
    and PDF would show them in French."""
    cited = {item.projet for i in translated for item in (*i.coordination, *i.qip_faits, *i.ff_faits) if item.projet}
    cited |= {pid for i in translated for pid in i.pbf_projets}
    # The approvals' table is computed from the register, cited by no entry: its titles were printed in
    # French in the English edition without a word (an officer's walkthrough).
    cited |= {
        p.id
        for i in translated
        for day in compute_approvals(register, "ff", i.periode_debut, i.periode_fin)
        for p in day.projets
    }
    out = []
    for project in register.projets:
        if project.id not in cited:
            continue
        for key, french, english in (
            ("titre", project.titre, project.titre_en),
            ("description", project.description, project.description_en),
            ("remarque_publique", project.remarque_publique, project.remarque_publique_en),
        ):
            if french and not english:
                where = register.where(project, key)
                out.append(register_msg.missing_english_text(where, f"{key}_en", key, project.id))
        for agency in project.agences:
            if agency not in register.agences_en:
                where = register.where(project, "agences")
                out.append(register_msg.missing_english_agency(where, agency, project.id))
    return out


@dataclass(frozen=True, slots=True)
class _Checked:
    """The checks of one issue's published figures, kept under the digest of what they read (its folder,
    the register, the settings): after a sentence is edited, the other issues' figures are not
    computed again to check them."""

    magnitudes: tuple[Problem, ...]
    publication: tuple[Problem, ...]
    cumulative: Mapping[str, KeyFigure]  # what the series across issues compare


def _issues_sound(
    content: Path, issues: Sequence[tuple[Issue, str]], errors: Sequence[Problem]
) -> list[tuple[Issue, str]] | None:
    """The issues without errors of their own, when every error is in an issue's folder, a work plan or a
    fixed page: the register and the settings are sound, so what they give the other issues is what they
    will give once those errors are fixed (found by a new user: a register change that moved a published
    figure was told only after an unrelated date in another issue was fixed). None otherwise: figures
    of a register with errors would differ for the errors' sake (a project left out), not the author's."""
    issues_folder, apart = content / "bulletins", (content / "plans", content / "pages")
    broken = set()
    for problem in errors:
        path = problem.source.path
        if path.is_relative_to(issues_folder) and len(path.relative_to(issues_folder).parts) > 1:
            broken.add(path.relative_to(issues_folder).parts[0])
        elif not any(path.is_relative_to(folder) for folder in apart):
            return None
    return [(issue, key) for issue, key in issues if issue.source.path.parent.name not in broken]


def check_published(
    register: Register,
    issues: Sequence[tuple[Issue, str]],
    settings: Settings,
    memo: Memo = NO_MEMO,
    frame: str = "",
    series: bool = True,
) -> list[Problem]:
    """Figures against what published issues printed, and (with `series`) cumulative series across issues.

    Run on a sound register and settings, on issues without errors of their own. `issues`: each issue
    with the key of its validation, under which (with `frame`, the register's key and the settings) its
    checks are kept ("" keeps nothing). The figures of the issues not found kept are computed (one sweep
    of the register; in the preview and within a build, the figures of the very same issue and register
    are found again: Memo.get_same).
    """
    figures = figures_of(register, memo)

    def check(issue: Issue) -> _Checked:
        found = figures(issue)
        # The key figures and what the issue publishes, computed once for the three checks.
        keys = key_figures(found, register)
        published = published_figures(found, register, keys=keys)
        return _Checked(
            tuple(_check_magnitudes(found, published)),
            tuple(
                check_publications([found], register, settings.devises, settings.devise_par_defaut, lambda _: published)
            ),
            MappingProxyType(cumulative(found, register, keys)),
        )

    def kept(issue: Issue, key: str) -> _Checked:
        return _kept(memo, digest("published", frame, key) if frame and key else "", [], lambda _: check(issue))

    checked = [(issue, kept(issue, key)) for issue, key in sorted(issues, key=lambda pair: pair[0].mois)]
    return (
        [p for _, c in checked for p in c.magnitudes]
        + [p for _, c in checked for p in c.publication]
        + (check_points([(issue, c.cumulative) for issue, c in checked], register) if series else [])
    )


def _check_magnitudes(figures: IssueFigures, published: Mapping[str, KeyFigure]) -> list[Problem]:
    """Each amount is bounded when it is read (fields.MAX_NUMBER), but a total or a conversion at a tiny
    rate can still pass the bound: the page would print it and the publication record refuse it."""
    out = []
    issue = figures.issue
    for figure in published.values():
        if isinstance(figure.valeur, (int, float)) and abs(figure.valeur) >= MAX_NUMBER:
            out.append(
                issue_msg.figure_too_large(
                    issue.date_source or issue.source, issue.mois, figure.libelle, figure.valeur, MAX_NUMBER
                )
            )
    return out


# The fixed pages the site's menu names (its configuration's nav: tests/test_bad_input.py keeps them together):
# without one, the site was published with a menu link to nowhere and the web shell's warning in English.
MENU_PAGES = ("a-propos.md",)


def _check_pages(folder: Path, memo: Memo) -> list[Problem]:
    """The fixed pages (« À propos », the guide…) are the authors' Markdown too: what the site would drop
    from them is reported like in an issue's texts (kept in memo under the page and its text: the
    guide is long, and converting it again is a third of a `check` of the archive)."""
    out: list[Problem] = []
    if folder.is_dir():
        out += [
            missing(folder / name, SourceRef(folder), "", name) for name in MENU_PAGES if not (folder / name).is_file()
        ]
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else ():
        if not path.is_file():  # the web shell would fail on it, or wait for ever on a pipe
            if path.name not in MENU_PAGES or path.parent != folder:
                out.append(missing(path, SourceRef(path.parent), "", path.name))
            continue
        loaded = read_markdown(path)
        out.extend(loaded.problems)
        if loaded.value is not None:
            out.extend(_front_matter(path, loaded.value))
            key = digest("page-checks", str(path), loaded.value)
            out.extend(memo.get(key, partial(_page_findings, Prose(loaded.value, SourceRef(path, 1)))))
    return out


# What a fixed page's front matter may say (MkDocs reads it): its title, its description, whether the
# search leaves it out, what of the frame it hides. Another key (« template: » names a file MkDocs opens)
# is refused.
PAGE_KEYS = ("title", "description", "search", "hide")
_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL)


def _front_matter(path: Path, text: str) -> list[Problem]:
    """The page's front matter read as MkDocs reads it, but within the bounds of every content file (an
    alias bomb there passed check and built a 104 MB page) and to the keys a page may set."""
    found = _FRONT_MATTER.match(text)
    if found is None:
        return []
    problems: list[Problem] = []
    loaded = load_yaml_text(path, "\n" + found[1])  # the « --- » line first: lines as in the file
    empty = load_msg.yaml_empty(SourceRef(path, 1))  # comments only: nothing to say of it
    problems.extend(p for p in loaded.problems if p != empty)
    if isinstance(loaded.value, RawMap):
        Reader(loaded.value, problems, PAGE_KEYS)
    elif loaded.value is not None:
        problems.append(
            fields_msg.wrong_value(
                SourceRef(path, 2), "", "des champs « clé: valeur »", kind_of(loaded.value), "title: ..."
            )
        )
    return problems


def _page_findings(page: Prose) -> tuple[Problem, ...]:
    return tuple(check_markup(page, multiline=True))


def _settings(path: Path, problems: list[Problem], parsing: Parsing) -> Settings | None:
    if not path.exists():
        problems.append(missing(path, SourceRef(path.parent), ""))
        return None
    loaded = load_yaml(path, parsing)
    problems.extend(loaded.problems)
    if not isinstance(loaded.value, RawMap):
        if loaded.value is not None:  # a list or a lone value: without settings nothing builds, say why
            problems.append(
                fields_msg.wrong_value(
                    SourceRef(path, 1),
                    "",
                    "des champs « clé: valeur »",
                    kind_of(loaded.value),
                    "publication: {titre: ..., section: ...}",
                )
            )
        return None
    r = Reader(loaded.value, problems, ("publication", "devise_par_defaut", "devises", "logo"))
    pub = r.mapping("publication", "publication: {titre: ..., section: ..., mission: ...}")
    devises = r.mapping("devises", "devises: {USD: {unite: dollars américains, de: de dollars américains}}")
    default = r.text("devise_par_defaut", "devise_par_defaut: USD")
    if pub is None or devises is None or default is None:
        return None
    p = Reader(pub, problems, ("titre", "section", "mission", "langue", "titre_en", "section_en", "mission_en"))
    english = {key: p.text(f"{key}_en", f"{key}_en: ...", False) for key in ("titre", "section", "mission")}
    untranslated = tuple(
        (p.ref(key), f"{key}_en", f"« {key} » de la publication") for key, text in english.items() if text is None
    )
    titre, section, mission = (
        p.text("titre", "titre: ..."),
        p.text("section", "section: ..."),
        p.text("mission", "mission: MINUSMA"),
    )
    currencies = {}
    d = Reader(devises, problems, devises.values)
    for code in devises.values:
        raw = d.mapping(code, f"{code}: {{unite: ..., de: ...}}")
        if raw is not None:
            c = Reader(raw, problems, ("unite", "de"))
            unite, de = c.text("unite", "unite: dollars américains"), c.text("de", "de: de dollars américains")
            if unite and de:
                currencies[code] = Currency(unite, de)
    if default not in currencies:
        problems.append(
            fields_msg.not_in_list(
                r.ref("devise_par_defaut"),
                "devise_par_defaut",
                "devise",
                default,
                currencies,
                "« devises » de reglages.yaml",
            )
        )
    raw_logo = r.mapping("logo", LOGO_EXAMPLE, required=False)
    logo = read_logo(raw_logo, path.parent, problems) if raw_logo is not None else None
    if not (titre and section and mission):
        return None
    return Settings(
        titre,
        section,
        mission,
        default,
        currencies,
        logo,
        english["titre"],
        english["section"],
        english["mission"],
        untranslated,
    )


def _check_currencies(register: Register, settings: Settings, problems: list[Problem]) -> None:
    """Every amount's currency must have a house wording, so it can be printed."""
    wordings = settings.devises  # a project's line is looked up only when its currency lacks one
    amounts = [
        (p.montant, register.where(p)) for p in register.projets if p.montant and p.montant.devise not in wordings
    ]
    amounts += [(c.montant, c.source) for c in register.contributions]
    amounts += [(Money(rate.taux, rate.devise), rate.source) for rate in register.taux]
    for money, src in amounts:
        if money.devise not in settings.devises:
            problems.append(
                fields_msg.not_in_list(
                    src, "devise", "devise", money.devise, settings.devises, "« devises » de content/reglages.yaml"
                )
            )
