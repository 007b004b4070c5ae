"""Author-facing problems. Every French sentence the author reads lives here."""

from __future__ import annotations

import difflib
import sys
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Iterable, Sequence


class Severity(Enum):
    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a value was written: file and 1-based line."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        shown = _display_path(self.path)
        return f"{shown}:{self.line}" if self.line else shown


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in the content, with where, what and how to fix it."""

    source: SourceRef
    field: str
    what: str
    fix: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        head = f"{self.source} — « {self.field} » : {self.what}" if self.field else f"{self.source} — {self.what}"
        return f"{head}\n    → {self.fix}"


class ContentInvalid(Exception):
    """Raised once, after every problem of a run has been gathered."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problème(s) dans le contenu")
        self.problems = tuple(sorted(problems, key=_problem_order))


def _problem_order(p: Problem) -> tuple[str, int]:
    return (str(p.source.path), p.source.line or 0)


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _build_command() -> str:
    """How the author runs the tool, so that the commands we suggest work as typed (README: .venv/bin/python)."""
    exe = Path(sys.executable)
    try:
        return f"{exe.relative_to(Path.cwd())} build.py"
    except ValueError:
        return "python build.py"


BUILD = _build_command()


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" Vouliez-vous dire « {close[0]} » ?" if close else ""


def _listing(choices: Iterable[str], limit: int = 12) -> str:
    items = [str(c) for c in choices]
    shown = ", ".join(items[:limit])
    return shown + (", …" if len(items) > limit else "")


# --- File and syntax problems -------------------------------------------------

def yaml_syntax(src: SourceRef, detail: str) -> Problem:
    return Problem(src, "", f"le fichier YAML est mal formé ({detail}).",
                   "Vérifiez l'indentation (des espaces, jamais de tabulations), les deux-points "
                   "après chaque clé et les guillemets autour des textes qui contiennent « : » ou « # ».")


def yaml_tag(src: SourceRef, tag: str) -> Problem:
    return Problem(src, "", f"l'étiquette YAML « {tag} » n'est pas autorisée.",
                   "Retirez l'étiquette (le mot qui commence par « ! ») : seules les valeurs simples "
                   "(texte, nombre, date, liste) sont acceptées.")


def duplicate_key(src: SourceRef, key: str, first_line: int) -> Problem:
    return Problem(src, key, f"cette clé apparaît deux fois (déjà à la ligne {first_line}).",
                   "Gardez une seule fois la clé et supprimez l'autre.")


def file_missing(src: SourceRef, field: str, name: str) -> Problem:
    return Problem(src, field, f"le fichier « {name} » est introuvable.",
                   "Créez ce fichier dans le même dossier ou corrigez son nom (majuscules et accents compris).")


def folder_missing(path: Path, what: str) -> Problem:
    return Problem(SourceRef(path), "", f"le dossier {what} est introuvable.",
                   "Vérifiez le chemin donné avec --content : il doit contenir registre/ et bulletins/.")


def file_unreadable(src: SourceRef, detail: str) -> Problem:
    return Problem(src, "", f"le fichier ne peut pas être lu ({detail}).",
                   "Enregistrez le fichier en UTF-8 depuis votre éditeur de texte.")


# --- Shape of values ------------------------------------------------------------

def missing_field(src: SourceRef, field: str, expected: str, example: str) -> Problem:
    return Problem(src, field, f"champ obligatoire absent ; attendu {expected}.",
                   f"Ajoutez par exemple : {example}")


def unknown_field(src: SourceRef, field: str, allowed: Iterable[str]) -> Problem:
    allowed = list(allowed)
    return Problem(src, field, "champ inconnu." + _suggest(field, allowed),
                   f"Champs possibles ici : {_listing(allowed, 30)}.")


def wrong_value(src: SourceRef, field: str, expected: str, found: object, example: str) -> Problem:
    return Problem(src, field, f"attendu {expected}, trouvé « {found} ».",
                   f"Écrivez par exemple : {example}")


def not_in_list(src: SourceRef, field: str, what: str, found: object,
                choices: Iterable[str], where: str) -> Problem:
    choices = list(choices)
    return Problem(src, field, f"{what} « {found} » inconnu(e)." + _suggest(str(found), choices),
                   f"Choisissez parmi : {_listing(choices)} — ou ajoutez-le dans {where}.")


def duplicate_id(src: SourceRef, field: str, value: str, first: SourceRef) -> Problem:
    return Problem(src, field, f"l'identifiant « {value} » est déjà utilisé ({first}).",
                   "Chaque identifiant doit être unique : changez l'un des deux.")


def unknown_project(src: SourceRef, field: str, project_id: str, known: Iterable[str]) -> Problem:
    return Problem(src, field, f"le projet « {project_id} » n'existe pas dans le registre."
                   + _suggest(project_id, known),
                   "Ajoutez le projet dans content/registre/projets/ ou corrigez son identifiant.")


def wrong_fund(src: SourceRef, project_id: str, fund: str, expected: str) -> Problem:
    return Problem(src, "projet", f"le projet « {project_id} » relève du fonds « {fund} », "
                   f"pas du fonds « {expected} » de cette rubrique.",
                   "Déplacez l'élément dans la rubrique de son fonds, ou corrigez l'identifiant.")


