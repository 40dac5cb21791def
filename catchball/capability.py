"""Improvement capability: the skills escalator per team, and expertise against the aims.

Two computations that users must trust, kept pure (plain values in, frozen
values out, no I/O):

- `team_capability`: per team in org-tree order, the headcount and, for each
  level of the escalator, how many people are at or above it, as a number
  and a share, against the organisation's target (catchball.yaml);
- `aim_expertise`: per active aim, the people at `practitioner` or above in
  its cascade, the share of its supporting team objectives that have such a
  person, and the biggest gaps.

`capability_of` gathers those plain values from a Cascade (its walks are the
Cascade's) and is what CB701, CB702, `catchball capability` and the report
share. Definitions (spec v1.1, "Capability"; decisions in docs/capability.md):

- a team's headcount is its `headcount` when given (for the team and
  everything below it), else the number of people defined in it and below;
  the people counted at a level are always the people defined in it and below;
- an aim's expertise: the owners of its supporting team objectives, the leads
  of the teams owning them, and the people of its supporting individual
  objectives, when at `practitioner` or above;
- a supporting team objective "has such a person" when its owner or its
  team's lead is one; the gaps are those that do not, ranked by how many
  individual objectives sit below them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Iterator, Sequence

from catchball.model import IMPROVEMENT_LEVELS, builder

EXPERTISE_LEVEL = "practitioner"  # "sufficiently experienced and skilled improvement leaders"
MAX_GAPS = 3  # gaps listed per aim; the number of them all is given too
_RANK = {level: rank for rank, level in enumerate(IMPROVEMENT_LEVELS)}


EXPERT_LEVELS = frozenset(level for level in IMPROVEMENT_LEVELS if _RANK[level] >= _RANK[EXPERTISE_LEVEL])


def is_expert(level: str | None) -> bool:
    """True for `practitioner`, `advanced` and `expert`."""
    return level in EXPERT_LEVELS


@dataclass(frozen=True, slots=True)
class LevelShare:
    """People at or above one level of a team, against the target for it."""

    level: str
    count: int  # people at or above the level, in the team and below
    share: Fraction | None  # count / headcount; None when the headcount is 0
    target: Fraction | None  # per cent, as written in catchball.yaml; None when no target
    below_target: bool  # a target is set and the share is smaller (exact, not rounded)


@dataclass(frozen=True, slots=True)
class TeamCapability:
    id: str
    depth: int  # in the org tree, root 0
    headcount: int
    headcount_given: bool  # the team's own `headcount`, not the people counted
    people: int  # people defined in the team and below
    levels: tuple[LevelShare, ...]  # one per level, low to high

    @property
    def below_target(self) -> tuple[LevelShare, ...]:
        return tuple(s for s in self.levels if s.below_target)


@dataclass(frozen=True, slots=True)
class TeamInput:
    """One team as the computation needs it (org-tree pre-order, root first)."""

    id: str
    parent: str | None
    depth: int
    headcount: int | None  # as written; None when not given
    levels: tuple[str | None, ...]  # improvement level of each person whose team this is


def team_capability(teams: Sequence[TeamInput], targets: Iterable[tuple[str, Fraction]] = ()) -> tuple[TeamCapability, ...]:
    """Headcount and people at or above each level, per team, in the order given.

    `teams` must be in pre-order (a parent before its children), so one pass
    from the end adds each team's counts into its parent's: linear in teams
    and people.
    """
    target_of = dict(targets)
    size = len(IMPROVEMENT_LEVELS)
    people = {t.id: len(t.levels) for t in teams}
    counts = {t.id: [0] * size for t in teams}
    for t in teams:
        row = counts[t.id]
        for level in t.levels:
            if level in _RANK:
                row[_RANK[level]] += 1
    for t in reversed(teams):
        if t.parent in counts:
            parent = counts[t.parent]
            for rank, n in enumerate(counts[t.id]):
                parent[rank] += n
            people[t.parent] += people[t.id]
    result = []
    for t in teams:
        headcount = t.headcount if t.headcount is not None else people[t.id]
        at_or_above, running = [0] * size, 0
        for rank in range(size - 1, -1, -1):
            running += counts[t.id][rank]
            at_or_above[rank] = running
        shares = tuple(
            level_share(level, at_or_above[rank], headcount, target_of.get(level))
            for rank, level in enumerate(IMPROVEMENT_LEVELS)
        )
        result.append(TeamCapability(t.id, t.depth, headcount, t.headcount is not None, people[t.id], shares))
    return tuple(result)


def level_share(level: str, count: int, headcount: int, target: Fraction | None) -> LevelShare:
    """`count` of `headcount` against a target in per cent; no share (and no shortfall) on a headcount of 0."""
    share = Fraction(count, headcount) if headcount > 0 else None
    below = target is not None and share is not None and share * 100 < target
    return LevelShare(level, count, share, target, below)


@dataclass(frozen=True, slots=True)
class SupportingObjective:
    """One objective in an aim's cascade, with the people who count for it."""

    id: str
    team: str | None  # its owner team
    individual: bool
    people: tuple[str, ...]  # owner or person, and the owner team's lead: defined people only
    experts: tuple[str, ...]  # those of `people` at practitioner or above
    individual_below: int = 0  # individual objectives in its own cascade (needed for gaps only)


