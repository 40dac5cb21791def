"""A fast reader for plain goals files, with libyaml as the judge of the rest.

Almost every goals file is written in a small, regular part of YAML: block
mappings and sequences, one `key: value` per line, plain or simply quoted
scalars and one-line flow lists of ids (`supports: [SURG-1, SURG-2]`). This
module reads exactly that part, line by line, in about 40% of the time
libyaml's composer and the safe-tag walk take, and builds the same node
tree: the same values as written, the same tags (PyYAML's own YAML 1.1
resolver), the same 0-based marks. It is a recogniser, not a YAML parser: the moment a file holds
anything else (an anchor, alias, tag or merge key, a block or multi-line
scalar, a flow mapping, an escape, a tab or a lone CR, a second document, a line it cannot
place, anything that would be a YAML error) it gives up and the caller
composes the file with libyaml instead. Nothing it accepts is read
differently from libyaml; tests/test_parse_paths.py holds the two to that
on the example goals, the tests' repositories, generated repositories and
generated YAML.

Because only plain scalars and maps and lists come out of it, the node tree
it returns has no tags outside the core schema and no aliases, and it nests
no deeper than MAX_DEPTH (deeper text is left to libyaml and the nesting
guard).
"""

from __future__ import annotations

import re

import yaml

from catchball.load.limits import MAX_DEPTH

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class NotPlain(Exception):
    """The text holds something outside the plain part: compose it with libyaml."""


# -- nodes ----------------------------------------------------------------------
#
# Light nodes with the attributes the reader uses on PyYAML's (tag, value,
# start_mark.line, start_mark.column, 0-based): a node is its own mark, so one
# object per node instead of three. PLAIN_SCALAR, PLAIN_MAPPING and
# PLAIN_SEQUENCE pair each with PyYAML's class for isinstance checks.


class PlainScalar:
    __slots__ = ("tag", "value", "line", "column", "style")

    def __init__(self, tag: str, value: str, line: int, column: int, style: str | None = None) -> None:
        self.tag = tag
        self.value = value
        self.line = line
        self.column = column
        self.style = style

    @property
    def start_mark(self):
        return self


class PlainMapping:
    __slots__ = ("value", "line", "column")
    tag = _MAP
    flow_style = False

    def __init__(self, line: int, column: int) -> None:
        self.value = []
        self.line = line
        self.column = column

    @property
    def start_mark(self):
        return self


class PlainSequence:
    __slots__ = ("value", "line", "column", "flow_style")
    tag = _SEQ

    def __init__(self, line: int, column: int, flow: bool = False) -> None:
        self.value = []
        self.line = line
        self.column = column
        self.flow_style = flow

    @property
    def start_mark(self):
        return self


SCALAR_NODES = (yaml.ScalarNode, PlainScalar)
MAPPING_NODES = (yaml.MappingNode, PlainMapping)
SEQUENCE_NODES = (yaml.SequenceNode, PlainSequence)


# -- scalars ----------------------------------------------------------------------

# PyYAML's implicit resolvers (the ones SafeLoader and CSafeLoader use), by
# first character, exactly as yaml.resolver.BaseResolver.resolve looks them up.
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_EMPTY: list = []


def resolve_plain(value: str) -> str:
    """The tag PyYAML gives a plain scalar: null, bool, int, float, timestamp, merge or str."""
    resolvers = _RESOLVERS.get(value[0] if value else "", _EMPTY) + _RESOLVERS.get(None, _EMPTY)
    for tag, regexp in resolvers:
        if regexp.match(value):
            return tag
    return _STR


# Most plain scalars start with a letter no resolver looks at: they are str
# at once. Short ones (numbers, dates, statuses, ids) repeat: remember them.
_NO_RESOLVER = frozenset(
    chr(c) for c in range(0x20, 0x7F) if chr(c) not in _RESOLVERS
) if None not in _RESOLVERS else frozenset()
_SHORT: dict[str, str] = {}
_SHORT_MAX = 50_000


def _tag_of(value: str) -> str:
    if value[0] in _NO_RESOLVER:
        return _STR
    tag = _SHORT.get(value)
    if tag is None:
        tag = resolve_plain(value)
        if len(value) <= 16 and len(_SHORT) < _SHORT_MAX:
            _SHORT[value] = tag
    return tag


