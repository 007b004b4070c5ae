"""Search that forgives accents and plurals, for Material's built-in search.

How Material searches (its worker, material/templates/assets/javascripts/workers/search.*.min.js; the
TypeScript sources are in the .map beside it): every word typed in the search box becomes a prefix
query, "réunions" -> `réunions*`, and lunr runs no query pipeline on a query with a wildcard: the typed
word, lowercased, is compared as written with the beginnings of the indexed words. Hence:

- a stemmer in the *index* pipeline breaks the search of whole words: lunr's French stemmer indexes
  "réunions" as "réunion", "pépiniéristes" as "pépinier", "Ménaka" as "ménak", and `réunions*`,
  `pépiniéristes*`, even `ménaka*` match none of them (Material leaves the stemmer out by default for
  that reason). mkdocs.yml leaves it out;
- "Menaka" finds no "Ménaka", and "réunions" finds no page that only says "réunion" (the other way,
  `réunion*` finds "réunions", is free).

Both are done at build time instead, in one more field of each document of the index: Material indexes
every field listed in the index's config and shows only the title and the text, so this field is
searched and never displayed. It holds the forms a reader may type that the document lacks: the other
number of its common words (French rules with their exceptions: +s, -al -> -aux, -au/-eu -> +x, and
back from -aux), and the accent-free forms of its accented words and of those plurals.
"""

from __future__ import annotations

import bisect
import html
import json
import re
import unicodedata
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path

from .incremental import digest
from .memo import NO_MEMO, Memo

FIELD = "variantes"
_TAGS = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"[^\W\d_]+")  # letters only: numbers need no variants
SHORTEST = 3  # shorter words are articles, prepositions… (stop words, not indexed anyway)
# The most frequent function words of the issues' prose, which have no plural worth indexing.
_NO_PLURAL = frozenset("""
    aux avec ces cet cette dans des dont elle elles est ils leur leurs lors mais ont par pas plus pour
    puis qui que quel quelle sans ses son sont sous sur tous tout toute toutes une vers via été être
""".split())
# The exceptions of the plural rules.
_AUX = {"bail": "baux", "corail": "coraux", "émail": "émaux", "soupirail": "soupiraux", "travail": "travaux",
        "vantail": "vantaux", "vitrail": "vitraux"}
_AIL = {plural: singular for singular, plural in _AUX.items()}
_ALS = frozenset("bal carnaval chacal festival récital régal".split())
_EUS = frozenset("bleu pneu émeu".split())
_OUX = frozenset("bijou caillou chou genou hibou joujou pou".split())


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """'Ménaka' -> 'menaka'. Cached: a site repeats the same few thousand words."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(*texts: str) -> dict[str, bool]:
    """The words of the texts (HTML tags and entities resolved), lowercased, in order, each with whether
    it is ever written in lowercase (a common word, not only a name like Kidal)."""
    found: dict[str, bool] = {}
    for text in texts:
        for word in _WORDS.findall(html.unescape(_TAGS.sub(" ", text))):
            lower = word.casefold()
            found[lower] = found.get(lower, False) or word == lower
    return found


def other_number(word: str) -> list[str]:
    """The plural of a singular word, the singular of an -aux plural (lowercase, French rules)."""
    if len(word) < SHORTEST or word in _NO_PLURAL:
        return []
    if word in _AIL:
        return [_AIL[word]]  # travaux -> travail
    if word.endswith("aux") and not word.endswith("eaux"):
        return [word[:-3] + "al"]  # régionaux -> régional
    if word.endswith(("s", "x", "z")):
        return []
    if word in _AUX:
        return [_AUX[word]]  # travail -> travaux
    if word.endswith("al") and word not in _ALS:
        return [word[:-2] + "aux"]  # régional -> régionaux
    if (word.endswith(("au", "eu")) and word not in _EUS) or word in _OUX:
        return [word + "x"]  # bureaux, lieux, genoux
    return [word + "s"]


def variants(*texts: str, common: Collection[str] = ()) -> str:
    """What a reader may type for these texts that they do not contain, once each, in order: the other
    number of each common word (written in lowercase in the texts or in `common`: not a name like
    Kidal), and the accent-free forms of the accented words. A form that begins another word of the
    texts or of the variants is left out: the prefix query finds the longer one."""
    return _variants(words(*texts), common)


def _variants(found: dict[str, bool], common: Collection[str]) -> str:
    forms: dict[str, None] = {}
    for word, lowercase in found.items():
        if len(word) >= SHORTEST:
            for form in _word_forms(word, lowercase or word in common):
                forms.setdefault(form, None)
    every = sorted(set(forms) | set(found))
    return " ".join(form for form in forms if form not in found and not _begins_another(form, every))


@lru_cache(maxsize=65536)
def _word_forms(word: str, common_word: bool) -> tuple[str, ...]:
    """The word, its other number when it is a common word, and their accent-free forms, in order.
    Cached: an archive repeats the same few thousand words in every document."""
    forms: dict[str, None] = {}
    for form in [word, *(other_number(word) if common_word else [])]:
        forms.setdefault(form, None)
        forms.setdefault(fold(form), None)
    return tuple(forms)


def _begins_another(word: str, ordered: list[str]) -> bool:
    """Whether a longer word of the sorted list begins with `word`."""
    at = bisect.bisect_right(ordered, word)
    return at < len(ordered) and ordered[at].startswith(word)


def add_variants_field(index: dict, memo: Memo = NO_MEMO) -> dict:
    """A copy of a Material search index with the variants field added to its config and documents.
    A word written in lowercase anywhere in the site is a common word everywhere (« Réunion
    technique… » in a title gets its plural too)."""
    config = dict(index["config"])
    config["fields"] = {**config.get("fields", {}), FIELD: {"boost": 1.0}}
    pairs = [(doc.get("title", ""), doc.get("text", "")) for doc in index["docs"]]
    # On one core: per document this is too little work to pay for sending it to another process.
    found = [memo.get(digest("words", *pair), lambda pair=pair: words(*pair)) for pair in pairs]
    common = {word for doc_words in found for word, lowercase in doc_words.items() if lowercase}
    jobs = []
    for pair, doc_words in zip(pairs, found):
        # Of the site's common words, only those this document writes capitalised change its variants.
        relevant = sorted(w for w, lowercase in doc_words.items() if not lowercase and w in common)
        jobs.append((digest("variants", *pair, *relevant), lambda doc_words=doc_words: _variants(doc_words, common)))
    docs = [{**doc, FIELD: extra} if extra else doc for doc, extra in zip(index["docs"], memo.get_all(jobs))]
    return {**index, "config": config, "docs": docs}


def complete_search_index(site_dir: Path, entries: Sequence[dict] = (), memo: Memo = NO_MEMO) -> None:
    """Rewrite site/search/search_index.json in place, when the search plugin wrote one: the given
    entries added after the plugin's own, and the variants field added to all."""
    path = site_dir / "search" / "search_index.json"
    if path.exists():
        index = json.loads(path.read_text(encoding="utf-8"))
        index = {**index, "docs": [*index["docs"], *entries]}
        path.write_text(json.dumps(add_variants_field(index, memo), ensure_ascii=False, separators=(",", ":")),
                        encoding="utf-8")
