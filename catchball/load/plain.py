"""The one-pass reader: a clean goals file in plain YAML, straight to the model.

Almost every goals file is written in a small, regular part of YAML: the
four sections (`aims`, `teams`, `people`, `objectives`) and a file default
(`team` or `person`) at the top, each section a block list of mappings, one
`key: value` a line, plain or simply quoted scalars, ids in one-line flow
lists (`supports: [SURG-1, SURG-2]`) or block lists, and measures as a list
of mappings. This module reads exactly that part line by line and builds the
aims, teams, people and objectives as it goes, with no node tree: in about a
third of the time libyaml and reader.py take.

It reads only files that are clean, but for one fault: an unknown key with
a one-line value on an element (`rag: green`, `descripton: ...`), the
commonest fault of a goals file, which it reports (CB103) worded and placed
as the exact route words and places it (load/values.py). Anything else
makes it give up (NotPlain) and the exact route reads the file: libyaml's
node tree walked by reader.py, which reports every fault. So that no other
fault can ever be read here, the reader accepts only what the exact route
would read with no other finding:

- structure: each line at exactly the column of a collection it belongs to
  (else it is a continuation, an error, or something it does not know);
  no anchors, aliases, tags, block or multi-line scalars, flow mappings,
  escapes, tabs, a second document or any other YAML;
- keys: only those of the field tables (load/fields.py), each once, and on
  an element unknown words with a one-line value (CB103), at most
  MAX_UNKNOWN_KEYS in the file;
- values: each converted by the helpers the exact route uses
  (load/values.py), and refused where the exact route would report it (an
  id that is not valid, a status that is none of the statuses, a number
  that is none, a missing required field, an objective with two owners or
  none, a measure with no name...).

tests/test_parse_paths.py holds the two routes to the same FileGoals on
hand-picked, generated and real files, and tests/mutation/run_mutants.py
mutates this module to show those tests would see a change.
"""

from __future__ import annotations

import re
import sys

from catchball.findings import FindingCollector
from catchball.load import fields as F
from catchball.load import yaml_nodes as Y
from catchball.load.limits import MAX_UNKNOWN_KEYS
from catchball.load.values import (
    IMPLICIT_RESOLVERS, NOT_DECIMAL, as_date, as_number, intern_id, resolve_plain, typed, unknown_key_message,
)
from catchball.model import Aim, Measure, Objective, Person, Span, Team, builder
from catchball.spelling import Suggestions

NEW_AIM, NEW_TEAM, NEW_PERSON, NEW_OBJECTIVE, NEW_MEASURE, NEW_SPAN = map(
    builder, (Aim, Team, Person, Objective, Measure, Span)
)


class NotPlain(Exception):
    """The file is not a clean plain goals file: the exact route (libyaml) must read it."""


_ID_RE = re.compile(F.ID_PATTERN)

# -- scalars ----------------------------------------------------------------------

# The tags a plain scalar may have here. PyYAML's `=` (value) tag would be
# refused by the exact route's safe-tag check, and `<<` (merge) is left to it.
_PLAIN_TAGS = frozenset(Y.TAG_PREFIX + name for name in ("str", "null", "bool", "int", "float", "timestamp"))

# Most plain scalars start with a letter no resolver looks at: they are str
# at once. Short ones (numbers, dates, statuses, ids) repeat: remember them.
_NO_RESOLVER = frozenset(chr(c) for c in range(0x20, 0x7F) if chr(c) not in IMPLICIT_RESOLVERS)
_SHORT: dict[str, str] = {}
_SHORT_MAX = 50_000


def _tag_of(value: str) -> str:
    if value[0] in _NO_RESOLVER:
        return Y.STR
    tag = _SHORT.get(value)
    if tag is None:
        tag = resolve_plain(value)
        if len(value) <= 16 and len(_SHORT) < _SHORT_MAX:
            _SHORT[value] = tag
    return tag


# An id in a one-line flow list: plain, nothing YAML reads specially.
_FLOW_ITEM = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")
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


