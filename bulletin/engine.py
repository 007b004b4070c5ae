"""The PDF engine's process, started before the content is read.

Importing WeasyPrint takes 0.6 s of one core. `build.py pdf AAAA-MM` starts this process first: it
imports the engine on the second core while the first reads and checks the register and renders the
issue's HTML, then it lays out the first PDF it is sent. One process and a pipe, not a pool: a pool's
threads would be copied, mid-work, into the processes the register is later parsed in.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any


def warm_up() -> None:
    """A worker's first work: the engine imported once per process, not once per issue. A worker lays
    out many PDFs, whose layout trees hold cycles: it collects them, whatever the command line chose."""
    gc.enable()
    import weasyprint  # noqa: F401


class EngineStopped(Exception):
    """The engine's process ended without an answer (killed, out of memory); args[0] is its exit code."""


class Engine:
    """A process that runs `work(job)` for each job it is sent, after importing the engine. `work` must
    be a module-level function (it is pickled by name where processes are not forked)."""

    def __init__(self, work: Callable[[Any], None]) -> None:
        context = multiprocessing.get_context()
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, self._pipe, work), daemon=True)
        self._process.start()
        theirs.close()  # the child holds its end: EOF here if it dies

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def send(self, job: Any) -> None:
        try:
            self._pipe.send(job)
        except OSError:  # it is gone: a broken pipe, or reset if it died holding the job unread
            raise EngineStopped(self._ended()) from None

    def result(self) -> None:
        """Wait for the job sent; re-raise what it raised (an exception that pickles, e.g. PrintFailed)."""
        try:
            failed = self._pipe.recv()
        except (EOFError, OSError):
            raise EngineStopped(self._ended()) from None
        if failed is not None:
            raise failed

    def stop(self) -> None:
        """End it, whatever it is doing (importing, laying out, waiting): it leaves through its `finally`
        blocks, so no partial PDF stays in the cache (_serve), and a command that stops early (content
        with errors) does not wait for the import to finish."""
        self._process.terminate()
        self._process.join()
        self._pipe.close()

    def _ended(self) -> int | None:
        self._process.join(timeout=5)  # its exit code is known once it has been waited for
        return self._process.exitcode


def _serve(pipe: Connection, parents: Connection, work: Callable[[Any], None]) -> None:
    # Forked, this process holds a copy of the parent's end of the pipe: closed, the parent's exit (or
    # death) is an end of file here, and this process ends with it.
    parents.close()
    # Ctrl-C reaches every process of the terminal: the parent stops this one itself. Asked to stop, it
    # leaves through `finally` blocks (no partial PDF left in the cache), without a word.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    warm_up()
    while True:
        try:
            job = pipe.recv()
        except (EOFError, OSError):
            return
        answer: Exception | None = None
        try:
            work(job)
        except Exception as exc:
            answer = exc
        try:
            try:
                pipe.send(answer)
            except (TypeError, AttributeError, ValueError) as unpicklable:  # as the pickle module raises them
                pipe.send(RuntimeError(f"{answer!r} ({unpicklable})"))
        except OSError:  # the parent is gone
            return


@contextmanager
def started(work: Callable[[Any], None]) -> Iterator[Engine]:
    """The engine's process, importing from now on, for as long as the block lasts."""
    engine = Engine(work)
    try:
        yield engine
    finally:
        engine.stop()
