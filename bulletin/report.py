"""How problems are shown to the author on the command line (and in MkDocs errors)."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import Problem, Severity


def format_problems(problems: Sequence[Problem]) -> str:
    """Errors first, then warnings, each block counted, in French."""
    errs = [p for p in problems if p.severity is Severity.ERROR]
    warns = [p for p in problems if p.severity is Severity.WARNING]
    parts = []
    if errs:
        parts.append(_block(errs, "erreur", "erreurs"))
    if warns:
        parts.append(_block(warns, "avertissement", "avertissements"))
    return "\n\n".join(parts)


def _block(problems: Sequence[Problem], singular: str, plural: str) -> str:
    head = f"{len(problems)} {singular if len(problems) == 1 else plural} dans le contenu :"
    return head + "\n\n" + "\n\n".join(str(p) for p in problems)