def _scalar(text: str) -> tuple[str, str]:
    """The tag and value of `text`, a one-line scalar (the rest of a line after `key: ` or `- `)."""
    first = text[0]
    if first == '"':
        end = text.find('"', 1)
        if end < 0 or "\\" in text[1:end]:
            raise NotPlain  # escapes, or a scalar that goes on to the next line
        _nothing_but_comment(text, end + 1)
        return Y.STR, text[1:end]
    if first == "'":
        match = _SINGLE_QUOTED.match(text)
        if match is None:
            raise NotPlain
        _nothing_but_comment(text, match.end())
        return Y.STR, match.group(1).replace("''", "'")
    if first in _PLAIN_START_BAD and not (first == "-" and text[1:2] in _AFTER_MINUS):
        raise NotPlain
    hash_at = text.find(" #")
    value = (text if hash_at < 0 else text[:hash_at]).rstrip(" ")
    if ": " in value or value[-1] == ":":
        raise NotPlain  # a mapping where a value should be: a YAML error
    tag = _tag_of(value)
    if tag not in _PLAIN_TAGS:
        raise NotPlain
    return tag, value


def _nothing_but_comment(text: str, at: int) -> None:
    rest = text[at:]
    tail = rest.lstrip(" ")
    if tail and not (tail[0] == "#" and len(tail) < len(rest)):
        raise NotPlain


def _field(spec: F.Field, tag: str, text: str):
    """The value of a scalar field as the exact route converts it; NotPlain where it would report it."""
    if tag == Y.NULL or text == "":
        return None  # absent
    kind = spec.kind
    if kind == F.TEXT:
        return text
    if kind == F.ID:
        if _ID_RE.fullmatch(text) is None:
            raise NotPlain
        return intern_id(text)
    if kind == F.CHOICE:
        if text not in spec.choices:
            raise NotPlain
        return spec.choices[spec.choices.index(text)]  # one shared string per choice
    if kind == F.NUMBER or kind == F.COUNT:
        number = typed(as_number, tag, text)
        if number is None or number is NOT_DECIMAL:
            raise NotPlain
        if kind == F.COUNT:
            if number != int(number) or number < 0:
                raise NotPlain
            return int(number)
        return number
    if kind == F.DATE:
        value = typed(as_date, tag, text)
        if value is None:
            raise NotPlain
        return value
    raise NotPlain  # a list of ids or of measures, or data: not a scalar field


def _ids(text: str) -> tuple[str, ...] | None:
    """`supports` written on its line: a flow list of ids, or one id (None when empty)."""
    if text[0] != "[":
        tag, value = _scalar(text)
        if tag == Y.NULL or value == "":
            return None
        if _ID_RE.fullmatch(value) is None:
            raise NotPlain
        return (intern_id(value),)
    end = text.find("]")
    if end < 0:
        raise NotPlain
    _nothing_but_comment(text, end + 1)
    inner = text[1:end]
    if not inner.strip(" "):
        return ()
    ids = []
    for part in inner.split(","):
        item = part.strip(" ")
        if not _FLOW_ITEM.match(item):
            raise NotPlain  # an empty entry, quotes, spaces, a nested flow...
        tag = _tag_of(item)
        if tag not in _PLAIN_TAGS:
            raise NotPlain
        if tag != Y.NULL:  # `[A, null]`: the null entry is no id
            ids.append(intern_id(item))
    return tuple(ids)


# -- elements ---------------------------------------------------------------------


def _measure(values: dict, span: Span) -> Measure:
    name = values.get("name")
    if name is None:
        raise NotPlain  # no `name`: CB102
    baseline, target, direction = values.get("baseline"), values.get("target"), values.get("direction")
    if direction is None and baseline is not None and baseline == target:
        raise NotPlain  # no way to tell better from worse: CB102
    data_span, data_file = values.get("data", (None, None))
    return NEW_MEASURE(
        name=name, span=span, unit=values.get("unit"), baseline=baseline, target=target, by=values.get("by"),
        direction=direction, id=values.get("id"), data_file=data_file, data_span=data_span,
    )