def date_outside_period(src: SourceRef, field: str, found: object, start: str, end: str) -> Problem:
    return Problem(src, field, f"la date {found} est hors de la période du bulletin ({start} – {end}).",
                   "Corrigez la date, ou élargissez la période du bulletin avec "
                   "« periode: {debut: AAAA-MM-JJ, fin: AAAA-MM-JJ} » dans bulletin.yaml.")


def milestone_order(src: SourceRef, field: str, found: object, before: str, limit: object) -> Problem:
    return Problem(src, field, f"la date {found} précède {before} ({limit}).",
                   "Vérifiez les deux dates : un projet ne peut pas être remis avant d'avoir commencé.")


def milestone_missing(src: SourceRef, project_id: str, kind: str, when: object, registered: object,
                      project: SourceRef) -> Problem:
    if registered:
        return Problem(src, "type", f"le registre date la {kind} du projet « {project_id} » du {registered} "
                       f"({project}), pas du {when}.",
                       "Corrigez la date de l'événement, ou celle du registre si c'est elle qui est fausse.")
    return Problem(src, "type", f"le registre n'indique pas de {kind} du projet « {project_id} » le {when}.",
                   f"Ajoutez « {kind}: {when} » dans les jalons du projet ({project}), "
                   "ou corrigez la date ou le type de l'événement.")


def dangling_reference(src: SourceRef, field: str, target: str, known: Iterable[str]) -> Problem:
    known = list(known)
    return Problem(src, field, f"aucun élément du bulletin ne porte l'identifiant « {target} »."
                   + _suggest(target, known),
                   f"Identifiants disponibles dans ce bulletin : {_listing(known)}.")


def unknown_placeholder(src: SourceRef, name: str, known: Iterable[str]) -> Problem:
    known = list(known)
    return Problem(src, "{{ " + name + " }}", "ce chiffre calculé n'existe pas." + _suggest(name, known),
                   f"Chiffres disponibles ici : {_listing(known, 30)}.")


def no_balance(src: SourceRef, fund: str, when: object) -> Problem:
    return Problem(src, "date_reference", f"aucun solde d'ouverture du fonds « {fund} » n'est antérieur au {when}.",
                   "Ajoutez un solde daté dans content/registre/soldes.yaml, ou corrigez la date de référence.")


def mixed_currencies(src: SourceRef, fund: str, currencies: Iterable[str]) -> Problem:
    return Problem(src, "devise", f"les montants du fonds « {fund} » sont dans plusieurs devises "
                   f"({', '.join(sorted(currencies))}) et ne peuvent pas être additionnés.",
                   "Exprimez tous les montants d'un fonds dans la même devise.")


def folder_name(src: SourceRef, found: str, mois: str) -> Problem:
    return Problem(src, "mois", f"le dossier « {found} » ne correspond pas au mois « {mois} ».",
                   "Le dossier d'un bulletin porte le nom de son mois (AAAA-MM) : renommez l'un ou l'autre.")


def no_issue(path: Path) -> Problem:
    return Problem(SourceRef(path), "", "aucun bulletin trouvé.",
                   "Créez un dossier content/bulletins/AAAA-MM/ contenant un fichier bulletin.yaml.")


# --- Command line ----------------------------------------------------------------

# argparse words its few usage errors in English: the ones this command line can meet, in French.
_USAGE_FR = (
    (re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$"),
     "« {1} » n'est pas une valeur possible pour « {0} » ; choisissez parmi : {2}."),
    (re.compile(r"unrecognized arguments: (.+)$"), "option inconnue : {0}."),
    (re.compile(r"argument (\S+): expected one argument$"), "il manque une valeur après « {0} »."),
    (re.compile(r"argument (\S+): invalid int value: (.+)$"), "« {0} » attend un nombre entier, trouvé « {1} »."),
)


def usage_message(message: str) -> str:
    """argparse's English message for a usage error, said in French when it is a known one."""
    for pattern, french in _USAGE_FR:
        match = pattern.match(message)
        if match:
            return french.format(*(g.replace("'", "") for g in match.groups()))
    return message


# --- Pictures ---------------------------------------------------------------------

def photo_unreadable(src: SourceRef, name: str, detail: str) -> Problem:
    return Problem(src, "fichier", f"la photo « {name} » ne peut pas être lue ({detail}).",
                   "Enregistrez-la à nouveau en JPEG ou PNG depuis votre logiciel de photos.")


def photo_too_big(src: SourceRef, name: str, size: str) -> Problem:
    return Problem(src, "fichier", f"la photo « {name} » est trop grande ({size}).",
                   "Réduisez-la à 3000 pixels de large au plus (JPEG, qualité 85) avant de l'ajouter.")


# --- Work plans -------------------------------------------------------------------

def wrong_quarter(src: SourceRef, found: object) -> Problem:
    return Problem(src, "trimestres", f"trimestre « {found} » inconnu ; attendu T1, T2, T3 ou T4.",
                   "Écrivez par exemple : trimestres: [T1, T2]")


def no_activity(src: SourceRef, numero: object) -> Problem:
    return Problem(src, "activites", f"le résultat {numero} n'a aucune activité.",
                   "Ajoutez au moins une activité avec ses lignes budgétaires, ou retirez le résultat.")


