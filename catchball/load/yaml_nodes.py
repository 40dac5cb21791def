"""Safe YAML parsing into a composed node tree, with positions.

We never construct Python objects from YAML: we compose nodes (libyaml
when available) and read them ourselves, so ids stay the text that was
written, duplicate keys can be seen, and no tag can run code. Faults come
back as ParseFault with the parser's own line and column (1-based).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

try:  # libyaml is several times faster; the pure-Python parser is the fallback.
    LOADER = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    LOADER = yaml.SafeLoader
_Loader = LOADER

TAG_PREFIX = "tag:yaml.org,2002:"
STR = TAG_PREFIX + "str"
INT = TAG_PREFIX + "int"
FLOAT = TAG_PREFIX + "float"
BOOL = TAG_PREFIX + "bool"
NULL = TAG_PREFIX + "null"
TIMESTAMP = TAG_PREFIX + "timestamp"
MAP = TAG_PREFIX + "map"
SEQ = TAG_PREFIX + "seq"
MERGE = TAG_PREFIX + "merge"
# The core schema: anything else (python/*, custom !tags, binary, set) is refused.
SAFE_TAGS = frozenset({STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, MAP, SEQ, MERGE})

ScalarNode = yaml.ScalarNode
MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode


@dataclass(frozen=True, slots=True)
class ParseFault:
    """Why a file could not be read as YAML, and where (1-based)."""

    message: str
    line: int
    column: int


def decode(raw: bytes) -> str | ParseFault:
    """UTF-8 text (a BOM is accepted and dropped), or the fault."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or _wide_ascii(raw[:2]):
        return ParseFault("file is UTF-16 or UTF-32, not UTF-8: save it as UTF-8", 1, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position_of(raw, exc.start)
        return ParseFault(f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x})", line, column)
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _position_of(raw, len(text[:nul].encode("utf-8")))
        return ParseFault("file holds a NUL byte: it is binary, not YAML text", line, column)
    hidden = _hidden_break(text)
    if hidden is not None:
        return hidden
    return text


# YAML 1.1 (libyaml) breaks lines at these too, but editors and code review
# show them inside a line: `title: Fine<U+2028>supports: [X]` reads as one line
# in a pull request and as two keys to the parser. What is reviewed must be
# what is checked, so they are refused, at the line an editor shows.
_HIDDEN_BREAKS = {"\x85": "U+0085 (next line)", "\u2028": "U+2028 (line separator)", "\u2029": "U+2029 (paragraph separator)"}
_LONE_CR = re.compile(r"\r(?!\n)")


def _hidden_break(text: str) -> ParseFault | None:
    found = [text.find(mark) for mark in _HIDDEN_BREAKS if mark in text]
    lone_cr = _LONE_CR.search(text) if "\r" in text else None
    if lone_cr is not None:
        found.append(lone_cr.start())
    if not found:
        return None
    at = min(found)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    if text[at] == "\r":
        message = (
            "file holds a carriage return without a line feed, which YAML reads as a line break but"
            " git and code review show inside a line: save the file with LF (or CRLF) line endings"
        )
    else:
        message = (
            f"file holds {_HIDDEN_BREAKS[text[at]]}, which YAML reads as a line break but editors and"
            " code review show inside a line: replace it with a space or a newline"
        )
    return ParseFault(message, line, column)


def _wide_ascii(head: bytes) -> bool:
    # UTF-16 or UTF-32 text without a BOM: an ASCII character next to a zero byte.
    return len(head) == 2 and head.count(0) == 1 and 0x09 <= max(head) < 0x7F


def _position_of(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def compose(text: str) -> yaml.Node | None | ParseFault:
    """The single document's node tree (None for an empty file), or the fault."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return _tab_explained(_within(_fault_from(exc), text), text)
    except yaml.YAMLError as exc:
        return ParseFault(_one_line(str(exc)), 1, 1)
    except RecursionError:
        return ParseFault("nesting is too deep to read", 1, 1)
    finally:
        loader.dispose()


def _fault_from(exc: yaml.MarkedYAMLError) -> ParseFault:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    if "expected a single document" in (exc.context or ""):
        problem = "the file holds more than one YAML document (`---`): keep one per file"
    elif exc.context:
        problem = f"{problem} ({exc.context})"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return ParseFault(_one_line(problem), line, column)


def _tab_explained(fault: ParseFault, text: str) -> ParseFault:
    """libyaml's words for a tab ("found character that cannot start any token")
    do not say what to do: say it is a tab, the most common cause."""
    lines = text.split("\n", fault.line)
    line = lines[fault.line - 1] if fault.line <= len(lines) else ""
    if "tab" not in fault.message and fault.column <= len(line) and line[fault.column - 1] == "\t":
        message = f"{fault.message}: a tab here; YAML indents with spaces only"
        return ParseFault(message, fault.line, fault.column)
    return fault


def _within(fault: ParseFault, text: str) -> ParseFault:
    """The fault, moved back into the file when the parser placed it past the end.

    At the end of the stream libyaml reports the line after the last one,
    which no editor or annotation can show: point just after the last
    character instead, where a cut-off file stops.
    """
    body = text.rstrip("\n")
    end_line = body.count("\n") + 1
    end_column = len(body) - (body.rfind("\n") + 1) + 1
    if (fault.line, fault.column) <= (end_line, end_column):
        return fault
    return ParseFault(fault.message, end_line, end_column)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def unsafe_tag(root: yaml.Node) -> yaml.Node | None:
    """The first node whose tag is outside the core schema, if any.

    Iterative, and each node is looked at once even when aliases share it.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag not in SAFE_TAGS:
            return node
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(value)
                stack.append(key)
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return None
