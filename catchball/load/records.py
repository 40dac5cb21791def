"""One file's goals as plain records: how worker processes send them and the parse cache keeps them.

A record is a list of the element's fields in the model's order, holding
only text, numbers, booleans, None and lists, so that it pickles cheaply
through a worker's pipe and writes as JSON into a cache entry. The
conversions, one pair of functions per kind written with the fields by
name, are the whole contract:

- a span in the file itself is [line, column]; elsewhere [file, line, column];
- a date is its ordinal day number;
- a tuple (supports, people, measures) is a list;
- inline measure data is a list of [period, value, recalculate, note].

`unpack` checks the type of every value it converts (a span's numbers, an
id's text, a date's day number, a point) and raises ValueError or TypeError
on anything else: a cache entry that passed its checksum but is not what
catchball writes (another version's layout, a hand edit) must not become a
wrong element. A field added to the model and not here fails
tests/test_parallel_read.py's round trip of every field of every kind.
"""

from __future__ import annotations

import datetime as dt
import sys

from catchball.findings import Finding
from catchball.load.reader import FileGoals
from catchball.model import Aim, Measure, Objective, Person, Span, Team, builder, implied_direction
from catchball.spc import Point, Series

# Elements and spans are built by model.builder, as the reader builds its own:
# the same frozen values at a fifth of the cost.
_NEW_AIM, _NEW_TEAM, _NEW_PERSON, _NEW_OBJECTIVE, _NEW_MEASURE, _NEW_SPAN = map(
    builder, (Aim, Team, Person, Objective, Measure, Span)
)
_intern = sys.intern  # TypeError for anything but text


def pack(part: FileGoals) -> list:
    """FileGoals as nested lists of plain values."""
    file = part.file
    return [
        file,
        [_pack_aim(e, file) for e in part.aims],
        [_pack_team(e, file) for e in part.teams],
        [_pack_person(e, file) for e in part.people],
        [_pack_objective(e, file) for e in part.objectives],
        [_pack_finding(f) for f in part.findings],
    ]


def unpack(record) -> FileGoals:
    """The FileGoals `pack` gave; ValueError or TypeError unless the record has its shape and types."""
    file, aims, teams, people, objectives, findings = _list(record)
    if type(file) is not str:
        raise TypeError("not a file name")
    return FileGoals(
        file,
        [_aim(values, file) for values in _list(aims)],
        [_team(values, file) for values in _list(teams)],
        [_person(values, file) for values in _list(people)],
        [_objective(values, file) for values in _list(objectives)],
        [_finding(values) for values in _list(findings)],
    )


def data_uses(record: list) -> list[tuple[str, str | None, str | None, float | None]]:
    """(`data` CSV path as written, measure id, direction given or implied, target) of each measure
    of a file's record that names a CSV file, in order."""
    _, aims, _, _, objectives, _ = record
    measures = [m for a in aims for m in a[7] if m[8] is not None]
    measures += [m for o in objectives if o[9] for m in o[9] if m[8] is not None]
    # name, span, unit, baseline, target, by, direction, id, data_file, ... (_pack_measure)
    return [(m[8], m[7], implied_direction(m[6], m[3], m[4]), m[4]) for m in measures]


def _list(value) -> list | tuple:
    if value.__class__ is not list and value.__class__ is not tuple:
        raise TypeError("not a list")
    return value


# -- values ----------------------------------------------------------------------


def _pack_span(span: Span | None, file: str):
    if span is None:
        return None
    return [span.line, span.column] if span.file == file else [span.file, span.line, span.column]


def _span(value, file: str) -> Span:
    if value.__class__ is list or value.__class__ is tuple:
        if len(value) == 2:
            line, column = value
            if type(line) is int and type(column) is int:
                return _NEW_SPAN(file, line, column)
        elif len(value) == 3:
            other, line, column = value
            if type(other) is str and type(line) is int and type(column) is int:
                return _NEW_SPAN(other, line, column)
    raise ValueError("not a span")


def _maybe_span(value, file: str) -> Span | None:
    return None if value is None else _span(value, file)


# Ids come back as new strings each time they are written (an objective's
# team, person, supports); one string per id saves about a gigabyte at
# national scale, as the reader's interning does in one process. So do the
# other words that repeat: statuses, units, directions, measure names, CSV paths.
def _id(value) -> str | None:
    return None if value is None else _intern(value)


def _word(value):
    """Text as one string per word, anything else as it is (the reader judged it)."""
    return _intern(value) if type(value) is str else value