def no_line(src: SourceRef, numero: object) -> Problem:
    return Problem(src, "lignes", f"l'activité {numero} n'a aucune ligne budgétaire.",
                   "Ajoutez par exemple : lignes: [{responsable: PNUD, compte: \"75700\", montant: 20000}]")


def _money(value, currency: str) -> str:
    from .filters import format_decimal_amount

    return f"{format_decimal_amount(value, 'fr')} {currency}"


def plan_declared_gap(src: SourceRef, field: str, what: str, declared, computed, currency: str, hint: str) -> Problem:
    gap = computed - declared
    return Problem(src, field, f"{what} : le document déclare {_money(declared, currency)}, les lignes totalisent "
                   f"{_money(computed, currency)} (écart : {'+' if gap > 0 else '−'}{_money(abs(gap), currency)}).",
                   hint, Severity.WARNING)


def plan_line_without_amount(src: SourceRef, activity: str) -> Problem:
    return Problem(src, "montant", f"la ligne de l'activité {activity} n'a pas de montant ; elle ne compte pas dans les "
                   "totaux.", "Ajoutez le montant s'il est connu ; sinon laissez la ligne telle quelle "
                   "(le plan publié le signale).", Severity.WARNING)


def plan_funding_gap(src: SourceRef, funded, unfunded, total, currency: str) -> Problem:
    return Problem(src, "budget_total_declare", f"financé ({_money(funded, currency)}) plus non financé "
                   f"({_money(unfunded, currency)}) ne font pas le budget total déclaré ({_money(total, currency)}).",
                   "Vérifiez les trois montants déclarés en bas du plan.", Severity.WARNING)


def empty_section(src: SourceRef, field: str) -> Problem:
    return Problem(src, field, "cette rubrique du mois est vide.",
                   "Ajoutez ses éléments (voir l'exemple en commentaire), ou laissez-la vide si le mois n'en a pas : "
                   "la page l'omettra.", Severity.WARNING)


# --- Cross-checks (warnings) ------------------------------------------------------

def _n(value) -> str:
    from .filters import format_decimal_amount

    return format_decimal_amount(value, "fr")


def over_ceiling(src: SourceRef, project_id: str, amount, ceiling, fund: str) -> Problem:
    return Problem(src, "montant", f"le projet « {project_id} » coûte {_n(amount)}, au-dessus du plafond des {fund} "
                   f"({_n(ceiling)}).", "Vérifiez le montant ; s'il est juste, gardez-le : le plafond se règle dans "
                   "content/registre/references.yaml.", Severity.WARNING)


def over_duration(src: SourceRef, project_id: str, months: int, limit: int, fund: str) -> Problem:
    return Problem(src, "jalons", f"le projet « {project_id} » dure {months} mois, plus que la durée maximale des "
                   f"{fund} ({limit} mois).", "Vérifiez les dates de début et de fin prévue du projet.",
                   Severity.WARNING)


def prose_amount(src: SourceRef, typed_text: str, project_id: str, typed, registered) -> Problem:
    return Problem(src, "texte", f"le texte annonce « {typed_text} » mais le registre indique {_n(registered)} pour "
                   f"le projet « {project_id} ».", "Corrigez le texte ou le registre — ou mieux, écrivez "
                   "{{ projet.montant }} : le montant du registre s'y inscrira.", Severity.WARNING)


# --- New issue (nouveau) ------------------------------------------------------------

def month_expected(command: str, found: str | None, example: str) -> str:
    """Usage error of a command that takes the month of an issue."""
    what = f"« {found} » n'est pas un mois de la forme AAAA-MM" if found else "il manque le mois du numéro"
    return f"{what} ; « {command} » attend par exemple : {BUILD} {command} {example}"


def new_issue_exists(src: SourceRef, mois: str) -> Problem:
    return Problem(src, "", f"le numéro {mois} existe déjà : rien n'a été modifié.",
                   f"Pour continuer ce numéro, modifiez directement son bulletin.yaml. Pour repartir de zéro, "
                   f"déplacez d'abord ce dossier hors de bulletins/ (pour en garder une copie) ou "
                   f"supprimez-le, puis relancez : {BUILD} nouveau {mois}")


def no_issue_to_copy(src: SourceRef) -> Problem:
    return Problem(src, "", "aucun numéro existant à reprendre (aucun dossier AAAA-MM contenant bulletin.yaml).",
                   "« nouveau » part du numéro précédent : vérifiez le dossier donné avec --content, ou créez "
                   "le premier numéro à la main en suivant le guide de l'auteur.")


def new_issue_report(folder: SourceRef, source: str, copied: Iterable[str], options: str) -> str:
    """What `nouveau` made, and what to run next (with the same --content, if one was given)."""
    steps = ((f"{BUILD} check{options}", "vérifie le contenu (les rubriques encore vides sont signalées)"),
             (f"{BUILD} serve{options}", "aperçu en direct sur http://127.0.0.1:8000/"),
             (f"{BUILD}{options}", "construit le site et les PDF"))
    width = max(len(command) for command, _ in steps)
    return "\n".join([
        f"Numéro créé : {folder}/ (à partir du numéro {source})",
        "  bulletin.yaml : ours rempli, parties stables reprises, rubriques du mois vides "
        "(un exemple en commentaire au-dessus de chacune)",
        f"  copiés tels quels : {', '.join(copied) or 'aucun fichier'}",
        "",
        "Ensuite :",
        f"  1. Remplissez les rubriques du mois dans {folder}/bulletin.yaml et relisez les textes .md.",
        *(f"  {n}. {command.ljust(width)}   {what}" for n, (command, what) in enumerate(steps, start=2))])