def _aim(v: dict, span: Span) -> Aim:
    return NEW_AIM(
        id=v["id"], title=v["title"], span=span, dimension=v.get("dimension"), owner=v.get("owner"),
        description=v.get("description"), status=v.get("status") or "active", measures=v.get("measures") or (),
    )


def _team(v: dict, span: Span) -> Team:
    return NEW_TEAM(
        id=v["id"], name=v["name"], span=span, parent=v.get("parent"), lead=v.get("lead"),
        headcount=v.get("headcount"), description=v.get("description"),
    )


def _person(v: dict, span: Span) -> Person:
    return NEW_PERSON(
        id=v["id"], name=v["name"], span=span, team=v["team"], role=v.get("role"),
        improvement_level=v.get("improvement-level"),
    )


def _objectives(written: list, defaults: dict) -> list[Objective]:
    default_team, default_person = defaults.get("team"), defaults.get("person")
    if default_team is not None and default_person is not None:
        raise NotPlain  # a file may set one default owner: CB102
    objectives = []
    for v, span in written:
        team, person = v.get("team"), v.get("person")
        if team is None and person is None:
            team, person = default_team, default_person
            if team is None and person is None:
                raise NotPlain  # no owner: CB102
        elif team is not None and person is not None:
            raise NotPlain  # two owners: CB102
        objectives.append(
            NEW_OBJECTIVE(
                id=v["id"], title=v["title"], span=span, team=team, person=person,
                supports=v.get("supports") or (), owner=v.get("owner"), due=v.get("due"),
                status=v.get("status") or "agreed", measures=v.get("measures") or (),
                description=v.get("description"),
            )
        )
    return objectives


# -- the file ---------------------------------------------------------------------
#
# One pass over the lines, with the open collections as plain variables, not
# a stack: the goals format nests at most five deep (the file, a section's
# list, an element, its list of measures or ids, a measure). A line closes
# every collection it is left of and must then land exactly on the column of
# an open one: a key on a mapping's, a dash on a list's. A list under a key
# may start at the key's own column (a compact list, `measures:` then
# `- name: x` below it). A dash that opens a mapping (`- id: X`) is read as
# that mapping's first key.

# A value starting with one of these, with no comment, colon or trailing
# space in it, is plain text as written (no resolver looks at its first
# character): the commonest value by far, read with no call.
_TEXT_START = _NO_RESOLVER - _PLAIN_START_BAD - {" "}
_REQUIRED = {
    section: tuple(key for key, spec in table.items() if spec.required) for section, table in F.SECTIONS.items()
}
_ELEMENT, _MEASURE = 1, 2
# Numbers and dates repeat (the same targets and due dates in file after
# file): each (kind, text as written) is read once. Only values read without
# fault are kept, so a hit needs no check.
_READ_BEFORE: dict[tuple[str, str], object] = {}
_READ_BEFORE_MAX = 50_000
_REMEMBERED_KINDS = frozenset((F.NUMBER, F.COUNT, F.DATE))
# Unknown keys read here: a word such as a typo or a column of the team's own
# (`rag`, `priority`), stored in the element's values under a key no field has.
_KEY_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
_UNKNOWN = 0
_UNKNOWN_MAX = 20  # per element; more, and the exact route reads the file (its limit is per file)