# The tags a plain scalar may resolve to here; `=` (PyYAML's "value" tag) is
# left to the safe-tag check of the libyaml route.
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "null", "bool", "int", "float", "timestamp", "merge")
)
# A key: plain, no spaces, nothing YAML reads specially (`<<`, `?`, `&`, quotes).
_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")
# An id in a one-line flow list.
_FLOW_ITEM = _KEY
# A plain scalar may not start with an indicator; `-` is allowed before a
# digit or a dot (negative numbers). Anything else starting with `-`, `?` or
# `:` is left to libyaml.
_PLAIN_START_BAD = frozenset("-?:,[]{}#&*!|>'\"%@`")
_AFTER_MINUS = frozenset("0123456789.")
# Characters the plain part never holds; any of them sends the file to libyaml
# (which may accept it, or report it): tabs, CR, NEL, line and paragraph
# separators, BOMs, and everything PyYAML calls non-printable.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")


def _value(text: str, line: int, column: int):
    """The node for `text`, the rest of a line after `key: ` or `- ` (at `column`)."""
    first = text[0]
    if first == "[":
        return _flow_list(text, line, column)
    if first == '"':
        end = text.find('"', 1)
        if end < 0 or "\\" in text[1:end]:
            raise NotPlain  # escapes, or a scalar that goes on to the next line
        _nothing_but_comment(text, end + 1)
        return PlainScalar(_STR, text[1:end], line, column, '"')
    if first == "'":
        match = _SINGLE_QUOTED.match(text)
        if match is None:
            raise NotPlain
        _nothing_but_comment(text, match.end())
        return PlainScalar(_STR, match.group(1).replace("''", "'"), line, column, "'")
    if first in _PLAIN_START_BAD and not (first == "-" and text[1:2] in _AFTER_MINUS):
        raise NotPlain
    hash_at = text.find(" #")
    value = (text if hash_at < 0 else text[:hash_at]).rstrip(" ")
    if ": " in value or value[-1] == ":":
        raise NotPlain  # a mapping where a value should be: a YAML error
    tag = _tag_of(value) if value else _NULL
    if tag not in _PLAIN_TAGS:
        raise NotPlain
    return PlainScalar(tag, value, line, column)


def _nothing_but_comment(text: str, at: int) -> None:
    rest = text[at:]
    tail = rest.lstrip(" ")
    if tail and not (tail[0] == "#" and len(tail) < len(rest)):
        raise NotPlain


def _flow_list(text: str, line: int, column: int) -> PlainSequence:
    """A one-line flow list of ids: `[A, B]`."""
    end = text.find("]")
    if end < 0:
        raise NotPlain
    _nothing_but_comment(text, end + 1)
    node = PlainSequence(line, column, flow=True)
    inner = text[1:end]
    if not inner.strip(" "):
        return node
    items = node.value
    at = column + 1
    for part in inner.split(","):
        item = part.strip(" ")
        if not _FLOW_ITEM.match(item):
            raise NotPlain  # an empty entry, quotes, spaces, a nested flow...
        tag = _tag_of(item)
        if tag not in _PLAIN_TAGS:
            raise NotPlain
        items.append(PlainScalar(tag, item, line, at + len(part) - len(part.lstrip(" "))))
        at += len(part) + 1
    return node


# -- lines and structure ---------------------------------------------------------
#
# One pass over the lines with a stack of the open collections (column,
# node). Block structure is all indentation here: a line closes every
# collection deeper than itself and must then land exactly on an open one (a
# key on a mapping, a dash on a list); a compact list (`key:` then `- x` at
# the key's column) shares its mapping's column.

_KEYS: dict[str, str] = {}  # keys met so far (they repeat: id, title...) -> their tag
_KEYS_MAX = 10_000


# libyaml (and PyYAML's own scanner) refuses an implicit key longer than
# this ("could not find expected ':'"): such a key must take the same route.
MAX_IMPLICIT_KEY = 1024


def _key_tag(key: str) -> str:
    tag = _KEYS.get(key)
    if tag is None:
        if not _KEY.match(key) or len(key) > MAX_IMPLICIT_KEY:
            raise NotPlain  # quoted keys, spaces, `<<`, `? `, a key libyaml refuses...
        tag = _tag_of(key)
        if len(_KEYS) < _KEYS_MAX:
            _KEYS[key] = tag
    return tag