@dataclass(frozen=True, slots=True)
class Gap:
    id: str
    team: str | None
    individual_below: int


@dataclass(frozen=True, slots=True)
class AimExpertise:
    id: str
    experts: tuple[str, ...]  # people at practitioner or above in the cascade, first met first
    team_objectives: int  # supporting team objectives
    covered: int  # of them, those with such a person
    share: Fraction | None  # covered / team_objectives; None with none
    gaps: tuple[Gap, ...]  # the biggest, at most MAX_GAPS
    uncovered: int  # every supporting team objective without such a person

    @property
    def without_expertise(self) -> bool:
        """CB702: nobody at practitioner or above anywhere in the cascade."""
        return not self.experts


def aim_expertise(aim_id: str, objectives: Sequence[SupportingObjective], max_gaps: int = MAX_GAPS) -> AimExpertise:
    """Expertise in one aim's cascade (objectives in cascade order, each once)."""
    experts = tuple(dict.fromkeys(p for o in objectives for p in o.experts))
    teams = [o for o in objectives if not o.individual]
    covered = sum(1 for o in teams if o.experts)
    gaps = [o for o in teams if not o.experts]
    order = {o.id: i for i, o in enumerate(gaps)}
    gaps.sort(key=lambda o: (-o.individual_below, order[o.id]))
    share = Fraction(covered, len(teams)) if teams else None
    return AimExpertise(
        aim_id,
        experts,
        len(teams),
        covered,
        share,
        tuple(Gap(o.id, o.team, o.individual_below) for o in gaps[:max_gaps]),
        len(gaps),
    )


@dataclass(frozen=True, slots=True)
class Capability:
    teams: tuple[TeamCapability, ...]
    aims: tuple[AimExpertise, ...]
    targets: tuple[tuple[str, Fraction], ...]


# -- from the cascade --------------------------------------------------------------


def capability_of(cascade, team: str | None = None, teams: bool = True, aims: bool = True) -> Capability:
    """Team rows and aim expertise for the whole organisation, or one team's branch."""
    targets = cascade.goals.settings.capability_targets or ()
    branch = cascade.branch(team) if team is not None else None
    team_rows = team_capability(team_inputs(cascade, branch), targets) if teams else ()
    aim_rows = tuple(expertise_rows(cascade, branch)) if aims else ()
    return Capability(team_rows, aim_rows, tuple(targets))


def team_inputs(cascade, branch: Sequence[str] | None = None) -> list[TeamInput]:
    """The teams of the org tree (or of `branch`, in pre-order) with their people's levels."""
    goals, org = cascade.goals, cascade.org
    order = org.order if branch is None else branch
    people = goals.people
    inputs = []
    for team_id in order:
        t = goals.teams[team_id]
        levels = tuple(people[p].improvement_level for p in cascade.members(team_id))
        parent = t.parent if branch is None or team_id != order[0] else None
        inputs.append(TeamInput(team_id, parent, org.depth.get(team_id, 0), t.headcount, levels))
    return inputs


def expertise_rows(cascade, branch: Sequence[str] | None = None) -> Iterable[AimExpertise]:
    """AimExpertise per active aim in read order; with a branch, only its objectives count."""
    in_branch = None if branch is None else set(branch)
    individual_below = cascade.counts_below(_individual)  # exact, one pass for every aim
    for aim in cascade.goals.aims.values():
        if aim.active:
            yield aim_expertise(aim.id, list(supporting_objectives(cascade, aim.id, in_branch, individual_below)))


