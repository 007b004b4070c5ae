"""`build.py importer` and `build.py exporter`: read, map, merge, vet with `check`, then write."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError

from . import atomic
from .errors import ContentInvalid, Problem, Severity, SourceRef
from .memo import Memo, Parsing
from .messages import load as load_msg
from .messages import spreadsheet as msg
from .models import Register, Settings
from .report import format_problems
from .sandbox import links_leaving
from .sheets_export import export, template
from .sheets_map import (
    KINDS,
    Entry,
    ImportMapping,
    RowReader,
    check_unique,
    fold,
    read_mapping,
)
from .sheets_merge import MergePlan, describe, plan_merge, read_existing
from .sheets_read import Sheet, SheetRef, read_sheets, sheet_names
from .validate import _settings, load_edition
from .validate_register import validate_register

EXIT_OK, EXIT_CONTENT = 0, 1


@dataclass(frozen=True, slots=True)
class ImportOptions:
    file: Path
    sheet: str | None = None
    kind: str | None = None
    trial: bool = False  # --essai: show what would change, write nothing
    modify: bool = False  # --modifier: the sheet may change projects already in the register


def _links_out(content: Path) -> list[Problem]:
    """A link that leads out of the content from the settings or the register, which these commands read
    before anything else: an export would have copied another folder's register into the spreadsheet."""
    return [
        load_msg.link_leaving_content(path, target)
        for part in ("reglages.yaml", "registre")
        for path, target in links_leaving(content / part, content)
    ]


def _register(content: Path, parsing: Parsing, command: str = "importer") -> tuple[Settings, Register] | None:
    """The settings and the register, checked: what the import reads names against and the export
    writes. The rest of the content is checked with the import's result, in one pass (_vetted)."""
    leaving = _links_out(content)
    if leaving:  # nothing is read through them, not even for a message
        _content_invalid(leaving, command)
        return None
    problems: list[Problem] = []
    settings = _settings(content / "reglages.yaml", problems, parsing)
    currency = settings.devise_par_defaut if settings else "USD"
    register = validate_register(content / "registre", currency, problems, parsing)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors or settings is None or register is None:
        _content_invalid(errors, command)
        return None
    return settings, register


def _content_invalid(problems: Sequence[Problem], command: str = "importer") -> None:
    print(format_problems(problems), file=sys.stderr)
    print("\n" + msg.content_invalid_first(command), file=sys.stderr)


def workbook_refusal(content: Path, target: Path) -> str | None:
    """Why a workbook may not be written at target (None: it may). The export writes an .xlsx workbook
    in place of what is there: named bulletin.yaml, it replaced the issue with a workbook."""
    if target.suffix.lower() != ".xlsx":
        return "ce nom ne finit pas par .xlsx (le classeur écrit est au format Excel .xlsx)"
    if target.is_dir():
        return "c'est un dossier"
    if not target.parent.is_dir():
        return f"le dossier « {target.parent} » n'existe pas"
    if target.resolve().is_relative_to(content.resolve()):
        return "c'est dans le dossier du contenu, que seuls vos fichiers de contenu occupent"
    return None


def _parsed_once() -> Parsing:
    """Each register file is parsed once though read by the checks and by the merge: parsed files are
    kept in memory for the command (a memo that starts empty, /dev/null, and is never saved)."""
    return Parsing(Memo(Path(os.devnull), write=False))


def run_import(content: Path, opts: ImportOptions) -> int:
    return _import(content, opts, _parsed_once())


def _import(content: Path, opts: ImportOptions, parsing: Parsing) -> int:
    found = _register(content, parsing)
    if found is None:
        return EXIT_CONTENT
    settings, register = found
    registre = content / "registre"
    problems: list[Problem] = []
    mapping = read_mapping(registre, problems, parsing)
    sheets = _sheets(opts, mapping, problems)
    currency = settings.devise_par_defaut
    reader = RowReader(register, currency, tuple(settings.devises), mapping, problems)
    entries: list[Entry] = []
    for sheet, kind in sheets:
        entries.extend(reader.entries(sheet, kind))
    check_unique(entries, problems)
    # The rows without problems are still compared with the register: every problem is listed at once.
    existing = read_existing(registre, currency, parsing)
    plan = plan_merge(entries, existing, registre, opts.modify, reader.over_ceiling, problems)
    if problems:
        problems.sort(key=lambda p: (str(p.source.path), getattr(p.source, "sheet", None) or "", p.source.line or 0))
        print(format_problems(problems), file=sys.stderr)
        print("\n" + msg.nothing_written(), file=sys.stderr)
        return EXIT_CONTENT
    refused = _vetted(content, plan)
    if refused:
        already = _errors_of(content)  # the content's own errors are not the sheet's: say so
        print(format_problems(already or refused), file=sys.stderr)
        print("\n" + (msg.content_invalid_first() if already else msg.import_breaks_content()), file=sys.stderr)
        return EXIT_CONTENT
    print(summary(opts.file, sheets, plan, reader.ignored))
    if opts.trial:
        print(msg.trial_done())
        return EXIT_OK
    for path, text in plan.texts.items():
        atomic.write_text(path, text)
    print(msg.written([SourceRef(p) for p in plan.texts]))
    return EXIT_OK


