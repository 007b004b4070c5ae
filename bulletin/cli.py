"""Command line: parse arguments, run the stages, set the exit code (0 ok, 1 content, 2 usage)."""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from . import publication
from .errors import BUILD, ContentInvalid, SourceRef
from .figures import compute_issue
from .forked import cores
from .memo import Memo, Parsing
from .messages import cli as cli_msg
from .messages import new_issue as new_issue_msg
from .messages import publication as publication_msg
from .messages import spreadsheet as sheets_msg
from .models import Edition
from .report import format_problems
from .validate import load_edition

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ("build", "check", "serve", "pdf", "nouveau", "new", "publier", "publish", "importer", "exporter")
ALIASES = {"new": "nouveau", "publish": "publier"}
# Commands that take the month of an issue, with the example their usage error shows.
MONTH_COMMANDS = {"pdf": "2017-11", "nouveau": "2017-12", "publier": "2017-11"}


class _FrenchFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class _FrenchParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors, as we document
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE, f"Erreur d'utilisation : {cli_msg.usage_message(message)}\nAide : python build.py --help\n"
        )


def _parser() -> argparse.ArgumentParser:
    p = _FrenchParser(
        prog="python build.py",
        add_help=False,
        formatter_class=_FrenchFormatter,
        description="Construit le bulletin S&R (site web et PDF) depuis content/.",
    )
    what = p.add_argument_group("commande")
    opts = p.add_argument_group("options")
    opts.add_argument("-h", "--help", action="help", help="affiche cette aide")
    what.add_argument(
        "commande",
        nargs="?",
        default="build",
        choices=COMMANDS,
        help="build (par défaut) : construit site/ avec les PDF ; check : vérifie le contenu sans rien "
        "écrire ; serve : aperçu en direct sur http://127.0.0.1:8000/ ; pdf AAAA-MM : refait le "
        "PDF d'un seul numéro ; nouveau AAAA-MM (ou new) : crée le dossier du numéro de ce mois "
        "à partir du numéro précédent ; publier AAAA-MM (ou publish) : enregistre le numéro comme "
        "publié (publie.yaml : sa date et ses chiffres, qui ne pourront plus changer sans "
        "rectificatif), ou enregistre ses nouveaux rectificatifs ; importer FICHIER : ajoute au "
        "registre les projets d'un tableur (.xlsx, .ods, .csv) ; exporter FICHIER.xlsx : écrit "
        "tout le registre dans un classeur",
    )
    what.add_argument(
        "mois",
        nargs="?",
        help="le mois du numéro, avec « pdf », « nouveau » ou « publier » (par exemple 2017-11) ; "
        "le fichier, avec « importer » ou « exporter »",
    )
    opts.add_argument(
        "--content",
        type=Path,
        metavar="DOSSIER",
        default=ROOT / "content",
        help="dossier de contenu (défaut : content/)",
    )
    opts.add_argument(
        "--site-dir", type=Path, metavar="DOSSIER", default=ROOT / "site", help="dossier de sortie (défaut : site/)"
    )
    opts.add_argument(
        "--strict",
        action="store_true",
        help="les avertissements (écarts entre chiffres déclarés et calculés…) deviennent des erreurs",
    )
    opts.add_argument(
        "--sans-pdf",
        action="store_true",
        help="construit seulement le site web, sans les PDF (plus rapide, pour relire les pages)",
    )
    opts.add_argument(
        "--imprimeur",
        action="store_true",
        help="ajoute un PDF pour l'imprimeur (fond perdu de 3 mm et traits de coupe)",
    )
    opts.add_argument(
        "--controle",
        action="store_true",
        help="ajoute l'édition de contrôle de chaque plan de travail (écarts et lignes sans montant "
        "annotés), à côté du PDF public",
    )
    opts.add_argument(
        "--avec-guide",
        action="store_true",
        help="ajoute le guide de l'auteur au site (absent du site public ; toujours dans l'aperçu serve)",
    )
    opts.add_argument(
        "--hors-ligne",
        action="store_true",
        help="un site à ouvrir depuis le disque ou une clé USB (site/index.html), sans serveur web ; "
        "la recherche n'y fonctionne pas",
    )
    opts.add_argument(
        "--le",
        type=_day,
        metavar="AAAA-MM-JJ",
        help="avec publier : la date de publication du numéro (défaut : aujourd'hui)",
    )
    sheets = p.add_argument_group("importer / exporter")
    sheets.add_argument(
        "--feuille", metavar="NOM", help="importer : la feuille à lire (défaut : celles de import.yaml)"
    )
    sheets.add_argument(
        "--fonds",
        choices=("qip", "ff", "pbf", "contributions"),
        help="importer : le fonds des lignes de la feuille (défaut : d'après le nom de la feuille)",
    )
    sheets.add_argument("--essai", action="store_true", help="importer : montre ce qui changerait, sans rien écrire")
    sheets.add_argument(
        "--modifier", action="store_true", help="importer : la feuille peut changer les projets déjà au registre"
    )
    sheets.add_argument("--modele", type=Path, metavar="FICHIER", help="importer : écrit une feuille modèle (.xlsx)")
    opts.add_argument("--port", type=_port, metavar="PORT", default=8000, help="port de l'aperçu (serve)")
    opts.add_argument("--templates", type=Path, default=ROOT / "templates", help=argparse.SUPPRESS)
    opts.add_argument("--cache-dir", type=Path, default=ROOT / ".cache" / "pdf", help=argparse.SUPPRESS)
    opts.add_argument("--config", type=Path, default=None, help=argparse.SUPPRESS)  # the shell's own by default
    return p


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n’est pas une date AAAA-MM-JJ (par exemple 2017-12-05)") from None


