"""Quality rules (CB4xx): aims and objectives are measured, owned and timed."""

from __future__ import annotations

from typing import Iterator

from catchball.findings import AIM, MEASURE, OBJECTIVE, Finding, new_finding
from catchball.graph import Cascade
from catchball.rules.registry import rule


def _active_goals(cascade: Cascade):
    yield from (a for a in cascade.goals.aims.values() if a.active)
    yield from (o for o in cascade.goals.objectives.values() if o.active)


def _noun(cascade: Cascade, goal) -> str:
    """AIM or OBJECTIVE: what a goal from `_active_goals` is (an id names one element of one kind)."""
    return AIM if goal.id in cascade.goals.aims else OBJECTIVE


@rule("CB401")
def unmeasured(cascade: Cascade) -> Iterator[Finding]:
    """An active aim or team objective has no measures.

    What it checks
    Every active aim and every active team objective must have at least one
    entry in `measures`. Individual objectives are exempt.

    Why it matters
    Without a measure nobody can tell whether the aim or objective is being
    met, and the monthly review becomes a matter of opinion.

    Example
        - id: RAD-3
          title: Introduce AI triage of chest X-rays
          # no measures

    How to fix
    Add a measure with a `name`, `baseline`, `target` and `by` date: how
    will you know that it worked?
    """
    for goal in _active_goals(cascade):
        if getattr(goal, "person", None) is not None and getattr(goal, "team", None) is None:
            continue
        if not goal.measures:
            noun = _noun(cascade, goal)
            message = f"{noun} {goal.id} has no measures"
            yield new_finding("CB401", message, goal.id, goal.span, noun)


@rule("CB402")
def unowned(cascade: Cascade) -> Iterator[Finding]:
    """A team objective has no `owner`.

    What it checks
    Every active team objective names the person accountable for it in
    `owner`.

    Why it matters
    An objective owned by "the team" is owned by nobody: there is no one to
    throw the ball back to, and no one to report on it.

    Example
        - id: SURG-3
          title: Theatre utilisation at 85%
          # no owner

    How to fix
    Add `owner:` with the person's id (from `people`), usually the team's
    lead or the clinical lead for the work.
    """
    for objective in cascade.goals.objectives.values():
        if objective.active and objective.team is not None and objective.person is None and objective.owner is None:
            message = f"objective {objective.id} has no owner: name the accountable person"
            yield new_finding("CB402", message, objective.id, objective.span, OBJECTIVE)


@rule("CB403")
def due_after_target(cascade: Cascade) -> Iterator[Finding]:
    """An objective is due after what it supports.

    What it checks
    An active objective's `due` date against each active target: an
    objective's `due`, or an aim's latest measure `by`. Nothing is compared
    where either date is missing.

    Why it matters
    Work that finishes after the objective it feeds cannot contribute to it:
    the plan is late by design.

    Example
        - id: W7-1
          due: 2027-06-30
          supports: [SURG-1]          # SURG-1 is due 2027-03-31

    How to fix
    Bring the date forward, or agree a later date for the objective above.
    """
    goals = cascade.goals
    for objective in goals.objectives.values():
        if not objective.active or objective.due is None:
            continue
        for target in cascade.targets(objective.id):
            element = goals.goal(target)
            if element is None or not element.active:
                continue
            limit = element.latest_by if target in goals.aims else element.due
            if limit is not None and objective.due > limit:
                message = f"objective {objective.id} is due {objective.due}, after {target} ({limit})"
                yield new_finding("CB403", message, objective.id, objective.span, OBJECTIVE)


@rule("CB404")
def incomplete_measure(cascade: Cascade) -> Iterator[Finding]:
    """A measure lacks a baseline or a target.

    What it checks
    Every measure of an active aim or objective gives both `baseline` (where
    we are) and `target` (where we aim to be).

    Why it matters
    A measure with no baseline cannot show improvement; one with no target
    cannot show whether the aim was met.

    Example
        measures:
          - name: Staff survey engagement score
            target: 7.2               # no baseline

    How to fix
    Add the missing number. If there is no baseline yet, measure it first:
    that is the first action of the objective.
    """
    for goal in _active_goals(cascade):
        for measure in goal.measures:
            missing = [k for k in ("baseline", "target") if getattr(measure, k) is None]
            if missing:
                noun = _noun(cascade, goal)
                message = f"{noun} {goal.id}: measure {measure.name!r} has no {' or '.join(missing)}"
                yield new_finding("CB404", message, goal.id, goal.span, MEASURE)


@rule("CB405")
def overdue(cascade: Cascade) -> Iterator[Finding]:
    """An active objective, not `done`, whose `due` date has passed.

    What it checks
    Every active objective that is not marked `status: done` against the
    as-of date: today, or the date given with `--as-of YYYY-MM-DD` (so a CI
    result can be reproduced on any later day). An objective due on the
    as-of date itself is not yet overdue.

    Why it matters
    A due date that slipped by unremarked is the plan quietly drifting. Either
    the work was delivered and nobody said so, or it is late and the teams it
    supports should know.

    Example
        - id: ED-2
          title: Open the same-day emergency care unit seven days a week
          due: 2026-09-30             # and the as-of date is 2026-12-01
          status: agreed

    How to fix
    If the work was delivered, set `status: done`. If it is late, agree a new
    `due` date with the team above and say why in the `description`.
    """
    as_of = cascade.as_of
    for objective in cascade.goals.objectives.values():
        if objective.active and not objective.done and objective.due is not None and objective.due < as_of:
            days = (as_of - objective.due).days
            message = (
                f"objective {objective.id} was due {objective.due.isoformat()}, {days} day{'s' if days != 1 else ''} "
                f"before {as_of.isoformat()}: mark it done, or agree a new date"
            )
            yield new_finding("CB405", message, objective.id, objective.span, OBJECTIVE)