def maybe_counted_twice(src: SourceRef, project_id: str, start, balance_date, fund: str, balance: SourceRef) -> Problem:
    return Problem(src, "jalons", f"le projet « {project_id} » commence le {start}, avant le solde d'ouverture des {fund} "
                   f"du {balance_date} ({balance}) : s'il y est déjà compté, il l'est deux fois, et les chiffres des "
                   "numéros déjà publiés changent.",
                   f"Si le solde ne le compte pas, ajoutez « {project_id} » à « projets_detailles » de ce solde ; "
                   "s'il le compte, retirez-le du solde (finalises ou en_cours, et montant).", Severity.WARNING)


# --- Money: currencies, exchange rates, opening balances, preview (issue 10) ------------------

RATES_PATH = "content/registre/taux.yaml"


def _rate_example(currency: str, day) -> str:
    return f"- {{date: {day}, devise: {currency}, taux: 580.5, source: BCEAO, cours du {day}}}"


def missing_rate(src: SourceRef, money, day, what: str, publication: str, first) -> Problem:
    """An amount in another currency with no rate in force on its date: it cannot enter a total."""
    later = (f" Le premier taux {money.devise} du tableau est daté du {first.date} ({first.source}) : "
             "il ne vaut pas pour une date antérieure.") if first else ""
    return Problem(src, "montant", f"aucun taux de change {money.devise} → {publication} n'est en vigueur le {day} "
                   f"({what}) : ce montant de {_n(money.montant)} {money.devise} ne peut pas être converti ni "
                   f"additionné aux autres.{later}",
                   f"Ajoutez dans {RATES_PATH} un taux {money.devise} daté du {day} ou d'avant, avec sa source : "
                   f"« {_rate_example(money.devise, day)} » (taux = nombre de {money.devise} pour 1 {publication}). "
                   "Le taux en vigueur à une date est le dernier taux daté de ce jour ou d'avant.")


def rate_of_publication_currency(src: SourceRef, currency: str) -> Problem:
    return Problem(src, "devise", f"« {currency} » est la devise de publication : elle n'a pas de taux.",
                   "Un taux donne le nombre d'unités d'une AUTRE devise (par exemple XOF, les francs CFA) pour 1 "
                   f"{currency} ; retirez cette ligne ou corrigez la devise.")


def duplicate_rate(src: SourceRef, currency: str, day, first: SourceRef) -> Problem:
    return Problem(src, "date", f"un taux {currency} daté du {day} existe déjà ({first}).",
                   "Gardez un seul taux par devise et par date : supprimez l'une des deux lignes.")


def prose_amount_other_currency(src: SourceRef, typed_text: str, what: str, registered, currency: str) -> Problem:
    """An amount typed in prose in another currency than the register's, or a different figure."""
    return Problem(src, "texte", f"le texte annonce « {typed_text} » mais le registre indique {_n(registered)} "
                   f"{currency} pour {what}.",
                   "Corrigez le texte ou le registre — ou mieux, écrivez {{ projet.montant }} (ou "
                   "{{ contribution.montant }}) : le montant du registre s'y inscrira, avec sa conversion.",
                   Severity.WARNING)


def prose_contribution_amount(src: SourceRef, typed_text: str, contribution_id: str, typed, registered,
                              currency: str) -> Problem:
    return Problem(src, "texte", f"le texte annonce « {typed_text} » mais le registre indique {_n(registered)} "
                   f"{currency} pour la contribution « {contribution_id} ».",
                   "Corrigez le texte ou le registre (content/registre/contributions.yaml) — ou mieux, écrivez "
                   "{{ contribution.montant }} : le montant du registre s'y inscrira.", Severity.WARNING)


def no_balance_for_issue(src: SourceRef, fund: str, when, first_date, first: SourceRef, field: str) -> Problem:
    """An issue dated before every opening balance of a fund: its totals would leave out the whole history."""
    return Problem(src, field, f"aucun solde d'ouverture des {fund} n'est daté du {when} ou d'avant (le premier est "
                   f"du {first_date}, {first}) : les chiffres cumulés de ce numéro laisseraient de côté tous les "
                   "projets antérieurs, connus seulement par ce solde.",
                   f"Ajoutez dans content/registre/soldes.yaml un solde des {fund} daté du {when} ou d'avant "
                   f"(nombre de projets finalisés, en cours, montant, source) ; ou, si la date est une faute de "
                   f"frappe, corrigez « {field} ».")


def contribution_balance_missing(src: SourceRef, when, first_date, first: SourceRef) -> Problem:
    return Problem(src, "date_reference", f"aucun solde d'ouverture des contributions au Fonds fiduciaire n'est "
                   f"daté du {when} ou d'avant (le premier est du {first_date}, {first}) : le budget du fonds "
                   "laisserait de côté toutes les contributions antérieures.",
                   f"Ajoutez dans content/registre/soldes.yaml, sous « contributions », un solde daté du {when} ou "
                   "d'avant (montant, bailleurs, source) ; ou, si la date est une faute de frappe, corrigez "
                   "« date_reference ».")


