"""Files -> raw values that remember their file:line. No content checks here."""

from __future__ import annotations

import errno
import os
import pickle
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, overload

import yaml
import yaml.constructor
import yaml.reader

from .errors import Problem, SourceRef
from .incremental import digest
from .memo import NO_PARSING, Memo, Parsing
from .messages import fields as fields_msg
from .messages import load as load_msg


@dataclass(frozen=True, slots=True)
class RawMap:
    """A YAML mapping with the line of each key."""

    src: SourceRef
    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)

    def ref(self, key: str) -> SourceRef:
        return SourceRef(self.src.path, self.lines.get(key, self.src.line))


@dataclass(frozen=True, slots=True)
class RawList:
    """A YAML sequence with the line of each item."""

    src: SourceRef
    items: Sequence[Any]  # a tuple, or the items of a list parsed in pieces (_Items)
    lines: tuple[int, ...]

    def ref(self, index: int) -> SourceRef:
        return SourceRef(self.src.path, self.lines[index])


@dataclass(frozen=True, slots=True)
class Piece:
    """An item of a long list parsed on its own (_parse_in_pieces): the digest of its text, under which
    its parse is kept, and the number of lines of the file before it."""

    key: str
    offset: int


@dataclass(frozen=True, slots=True)
class Loaded:
    value: Any
    problems: tuple[Problem, ...]
    # A long list parsed item by item: each item's piece, in order (a validator may keep what it made of
    # each under its key, bulletin.validate_register). Not part of the value: the same parse either way.
    pieces: tuple[Piece, ...] = field(default=(), compare=False)


class _Items(Sequence[Any]):
    """The items of a list parsed in pieces, each made from its kept parse when first read: a validator
    that holds what it made of an unchanged item (the preview, after a handover saved in a register
    of 3 000 projects) reads none of the others, and making them all took a tenth of a second."""

    __slots__ = ("_made", "_offsets", "_parses", "_path")

    def __init__(self, path: Path, parses: Sequence[bytes], offsets: Sequence[int]) -> None:
        self._path, self._parses, self._offsets = path, parses, offsets
        self._made: list[Any] = [_UNMADE] * len(parses)

    def __len__(self) -> int:
        return len(self._parses)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Any, ...]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(len(self))[index])
        made = self._made[index]
        if made is _UNMADE:
            made = self._made[index] = _rebuilt(pickle.loads(self._parses[index]), self._path, self._offsets[index])
        return made

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __reduce__(self) -> tuple[type[tuple[Any, ...]], tuple[tuple[Any, ...]]]:
        return tuple, (tuple(self),)  # pickled as the items it holds


_UNMADE = object()


# libyaml's parser when PyYAML was built with it (the wheels are): same nodes and marks, far faster.
try:
    from yaml import CSafeLoader as _BASE_LOADER
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BASE_LOADER  # type: ignore[assignment]


# YAML 1.1 reads a plain 00123456 as an octal number (42798) and 10:30 as a number of base 60 (630): an
# identifier or a time would be published as another number. They are texts (quoted or not); an amount
# written so is then refused as not a number, at its line.
_NOT_A_NUMBER = re.compile(r"[-+]?(?:0[0-9_]+|0[xXbBoO][0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)")
_STR = "tag:yaml.org,2002:str"


class _LOADER(_BASE_LOADER):
    """The safe loader, remembering the type it gives each plain value of its file: a register repeats
    the same dates, codes and amounts thousands of times, and libyaml asks Python for each one."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._resolved: dict[tuple[str, Any], str] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]  # untyped in PyYAML's stubs
        if implicit[0] and _NOT_A_NUMBER.fullmatch(value):
            return _STR
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe scalars only: no tag can build an object or run code."""


