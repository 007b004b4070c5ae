"""Results of pure steps kept from one build to the next, under a digest of everything they depend on.

A ten-year archive is rebuilt after each small change; parsing its 130 YAML files, rendering its 120
issue pages, their open data and their search entries cost seconds, and after one event most come out
the same. Each such step is a pure function of its inputs, so its result is stored under a digest of
those inputs (and of this package's code and the libraries that shape the output): a changed input is
a new key, never a stale value. Only the entries a build used are written back, so the file does not
grow with history. Nothing here is needed for correctness: without a file, every step just runs.
"""

from __future__ import annotations

import copyreg
import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar, cast

from .forked import forked_map
from .incremental import digest, tree_digest

T = TypeVar("T")
# The libraries that shape what the core keeps (parses, validated files, page fragments, open data;
# Pillow reads the photos that validation checks). The shell's own libraries (MkDocs, Material) only
# frame the pages: the shell adds them to its frame digest.
LIBRARIES = ("pyyaml", "markdown", "jinja2", "markupsafe", "babel", "nh3", "pillow")


# The models' read-only tables (a project's field lines, figures by id) are MappingProxyType views, which
# pickle refuses: kept as the dict they show, and shown read-only again on loading.
def _read_only(table: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(table)


copyreg.pickle(MappingProxyType, lambda view: (_read_only, (dict(view),)))


@lru_cache(maxsize=1)
def code_digest() -> str:
    """This package's source and the versions of the libraries whose output it keeps."""
    return digest(tree_digest(Path(__file__).parent), *(metadata.version(name) for name in LIBRARIES))


class Memo:
    """A store of results by key, read from and written back to one file (or none)."""

    def __init__(
        self, path: Path | None = None, write: bool = True, remember: bool = True, lives_on: bool = False
    ) -> None:
        self.path = path
        self.write = write  # False: read what is kept, keep nothing new (save writes nothing)
        # True: the store outlives the build in memory (the preview: next_build), written back or not.
        self.lives_on = lives_on
        # False: a result computed here is not held in memory either (a command that reads each file
        # once, like `check`, would only pay for copies it never reads back).
        self.remember = remember
        self._old: dict[str, Any] = {}
        self._new: dict[str, Any] = {}
        # Results held as objects for the next build of a store that lives on (get_live), never written.
        self._live_old: dict[str, tuple[Any, frozenset[str]]] = {}
        self._live_new: dict[str, tuple[Any, frozenset[str]]] = {}
        self._recording: list[set[str]] = []  # the keys each get_live being computed reads (innermost last)
        self._latest: dict[str, dict[str, Any]] = {}  # latest(kind): tables their owners keep up to date
        if path is not None:
            try:
                with path.open("rb") as f:
                    stored = pickle.load(f)
                if isinstance(stored, dict) and stored.get("code") == code_digest():
                    self._old = stored["values"]
            except (
                OSError,
                pickle.UnpicklingError,
                EOFError,
                AttributeError,
                ImportError,
                KeyError,
                TypeError,
                ValueError,  # a model's state of other fields (pickling.quicker): read before the code is compared
            ):
                self._old = {}  # unreadable or from other code: start afresh

    def get(self, key: str, compute: Callable[[], T]) -> T:
        """The stored result for key, or compute() stored under it."""
        if self.path is None:
            return compute()
        if self._recording:
            self._record(key)
        if key in self._new:
            return cast(T, self._new[key])
        if key in self._old:
            value = cast(T, self._old[key])
        else:
            value = compute()
            if not self.remember:
                return value
        self._new[key] = value
        return value

    def next_build(self) -> None:
        """A store that lives on between builds (the preview): what this build used is what the next
        one may find; the rest, results of inputs since changed, is let go."""
        self._old, self._new = self._new, {}
        self._live_old, self._live_new = self._live_new, {}

    def get_live(self, key: str, compute: Callable[[], T]) -> T:
        """compute(), held as it is for the next build when the store lives on (the preview), else just
        computed: for results too large to save and read back with profit (the validated register of a
        ten-year archive, each validated issue), whose inputs are digested in the key. The values are
        immutable, so one build handing the same object to the next changes nothing."""
        if not self.lives_on:
            return compute()
        held = self._live_new.get(key) or self._live_old.get(key)
        if held is None:
            held = self._recorded(compute)
        else:
            # The entries its computation read are used by this build too: the next one keeps them (after
            # an edit of the register, its unchanged items are still kept parsed).
            self._carry(held[1])
        self._live_new[key] = held
        return cast(T, held[0])

    def get_whole(self, key: str, compute: Callable[[], T]) -> T:
        """get(key, compute) for a result made from other kept results (a validated register from the
        parsed pieces of its files). On a hit, the pieces it was made from are kept for the next build
        too, though nothing read them: after an event is added to one project, the register is made
        again from the other projects' kept pieces instead of parsing the whole file."""
        if self.path is None:
            return compute()
        if self._recording:
            self._record(key)
        held = self._new.get(key, self._old.get(key))
        if held is None:
            made = self._recorded(compute)
            if self.remember:
                self._new[key] = made
            return made[0]
        self._new[key] = held
        self._carry(held[1])
        return cast(T, held[0])

    def reading(self, compute: Callable[[], T]) -> tuple[T, frozenset[str]]:
        """compute() and the keys of the entries it read, for a result kept under a key known only once
        it is computed (validate._validated_issue): carry(them) in the computation that keeps it."""
        return self._recorded(compute)

    def carry(self, used: frozenset[str]) -> None:
        """The entries `used` count as read here: a result kept now is kept with them."""
        self._carry(used)

    def _recorded(self, compute: Callable[[], T]) -> tuple[T, frozenset[str]]:
        """compute() and the keys of the entries it read (each read is recorded at every level, so an
        outer recording sees them too)."""
        self._recording.append(set())
        try:
            value = compute()
        finally:
            used = frozenset(self._recording.pop())
        return value, used

    def _carry(self, used: frozenset[str]) -> None:
        """The entries a kept result was made from count as used by this build."""
        for used_key in used:
            if used_key not in self._new and used_key in self._old:
                self._new[used_key] = self._old[used_key]
            self._record(used_key)

    def get_one(self, key: str) -> Callable[[Callable[[], T]], T]:
        """get(key, ·) for a caller that holds the computation, not the key."""
        return partial(self.get, key)

    def latest(self, kind: str) -> dict[str, Any] | None:
        """For a store that lives on (the preview), a table of what the latest build made of `kind`, by
        its owner's keys; None otherwise. Its owner replaces what it holds with what each build made.
        Unlike get_live's, it is held whatever a build reads: the register's projects, validated one by
        one, stay held while saves find the register unchanged and whole, for the next save that changes
        one project of it (bulletin.validate_register)."""
        return self._latest.setdefault(kind, {}) if self.lives_on else None

    def same_as_before(self, key: str, made: T) -> T:
        """For a store that lives on (the preview): `made`, or the value held under key at the last build
        when it is equal, as the very object that was, so that what was computed from it is found again
        by identity (Memo.get_same); held for the next build either way. An issue's figures after a
        handover saved in the latest month: the register is another object, but the figures of the other
        issues come out the same. Equality is the test, so a key is only where to look."""
        if not self.lives_on:
            return made
        held = self._live_new.get(key) or self._live_old.get(key)
        if held is not None and held[0] == made:
            made = cast(T, held[0])
        self._live_new[key] = (made, frozenset())
        return made

    def get_same(self, kind: str, inputs: tuple[object, ...], compute: Callable[[], T], shared: bool = False) -> T:
        """compute() of these very objects, held for the next build when the store lives on. get_live
        hands back the same (immutable) register and issues when their files did not change: what is
        computed from them alone is found again by identity, without digesting them. The entry holds
        its inputs, so no other object can take their identity while it is kept.

        `shared`: held for the rest of this build too, for a result several of its steps read (a build
        checks the published figures, then makes the pages, the open data and the PDFs from the same
        register and issues: each issue's figures are computed once). Others are read once per build
        (the repr of each project a key digests, the English translation): held, they would only add
        to the build's memory."""
        if not (self.lives_on or (shared and self.remembers())):
            return compute()
        key = f"same:{kind}:" + ",".join(str(id(o)) for o in inputs)  # kind: what is computed from them
        held = self._live_new.get(key) or self._live_old.get(key)
        if held is None or any(a is not b for a, b in zip(held[0][0], inputs, strict=True)):
            held = ((inputs, compute()), frozenset())
        self._live_new[key] = held
        return cast(T, held[0][1])

    def _record(self, key: str) -> None:
        for keys in self._recording:
            keys.add(key)

    def remembers(self) -> bool:
        """Whether a result computed now is held for a later get() (in this command or the next)."""
        return self.path is not None and self.remember

    def keeps(self) -> bool:
        """Whether this store outlives the build (else keeping pieces of results is wasted work)."""
        return self.path is not None and (self.write or self.lives_on)

    def get_all(self, jobs: Sequence[tuple[str, Callable[[], T]]], workers: int = 1) -> list[T]:
        """[get(key, compute) for key, compute in jobs], the missing ones computed in `workers`
        processes (bulletin.forked)."""
        todo = [(key, compute) for key, compute in jobs if not self.has(key)]
        made = dict(zip((key for key, _ in todo), forked_map(_call_second, todo, workers)))
        return [self.get(key, partial(made.__getitem__, key)) for key, _ in jobs]

    def has_live(self, key: str) -> bool:
        """Whether get_live(key, ·) would find its result held."""
        return self.lives_on and (key in self._live_new or key in self._live_old)

    def has(self, key: str) -> bool:
        return self.path is not None and (key in self._new or key in self._old)

    def put(self, key: str, value: Any) -> None:
        if self.path is not None:
            if self._recording:
                self._record(key)
            self._new[key] = value

    def save(self) -> None:
        """Write back the entries this build used (atomically; a failure only loses the speed-up)."""
        if self.path is None or not self.write or self._new.keys() == self._old.keys():
            return  # nothing new, nothing dropped: the file already holds exactly this
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(self.path.name + f".{os.getpid()}.part")
            with partial.open("wb") as f:
                pickle.dump({"code": code_digest(), "values": self._new}, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self.path)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # a value pickle refuses only costs time (tests/test_incremental.py keeps the models picklable)


def _call_second(pair: tuple[str, Callable[[], T]]) -> T:
    return pair[1]()


NO_MEMO = Memo(None)  # keeps nothing: every step runs


@dataclass(frozen=True, slots=True)
class Parsing:
    """How content files are parsed, passed down explicitly from the command to bulletin.load.load_yaml:
    where parsed files are kept between builds, and in how many processes a long file is parsed."""

    memo: Memo = NO_MEMO
    workers: int = 1


NO_PARSING = Parsing()  # parse everything, keep nothing, one process