def port_busy(host: str, port: int, detail: str) -> str:
    """Command-line refusal (exit 2): the preview's port is taken."""
    return (f"Le port {port} de {host} est déjà utilisé ({detail}) : un autre aperçu tourne peut-être déjà.\n"
            f"    → Arrêtez l'autre aperçu (Ctrl+C dans sa fenêtre), ou choisissez un autre port : "
            f"{BUILD} serve --port {port + 1}")


def preview_crashed(detail: str) -> tuple[str, str]:
    """Shown in the preview page when the build fails for a reason that is not in the content."""
    return ("Erreur interne de l'aperçu : la page n'a pas pu être construite. Ce n'est pas une erreur de votre "
            "contenu que l'outil sait reconnaître.",
            f"Détail technique : {detail}. Le détail complet est affiché dans la fenêtre où tourne « {BUILD} "
            "serve ». Enregistrez à nouveau un fichier pour relancer la construction ; si l'erreur persiste, "
            "lancez « " + BUILD + " check » et signalez le problème avec ce message.")


def over_ceiling_converted(src: SourceRef, project_id: str, money, ceiling, fund: str) -> Problem:
    """over_ceiling for an amount in another currency, compared through its converted value."""
    return Problem(src, "montant", f"le projet « {project_id} » coûte {_n(money.montant)} {money.devise}, soit "
                   f"environ {_n(money.converti.montant)} {money.converti.devise} au taux de sa date, au-dessus du "
                   f"plafond des {fund} ({_n(ceiling)} {money.converti.devise}).",
                   "Vérifiez le montant et le taux (content/registre/taux.yaml) ; s'ils sont justes, gardez-les : "
                   "le plafond se règle dans content/registre/references.yaml.", Severity.WARNING)


# --- content sandbox: what prose and photos may make the build read ---

_RESOURCE_LABELS = {"img": "l'image", "image": "l'image", "source": "l'image", "input": "l'image",
                    "attachment": "la pièce jointe", "style": "le fichier appelé par un style"}
_RESOURCE_REASONS = {
    "remote": "est l'adresse d'un autre site : le site et le PDF ne chargent rien depuis un autre site",
    "outside": "désigne un fichier hors du dossier du texte : le bulletin ne lit rien ailleurs",
    "missing": "est introuvable dans le dossier du texte",
    "inside": "ne peut pas figurer dans un texte",
}
PROSE_PICTURE_FIX = ("du texte : un texte contient des mots, des liens et des tableaux. Une photo se place dans le bloc "
                     "« photo » d'une réunion, d'un événement ou d'une contribution (guide de l'auteur, « Une photo »).")


def prose_resource(src: SourceRef, tag: str, url: str, where: str) -> Problem:
    """A picture, stylesheet, embedded object or attachment in prose (bulletin/sandbox.py says where it points)."""
    label = _RESOURCE_LABELS.get(tag, f"le fichier appelé par <{tag}>")
    reason = "ne peut pas être jointe au PDF" if tag == "attachment" and where == "inside" else _RESOURCE_REASONS[where]
    pronoun = "la" if label.startswith(("l'image", "la ")) else "le"
    return Problem(src, "", f"{label} « {url} » {reason}.", f"Retirez-{pronoun} {PROSE_PICTURE_FIX}")


def photo_outside(src: SourceRef, name: str) -> Problem:
    return Problem(src, "fichier", f"la photo « {name} » est hors du dossier du numéro (chemin absolu, « .. » ou "
                   "lien symbolique qui mène ailleurs) : le bulletin ne publie que les fichiers du numéro.",
                   "Copiez la photo dans le dossier du numéro, à côté de bulletin.yaml, et écrivez seulement son "
                   "nom : fichier: couture-kidal.jpg")


def file_outside(src: SourceRef, field: str, name: str, where: str) -> Problem:
    return Problem(src, field, f"le fichier « {name} » est hors du dossier {where} (chemin absolu, « .. » ou lien "
                   "symbolique qui mène ailleurs) : le bulletin ne lit rien ailleurs.",
                   f"Placez le fichier dans le dossier {where} et écrivez seulement son nom : {field}: {Path(name).name}")


def link_leaving_content(path: Path, target: Path) -> Problem:
    return Problem(SourceRef(path), "", f"ce lien symbolique mène à « {target} », hors du dossier de contenu : le site "
                   "ne publie que les fichiers du contenu.",
                   "Remplacez le lien par une copie du fichier dans le dossier, ou supprimez-le.")


def print_fetch_failed(url: str, refused: bool) -> str:
    """The PDF engine met a file it may not read (check should have said so first) or could not read."""
    why = ("hors des dossiers que le PDF peut lire (le dossier du numéro et templates/)" if refused
           else "introuvable ou illisible")
    return f"le fichier « {url} » est {why} ; lancez « {BUILD} check » pour savoir quel texte le demande"


# --- Publication record, errata and series ------------------------------------------

