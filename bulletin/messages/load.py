"""Reading content files: YAML syntax and bounds, missing or misplaced files and folders."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem, SourceRef
from . import file_size, number


def yaml_syntax(src: SourceRef, detail: str) -> Problem:
    return Problem(
        src,
        "",
        f"le fichier YAML est mal formé ({detail}).",
        "Vérifiez l'indentation (des espaces, jamais de tabulations), les deux-points "
        "après chaque clé et les guillemets autour des textes qui contiennent « : » ou « # ».",
    )


def yaml_tag(src: SourceRef, tag: str) -> Problem:
    return Problem(
        src,
        "",
        f"l'étiquette YAML « {tag} » n'est pas autorisée.",
        "Retirez l'étiquette (le mot qui commence par « ! ») : seules les valeurs simples "
        "(texte, nombre, date, liste) sont acceptées.",
    )


def duplicate_key(src: SourceRef, key: str, first_line: int) -> Problem:
    return Problem(
        src,
        key,
        f"cette clé apparaît deux fois (déjà à la ligne {first_line}).",
        "Gardez une seule fois la clé et supprimez l'autre.",
    )


def file_missing(src: SourceRef, field: str, name: str) -> Problem:
    return Problem(
        src,
        field,
        f"le fichier « {name} » est introuvable.",
        "Créez ce fichier dans le même dossier ou corrigez son nom (majuscules et accents compris).",
    )


def not_a_file(src: SourceRef, field: str, name: str, kind: str) -> Problem:
    """A name that is there, but is no file to read: « introuvable » sent the author looking for it."""
    return Problem(
        src,
        field,
        f"« {name} » n'est pas un fichier que l'on peut lire : c'est {kind}.",
        "Remplacez-le par le fichier lui-même (un fichier texte enregistré dans le dossier), ou corrigez le nom.",
    )


# What the system says when a file cannot be read, in the author's words (its own are in English).
OS_REASONS = {
    "EACCES": "accès refusé : vos droits ne permettent pas de le lire",
    "EPERM": "accès refusé : vos droits ne permettent pas de le lire",
    "EISDIR": "c'est un dossier",
    "ELOOP": "c'est un lien qui renvoie à lui-même, en boucle",
    "ENOENT": "il a disparu pendant la lecture",
    "EIO": "erreur du disque",
}


def folder_missing(path: Path, what: str) -> Problem:
    return Problem(
        SourceRef(path),
        "",
        f"le dossier {what} est introuvable.",
        "Vérifiez le chemin donné avec --content : il doit contenir registre/ et bulletins/.",
    )


def pages_missing(path: Path) -> Problem:
    return Problem(
        SourceRef(path),
        "",
        "le dossier des pages fixes (pages/ : « À propos », « Données ouvertes », leurs versions anglaises) "
        "est introuvable : le site les publie à côté des numéros.",
        "Copiez le dossier content/pages/ du projet dans le dossier de contenu, puis adaptez ses pages.",
    )


def file_not_read(src: SourceRef, reason: str) -> Problem:
    """The system refused to read the file (OS_REASONS): not a matter of its encoding."""
    return Problem(
        src,
        "",
        f"le fichier ne peut pas être lu : {reason}.",
        "Vérifiez qu'il s'ouvre dans votre éditeur de texte et qu'il est bien dans le dossier du contenu, "
        "puis relancez.",
    )


def file_unreadable(src: SourceRef, detail: str) -> Problem:
    return Problem(
        src,
        "",
        f"le fichier ne peut pas être lu ({detail}).",
        "Enregistrez le fichier en UTF-8 depuis votre éditeur de texte.",
    )


def no_issue(path: Path) -> Problem:
    return Problem(
        SourceRef(path),
        "",
        "aucun bulletin trouvé.",
        "Créez un dossier content/bulletins/AAAA-MM/ contenant un fichier bulletin.yaml.",
    )


def file_outside(src: SourceRef, field: str, name: str, where: str) -> Problem:
    return Problem(
        src,
        field,
        f"le fichier « {name} » est hors du dossier {where} (chemin absolu, « .. » ou lien "
        "symbolique qui mène ailleurs) : le bulletin ne lit rien ailleurs.",
        f"Placez le fichier dans le dossier {where} et écrivez seulement son nom : {field}: {Path(name).name}",
    )


def link_leaving_content(path: Path, target: Path) -> Problem:
    return Problem(
        SourceRef(path),
        "",
        f"ce lien symbolique mène à « {target} », hors du dossier de contenu : le site ne lit "
        "et ne publie que les fichiers du contenu.",
        "Remplacez le lien par une copie du fichier dans le dossier, ou supprimez-le.",
    )


_CONTROL_NAMES = {
    0x00: "caractère nul",
    0x07: "signal sonore",
    0x08: "retour arrière",
    0x0B: "tabulation verticale",
    0x0C: "saut de page",
    0x1B: "échappement",
    0x7F: "suppression",
    # A bidirectional override or isolate: on the page, the text after it shows reversed or moved.
    **dict.fromkeys(range(0x202A, 0x202F), "forçage du sens d'écriture"),
    **dict.fromkeys(range(0x2066, 0x206A), "isolement du sens d'écriture"),
    # Line breaks of Word and of old systems, which YAML counts as lines of their own.
    0x85: "passage à la ligne d'un ancien système",
    0x2028: "séparateur de lignes (Word)",
    0x2029: "séparateur de paragraphes (Word)",
}


def yaml_control_character(src: SourceRef, char: str, column: int) -> Problem:
    code = ord(char)
    name = _CONTROL_NAMES.get(code, "caractère de contrôle")
    return Problem(
        src,
        "",
        f"caractère invisible interdit à la colonne {column} : {name} (U+{code:04X}).",
        "Effacez ce caractère (il vient souvent d'un copier-coller depuis un traitement de texte, un PDF "
        "ou un courriel) : placez le curseur à cet endroit et supprimez-le, ou retapez la ligne.",
    )


def yaml_alias(src: SourceRef, token: str) -> Problem:
    return Problem(
        src,
        "",
        f"« {token} » : les ancres YAML (« &nom ») et les alias (« *nom ») ne sont pas acceptés.",
        "Recopiez la valeur à chaque endroit où elle sert. Si c'est un texte qui commence par « * » ou "
        "« & » (du gras Markdown, par exemple), mettez tout le texte entre guillemets : "
        'texte: "**Gras** au début"',
    )


def yaml_too_big(src: SourceRef, size: int, limit: int) -> Problem:
    return Problem(
        src,
        "",
        f"le fichier est trop gros pour un fichier de contenu ({file_size(size)} ; au plus {file_size(limit)}).",
        "Vérifiez que c'est bien le bon fichier ; un registre de projets très long se répartit en "
        "plusieurs fichiers dans content/registre/projets/ (par exemple un par année).",
    )


def yaml_too_many_values(src: SourceRef, limit: int) -> Problem:
    return Problem(
        src,
        "",
        f"le fichier contient plus de {number(limit)} valeurs, plus qu'un fichier de contenu n'en a jamais besoin.",
        "Vérifiez que c'est bien le bon fichier ; un registre de projets très long se répartit en "
        "plusieurs fichiers dans content/registre/projets/ (par exemple un par année).",
    )


def yaml_too_deep(src: SourceRef, limit: int) -> Problem:
    return Problem(
        src,
        "",
        f"des valeurs sont imbriquées sur plus de {number(limit)} niveaux, plus qu'un fichier de contenu n'en a "
        "jamais besoin.",
        "Vérifiez que c'est bien le bon fichier : un projet, un numéro ou des réglages n'imbriquent que "
        "quelques niveaux (par exemple projet → jalons → date).",
    )


def yaml_empty(src: SourceRef) -> Problem:
    return Problem(
        src,
        "",
        "le fichier est vide (ou ne contient que des commentaires).",
        "S'il a été vidé ou coupé par erreur, restaurez-le depuis votre sauvegarde (le guide de "
        "l'auteur décrit son contenu) ; un fichier facultatif qui ne sert pas (contributions, plan de "
        "travail, fichier de projets) se supprime.",
    )
