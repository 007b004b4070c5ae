"""The command line: usage errors in French, the month argument, the preview's port and crash page."""

from __future__ import annotations

import errno
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import BUILD, display_path, suggest
from . import counted, number

# argparse words its few usage errors in English: the ones this command line can meet, in French.
_USAGE_FR = (
    (
        re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$"),
        "« {1} » n'est pas une valeur possible pour « {0} » ; choisissez parmi : {2}.",
    ),
    (re.compile(r"unrecognized arguments: (.+)$"), "option inconnue : {0}."),
    (re.compile(r"argument (\S+): expected one argument$"), "il manque une valeur après « {0} »."),
    (re.compile(r"argument (\S+): invalid int value: (.+)$"), "« {0} » attend un nombre entier, trouvé « {1} »."),
    # An option whose value its type refuses (--le): the reason is already French.
    (re.compile(r"argument (\S+): (.*« .+)$"), "{0} : {1}"),
)


def usage_message(message: str) -> str:
    """argparse's English message for a usage error, said in French when it is a known one."""
    for pattern, french in _USAGE_FR:
        match = pattern.match(message)
        if match:
            said = french.format(*(g.replace("'", "") for g in match.groups()))
            if pattern is _USAGE_FR[0][0]:  # a mistyped command (« chek »): the one it is closest to
                typed, choices = match[2].replace("'", ""), match[3].replace("'", "").split(", ")
                said += suggest(typed, choices)
            return said
    return message


def month_expected(command: str, found: str | None, example: str) -> str:
    """Usage error of a command that takes the month of an issue."""
    what = f"« {found} » n'est pas un mois de la forme AAAA-MM" if found else "il manque le mois du numéro"
    return f"{what} ; « {command} » attend par exemple : {BUILD} {command} {example}"


def port_busy(host: str, port: int, detail: str) -> str:
    """Command-line refusal (exit 2): the preview's port is taken."""
    return (
        f"Le port {port} de {host} est déjà utilisé ({detail}) : un autre aperçu tourne peut-être déjà.\n"
        f"    → Arrêtez l'autre aperçu (Ctrl+C dans sa fenêtre), ou choisissez un autre port : "
        f"{BUILD} serve --port {port + 1}"
    )


def preview_crashed(detail: str) -> tuple[str, str]:
    """Shown in the preview page when the build fails for a reason that is not in the content."""
    return (
        "Erreur interne de l'aperçu : la page n'a pas pu être construite. Ce n'est pas une erreur de votre "
        "contenu que l'outil sait reconnaître.",
        f"Détail technique : {detail}. Le détail complet est affiché dans la fenêtre où tourne « {BUILD} "
        "serve ». Enregistrez à nouveau un fichier pour relancer la construction ; si l'erreur persiste, "
        "lancez « " + BUILD + " check » et signalez le problème avec ce message.",
    )


def site_dir_refused(site: Path, reason: str) -> str:
    return (
        f"Le site ne peut pas être écrit dans « {site} » : {reason}. Rien n'a été écrit ni déplacé.\n"
        "    → Donnez avec --site-dir un dossier à part, qui n'existe pas encore ou qui contient un site "
        "déjà construit (par défaut : site/ dans le dossier du projet)."
    )


_ERRNO_FR = {
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération refusée par le système",
    errno.ENOSPC: "le disque est plein",
    errno.EROFS: "le disque est en lecture seule",
    errno.EEXIST: "un fichier porte déjà ce nom",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.EDQUOT: "le quota du disque est atteint",
}


def cannot_write(path: object, code: int | None, detail: str | None) -> str:
    """A file or folder of the site, its PDFs or the cache the system would not write."""
    reason = _ERRNO_FR.get(code or 0) or f"erreur du système ({detail or 'inconnue'})"
    return (
        f"{path or 'un fichier du site'} — impossible d'écrire : {reason}. Le site précédent reste en place.\n"
        "    → Vérifiez ce dossier (place libre, droits d'écriture), ou choisissez-en un autre avec --site-dir "
        "(et --cache-dir pour le cache)."
    )


def no_such_issue(month: str, content: Path, months: Sequence[str]) -> str:
    return (
        f"Aucun bulletin pour {month} dans {display_path(content / 'bulletins')}.\n"
        f"    → Numéros disponibles : {', '.join(months)}."
    )


def content_valid(issues: int, projects: int, plans: int, warnings: int) -> str:
    text = (
        f"Contenu valide : {counted(issues, 'bulletin', 'bulletins')}, "
        f"{counted(projects, 'projet', 'projets')} au registre, {counted(plans, 'plan', 'plans')} de travail"
    )
    return text + (f", {counted(warnings, 'avertissement', 'avertissements')}." if warnings else ".")


def pdf_without_site(site: Path) -> str:
    """`build.py pdf AAAA-MM` where no site was built: what it published holds the PDFs alone."""
    return (
        f"Aucun site n'était construit dans {display_path(site)} : il ne contient que ces PDF, sans page "
        "d'accueil.\n    → Pour publier le site entier, construisez-le : python build.py"
    )


def site_built(site: Path, pages: int, pdfs: int, made: int, seconds: float) -> str:
    duration = f"{seconds:.1f}".replace(".", ",")  # French decimal comma
    return (
        f"Site construit dans {site} : {counted(pages, 'page', 'pages')}, {number(pdfs)} PDF "
        f"({counted(made, 'produit', 'produits')}, {counted(pdfs - made, 'inchangé', 'inchangés')}), en {duration} s."
    )
