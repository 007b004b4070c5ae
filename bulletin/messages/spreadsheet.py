"""Messages of the spreadsheet import and export (build.py importer / exporter), in French.

A problem in a sheet is located as `fichier.xlsx, feuille « QIP », ligne 14, colonne « Montant »`
(bulletin.sheets_read.SheetRef); a problem in registre/import.yaml as `fichier:ligne`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from ..errors import BUILD, Problem, SourceRef, listing, suggest
from . import counted, file_size, one_line
from . import number as _number


def number(value: object) -> str:
    """An amount as every message writes it (48 269, 49 999,50); anything else as it is."""
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return _number(value)
    return str(value)


def shown(value: object) -> str:
    if isinstance(value, tuple):
        return " ; ".join(shown(v) for v in value) if value else "(vide)"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return number(value)


# --- Files and sheets ------------------------------------------------------------------------------


def unsupported_file(src: SourceRef, suffix: str) -> Problem:
    return Problem(
        src,
        "",
        f"format de fichier non pris en charge (« {suffix or 'sans extension'} »).",
        "Enregistrez le tableur au format .xlsx, .ods ou .csv (séparateur point-virgule).",
    )


def file_not_found(src: SourceRef) -> Problem:
    return Problem(src, "", "fichier introuvable.", "Vérifiez le chemin et le nom du fichier (accents compris).")


def file_unreadable(src: SourceRef, detail: str) -> Problem:
    return Problem(
        src,
        "",
        f"le fichier ne peut pas être lu ({detail}).",
        "Ouvrez-le dans votre tableur et enregistrez-le à nouveau (.xlsx, .ods ou .csv), sans mot de passe.",
    )


def file_too_big(src: SourceRef, size: int, limit: int, unpacked: bool) -> Problem:
    """A sheet file far beyond any register (3 000 projects take 0.3 MB): read whole, it took minutes and
    gigabytes of memory before a word (an adversarial review). `unpacked`: a workbook's size once
    decompressed, which a small file may hide."""
    what = "une fois décompressé, le classeur fait" if unpacked else "le fichier fait"
    return Problem(
        src,
        "",
        f"{what} {file_size(size)}, au-delà de ce qu'un registre demande ({file_size(limit)} au plus) : il "
        "n'est pas lu.",
        "Gardez dans le fichier les seules feuilles du registre (QIP, FF, PBF, Contributions), sans lignes "
        "vides en dessous, ou coupez-le en plusieurs fichiers.",
    )


def too_many_rows(src: SourceRef, rows: int, limit: int) -> Problem:
    return Problem(
        src,
        "",
        f"la feuille a {_number(Decimal(rows))} lignes remplies, plus qu'aucun registre ({_number(Decimal(limit))} "
        "au plus) : elle n'est pas lue.",
        "Vérifiez qu'une colonne n'a pas été remplie jusqu'en bas de la feuille ; gardez les lignes des projets.",
    )


def csv_row_unreadable(src: SourceRef) -> Problem:
    return Problem(
        src,
        "",
        "cette ligne ne peut pas être lue : une cellule y ouvre des guillemets (\") qu'elle ne referme pas, "
        "ou dépasse 128 000 caractères.",
        "Ouvrez le fichier dans votre tableur, corrigez la cellule (refermez ses guillemets ou retirez-les) et "
        "enregistrez-le à nouveau.",
    )


def sheet_missing(src: SourceRef, name: str, present: Sequence[str]) -> Problem:
    return Problem(
        src,
        "",
        f"aucune feuille ne s'appelle « {name} »." + suggest(name, present),
        f"Feuilles du fichier : {listing(present)}. Choisissez-en une avec --feuille NOM.",
    )


def sheet_empty(src: SourceRef) -> Problem:
    return Problem(
        src,
        "",
        "la feuille est vide.",
        f"La première ligne remplie doit porter les en-têtes de colonnes ({BUILD} importer "
        "--modele modele.xlsx écrit une feuille modèle).",
    )


def no_sheet_known(src: SourceRef, present: Sequence[str], expected: Sequence[str]) -> Problem:
    return Problem(
        src,
        "",
        f"aucune feuille n'a un nom connu de l'import ({listing(expected)}).",
        f"Feuilles du fichier : {listing(present)}. Précisez la feuille et son fonds : "
        "--feuille NOM --fonds qip (ou ff, pbf, contributions).",
    )


def fund_needed(src: SourceRef) -> Problem:
    return Problem(
        src,
        "",
        "impossible de savoir à quel fonds appartiennent ces lignes.",
        "Précisez-le avec --fonds qip (ou ff, pbf, contributions).",
    )


def column_missing(src: SourceRef, missing: Sequence[str], headers: Sequence[str], known: Sequence[str]) -> Problem:
    hints = "".join(suggest(m, [h for h in headers if h]) for m in missing)
    return Problem(
        src,
        "",
        f"colonne obligatoire absente : {', '.join(f'« {m} »' for m in missing)}.{hints}",
        f"Nommez ainsi l'en-tête de la colonne, ou déclarez votre en-tête dans "
        f"registre/import.yaml. En-têtes reconnus : {listing(known, 30)}.",
    )


# --- Cells ------------------------------------------------------------------------------------------


def unknown_value(src: SourceRef, what: str, found: str, names: Sequence[str], where: str) -> Problem:
    unknown = "inconnue" if what.startswith("la ") else "inconnu"
    return Problem(
        src,
        "",
        f"{what} « {found} » est {unknown} du registre." + suggest(found, names),
        f"Écrivez l'un de ces noms : {listing(names)} — ou ajoutez-le dans {where}, ou "
        "déclarez l'équivalence dans registre/import.yaml (valeurs).",
    )


def bad_amount(src: SourceRef, found: object) -> Problem:
    return Problem(
        src,
        "",
        f"attendu un montant en chiffres, trouvé « {found} ».",
        "Écrivez le montant seul, par exemple 48269 ou 48 269,50 (la devise va dans la colonne Devise).",
    )


def amount_with_more_than_cents(src: SourceRef, found: object, thousands: bool) -> Problem:
    """« 48.269 » or « 48,269 » typed: three digits after the mark are thousands more often than a fraction.
    A number cell with more than cents (a computed amount): rounded by the author, not here."""
    if thousands:
        return Problem(
            src,
            "",
            f"le montant « {found} » a trois chiffres après la virgule : ce sont sans doute des milliers "
            "(« 48.269 » ou « 48,269 » pour 48 269), pas des centimes.",
            "Écrivez le montant sans séparateur de milliers, ou avec des espaces : 48269 ou 48 269 ; des "
            "centimes s'écrivent avec deux chiffres : 48 269,50.",
        )
    return Problem(
        src,
        "",
        f"le montant « {found} » a plus de deux chiffres après la virgule : un montant s'arrête aux centimes.",
        "Arrondissez-le au centime dans la feuille (par exemple avec la fonction ARRONDI), puis relancez l'import.",
    )


def amount_too_large(src: SourceRef, found: object, limit: int) -> Problem:
    return Problem(
        src,
        "",
        f"le montant « {found} » dépasse la limite de {number(Decimal(limit))}.",
        "Vérifiez le nombre de chiffres : c'est sans doute une faute de frappe.",
    )


def bad_date(src: SourceRef, found: object, date_shaped: bool) -> Problem:
    what = "une date qui existe" if date_shaped else "une date jj/mm/aaaa"
    return Problem(
        src,
        "",
        f"attendu {what}, trouvé « {found} ».",
        "Écrivez une date du calendrier, par exemple 30/11/2017 (ou une cellule au format date).",
    )


def bad_extension(src: SourceRef, found: str) -> Problem:
    return Problem(
        src,
        "",
        f"prolongation illisible : « {found} ».",
        "Écrivez chaque prolongation « jj/mm/aaaa au jj/mm/aaaa », séparées par « ; », "
        "par exemple 01/01/2017 au 31/03/2017.",
    )


def dates_out_of_order(src: SourceRef, what: str, found: object, before: str, limit: object) -> Problem:
    return Problem(
        src,
        "",
        f"{what} ({shown(found)}) précède {before} ({shown(limit)}).",
        "Vérifiez les deux dates : les jalons d'un projet se suivent dans le temps.",
    )


def cell_required(src: SourceRef, header: str) -> Problem:
    return Problem(
        src,
        "",
        f"la colonne « {header} » est vide ; elle est obligatoire.",
        "Remplissez la cellule, ou retirez la ligne de la feuille.",
    )


def no_milestone(src: SourceRef, headers: Sequence[str]) -> Problem:
    return Problem(
        src,
        "",
        "aucune date de jalon sur cette ligne.",
        f"Remplissez au moins l'une de ces colonnes : {listing(headers)}.",
    )


def over_ceiling(src: SourceRef, amount: Decimal, ceiling: Decimal, fund: str) -> Problem:
    return Problem(
        src,
        "",
        f"le montant {number(amount)} dépasse le plafond du fonds « {fund} » ({number(ceiling)}).",
        "Vérifiez le montant ; si le plafond a changé, corrigez-le dans registre/references.yaml.",
    )


def duplicate_in_sheet(src: SourceRef, ident: str, first: SourceRef) -> Problem:
    return Problem(
        src,
        "",
        f"l'identifiant « {ident} » est déjà utilisé ({first}).",
        "Chaque projet a un identifiant unique : corrigez l'un des deux, ou supprimez le doublon.",
    )


# --- Against the register ---------------------------------------------------------------------------


def other_fund(src: SourceRef, ident: str, fund: str, registered: str, where: SourceRef) -> Problem:
    return Problem(
        src,
        "",
        f"le projet « {ident} » est au registre dans le fonds « {registered} » ({where}), pas dans « {fund} ».",
        "Importez la ligne dans la feuille de son fonds, ou corrigez l'identifiant.",
    )


def differs(src: SourceRef, ident: str, where: SourceRef, changes: Sequence[str]) -> Problem:
    return Problem(
        src,
        "",
        f"« {ident} » est déjà au registre ({where}) avec d'autres valeurs : " + " ; ".join(changes) + ".",
        "Si la feuille a raison, relancez avec --modifier pour mettre le registre à jour ; sinon corrigez la feuille.",
    )


def content_invalid_first(command: str = "importer") -> str:
    again = "l'import" if command == "importer" else "l'export"
    return (
        "Le contenu a déjà des erreurs (ci-dessus) : corrigez-les d'abord "
        f"({BUILD} check), puis relancez {again}. Rien n'a été écrit."
    )


def workbook_target_refused(target: str, reason: str) -> str:
    """Where an export or a template would be written, refused before anything is read or written."""
    return (
        f"Le classeur ne peut pas être écrit dans « {target} » : {reason}. Rien n'a été écrit.\n"
        f"    → Donnez un nom de fichier qui finit par .xlsx, dans un dossier qui existe, hors du dossier "
        f"du contenu : par exemple {BUILD} exporter registre.xlsx"
    )


def import_breaks_content() -> str:
    return (
        "Avec ces lignes, le registre ne passerait plus la vérification (erreurs ci-dessus, aux lignes "
        "qu'elles auraient dans le registre). Rien n'a été écrit : corrigez la feuille (ou ajoutez un "
        "rectificatif daté si un numéro publié doit changer), puis relancez l'import."
    )


def nothing_written() -> str:
    return "Rien n'a été écrit : corrigez la feuille, puis relancez l'import."


# --- Mapping file -------------------------------------------------------------------------------------


def mapping_shape(src: SourceRef, expected: str) -> Problem:
    return Problem(
        src,
        "",
        f"attendu {expected}.",
        "Voir le modèle de registre/import.yaml dans le guide (chapitre « Importer un tableur »).",
    )


def mapping_unknown_key(src: SourceRef, key: str, allowed: Sequence[str]) -> Problem:
    return Problem(src, key, "clé inconnue." + suggest(key, allowed), f"Clés possibles ici : {listing(allowed, 30)}.")


def mapping_header_taken(src: SourceRef, key: str, header: str, other: str) -> Problem:
    """One header for two fields: the column would be read as both (an amount read from the ids)."""
    return Problem(
        src,
        key,
        f"l'en-tête « {header} » est déjà celui du champ « {other} » : la même colonne serait lue pour les deux.",
        f"Donnez à « {key} » l'en-tête de sa propre colonne.",
    )


def cannot_edit(src: SourceRef, ident: str) -> Problem:
    return Problem(
        src,
        "",
        f"« {ident} » est écrit au registre d'une façon que l'import ne sait pas modifier "
        "(par exemple entre accolades sur une seule ligne).",
        "Récrivez l'entrée un champ par ligne, comme les autres, ou reportez la modification à la main.",
    )


def new_file_header(name: str) -> str:
    return f"# Registre : {name}, créé par l'import d'un tableur (build.py importer).\n"


# --- Reports ------------------------------------------------------------------------------------------


def summary_head(file: str, sheets: str, rows: int, added: int, changed: int, unchanged: int) -> str:
    return (
        f"Import de {file}, {sheets} : {counted(rows, 'ligne', 'lignes')}.\n"
        f"  ajoutés au registre : {added}\n"
        f"  modifiés : {changed}\n"
        f"  inchangés (déjà au registre, mêmes valeurs) : {unchanged}"
    )


def summary_change(ident: str, where: SourceRef, changes: Sequence[str]) -> str:
    return f"    {ident} ({where}) : " + " ; ".join(changes)


def trial_done() -> str:
    return "Essai (--essai) : rien n'a été écrit. Relancez sans --essai pour écrire le registre."


def written(files: Sequence[SourceRef]) -> str:
    if not files:
        return "Rien à écrire : le registre a déjà toutes ces valeurs."
    return "Registre mis à jour : " + ", ".join(str(f) for f in files) + "."


def exported(target: SourceRef, counts: dict[str, int]) -> str:
    return (
        f"Registre exporté dans {target} : "
        + ", ".join(f"{name} ({counted(n, 'ligne', 'lignes')})" for name, n in counts.items())
        + "."
    )


def template_written(target: SourceRef, sheets: Sequence[str]) -> str:
    return (
        f"Feuille modèle écrite dans {target} : feuilles {', '.join(sheets)}, avec les en-têtes que "
        "l'import reconnaît (une bulle sur chaque en-tête dit quoi écrire)."
    )


def summary_ignored(where: SourceRef, headers: Sequence[str]) -> str:
    return (
        f"  colonnes ignorées ({where}) : "
        + ", ".join(f"« {h} »" for h in headers)
        + " — aucun champ du registre ne les lit (voir registre/import.yaml)"
    )


def link_refused(src: SourceRef, value: str, scheme: str) -> Problem:
    return Problem(
        src,
        "",
        f"l'adresse « {one_line(value)} » commence par « {one_line(scheme, 20)}: » ; seules les adresses https://, "
        "http:// et mailto: sont publiées.",
        "Écrivez l'adresse complète de la page, par exemple https://minusma.unmissions.org/…",
    )


# --- Usage (exit code 2) ------------------------------------------------------------------------------


def file_expected(command: str) -> str:
    example = "projets.xlsx" if command == "importer" else "registre.xlsx"
    return f"« {command} » attend un fichier, par exemple : {BUILD} {command} {example}"


def import_options_only() -> str:
    return "les options --feuille, --fonds, --essai, --modifier et --modele vont avec « importer » seulement"
