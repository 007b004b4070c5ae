"""Print stage: one PDF per issue, rendered in worker processes, skipped when its inputs are unchanged."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache as cache_once
from importlib.metadata import version
from pathlib import Path

from jinja2 import Environment

from . import atomic
from .engine import Engine, EngineStopped
from .figures import IssueFigures, compute_issue
from .i18n import EDITIONS
from .language import SOURCE_LANGUAGE, edition_in, is_translated, issue_in
from .messages import print as print_msg
from .models import Edition, Issue
from .plan_figures import compute_plan
from .render import make_environment, render_print
from .render_plan import render_plan_print
from .timeline import Timeline

PRINT_DIR = "print"


@dataclass(frozen=True, slots=True)
class PrintJob:
    site_path: str  # where the PDF is published in the site, e.g. bulletins/2017-11/bulletin-sr-2017-11.pdf
    html: str
    base_url: Path
    cached: Path  # where the PDF for exactly these inputs lives
    roots: tuple[Path, ...] = ()  # the folders the engine may read besides base_url (bulletin/sandbox.py)


@dataclass(frozen=True, slots=True)
class PrintResult:
    site_path: str
    path: Path
    rendered: bool  # False when the cache already held it


class PrintFailed(Exception):
    """The PDF engine could not render an issue; the message is for the author."""


def pdf_name(mois: str, imprimeur: bool = False, language: str = SOURCE_LANGUAGE) -> str:
    """'bulletin-sr-2017-11.pdf'; the English edition 'bulletin-sr-2017-11-en.pdf'."""
    edition = "" if language == SOURCE_LANGUAGE else f"-{language}"
    return f"bulletin-sr-{mois}{'-imprimeur' if imprimeur else ''}{edition}.pdf"


def issue_pdf_path(mois: str, imprimeur: bool = False, language: str = SOURCE_LANGUAGE) -> str:
    """Beside the issue page of its edition: 'bulletins/2017-11/…' in French, 'en/bulletins/2017-11/…-en.pdf'
    in English (the English site is under /en/, bulletin/pages_en.py)."""
    edition = "" if language == SOURCE_LANGUAGE else f"{language}/"
    return f"{edition}bulletins/{mois}/{pdf_name(mois, imprimeur, language)}"


def plan_pdf_path(slug: str, controle: bool = False) -> str:
    return f"plans/{slug}/{slug}{'-controle' if controle else ''}.pdf"


def _assets_digest(folder: Path) -> str:
    """Stylesheet, fonts and every other file of the print layout, plus the engine's version and adapter.

    The adapter and its sandbox decide what the engine may read: a PDF cached under older rules
    (which might hold a file they now refuse) is not reused.
    """
    digest = hashlib.sha256(version("weasyprint").encode())
    for module in ("pdf.py", "sandbox.py"):
        digest.update(Path(__file__).with_name(module).read_bytes())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def plan_print(
    edition: Edition,
    templates: Path,
    cache: Path,
    months: tuple[str, ...] | None = None,
    imprimeur: bool = False,
    plans: bool = True,
    all_figures: tuple[IssueFigures, ...] | None = None,
    controle: bool = False,
) -> tuple[PrintJob, ...]:
    """Render the print HTML of each issue (and work plan) and name its cache entry after a hash of its inputs.

    controle=True: only the control edition of each work plan (its check annotations printed).
    The HTML already contains the issue's content, the register figures it uses and the template
    output, so hashing it with the layout's files and the pictures covers every input a PDF depends on.
    """
    env = make_environment(templates, edition, cache=cache / "jinja")

    @cache_once
    def english() -> tuple[Edition, Timeline, Environment]:
        """The English edition (its stable parts' English names), made for the first issue that has one."""
        translated = edition_in(edition, "en")
        env_en = make_environment(templates, translated, locale=EDITIONS["en"], cache=cache / "jinja")
        return translated, Timeline(translated.register), env_en

    base = (templates / PRINT_DIR).resolve()
    assets = _assets_digest(base)
    documents: list[tuple[str, str, list[Path], tuple[Path, ...]]] = []
    # The web stage may hand over the figures it computed: both editions print the same numbers.
    by_month = {f.issue.mois: f for f in all_figures or ()}
    for issue in edition.issues:
        if not controle and (months is None or issue.mois in months):
            figures = by_month.get(issue.mois) or compute_issue(edition.register, issue)
            html = render_print(env, edition, figures, imprimeur=imprimeur)
            # The engine reads the templates and this issue's own folder (its photos), nothing else.
            roots: tuple[Path, ...] = (templates, issue.source.path.parent)
            documents.append((issue_pdf_path(issue.mois, imprimeur), html, _photos(issue), roots))
            if is_translated(issue) and not imprimeur:
                # The English edition: the same figures, the same print template, English words and formats.
                # The English edition: its figures from its register (the stable parts' English names).
                translated, timeline, env_en = english()
                figures_en = compute_issue(translated.register, issue_in(issue, "en"), timeline)
                html_en = render_print(env_en, translated, figures_en)
                documents.append((issue_pdf_path(issue.mois, language="en"), html_en, _photos(issue), roots))
    if plans and not imprimeur and months is None:
        for plan in edition.plans:
            documents.append(
                (
                    plan_pdf_path(plan.slug, controle),
                    render_plan_print(env, compute_plan(plan), controle),
                    [],
                    (templates,),
                )
            )
    jobs = []
    for site_path, html, photos, roots in documents:
        digest = hashlib.sha256((assets + html).encode())
        for photo in photos:  # the HTML names a picture; its bytes may change under the same name
            digest.update(photo.read_bytes())
        name = site_path.replace("/", "_")[:-4]
        jobs.append(PrintJob(site_path, html, base, cache / f"{name}-{digest.hexdigest()[:32]}.pdf", roots))
    return tuple(jobs)


def _photos(issue: Issue) -> list[Path]:
    items = issue.coordination + issue.qip_faits + issue.ff_faits + issue.ff_contributions
    return [item.photo.fichier for item in items if item.photo] + ([issue.carte.fichier] if issue.carte else [])


def run_print(
    jobs: tuple[PrintJob, ...], workers: int | None = None, engine: Engine | None = None
) -> tuple[PrintResult, ...]:
    """Render the jobs whose PDF is not cached yet, several at once when there are several. With an
    `engine` (bulletin.engine.started), its process lays out the first one while this one lays out the rest."""
    todo = [j for j in jobs if not j.cached.exists()]
    workers = min(workers or os.cpu_count() or 1, len(todo))
    if engine is not None and todo:
        try:
            engine.send(todo[0])
            render_jobs(tuple(todo[1:]))
            engine.result()  # its PrintFailed, re-raised here
        except EngineStopped as exc:
            raise PrintFailed(print_msg.print_engine_stopped(todo[0].site_path, exc.args[0])) from None
    elif workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=_warm_up) as pool:
            list(pool.map(render_job, todo))
    else:
        for job in todo:
            render_job(job)
    return tuple(PrintResult(j.site_path, j.cached, j in todo) for j in jobs)


