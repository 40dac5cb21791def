"""Catchball rules (CB5xx): where each objective's conversation stands."""

from __future__ import annotations

from typing import Iterator

from catchball.findings import OBJECTIVE, Finding, new_finding
from catchball.graph import Cascade
from catchball.model import CHALLENGED, PROPOSED
from catchball.rules.registry import rule


@rule("CB501")
def challenged(cascade: Cascade) -> Iterator[Finding]:
    """An objective's status is `challenged`.

    What it checks
    Objectives the level above has thrown back (`status: challenged`).

    Why it matters
    A challenged objective is an open conversation: until its owner and the
    level above agree it, the plan below it is built on sand.

    Example
        - id: ED-3
          title: Reduce 12-hour stays in ED to under 2%
          status: challenged

    How to fix
    Meet, agree the objective (or a changed one), and set `status: agreed`;
    or drop it.
    """
    for objective in cascade.goals.objectives.values():
        if objective.status == CHALLENGED:
            message = f"objective {objective.id} has been challenged: the ball is with its owner"
            yield new_finding("CB501", message, objective.id, objective.span, OBJECTIVE)


@rule("CB502")
def proposed(cascade: Cascade) -> Iterator[Finding]:
    """An objective's status is `proposed`.

    What it checks
    Objectives thrown up to the level above and not yet agreed
    (`status: proposed`).

    Why it matters
    Proposed objectives are the normal state mid-round; this note lets the
    level above see what is waiting for them.

    Example
        - id: W3-3
          title: Red-to-green bed days on ward 3
          status: proposed

    How to fix
    The lead of the team above agrees it (`status: agreed`) or challenges it
    (`status: challenged`).
    """
    for objective in cascade.goals.objectives.values():
        if objective.status == PROPOSED:
            message = f"objective {objective.id} is proposed and waiting for agreement from the level above"
            yield new_finding("CB502", message, objective.id, objective.span, OBJECTIVE)
