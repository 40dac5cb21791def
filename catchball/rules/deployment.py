"""Deployment rules (CB3xx): the aims are cascaded and every team caught the ball."""

from __future__ import annotations

from typing import Iterator

from catchball.findings import AIM, PERSON, TEAM, Finding, new_finding
from catchball.graph import Cascade
from catchball.rules.registry import rule


@rule("CB301")
def uncascaded_aim(cascade: Cascade) -> Iterator[Finding]:
    """An active aim that no active objective supports.

    What it checks
    Each active True North aim must be named in `supports` by at least one
    objective that is not dropped.

    Why it matters
    An aim nobody works on is a wish. The board has said it matters most,
    and the plan shows no effort towards it.

    Example
        aims:
          - id: TN-EQUITY
            title: Close the gap in outcomes between our most and least deprived
            # ... and no objective has supports: [TN-EQUITY]

    How to fix
    Ask the divisions and functions which of them will carry it this year,
    and have them throw back an objective that supports it. If nobody will,
    that is a board conversation about the aim.
    """
    for aim in cascade.goals.aims.values():
        if aim.active and not cascade.supporters(aim.id):
            message = f"aim {aim.id} has no active objective supporting it: nobody is working on it"
            yield new_finding("CB301", message, aim.id, aim.span, AIM)


@rule("CB302")
def silent_team(cascade: Cascade) -> Iterator[Finding]:
    """A team, other than the root, with no active objectives of its own or of its people.

    What it checks
    Every team below the board must own at least one active objective,
    itself or through the people whose `team` it is.

    Why it matters
    A silent team never caught the ball: either it has not engaged with the
    plan, or its objectives live somewhere nobody can see them.

    Example
        teams:
          - {id: pathology, name: Pathology, parent: clinical-support}
        # no file has team: pathology

    How to fix
    Hold the catchball conversation with the team's lead, and add its
    objectives (at least one that supports its parent team's).
    """
    goals = cascade.goals
    for team in goals.teams.values():
        if team.id == cascade.org.root:
            continue
        if any(o.active for o in cascade.team_objectives(team.id)):
            continue
        if any(o.active for p in cascade.members(team.id) for o in cascade.person_objectives(p)):
            continue
        message = f"team {team.id} has no active objectives: it has not caught the ball yet"
        yield new_finding("CB302", message, team.id, team.span, TEAM)


@rule("CB303")
def too_many_aims(cascade: Cascade) -> Iterator[Finding]:
    """More active aims than `max-aims` (5 unless catchball.yaml says otherwise).

    What it checks
    The number of active True North aims against `rules: max-aims`. The
    finding is placed on the last active aim in read order.

    Why it matters
    True North is a few bold aims. With ten, everything is a priority and
    nothing is: effort spreads thin and the cascade cannot focus.

    Example
        # catchball.yaml
        rules: {max-aims: 5}
        # ... and seven active aims in true-north.yaml

    How to fix
    Merge aims that overlap, retire (`status: retired`) those that are
    business as usual, or make the case to raise `max-aims`.
    """
    limit = cascade.goals.settings.max_aims
    active = [a for a in cascade.goals.aims.values() if a.active]
    if len(active) > limit:
        last = active[-1]
        message = f"{len(active)} active aims, more than max-aims ({limit}): True North should be a few bold aims"
        yield new_finding("CB303", message, last.id, last.span, AIM)


@rule("CB304")
def too_many_objectives(cascade: Cascade) -> Iterator[Finding]:
    """A team or person owns more active objectives than `max-objectives` (5 unless set).

    What it checks
    For each team, the active objectives it owns itself (not its people's);
    for each person, their own active objectives.

    Why it matters
    Twenty "priorities" are none. A short list is what makes a plan
    something a team can actually deliver and review each month.

    Example
        team: medicine
        objectives: [MED-1, MED-2, MED-3, MED-4, MED-5, MED-6]   # six

    How to fix
    Combine objectives that serve the same aim, or drop the ones that are
    business as usual (keep them as measures if they matter).
    """
    goals = cascade.goals
    limit = goals.settings.max_objectives
    for team in goals.teams.values():
        count = sum(o.active for o in cascade.team_objectives(team.id))
        if count > limit:
            message = f"team {team.id} owns {count} active objectives, more than max-objectives ({limit})"
            yield new_finding("CB304", message, team.id, team.span, TEAM)
    for person in goals.people.values():
        count = sum(o.active for o in cascade.person_objectives(person.id))
        if count > limit:
            message = f"person {person.id} has {count} active objectives, more than max-objectives ({limit})"
            yield new_finding("CB304", message, person.id, person.span, PERSON)