def read_plain(text: str, file: str) -> tuple[list, list, list, list, list]:
    """The aims, teams, people and objectives of a clean plain goals file, and its findings.

    The only findings are CB103, for unknown keys with a one-line value on
    an element. Raises NotPlain for anything else: the exact route must read
    the file.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _UNUSUAL.search(text) is not None:
        raise NotPlain
    out: dict[str, list] = {"aims": [], "teams": [], "people": [], "objectives": []}
    defaults: dict = {}
    seen: set[str] = set()  # the top-level keys so far
    fields: dict = {}  # the open section's field table...
    required: tuple = ()  # ...its required keys...
    section: list | None = None  # ...and its elements so far
    dash_column = -1  # the column of its dashes (-1 before the first)
    element: dict | None = None  # the open element's values
    element_span = None
    key_column = -1  # the column of its keys
    sub = None  # `measures` or `supports` while its block list is open under the element
    sub_items: list = []
    sub_column = -1  # the column of that list's dashes (-1 before the first)
    measure: dict | None = None  # the open measure's values
    measure_span = None
    measure_column = -1
    TEXT, ID, CHOICE = F.TEXT, F.ID, F.CHOICE
    lines = text.split("\n")
    for start, line in enumerate(lines):
        if line.strip(" ")[:1] not in ("", "#"):
            if line.rstrip(" ") == "---":
                lines[start] = ""  # the document's start (its line is still counted)
            break
    for number, line in enumerate(lines, 1):
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":
            continue
        column = len(line) - len(stripped)
        dash = stripped[0] == "-" and (len(stripped) == 1 or stripped[1] == " ")
        into = 0  # the mapping this line is a key of

        if measure is not None:
            if column == measure_column and not dash:
                into = _MEASURE
            else:
                sub_items.append(_measure(measure, measure_span))
                measure = None

        if not into and sub is not None:
            if dash and (column == sub_column or (sub_column < 0 and column >= key_column)):
                sub_column = column
                content = stripped[1:].lstrip(" ")
                if not content or content[0] == "#":
                    raise NotPlain  # `-` with its entry below, or a null entry
                if sub == "supports":
                    tag, value = _scalar(content)
                    if tag != Y.NULL and value != "":
                        if _ID_RE.fullmatch(value) is None:
                            raise NotPlain
                        sub_items.append(intern_id(value))
                    continue
                measure, measure_column = {}, column + len(stripped) - len(content)
                measure_span = NEW_SPAN(file, number, measure_column + 1)
                stripped, column, into = content, measure_column, _MEASURE
            else:
                if sub_column < 0:
                    raise NotPlain  # `measures:` or `supports:` with no list below it
                element[sub] = tuple(sub_items)
                sub = None

        if not into and element is not None:
            if column == key_column and not dash:
                into = _ELEMENT
            else:
                for key in required:
                    if element.get(key) is None:
                        raise NotPlain  # a required field missing or empty: CB102
                section.append((element, element_span))
                element = None

        if not into and section is not None:
            if dash and (column == dash_column or dash_column < 0):
                dash_column = column
                content = stripped[1:].lstrip(" ")
                if not content or content[0] == "#":
                    raise NotPlain  # `-` with its entry below, or a null entry
                element, key_column = {}, column + len(stripped) - len(content)
                element_span = NEW_SPAN(file, number, key_column + 1)
                stripped, column, into = content, key_column, _ELEMENT
            else:
                if dash_column < 0:
                    raise NotPlain  # a section with no list below it
                section = None

        # `key: value`, `key:` or `key: # comment`
        key, colon, rest = stripped.partition(":")
        if not colon or (rest and rest[0] != " "):
            raise NotPlain  # a scalar where a key should be
        value = rest.lstrip(" ")
        if value and value[0] == "#":
            value = ""

        if not into:
            if column != 0 or dash or key in seen:
                raise NotPlain  # text left of its collection, a list at the top, a key given twice (CB105)
            seen.add(key)
            if key in F.SECTIONS:
                if value:
                    raise NotPlain  # `aims: []`, `aims: x`...
                fields, required, section, dash_column = F.SECTIONS[key], _REQUIRED[key], out[key], -1
            elif key in F.FILE_DEFAULTS and value:
                defaults[key] = _field(F.FILE_DEFAULTS[key], *_scalar(value))
            else:
                raise NotPlain  # an unknown key (CB103), or a default with its value below
            continue

        values = element if into == _ELEMENT else measure
        spec = fields.get(key) if into == _ELEMENT else F.MEASURE_FIELDS.get(key)
        if spec is None:
            # An unknown key of an element with a one-line value (`rag: green`, a
            # typo): CB103, the one finding read here. Anything else is the exact route's.
            if into != _ELEMENT or not value or _KEY_WORD.fullmatch(key) is None:
                raise NotPlain
            # A value the exact route reads without a fault, and then ignores: one
            # line of text, or a flow list of ids (`suports: [SURG-1]`, a typo).
            _ids(value) if value[0] == "[" else _scalar(value)
            unknown = element.setdefault(_UNKNOWN, [])
            if key in unknown or len(unknown) >= _UNKNOWN_MAX:
                raise NotPlain  # given twice (CB105), or a file of stray keys
            unknown.append(key)
            continue
        if key in values:
            raise NotPlain  # a key given twice (CB105)
        kind = spec.kind
        if value and value[0] in _TEXT_START and value[-1] not in ": " and " #" not in value and ": " not in value:
            # plain text, as written: the commonest value
            if kind == TEXT:
                values[key] = value
                continue
            if kind == ID:
                if _ID_RE.fullmatch(value) is None:
                    raise NotPlain
                values[key] = intern_id(value)
                continue
            if kind == CHOICE:
                if value not in spec.choices:
                    raise NotPlain
                values[key] = spec.choices[spec.choices.index(value)]
                continue
        if kind in _REMEMBERED_KINDS and value:
            remembered = (kind, value)
            read = _READ_BEFORE.get(remembered)
            if read is None:
                read = _field(spec, *_scalar(value))
                if read is not None and len(value) <= 40 and len(_READ_BEFORE) < _READ_BEFORE_MAX:
                    _READ_BEFORE[remembered] = read
            values[key] = read
            continue
        if into == _MEASURE:
            _measure_key(measure, key, spec, value, file, number, column)
            continue
        if not value:
            if kind == F.MEASURES or kind == F.ID_LIST:
                element[key] = None  # taken: filled in when the list ends
                sub, sub_items, sub_column = key, [], -1
                continue
            raise NotPlain  # nothing after the key: null, or a value on the lines below
        if kind == F.ID_LIST:
            element[key] = _ids(value)
        elif kind == F.MEASURES:
            raise NotPlain  # a flow list or a scalar
        else:
            element[key] = _field(spec, *_scalar(value))

    if measure is not None:
        sub_items.append(_measure(measure, measure_span))
    if sub is not None:
        if sub_column < 0:
            raise NotPlain
        element[sub] = tuple(sub_items)
    if element is not None:
        for key in required:
            if element.get(key) is None:
                raise NotPlain
        section.append((element, element_span))
    if section is not None and dash_column < 0:
        raise NotPlain
    if not seen:
        raise NotPlain  # empty, or comments only: rare, and libyaml's answer is the reference
    return (
        [_aim(v, span) for v, span in out["aims"]],
        [_team(v, span) for v, span in out["teams"]],
        [_person(v, span) for v, span in out["people"]],
        _objectives(out["objectives"], defaults),
        _unknown_keys(out),
    )


def _unknown_keys(out: dict) -> list:
    """CB103 for the unknown keys of each element, as the exact route words, places and orders them.

    The exact route reads the sections in the order of F.SECTIONS whatever
    the order they are written in, and each section's elements in order.
    """
    collector, count = FindingCollector(), 0
    for section, known in F.SECTIONS.items():
        noun = F.ELEMENT_NOUN[section]
        suggestions = None  # one index a section, as the exact route keeps one for each table of keys
        for values, span in out[section]:
            unknown = values.get(_UNKNOWN)
            if not unknown:
                continue
            count += len(unknown)
            if count > MAX_UNKNOWN_KEYS:
                raise NotPlain  # the exact route lists the first ones and counts the rest
            suggestions = suggestions or Suggestions(known)
            element_id = values["id"]
            for key in unknown:
                message = unknown_key_message(key, f"in {noun} {element_id}", known, suggestions.hint(key))
                collector.add("CB103", message, element_id, span, noun)
    return collector.findings() if count else []


def _measure_key(measure: dict, key: str, spec: F.Field, value: str, file: str, number: int, column: int) -> None:
    if not value:
        raise NotPlain  # with its value below (inline data points), or none
    tag, text = _scalar(value)
    if spec.kind == F.DATA:
        if tag != Y.STR or text == "":
            raise NotPlain  # not a CSV path (CB601), or empty
        # Interned: the measures of a team file usually name one CSV (as the exact route does).
        measure[key] = (NEW_SPAN(file, number, column + 1), sys.intern(text))
    else:
        measure[key] = _field(spec, tag, text)
