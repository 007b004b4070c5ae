"""Formats for dates, counts and amounts per locale, built on Babel with an explicit locale.

French: grouping uses Babel's CLDR symbol for French (U+202F NARROW NO-BREAK SPACE); a number and the
word after it are joined by U+00A0 NO-BREAK SPACE so they never part at a line end; currencies take the
house wording of `reglages.yaml` ('48 269 dollars américains', '15,9 millions de dollars américains').

English, the house style of the English edition (one place, here; README « Édition anglaise »), as the
section's English issues and UN documents write it: '30 November 2017', '12,106,353', the ISO currency
code before the amount ('USD 12,106,353', 'USD 15.9 million', 'XOF 30 million (about USD 52,000)'),
shares as '91.7%'. The code, not a translated currency name, keeps every currency unambiguous for
partners and needs nothing from the author.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal, format_percent
from markupsafe import Markup, escape

from .i18n import SOURCE
from .models import Currency, Money
from .typography import set_text

if TYPE_CHECKING:
    from .register import FundFigures

NBSP = "\u00a0"
NNBSP = "\u202f"


@lru_cache(maxsize=16384)
def format_day(d: date, locale: str, year: bool = True) -> str:
    """A day as French prose writes it.

    >>> format_day(date(2017, 11, 1), "fr")
    '1er novembre 2017'
    >>> format_day(date(2017, 10, 30), "fr", year=False)
    '30 octobre'
    """
    pattern = "MMMM y" if year else "MMMM"
    day = "1er" if d.day == 1 and locale.startswith("fr") else str(d.day)
    return f"{day} {format_date(d, pattern, locale=locale)}"


@lru_cache(maxsize=4096)
def format_month(month: str, locale: str, capital: bool = False) -> str:
    """'2017-11' -> 'novembre 2017' (or 'Novembre 2017' for a title)."""
    text = format_date(date(int(month[:4]), int(month[5:7]), 1), "MMMM y", locale=locale)
    return text[:1].upper() + text[1:] if capital else text


@lru_cache(maxsize=16384)
def format_number(value: int | float | Decimal, locale: str) -> str:
    """Whole numbers with the locale's grouping; amounts are rounded to the unit.

    >>> format_number(12106353, "fr") == "12\u202f106\u202f353"
    True
    """
    return format_decimal(Decimal(value).quantize(Decimal(1)), format="#,##0", locale=locale)


def format_count(n: int, singular: str, plural: str, locale: str) -> str:
    """'5 projets', '1 projet' (French treats 0 and 1 as singular)."""
    word = singular if _locale(locale).plural_form(n) == "one" else plural
    return f"{format_number(n, locale)}{NBSP}{word}"


@lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def format_amount(
    money: Money, currencies: Mapping[str, Currency], locale: str, t: gettext.NullTranslations = SOURCE
) -> str:
    """'48 269 dollars américains', with the house wording of the currency; an amount in another currency
    is followed by its value in the publication currency, a total that conversions entered says so.

    >>> usd = {"USD": Currency("dollars américains", "de dollars américains")}
    >>> format_amount(Money(Decimal(15938518), "USD", environ=True), usd, "fr") == (
    ...     "15\u202f938\u202f518\u00a0dollars américains\u00a0environ")
    True
    """
    if _currency_code_first(locale):
        text = f"{money.devise}{NBSP}{format_number(money.montant, locale)}"
    else:
        text = f"{format_number(money.montant, locale)}{NBSP}{currencies[money.devise].unite}"
    return _with_conversion(text, money, currencies, locale, t)


def _currency_code_first(locale: str) -> bool:
    """The English house style writes 'USD 12,106,353'; French writes the house wording after the number."""
    return _locale(locale).language == "en"


def format_millions(
    money: Money, currencies: Mapping[str, Currency], locale: str, t: gettext.NullTranslations = SOURCE
) -> str:
    """'15,9 millions de dollars américains'; below a million, the whole amount.

    >>> cur = {"USD": Currency("dollars américains", "de dollars américains"),
    ...        "XOF": Currency("francs CFA", "de francs CFA")}
    >>> xof = Money(Decimal(30_000_000), "XOF", converti=Money(Decimal("52173.91"), "USD", environ=True))
    >>> format_millions(xof, cur, "fr").replace("\u00a0", " ").replace("\u202f", " ")
    '30 millions de francs CFA (environ 52 000 dollars américains)'
    """
    if money.montant < 1_000_000:
        return format_amount(money, currencies, locale, t)
    compact = format_compact_decimal(money.montant, format_type="long", locale=locale, fraction_digits=1)
    number, _, word = compact.partition(" ")
    if _currency_code_first(locale):
        return _with_conversion(f"{money.devise}{NBSP}{number}{NBSP}{word}", money, currencies, locale, t)
    return _with_conversion(f"{number}{NBSP}{word} {currencies[money.devise].de}", money, currencies, locale, t)


def _with_conversion(
    text: str, money: Money, currencies: Mapping[str, Currency], locale: str, t: gettext.NullTranslations
) -> str:
    """An amount converted from another currency shows its approximate value in the publication currency
    (two significant digits: a rate makes it approximate anyway); a total that a conversion entered is
    followed by « environ » (after the amount: the sentence before it stays as written, « de », « d' »)."""
    if money.converti is not None:
        approx = replace(money.converti, montant=_significant(money.converti.montant, 2), environ=False)
        return t.gettext("%(montant)s (environ\u00a0%(converti)s)") % {
            "montant": text,
            "converti": format_millions(approx, currencies, locale, t),
        }
    return t.gettext("%(montant)s\u00a0environ") % {"montant": text} if money.environ else text


def _significant(value: Decimal, digits: int) -> Decimal:
    """52 173,91 -> 52 000; 870,4 -> 870; 0 stays 0."""
    if not value:
        return Decimal(0)
    exponent = value.adjusted() - digits + 1
    return value.scaleb(-exponent).quantize(Decimal(1)).scaleb(exponent)


def format_enumeration(items: Iterable[str], locale: str) -> str:
    """'Allemagne, Australie et UN DOCO'."""
    items = list(items)
    return format_list(items, locale=locale) if items else ""


def format_alternative(items: Iterable[object], locale: str) -> str:
    """'12 ou 18', '6, 12 ou 18': one of several values, as the locale words it.

    >>> format_alternative([12, 18], "fr")
    '12 ou 18'
    """
    return format_list([str(i) for i in items], style="or", locale=locale)


def make_filters(
    currencies: Mapping[str, Currency], locale: str, t: gettext.NullTranslations = SOURCE
) -> dict[str, Callable[..., Any]]:
    """The Jinja filters, bound to one locale, its translations and one house style for currencies."""
    return {
        "jour": partial(format_day, locale=locale),
        "jour_mois": partial(format_day, locale=locale, year=False),
        "mois": partial(format_month, locale=locale),
        "mois_titre": partial(format_month, locale=locale, capital=True),
        "nombre": partial(format_number, locale=locale),
        "montant": partial(format_amount, currencies=currencies, locale=locale, t=t),
        "millions": partial(format_millions, currencies=currencies, locale=locale, t=t),
        "enumeration": partial(format_enumeration, locale=locale),
        "alternative": partial(format_alternative, locale=locale),
        "taille": partial(format_size, locale=locale, t=t),
        "montant_exact": partial(format_decimal_amount, locale=locale),
        "pourcentage": partial(format_share, locale=locale),
        "typo": french_typography if _locale(locale).language == "fr" else english_typography,
        "fin_liee": tie_last_words,
        "hors_cours": partial(format_status_parts, locale=locale, t=t),
    }


def format_size(size: int, locale: str, t: gettext.NullTranslations = SOURCE) -> str:
    """A file size as French readers write it: '1,2 Mo', '450 Ko' (decimal units)."""
    if size >= 1_000_000:
        return t.gettext("%(taille)s\u00a0Mo") % {
            "taille": format_decimal(round(size / 1_000_000, 1), format="#,##0.0", locale=locale)
        }
    return t.gettext("%(taille)s\u00a0Ko") % {
        "taille": format_decimal(max(1, round(size / 1000)), format="#,##0", locale=locale)
    }


def format_decimal_amount(value: Decimal | int | float, locale: str) -> str:
    """An amount as declared, cents kept when there are any: '1 699 285,76', '755 306'."""
    value = Decimal(value)
    pattern = "#,##0" if value == value.to_integral_value() else "#,##0.00"
    return format_decimal(value, format=pattern, locale=locale)


def format_share(value: Decimal | float, locale: str) -> str:
    """A share as the locale writes it: '91,7 %' in French (a narrow no-break space: the « % » never
    starts a line of its own, as it did in a phone's narrow column), '91.7%' in English.

    >>> format_share(Decimal("0.917"), "en"), format_share(Decimal("0.917"), "fr") == "91,7\u202f%"
    ('91.7%', True)
    """
    if _locale(locale).language == "en":
        return format_percent(value, format="#,##0.0%", locale=locale)
    return format_percent(value, format="#,##0.0%", locale=locale).replace("%", NNBSP + "%")


_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")


def french_typography(text: str) -> str:
    """A short text typed on a keyboard (a title, a caption), set as the authors' prose is
    (bulletin.typography), its thousands grouped and « © » tied to the name after it.

    >>> french_typography("Projet d'élevage de 1 000 poules : « Bara »") == (
    ...     "Projet d’élevage de 1\u202f000 poules\u00a0: «\u202fBara\u202f»")
    True
    """
    text = set_text(_THOUSANDS.sub(NNBSP, text))
    return text.replace("© ", "©" + NBSP)


_LAST_TWO_WORDS = re.compile(r"([^\s<>]+ [^\s<>]+)(?=(?:</(?:em|strong|span)>)*</p>)")


def tie_last_words(html: str | Markup) -> Markup:
    """Each paragraph of rendered prose with its last two words kept on one line: a short centred
    paragraph ended with « sponsors. » alone on its line. A span (white-space: nowrap), not a no-break
    space: in the box, WeasyPrint still broke at a no-break space after « MINUSMA » (which hyphenation
    wraps in a span of its own); the same text outside the box kept it, so the cause is not pinned down.
    Only when both words are plain text, at most closing an emphasis (not a link's address, say).

    >>> tie_last_words(Markup("<p><em>Composantes MINUSMA sponsors.</em></p><p>Voir <a>ici</a></p>")) == (
    ...     '<p><em>Composantes <span class="fin-liee">MINUSMA sponsors.</span></em></p><p>Voir <a>ici</a></p>')
    True
    """
    # Text not yet markup is escaped first.
    return Markup(_LAST_TWO_WORDS.sub(r'<span class="fin-liee">\1</span>', str(escape(html))))


def english_typography(text: str) -> str:
    """A short English text typed on a keyboard: curly apostrophes and quotes, no French spacing.

    >>> english_typography("Women's " + '"Bara"' + " poultry project")
    'Women’s “Bara” poultry project'
    """
    text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)
    return text.replace("'", "\u2019")


def format_status_parts(figures: FundFigures, locale: str, t: gettext.NullTranslations = SOURCE) -> str:
    """What a fund's approved total holds besides finalised and ongoing projects (register.FundFigures):
    '2 non démarrés et 1 au statut à confirmer'; '' when there is none.

    >>> from types import SimpleNamespace as F
    >>> format_status_parts(F(non_demarres=2, a_confirmer=1), "fr_FR").replace("\u00a0", " ")
    '2 non démarrés et 1 au statut à confirmer'
    >>> format_status_parts(F(non_demarres=0, a_confirmer=0), "fr_FR")
    ''
    """
    parts = []
    if figures.non_demarres:
        parts.append(
            t.ngettext("%(num)s\u00a0non démarré", "%(num)s\u00a0non démarrés", figures.non_demarres)
            % {"num": format_number(figures.non_demarres, locale)}
        )
    if figures.a_confirmer:
        parts.append(
            t.ngettext("%(num)s\u00a0au statut à confirmer", "%(num)s\u00a0au statut à confirmer", figures.a_confirmer)
            % {"num": format_number(figures.a_confirmer, locale)}
        )
    return format_enumeration(parts, locale)
