"""Alignment rules (CB2xx): every objective has a line of sight up to True North."""

from __future__ import annotations

from typing import Iterator

from catchball.findings import OBJECTIVE, Finding, new_finding
from catchball.graph import Cascade
from catchball.rules.registry import rule
from catchball.spelling import Suggestions


def _label(cascade: Cascade, goal_id: str) -> str:
    noun = "aim" if goal_id in cascade.goals.aims else "objective"
    return f"{noun} {goal_id}"


@rule("CB201")
def orphan(cascade: Cascade) -> Iterator[Finding]:
    """An active objective does not trace to an active True North aim.

    What it checks
    Following `supports` links upwards, through objectives that are not
    dropped, must reach an active aim. Misaligned links still count for this;
    links to dropped objectives or retired aims do not.

    Why it matters
    An orphan is effort with no line of sight to what the board asked for:
    the person doing it cannot say which aim it serves, and nobody above
    will count it.

    Example
        - id: W7-9
          title: Repaint the day room       # supports nothing

    How to fix
    Link it (`supports:`) to the objective of your team or the team above
    that it serves. If it serves none, talk about whether to drop it: that
    conversation is the point of catchball.
    """
    goals = cascade.goals
    traced = cascade.traced
    for objective in goals.objectives.values():
        if objective.active and objective.id not in traced:
            reason = "" if objective.supports else " (it supports nothing)"
            message = f"objective {objective.id} does not trace to any True North aim{reason}"
            yield new_finding("CB201", message, objective.id, objective.span, OBJECTIVE)


@rule("CB202")
def dangling_support(cascade: Cascade) -> Iterator[Finding]:
    """`supports` names an id that does not exist.

    What it checks
    Every id in an active objective's `supports` must be an aim or an
    objective defined somewhere in the goals repository.

    Why it matters
    A link to nothing is usually a typo or an objective that was renamed
    above: the line of sight is broken without anyone noticing.

    Example
        - id: SURG-1
          supports: [TN-SAEF]         # the aim is TN-SAFE

    How to fix
    Correct the id (the message suggests the closest one), or link to the
    objective that replaced the one that was removed.
    """
    goals = cascade.goals
    known = goals.aims.keys() | goals.objectives.keys()
    suggestions = None
    for objective in goals.objectives.values():
        if not objective.active:
            continue
        for target in objective.supports:
            if target not in known:
                suggestions = suggestions or Suggestions(known)
                hint = suggestions.hint(target)
                message = f"objective {objective.id} supports `{target}`, which is not defined{hint}"
                yield new_finding("CB202", message, objective.id, objective.span, OBJECTIVE)


@rule("CB203")
def support_cycle(cascade: Cascade) -> Iterator[Finding]:
    """`supports` links form a cycle.

    What it checks
    No chain of `supports` links between active objectives may come back to
    where it started. Each cycle is reported once, on its first objective in
    read order.

    Why it matters
    Objectives that support each other justify each other and nothing else:
    the loop has no line of sight to True North.

    Example
        - {id: OPS-1, title: Flow, supports: [OPS-2]}
        - {id: OPS-2, title: Discharge, supports: [OPS-1]}

    How to fix
    Decide which objective serves which, and point the top one of the loop
    at the objective or aim it serves above.
    """
    goals = cascade.goals
    for group in cascade.support_cycles():
        first = goals.objectives[group[0]]
        members = ", ".join(group)
        message = f"objectives support each other in a cycle: {members}"
        yield new_finding("CB203", message, first.id, first.span, OBJECTIVE, cascade.people_in(*group))


@rule("CB204")
def misaligned(cascade: Cascade) -> Iterator[Finding]:
    """A `supports` link is not upward.

    What it checks
    Each link must go to an aim or an objective owned by the objective's own
    team or one of the teams above it in the org tree. A link to a sibling,
    cousin or lower team is misaligned. (A person's objectives sit at the
    person's team.)

    Why it matters
    Catchball runs up and down the organisation. A sideways link means a team
    has signed up to another team's objective without that team's
    management chain agreeing it; a downward one turns the cascade upside
    down.

    Example
        # objectives/ward-7.yaml (ward 7 is in surgery)
        team: ward-7
        objectives:
          - id: W7-3
            supports: [MED-2]         # a medicine division objective

    How to fix
    Support the objective of your own team or the team above that covers the
    same ground; if the work really serves another division, agree a shared
    objective at the level above both.
    """
    for objective, team, target, target_team, gap in cascade.links():
        if gap is None:
            message = (
                f"objective {objective.id} ({team}) supports {_label(cascade, target)} of {target_team}, "
                f"which is not above {team} in the org tree"
            )
            yield new_finding(
                "CB204", message, objective.id, objective.span, OBJECTIVE, cascade.people_in(target)
            )


@rule("CB205")
def supports_inactive(cascade: Cascade) -> Iterator[Finding]:
    """A `supports` link targets a dropped objective or a retired aim.

    What it checks
    Links from active objectives to objectives whose status is `dropped` or
    to aims whose status is `retired`. Such links do not count for tracing.

    Why it matters
    When the level above drops an objective, the work below it has lost its
    reason: it needs a new home or a decision to stop.

    Example
        - id: W7-2
          supports: [SURG-4]          # SURG-4 has status: dropped

    How to fix
    Re-link the objective to what replaced the dropped one, or drop it too.
    """
    goals = cascade.goals
    for objective in goals.objectives.values():
        if not objective.active:
            continue
        for target in cascade.targets(objective.id):
            element = goals.goal(target)
            if element is not None and not element.active:
                state = "retired aim" if target in goals.aims else "dropped objective"
                message = f"objective {objective.id} supports {state} {target}"
                yield new_finding(
                    "CB205", message, objective.id, objective.span, OBJECTIVE, cascade.people_in(target)
                )


@rule("CB206")
def skip_level(cascade: Cascade) -> Iterator[Finding]:
    """A `supports` link skips a level of the org tree.

    What it checks
    A link to an aim or objective owned by a team two or more levels above
    the objective's team. A team's objectives should support its own or its
    parent team's; a division's (whose parent is the board) support the
    aims.

    Why it matters
    Catchball is a conversation between adjacent levels. A ward that links
    straight to a board aim has bypassed its division, which then cannot
    see, agree or resource that work.

    Example
        team: ward-7                  # ward-7 -> surgery -> board
        objectives:
          - id: W7-1
            supports: [TN-SAFE]       # a board aim, two levels up

    How to fix
    Support the division's objective that serves that aim; if there is none,
    that gap is the conversation to have with the division.
    """
    for objective, team, target, target_team, gap in cascade.links():
        if gap is not None and gap >= 2:
            message = (
                f"objective {objective.id} ({team}) supports {_label(cascade, target)} of {target_team}, "
                f"{gap} levels up: link through the level in between"
            )
            yield new_finding(
                "CB206", message, objective.id, objective.span, OBJECTIVE, cascade.people_in(target)
            )
