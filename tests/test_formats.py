"""French formats, checked to the code point: U+202F groups digits, U+00A0 ties a number to its word."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bulletin.filters import (
    format_amount,
    format_count,
    format_day,
    format_enumeration,
    format_millions,
    format_month,
    format_number,
)
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
