"""The PDF engine's process, started before the content is read.

Importing WeasyPrint takes 0.6 s of one core, a fifth of laying out one issue. `build.py pdf AAAA-MM`
starts this process first: it imports the engine on the second core while the first reads and checks
the register and renders the issue's HTML, then it lays out the PDF. One process and a pipe, not a
pool: a pool's threads would be copied, mid-work, into the processes the register is later parsed in.
"""

from __future__ import annotations

import gc
import multiprocessing
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
    """The engine's process ended without an answer (killed, out of memory)."""


class Engine:
    """A process that runs `work(job)` for each job it is sent, after importing the engine; `work` must
    be a module-level function (it is pickled by name where processes are not forked)."""

    def __init__(self, work: Callable[[Any], None]) -> None:
        context = multiprocessing.get_context()
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, work), daemon=True)
        self._process.start()
        theirs.close()  # the child holds its end: EOF here if it dies

    def send(self, job: Any) -> None:
        try:
            self._pipe.send(job)
        except BrokenPipeError:
            raise EngineStopped(self._process.exitcode) from None

    def result(self) -> None:
        """Wait for the job sent; re-raise what it raised (an exception that pickles, e.g. PrintFailed)."""
        try:
            failed = self._pipe.recv()
        except EOFError:
            raise EngineStopped(self._process.exitcode) from None
        if failed is not None:
            raise failed

    def stop(self) -> None:
        self._process.terminate()
        self._process.join()
        self._pipe.close()


def _serve(pipe: Connection, work: Callable[[Any], None]) -> None:
    warm_up()
    while True:
        try:
            job = pipe.recv()
        except EOFError:  # the parent is gone
            return
        try:
            work(job)
        except Exception as exc:
            pipe.send(exc)
        else:
            pipe.send(None)


@contextmanager
def started(work: Callable[[Any], None]) -> Iterator[Engine]:
    """The engine's process, importing from now on, for as long as the block lasts. It is stopped on
    the way out, whatever it is doing: a PDF it laid out is already in the cache (written atomically),
    and a command that stops early (content with errors) does not wait for the import to finish."""
    engine = Engine(work)
    try:
        yield engine
    finally:
        engine.stop()
