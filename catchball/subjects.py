"""Which element a finding is about, from the kind the finding carries.

Goals (aims and objectives), teams and people have namespaces of their own,
so `ed` may be a team and a person at once, or an objective too. A finding
says which (its `kind`, set by the rule that raised it), so the views and
the report never show a team's CB302 under the objective of the same id.
"""

from __future__ import annotations

from typing import Iterable

from catchball.findings import AIM, MEASURE, OBJECTIVE, PERSON, TEAM

GOAL = "goal"  # an aim or an objective (or one of their measures): they share one namespace
_GROUP = {AIM: GOAL, OBJECTIVE: GOAL, MEASURE: GOAL, TEAM: TEAM, PERSON: PERSON}


def subject_kind(finding, goals=None) -> str | None:
    """GOAL, TEAM or PERSON: what the finding's id names; None for a file or the repository.

    (`goals` is not needed any more; callers that pass it keep working.)
    """
    return _GROUP.get(finding.kind) if finding.id is not None else None


def subject_team(finding, goals, cascade) -> str | None:
    """The team a finding belongs to: the team itself, a person's team, an
    objective's owner team, the root for an aim; None when there is none."""
    kind = subject_kind(finding)
    element_id = finding.id
    if kind == TEAM:
        return element_id
    if kind == PERSON:
        person = goals.people.get(element_id)
        return person.team if person is not None and person.team in goals.teams else None
    if kind == GOAL:
        if element_id in goals.objectives:
            return cascade.owner_team(element_id)
        return cascade.org.root
    return None


class FindingIndex:
    """Findings by the element they are about, goals, teams and people apart.

    `get(goal_id, default)` looks up an aim or objective, as a dict would.
    """

    def __init__(self, findings: Iterable, goals=None) -> None:  # goals: as for subject_kind
        self._by_kind: dict[str, dict[str, list]] = {GOAL: {}, TEAM: {}, PERSON: {}}
        for f in findings:
            kind = subject_kind(f)
            if kind is not None:
                self._by_kind[kind].setdefault(f.id, []).append(f)

    def get(self, goal_id: str, default=()):
        return self._by_kind[GOAL].get(goal_id, default)

    def __contains__(self, goal_id: str) -> bool:
        """True when some finding is about this aim or objective."""
        return goal_id in self._by_kind[GOAL]

    def team(self, team_id: str) -> list:
        return self._by_kind[TEAM].get(team_id, [])

    def person(self, person_id: str) -> list:
        return self._by_kind[PERSON].get(person_id, [])
