"""Formats, checked to the code point in both editions. French: U+202F groups digits, U+00A0 ties a number to
its word. English: the house style of bulletin/filters.py ('USD 12,106,353', '30 November 2017')."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bulletin.filters import (
    format_alternative,
    format_amount,
    format_count,
    format_day,
    format_decimal_amount,
    format_enumeration,
    format_millions,
    format_month,
    format_number,
    format_share,
    format_size,
)
from bulletin.i18n import EDITIONS, translations
from bulletin.models import Currency, Money

NNBSP, NBSP = "\u202f", "\u00a0"
CURRENCIES = {
    "USD": Currency("dollars américains", "de dollars américains"),
    "XOF": Currency("francs CFA", "de francs CFA"),
}


@pytest.mark.parametrize(
    "day, year, expected",
    [
        (date(2017, 11, 1), True, "1er novembre 2017"),
        (date(2017, 10, 30), False, "30 octobre"),
        (date(2017, 2, 28), True, "28 février 2017"),
        (date(2018, 8, 1), False, "1er août"),
    ],
)
def test_days(day, year, expected):
    assert format_day(day, "fr", year=year) == expected


def test_months():
    assert format_month("2017-11", "fr") == "novembre 2017"
    assert format_month("2017-12", "fr", capital=True) == "Décembre 2017"


@pytest.mark.parametrize(
    "value, expected",
    [
        (48269, f"48{NNBSP}269"),
        (12106353, f"12{NNBSP}106{NNBSP}353"),
        (Decimal("1699285.76"), f"1{NNBSP}699{NNBSP}286"),
        (214, "214"),
        (0, "0"),
    ],
)
def test_whole_numbers(value, expected):
    assert format_number(value, "fr") == expected


def test_amounts_use_the_house_wording():
    assert format_amount(Money(Decimal(48269), "USD"), CURRENCIES, "fr") == f"48{NNBSP}269{NBSP}dollars américains"
    assert format_amount(Money(Decimal(5000), "XOF"), CURRENCIES, "fr") == f"5{NNBSP}000{NBSP}francs CFA"


@pytest.mark.parametrize(
    "value, expected",
    [
        (15900000, f"15,9{NBSP}millions de dollars américains"),
        (53900000, f"53,9{NBSP}millions de dollars américains"),
        (12106353, f"12,1{NBSP}millions de dollars américains"),
        (1000000, f"1{NBSP}million de dollars américains"),
        (336641, f"336{NNBSP}641{NBSP}dollars américains"),
    ],
)
def test_millions(value, expected):
    assert format_millions(Money(Decimal(value), "USD"), CURRENCIES, "fr") == expected


@pytest.mark.parametrize(
    "n, expected",
    [
        (0, f"0{NBSP}projet"),
        (1, f"1{NBSP}projet"),
        (2, f"2{NBSP}projets"),
        (335, f"335{NBSP}projets"),
        (1200, f"1{NNBSP}200{NBSP}projets"),
    ],
)
def test_counts(n, expected):
    assert format_count(n, "projet", "projets", "fr") == expected


def test_enumeration():
    assert format_enumeration(["Allemagne", "Turquie", "UN DOCO"], "fr") == "Allemagne, Turquie et UN DOCO"
    assert format_enumeration(["Canada"], "fr") == "Canada"
    assert format_enumeration([], "fr") == ""


# --- English edition: the house style of filters.py, in the Babel locale of i18n.EDITIONS -------------

EN = EDITIONS["en"]


def test_english_edition_is_british_english():
    assert EN == "en_GB"


@pytest.mark.parametrize(
    "day, year, expected",
    [
        (date(2017, 11, 1), True, "1 November 2017"),
        (date(2017, 11, 30), True, "30 November 2017"),
        (date(2017, 10, 30), False, "30 October"),
    ],
)
def test_english_days(day, year, expected):
    assert format_day(day, EN, year=year) == expected


def test_english_months():
    assert format_month("2017-11", EN) == "November 2017"
    assert format_month("2017-12", EN, capital=True) == "December 2017"


def test_english_numbers_counts_and_shares():
    assert format_number(12106353, EN) == "12,106,353"
    assert format_number(Decimal("1699285.76"), EN) == "1,699,286"
    assert [format_count(n, "project", "projects", EN) for n in (0, 1, 1200)] == [
        f"0{NBSP}projects",
        f"1{NBSP}project",
        f"1,200{NBSP}projects",
    ]
    assert format_share(Decimal("0.917"), EN) == "91.7%"
    assert format_decimal_amount(Decimal("1699285.76"), EN) == "1,699,285.76"
    assert format_size(1_234_567, EN, translations("en")) == f"1.2{NBSP}MB"
    assert format_size(450_000, EN, translations("en")) == f"450{NBSP}KB"


@pytest.mark.parametrize(
    "money, exact, millions",
    [
        (Money(Decimal(12106353), "USD"), f"USD{NBSP}12,106,353", f"USD{NBSP}12.1{NBSP}million"),
        (Money(Decimal(1000000), "USD"), f"USD{NBSP}1,000,000", f"USD{NBSP}1{NBSP}million"),
        (Money(Decimal(336641), "USD"), f"USD{NBSP}336,641", f"USD{NBSP}336,641"),
        (
            Money(Decimal(15938518), "USD", environ=True),
            f"about{NBSP}USD{NBSP}15,938,518",
            f"about{NBSP}USD{NBSP}15.9{NBSP}million",
        ),
        (
            Money(Decimal(30_000_000), "XOF", converti=Money(Decimal("52173.91"), "USD", environ=True)),
            f"XOF{NBSP}30,000,000 (about{NBSP}USD{NBSP}52,000)",
            f"XOF{NBSP}30{NBSP}million (about{NBSP}USD{NBSP}52,000)",
        ),
    ],
)
def test_english_amounts_put_the_currency_code_first(money, exact, millions):
    t = translations("en")
    assert format_amount(money, CURRENCIES, EN, t) == exact
    assert format_millions(money, CURRENCIES, EN, t) == millions


def test_english_lists_have_no_serial_comma():
    assert format_enumeration(["Germany", "Turkey", "UN DOCO"], EN) == "Germany, Turkey and UN DOCO"
    assert format_alternative([6, 12, 18], EN) == "6, 12 or 18"


def test_french_shares_keep_their_sign_on_their_line():
    """A narrow no-break space before « % », as French typography sets it: with an ordinary one, a phone's
    narrow column put the « % » alone on the next line."""
    assert format_share(Decimal("0.917"), "fr") == "91,7\u202f%"
