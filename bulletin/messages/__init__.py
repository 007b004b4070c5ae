"""Authors' messages (French), one module per pipeline stage; the error types stay in bulletin.errors.

The number formats every stage shares live here rather than in bulletin.errors: bulletin.filters imports
the models, which import bulletin.errors, so errors.py cannot import filters back.
"""

from __future__ import annotations

from decimal import Decimal

from ..filters import format_decimal_amount, format_size


def number(value: Decimal | int) -> str:
    return format_decimal_amount(value, "fr")


def amount(value: Decimal | int, currency: str) -> str:
    return f"{number(value)} {currency}"


def file_size(size: int) -> str:
    return format_size(size, "fr")
