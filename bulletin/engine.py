"""The PDF engine's process, started before the content is read.

Importing WeasyPrint takes 0.6 s of one core. `build.py pdf AAAA-MM` starts this process first: it
imports the engine on the second core while the first reads and checks the register and renders the
issue's HTML, then it lays out the first PDF it is sent. One process and a pipe, not a pool: a pool's
threads would be copied, mid-work, into the processes the register is later parsed in.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any


class EngineStopped(Exception):
    """The engine's process ended without an answer (killed, out of memory); args[0] is its exit code."""


class Engine:
    """A process that runs `work(job)` for each job it is sent, after importing the engine. `work` must
    be a module-level function (it is pickled by name where processes are not forked)."""

    def __init__(self, work: Callable[[Any], None]) -> None:
        # Forked where the system allows it: the child starts at once, from this process's memory.
        fork = "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if fork else None)
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, self._pipe, work), daemon=True)
        # Ctrl-C held back until the child ignores it (_serve): delivered here once it is started.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self._process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
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
        with errors) does not wait for the import to finish. The pipe is closed first: a process that
        swallowed the request to stop (a bare `except:` in a library) then ends at its next read."""
        self._pipe.close()
        self._process.terminate()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()

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
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held back by the parent: dropped now
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    # It lays out the one or two PDFs of one command, then ends: the cycle collector would walk the
    # parent's modules it inherited again and again for garbage freed at its exit (measured: 0.6 s of
    # CPU for the archive's latest issue, as the command already ran the layout without it).
    gc.disable()
    _import_engine()
    while True:
        try:
            job = pipe.recv()
        except (EOFError, OSError):
            return
        answer: Exception | None = None
        try:
            work(job)
        except Exception as exc:
            answer = _sendable(exc)
        try:
            pipe.send(answer)
        except OSError:  # the parent is gone
            return


def _import_engine() -> None:
    # A failure is not this process's to report: the first job imports it again, and says why it
    # cannot, in French (print_build.render_job), as it would in the command's own process.
    with contextlib.suppress(Exception):
        import weasyprint  # noqa: F401


def _sendable(exc: Exception) -> Exception:
    """The exception itself if it crosses the pipe intact (PrintFailed does), else its words."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__} : {exc}")
    return exc


@contextmanager
def started(work: Callable[[Any], None]) -> Iterator[Engine]:
    """The engine's process, importing from now on, for as long as the block lasts."""
    engine = Engine(work)
    try:
        yield engine
    finally:
        engine.stop()