def load_yaml(path: Path, parsing: Parsing = NO_PARSING) -> Loaded:
    """Parse one YAML file, keeping 1-based lines; never raises for author mistakes, and never spends
    more than the bounds below allow (a few kilobytes must not hang the build). `parsing` says where
    parses are kept and how many processes may parse a long file (bulletin.memo.Parsing)."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # _read_text says why it cannot be read
    if size > MAX_YAML_BYTES:
        return Loaded(None, (load_msg.yaml_too_big(SourceRef(path), size, MAX_YAML_BYTES),))
    text, problem = _read_text(path)
    if text is None:
        return Loaded(None, (problem,) if problem else ())
    return load_yaml_text(path, text, parsing)


def load_yaml_text(path: Path, text: str, parsing: Parsing = NO_PARSING) -> Loaded:
    """load_yaml of a text read from path, or a part of it (a page's front matter, lines kept by the
    blank lines before it), within the same bounds."""
    invisible = _invisible(path, text)
    if len(invisible) >= _SHOWN_AT_MOST:  # not a text: a binary file, or one saved in another encoding
        return Loaded(None, tuple(invisible))
    if invisible:
        # The rest is read with each of them as a space (lines and columns stay): the file's other
        # problems are reported in the same run, not one after the other.
        text = _REFUSED.sub(" ", text)
    refused = _out_of_bounds(path, text, parsing.memo)
    if refused:
        return Loaded(None, (*invisible, *refused))
    loaded = _parse_in_pieces(path, text, parsing)
    if loaded is None:
        key = digest("yaml", str(path), text)
        if parsing.memo.remembers() or parsing.memo.has(key):
            # Kept pickled: the store then holds one string per file, quick to save and load as a whole.
            loaded = pickle.loads(parsing.memo.get(key, lambda: pickle.dumps(_parse(path, text))))
        else:  # nothing kept, nothing to keep: no copy to make
            loaded = _parse(path, text)
    if loaded.value is None and not loaded.problems:  # nothing but blanks, comments, `---` or `null`
        return Loaded(None, (*invisible, load_msg.yaml_empty(SourceRef(path, 1))))
    return Loaded(loaded.value, (*invisible, *loaded.problems)) if invisible else loaded


# --- Bounds: what a content file may cost before it is parsed --------------------------------------
# A register of 6,000 projects in one file is 1.4 MB and 136,000 YAML values; the limits leave room
# for several times that (and projects may be spread over several files of registre/projets/), while
# a dense file at the limits stays within a few hundred megabytes when parsed.
MAX_YAML_BYTES = 5_000_000
MAX_YAML_NODES = 750_000
# YAML 1.1's printable characters, as PyYAML's reader defines them: anything else is refused by the
# parser in English without a line, so it is looked for first.
_NOT_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
# And the bidirectional overrides and isolates: printable to YAML, but one of them reverses or moves
# the text after it on the page while the file reads otherwise ("Trojan Source"); no French text needs them.
# And the line breaks YAML reads besides « \n » (NEL, Word's line and paragraph separators): invisible in an
# editor, they moved every later line number and broke the file where nothing shows.
_REFUSED = re.compile(f"{_NOT_PRINTABLE}|[\u202a-\u202e\u2066-\u2069\x85\u2028\u2029]")
_SHOWN_AT_MOST = 10  # control characters reported per file: a binary file saved as .yaml has thousands


def _invisible(path: Path, text: str) -> list[Problem]:
    """The control characters of the text (the first _SHOWN_AT_MOST), each at its line and column."""
    return [
        load_msg.yaml_control_character(
            SourceRef(path, text.count("\n", 0, m.start()) + 1), m.group(), m.start() - text.rfind("\n", 0, m.start())
        )
        for _, m in zip(range(_SHOWN_AT_MOST), _REFUSED.finditer(text))
    ]


def _out_of_bounds(path: Path, text: str, memo: Memo) -> tuple[Problem, ...]:
    """Anchors and aliases (refused: a 1 kB alias bomb expands to billions of values), and more values
    than MAX_YAML_NODES, in a text without control characters (_invisible). Empty when the file may
    be parsed."""
    marks = ("&" in text or "*" in text) and _ANCHOR_ALIAS_TAG.search(text)
    if not marks and most_values(text) <= MAX_YAML_NODES:
        return ()
    # The parser's events, one at a time: nothing is built, so an alias costs nothing here.
    scanned: tuple[Problem, ...] = pickle.loads(
        memo.get(digest("yaml-bounds", str(path), text), lambda: pickle.dumps(_scan_events(path, text)))
    )
    return scanned


# What may start a value, in block and flow style. Without anchors and aliases, every value the parser
# makes is one of: a document's root (at most one per line); a block sequence, or an entry of one
# (each after a "-"); a mapping, a key or its value (at most three per ":" or "?": an empty key or
# value is a value too); a flow collection, or an entry of one (each after a "[", "{" or ","; an entry
# of a flow mapping is a key and its value). Counting these characters wherever they are, in texts
# and dates too, only makes the bound larger: 266 000 for the 3 000 projects of the bench archive's
# register, which has 96 000 values; under MAX_YAML_NODES, so it is not scanned (0.2 s) on every change.
_INDICATORS = ":?,[{"


def most_values(text: str) -> int:
    """At least the number of values the parser makes of a text without anchors or aliases (the
    comment above says why), found in a few milliseconds for a register."""
    return 1 + text.count("\n") + 2 * text.count("-") + 3 * sum(text.count(c) for c in _INDICATORS)


def _scan_events(path: Path, text: str) -> tuple[Problem, ...]:
    found: list[Problem] = []
    lines: set[int] = set()  # one problem per line: a line of a bomb holds ten aliases
    nodes = 0
    try:
        for event in yaml.parse(text, Loader=_BASE_LOADER):
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                line = event.start_mark.line + 1 if event.start_mark else 1
                if event.anchor is not None and line not in lines:
                    lines.add(line)
                    mark = "*" if isinstance(event, yaml.AliasEvent) else "&"
                    found.append(load_msg.yaml_alias(SourceRef(path, line), mark + str(event.anchor)))
                if nodes > MAX_YAML_NODES:
                    found.append(load_msg.yaml_too_many_values(SourceRef(path), MAX_YAML_NODES))
                    break
            if len(found) >= _SHOWN_AT_MOST:
                break
    except yaml.YAMLError:
        pass  # a syntax error: the parse proper reports it, located
    return tuple(found)


# A long list (the register: thousands of projects) is parsed item by item when its text allows it
# safely, each item kept under its own text: after one edit, one item is parsed again, not the file.
# Not for anything a split could change: anchors and aliases (which may point across items), tags,
# documents markers and directives, text before the first item that is not a comment.
_ITEM_START = re.compile(r"^-(?=[ \n]|$)", re.M)
_NOT_SPLIT = re.compile(r"^(?:---|\.\.\.|%)", re.M)
# Only looked for when one of &*! is there. libyaml also takes them right after ":" ({"a":&x [0]}),
# after "?" ([?&x k]) and after a byte-order mark, which it skips at the start of any line.
_ANCHOR_ALIAS_TAG = re.compile(r"(?:^|[\s\[{,:?\ufeff])[&*!]\S", re.M)
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029\r]")
SPLIT_FROM = 200  # items: below, one parse is as quick


def _parse_in_pieces(path: Path, text: str, parsing: Parsing) -> Loaded | None:
    """The file parsed item by item, or None when it cannot be split safely or a piece has a problem
    (the whole parse then reports it, as it always did)."""
    memo = parsing.memo
    if memo.path is None:  # nothing kept, nothing to keep: one parse is quicker
        return None
    starts = [m.start() for m in _ITEM_START.finditer(text)]
    head = text[: starts[0]] if starts else text
    # YAML also breaks lines at U+0085, U+2028 and U+2029: the items' lines are counted by "\n" only.
    marks = ("&" in text or "*" in text or "!" in text) and _ANCHOR_ALIAS_TAG.search(text)
    if (
        len(starts) < SPLIT_FROM
        or marks
        or _NOT_SPLIT.search(text)
        or _OTHER_BREAKS.search(text)
        or any(line.strip() and not line.lstrip().startswith("#") for line in head.splitlines())
    ):
        return None
    pieces, offset = [], head.count("\n")
    for start, end in zip(starts, [*starts[1:], len(text)]):
        piece = text[start:end]
        pieces.append((digest("yaml-item", str(path), piece), piece, offset))
        offset += piece.count("\n")
    kept_pieces = sum(memo.has(key) for key, _, _ in pieces)
    if not memo.keeps() and parsing.workers < 2 and kept_pieces < len(pieces) // 2:
        return None  # a command that keeps nothing (check, pdf) reads the pieces a build kept, or parses once
    # On several cores, such a command parses the pieces in parallel all the same: 0.85 s → 0.51 s for
    # the archive's register without a cache (`pdf`), 1.6 s → 1.3 s for the whole content (`check`).
    # A file with a problem in one piece is then parsed twice (the whole parse locates it): about 1.0 s
    # instead of 0.6-0.9 s for 3 000 projects, paid only until the author fixes it.
    if parsing.workers < 2 and kept_pieces < len(pieces) // 2:
        return _parse_whole_keeping_pieces(path, text, pieces, memo)
    kept = memo.get_all([(key, partial(_piece_parse, path, piece)) for key, piece, _ in pieces], parsing.workers)
    parsed = [one for one in kept if one is not None]
    if len(parsed) < len(kept):
        return None
    lines = tuple(one[0] + offset for one, (_, _, offset) in zip(parsed, pieces))
    items = _Items(path, [one[1] for one in parsed], [offset for _, _, offset in pieces])
    return Loaded(
        RawList(SourceRef(path, lines[0]), items, lines), (), tuple(Piece(key, offset) for key, _, offset in pieces)
    )


def _piece_parse(path: Path, piece: str) -> tuple[int, bytes] | None:
    """One item parsed on its own: the line of the item in it, and the item as plain tuples with lines
    counted from its first line, pickled (quick to keep and load; the file's path and the item's place
    are put back by _rebuilt, and only when the item is read: _Items). None when the piece has a problem."""
    loaded = _parse(path, piece)
    if loaded.problems or not isinstance(loaded.value, RawList) or len(loaded.value.items) != 1:
        return None
    return loaded.value.lines[0], pickle.dumps(_plain(loaded.value.items[0], 0))


def _parse_whole_keeping_pieces(path: Path, text: str, pieces: list[tuple[str, str, int]], memo: Memo) -> Loaded:
    """A first parse on one core, or one after many changes: the file at once (quicker than piece by
    piece), its items kept as pieces."""
    whole = _parse(path, text)
    value = whole.value
    if not whole.problems and isinstance(value, RawList) and len(value.items) == len(pieces):
        for (key, _, offset), item, line in zip(pieces, value.items, value.lines):
            memo.put(key, (line - offset, pickle.dumps(_plain(item, offset))))
        return Loaded(value, (), tuple(Piece(key, offset) for key, _, offset in pieces))
    return whole


def _plain(value: Any, by: int) -> Any:
    """A parsed value as nested tuples, its lines moved up by `by`: ("m", line, ((key, line, value)…))
    for a mapping, ("l", line, ((line, value)…)) for a list. Scalars are never tuples."""
    if isinstance(value, RawMap):
        return (
            "m",
            (value.src.line or 1) - by,  # a parsed mapping always has its line
            tuple((k, value.lines[k] - by, _plain(v, by)) for k, v in value.values.items()),
        )
    if isinstance(value, RawList):
        return (
            "l",
            (value.src.line or 1) - by,
            tuple((line - by, _plain(v, by)) for line, v in zip(value.lines, value.items)),
        )
    return value


def _rebuilt(plain: Any, path: Path, by: int) -> Any:
    """The parsed value back from _plain, in the file at path, its lines moved down by `by`."""
    if type(plain) is not tuple:
        return plain
    kind, line, entries = plain
    if kind == "m":
        return RawMap(
            SourceRef(path, line + by),
            {k: _rebuilt(v, path, by) for k, _, v in entries},
            {k: n + by for k, n, _ in entries},
        )
    return RawList(
        SourceRef(path, line + by), tuple(_rebuilt(v, path, by) for _, v in entries), tuple(n + by for n, _ in entries)
    )


def _parse(path: Path, text: str) -> Loaded:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (exc.context or "").startswith("while scanning a"):
            mark = exc.context_mark  # the opening quote or the key, not the end of file where PyYAML noticed
        line = mark.line + 1 if mark else None
        at = text[mark.index] if mark and mark.index < len(text) else ""
        return Loaded(None, (load_msg.yaml_syntax(SourceRef(path, line), _syntax_detail(exc, at)),))
    except yaml.reader.ReaderError as exc:  # _out_of_bounds looks first; kept located all the same
        line = text.count("\n", 0, exc.position) + 1
        return Loaded(
            None,
            (
                load_msg.yaml_control_character(
                    SourceRef(path, line), chr(exc.character), exc.position - text.rfind("\n", 0, exc.position)
                ),
            ),
        )
    except yaml.YAMLError as exc:
        return Loaded(None, (load_msg.yaml_syntax(SourceRef(path), str(exc)),))
    except RecursionError:  # PyYAML's pure-Python parser on values nested a thousand levels deep
        return Loaded(None, (load_msg.yaml_too_deep(SourceRef(path), MAX_YAML_DEPTH),))
    if node is None:
        return Loaded(None, ())
    into = _Into(path, _Constructor(), [], set())
    value = _convert(node, into, 1)
    return Loaded(value, tuple(into.problems))


def _syntax_detail(exc: yaml.MarkedYAMLError, at: str) -> str:
    # PyYAML's English wording is kept in brackets: it names the exact token. libyaml words some
    # problems differently, so the character at the mark is looked at too.
    problem = (exc.problem or "").strip()
    if at == "\t" or "tab" in problem or "\\t" in problem:
        return "tabulation interdite"
    if "mapping values are not allowed" in problem:
        return "un « : » de trop — mettez le texte entre guillemets"
    if "could not find expected ':'" in problem:
        return "il manque « : » après une clé"
    if "unknown escape character" in problem or "expected escape sequence" in problem:
        return (
            "une barre oblique inverse « \\ » entre guillemets doubles (un chemin Windows ?) : écrivez la "
            "valeur entre guillemets simples ' … ', ou doublez chaque « \\ »"
        )
    if "quoted scalar" in (exc.context or ""):
        return "un guillemet ouvert ici n'est jamais refermé"
    for words, said in _PROBLEMS:
        if words in problem:
            return said
    return f"syntaxe : {problem}" if problem else "syntaxe"


# The parser's other common problems, in the author's words (its own are English).
_PROBLEMS = (
    (
        "did not find expected key",
        "ligne mal alignée, ou texte après un guillemet fermant : vérifiez le retrait de cette ligne et de la "
        "précédente, et gardez tout le texte entre ses guillemets",
    ),
    (
        "did not find expected ',' or ']'",
        "une liste entre crochets [ … ] n'est pas refermée, ou ses éléments ne sont pas séparés par des virgules",
    ),
    (
        "did not find expected ',' or '}'",
        "des champs entre accolades { … } ne sont pas refermés, ou pas séparés par des virgules",
    ),
    (
        "did not find expected '-' indicator",
        "élément de liste mal aligné : les « - » d'une même liste vont au même retrait",
    ),
    (
        "cannot start any token",
        "une valeur commence par un caractère réservé (« @ », « ` », « % »…) : mettez-la entre guillemets",
    ),
    ("block sequence entries are not allowed", "un « - » de liste là où une valeur est attendue : vérifiez le retrait"),
    ("did not find expected node content", "une valeur manque (une virgule, un crochet ou un tiret de trop ?)"),
    (
        "unexpected end of stream",
        "le fichier s'arrête au milieu d'une valeur (un guillemet ou un crochet jamais refermé ?)",
    ),
    ("expected <block end>", "retrait incohérent : cette ligne n'est alignée sur aucune des précédentes"),
)


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def _shown_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


# No content file nests values more than a few levels deep; a file nesting them hundreds of levels
# deep would exhaust Python's stack here (a traceback, not a located message).
MAX_YAML_DEPTH = 100


@dataclass(frozen=True, slots=True)
class _Into:
    """What converting one file's nodes shares: its path, the constructor, the problems found, and the
    nodes already converted (an alias is the very node it names: seen twice, it is refused, whatever
    the anchor looked like in the text, so that no alias is ever expanded)."""

    path: Path
    ctor: _Constructor
    problems: list[Problem]
    seen: set[int]


def _convert(node: yaml.Node, into: _Into, depth: int) -> Any:
    line = node.start_mark.line + 1
    if id(node) in into.seen:
        into.problems.append(load_msg.yaml_alias(SourceRef(into.path, line), "&"))
        return None
    into.seen.add(id(node))
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
        into.problems.append(load_msg.yaml_tag(SourceRef(into.path, line), _shown_tag(node.tag)))
        return None
    if not isinstance(node, yaml.ScalarNode) and depth > MAX_YAML_DEPTH:
        into.problems.append(load_msg.yaml_too_deep(SourceRef(into.path, line), MAX_YAML_DEPTH))
        return None
    if isinstance(node, yaml.MappingNode):
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if id(key_node) in into.seen:  # an aliased key
                into.problems.append(load_msg.yaml_alias(SourceRef(into.path, key_line), "&"))
                continue
            into.seen.add(id(key_node))
            key = _scalar(key_node, into.path, into.ctor, into.problems)
            key = "" if key is None else str(key)
            if key in lines:
                into.problems.append(load_msg.duplicate_key(SourceRef(into.path, key_line), key, lines[key]))
                continue
            values[key] = _convert(value_node, into, depth + 1)
            lines[key] = key_line
        return RawMap(SourceRef(into.path, line), values, lines)
    if isinstance(node, yaml.SequenceNode):
        items = tuple(_convert(item, into, depth + 1) for item in node.value)
        item_lines = tuple(item.start_mark.line + 1 for item in node.value)
        return RawList(SourceRef(into.path, line), items, item_lines)
    return _scalar(node, into.path, into.ctor, into.problems)


def _scalar(node: yaml.Node, path: Path, ctor: _Constructor, problems: list[Problem]) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        problems.append(
            fields_msg.wrong_value(
                SourceRef(path, node.start_mark.line + 1),
                "clé",
                "un mot simple comme clé",
                "liste ou tableau",
                "titre: ...",
            )
        )
        return None
    if node.tag == _STR:
        return node.value  # what the constructor returns for a string, without the detour
    try:
        return ctor.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        problems.append(load_msg.yaml_tag(SourceRef(path, node.start_mark.line + 1), _shown_tag(node.tag)))
        return None
    except ValueError:  # e.g. 2017-02-30 looks like a date but is not one: kept as written,
        return str(node.value)  # fields.Reader reports it under its own key (or accepts it as a text)


def _read_text(path: Path) -> tuple[str | None, Problem | None]:
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a pipe would be waited on for ever
            return None, missing(path, SourceRef(path), "")
        return path.read_text(encoding="utf-8"), None
    except UnicodeDecodeError as exc:  # e.g. saved as Windows-1252: say on which line
        line = exc.object[: exc.start].count(b"\n") + 1
        return None, load_msg.file_unreadable(SourceRef(path, line), f"octet {exc.start}")
    except OSError as exc:
        reason = load_msg.OS_REASONS.get(errno.errorcode.get(exc.errno or 0, ""), exc.strerror or str(exc))
        return None, load_msg.file_not_read(SourceRef(path), reason)


def missing(path: Path, src: SourceRef, field: str, name: str | None = None) -> Problem:
    """The problem of a file named at src that cannot be found at path; when the name is there but is no
    file (a link leading nowhere or in a loop, a folder, a pipe), what it is instead."""
    shown = name or path.name
    if not os.path.lexists(path):
        return load_msg.file_missing(src, field, shown)
    if path.is_symlink() and not path.exists():
        kind = "un lien qui ne mène à aucun fichier (sa cible a disparu, ou il renvoie à lui-même)"
    elif path.is_dir():
        kind = "un dossier"
    else:
        kind = "un fichier spécial du système (un tube ou un périphérique), pas un fichier texte"
    return load_msg.not_a_file(src, field, shown, kind)


def read_markdown(path: Path) -> Loaded:
    """Read a Markdown file as UTF-8. Absent: value None and no problem, the caller says where it was named."""
    if not path.is_file():
        return Loaded(None, ())
    text, problem = _read_text(path)
    if text is not None and (invisible := _invisible(path, text)):
        return Loaded(None, tuple(invisible))
    return Loaded(text, (problem,) if problem else ())
