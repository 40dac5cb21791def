"""Where the catchball round stands: per-team counts and who holds the ball.

Shared by `catchball status` (terminal and JSON) and the report's status
section, so the rules for "who holds the ball" are written once:

- a `proposed` objective waits on the level above: for a team objective, the
  lead of the parent team (the root team's own lead for the root); for an
  individual objective, the lead of the person's team, or of its parent team
  when the person leads their own team;
- a `challenged` objective waits on its owner: the person of an individual
  objective; the `owner` of a team objective, or failing that its team's lead.

Where the lead or owner is not named, the ball is with the team itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from catchball.model import AGREED, CHALLENGED, DONE, DROPPED, PROPOSED, Objective

STATUSES = (PROPOSED, CHALLENGED, AGREED, DONE, DROPPED)
LEAD, OWNER = "lead", "owner"


def no_counts() -> dict[str, int]:
    return {status: 0 for status in STATUSES}


@dataclass(slots=True)
class TeamStatus:
    """One team's objectives by status: its own, and its people's."""

    id: str
    name: str | None
    parent: str | None
    depth: int  # in the org tree; teams off the tree are shown at depth 0
    lead: str | None
    own: dict[str, int] = field(default_factory=no_counts)
    people: dict[str, int] = field(default_factory=no_counts)

    @property
    def total(self) -> dict[str, int]:
        return {status: self.own[status] + self.people[status] for status in STATUSES}

    @property
    def active(self) -> int:
        """Objectives still in play (not dropped), own and people's."""
        total = self.total
        return total[PROPOSED] + total[CHALLENGED] + total[AGREED] + total[DONE]


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds the ball: a person (id, or free text when no people are defined) or a team.

    `role` is LEAD (the lead of `team`) or OWNER (the objective's owner or person).
    `person` is None when the team names no lead, or the objective no owner.
    """

    role: str
    team: str | None
    person: str | None


@dataclass(slots=True)
class RoundStatus:
    teams: list[TeamStatus]  # org-tree order, then teams off the tree in read order
    root: str | None  # the root of the scope: the org root, or the team asked for
    unplaced: dict[str, int]  # objectives whose owner team is unknown (whole-organisation view only)
    waiting: list[tuple[Objective, Holder]]  # proposed and challenged objectives, in read order

    @property
    def totals(self) -> dict[str, int]:
        totals = dict(self.unplaced)
        for team in self.teams:
            for status, count in team.total.items():
                totals[status] += count
        return totals

    @property
    def top(self) -> int:
        """The org depth of the scope's top: 0 for the whole organisation."""
        return self.teams[0].depth if self.teams else 0

    def rows(self, depth: int | None, limit: int | None = None) -> "Rows":
        """The rows of a table of these teams down to `depth` levels below the top (top_levels)."""
        silent, top = {t.id for t in self.silent()}, self.top
        return top_levels([max(t.depth - top, 0) for t in self.teams], [t.total for t in self.teams],
                          [t.id in silent for t in self.teams], depth, limit)

    def silent(self) -> list[TeamStatus]:
        """Teams below the scope's root with no active objective, own or people's."""
        return [t for t in self.teams if t.id != self.root and t.active == 0]

    def holders(self) -> list[tuple[Holder, list[Objective]]]:
        """The ball, grouped by who holds it: by the holder's team in org-tree order, then as first met."""
        groups: dict[Holder, list[Objective]] = defaultdict(list)
        for objective, holder in self.waiting:
            groups[holder].append(objective)
        order = {team.id: i for i, team in enumerate(self.teams)}
        return sorted(groups.items(), key=lambda item: order.get(item[0].team, len(order)))


def round_status(cascade, teams: Iterable[str] | None = None) -> RoundStatus:
    """Counts and ball holders for every team, or for the given teams only.

    `teams` is a branch of the org tree (a team and everything below it);
    its first team in org-tree order is taken as the scope's root. Objectives
    whose owner team is unknown are counted in `unplaced` only when no
    `teams` are given.
    """
    goals, org = cascade.goals, cascade.org
    scope = None if teams is None else set(teams)
    ordered = [t for t in org.order if scope is None or t in scope]
    ordered += [t for t in goals.teams if t not in org.depth and (scope is None or t in scope)]
    rows = {}
    for team_id in ordered:
        team = goals.teams[team_id]
        rows[team_id] = TeamStatus(team_id, team.name, team.parent, org.depth.get(team_id, 0), team.lead)
    unplaced = no_counts()
    waiting = []
    for objective in goals.objectives.values():
        team_id = cascade.owner_team(objective.id)
        row = rows.get(team_id)
        if row is None:
            if scope is not None:
                continue
            unplaced[objective.status] += 1
        elif objective.is_individual:
            row.people[objective.status] += 1
        else:
            row.own[objective.status] += 1
        if objective.status in (PROPOSED, CHALLENGED):
            waiting.append((objective, ball_holder(cascade, objective)))
    root = ordered[0] if scope is not None and ordered else org.root
    return RoundStatus(list(rows.values()), root, unplaced, waiting)


# -- the top levels only -------------------------------------------------------------------
#
# A table of every team is 1,049 rows at 20,000 staff and 10,428 at 200,000.
# Listing the top levels instead, each team of the deepest level listed counts
# the teams below it in its row, so the rows still add up to the total and
# each division or directorate is seen whole (the report, `status --depth`).


@dataclass(slots=True)
class Rows:
    """The rows of a table that lists the top levels. For each team (in order): whether it has a
    row; its row's counts (its own, plus those of the teams below it that have none); how many
    such teams below it there are, and how many of them are silent. `more` sums what no row
    counts: the first-level teams past a row limit, and their branches."""

    listed: list[bool]
    counts: list[dict[str, int]]
    below: list[int]
    below_silent: list[int]
    more_teams: int = 0
    more_silent: int = 0
    more: dict[str, int] = field(default_factory=no_counts)


def levels_that_fit(depths: list[int], limit: int) -> int | None:
    """The deepest level (0 at the top) down to which `limit` rows list every team: None when
    all of them fit, else the deepest that fits, and at least 1."""
    if len(depths) <= limit:
        return None
    per_level: dict[int, int] = defaultdict(int)
    for d in depths:
        per_level[d] += 1
    rows, deepest = 0, 0
    for level in sorted(per_level):
        rows += per_level[level]
        if rows > limit:
            break
        deepest = level
    return max(deepest, 1)


def top_levels(depths: list[int], counts: list[dict[str, int]], silent: list[bool], depth: int | None,
               limit: int | None = None) -> Rows:
    """The rows of the teams down to `depth` (None: every team), at most `limit` of them.

    Teams are in org-tree order (pre-order), so a team's branch follows it: a
    team below `depth` is counted in the row of the last team at `depth`.
    """
    rows = Rows([], [], [], [])
    into = None  # the index of the row the teams that follow count in
    left = len(depths) if limit is None else limit
    for i, (d, own, quiet) in enumerate(zip(depths, counts, silent)):
        shallow = depth is None or d <= depth
        listed = shallow and left > 0
        rows.listed.append(listed)
        rows.counts.append(dict(own))
        rows.below.append(0)
        rows.below_silent.append(0)
        if listed:
            left -= 1
            into = i if depth is not None and d == depth else None
            continue
        if shallow:
            into = None  # a first-level team past the limit: it and its branch go to `more`
        target = rows.counts[into] if into is not None else rows.more
        for status, n in own.items():
            target[status] += n
        if into is not None:
            rows.below[into] += 1
            rows.below_silent[into] += quiet
        else:
            rows.more_teams += 1
            rows.more_silent += quiet
    return rows


def ball_holder(cascade, objective: Objective) -> Holder:
    """Who the objective waits on (see the module docstring)."""
    goals = cascade.goals
    team_id = cascade.owner_team(objective.id)
    if objective.status == CHALLENGED:
        if objective.is_individual:
            return Holder(OWNER, team_id, objective.person)
        if objective.owner:
            return Holder(OWNER, team_id, objective.owner)
        return _lead_of(goals, team_id)
    if team_id is None:
        return Holder(LEAD, None, None)
    team = goals.teams[team_id]
    if objective.is_individual and team.lead != objective.person:
        return _lead_of(goals, team_id)
    above = team.parent if team.parent in goals.teams else None
    return _lead_of(goals, above or team_id)


def _lead_of(goals, team_id: str | None) -> Holder:
    team = goals.teams.get(team_id) if team_id else None
    return Holder(LEAD, team_id, team.lead if team else None)


def holder_label(goals, holder: Holder, people: bool = True) -> str:
    """Who holds the ball, in words: "Jo Smith (lead of Surgical Division)", "the owner"."""
    from catchball.trace import display_name

    team = goals.teams.get(holder.team) if holder.team else None
    team_name = (team.name or team.id) if team else None
    if holder.role == OWNER:
        if people and holder.person:
            return f"{display_name(goals, holder.person)} (owner)"
        return "its owner"
    if team_name is None:
        return "nobody yet: the owner team is unknown"
    if holder.person is None:
        return f"the lead of {team_name} (no lead named)"
    if not people:
        return f"the lead of {team_name}"
    return f"{display_name(goals, holder.person)} (lead of {team_name})"


def status_document(result, status: RoundStatus, depth: int | None = None, team: str | None = None) -> dict:
    """`catchball status --format json`: one document, keys in a stable order.

    `team` is the branch's top (--team). With `depth` (--depth), `teams` holds
    the teams down to that level below the top, each with `below`,
    `below_silent` and `branch` (docs/commands.md).
    """
    goals = result.goals
    silent = {t.id for t in status.silent()}
    teams = [team_record(t, t.id in silent) for t in status.teams]
    if depth is not None:
        rows = status.rows(depth)
        for i, record in enumerate(teams):
            record["below"], record["below_silent"], record["branch"] = rows.below[i], rows.below_silent[i], rows.counts[i]
        teams = [record for record, listed in zip(teams, rows.listed) if listed]
    return {
        "version": 1,
        "root": goals.display_root,
        "organisation": goals.settings.organisation,
        "period": goals.settings.period,
        "team": team,
        "totals": status.totals,
        "teams": teams,
        "unplaced": status.unplaced,
        "silent_teams": [t.id for t in status.silent()],
        "ball": ball_records(result.cascade, status),
    }


def team_record(team: TeamStatus, silent: bool) -> dict:
    return {
        "id": team.id,
        "name": team.name,
        "parent": team.parent,
        "depth": team.depth,
        "lead": team.lead,
        "objectives": team.total,
        "team_objectives": dict(team.own),
        "individual_objectives": dict(team.people),
        "silent": silent,
    }


def ball_records(cascade, status: RoundStatus, people: bool = True) -> list[dict]:
    """Who holds the ball, each with the objectives waiting on them.

    With `people` False, names are left out and so are individual objectives
    (counted in `individual` instead).
    """
    goals = cascade.goals
    records = []
    for holder, objectives in status.holders():
        shown = [o for o in objectives if people or not o.is_individual]
        records.append(
            {
                "role": holder.role,
                "team": holder.team,
                "person": holder.person if people else None,
                "label": holder_label(goals, holder, people),
                "objectives": [
                    {
                        "id": o.id,
                        "title": o.title,
                        "status": o.status,
                        "team": cascade.owner_team(o.id),
                        "person": o.person if people else None,
                    }
                    for o in shown
                ],
                "individual": len(objectives) - len(shown),
            }
        )
    return records