def print_apart(jobs: tuple[PrintJob, ...]) -> tuple[PrintResult, ...]:
    """run_print in a process of its own, for a program that lives on (the preview). Laying out a PDF
    is seconds of Python: in a thread of the preview it would hold the interpreter's lock while the
    next save is rebuilt and served (measured: a save took up to 16 s instead of 3.5 while a PDF was
    laid out). A new process per call, not a pool: it ends with its work, even when the preview is
    stopped under it, and holds none of the preview's open files (a worker of a pool outlived it)."""
    todo = tuple(j for j in jobs if not j.cached.exists())
    if todo:
        done = subprocess.run(
            [sys.executable, "-m", "bulletin.print_apart"],
            input=pickle.dumps(todo),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        if done.returncode != 0:
            reason = done.stdout.decode("utf-8", "replace").strip()
            raise PrintFailed(reason or f"l'impression s'est arrêtée (code {done.returncode})")
    return tuple(PrintResult(j.site_path, j.cached, j in todo) for j in jobs)


def render_jobs(jobs: tuple[PrintJob, ...]) -> None:
    """Lay out each job into its cache entry, one after the other (bulletin.print_apart)."""
    gc.enable()
    for job in jobs:
        render_job(job)


def _warm_up() -> None:
    # Import the engine once per worker process, not once per issue. A worker lays out many PDFs,
    # whose layout trees hold cycles: it collects them, whatever the command line chose for itself.
    gc.enable()
    import weasyprint  # noqa: F401


def render_job(job: PrintJob) -> None:
    from .pdf import FetchFailed, write_pdf

    started = time.time_ns()
    try:
        data = write_pdf(job.html, job.base_url, job.roots)
    except FetchFailed as exc:  # a file refused or missing: the message names it, in French
        raise PrintFailed(
            f"le PDF {job.site_path} n'a pas pu être produit : {exc}. Le PDF précédent reste en place."
        ) from exc
    except Exception as exc:  # the engine's own errors vary by version; the author gets one French line
        raise PrintFailed(
            f"le PDF {job.site_path} n'a pas pu être produit ({type(exc).__name__} : {exc}). "
            "Le PDF précédent reste en place."
        ) from exc
    atomic.write_bytes(job.cached, data)
    _prune(job.cached, started)


# How much earlier than a layout's start an entry must have been written for that layout to drop it: the
# file system's clock, which dates the entries, may lag the one read at the start by a tick.
_PRUNE_MARGIN_NS = 1_000_000_000


def _prune(kept: Path, started_ns: int) -> None:
    """Drop the cache entries of the same issue and variant written before this layout began (`started_ns`,
    time.time_ns()): the cache holds one PDF per issue.

    Not those written since, even when this one is written after them: in the preview, the PDF of the
    layout before a save may still be laid out in its own process when the newer one is written. Pruning
    what was older than itself by the time it was written, it deleted the newer entry before the preview
    had copied it, and the issue's PDF never came (tests/test_serve.py, under load)."""
    prefix = kept.name.rsplit("-", 1)[0] + "-"
    before = started_ns - _PRUNE_MARGIN_NS
    for other in kept.parent.glob(prefix + "*.pdf"):
        if other != kept and len(other.name) == len(kept.name):
            try:
                if other.stat().st_mtime_ns < before:
                    other.unlink()
            except FileNotFoundError:
                pass  # pruned meanwhile by another layout of the same issue
