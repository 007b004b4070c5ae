"""Faster pickling of the frozen, slotted dataclasses the build keeps from one run to the next.

A rebuild unpickles the validated register and issues it kept (bulletin/validate.py `_kept`): on the
ten-year archive, 35 000 objects. For a frozen dataclass with slots, `dataclasses` adds a
`__setstate__` that calls `fields(self)` again for every object; it took 60 % of the unpickling
(0.20 s of 0.34 s best of five, measured on the archive's kept results). The pair written here
does the same work from the field names looked up once per class, and writes the same state (the
values in field order), so pickles made by either read back with the other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any


def _pair(names: tuple[str, ...]) -> tuple[Callable[[Any], list[Any]], Callable[[Any, list[Any]], None]]:
    setter = object.__setattr__  # the class is frozen: its own __setattr__ refuses

    def getstate(self: Any) -> list[Any]:
        return [getattr(self, name) for name in names]

    def setstate(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            setter(self, name, value)

    return getstate, setstate


def quicker(classes: Iterable[object]) -> None:
    """Give each frozen dataclass with slots among `classes` the faster state pair (others are left)."""
    for cls in classes:
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__):
            continue
        if not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            continue
        getstate, setstate = _pair(tuple(f.name for f in dataclasses.fields(cls)))
        cls.__getstate__ = getstate  # type: ignore[method-assign,assignment]
        cls.__setstate__ = setstate  # type: ignore[attr-defined]
