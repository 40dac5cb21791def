"""Findings: frozen values that say what is wrong and where."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from catchball.model import Span
from catchball.rules.catalog import CODES

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_STYLE = {ERROR: "bold red", WARNING: "yellow", INFO: "cyan"}  # rich styles, in every terminal output

# What a finding is about: the kind of element its `id` names, or the file
# itself (a finding without an id). One id can name a team, a person and an
# objective at once, so views and the report go by the kind, never by the id
# alone. A measure's finding carries the id of its aim or objective.
AIM = "aim"
OBJECTIVE = "objective"
TEAM = "team"
PERSON = "person"
MEASURE = "measure"
FILE = "file"
KINDS = (AIM, OBJECTIVE, TEAM, PERSON, MEASURE, FILE)
_ELEMENT_KINDS = frozenset(KINDS[:-1])  # what a finding with an id may be about


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: str
    message: str
    id: str | None
    file: str | None
    line: int | None
    column: int | None
    kind: str | None = None  # one of KINDS; None for a finding about the whole repository
    people: tuple[str, ...] = ()  # people the message names (directly, or as owners of individual objectives)

    def where(self) -> str | None:
        """`file:line:column` as the text outputs print it; None for a finding with no file."""
        return f"{self.file}:{self.line}:{self.column}" if self.file is not None else None

    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.column or 0, self.code, self.id or "", self.message)


def finding_record(f: Finding) -> dict:
    """A finding as plain data, keys in the spec's order (the JSON format, trace and the report)."""
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "id": f.id,
        "file": f.file,
        "line": f.line,
        "column": f.column,
    }


# Control characters from the goals (YAML escapes such as "\e[8m" in a key)
# would reach terminals and CI logs raw, where they can recolour or hide
# text: they are shown as \x1b instead. So are Unicode's invisible format
# characters (category Cf): bidi overrides (U+202E makes `txt.exe` read
# `exe.txt`), zero-width spaces and joiners, which make "unknown key `owner`
# (did you mean `owner`?)". Line breaks and tabs stay; each format deals
# with those.
FORMAT_CHARACTERS = _FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)  # Unicode 15's Cf characters (tests/test_hostile_round2.py checks them against unicodedata)
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_FORMAT}]")


def escape_character(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """`text` with control and invisible format characters (not line breaks and tabs) written as \\xNN, \\uNNNN."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(escape_character, text)


# Text shown on one line (a finding in the text format, a line of the
# cascade): a line break written with a YAML escape would break the layout
# or fake a line of its own, so breaks and tabs become a space.
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_FORMAT}]")


def one_line(text: str) -> str:
    """`text` on one line: line breaks and tabs become a space, other control characters \\xNN.

    A line break in an id or a title would start a new line of a CI log,
    and a log line that starts with `::error::` is a GitHub workflow command:
    text from the goals must never begin a line there.
    """
    if text.isprintable() or _UNSAFE.search(text) is None:  # isprintable: no control, format or break character (fast)
        return text
    return visible(_BREAKS.sub(" ", text))


def new_finding(
    code: str, message: str, element_id: str | None, span: Span | None, kind: str | None = None, people=()
) -> Finding:
    """A finding of `code` at its default severity, placed at `span`.

    `kind` says what `element_id` names (required with an id); without an id
    the finding is about its file, or, with no span either, the repository.
    `people` are the ids of the people the message names.
    """
    name, severity = CODES[code]
    if not message.isprintable():  # isprintable (in C): no control or format character, the usual case
        message = visible(message)
    if element_id is None:
        kind = FILE if span is not None else None
    elif kind not in _ELEMENT_KINDS:
        raise ValueError(f"{code}: a finding about {element_id!r} needs the kind of element, not {kind!r}")
    if kind == PERSON:
        people = tuple(dict.fromkeys((element_id, *people)))
    elif people:
        people = tuple(dict.fromkeys(people))
    else:
        people = ()
    if span is None:
        return Finding(code, name, severity, message, element_id, None, None, None, kind, people)
    return Finding(code, name, severity, message, element_id, span.file, span.line, span.column, kind, people)


class FindingCollector:
    """Gathers findings, merging several faults of one code on one element.

    The spec asks for one finding per element and code whose message names
    every fault; faults are joined with "; " in the order they were met.
    """

    def __init__(self) -> None:
        # Keyed by (code, id, file, line, column, kind): plain tuples hash several
        # times faster than a Span. The messages are kept as dict keys: ordered,
        # and a repeat is found in O(1) (an objective may name 100,000 dangling
        # ids in one hostile file).
        self._by_key: dict[tuple, dict[str, None]] = {}
        self._people: dict[tuple, dict[str, None]] = {}
        # A finding given whole (extend) while it is the only one for its key: it is
        # what findings() would make again, so it is reported as it is (most are).
        self._alone: dict[tuple, Finding] = {}

    def add(
        self, code: str, message: str, element_id: str | None, span: Span | None, kind: str | None = None, people=()
    ) -> None:
        # Keyed as new_finding makes a finding, so that a fault added here and the
        # same fault given as a finding (extend) are one: its kind, its message shown.
        if element_id is None:  # about its file, or the repository
            kind = FILE if span is not None else None
        if not message.isprintable():
            message = visible(message)
        key = (code, element_id, None, None, None, kind) if span is None else \
            (code, element_id, span.file, span.line, span.column, kind)
        self._add(key, message, people)

    def _add(self, key: tuple, message: str, people) -> None:
        messages = self._by_key.get(key)
        if messages is None:
            self._by_key[key] = {message: None}
        else:
            messages.setdefault(message)
            self._alone.pop(key, None)
        if people:
            self._people.setdefault(key, {}).update(dict.fromkeys(people))
            self._alone.pop(key, None)

    def extend(self, findings: Iterable[Finding]) -> None:
        by_key, alone = self._by_key, self._alone
        for f in findings:
            key = (f.code, f.id, f.file, f.line, f.column, f.kind)
            # At its code's own name and severity, as new_finding made it (a finding
            # read back from a kept state may carry catchball.yaml's severity).
            if key not in by_key and CODES[f.code] == (f.name, f.severity):
                by_key[key] = {f.message: None}
                alone[key] = f
                if f.people:
                    self._people[key] = dict.fromkeys(f.people)
            else:
                self._add(key, f.message, f.people)

    def findings(self) -> list[Finding]:
        found = []
        alone = self._alone
        for key, messages in self._by_key.items():
            given = alone.get(key)
            if given is not None:
                found.append(given)
                continue
            code, element_id, file, line, column, kind = key
            span = Span(file, line, column) if file is not None else None
            found.append(new_finding(code, "; ".join(messages), element_id, span, kind, self._people.get(key, ())))
        return found