def record_damaged(src: SourceRef, expected: str, month: str) -> Problem:
    return Problem(src, "", f"le registre de publication est abîmé : attendu {expected}.",
                   f"Ce fichier s'écrit avec « {BUILD} publier {month} », jamais à la main : reprenez sa version "
                   "précédente dans l'historique (git), sans le modifier.")


def published_figures_moved(src: SourceRef, month: str, published_on: str, changes: Sequence[str],
                            entries: Sequence[str], keys: Sequence[str]) -> Problem:
    moved = "\n".join(f"      {line}" for line in changes)
    why = ("\n    Entrées du registre qui les font bouger :\n" + "\n".join(f"      {e}" for e in entries)) if entries \
        else "\n    Aucune entrée du registre comptée par le numéro n'a changé : le calcul lui-même a changé."
    return Problem(src, "", f"le numéro {month}, publié le {published_on}, a imprimé des chiffres que le registre "
                   f"change désormais (publié → calculé) :\n{moved}{why}",
                   "Si le registre est faux, corrigez-le. S'il est juste, ajoutez au numéro (bulletin.yaml) un "
                   "rectificatif daté, puis enregistrez-le :\n"
                   "        rectificatifs:\n          - date: AAAA-MM-JJ\n            motif: ce qui a été corrigé\n"
                   f"            chiffres: [{', '.join(keys)}]\n"
                   f"      puis : {BUILD} publier {month}")


def erratum_on_draft(src: SourceRef, month: str) -> Problem:
    return Problem(src, "rectificatifs", f"le numéro {month} n'est pas publié : il n'a rien à rectifier (ses "
                   "chiffres suivent le registre jusqu'à sa publication).",
                   f"Retirez le rectificatif ; ou, si le numéro a bien paru, enregistrez d'abord sa publication : "
                   f"{BUILD} publier {month} --le AAAA-MM-JJ")


def erratum_not_recorded(src: SourceRef, month: str, day: str) -> Problem:
    return Problem(src, "rectificatifs", f"le rectificatif du {day} n'est pas encore enregistré dans "
                   "publie.yaml : tant qu'il ne l'est pas, les chiffres qu'il nomme ne sont pas gardés.",
                   f"Relisez la page du numéro, puis enregistrez-le : {BUILD} publier {month}", Severity.WARNING)


def erratum_removed(src: SourceRef, month: str, day: str, motif: str) -> Problem:
    return Problem(src, "rectificatifs", f"le rectificatif du {day} (« {motif} ») est enregistré pour le numéro "
                   f"{month} mais ne figure plus dans son bulletin.yaml.",
                   "Un rectificatif publié reste publié : remettez-le dans « rectificatifs » de bulletin.yaml "
                   "(même date ; le motif peut être reformulé).")


def erratum_before_publication(src: SourceRef, day: str, published_on: str) -> Problem:
    return Problem(src, "date", f"le rectificatif est daté du {day}, avant la publication du numéro "
                   f"({published_on}).", "Datez le rectificatif du jour où vous le publiez.")


def unknown_published_figure(src: SourceRef, name: str, known: Iterable[str]) -> Problem:
    known = list(known)
    return Problem(src, "chiffres", f"le chiffre « {name} » n'est pas un chiffre publié par ce numéro."
                   + _suggest(name, known),
                   f"Chiffres possibles (ceux de chiffres-cles.json) : {_listing(known, 14)}.")


def series_decrease(src: SourceRef, what: str, earlier: str, later: str, explanations: Sequence[str]) -> Problem:
    why = "\n".join(f"      {e}" for e in explanations)
    return Problem(src, "date_reference", f"{what} baisse d'un numéro au suivant, alors qu'il ne fait que "
                   f"s'additionner :\n      {earlier}\n      {later}\n    Ce qui l'explique :\n{why}",
                   "Vérifiez le solde d'ouverture et les projets nommés : un solde plus récent doit reprendre "
                   "tout ce que le précédent comptait (moins les projets détaillés qui y entrent). Si la baisse "
                   "est juste (une erreur corrigée), dites-le dans le texte du numéro ; un numéro déjà publié "
                   "se corrige par un rectificatif.", Severity.WARNING)


def no_such_issue(month: str, content: Path, months: Sequence[str]) -> str:
    return (f"Aucun bulletin pour {month} dans {_display_path(content / 'bulletins')}.\n"
            f"    → Numéros disponibles : {', '.join(months)}.")


def already_published(month: str, published_on: str) -> str:
    return (f"Le numéro {month} est publié depuis le {published_on} : sa date de publication ne change pas.\n"
            f"    → Pour corriger un chiffre, ajoutez un rectificatif dans bulletin.yaml, puis lancez "
            f"{BUILD} publier {month} (sans --le).")


def nothing_to_record(month: str, published_on: str) -> str:
    return (f"Le numéro {month} est publié depuis le {published_on} et tous ses rectificatifs sont enregistrés : "
            "rien à faire.")


def published_report(record: SourceRef, month: str, published_on: str, errata: bool) -> str:
    if errata:
        return (f"Rectificatif(s) du numéro {month} enregistré(s) dans {record} : les chiffres corrigés sont "
                "désormais ceux que le numéro garde.")
    return (f"Numéro {month} enregistré comme publié le {published_on} dans {record}.\n"
            "  Ajoutez ce fichier au contenu (git) avec le numéro. Désormais, si le registre change un chiffre de "
            "ce numéro, check et la construction s'arrêtent et disent lesquels.")


