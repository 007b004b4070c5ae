"""Typed reading of raw YAML mappings, collecting every problem instead of stopping."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from .errors import Problem, SourceRef
from .load import RawList, RawMap
from .messages import fields as fields_msg
from .sanitize import URL_SCHEMES, url_scheme

_KIND_NAMES = {RawMap: "un tableau de champs", RawList: "une liste"}
# Amounts and counts stay below a thousand billion: the budgets of a mission's funds are in millions,
# and a number this size is a typing slip. It also keeps every sum of them far inside the 28 digits
# that Decimal computes exactly and Babel formats (29 digits made printing crash).
MAX_NUMBER = 10**12
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\b")
# An address without its scheme that names a host: « www.… », « //… », « bit.ly/… », « goo.gl/x »,
# « minusma.unmissions.org »: names ending in letters that are not a file's extension (« rapport.pdf »).
_SITE_NAME = re.compile(r"^(?://|www\.|[\w-]+(?:\.[\w-]+)*\.([a-z]{2,12})\.?(?:[/:?#]|$))", re.IGNORECASE)
_FILE_EXTENSIONS = frozenset(
    "pdf html htm php asp aspx csv json xml jpg jpeg png webp gif svg md txt xlsx xls docx doc pptx odt ods zip".split()
)


def _host(address: str) -> str | None:
    try:
        return urlsplit(address).hostname
    except ValueError:  # « https://[minusma »: an unbalanced bracket reads as a broken IPv6 address
        return None


def _names_a_site(address: str) -> bool:
    match = _SITE_NAME.match(address)
    if match is None:
        return False
    return match.group(1) is None or match.group(1).lower() not in _FILE_EXTENSIONS


def kind_of(value: Any) -> str:
    """French name of what the author wrote, for 'found' in messages."""
    if isinstance(value, (RawMap, RawList)):
        return _KIND_NAMES[type(value)]
    return str(value)


# What a field holds when its value is written on the lines below it.
_HOLDING_LINES = ("un tableau de champs", "une liste")


# A date written the French way, day first (« 31/12/2018 », « 31.12.2018 », « 31-12-2018 »): the fix
# shows that very date as the register writes it, not an example to adapt.
_DAY_FIRST = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")


def _day_first(value: object) -> str | None:
    """« 31/12/2018 » → "2018-12-31"; None for anything else (or a day that does not exist)."""
    found = _DAY_FIRST.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return None
    try:
        return dt.date(int(found[3]), int(found[2]), int(found[1])).isoformat()
    except ValueError:
        return None


class Reader:
    """Reads the fields of one mapping; unknown keys are reported at once."""

    def __init__(
        self, raw: RawMap, problems: list[Problem], allowed: Iterable[str], nested: Mapping[str, str] | None = None
    ) -> None:
        """`nested`: the fields of a mapping inside this one, by the field that holds them (a project's
        `remise:` under `jalons:`), so that one written a level too far left is named as such."""
        self.raw = raw
        self.problems = problems
        allowed = tuple(allowed)
        for key in raw.values:
            if key in allowed:
                continue
            if nested and key in nested:
                problems.append(fields_msg.misplaced_field(raw.ref(key), key, nested[key]))
            else:
                problems.append(fields_msg.unknown_field(raw.ref(key), key, allowed))

    def ref(self, key: str) -> SourceRef:
        return self.raw.ref(key)

    def has(self, key: str) -> bool:
        return self.raw.values.get(key) is not None

    def _get(self, key: str, required: bool, expected: str, example: str) -> Any:
        value = self.raw.values.get(key)
        if value is None and required:
            # `jalons:` with nothing after it, often because the lines meant for it are not indented.
            present = key in self.raw.values
            self.problems.append(
                fields_msg.empty_field(self.ref(key), key, expected, example, expected in _HOLDING_LINES)
                if present
                else fields_msg.missing_field(self.raw.src, key, expected, example)
            )
        return value

    def text(self, key: str, example: str, required: bool = True) -> str | None:
        value = self._get(key, required, "un texte", example)
        if value is None:
            return None
        if isinstance(value, (RawMap, RawList, bool)):
            self.problems.append(fields_msg.wrong_value(self.ref(key), key, "un texte", kind_of(value), example))
            return None
        text = str(value).strip()
        if not text and required:  # `titre: ""` is as absent as no titre at all
            self.problems.append(fields_msg.missing_field(self.ref(key), key, "un texte", example))
            return None
        return text or None

    def url(self, key: str, example: str, required: bool = True) -> str | None:
        """A text that pages print as a link: a web or e-mail address (or a relative one), never
        javascript:, data: or any other scheme a browser would run or open."""
        text = self.text(key, example, required)
        scheme = url_scheme(text) if text else None
        if text and scheme is not None and scheme not in URL_SCHEMES:
            self.problems.append(fields_msg.url_refused(self.ref(key), key, text, scheme))
            return None
        if text and scheme in ("http", "https") and not _host(text.strip()):
            self.problems.append(fields_msg.url_without_host(self.ref(key), key, text.strip()))
            return None
        if text and scheme is None and _names_a_site(text.strip()):
            # « www.minusma.org » reads as a page of this site (…/bulletins/2017-11/www.minusma.org): a dead link.
            self.problems.append(fields_msg.url_without_scheme(self.ref(key), key, text.strip()))
            return None
        return text

    def date(self, key: str, example: str = "2017-11-30", required: bool = True) -> dt.date | None:
        value = self._get(key, required, "une date AAAA-MM-JJ", f"{key}: {example}")
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        impossible = isinstance(value, str) and _DATE_LIKE.match(value)  # 2017-02-30: right shape, no such day
        if impossible:
            try:  # "2017-11-02" in quotes: YAML reads text, but the author wrote a date that exists
                return dt.date.fromisoformat(str(value).strip())
            except ValueError:
                pass
        self.problems.append(
            fields_msg.wrong_value(
                self.ref(key),
                key,
                "une date qui existe" if impossible else "une date AAAA-MM-JJ",
                kind_of(value),
                f"{key}: {_day_first(value) or example}",
            )
        )
        return None

    def amount(self, key: str, example: str = "48269", required: bool = True, cents: bool = False) -> Decimal | None:
        """A number ≥ 0; with `cents`, a sum of money: at most two decimals (a rate may have more)."""
        value = self._get(key, required, "un montant en chiffres", f"{key}: {example}")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problems.append(
                fields_msg.wrong_value(
                    self.ref(key),
                    key,
                    "un montant en chiffres, sans espace ni point de milliers",
                    kind_of(value),
                    f"{key}: {example}",
                )
            )
            return None
        try:
            amount = Decimal(str(value))
        except InvalidOperation:  # pragma: no cover - float('nan') and friends
            amount = Decimal(-1)
        if not amount.is_finite() or amount < 0:
            self.problems.append(
                fields_msg.wrong_value(self.ref(key), key, "un montant positif", kind_of(value), f"{key}: {example}")
            )
            return None
        if amount >= MAX_NUMBER:
            self.problems.append(fields_msg.amount_too_large(self.ref(key), key, kind_of(value), MAX_NUMBER))
            return None
        exponent = amount.as_tuple().exponent
        if cents and isinstance(exponent, int) and exponent < -2:
            self.problems.append(fields_msg.too_many_decimals(self.ref(key), key, value, amount))
            return None
        return amount

    def count(self, key: str, example: str = "0", required: bool = True, least: int = 0) -> int | None:
        """A whole number, at least `least` (1 for an issue's number or a duration: 0 would be printed)."""
        value = self._get(key, required, "un nombre entier", f"{key}: {example}")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            expected = "un nombre entier positif" if least <= 0 else f"un nombre entier d'au moins {least}"
            found = kind_of(value)
            self.problems.append(fields_msg.wrong_value(self.ref(key), key, expected, found, f"{key}: {example}"))
            return None
        if value >= MAX_NUMBER:
            self.problems.append(fields_msg.amount_too_large(self.ref(key), key, kind_of(value), MAX_NUMBER))
            return None
        return value

    def mapping(self, key: str, example: str, required: bool = True) -> RawMap | None:
        value = self._get(key, required, "un tableau de champs", example)
        if value is None:
            return None
        if not isinstance(value, RawMap):
            self.problems.append(
                fields_msg.wrong_value(
                    self.ref(key), key, "un tableau de champs (clé: valeur)", kind_of(value), example
                )
            )
            return None
        return value

    def items(self, key: str, example: str, required: bool = False) -> RawList:
        """A list; an absent list is an empty one."""
        value = self._get(key, required, "une liste", example)
        if value is None:
            return RawList(self.ref(key), (), ())
        if not isinstance(value, RawList):
            self.problems.append(
                fields_msg.wrong_value(
                    self.ref(key), key, "une liste (lignes commençant par « - »)", kind_of(value), example
                )
            )
            return RawList(self.ref(key), (), ())
        return value

    def texts(self, key: str, example: str) -> tuple[tuple[str, SourceRef], ...]:
        """A list of short texts, each with its line; a lone text counts as a list of one."""
        value = self.raw.values.get(key)
        if value is None:
            return ()
        if isinstance(value, RawList):
            out = []
            for i, item in enumerate(value.items):
                if item is None or isinstance(item, (RawMap, RawList)):
                    self.problems.append(fields_msg.wrong_value(value.ref(i), key, "un texte", kind_of(item), example))
                else:
                    out.append((str(item).strip(), value.ref(i)))
            return tuple(out)
        if isinstance(value, RawMap):
            self.problems.append(fields_msg.wrong_value(self.ref(key), key, "une liste", kind_of(value), example))
            return ()
        return ((str(value).strip(), self.ref(key)),)


def mappings(raw_list: RawList, problems: list[Problem], what: str, example: str) -> list[RawMap]:
    """The items of a list that are mappings; any other item is reported."""
    found = (mapping_at(raw_list, i, problems, what, example) for i in range(len(raw_list.items)))
    return [m for m in found if m is not None]


def mapping_at(raw_list: RawList, index: int, problems: list[Problem], what: str, example: str) -> RawMap | None:
    """The item at index if it is a mapping; else None, and it is reported."""
    item = raw_list.items[index]
    if isinstance(item, RawMap):
        return item
    problems.append(
        fields_msg.wrong_value(raw_list.ref(index), what, "un tableau de champs (clé: valeur)", kind_of(item), example)
    )
    return None
