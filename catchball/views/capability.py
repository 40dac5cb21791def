"""`catchball capability`: the skills escalator per team, and expertise against the aims."""

from __future__ import annotations

from typing import Iterator

from catchball.capability import EXPERTISE_LEVEL, Capability, TeamCapability, per_cent_text, percent
from catchball.model import IMPROVEMENT_LEVELS
from catchball.trace import display_name
from catchball.views.lines import Line, organisation_line

BAR = 20  # cells: one per 5% of headcount
LEVEL_WIDTH = max(len(level) for level in IMPROVEMENT_LEVELS)
NAME_WIDTH = 48  # a team heading never grows past this; longer names are cut with …
TITLE_WIDTH = 44
NAMES_SHOWN = 12  # experts named per aim before "and N more"
WRAP = 78  # long lines (names) wrap here, with a hanging indent: views do not know the terminal's width


def bar(share) -> str:
    """A share of headcount as 20 cells, rounded down (a cell shows only once 5% is reached)."""
    filled = 0 if share is None else max(0, min(BAR, int(share * BAR)))
    return "█" * filled + "·" * (BAR - filled)


class CapabilityView:
    def __init__(self, result, capability: Capability, people: bool = True) -> None:
        self.result = result
        self.goals = result.goals
        self.capability = capability
        self.people = people

    def lines(self) -> Iterator[Line]:
        yield organisation_line(self.goals.settings, "Improvement capability")
        yield Line(0).add(f"Improvement capability ({self.goals.display_root})", "dim")
        if not self.people:
            yield Line(0).add("Names left out (--no-people): counts only.", "dim")
        yield Line(0)
        yield from self.targets()
        yield from self.teams()
        yield from self.aims()

    def targets(self) -> Iterator[Line]:
        targets = self.capability.targets
        if self.goals.settings.capability_targets is None:
            yield Line(0).add("No capability targets: add `capability: targets:` to catchball.yaml "
                              "(docs/capability.md).", "dim")
        elif not targets:
            yield Line(0).add("No level has a target in catchball.yaml.", "dim")
        else:
            written = ", ".join(f"{level} {per_cent_text(t)}" for level, t in targets)
            yield from _wrapped(0, f"Targets, the share of headcount at or above a level: {written}")
        yield Line(0)

    # -- teams ------------------------------------------------------------------

    def teams(self) -> Iterator[Line]:
        rows = self.capability.teams
        if not rows:
            yield Line(0).add("No org tree to count people in.", "dim")
            yield Line(0)
            return
        top = rows[0].depth
        for row in rows:
            yield from self.team(row, row.depth - top)

    def team(self, row: TeamCapability, depth: int) -> Iterator[Line]:
        team = self.goals.teams[row.id]
        label = f"{team.name or team.id} ({team.id})"
        if len(label) > NAME_WIDTH:
            label = label[: NAME_WIDTH - 1] + "…"
        counted = "headcount" if row.headcount_given else ("person defined" if row.headcount == 1 else "people defined")
        yield Line(depth).add(label, "bold").add(f"  {row.headcount:,} {counted}", "dim")
        for share in row.levels:
            line = Line(depth + 1).add(share.level.ljust(LEVEL_WIDTH + 2))
            style = "red" if share.below_target else ("green" if share.target is not None else None)
            cells = bar(share.share)
            filled = cells.rstrip("·")
            line.add(filled, style).add(cells[len(filled):], "dim")
            shown = percent(share.share) if share.share is not None else "–"
            line.add(f" {share.count:>6,} {shown:>6}")
            if share.below_target:
                line.add(f"  short of {per_cent_text(share.target)}", "red")
            elif share.target is not None:
                line.add(f"  target {per_cent_text(share.target)}", "dim")
            yield line
        yield Line(0)

    # -- aims -------------------------------------------------------------------

    def aims(self) -> Iterator[Line]:
        yield Line(0).add(f"Expertise against the aims ({EXPERTISE_LEVEL} or above)", "bold")
        rows = self.capability.aims
        if not rows:
            yield Line(1).add("No active aims.", "dim")
        for row in rows:
            aim = self.goals.aims[row.id]
            yield Line(1).add(row.id, "bold").add(f"  {_cut(aim.title or '', TITLE_WIDTH + 20)}")
            if row.without_expertise:
                where = "in its cascade" if row.team_objectives else "(nothing supports it yet)"
                yield Line(2).add(f"▲ nobody at {EXPERTISE_LEVEL} or above {where}", "yellow")
            else:
                n = len(row.experts)
                yield from _wrapped(2, f"{n} {'person' if n == 1 else 'people'} in its cascade{self.names(row.experts)}")
            if row.team_objectives:
                covered = f"{row.covered} of {row.team_objectives} supporting team objectives have one"
                yield Line(2).add(f"{covered} ({percent(row.share)})")
            for gap in row.gaps:
                objective = self.goals.objectives[gap.id]
                team = self.goals.teams.get(gap.team) if gap.team else None
                below = gap.individual_below
                yield Line(3).add("gap ", "yellow").add(gap.id, "bold").add(f"  {_cut(objective.title or '', TITLE_WIDTH)}")
                yield Line(5).add(
                    f"{_cut(team.name or team.id, TITLE_WIDTH) if team else 'team unknown'}"
                    f" · {below:,} individual objective{'s' if below != 1 else ''} below",
                    "dim",
                )
            more = row.uncovered - len(row.gaps)
            if more > 0:
                yield Line(3).add(f"… and {more} more without such a person", "dim")
        yield Line(0)

    def names(self, experts: tuple[str, ...]) -> str:
        if not self.people:
            return ""
        names = [display_name(self.goals, p) or p for p in experts[:NAMES_SHOWN]]
        rest = len(experts) - len(names)
        return ": " + ", ".join(names) + (f" and {rest} more" if rest > 0 else "")


def _wrapped(depth: int, text: str) -> Iterator[Line]:
    import textwrap

    for number, part in enumerate(textwrap.wrap(text, WRAP - 2 * depth - 2) or [""]):
        yield Line(depth if number == 0 else depth + 1).add(part)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
