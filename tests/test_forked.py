"""Work spread over forked processes gives what the same work gives in this one."""

from __future__ import annotations

import multiprocessing
from types import MappingProxyType

import pytest

from bulletin.forked import SMALLEST, WorkerFailed, forked_map

# Read-only mappings do not pickle: what the forked workers inherit, and why they are forked.
TABLE = MappingProxyType({n: n * n for n in range(200)})


def test_forked_map_equals_the_map_in_order():
    items = list(range(SMALLEST * 3))
    assert forked_map(lambda n: (n, TABLE[n]), items, 2) == [(n, n * n) for n in items]
    assert forked_map(lambda n: (n, TABLE[n]), items, 3) == [(n, n * n) for n in items]
    assert forked_map(lambda n: TABLE[n], items[:3], 2) == [0, 1, 4]  # few items: no process started


def test_an_error_in_a_worker_reaches_the_caller_with_its_traceback():
    def fails_on_odd(n):  # with two workers, the odd items are the forked worker's share
        if n % 2:
            raise ValueError(f"élément {n}")
        return n

    with pytest.raises(WorkerFailed, match="ValueError: élément 1"):
        forked_map(fails_on_odd, list(range(SMALLEST * 2)), 2)


def test_an_error_in_this_process_leaves_no_worker_behind():
    def fails_on_even(n):
        if n % 2 == 0:
            raise ValueError(f"élément {n}")
        return n

    with pytest.raises(ValueError, match="élément 0"):
        forked_map(fails_on_even, list(range(SMALLEST * 2)), 2)
    assert multiprocessing.active_children() == []
