"""Messages of the search stage: the Pagefind index written beside the site's pages."""

from __future__ import annotations

NOTHING_WRITTEN = "Rien n'a été publié : le site précédent reste en place."


def pagefind_missing(detail: str) -> str:
    return (
        f"Index de recherche : le programme Pagefind est introuvable ({detail}).\n"
        '    → Installez les dépendances du projet : .venv/bin/pip install -e ".[test]" '
        f"(Pagefind vient de PyPI, paquet « pagefind[extended] »). {NOTHING_WRITTEN}"
    )


def pagefind_failed(code: int, output: str) -> str:
    shown = output.strip()[-2000:] or "(aucune sortie)"
    return (
        f"Index de recherche : Pagefind s'est arrêté avec le code {code}. Ce qu'il a écrit :\n{shown}\n"
        "    → Ce n'est pas une erreur du contenu : relancez la construction ; si l'erreur revient, "
        f"signalez-la avec ce message. {NOTHING_WRITTEN}"
    )


def pagefind_no_french(found: str, language: str = "fr") -> str:
    name = {"fr": "en français", "en": "en anglais (pages sous en/)"}.get(language, language)
    return (
        f"Index de recherche : Pagefind n'a produit aucun index {name} (trouvé : {found}).\n"
        f"    → Les pages {'sous en/' if language == 'en' else 'hors de en/'} doivent porter l'attribut "
        f"data-pagefind-body sur leur article (templates/web/main.html). {NOTHING_WRITTEN}"
    )


def pagefind_differs(name: str) -> str:
    return (
        f"Index de recherche : les index du français et de l'anglais écrivent chacun « {name} », "
        "et pas à l'identique.\n"
        "    → Ce n'est pas une erreur du contenu : la version de Pagefind installée n'est sans doute pas "
        'celle que demande le projet ; réinstallez ses dépendances (.venv/bin/pip install -e ".[test]"). '
        f"{NOTHING_WRITTEN}"
    )
