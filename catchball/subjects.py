"""Which element a finding is about, when one id names several elements.

Goals (aims and objectives), teams and people have namespaces of their own,
so `ed` may be a team and a person at once, or an objective too. A finding
carries only the id and a position, and the views and the report must not
show a team's CB302 under the objective of the same id. The rules place a
finding on its element or on one of its fields, so when the id is ambiguous
the finding belongs to the element of that id that starts last at or before
the finding's position in the same file.
"""

from __future__ import annotations

from typing import Iterable

GOAL = "goal"
TEAM = "team"
PERSON = "person"


def subject_kind(finding, goals) -> str | None:
    """GOAL, TEAM or PERSON: what the finding's id names; None for no id or an undefined one."""
    element_id = finding.id
    if element_id is None:
        return None
    candidates = [
        (kind, element)
        for kind, element in (
            (GOAL, goals.goal(element_id)),
            (TEAM, goals.teams.get(element_id)),
            (PERSON, goals.people.get(element_id)),
        )
        if element is not None
    ]
    if len(candidates) <= 1:
        return candidates[0][0] if candidates else None
    where = (finding.line or 0, finding.column or 0)
    best_kind, best_start = candidates[0][0], None
    for kind, element in candidates:
        span = element.span
        start = (span.line, span.column)
        if span.file == finding.file and start <= where and (best_start is None or start > best_start):
            best_kind, best_start = kind, start
    return best_kind


def subject_team(finding, goals, cascade) -> str | None:
    """The team a finding belongs to: the team itself, a person's team, an
    objective's owner team, the root for an aim; None when there is none."""
    kind = subject_kind(finding, goals)
    element_id = finding.id
    if kind == TEAM:
        return element_id
    if kind == PERSON:
        team = goals.people[element_id].team
        return team if team in goals.teams else None
    if kind == GOAL:
        if element_id in goals.objectives:
            return cascade.owner_team(element_id)
        return cascade.org.root
    return None


class FindingIndex:
    """Findings by the element they are about, goals, teams and people apart.

    `get(goal_id, default)` looks up an aim or objective, as a dict would.
    """

    def __init__(self, findings: Iterable, goals) -> None:
        self._by_kind: dict[str, dict[str, list]] = {GOAL: {}, TEAM: {}, PERSON: {}}
        for f in findings:
            kind = subject_kind(f, goals)
            if kind is not None:
                self._by_kind[kind].setdefault(f.id, []).append(f)

    def get(self, goal_id: str, default=()):
        return self._by_kind[GOAL].get(goal_id, default)

    def team(self, team_id: str) -> list:
        return self._by_kind[TEAM].get(team_id, [])

    def person(self, person_id: str) -> list:
        return self._by_kind[PERSON].get(person_id, [])
