"""The guide's chapter on importing (content/pages/guide/import.md) stays true: its import.yaml is the
shipped one, which the import reads without a problem; the seed fixture has the same file; the headers
its table names are the ones the template writes; every message of the import is explained."""

from __future__ import annotations

import inspect
import re

from bulletin.messages import spreadsheet
from bulletin.sheets_map import DEFAULT_MAPPING, read_mapping

from .conftest import CONTENT, ROOT

CHAPTER = ROOT / "content/pages/guide/import.md"


def test_the_chapter_shows_the_shipped_mapping_file_and_it_reads_cleanly():
    text = CHAPTER.read_text(encoding="utf-8")
    block = re.search(r"<!-- import.yaml -->\n```yaml\n(.*?)```", text, re.DOTALL)
    assert block is not None
    shipped = (ROOT / "content/registre/import.yaml").read_text(encoding="utf-8")
    assert block.group(1) == shipped
    assert (CONTENT / "registre/import.yaml").read_text(encoding="utf-8") == shipped
    problems: list = []
    mapping = read_mapping(ROOT / "content/registre", problems)
    assert problems == []
    assert mapping.kinds["qip"].columns["montant"] == ("Montant", "Coût (USD)")
    assert mapping.values["devise"]["fcfa"] == "XOF"


def test_the_chapter_names_every_header_of_the_template():
    text = CHAPTER.read_text(encoding="utf-8")
    for km in DEFAULT_MAPPING.kinds.values():
        for headers in km.columns.values():
            assert headers[0] in text, headers[0]


def test_every_message_of_the_import_is_explained():
    """Each message's opening words, as the author reads them, are in the chapter."""
    text = CHAPTER.read_text(encoding="utf-8").replace("**", "")
    explained = {
        "unsupported_file": "format de fichier non pris en charge",
        "file_not_found": "fichier introuvable",
        "file_unreadable": "le fichier ne peut pas être lu",
        "file_too_big": "au-delà de ce qu'un registre demande",
        "too_many_rows": "lignes remplies, plus qu'aucun registre",
        "sheet_missing": "aucune feuille ne s'appelle",
        "sheet_empty": "la feuille est vide",
        "no_sheet_known": "aucune feuille n'a un nom connu",
        "fund_needed": "impossible de savoir à quel fonds",
        "column_missing": "colonne obligatoire absente",
        "unknown_value": "est inconnue du registre",
        "bad_amount": "attendu un montant en chiffres",
        "amount_too_large": "dépasse la limite",
        "amount_with_more_than_cents": "a trois chiffres après la virgule",
        "bad_date": "attendu une date qui existe",
        "bad_extension": "prolongation illisible",
        "dates_out_of_order": "précède l'approbation",
        "cell_required": "est vide ; elle est obligatoire",
        "no_milestone": "aucune date de jalon sur cette ligne",
        "over_ceiling": "dépasse le plafond du fonds",
        "duplicate_in_sheet": "est déjà utilisé",
        "other_fund": "est au registre dans le fonds",
        "differs": "est déjà au registre avec d'autres valeurs",
        "cannot_edit": "que l'import ne sait pas modifier",
        "content_invalid_first": "Le contenu a déjà des erreurs",
        "import_breaks_content": "Avec ces lignes, le registre ne passerait plus la vérification",
        "mapping_shape": "attendu",
        "mapping_unknown_key": "clé inconnue",
        "mapping_header_taken": "l'en-tête … est déjà celui du champ",
        "link_refused": "seules les adresses https://, http:// et mailto: sont publiées",
        "csv_row_unreadable": "cette ligne ne peut pas être lue : une cellule y ouvre des guillemets",
    }
    problems = {
        name
        for name, f in inspect.getmembers(spreadsheet, inspect.isfunction)
        if f.__module__ == spreadsheet.__name__ and "Problem" in str(inspect.signature(f).return_annotation)
    }
    assert problems <= set(explained), problems - set(explained)
    for name, words in explained.items():
        assert words in text, name
