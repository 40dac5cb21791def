"""`catchball trace`: one element's line of sight up to True North, and everything below it.

Each path is drawn from the aim down to the element, one level of indent a
step, so it reads like the cascade. Findings appear under an element the
first time it is shown.
"""

from __future__ import annotations

from typing import Iterator

from catchball.subjects import FindingIndex
from catchball.trace import LineOfSight, display_name
from catchball.views.lines import STATUS_STYLE, Line, finding_line
from catchball.views.measures import add_summary, charts_by_place


class TraceView:
    def __init__(self, result, sight: LineOfSight) -> None:
        self.result = result
        self.cascade = result.cascade
        self.goals = result.goals
        self.sight = sight
        self.by_element = FindingIndex(result.findings, result.goals)
        self.shown: set[str] = set()
        self.measure_charts = charts_by_place(result)

    def lines(self) -> Iterator[Line]:
        yield from self.title()
        yield from self.up()
        yield from self.dead_ends()
        yield from self.down()
        yield from self.verdict()

    # -- the element ---------------------------------------------------------

    def title(self) -> Iterator[Line]:
        goal_id = self.sight.id
        element = self.goals.goal(goal_id)
        kind = "aim" if goal_id in self.goals.aims else "objective"
        yield Line(0).add(f"Line of sight for {kind} ", "bold").add(goal_id, "bold").add(
            f"  {element.title or ''}", "bold"
        )
        details = [self.team_text(goal_id)]
        owner = self.owner_text(goal_id)
        if owner:
            details.append(owner)
        due = getattr(element, "due", None)
        if due:
            details.append(f"due {due.isoformat()}")
        line = Line(1).add(" · ".join(details) + " · ", "dim").add(element.status, STATUS_STYLE.get(element.status))
        yield line
        yield Line(1).add(f"{element.span.file}:{element.span.line}", "dim")
        yield from self.findings(goal_id, 1)
        if goal_id in self.goals.objectives and not element.active:
            yield Line(1).add("dropped: kept for the record, it takes no part in tracing", "italic dim")
        yield Line(0)

    # -- up ------------------------------------------------------------------

    def up(self) -> Iterator[Line]:
        sight = self.sight
        if sight.id in self.goals.aims:
            aim = self.goals.aims[sight.id]
            text = "a True North aim" if aim.active else "a retired True North aim: it takes no part in tracing"
            yield Line(0).add(f"{sight.id} is {text}.", "bold")
            yield Line(0)
            return
        if not sight.paths:
            return
        count = len(sight.paths)
        yield Line(0).add(f"Up to True North ({count} path{'s' if count != 1 else ''}", "bold").add(
            f"{', showing the first ' + str(count) if sight.truncated else ''})", "bold"
        )
        for number, path in enumerate(sight.paths, 1):
            if count > 1:
                yield Line(1).add(f"path {number} of {count}", "dim")
            for depth, step in enumerate(reversed(path)):
                line = self.element_line(step, depth + 1)
                if step == sight.id:
                    line.add("  ◀", "bold")
                yield line
                yield from self.findings(step, depth + 2)
        yield Line(0)

    def dead_ends(self) -> Iterator[Line]:
        ends = self.sight.dead_ends
        if not ends:
            return
        heading = "Stops short of True North" if not self.sight.paths else "Links that stop short of True North"
        yield Line(0).add(f"{heading} ({len(ends)})", "bold red" if not self.sight.paths else "bold yellow")
        for end in ends:
            line = Line(1)
            if len(end.path) > 1:
                line.add(" → ".join(end.path), "bold").add(": ")
            yield line.add(end.message())
            for step in end.path:
                yield from self.findings(step, 2)
        yield Line(0)

    # -- down ----------------------------------------------------------------

    def down(self) -> Iterator[Line]:
        below = self.sight.below
        count = self.sight.supporters
        if not below:
            yield Line(0).add("Supported by: nothing yet", "bold")
            yield Line(1).add("no active objective supports this", "italic dim")
            yield Line(0)
            return
        yield Line(0).add(f"Supported by ({count} objective{'s' if count != 1 else ''})", "bold")
        for item in below:
            line = self.element_line(item.id, item.depth)
            if item.repeat:
                line.add("  (shown above)", "dim")
                yield line
                continue
            yield line
            yield from self.findings(item.id, item.depth + 1)
        yield Line(0)

    def verdict(self) -> Iterator[Line]:
        sight = self.sight
        if sight.id in self.goals.aims:
            return
        if sight.traces:
            yield Line(0).add("Traces to True North", "bold green")
        else:
            yield Line(0).add("Does not trace to True North", "bold red")

    # -- pieces --------------------------------------------------------------

    def element_line(self, goal_id: str, depth: int) -> Line:
        element = self.goals.goal(goal_id)
        line = Line(depth)
        if goal_id in self.goals.aims:
            line.add(f"◆ {goal_id}", "bold magenta")
        else:
            line.add(goal_id, "bold")
        line.add(f"  {element.title or ''}")
        details = [self.team_text(goal_id, short=True)]
        owner = self.owner_text(goal_id)
        if owner:
            details.append(owner)
        line.add(f"  [{' · '.join(details)} · ", "dim")
        line.add(element.status, STATUS_STYLE.get(element.status)).add("]", "dim")
        return line

    def team_text(self, goal_id: str, short: bool = False) -> str:
        team_id = self.cascade.owner_team(goal_id)
        if team_id is None:
            return "team unknown"
        name = self.goals.teams[team_id].name or team_id
        return name if short else f"{name} ({team_id})"

    def owner_text(self, goal_id: str) -> str | None:
        objective = self.goals.objectives.get(goal_id)
        if objective is not None and objective.is_individual:
            return f"👤 {display_name(self.goals, objective.person)}"
        element = self.goals.goal(goal_id)
        return f"owner {display_name(self.goals, element.owner)}" if element.owner else None

    def findings(self, goal_id: str, depth: int) -> Iterator[Line]:
        """The element's findings, then its measures that have data, the first time it is shown."""
        if goal_id in self.shown:
            return
        self.shown.add(goal_id)
        for f in self.by_element.get(goal_id, ()):
            yield finding_line(depth, f)
        element = self.goals.goal(goal_id)
        for index, measure in enumerate(element.measures if element is not None else (), 1):
            chart = self.measure_charts.get((goal_id, index))
            if chart is not None and (chart.has_data or chart.fault):
                yield add_summary(Line(depth).add("▸ ", "magenta").add(measure.name, "italic"), chart)
