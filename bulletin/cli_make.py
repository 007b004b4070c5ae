"""The commands that make files from valid content: `build.py` (the site and its PDFs) and `build.py pdf
AAAA-MM`. Apart from bulletin.cli so that `check`, `nouveau` and `publier` do not import the templates,
the print stage and the search index they never use."""

from __future__ import annotations

import argparse
import gc
import sys
import time

from jinja2 import TemplateError

from . import atomic
from .cli import EXIT_CONTENT, EXIT_OK
from .figures import IssueFigures
from .forked import cores
from .memo import Memo
from .messages import cli as cli_msg
from .models import Edition
from .pages import compute_all
from .print_build import PrintFailed, PrintResult, plan_print, run_print
from .publish import new_generation
from .search import SearchIndexFailed


def make(args: argparse.Namespace, edition: Edition, started: float, kept: Memo) -> int:
    """`build.py` (the site and its PDFs) or `build.py pdf AAAA-MM` on valid content; the exit code."""
    # The content is read (bulletin.cli turned the collector off meanwhile). Making the pages, MkDocs'
    # build and the search leave garbage in cycles (MkDocs' pages and menu, Jinja's contexts) that only
    # the collector frees: it runs again, over the objects made from now on (the edition is frozen, not
    # walked). Left off, the garbage stayed to the end: the peak of a cold build of the 120-issue archive
    # was 167 MiB, 148 with it, for the same time.
    gc.freeze()
    gc.enable()
    try:
        if args.commande == "pdf":
            return _one_pdf(args, edition)
        return _build(args, edition, started, kept)
    except TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or 'gabarit'}:{getattr(exc, 'lineno', None) or '?'}"
        print(
            f"{where} — erreur dans un gabarit : {exc.message}\n    → Corrigez le gabarit dans templates/. "
            "Rien n'a été écrit : le site et les PDF précédents restent en place.",
            file=sys.stderr,
        )
    except PrintFailed as exc:
        print(f"Erreur d'impression : {exc}", file=sys.stderr)
    except SearchIndexFailed as exc:
        print(exc, file=sys.stderr)
    except OSError as exc:  # a folder the system refuses (read-only, full, a file in the way): said, not a traceback
        print(cli_msg.cannot_write(exc.filename, exc.errno, exc.strerror), file=sys.stderr)
    return EXIT_CONTENT


def _print(
    args: argparse.Namespace,
    edition: Edition,
    months: tuple[str, ...] | None = None,
    all_figures: tuple[IssueFigures, ...] | None = None,
) -> tuple[tuple[PrintResult, ...], ...]:
    """The office PDFs, and the print-shop ones when asked for."""
    variants = (False, True) if args.imprimeur else (False,)
    engine = getattr(args, "engine", None)  # `pdf`'s, started before the content was read (bulletin.engine)
    printed = [
        run_print(
            plan_print(edition, args.templates, args.cache_dir, months, imprimeur=v, all_figures=all_figures),
            engine=engine,
        )
        for v in variants
    ]
    if getattr(args, "controle", False) and months is None:  # copied into the site as the print-shop variants are
        control = run_print(plan_print(edition, args.templates, args.cache_dir, controle=True))
        printed = [printed[0], (*(printed[1] if len(printed) > 1 else ()), *control)]
    return tuple(printed)


def _build(args: argparse.Namespace, edition: Edition, started: float, kept: Memo) -> int:
    from . import web  # MkDocs is imported only when a site is built or served
    from .site_build import make_site, publish_site  # and what only a build needs (search, compression)

    all_figures = compute_all(edition, kept)  # once, for the PDFs, the pages and the open data (and the checks)
    printed = ((),) if args.sans_pdf else _print(args, edition, all_figures=all_figures)
    shell = web.MkDocsShell(
        args.config or web.CONFIG_FILE, guide=args.avec_guide, cache=args.cache_dir, content=args.content
    )
    site = make_site(
        args.content,
        args.templates,
        site_url=shell.site_url,
        image_cache=args.cache_dir / "images",
        edition=edition,
        figures=all_figures,
        pdfs=printed[0],
        extra_pdfs=printed[1] if len(printed) > 1 else (),
        memo=kept,
        workers=cores(),
    )
    # The copy for reading from disk has its pages rewritten after the shell, and the authors' copy has
    # pages the public one must not take over: neither keeps pages from, or for, another generation.
    count = publish_site(
        site,
        shell,
        args.site_dir,
        args.cache_dir,
        offline=args.hors_ligne,
        reuse=not (args.hors_ligne or args.avec_guide),
    )
    kept.save()
    made = sum(r.rendered for results in printed for r in results)
    total = sum(len(results) for results in printed)
    print(cli_msg.site_built(args.site_dir, count, total, made, time.perf_counter() - started))
    return EXIT_OK


def _one_pdf(args: argparse.Namespace, edition: Edition) -> int:
    """`build.py pdf AAAA-MM`: `edition` holds that issue alone (bulletin.cli checked that its folder exists)."""
    printed = [result for results in _print(args, edition, (args.mois,)) for result in results]
    # A new generation of the site: the one in place with this PDF replaced, switched to in one step.
    with new_generation(args.site_dir) as generation:
        for result in printed:
            atomic.place(result.path, generation.folder / result.site_path)
        generation.fill_from_base()
        alone = generation.base is None  # no site built yet: the PDFs are all it publishes
        generation.publish()
    for result in printed:
        print(f"PDF écrit : {args.site_dir / result.site_path}")
    if alone:  # a reader opening the site would find no home page (an adversarial review)
        print(cli_msg.pdf_without_site(args.site_dir), file=sys.stderr)
    return EXIT_OK
