"""The reader's words: gettext catalogs in the repository, compiled in memory when the build starts.

French is the source language: every msgid is the French text and `locale/fr` is an identity catalog.
Another edition is another `locale/<code>/LC_MESSAGES/messages.po`, not a code change. No `.mo` file is
committed or written: Babel compiles the `.po` into memory, so the catalog read is always the one in
the repository. Code that writes reader text receives a `gettext.NullTranslations` explicitly (through
the Jinja environment for templates and render helpers); nothing here holds a current language.
"""

from __future__ import annotations

import gettext
import io
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

# Babel's catalog machinery is loaded when a catalog is read: `check` only needs N_ and SOURCE.
if TYPE_CHECKING:
    from babel.messages.catalog import Catalog
    from babel.support import Translations
    from jinja2 import Environment

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
# The key under which an environment keeps its translations, for the Python helpers that render with it.
ENV_KEY = "translations"
# The Babel locale of each edition, keyed by its language (the catalog folder, the `/en/` path). English is
# British English as the UN writes it: '30 November 2017', 'Germany, Australia and UN DOCO' (no serial
# comma, CLDR en_GB). Formats per locale: bulletin/filters.py.
EDITIONS = {"fr": "fr", "en": "en_GB"}
# The source language's own words: what author-facing code (French only) formats with.
SOURCE = gettext.NullTranslations()


def N_(message: str) -> str:
    """Marks a msgid for extraction where the text is translated later, by whoever prints it."""
    return message


def compile_catalog(catalog: Catalog) -> Translations:
    """A catalog as gettext translations, compiled in memory (plural rules included)."""
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def read_catalog(path: Path, locale: str) -> Catalog:
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        return read_po(po, locale=locale, domain=DOMAIN)


@lru_cache(maxsize=8)
def translations(locale: str, directory: Path = LOCALE_DIR) -> gettext.NullTranslations:
    """The translations of one locale ('fr', 'en', 'fr_FR' reads 'fr').

    Cached per (locale, folder): compiling a catalog is pure, and translations are only read.
    An unknown locale is an error, not a silent fallback to French: a half-translated site is worse.
    """
    language = locale.replace("-", "_").split("_")[0]
    path = directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        raise LookupError(f"no catalog for locale {locale!r} at {path}")
    return compile_catalog(read_catalog(path, language))


def fingerprint(t: gettext.NullTranslations) -> str:
    """What a page kept between builds depends on in t: its messages (a cache key, bulletin/memo.py)."""
    catalog = getattr(t, "_catalog", {})
    return repr(sorted((repr(k), v) for k, v in catalog.items()))


def install(env: Environment, t: gettext.NullTranslations) -> None:
    """Gives a Jinja environment (with jinja2.ext.i18n) its translations, new style: `_("… %(n)s …", n=…)`.

    The environment keeps them too, for the render helpers that write reader text in Python."""
    # Added to the environment by the jinja2.ext.i18n extension, hence unknown to its type.
    env.install_gettext_translations(t, newstyle=True)  # type: ignore[attr-defined]
    env.globals[ENV_KEY] = t


def of(env: Environment) -> gettext.NullTranslations:
    """The translations a Jinja environment was given by install()."""
    t = env.globals[ENV_KEY]
    assert isinstance(t, gettext.NullTranslations)
    return t


def fill_source(path: Path, locale: str = "fr") -> int:
    """In the source language's catalog, each message without a translation gets its msgid (the plural
    msgid for every plural form but the first): French words are their own translation. Returns how many
    were filled. Run after `pybabel update` (README, « Traduire »)."""
    catalog = read_catalog(path, locale)
    filled = 0
    for message in catalog:
        if not message.id or (
            message.string and all(message.string if isinstance(message.string, tuple) else (message.string,))
        ):
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id[0], message.id[1]
            message.string = (singular, *(plural,) * (catalog.num_plurals - 1))
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
        filled += 1
    from babel.messages.pofile import write_po

    with path.open("wb") as po:
        write_po(po, catalog, width=120)
    return filled


if __name__ == "__main__":
    for code in sys.argv[1:] or ["fr"]:
        count = fill_source(LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po", code)
        print(
            f"{code} : {count} message{'s' if count > 1 else ''} complété{'s' if count > 1 else ''} par son texte source"
        )
