"""The goals as the rows of each sheet: plain values, no spreadsheet library.

Values keep their types (dates as dates, numbers as numbers) so the writer
can type each cell; an absent field is None (an empty cell).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catchball.check import CheckResult
from catchball.graph import Cascade
from catchball.model import Aim, GoalSet, Measure, Objective, Settings
from catchball.workbook import layout as L


@dataclass(slots=True)
class Sheet:
    """One sheet: its name, columns and rows (lists of values, in column order)."""

    name: str
    columns: tuple[L.Column, ...]
    rows: list[list] = field(default_factory=list)


def repository_sheets(result: CheckResult, people: bool = True) -> list[Sheet]:
    """Every sheet of the whole-repository workbook, in workbook order."""
    goals = result.goals
    objectives = [o for o in goals.objectives.values() if people or not o.is_individual]
    sheets = [
        Sheet(L.AIMS, L.COLUMNS[L.AIMS], [aim_row(a) for a in goals.aims.values()]),
        Sheet(L.TEAMS, L.COLUMNS[L.TEAMS], [team_row(t) for t in goals.teams.values()]),
    ]
    if people:
        sheets.append(Sheet(L.PEOPLE, L.COLUMNS[L.PEOPLE], [person_row(p) for p in goals.people.values()]))
    sheets.append(Sheet(L.OBJECTIVES, _objective_columns(), [objective_row(o) for o in objectives]))
    elements = [*goals.aims.values(), *objectives]
    sheets.append(Sheet(L.MEASURES, L.COLUMNS[L.MEASURES], measure_rows(elements)))
    sheets.append(Sheet(L.DATA, L.COLUMNS[L.DATA], data_rows(elements)))
    left_out = set() if people else set(goals.people) | {o.id for o in goals.objectives.values() if o.is_individual}
    findings = [f for f in result.findings if f.id not in left_out]
    sheets.append(Sheet(L.FINDINGS, L.COLUMNS[L.FINDINGS], [finding_row(f) for f in findings]))
    sheets.append(Sheet(L.SETTINGS, L.COLUMNS[L.SETTINGS], settings_rows(goals.settings)))
    return sheets


def _objective_columns() -> tuple[L.Column, ...]:
    # The whole-repository workbook keeps every target in one `supports` cell.
    return tuple(c for c in L.COLUMNS[L.OBJECTIVES] if c.name != "also supports")


def aim_row(a: Aim) -> list:
    return [a.id, a.title, a.dimension, a.owner, a.status, a.description]


def team_row(t) -> list:
    return [t.id, t.name, t.parent, t.lead, t.headcount, t.description]


def person_row(p) -> list:
    return [p.id, p.name, p.team, p.role, p.improvement_level]


def objective_row(o: Objective, split_supports: bool = False) -> list:
    if split_supports:
        supports = [o.supports[0] if o.supports else None, "; ".join(o.supports[1:]) or None]
    else:
        supports = ["; ".join(o.supports) or None]
    return [o.id, o.title, o.team, o.person, *supports, o.owner, o.due, o.status, o.description]


def measure_row(owner_id: str, m: Measure) -> list:
    return [owner_id, m.name, m.unit, m.baseline, m.target, m.by, m.direction, m.id]


def data_rows(elements) -> list[list]:
    """Every point of every measure, in long form: for, measure, period, value, note, recalculate."""
    rows = []
    for e in elements:
        for m in e.measures:
            for p in m.points:
                rows.append([e.id, m.id or m.name, p.period, p.value, p.note, "yes" if p.recalculate else None])
    return rows


def measure_rows(elements) -> list[list]:
    return [measure_row(e.id, m) for e in elements for m in e.measures]


def finding_row(f) -> list:
    return [f.code, f.severity, f.name, f.message, f.id, f.file, f.line, f.column]


def settings_rows(settings: Settings) -> list[list]:
    """catchball.yaml's values as text rows; ignore and severity as lists."""
    return [
        ["organisation", settings.organisation],
        ["period", settings.period],
        ["max-aims", str(settings.max_aims)],
        ["max-objectives", str(settings.max_objectives)],
        ["ignore", "; ".join(settings.ignore) or None],
        ["severity", "; ".join(f"{code}: {level}" for code, level in settings.severity) or None],
        ["minimum-points", str(settings.spc.minimum_points)],
        ["shift", str(settings.spc.shift)],
        ["trend", str(settings.spc.trend)],
        ["fix-limits-after", None if settings.spc.fix_limits_after is None else str(settings.spc.fix_limits_after)],
        ["stale-after", str(settings.stale_after)],
        ["capability targets", _targets_text(settings.capability_targets)],
    ]