def _ids(values) -> tuple[str, ...]:
    return tuple(map(_intern, _list(values))) if values else ()


def _pack_date(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


# Due dates repeat (the same few hundred in file after file): one object per
# day, as the one-pass reader keeps them (3 MB at 20,000 staff otherwise).
_DAYS: dict[int, dt.date] = {}


def _date(value) -> dt.date | None:
    if value is None:
        return None
    day = _DAYS.get(value) if type(value) is int else None
    if day is None:
        if type(value) is not int:
            raise TypeError("not a day number")
        day = dt.date.fromordinal(value)  # ValueError when out of range
        if len(_DAYS) < 100_000:
            _DAYS[value] = day
    return day


def _pack_points(points) -> list:
    return [[p.period, p.value, p.recalculate, p.note] for p in points] if points else []


def _points(values) -> Series | tuple:
    if not values:
        return ()  # most measures have no inline data: () as the reader leaves it
    points = []
    for written in _list(values):
        period, value, recalculate, note = _list(written)
        if type(period) is not str or type(value) not in (int, float) or type(recalculate) is not bool \
                or not (note is None or type(note) is str):
            raise ValueError("not a point")
        points.append(Point(period, float(value), recalculate, note))
    return Series.of(points)


# -- elements ----------------------------------------------------------------------


def _pack_aim(a: Aim, file: str) -> list:
    measures = [_pack_measure(m, file) for m in a.measures]
    return [a.id, a.title, _pack_span(a.span, file), a.dimension, a.owner, a.description, a.status, measures]


def _aim(values, file: str) -> Aim:
    id, title, span, dimension, owner, description, status, measures = _list(values)
    return _NEW_AIM(
        _intern(id), title, _span(span, file), dimension, _id(owner), description, status,
        tuple(_measure(m, file) for m in _list(measures)),
    )


def _pack_team(t: Team, file: str) -> list:
    return [t.id, t.name, _pack_span(t.span, file), t.parent, t.lead, t.headcount, t.description]


def _team(values, file: str) -> Team:
    id, name, span, parent, lead, headcount, description = _list(values)
    return _NEW_TEAM(_intern(id), name, _span(span, file), _id(parent), _id(lead), headcount, description)


def _pack_person(p: Person, file: str) -> list:
    return [p.id, p.name, _pack_span(p.span, file), p.team, p.role, p.improvement_level]


def _person(values, file: str) -> Person:
    id, name, span, team, role, improvement_level = _list(values)
    return _NEW_PERSON(_intern(id), name, _span(span, file), _id(team), role, improvement_level)


def _pack_objective(o: Objective, file: str) -> list:
    measures = [_pack_measure(m, file) for m in o.measures] if o.measures else []
    return [
        o.id, o.title, _pack_span(o.span, file), o.team, o.person, list(o.supports), o.owner, _pack_date(o.due),
        o.status, measures, o.description, o.ownership_ok,
    ]


def _objective(values, file: str) -> Objective:
    id, title, span, team, person, supports, owner, due, status, measures, description, ownership_ok = _list(values)
    return _NEW_OBJECTIVE(
        _intern(id), title, _span(span, file), _id(team), _id(person), _ids(supports), _id(owner), _date(due),
        _word(status), tuple(_measure(m, file) for m in _list(measures)) if measures else (), description, ownership_ok,
    )


def _pack_measure(m: Measure, file: str) -> list:
    return [
        m.name, _pack_span(m.span, file), m.unit, m.baseline, m.target, _pack_date(m.by), m.direction, m.id,
        m.data_file, _pack_span(m.data_span, file), _pack_points(m.points), m.data_fault,
    ]


def _measure(values, file: str) -> Measure:
    name, span, unit, baseline, target, by, direction, id, data_file, data_span, points, data_fault = _list(values)
    return _NEW_MEASURE(
        _word(name), _span(span, file), _word(unit), baseline, target, _date(by), _word(direction), _id(id),
        _word(data_file), _maybe_span(data_span, file), _points(points), data_fault,
    )


def _pack_finding(f: Finding) -> list:
    return [f.code, f.name, f.severity, f.message, f.id, f.file, f.line, f.column, f.kind, list(f.people)]


def _finding(values) -> Finding:
    code, name, severity, message, id, file, line, column, kind, people = _list(values)
    return Finding(code, name, severity, message, id, file, line, column, kind, _ids(people))