def _document_marker(stripped: str) -> bool:
    if stripped[0] == "%":
        return True
    return stripped[:3] in ("---", "...") and (len(stripped) == 3 or stripped[3] == " ")


def compose_plain(text: str):
    """The node tree of a plain `text`. Raises NotPlain when libyaml must read it."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _UNUSUAL.search(text) is not None:
        raise NotPlain
    root = None
    columns: list[int] = []  # the open collections, outermost first
    nodes: list = []
    pending = None  # (key node, its mapping's pairs, the mapping's column): `key:` with nothing after it yet
    started = False
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":
            continue
        column = len(line) - len(stripped)
        first = stripped[0]
        if column == 0 and first in "-.%" and _document_marker(stripped):
            if started or stripped.rstrip(" ") != "---":
                raise NotPlain  # a second document, an end marker, a directive
            started = True
            continue
        started = True
        dash = first == "-" and (len(stripped) == 1 or stripped[1] == " ")

        if pending is not None:
            key_node, pairs, map_column = pending
            pending = None
            if column > map_column or (column == map_column and dash):
                # The value of `key:` is the collection that starts on this line.
                node = PlainSequence(number, column) if dash else PlainMapping(number, column)
                pairs.append((key_node, node))
                columns.append(column)
                nodes.append(node)
                if len(columns) > MAX_DEPTH:
                    raise NotPlain
            else:
                pairs.append((key_node, PlainScalar(_NULL, "", key_node.line, map_column + len(key_node.value) + 1)))
        if root is None:
            root = PlainSequence(number, column) if dash else PlainMapping(number, column)
            columns.append(column)
            nodes.append(root)
        while columns[-1] > column:
            columns.pop()
            nodes.pop()
            if not columns:
                raise NotPlain  # text after the root collection ended
        if columns[-1] != column:
            raise NotPlain  # deeper than the collection it follows: a continued scalar, or an error
        top = nodes[-1]

        if dash:
            if top.__class__ is not PlainSequence:
                raise NotPlain
            content = stripped[1:].lstrip(" ")
            if not content:
                raise NotPlain  # `-` with its entry below (`- # c` and `- - x` are refused as the entry is read)
            column += len(stripped) - len(content)
            stripped = content
            key, colon, rest = stripped.partition(":")
            if not (colon and (not rest or rest[0] == " ")):
                top.value.append(_value(stripped, number, column))
                continue
            item = PlainMapping(number, column)
            top.value.append(item)
            columns.append(column)
            nodes.append(item)
            if len(columns) > MAX_DEPTH:
                raise NotPlain
            top = item
        else:
            if top.__class__ is not PlainMapping:
                # a key at a compact list's column ends the list
                if len(columns) > 1 and columns[-2] == column and nodes[-2].__class__ is PlainMapping:
                    columns.pop()
                    nodes.pop()
                    top = nodes[-1]
                else:
                    raise NotPlain
            key, colon, rest = stripped.partition(":")
            if not (colon and (not rest or rest[0] == " ")):
                raise NotPlain  # a scalar where a key should be

        key_node = PlainScalar(_key_tag(key), key, number, column)
        value = rest.lstrip(" ")
        if not value or value[0] == "#":
            pending = (key_node, top.value, column)
            continue
        value_column = column + len(key) + 1 + len(rest) - len(value)
        if value[0] in _PLAIN_START_BAD:  # quotes and `[` are among them: `_value` reads those or gives up
            top.value.append((key_node, _value(value, number, value_column)))
            continue
        hash_at = value.find(" #")
        if hash_at >= 0:
            value = value[:hash_at]
        value = value.rstrip(" ")
        if ": " in value or value[-1] == ":":
            raise NotPlain  # a mapping where a value should be: a YAML error
        if value[0] in _NO_RESOLVER:
            tag = _STR
        else:
            tag = _tag_of(value)
            if tag not in _PLAIN_TAGS:
                raise NotPlain
        top.value.append((key_node, PlainScalar(tag, value, number, value_column)))
    if pending is not None:
        key_node, pairs, map_column = pending
        pairs.append((key_node, PlainScalar(_NULL, "", key_node.line, map_column + len(key_node.value) + 1)))
    if root is None:
        raise NotPlain  # empty, or comments only: rare, and libyaml's answer is the reference
    return root
