"""Pure work spread over the machine's cores, for inputs that cannot be pickled.

Rendering a ten-year archive's issue pages is most of a cold build, one page at a time on one core
while the other waits. The inputs (a Jinja environment, read-only mappings) do not pickle, so worker
processes are forked: they inherit the inputs as they stand, and send back only text.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
SMALLEST = 24  # items: below, starting a process costs more than it saves

_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # what forked workers inherit


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run(indices: list[int]) -> list[Any]:
    assert _TASK is not None, "set by the parent before the fork"
    function, items = _TASK
    return [function(items[i]) for i in indices]


def forked_map(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """[function(item) for item in items], in `workers` processes (this one included) when worth it.
    The function must be pure: what a worker changes in its memory is lost."""
    if workers < 2 or len(items) < SMALLEST or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    global _TASK
    shares = [list(range(k, len(items), workers)) for k in range(workers)]
    _TASK = (function, items)
    try:
        with ProcessPoolExecutor(workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            others = [pool.submit(_run, share) for share in shares[1:]]
            done = [_run(shares[0]), *(future.result() for future in others)]
    finally:
        _TASK = None
    out: list[Any] = [None] * len(items)
    for share, results in zip(shares, done):
        for i, result in zip(share, results):
            out[i] = result
    return out


class InBackground(Generic[T, R]):
    """[function(item) for item in items], started now in one forked process and collected by result():
    work that needs only what is ready now, done while this process goes on with the rest."""

    def __init__(self, function: Callable[[T], R], items: Sequence[T]) -> None:
        global _TASK
        self._function, self._items = function, items
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[list[R]] | None = None
        if items and "fork" in multiprocessing.get_all_start_methods():
            _TASK = (function, items)
            try:
                # The worker is forked inside submit(): it holds the task before it is cleared here.
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
                self._future = self._pool.submit(_run, list(range(len(items))))
            finally:
                _TASK = None

    def result(self) -> list[R]:
        if self._future is None:
            return [self._function(item) for item in self._items]
        try:
            return self._future.result()
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
