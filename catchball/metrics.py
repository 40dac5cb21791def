"""Headline numbers of a cascade, shared by the cascade view and the reports."""

from __future__ import annotations

from dataclasses import dataclass

from catchball.findings import ERROR, INFO, WARNING


@dataclass(frozen=True, slots=True)
class Headline:
    active_objectives: int
    traced_objectives: int
    active_aims: int
    supported_aims: int
    teams_below_root: int
    engaged_teams: int
    errors: int
    warnings: int
    infos: int

    @property
    def traced_share(self) -> float:
        """Share (0 to 1) of active objectives that trace to True North; 1 when there are none."""
        return self.traced_objectives / self.active_objectives if self.active_objectives else 1.0


def engaged_teams(cascade) -> set[str]:
    """Teams below the root with at least one active objective of their own or of their people."""
    engaged = set()
    for objective in cascade.goals.objectives.values():
        if objective.active:
            team = cascade.owner_team(objective.id)
            if team is not None:
                engaged.add(team)
    engaged.discard(cascade.org.root)
    return engaged


def headline(result) -> Headline:
    cascade = result.cascade
    goals = cascade.goals
    active = [o for o in goals.objectives.values() if o.active]
    active_aims = [a for a in goals.aims.values() if a.active]
    return Headline(
        active_objectives=len(active),
        traced_objectives=len(cascade.traced),
        active_aims=len(active_aims),
        supported_aims=sum(1 for a in active_aims if cascade.supporters(a.id)),
        teams_below_root=sum(1 for t in goals.teams if t != cascade.org.root),
        engaged_teams=len(engaged_teams(cascade)),
        errors=result.count(ERROR),
        warnings=result.count(WARNING),
        infos=result.count(INFO),
    )


def percent(share) -> str:
    """A share from 0 to 1 as a whole percentage, rounded down (99.6% shows as 99%, never 100%).

    Rounded down everywhere (terminal, report) so that 100% means every one.
    """
    if share is None:
        return "?"
    return f"{int(float(share) * 100 + 1e-9)}%"


def counted(number: int, noun: str) -> str:
    """`1 error`, `2 errors`: a count with its noun in the right number."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def severity_counts(errors: int, warnings: int, infos: int) -> str:
    """The counts line every format ends with: `1 error, 4 warnings, 0 infos`."""
    return f"{counted(errors, 'error')}, {counted(warnings, 'warning')}, {counted(infos, 'info')}"


def scope_text(summary: dict) -> str:
    """What was checked, from the JSON summary: `29 files, 5 aims, 22 teams, 30 people, 93 objectives`."""
    people = "1 person" if summary["people"] == 1 else f"{summary['people']} people"
    return ", ".join(
        [counted(summary["files"], "file"), counted(summary["aims"], "aim"), counted(summary["teams"], "team"),
         people, counted(summary["objectives"], "objective")]
    )

