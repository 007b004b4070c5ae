"""Pure work spread over the machine's cores, for inputs that cannot be pickled.

Parsing a long register item by item after many edits is seconds of one core while the other waits.
The inputs (closures over the file's text and path) do not pickle, so the workers are forked
processes (multiprocessing's "fork" context): a forked child inherits the function and its share of
the items in its own memory, arguments included, and sends back only the results, pickled through a
pipe. Nothing is set aside in this module for the children to find.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
SMALLEST = 24  # items: below, starting a process costs more than it saves


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class WorkerFailed(RuntimeError):
    """A forked worker raised: its traceback, as text (the exception itself may not pickle)."""


def _child(send: Connection, function: Callable[[Any], Any], items: Sequence[Any], share: list[int]) -> None:
    try:
        send.send(("ok", [function(items[i]) for i in share]))
    except BaseException:
        send.send(("failed", traceback.format_exc()))
    finally:
        send.close()


def forked_map(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """[function(item) for item in items], in `workers` processes (this one included) when worth it.
    The function must be pure: what a worker changes in its memory is lost."""
    if workers < 2 or len(items) < SMALLEST or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    shares = [list(range(k, len(items), workers)) for k in range(workers)]
    children = []
    for share in shares[1:]:
        receive, send = context.Pipe(duplex=False)
        # The fork context passes the target and its arguments by inheritance, never by pickling.
        child = context.Process(target=_child, args=(send, function, items, share), daemon=True)
        child.start()
        send.close()  # the child holds its own end: EOF here if it dies without a word
        children.append((child, receive))
    try:
        done: list[list[Any]] = [[function(items[i]) for i in shares[0]]]
    except BaseException:
        for child, receive in children:  # no orphan left behind in a long-running preview
            child.terminate()
            child.join()
            receive.close()
        raise
    failure = None
    for child, receive in children:
        try:
            status, payload = receive.recv()  # before join: a full pipe would block the child's exit
        except EOFError:
            status, payload = "failed", f"worker {child.pid} ended without a result (exit code {child.exitcode})"
        finally:
            receive.close()
            child.join()
        if status == "ok":
            done.append(payload)
        else:
            failure = failure or payload
    if failure is not None:
        raise WorkerFailed(failure)
    out: list[Any] = [None] * len(items)
    for share, results in zip(shares, done):
        for i, result in zip(share, results):
            out[i] = result
    return out
