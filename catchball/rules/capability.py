"""Capability rules (CB7xx): improvement skills where the plan needs them.

Both fire only where catchball.yaml has a `capability` block: a person's
`improvement-level` is a v1 field, so recording levels alone changes no
finding.
"""

from __future__ import annotations

from typing import Iterator

from catchball.capability import (
    EXPERTISE_LEVEL,
    AimExpertise,
    aim_expertise,
    capability_of,
    per_cent_text,
    percent,
    supporting_objectives,
)
from catchball.findings import AIM, TEAM, Finding, new_finding
from catchball.graph import Cascade
from catchball.rules.registry import rule


@rule("CB701")
def capability_below_target(cascade: Cascade) -> Iterator[Finding]:
    """The root team, or a team with a `headcount`, has a smaller share at or above a level than its target.

    What it checks
    For each level with a target in catchball.yaml (`capability: targets:`),
    the share of the team's headcount at that level or above it, in the
    root team and in every team that gives its own `headcount`. A team's
    headcount is its `headcount` when given, else the people defined in it
    and below; the people counted are those defined in it and below, with
    their `improvement-level`. One finding per team names every level
    short of its target.

    Why it matters
    Aqua's improvement organisation rests on capability built as a skills
    escalator, a "dosing formula" of how many people need each level, "from
    the many who require a foundational awareness … to the few who are seen
    as deep experts". The targets are the organisation's own dose (IHI
    publishes no fixed ratios); this note shows where the plan's teams are
    short of it, so training can go where it is missing.

    Example
        # catchball.yaml
        capability:
          targets:
            foundation: 20%
            practitioner: 5%
        # org.yaml: surgery has headcount: 1800, and 40 of its people
        # have improvement-level: practitioner or above (2.2%)

    How to fix
    Record the levels people hold (`improvement-level` on each person), or
    plan the training that closes the gap (for example an objective of the
    team's own to train its ward leaders). If the target is wrong for this
    year, change it in catchball.yaml.
    """
    targets = cascade.goals.settings.capability_targets
    if not targets:
        return
    teams = cascade.goals.teams
    for row in capability_of(cascade, aims=False).teams:
        if not (row.id == cascade.org.root or row.headcount_given):
            continue
        short = row.below_target
        if not short:
            continue
        parts = [
            f"{s.level} or above {percent(s.share)} ({s.count:,} of {row.headcount:,}) against {per_cent_text(s.target)}"
            for s in short
        ]
        team = teams[row.id]
        message = f"team {row.id} is short of its capability target{'s' if len(short) != 1 else ''}: " + "; ".join(parts)
        yield new_finding("CB701", message, row.id, team.span, TEAM)


@rule("CB702")
def aim_without_expertise(cascade: Cascade) -> Iterator[Finding]:
    """An active aim whose supporting cascade has nobody at `practitioner` or above.

    What it checks
    For each active aim, the people in its supporting cascade: the owners of
    its supporting team objectives, the leads of the teams that own them,
    and the people of its supporting individual objectives. At least one of
    them must have `improvement-level` practitioner, advanced or expert.
    Only where catchball.yaml has a `capability` block.

    Why it matters
    Aqua's test of an improvement operating system is blunt: "Are our
    improvement programmes and expertise focused onto those key aims?"
    Forum Strategy asks boards: "Does your organisation have (enough)
    sufficiently experienced and skilled improvement leaders?" An aim that
    nobody skilled in improvement works on relies on effort alone, and the
    board's priorities get the least help from the people trained to give it.

    Example
        aims:
          - {id: TN-EQUITY, title: Close the gap in outcomes}
        objectives:
          - id: POP-1
            title: Targeted outreach in the two most deprived wards
            supports: TN-EQUITY
            owner: dlee        # improvement-level: foundation
        # and nobody else below TN-EQUITY is at practitioner or above

    How to fix
    `catchball capability` lists, per aim, the supporting objectives with
    no such person and the most individual objectives below them: ask a
    practitioner to own or coach one of those, put one on the team that
    leads it, or record the levels people already hold.
    """
    if cascade.goals.settings.capability_targets is None:
        return
    for aim in cascade.goals.aims.values():
        if not aim.active:
            continue
        met = []
        for supporting in supporting_objectives(cascade, aim.id):
            if supporting.experts:
                break  # one expert is enough: most cascades end their walk early here
            met.append(supporting)
        else:
            yield _without_expertise(aim_expertise(aim.id, met), aim.span)


def _without_expertise(row: AimExpertise, span) -> Finding:
    objectives = row.team_objectives
    where = (
        f"among the owners and leads of its {objectives} supporting team objective{'s' if objectives != 1 else ''}"
        " or the people of its individual objectives"
        if objectives
        else "in its cascade"
    )
    message = f"aim {row.id} has nobody at {EXPERTISE_LEVEL} level or above {where}"
    return new_finding("CB702", message, row.id, span, AIM)