def supporting_objectives(
    cascade, aim_id: str, in_branch: set[str] | None = None, individual_below: dict[str, int] | None = None
) -> Iterator[SupportingObjective]:
    """The objectives in an aim's cascade, each once, in cascade order, with the people who count for them.

    Without `individual_below` their `individual_below` is 0: CB702 asks only
    whether anyone is an expert, and stops at the first it meets.
    """
    goals = cascade.goals
    objectives, people, teams, owner_teams = goals.objectives, goals.people, goals.teams, cascade.owner_teams
    below_of = individual_below or {}
    experts_in = EXPERT_LEVELS
    for objective_id in cascade.ids_below(aim_id):  # each objective once
        objective = objectives[objective_id]
        team_id = owner_teams.get(objective_id)
        if in_branch is not None and team_id not in in_branch:
            continue
        # Written out rather than with generators: a report builds one per
        # objective of every aim's cascade, tens of thousands, most of them
        # individual objectives (Objective.is_individual), which count one person.
        person = objective.person
        if person is not None and objective.team is None:
            found = people.get(person)
            counted = () if found is None else (person,)
            experts = counted if found is not None and found.improvement_level in experts_in else ()
            yield _SUPPORTING(objective_id, team_id, True, counted, experts, below_of.get(objective_id, 0))
            continue
        owner = objective.owner
        lead = teams[team_id].lead if team_id is not None else None
        if owner is not None and owner in people:
            counted = (owner, lead) if lead is not None and lead != owner and lead in people else (owner,)
        else:
            counted = (lead,) if lead is not None and lead in people else ()
        experts = tuple(p for p in counted if people[p].improvement_level in experts_in) if counted else ()
        yield _SUPPORTING(objective_id, team_id, False, counted, experts, below_of.get(objective_id, 0))


def _individual(objective) -> bool:
    return objective.is_individual


_SUPPORTING = builder(SupportingObjective)  # tens of thousands per report: built quickly (model.builder)


def percent(value: Fraction | float) -> str:
    """A share in per cent for people: `12%`, `2.5%`, `0.08%`.

    Cut, never rounded up, so a share just under its target never reads as
    the target itself (9.96% shows as 9.9%, not 10%).
    """
    per_cent = Fraction(value) * 100 if isinstance(value, float) else value * 100
    places = 1 if per_cent >= 1 or per_cent == 0 else 2
    scaled = int(per_cent * 10**places)  # int() cuts towards zero
    text = f"{scaled / 10**places:.{places}f}".rstrip("0").rstrip(".")
    return f"{text}%"


def per_cent_text(target: Fraction) -> str:
    """A target as written, in per cent (`10%`, `0.1%`): targets come from decimal text, so this is exact."""
    text = f"{float(target):f}".rstrip("0").rstrip(".")
    return f"{text}%"


# -- as plain records, for JSON and the report -----------------------------------------


def _number(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def team_capability_record(goals, row: TeamCapability) -> dict:
    """One team's row (docs/commands.md, `catchball capability --format json`)."""
    team = goals.teams[row.id]
    return {
        "id": row.id,
        "name": team.name,
        "parent": team.parent,
        "depth": row.depth,
        "headcount": row.headcount,
        "headcount_given": row.headcount_given,
        "people": row.people,
        "levels": [
            {
                "level": s.level,
                "at_or_above": s.count,
                "share": _number(s.share),
                "target": None if s.target is None else float(s.target / 100),
                "below_target": s.below_target,
            }
            for s in row.levels
        ],
    }


def aim_expertise_record(goals, row: AimExpertise, people: bool = True) -> dict:
    """One aim's expertise; with `people` False no person is named (levels are personal data)."""
    aim = goals.aims[row.id]
    return {
        "id": row.id,
        "title": aim.title,
        "experts": len(row.experts),
        "expert_people": (
            [{"id": p, "name": goals.people[p].name or p, "level": goals.people[p].improvement_level} for p in row.experts]
            if people
            else None
        ),
        "team_objectives": row.team_objectives,
        "covered": row.covered,
        "covered_share": _number(row.share),
        "uncovered": row.uncovered,
        "gaps": [
            {
                "id": g.id,
                "title": goals.objectives[g.id].title,
                "team": g.team,
                "team_name": (goals.teams[g.team].name or g.team) if g.team in goals.teams else None,
                "individual_objectives_below": g.individual_below,
            }
            for g in row.gaps
        ],
        "without_expertise": row.without_expertise,
    }


def capability_document(result, capability: Capability, people: bool = True) -> dict:
    """`catchball capability --format json`: one document, keys in a stable order."""
    goals = result.goals
    targets = goals.settings.capability_targets
    return {
        "version": 1,
        "root": goals.display_root,
        "organisation": goals.settings.organisation,
        "period": goals.settings.period,
        "levels": list(IMPROVEMENT_LEVELS),
        "expertise_level": EXPERTISE_LEVEL,
        "targets": None if targets is None else {level: float(t / 100) for level, t in targets},
        "people_shown": people,
        "teams": [team_capability_record(goals, row) for row in capability.teams],
        "aims": [aim_expertise_record(goals, row, people) for row in capability.aims],
    }