# argparse's message for an option whose value its type refuses (--le): the reason is already French.
_USAGE_FR += ((re.compile(r"argument (\S+): (.*« .+)$"), "{0} : {1}"),)


# --- statuses ---

def balance_over_approved(src: SourceRef, fund: str, finalised: int, ongoing: int, approved: int) -> Problem:
    """An opening balance whose finalised and ongoing projects outnumber its approved ones."""
    return Problem(src, "approuves", f"le solde du fonds « {fund} » compte {finalised} projets finalisés et {ongoing} en cours, "
                   f"soit {finalised + ongoing}, plus que les {approved} projets approuvés qu'il déclare : "
                   "un projet finalisé ou en cours a forcément été approuvé.",
                   f"Vérifiez ces trois chiffres dans la source : « approuves » vaut au moins finalises + en_cours "
                   f"({finalised + ongoing}) ; l'écart éventuel, ce sont les projets approuvés non démarrés.")


def status_unknown(src: SourceRef, project_id: str, end, as_of, extended: bool) -> Problem:
    """A project past its planned end with nothing recorded since: published as « statut à confirmer »."""
    which = "la fin de sa dernière prolongation" if extended else "sa fin prévue"
    return Problem(src, "jalons", f"le projet « {project_id} » a dépassé {which} ({end}) sans remise, clôture ni "
                   f"prolongation enregistrée : au {as_of}, les pages publiques l'affichent « statut à confirmer » "
                   "et il n'est pas compté en cours.",
                   "Ajoutez à ses jalons ce qui s'est passé : « remise: AAAA-MM-JJ » (remis aux bénéficiaires), "
                   "« cloture: AAAA-MM-JJ » (clôturé), ou une prolongation "
                   "« prolongations: [{debut: AAAA-MM-JJ, fin: AAAA-MM-JJ}] ».", Severity.WARNING)


# --- Bounded input: what a content file may cost, and what the build can print ---------------------

_CONTROL_NAMES = {0x00: "caractère nul", 0x07: "signal sonore", 0x08: "retour arrière", 0x0B: "tabulation verticale",
                  0x0C: "saut de page", 0x1B: "échappement", 0x7F: "suppression"}


def yaml_control_character(src: SourceRef, char: str, column: int) -> Problem:
    code = ord(char)
    name = _CONTROL_NAMES.get(code, "caractère de contrôle")
    return Problem(src, "", f"caractère invisible interdit à la colonne {column} : {name} (U+{code:04X}).",
                   "Effacez ce caractère (il vient souvent d'un copier-coller depuis un traitement de texte, un PDF "
                   "ou un courriel) : placez le curseur à cet endroit et supprimez-le, ou retapez la ligne.")


def yaml_alias(src: SourceRef, token: str) -> Problem:
    return Problem(src, "", f"« {token} » : les ancres YAML (« &nom ») et les alias (« *nom ») ne sont pas acceptés.",
                   "Recopiez la valeur à chaque endroit où elle sert. Si c'est un texte qui commence par « * » ou "
                   "« & » (du gras Markdown, par exemple), mettez tout le texte entre guillemets : "
                   "texte: \"**Gras** au début\"")


def _size(size: int) -> str:
    from .filters import format_size

    return format_size(size, "fr")


def yaml_too_big(src: SourceRef, size: int, limit: int) -> Problem:
    return Problem(src, "", f"le fichier est trop gros pour un fichier de contenu ({_size(size)} ; au plus {_size(limit)}).",
                   "Vérifiez que c'est bien le bon fichier ; un registre de projets très long se répartit en "
                   "plusieurs fichiers dans content/registre/projets/ (par exemple un par année).")


def yaml_too_many_values(src: SourceRef, limit: int) -> Problem:
    return Problem(src, "", f"le fichier contient plus de {_n(limit)} valeurs, plus qu'un fichier de contenu "
                   "n'en a jamais besoin.",
                   "Vérifiez que c'est bien le bon fichier ; un registre de projets très long se répartit en "
                   "plusieurs fichiers dans content/registre/projets/ (par exemple un par année).")


def yaml_empty(src: SourceRef) -> Problem:
    return Problem(src, "", "le fichier est vide (ou ne contient que des commentaires).",
                   "S'il a été vidé ou coupé par erreur, restaurez-le depuis votre sauvegarde (le guide de "
                   "l'auteur décrit son contenu) ; un fichier facultatif qui ne sert pas (contributions, plan de "
                   "travail, fichier de projets) se supprime.")


def amount_too_large(src: SourceRef, field: str, found: object, limit: int) -> Problem:
    return Problem(src, field, f"le nombre « {found} » est trop grand (au plus {_n(limit - 1)}).",
                   "Vérifiez le nombre de chiffres (des chiffres en trop, ou des centimes collés au montant ?) ; "
                   "un montant s'écrit en unités, avec un point avant les centimes : 48269.50")


