"""Accent-insensitive search for Material's built-in search: Ménaka and Menaka find the same pages.

lunr matches tokens as written, so an author's "Ménaka" is not found by a reader typing "Menaka" on
a phone keyboard. Material indexes every field listed in the index's config, but shows only the
title and the text: each document gets one more field holding the accent-free forms of its accented
words, which is searched and never displayed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

FIELD = "sans_accents"
_TAGS = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"\w+")


def fold(word: str) -> str:
    """'Ménaka' -> 'menaka'."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def folded_words(*texts: str) -> str:
    """The accent-free forms of the words that have accents, once each, in order of appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _WORDS.findall(_TAGS.sub(" ", text)):
            plain = fold(word)
            if plain != word.casefold():
                seen.setdefault(plain, None)
    return " ".join(seen)


def add_folded_field(index: dict) -> dict:
    """A copy of a Material search index with the accent-free field added to its config and documents."""
    config = dict(index["config"])
    config["fields"] = {**config.get("fields", {}), FIELD: {"boost": 1.0}}
    docs = []
    for doc in index["docs"]:
        words = folded_words(doc.get("title", ""), doc.get("text", ""))
        docs.append({**doc, FIELD: words} if words else doc)
    return {**index, "config": config, "docs": docs}


def fold_search_index(site_dir: Path) -> None:
    """Rewrite site/search/search_index.json in place, when the search plugin wrote one."""
    path = site_dir / "search" / "search_index.json"
    if path.exists():
        index = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(add_folded_field(index), ensure_ascii=False, separators=(",", ":")),
                        encoding="utf-8")