def _port(text: str) -> int:
    """A port the preview can listen on and announce (0 would be any port, and « :0/ » no address)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"« {text} » n’est pas un port : un nombre de 1 à 65535 (par exemple 8000)")
    return port


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    args.commande = ALIASES.get(args.commande, args.commande)
    if args.commande in MONTH_COMMANDS:
        from .new_issue import is_month  # with what starts a new issue: the other commands do without

        if args.commande == "pdf" and not is_month(args.mois):
            parser.error(f"« pdf » attend le mois du numéro, par exemple : {BUILD} pdf 2017-11")
        if args.commande != "pdf" and not is_month(args.mois):
            parser.error(cli_msg.month_expected(args.commande, args.mois, MONTH_COMMANDS[args.commande]))
    if args.le and args.commande != "publier":
        parser.error("l'option --le va avec « publier » seulement")
    if args.commande != "importer" and (args.feuille or args.fonds or args.essai or args.modifier or args.modele):
        parser.error(sheets_msg.import_options_only())
    if args.commande in ("importer", "exporter"):  # before loading: they vet the content themselves
        return _sheets(parser, args)
    if args.commande not in MONTH_COMMANDS and args.mois:
        parser.error(f"argument inattendu : {args.mois}")
    if args.commande == "nouveau":  # before loading: a new issue may be started while others still have errors
        return _new_issue(args)
    if args.commande == "serve":
        return _run(args, time.perf_counter())
    if args.commande in ("build", "pdf"):
        from .publish import site_refusal

        refused = site_refusal(args.site_dir, args.content)
        if refused:
            print(cli_msg.site_dir_refused(args.site_dir, refused), file=sys.stderr)
            return EXIT_CONTENT
    # While the content is read, Python's cycle collector would walk the parsed archive again and again
    # for little garbage (5 % of a cold build of 120 issues): it is off, and the making of files turns it
    # back on over the new objects alone (bulletin.cli_make.make). The preview, which lives on, keeps it
    # on between saves and off while it builds (bulletin.web); so does whoever called main() (the
    # tests), once it returns.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(args, time.perf_counter())
    finally:
        gc.unfreeze()
        (gc.enable if collecting else gc.disable)()


def _run(args: argparse.Namespace, started: float) -> int:
    if args.commande == "pdf":
        months = sorted(p.name for p in (args.content / "bulletins").glob("*") if p.is_dir())
        if months and args.mois not in months:  # no issue at all: load_edition says what to create
            print(cli_msg.no_such_issue(args.mois, args.content, months), file=sys.stderr)
            return EXIT_CONTENT
        from .engine import started as engine_started
        from .print_build import render_job

        # Before the memo is read: the engine's process imports WeasyPrint meanwhile, from a small copy.
        with engine_started(render_job) as args.engine:
            return _loaded(args, started, _memo(args))
    return _loaded(args, started, _memo(args))


def _memo(args: argparse.Namespace) -> Memo:
    # Read by every command, written back by a build only (it keeps what the site uses). `check` and
    # `pdf` read each file once: holding what they compute (parsed files and validations, pickled for a
    # store they never write) would only cost them time and memory.
    return Memo(
        args.cache_dir / "web" / "memo.pickle",
        write=args.commande == "build",
        remember=args.commande not in ("check", "pdf"),
    )


def _loaded(args: argparse.Namespace, started: float, kept: Memo) -> int:
    try:
        # `pdf` reads and checks only what its issue prints; the other commands, the whole content.
        only = args.mois if args.commande == "pdf" else None
        edition = load_edition(args.content, Parsing(kept, cores()), only)
    except ContentInvalid as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        if args.commande == "serve":  # the preview shows the errors in the page and recovers on save
            from . import web

            return web.serve_site(args.config or web.CONFIG_FILE, args.content, "127.0.0.1", args.port, args.cache_dir)
        if args.commande != "check":
            print("\nRien n'a été écrit : le site précédent reste en place.", file=sys.stderr)
        return EXIT_CONTENT
    warnings = edition.warnings
    if args.commande == "publier":  # told to run publier for its errata: this run is that
        recording = [
            publication.unrecorded(i, e) for i in edition.issues if i.mois == args.mois for e in i.rectificatifs
        ]
        warnings = tuple(w for w in warnings if w not in recording)
    if warnings:
        print(format_problems(warnings), file=sys.stderr)
        if args.strict:
            print("\nMode strict : les avertissements comptent comme des erreurs. Rien n'a été écrit.", file=sys.stderr)
            return EXIT_CONTENT
        print("", file=sys.stderr)
    if args.commande == "publier":
        return _publish(args, edition)
    if args.commande == "check":
        print(
            cli_msg.content_valid(
                len(edition.issues), len(edition.register.projets), len(edition.plans), len(edition.warnings)
            )
        )
        return EXIT_OK
    if args.commande == "serve":
        from . import web  # MkDocs is imported only when a site is built or served

        return web.serve_site(args.config or web.CONFIG_FILE, args.content, "127.0.0.1", args.port, args.cache_dir)
    from .cli_make import make  # what only a build or a PDF needs (templates, print, search)

    return make(args, edition, started, kept)


def _publish(args: argparse.Namespace, edition: Edition) -> int:
    """Record an issue as published, or record its new errata (the content is valid: load_edition
    accepted its figures, which for a published issue means that only errata moved them)."""
    issue = next((i for i in edition.issues if i.mois == args.mois), None)
    if issue is None:
        print(cli_msg.no_such_issue(args.mois, args.content, [i.mois for i in edition.issues]), file=sys.stderr)
        return EXIT_CONTENT
    record = issue.publication
    if record is None:
        # The one place this project reads the clock: publishing is an authoring act that states a
        # fact (the day the issue went out) and writes it into the content, where every later build
        # reads it. Builds and checks themselves never look at today's date.
        published_on = args.le or date.today()
        if published_on > date.today():  # a typo (2071 for 2017) would be frozen as well
            print(
                publication_msg.published_in_the_future(args.mois, _in_words(published_on), _in_words(date.today())),
                file=sys.stderr,
            )
            return EXIT_CONTENT
        # Once recorded, the day never changes: refused before the last day any of its figures is
        # counted at (the Peacebuilding Fund's have a reference date of their own).
        counted_at = max(issue.date_reference, issue.pbf_date_reference)
        if published_on < counted_at:
            print(
                publication_msg.published_before_its_figures(
                    args.mois, _in_words(published_on), _in_words(counted_at), args.le is not None
                ),
                file=sys.stderr,
            )
            return EXIT_CONTENT
    else:
        if args.le and args.le != record.publie_le:
            print(publication_msg.already_published(args.mois, _in_words(record.publie_le)), file=sys.stderr)
            return EXIT_CONTENT
        published_on = record.publie_le
        if all(e.date in {r.date for r in record.rectificatifs} for e in issue.rectificatifs):
            listed = publication.list_published(args.content / "bulletins", _published(edition))
            if listed is not None:  # a content older than the list: the issues are added, nothing else changes
                print(publication_msg.listed_report(SourceRef(listed), sorted(_published(edition))))
            else:
                print(publication_msg.nothing_to_record(args.mois, _in_words(record.publie_le)))
            return EXIT_OK
    figures = compute_issue(edition.register, issue)
    path = publication.write_record(
        args.content / "bulletins" / issue.mois,
        publication.record_text(figures, edition.register, published_on, record),
    )
    publication.list_published(args.content / "bulletins", {**_published(edition), issue.mois: published_on})
    print(
        publication_msg.published_report(
            SourceRef(path), args.mois, _in_words(published_on), len(issue.rectificatifs) if record else 0
        )
    )
    return EXIT_OK


def _in_words(day: date) -> str:
    """A day in a message, as the officer writes it (« 5 décembre 2017 »)."""
    from .filters import format_day

    return format_day(day, publication.LOCALE)


def _published(edition: Edition) -> dict[str, date]:
    """Every issue that has a publication record, with its day."""
    return {i.mois: i.publication.publie_le for i in edition.issues if i.publication is not None}


def _sheets(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from . import sheets_cli

    if args.commande == "importer" and args.modele:
        return sheets_cli.run_template(args.content, args.modele)
    if not args.mois:
        parser.error(sheets_msg.file_expected(args.commande))
    if args.commande == "exporter":
        return sheets_cli.run_export(args.content, Path(args.mois))
    return sheets_cli.run_import(
        args.content, sheets_cli.ImportOptions(Path(args.mois), args.feuille, args.fonds, args.essai, args.modifier)
    )


def _new_issue(args: argparse.Namespace) -> int:
    from . import new_issue

    try:
        plan = new_issue.plan_new_issue(args.content, args.mois)
        new_issue.write_new_issue(plan)
    except ContentInvalid as exc:  # a refusal, not an error in the content: no report header
        print("\n\n".join(str(p) for p in exc.problems), file=sys.stderr)
        return EXIT_CONTENT
    options = "" if args.content == ROOT / "content" else f" --content {args.content}"
    print(
        new_issue_msg.new_issue_report(
            SourceRef(plan.folder), plan.source, [f.name for f in plan.files if f.copied], options
        )
    )
    return EXIT_OK
