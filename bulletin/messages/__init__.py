"""Authors' messages (French), one module per pipeline stage; the error types stay in bulletin.errors.

The number formats every stage shares live here rather than in bulletin.errors: bulletin.filters imports
the models, which import bulletin.errors, so errors.py cannot import filters back.
"""

from __future__ import annotations

from decimal import Decimal

from ..filters import format_decimal_amount, format_size


def number(value: Decimal | int) -> str:
    return format_decimal_amount(value, "fr")


def counted(value: int, one: str, many: str) -> str:
    """« 1 bulletin », « 3 bulletins »: French takes the singular for 0 and 1, never « bulletin(s) ».

    >>> counted(0, "ligne", "lignes"), counted(1, "ligne", "lignes"), counted(1200, "ligne", "lignes")
    ('0 ligne', '1 ligne', '1\u202f200 lignes')
    """
    return f"{number(value)} {one if value < 2 else many}"


def amount(value: Decimal | int, currency: str) -> str:
    return f"{number(value)} {currency}"


def file_size(size: int) -> str:
    return format_size(size, "fr")


def one_line(value: str, limit: int = 80) -> str:
    """A typed value quoted in a message: on one line (a message is read line by line, and tools split
    it so), and cut when long.

    >>> one_line("Texte :\\n\\n- un\\n- deux")
    'Texte : - un - deux'
    >>> one_line("x" * 100, 10)
    'xxxxxxxxx…'
    """
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
