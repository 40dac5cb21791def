"""One goals file: bytes -> model elements and findings.

Two routes: the one-pass reader (plain.py) for clean files in the plain
part of YAML, and otherwise the exact route, libyaml's node tree read here,
which reports every fault. Both give the same FileGoals for every file the
one-pass reader accepts (tests/test_parse_paths.py).

Pure and self-contained per file (bytes in, records out), so files can be
read in any order or in parallel and merged afterwards in read order.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field

import yaml

from catchball.findings import MEASURE, Finding, FindingCollector
from catchball.load import fields as F
from catchball.load import series as S
from catchball.load import yaml_nodes as Y
from catchball.load.limits import ALIAS_ALLOWANCE, MAX_DEPTH, MAX_UNKNOWN_KEYS
from catchball.load.nesting import nesting_fault
from catchball.load.plain import NotPlain, read_plain
from catchball.load.values import (
    NOT_DECIMAL, as_date, as_number, intern_id, not_decimal_kind, resolve_plain, typed, unknown_key_message,
)
from catchball.spelling import Suggestions
from catchball.model import Aim, Measure, Objective, Person, Span, Team, builder

# The reader makes every element and span of the goals: built by model.builder,
# the same frozen values at a fifth of the cost.
NEW_AIM, NEW_TEAM, NEW_PERSON, NEW_OBJECTIVE, NEW_MEASURE, NEW_SPAN = map(
    builder, (Aim, Team, Person, Objective, Measure, Span)
)

_ID_RE = re.compile(F.ID_PATTERN)
_SCALAR, _MAPPING, _SEQUENCE = Y.ScalarNode, Y.MappingNode, Y.SequenceNode


class AliasBomb(Exception):
    """Expanding aliases would visit far more nodes than the file holds."""


class BadMerge(Exception):
    """A merge key (`<<`) includes the mapping it is in, or merges nest too deep to follow."""

    def __init__(self, message: str, node) -> None:
        super().__init__(message)
        self.node = node


@dataclass(slots=True)
class FileGoals:
    """What one file holds, in file order."""

    file: str
    aims: list[Aim] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def read_goals_file(raw: bytes, display_path: str, *, fast: bool = True) -> FileGoals:
    """Read one goals file's bytes; every fault becomes a finding.

    `fast` False skips the one-pass reader (the tests compare the routes).
    """
    result = FileGoals(display_path)
    text = Y.decode(raw)
    if isinstance(text, Y.ParseFault):
        result.findings.append(_invalid_yaml(text, display_path))
        return result
    if fast:
        # Most files are clean plain YAML, which plain.py reads straight into
        # the model in a fraction of libyaml's time; it refuses everything else.
        try:
            result.aims, result.teams, result.people, result.objectives, result.findings = read_plain(text, display_path)
            return result
        except NotPlain:
            pass
    # Depth is bounded before composing: libyaml's composer recurses in C.
    root = nesting_fault(text) or Y.compose(text)
    if isinstance(root, Y.ParseFault):
        result.findings.append(_invalid_yaml(root, display_path))
        return result
    if root is None:
        return result
    bad = Y.unsafe_tag(root)
    if bad is not None:
        mark = bad.start_mark
        fault = Y.ParseFault(
            f"tag {bad.tag!r} is not allowed: goals files use plain YAML only", mark.line + 1, mark.column + 1
        )
        result.findings.append(_invalid_yaml(fault, display_path))
        return result
    reader = _FileReader(display_path, budget=len(text) + ALIAS_ALLOWANCE)
    try:
        reader.read(root, result)
    except AliasBomb:
        fault = Y.ParseFault("aliases expand to far more than the file holds (alias bomb?): refused", 1, 1)
        return FileGoals(display_path, findings=[_invalid_yaml(fault, display_path)])
    except BadMerge as exc:
        mark = exc.node.start_mark
        fault = Y.ParseFault(str(exc), mark.line + 1, mark.column + 1)
        return FileGoals(display_path, findings=[_invalid_yaml(fault, display_path)])
    if reader.first_unlisted is not None:
        element_id, span, reader.noun = reader.first_unlisted
        more = reader.unknown_keys - MAX_UNKNOWN_KEYS
        reader.add(
            "CB103", f"{more:,} more unknown keys from here on, not listed one by one (the first "
            f"{MAX_UNKNOWN_KEYS:,} in this file are): is this a goals file?", element_id, span,
        )
    result.findings.extend(reader.collector.findings())
    return result


def _invalid_yaml(fault: Y.ParseFault, file: str) -> Finding:
    collector = FindingCollector()
    collector.add("CB101", fault.message, None, Span(file, fault.line, fault.column))
    return collector.findings()[0]


class _FileReader:
    def __init__(self, file: str, budget: int) -> None:
        self.file = file
        self.budget = budget
        self.collector = FindingCollector()
        self.suggestions: dict[int, Suggestions] = {}
        self.unknown_keys = 0
        self.first_unlisted: tuple | None = None
        self.merging: list = []  # the mappings whose merge keys are being followed, outermost first
        self.noun: str | None = None  # the kind of element being read (aim, team, person, objective)

    # -- plumbing -------------------------------------------------------

    def span(self, node: yaml.Node) -> Span:
        return NEW_SPAN(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def suggest(self, word: str, known) -> str:
        # One index per set of known words and file, so its lookup budget holds
        # for the file: a million unknown keys get 2,000 hints, not a million.
        index = self.suggestions.get(id(known))
        if index is None:
            index = self.suggestions[id(known)] = Suggestions(known)
        return index.hint(word)

    def spend(self, count: int = 1) -> None:
        self.budget -= count
        if self.budget < 0:
            raise AliasBomb

    def add(self, code: str, message: str, element_id: str | None, span: Span) -> None:
        """A finding about the element being read (its kind is `self.noun`), or about the file."""
        self.collector.add(code, message, element_id, span, self.noun if element_id is not None else None)

    def invalid(self, message: str, element_id: str | None, span: Span) -> None:
        self.add("CB102", message, element_id, span)

    def pairs(self, node: yaml.MappingNode) -> tuple[dict, list]:
        """Keys (as text) -> (key node, value node); and the repeated keys.

        Merge keys (`<<: *defaults`) fill in keys the mapping does not set.
        """
        explicit: dict[str, tuple] = {}
        repeated: list[tuple[str, yaml.Node, yaml.Node]] = []
        merged: dict[str, tuple] = {}
        for key_node, value_node in node.value:
            self.spend()
            if key_node.tag == Y.MERGE:
                self._merge_into(merged, key_node, value_node)
                continue
            key = key_node.value if isinstance(key_node, _SCALAR) else "<complex key>"
            if key in explicit:
                repeated.append((key, explicit[key][0], key_node))
            explicit[key] = (key_node, value_node)
        if merged:
            merged.update(explicit)
            return merged, repeated
        return explicit, repeated

    def _merge_into(self, merged: dict, key_node: yaml.Node, value_node: yaml.Node) -> None:
        sources = value_node.value if isinstance(value_node, _SEQUENCE) else [value_node]
        for source in sources:
            if not isinstance(source, _MAPPING):
                continue
            # An anchored mapping may merge itself (`- &a` then `<<: *a`): following
            # it would never end. A chain of merges is bounded like nesting.
            if any(source is open_node for open_node in self.merging):
                raise BadMerge("a merge key (`<<`) includes the mapping it is in: refused", key_node)
            if len(self.merging) >= MAX_DEPTH:
                raise BadMerge(f"merge keys (`<<`) nest more than {MAX_DEPTH} deep: refused", key_node)
            self.merging.append(source)
            try:
                inner, _ = self.pairs(source)
            finally:
                self.merging.pop()
            for key, pair in inner.items():
                merged.setdefault(key, pair)

    def report_repeats(self, repeated: list, element_id: str | None) -> None:
        for key, first, again in repeated:
            self.add(
                "CB105",
                f"key `{key}` is given twice (first on line {first.start_mark.line + 1}); the last value is used",
                element_id,
                self.span(again),
            )

    # -- the file -------------------------------------------------------

    def read(self, root: yaml.Node, out: FileGoals) -> None:
        if not isinstance(root, _MAPPING):
            if not (isinstance(root, _SCALAR) and root.tag == Y.NULL):
                self.invalid(
                    "a goals file must be a mapping with `aims`, `teams`, `people` or `objectives`",
                    None,
                    self.span(root),
                )
            return
        top, repeated = self.pairs(root)
        self.report_repeats(repeated, None)
        defaults = {}
        for key, (key_node, value_node) in top.items():
            if key in F.FILE_DEFAULTS:
                defaults[key] = self.value(F.FILE_DEFAULTS[key], key, value_node, None, self.span(value_node))
            elif key not in F.SECTIONS:
                self.unknown_key(key, key_node, F.TOP_LEVEL_KEYS, None, self.span(key_node), "at the top of a file")
        if defaults.get("team") is not None and defaults.get("person") is not None:
            self.invalid("a file may set a default `team` or `person`, not both", None, self.span(root))
        for section, fields in F.SECTIONS.items():
            if section not in top:
                continue
            value_node = top[section][1]
            for element_node in self.element_nodes(section, value_node):
                self.read_element(section, fields, element_node, defaults, out)

    def element_nodes(self, section: str, node: yaml.Node) -> list:
        if isinstance(node, _SCALAR) and node.tag == Y.NULL:
            return []
        if not isinstance(node, _SEQUENCE):
            self.invalid(f"`{section}` must be a list of {F.ELEMENT_NOUN[section]} entries", None, self.span(node))
            return []
        elements = []
        for item in node.value:
            self.spend()
            if isinstance(item, _MAPPING):
                elements.append(item)
            elif not (isinstance(item, _SCALAR) and item.tag == Y.NULL):
                noun = F.ELEMENT_NOUN[section]
                self.invalid(f"each entry of `{section}` must be a mapping (a{'n' if noun[0] in 'ao' else ''} {noun} with `id`)", None, self.span(item))
        return elements

    def unknown_key(self, key, key_node, known, element_id, span, where) -> None:
        self.unknown_keys += 1
        if self.unknown_keys > MAX_UNKNOWN_KEYS:
            # A file of a million stray keys would make a million findings for
            # every format to write: the first ones say what is wrong, one more says how much.
            if self.unknown_keys == MAX_UNKNOWN_KEYS + 1:
                self.first_unlisted = (element_id, span, self.noun)
            return
        self.add("CB103", unknown_key_message(key, where, known, self.suggest(key, known)), element_id, span)

    def read_element(self, section: str, fields: dict, node: yaml.MappingNode, defaults: dict, out: FileGoals) -> None:
        noun = self.noun = F.ELEMENT_NOUN[section]
        span = self.span(node)
        pairs, repeated = self.pairs(node)
        element_id = None
        if "id" in pairs:
            # an id that is not valid is still the element's id: its CB102 joins
            # the element's other CB102 faults in one finding (spec: one per element and code)
            id_node = pairs["id"][1]
            written = id_node.value if isinstance(id_node, _SCALAR) and not is_null(id_node) else None
            element_id = self.value(fields["id"], "id", id_node, written, span)
        self.report_repeats(repeated, element_id)
        values = {}
        for key, (key_node, value_node) in pairs.items():
            spec = fields.get(key)
            if spec is None:
                where = f"in {noun} {element_id}" if element_id else f"in this {noun}"
                self.unknown_key(key, key_node, fields, element_id, span, where)
            elif key != "id":
                values[key] = self.value(spec, key, value_node, element_id, span)
        values["id"] = element_id
        label = f"{noun} {element_id}" if element_id else f"this {noun}"
        missing = [k for k, spec in fields.items() if spec.required and values.get(k) is None]
        for key in missing:
            # a present id that is not null was refused by value() already
            if key != "id" or "id" not in pairs or is_null(pairs["id"][1]):
                self.invalid(f"{label} has no `{key}` (required)", element_id, span)
        if element_id is None:
            return  # without an id nothing can refer to it, and no rule can name it
        self.BUILDERS[noun](self, values, span, defaults, out)

    # -- element builders -----------------------------------------------

    def build_aim(self, v: dict, span: Span, defaults: dict, out: FileGoals) -> None:
        out.aims.append(
            NEW_AIM(
                id=v["id"], title=v.get("title"), span=span, dimension=v.get("dimension"),
                owner=v.get("owner"), description=v.get("description"),
                status=v.get("status") or "active", measures=v.get("measures") or (),
            )
        )

    def build_team(self, v: dict, span: Span, defaults: dict, out: FileGoals) -> None:
        out.teams.append(
            NEW_TEAM(
                id=v["id"], name=v.get("name"), span=span, parent=v.get("parent"), lead=v.get("lead"),
                headcount=v.get("headcount"), description=v.get("description"),
            )
        )

    def build_person(self, v: dict, span: Span, defaults: dict, out: FileGoals) -> None:
        out.people.append(
            NEW_PERSON(
                id=v["id"], name=v.get("name"), span=span, team=v.get("team"), role=v.get("role"),
                improvement_level=v.get("improvement-level"),
            )
        )

    def build_objective(self, v: dict, span: Span, defaults: dict, out: FileGoals) -> None:
        team, person, ok = v.get("team"), v.get("person"), True
        label = f"objective {v['id']}"
        if team is not None and person is not None:
            self.invalid(f"{label} gives both `team` and `person`: an objective has one owner", v["id"], span)
            ok = False
        elif team is None and person is None:
            team, person = defaults.get("team"), defaults.get("person")
            if team is None and person is None:
                self.invalid(f"{label} has no `team` or `person`, and the file sets no default", v["id"], span)
                ok = False
            elif team is not None and person is not None:
                ok = False  # the file-level fault is already reported
        out.objectives.append(
            NEW_OBJECTIVE(
                id=v["id"], title=v.get("title"), span=span, team=team, person=person,
                supports=v.get("supports") or (), owner=v.get("owner"), due=v.get("due"),
                status=v.get("status") or "agreed", measures=v.get("measures") or (),
                description=v.get("description"), ownership_ok=ok,
            )
        )

    # -- values -----------------------------------------------------------

    def value(self, spec: F.Field, key: str, node: yaml.Node, element_id: str | None, span: Span):
        """The value of one field, or None (absent, or reported as CB102)."""
        kind = spec.kind
        if isinstance(node, _SCALAR) and (node.tag == Y.NULL or node.value == ""):
            if node.value and resolve_plain(node.value) != Y.NULL:  # `!!null x`: not absent, not x either
                self.invalid(f"`{key}` is tagged !!null but holds {node.value!r}: leave the tag out", element_id, span)
            return None
        if kind == F.MEASURES:
            return self.measures(node, element_id, span)
        if kind == F.ID_LIST:
            return self.id_list(key, node, element_id, span)
        if not isinstance(node, _SCALAR):
            what = "a list" if isinstance(node, _SEQUENCE) else "a mapping"
            self.invalid(f"`{key}` must be {_KIND_WORDS[kind]}, not {what}", element_id, span)
            return None
        text = node.value
        if kind == F.TEXT:
            return text
        if kind == F.ID:
            if not _ID_RE.fullmatch(text):
                self.invalid(f"`{key}` {text!r} is not a valid id (ASCII letters A-Z and a-z, digits, `-`, `_`, `.`)", element_id, span)
            return intern_id(text)
        if kind == F.CHOICE:
            if text not in spec.choices:
                self.invalid(
                    f"`{key}` {text!r} is not one of {', '.join(spec.choices)}{self.suggest(text, spec.choices)}",
                    element_id, span,
                )
                return None
            return spec.choices[spec.choices.index(text)]  # one shared string per choice
        if kind in (F.NUMBER, F.COUNT):
            return self.number(kind, key, node, element_id, span)
        if kind == F.DATE:
            return self.date(key, node, element_id, span)
        raise AssertionError(kind)  # pragma: no cover - the field table is ours

    def number(self, kind: str, key: str, node: yaml.ScalarNode, element_id, span):
        number = typed(as_number, node.tag, node.value)
        if number is NOT_DECIMAL:
            self.invalid(
                f"`{key}` {node.value!r} reads as a YAML 1.1 {not_decimal_kind(node.value)} number, "
                f"not what it looks like: write a decimal number, or quote it",
                element_id, span,
            )
            return None
        if kind == F.COUNT and number is not None and (number != int(number) or number < 0):
            number = None
        if number is None:
            self.invalid(f"`{key}` must be {_KIND_WORDS[kind]}, not {node.value!r}", element_id, span)
            return None
        return int(number) if kind == F.COUNT else number

    def date(self, key: str, node: yaml.ScalarNode, element_id, span):
        value = typed(as_date, node.tag, node.value)
        if value is None:
            self.invalid(f"`{key}` must be a date (YYYY-MM-DD), not {node.value!r}", element_id, span)
            return None
        return value

    def id_list(self, key: str, node: yaml.Node, element_id, span) -> tuple[str, ...]:
        items = node.value if isinstance(node, _SEQUENCE) else [node]
        ids = []
        for item in items:
            self.spend()
            if not isinstance(item, _SCALAR):
                self.invalid(f"`{key}` must be an id or a list of ids", element_id, span)
                continue
            if item.tag == Y.NULL or item.value == "":
                continue
            if not _ID_RE.fullmatch(item.value):
                self.invalid(f"`{key}` {item.value!r} is not a valid id", element_id, span)
            ids.append(intern_id(item.value))
        return tuple(ids)

    def measures(self, node: yaml.Node, element_id, span) -> tuple[Measure, ...]:
        if not isinstance(node, _SEQUENCE):
            self.invalid("`measures` must be a list of measures, each with a `name`", element_id, span)
            return ()
        measures = []
        for item in node.value:
            self.spend()
            if not isinstance(item, _MAPPING):
                self.invalid("each measure must be a mapping with a `name`", element_id, span)
                continue
            pairs, repeated = self.pairs(item)
            self.report_repeats(repeated, element_id)
            values = {}
            data = _NO_DATA
            for key, (key_node, value_node) in pairs.items():
                spec = F.MEASURE_FIELDS.get(key)
                if spec is None:
                    where = f"in a measure of {element_id}" if element_id else "in a measure"
                    self.unknown_key(key, key_node, F.MEASURE_FIELDS, element_id, span, where)
                elif spec.kind == F.DATA:
                    data = self.measure_data(key_node, value_node, element_id)
                else:
                    values[key] = self.value(spec, f"measures: {key}", value_node, element_id, span)
            if values.get("name") is None:
                self.invalid(f"a measure (line {item.start_mark.line + 1}) has no `name` (required)", element_id, span)
                continue
            if (
                values.get("direction") is None
                and values.get("baseline") is not None
                and values.get("baseline") == values.get("target")
            ):
                self.invalid(
                    f"measure {values['name']!r}: baseline equals target, so `direction` (up or down) is required",
                    element_id, span,
                )
            measures.append(
                NEW_MEASURE(
                    name=values["name"], span=self.span(item), unit=values.get("unit"),
                    baseline=values.get("baseline"), target=values.get("target"), by=values.get("by"),
                    direction=values.get("direction"), id=values.get("id"),
                    data_file=data.file, data_span=data.span, points=data.points, data_fault=data.fault,
                )
            )
        return tuple(measures)

    def measure_data(self, key_node: yaml.Node, node: yaml.Node, element_id) -> "_Data":
        """A measure's `data`: a CSV path (read once every file is read) or inline points.

        Every fault is CB601: at the faulty entry, or at the `data` key when the
        whole value is wrong. A measure with a fault keeps no points.
        """
        if is_null(node):
            return _NO_DATA  # an empty key counts as absent
        at = self.span(key_node)
        if isinstance(node, _SCALAR):
            if node.tag != Y.STR:
                self.collector.add(
                    "CB601", f"`data` must be a CSV path or a mapping of period to number, not {node.value!r}", element_id, at,
                    MEASURE,
                )
                return _Data(span=at, fault=True)
            # Interned: the measures of a team file usually name one CSV, and one
            # string each would be sent back from a worker and kept (27,000 at 20,000 staff).
            return _Data(span=at, file=sys.intern(node.value))
        if not isinstance(node, _MAPPING):
            self.collector.add(
                "CB601", "`data` must be a CSV path or a mapping of period to number, not a list", element_id, at,
                MEASURE,
            )
            return _Data(span=at, fault=True)
        entries, fault = [], False
        for period_node, value_node in node.value:
            self.spend()
            where = self.span(period_node)
            message = None
            if not isinstance(period_node, _SCALAR) or period_node.tag == Y.MERGE:
                message = "each entry of `data` must be `period: number`"
            else:
                period = period_node.value
                message = S.period_fault(period)
            if message is None:
                try:
                    value = self.data_value(value_node)
                except ValueError as exc:
                    message = f"{period}: {exc}"
            if message is not None:
                self.collector.add("CB601", message, element_id, where, MEASURE)
                fault = True
                continue
            entries.append(S.Entry(period, value, where.line, where.column))
        points, faults = S.build_series(entries)
        for entry, message in faults:
            self.collector.add("CB601", message, element_id, Span(self.file, entry.line, entry.column), MEASURE)
        if fault or faults:
            return _Data(span=at, fault=True)
        return _Data(span=at, points=points)

    def data_value(self, node: yaml.Node) -> float | None:
        """One inline value: None for null or empty (missing); ValueError when not a finite number."""
        if not isinstance(node, _SCALAR):
            raise ValueError("the value must be a number, not a list or mapping")
        if node.tag == Y.NULL or node.value == "":
            return None
        if node.tag in (Y.INT, Y.FLOAT):
            number = typed(as_number, node.tag, node.value)
            if number is None or not math.isfinite(number):
                raise ValueError(f"value {S.quoted(node.value)} is not a finite number")
            return float(number)
        if node.tag == Y.STR:
            return S.number_from_text(node.value)
        raise ValueError(f"value {S.quoted(node.value)} is not a number")

    # the element kind (the section's noun) -> its builder: a table, not a method name made from a string
    BUILDERS = {"aim": build_aim, "team": build_team, "person": build_person, "objective": build_objective}


@dataclass(frozen=True, slots=True)
class _Data:
    """What a measure's `data` key gave: a CSV path to read later, or inline points."""

    span: Span | None = None
    file: str | None = None
    points: tuple = ()
    fault: bool = False


_NO_DATA = _Data()


def is_null(node: yaml.Node) -> bool:
    """An empty or null scalar (`~`, `null`, nothing); settings use it too."""
    return isinstance(node, _SCALAR) and (node.tag == Y.NULL or node.value == "")


_KIND_WORDS = {
    F.TEXT: "text",
    F.ID: "an id",
    F.NUMBER: "a number",
    F.COUNT: "a whole number of 0 or more",
    F.DATE: "a date (YYYY-MM-DD)",
    F.CHOICE: "one word",
}
