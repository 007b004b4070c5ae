"""Work spread over forked processes gives what the same work gives in this one."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from bulletin.forked import SMALLEST, InBackground, forked_map

# Read-only mappings do not pickle: what the forked workers inherit, and why they are forked.
TABLE = MappingProxyType({n: n * n for n in range(200)})


def test_forked_map_equals_the_map_in_order():
    items = list(range(SMALLEST * 3))
    assert forked_map(lambda n: (n, TABLE[n]), items, 2) == [(n, n * n) for n in items]
    assert forked_map(lambda n: TABLE[n], items[:3], 2) == [0, 1, 4]  # few items: no process started


def test_work_in_the_background_is_collected_later():
    background = InBackground(lambda n: TABLE[n] + 1, list(range(50)))
    assert background.result() == [n * n + 1 for n in range(50)]


def test_an_error_in_a_worker_reaches_the_caller():
    def fails(n):
        raise ValueError(f"élément {n}")

    with pytest.raises(ValueError, match="élément"):
        forked_map(fails, list(range(SMALLEST * 2)), 2)
    with pytest.raises(ValueError, match="élément"):
        InBackground(fails, [1, 2]).result()


def test_background_work_abandoned_is_closed():
    background = InBackground(lambda n: n, list(range(10)))
    background.close()
    background.close()  # twice is harmless (a failed build closes it, then nothing collects it)
