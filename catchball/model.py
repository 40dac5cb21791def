"""The goals as frozen values, each carrying the place it was written.

These are the loader's output and every later stage's input. Ids are kept as
the text that was written; optional fields are None when absent.
"""

from __future__ import annotations

import datetime as dt
import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from catchball.spc import Point, Series, SpcSettings

ACTIVE_AIM = "active"
RETIRED = "retired"
AIM_STATUSES = (ACTIVE_AIM, RETIRED)

PROPOSED = "proposed"
CHALLENGED = "challenged"
AGREED = "agreed"
DONE = "done"  # delivered (v1.1): traces and counts as active, but is never overdue nor counted by CB304
DROPPED = "dropped"
OBJECTIVE_STATUSES = (PROPOSED, CHALLENGED, AGREED, DONE, DROPPED)


def builder(kind):
    """A function that builds a frozen `kind` with the same arguments, about five times faster.

    A frozen dataclass sets each field through object.__setattr__, and the
    loader builds a few hundred thousand elements and spans for a large
    trust: a tenth of a cold `check`. The builder fills a plain slotted twin
    with the same slots, then gives the object `kind`'s class, so what it
    returns is an ordinary, frozen `kind` (equal, hashed and printed as one).
    """
    twin = dataclasses.make_dataclass(
        f"{kind.__name__}Values",
        [(f.name, f.type, field(default=f.default, default_factory=f.default_factory)) for f in dataclasses.fields(kind)],
        slots=True, eq=False, repr=False,
    )
    if twin.__slots__ != getattr(kind, "__slots__", None):  # the class swap needs the same layout
        raise TypeError(f"{kind.__name__} cannot have a builder: its slots differ from its fields")

    def build(*args, **kwargs):
        element = twin(*args, **kwargs)
        element.__class__ = kind
        return element

    build.__doc__ = f"A frozen {kind.__name__}, built quickly (see model.builder)."
    return build


# Aqua's skills escalator, low to high (`champion` is new in v1.1).
IMPROVEMENT_LEVELS = ("foundation", "champion", "practitioner", "advanced", "expert")


@dataclass(frozen=True, slots=True)
class Span:
    """Where something was written: file as the user reaches it, 1-based line and column."""

    file: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Measure:
    """A measure of an aim or objective, with its data once the loader has read it.

    `points` are the values present, in period order. `data_fault` is True when
    the data has a CB601 fault: such a measure gets no chart and no conclusions.
    `data_file` is the CSV path as written (None for inline data or none).
    """

    name: str
    span: Span
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    by: dt.date | None = None
    direction: str | None = None
    id: str | None = None
    data_file: str | None = None
    data_span: Span | None = None  # the `data` key: where a fault in the whole value is reported
    points: Series | tuple[Point, ...] = ()  # a Series once read (by column: a national repository has millions)
    data_fault: bool = False

    @property
    def has_data_key(self) -> bool:
        return self.data_span is not None

    @property
    def resolved_direction(self) -> str | None:
        """`direction`, or the one baseline and target imply (v1: target above baseline is up)."""
        return implied_direction(self.direction, self.baseline, self.target)


def implied_direction(direction: str | None, baseline: float | None, target: float | None) -> str | None:
    """A measure's `direction`, or the one its baseline and target imply (v1: target above baseline is up)."""
    if direction is not None:
        return direction
    if baseline is None or target is None or baseline == target:
        return None
    return "up" if target > baseline else "down"


@dataclass(frozen=True, slots=True)
class Aim:
    id: str
    title: str | None
    span: Span
    dimension: str | None = None
    owner: str | None = None
    description: str | None = None
    status: str = ACTIVE_AIM
    measures: tuple[Measure, ...] = ()

    @property
    def active(self) -> bool:
        return self.status != RETIRED

    @property
    def latest_by(self) -> dt.date | None:
        dates = [m.by for m in self.measures if m.by is not None]
        return max(dates) if dates else None


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str | None
    span: Span
    parent: str | None = None
    lead: str | None = None
    headcount: int | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str | None
    span: Span
    team: str | None = None
    role: str | None = None
    improvement_level: str | None = None


@dataclass(frozen=True, slots=True)
class Objective:
    """A team objective (team set) or an individual one (person set).

    `ownership_ok` is False when the objective named both a team and a person,
    or neither: the loader has reported that, and alignment rules skip it.
    """

    id: str
    title: str | None
    span: Span
    team: str | None = None
    person: str | None = None
    supports: tuple[str, ...] = ()
    owner: str | None = None
    due: dt.date | None = None
    status: str = AGREED
    measures: tuple[Measure, ...] = ()
    description: str | None = None
    ownership_ok: bool = True

    @property
    def active(self) -> bool:
        return self.status != DROPPED

    @property
    def done(self) -> bool:
        return self.status == DONE

    @property
    def is_individual(self) -> bool:
        return self.person is not None and self.team is None


@dataclass(frozen=True, slots=True)
class Settings:
    """catchball.yaml, after validation."""

    organisation: str | None = None
    period: str | None = None
    max_aims: int = 5
    max_objectives: int = 5
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    spc: SpcSettings = SpcSettings()
    stale_after: int = 62  # days after the end of a measure's last period before CB603 (spc: stale-after)
    # `capability: targets:` as (level, per cent), low level first; None when
    # catchball.yaml has no `capability` block (CB701 and CB702 then stay off).
    # Per cent is a Fraction, exact as written, so 0.1% of 100,000 is 100 people.
    capability_targets: tuple[tuple[str, Fraction], ...] | None = None


@dataclass(slots=True)
class GoalSet:
    """Everything read from one goals root, in read order."""

    root: Path
    display_root: str
    files: list[str] = field(default_factory=list)
    aims: dict[str, Aim] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    settings_present: bool = False  # catchball.yaml was read

    def goal(self, goal_id: str) -> Aim | Objective | None:
        """An aim or objective by id (they share one namespace)."""
        return self.aims.get(goal_id) or self.objectives.get(goal_id)
