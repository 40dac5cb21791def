"""Line of sight for one aim or objective: the paths up to True North and the tree below.

Shared by `catchball trace` (terminal and JSON) and the report's team pack.
`line_of_sight` answers the question with ids only; `element_record` and
`trace_document` turn ids into the plain records that JSON and templates see.
"""

from __future__ import annotations

from dataclasses import dataclass

from catchball.findings import finding_record
from catchball.graph import MAX_PATHS, Below, DeadEnd
from catchball.subjects import FindingIndex

@dataclass(slots=True)
class LineOfSight:
    id: str
    traces: bool  # an active aim, or an objective that traces to one
    paths: list[tuple[str, ...]]  # from the goal up to an active aim
    dead_ends: list[DeadEnd]
    truncated: bool  # more paths and dead ends than `limit`
    below: list[Below]

    @property
    def supporters(self) -> int:
        """Distinct objectives below."""
        return sum(1 for b in self.below if not b.repeat)


def line_of_sight(cascade, goal_id: str, limit: int = MAX_PATHS, stop=None, through=None, depth=None) -> LineOfSight:
    """Every path from an aim or objective up to True North, where the others stop, and all below it.

    Links are followed as tracing follows them: dropped objectives and retired
    aims end a path. At most `limit` paths and dead ends are kept (they can
    multiply); the tree below lists each active supporter once in full.
    `stop`, `through` and `depth` bound the walks as `Cascade.paths_up` and
    `Cascade.below` say (a team pack uses them; `catchball trace` does not).
    """
    aim = cascade.goals.aims.get(goal_id)
    traces = aim.active if aim is not None else cascade.traces(goal_id)
    paths, dead_ends = cascade.paths_up(goal_id, limit, stop)
    truncated = len(paths) + len(dead_ends) > limit
    if truncated:
        kept = max(limit - len(paths), 0)
        paths, dead_ends = paths[:limit], dead_ends[:kept]
    below = list(cascade.below(goal_id, through, depth))
    return LineOfSight(goal_id, traces, paths, dead_ends, truncated, below)


# -- records: plain data for JSON and templates ----------------------------------


def display_name(goals, person: str | None) -> str | None:
    """A person's name, or the text itself when it names no defined person (free-text owners)."""
    if person is None:
        return None
    found = goals.people.get(person)
    return found.name if found is not None and found.name else person


def element_record(cascade, goal_id: str, index: FindingIndex | None = None, people: bool = True) -> dict:
    """An aim or objective as plain data (documented in docs/templates.md, "element").

    With `people` False the person and owner fields are None, and an
    individual objective (one can stand on a path up) keeps only its kind,
    status, team and whether it traces: no id, title, place or findings.
    """
    goals = cascade.goals
    aim = goals.aims.get(goal_id)
    if aim is not None:
        kind, element, person, owner, due = "aim", aim, None, aim.owner, None
        traces = aim.active
    else:
        element = goals.objectives[goal_id]
        kind, person, owner, due = "objective", element.person, element.owner, element.due
        traces = cascade.traces(goal_id)
    team = cascade.owner_team(goal_id)
    team_element = goals.teams.get(team) if team else None
    masked = not people and kind == "objective" and element.is_individual
    return {
        "id": None if masked else goal_id,
        "kind": kind,
        "title": None if masked else element.title,
        "status": element.status,
        "individual": kind == "objective" and element.is_individual,
        "team": team,
        "team_name": (team_element.name or team) if team_element else None,
        "person": person if people else None,
        "person_name": display_name(goals, person) if people else None,
        "owner": owner if people else None,
        "owner_name": display_name(goals, owner) if people else None,
        "due": due.isoformat() if due else None,
        "traces": traces,
        "file": None if masked else element.span.file,
        "line": None if masked else element.span.line,
        "findings": [] if masked or index is None else [finding_record(f) for f in index.get(goal_id)],
    }


def below_tree(
    cascade, below: list[Below], index: FindingIndex, people: bool = True, bounded: bool = False
) -> list[dict]:
    """The flat depth-first list as nested records: each with `supporters` and `repeat`.

    With `people` False, individual objectives (and anything below them) are
    left out. `bounded` (a team pack, whose walk below stops at its own
    objectives and at a depth) adds `own_entry` and `more` to each record.
    """
    roots: list[dict] = []
    stack: list[tuple[int, list]] = [(0, roots)]
    skip_below: int | None = None
    for item in below:
        if skip_below is not None:
            if item.depth > skip_below:
                continue
            skip_below = None
        if not people and cascade.goals.objectives[item.id].is_individual:
            skip_below = item.depth
            continue
        while stack[-1][0] >= item.depth:
            stack.pop()
        record = element_record(cascade, item.id, index if not item.repeat else None, people)
        record["repeat"] = item.repeat
        if bounded:
            record["own_entry"] = item.stopped
            record["more"] = item.more
        record["supporters"] = []
        stack[-1][1].append(record)
        stack.append((item.depth, record["supporters"]))
    return roots


def trace_document(result, sight: LineOfSight) -> dict:
    """`catchball trace --format json`: one document, keys in a stable order."""
    cascade = result.cascade
    index = FindingIndex(result.findings, result.goals)
    return {
        "version": 1,
        "root": result.goals.display_root,
        "id": sight.id,
        "element": element_record(cascade, sight.id, index),
        "traces": sight.traces,
        "paths": [[element_record(cascade, step, index) for step in path] for path in sight.paths],
        "dead_ends": [dead_end_record(cascade, d, index) for d in sight.dead_ends],
        "truncated": sight.truncated,
        "supporters": sight.supporters,
        "below": below_tree(cascade, sight.below, index),
    }


def dead_end_record(cascade, dead_end: DeadEnd, index: FindingIndex, people: bool = True) -> dict:
    """A dead end as plain data; with `people` False an individual objective is not named."""
    objectives = cascade.goals.objectives

    def hidden(goal_id) -> bool:
        objective = objectives.get(goal_id) if goal_id is not None else None
        return not people and objective is not None and objective.is_individual

    def name(goal_id) -> str:
        return "an individual objective" if hidden(goal_id) else str(goal_id)

    return {
        "path": [element_record(cascade, step, index, people) for step in dead_end.path],
        "target": None if hidden(dead_end.target) else dead_end.target,
        "reason": dead_end.reason,
        "message": dead_end.message(name),
    }
