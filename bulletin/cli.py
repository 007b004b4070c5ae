"""Command line: parse arguments, run the stages, set the exit code (0 ok, 1 content, 2 usage)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

from jinja2 import TemplateError

from .errors import ContentInvalid, Severity
from .report import format_problems
from .validate import load_edition

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
ROOT = Path(__file__).resolve().parent.parent


class _FrenchParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on usage errors, as we document
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Erreur d'utilisation : {message}\nAide : python build.py --help\n")


def _parser() -> argparse.ArgumentParser:
    p = _FrenchParser(prog="python build.py", description="Construit le bulletin S&R (site web) depuis content/.",
                      add_help=False)
    p.add_argument("-h", "--help", action="help", help="affiche cette aide")
    p.add_argument("commande", nargs="?", default="build", choices=("build", "check", "serve"),
                   help="build (par défaut) : construit site/ ; check : vérifie le contenu sans rien écrire ; "
                        "serve : aperçu en direct sur http://127.0.0.1:8000/")
    p.add_argument("--content", type=Path, default=ROOT / "content", help="dossier de contenu (défaut : content/)")
    p.add_argument("--site-dir", type=Path, default=ROOT / "site", help="dossier de sortie (défaut : site/)")
    p.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, default=8000, help="port de l'aperçu (serve)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        edition = load_edition(args.content)
    except ContentInvalid as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        if args.commande != "check":
            print("\nRien n'a été écrit : le site précédent reste en place.", file=sys.stderr)
        return EXIT_CONTENT
    if args.commande == "check":
        print(f"Contenu valide : {len(edition.issues)} bulletin(s), {len(edition.register.projets)} projet(s) "
              f"au registre.")
        return EXIT_OK
    from . import web  # MkDocs is imported only when a site is built or served

    if args.commande == "serve":
        web.serve_site(args.config, args.content, "127.0.0.1", args.port)
        return EXIT_OK
    try:
        count = web.build_site(args.config, args.content, args.site_dir)
    except TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or 'gabarit'}:{getattr(exc, 'lineno', '?')}"
        print(f"{where} — erreur dans un gabarit : {exc.message}\n    → Corrigez le gabarit dans templates/ ; "
              "le site précédent reste en place.", file=sys.stderr)
        return EXIT_CONTENT
    print(f"Site construit dans {args.site_dir} : {count} pages, en {time.perf_counter() - started:.1f} s.")
    return EXIT_OK