def fund_amount_unknown(src: SourceRef, field: str, sigle: str, when: object, balance: SourceRef | None) -> Problem:
    if balance is None:
        what = f"aucun solde d'ouverture du fonds « {sigle} » n'est daté du {when} ou d'avant"
    else:
        what = f"le solde d'ouverture du fonds « {sigle} » en vigueur au {when} ({balance}) n'a pas de montant"
    return Problem(src, field, f"{what}, et aucun projet détaillé de ce fonds n'a de montant à cette date : le "
                   "bulletin ne peut pas imprimer le montant de ses projets.",
                   "Ajoutez un solde daté, avec son montant, dans content/registre/soldes.yaml (le fichier a-t-il "
                   "été vidé ou coupé ?), ou corrigez la date de référence.")


def budget_unknown(src: SourceRef, field: str, when: object) -> Problem:
    return Problem(src, field, f"aucun solde de contributions ni aucune contribution reçue n'est daté du {when} ou d'avant : "
                   "le bulletin ne peut pas imprimer le budget du Fonds fiduciaire.",
                   "Ajoutez un solde daté sous « contributions » dans content/registre/soldes.yaml (le fichier "
                   "a-t-il été vidé ou coupé ?), ou une contribution reçue dans content/registre/contributions.yaml, "
                   "ou corrigez la date de référence.")


# --- sanitised HTML and link addresses (issue 16) ---

def markup_refused(src: SourceRef, what: str, feminine: bool = False) -> Problem:
    """Markup the published page cannot carry: it would run, frame, submit, redirect or fetch."""
    e, it = ("e", "elle") if feminine else ("", "il")
    return Problem(src, "", f"{what} n'est pas permis{e} dans un texte publié : la page ne peut ni exécuter de "
                   f"script, ni inclure un autre site, ni envoyer un formulaire ; {it} serait retiré{e}.",
                   f"Retirez-{'la' if feminine else 'le'}. Un lien s'écrit [texte](https://…) ou <https://…> ; une adresse commence "
                   "par https://, http://, mailto: ou est relative (voir « Les textes longs » dans le guide de "
                   "l'auteur).")


def markup_dropped(src: SourceRef, what: str, feminine: bool = False) -> Problem:
    """Markup outside the allow-list whose text is kept: the author should know it is gone."""
    e = "e" if feminine else ""
    return Problem(src, "", f"{what} sera retiré{e} de la page publiée (le texte autour est gardé).",
                   f"Retirez-{'la' if feminine else 'le'}, ou écrivez la même chose en Markdown (**gras**, *italique*, listes, "
                   "tableaux, liens) : voir « Les textes longs » dans le guide de l'auteur.", Severity.WARNING)


def url_refused(src: SourceRef, field: str, value: str, scheme: str) -> Problem:
    """A link field whose address is not a web page or an e-mail address."""
    return Problem(src, field, f"l'adresse « {value} » commence par « {scheme}: » ; seules les adresses https://, "
                   "http:// et mailto: sont publiées.",
                   f"Écrivez l'adresse complète de la page, par exemple « {field}: https://minusma.unmissions.org/… ».")


# --- work plans in French (print-plan) ---

def plan_account_untranslated(src: SourceRef, code: str, label: str) -> Problem:
    return Problem(src, "libelle_fr", f"le compte {code} « {label} » n'a pas de libellé français : le plan publié "
                   "l'imprime en anglais.",
                   f"Ajoutez sa traduction à côté de la description, par exemple : "
                   f'{{code: "{code}", description: {label}, libelle_fr: ...}}', Severity.WARNING)


def plan_role_untranslated(src: SourceRef, name: str, role: str) -> Problem:
    return Problem(src, "role_fr", f"le rôle du signataire {name} (« {role} ») semble en anglais et n'a pas de "
                   "forme française : le plan publié l'imprime tel quel.",
                   "Ajoutez-la à côté du rôle d'origine, par exemple : "
                   f"{{nom: {name}, role: {role}, role_fr: ...}}", Severity.WARNING)


# --- print identity: the logo ---

def logo_outside(src: SourceRef, name: str) -> Problem:
    return Problem(src, "fichier", f"le logo « {name} » est hors du dossier content/ (chemin absolu, « .. » ou lien "
                   "symbolique qui mène ailleurs) : la publication ne lit rien ailleurs.",
                   "Copiez le logo dans content/identite/ et écrivez son chemin depuis content/ : "
                   "fichier: identite/logo.svg")


def logo_unreadable(src: SourceRef, name: str) -> Problem:
    return Problem(src, "fichier", f"le logo « {name} » ne peut pas être lu : un logo est un fichier SVG, PNG ou JPEG.",
                   "Enregistrez-le à nouveau en SVG (de préférence) ou en PNG, puis corrigez le nom du fichier.")


# --- published figures beyond the printable magnitude ---

def figure_too_large(src: SourceRef, month: str, label: str, value: object, limit: object) -> Problem:
    """A total or a converted amount the issue would print is beyond what the register accepts."""
    return Problem(src, "date_reference", f"le numéro {month} imprimerait « {label} » = {value}, au-delà de la "
                   f"limite des montants ({limit}) : un montant, un solde ou un taux du registre est sans doute faux.",
                   "Vérifiez les montants et les taux (content/registre/taux.yaml) qui entrent dans ce chiffre.")