def _targets_text(targets) -> str | None:
    """`foundation: 100%; practitioner: 10%`; "none" for a capability block without targets."""
    if targets is None:
        return None
    if not targets:
        return "none"
    return "; ".join(f"{level}: {_percent(share)}%" for level, share in targets)


def _percent(share) -> str:
    from decimal import Decimal

    # Shares were read from decimal text, so they are exact decimals: write them back digit for digit.
    text = format(Decimal(share.numerator) / Decimal(share.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# -- a team's pack -------------------------------------------------------------


@dataclass(slots=True)
class Pack:
    """What a team's catchball pack holds (catchball/workbook/export.py lays it out)."""

    team: str
    team_name: str
    parent: str | None
    organisation: str | None
    period: str | None
    above: list[list]  # level, id, title, owner, status, due, measures
    objectives: list[Objective]
    measures: list[list]
    targets: list[tuple[str, str]]  # (id, title) that `supports` may name
    people: list[tuple[str, str]]  # (id, name) of the team's people
    next_ids: list[str]  # suggested ids for the blank rows


ABOVE_COLUMNS = (
    L.Column("level", L.TEXT), L.Column("id", L.TEXT), L.Column("title", L.TEXT, width=50),
    L.Column("supports", L.TEXT), L.Column("owner", L.TEXT), L.Column("status", L.TEXT),
    L.Column("due", L.DATE), L.Column("measures", L.TEXT, width=70),
)


def upward_targets(cascade: Cascade, team_id: str) -> list[str]:
    """Ids a team's (and its people's) objectives may support without misaligning or skipping a level.

    The spec's alignment semantics: the team's own objectives, its parent
    team's, and the aims when the parent is the root (or the team is the root).
    """
    goals = cascade.goals
    team = goals.teams[team_id]
    targets = [o.id for o in cascade.team_objectives(team_id) if o.active]
    if team.parent is not None and team.parent in goals.teams:
        targets += [o.id for o in cascade.team_objectives(team.parent) if o.active]
    if team.parent is None or team.parent == cascade.org.root:
        targets += [a.id for a in goals.aims.values() if a.active]
    return targets


def team_pack(result: CheckResult, team_id: str) -> Pack:
    goals, cascade = result.goals, result.cascade
    team = goals.teams[team_id]
    people = [(p, goals.people[p].name or p) for p in cascade.members(team_id)]
    mine = list(cascade.team_objectives(team_id))
    for person_id, _ in people:
        mine += cascade.person_objectives(person_id)
    above = [_above_row("aim", a, None) for a in goals.aims.values() if a.active]
    for ancestor in reversed(cascade.team_chain(team_id)):
        name = goals.teams[ancestor].name or ancestor
        above += [_above_row(name, o, o.due) for o in cascade.team_objectives(ancestor) if o.active]
    targets = upward_targets(cascade, team_id)
    return Pack(
        team=team_id,
        team_name=team.name or team_id,
        parent=team.parent,
        organisation=goals.settings.organisation,
        period=goals.settings.period,
        above=above,
        objectives=mine,
        measures=measure_rows(mine),
        targets=[(t, goals.goal(t).title or "") for t in targets],
        people=people,
        next_ids=suggested_ids(goals, team_id, [o.id for o in cascade.team_objectives(team_id)]),
    )


def _above_row(level: str, element: Aim | Objective, due) -> list:
    measures = "; ".join(_measure_text(m) for m in element.measures) or None
    supports = "; ".join(getattr(element, "supports", ())) or None
    return [level, element.id, element.title, supports, element.owner, element.status, due, measures]


def _measure_text(m: Measure) -> str:
    parts = [m.name]
    if m.baseline is not None or m.target is not None:
        parts.append(f"{_number(m.baseline)} -> {_number(m.target)}{' ' + m.unit if m.unit else ''}")
    if m.by is not None:
        parts.append(f"by {m.by.isoformat()}")
    return ", ".join(parts)


def _number(value) -> str:
    return "?" if value is None else f"{value:g}"


def suggested_ids(goals: GoalSet, team_id: str, existing: list[str]) -> list[str]:
    """Free ids for a pack's blank rows, in the team's own numbering where it has one (SURG-7)."""
    prefix = team_id.upper()
    numbers = []
    for objective_id in existing:
        head, _, tail = objective_id.rpartition("-")
        if head and tail.isdigit():
            prefix, numbers = head, numbers + [int(tail)]
    n = max(numbers, default=0)
    ids = []
    while len(ids) < L.BLANK_ROWS:
        n += 1
        candidate = f"{prefix}-{n}"
        if goals.goal(candidate) is None:
            ids.append(candidate)
    return ids