def _sheets(opts: ImportOptions, mapping: ImportMapping, problems: list[Problem]) -> list[tuple[Sheet, str]]:
    """The sheets to import, each with its kind: named by --feuille and --fonds, else recognised by the
    mapping's sheet names (a CSV file by its file name)."""
    by_name = {fold(km.sheet): kind for kind, km in mapping.kinds.items()}
    is_csv = opts.file.suffix.lower() == ".csv"
    names: tuple[str, ...] | None
    if is_csv:
        names = None
    elif opts.sheet:
        names = (opts.sheet,)
    else:
        try:
            present = sheet_names(opts.file) if opts.file.is_file() else ()
        except (CalamineError, OSError, ValueError):  # unreadable: read_sheets below says why, in French
            present = ()
        wanted = [
            n
            for n in present
            if (opts.kind and by_name.get(fold(n)) == opts.kind) or (not opts.kind and fold(n) in by_name)
        ]
        if present and not wanted:
            expected = [mapping.kinds[opts.kind].sheet] if opts.kind else [km.sheet for km in mapping.kinds.values()]
            problems.append(msg.no_sheet_known(SheetRef(opts.file), present, expected))
            return []
        names = tuple(wanted) if present else None
    out = []
    for sheet in read_sheets(opts.file, names, problems):
        kind = opts.kind or by_name.get(fold(sheet.name if sheet.name else opts.file.stem))
        if kind is None:
            problems.append(msg.fund_needed(sheet.ref()))
        else:
            out.append((sheet, kind))
    return out


def _errors_of(content: Path) -> list[Problem]:
    try:
        load_edition(content)
    except ContentInvalid as exc:
        return [p for p in exc.problems if p.severity is Severity.ERROR]
    return []


def _vetted(content: Path, plan: MergePlan) -> list[Problem]:
    """What `check` would say of the content with the new register files: the same guard as for a hand
    edit (published issues' figures, statuses, rates…). Run on a copy made of hard links (nothing
    copied) beside the content, so that the real content is written only once it passes."""
    if not plan.texts:
        return []
    scratch = Path(tempfile.mkdtemp(prefix=".import-", dir=content.parent))
    try:
        copy = scratch / content.name
        shutil.copytree(content, copy, copy_function=_link, symlinks=True)
        for path, text in plan.texts.items():
            target = copy / path.relative_to(content)
            target.unlink(missing_ok=True)  # a hard link: never write through it into the content
            target.write_text(text, encoding="utf-8")
        try:
            load_edition(copy)
        except ContentInvalid as exc:
            # Warnings the content already had are not the import's business: errors only.
            return [_back(p, copy, content) for p in exc.problems if p.severity is Severity.ERROR]
        return []
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _link(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _back(problem: Problem, copy: Path, content: Path) -> Problem:
    """The problem as if it were found in the content itself (same lines: the files are the new ones),
    also where its text cites an entry of the copy."""
    path = problem.source.path
    try:
        moved = content / path.relative_to(copy)
    except ValueError:
        moved = path
    pairs = ((str(SourceRef(copy)), str(SourceRef(content))), (str(copy), str(content)))

    def mend(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return text

    return Problem(
        SourceRef(moved, problem.source.line), problem.field, mend(problem.what), mend(problem.fix), problem.severity
    )


def summary(
    file: Path, sheets: list[tuple[Sheet, str]], plan: MergePlan, ignored: dict[SheetRef, tuple[str, ...]]
) -> str:
    rows = sum(len(s.rows) for s, _ in sheets)
    names = ", ".join(f"« {s.name} » ({k})" if s.name else k for s, k in sheets)
    lines = [msg.summary_head(file.name, names, rows, len(plan.added), len(plan.changed), len(plan.unchanged))]
    lines.extend(msg.summary_ignored(where, headers) for where, headers in ignored.items() if headers)
    for change in plan.changed:
        lines.append(msg.summary_change(change.entry.id, change.existing.ref, describe(change)))
    return "\n".join(lines)


def run_export(content: Path, target: Path) -> int:
    return _export(content, target, _parsed_once())


def _export(content: Path, target: Path, parsing: Parsing) -> int:
    refused = workbook_refusal(content, target)
    if refused:
        print(msg.workbook_target_refused(str(target), refused), file=sys.stderr)
        return EXIT_CONTENT
    found = _register(content, parsing, "exporter")
    if found is None:
        return EXIT_CONTENT
    settings, register = found
    problems: list[Problem] = []
    registre = content / "registre"
    mapping = read_mapping(registre, problems, parsing)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return EXIT_CONTENT
    currency = settings.devise_par_defaut
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        counts = export(partial, register, read_existing(registre, currency, parsing), registre, mapping, currency)
        atomic.place(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    print(msg.exported(SourceRef(target), counts))
    return EXIT_OK


def run_template(content: Path, target: Path) -> int:
    refused = workbook_refusal(content, target)
    if refused:
        print(msg.workbook_target_refused(str(target), refused), file=sys.stderr)
        return EXIT_CONTENT
    problems: list[Problem] = _links_out(content)
    if problems:
        _content_invalid(problems)
        return EXIT_CONTENT
    mapping = read_mapping(content / "registre", problems)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return EXIT_CONTENT
    template(target, mapping)
    print(msg.template_written(SourceRef(target), [mapping.kinds[k].sheet for k in KINDS]))
    return EXIT_OK
