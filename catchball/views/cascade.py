"""`catchball cascade`: True North aim by aim, down the org tree, problems in place.

Every active objective appears: under the aims it serves, or in "Not
connected to True North". Every finding appears: on its element's line, or
in "Other findings".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from types import GeneratorType
from typing import Iterator

from catchball.findings import one_line
from catchball.metrics import counted, headline, percent
from catchball.model import Aim, Objective
from catchball.subjects import FindingIndex, subject_team
from catchball.trace import display_name
from catchball.views.lines import (
    GLUE,
    PERSON_MARK,
    PERSON_STYLE,
    STATUS_STYLE,
    WARN,
    Line,
    finding_line,
    glued_line,
    organisation_line,
)
from catchball.views.measures import add_summary, charts_by_place


@dataclass(frozen=True)
class CascadeOptions:
    aim: str | None = None  # only this aim
    team: str | None = None  # only this team's branch of the org tree
    depth: int | None = None  # objective levels below each aim
    people: bool = True  # show individual objectives


class CascadeView:
    def __init__(self, result, options: CascadeOptions) -> None:
        self.result = result
        self.cascade = result.cascade
        self.goals = result.goals
        self.options = options
        self.by_element = FindingIndex(result.findings, result.goals)
        self.shown_findings: set[int] = set()
        self.placed: dict[str, str] = {}  # objective id -> where it was first shown
        self.branch = self._branch_teams(options.team)
        self.relevant = self._relevant_goals() if self.branch is not None else None
        self.team_order = {t: i for i, t in enumerate(self.cascade.org.order)}
        self.measure_charts = charts_by_place(result)
        # What objective lines repeat (a large trust's cascade has tens of thousands): each
        # owner and due date, status and person heading, made into its part once.
        self._details: dict[tuple, tuple[str, str]] = {}
        self._status_parts: dict[str, tuple[str, str | None]] = {}
        self._person_parts: dict[str, tuple[str, str | None]] = {}

    # -- scope ---------------------------------------------------------------

    def _branch_teams(self, team_id: str | None) -> set[str] | None:
        return None if team_id is None else set(self.cascade.branch(team_id))

    def in_scope(self, objective: Objective) -> bool:
        if not self.options.people and objective.is_individual:
            return False
        return self.relevant is None or objective.id in self.relevant

    def _relevant_goals(self) -> set[str]:
        """The branch's objectives and everything above them (for context)."""
        cascade = self.cascade
        return cascade.way_up(o for o in self.goals.objectives if cascade.owner_team(o) in self.branch)

    # -- lines ---------------------------------------------------------------

    def lines(self) -> Iterator[Line]:
        yield from self.title()
        aims = [a for a in self.goals.aims.values() if a.active]
        if self.options.aim is not None:
            aims = [a for a in aims if a.id == self.options.aim]
        if self.relevant is not None:
            aims = [a for a in aims if a.id in self.relevant]
        for aim in aims:
            yield from self.aim_lines(aim)
        if self.options.aim is not None and not aims:
            yield from self.aim_not_shown(self.options.aim)
        if self.options.aim is None:
            yield from self.retired_aims()
            yield from self.orphans()
            yield from self.other_findings()
        yield from self.footer()

    def title(self) -> Iterator[Line]:
        yield organisation_line(self.goals.settings, "True North")
        scope = []
        if self.options.team:
            scope.append(f"team {self.options.team} and its branch")
        if self.options.aim:
            scope.append(f"aim {self.options.aim}")
        yield Line(0).add(
            f"True North cascade{' — ' + ', '.join(scope) if scope else ''} ({self.goals.display_root})", "dim"
        )
        yield Line(0)

    def element_findings(self, element_id: str, depth: int) -> Iterator[Line]:
        for f in self.by_element.get(element_id, ()):
            self.shown_findings.add(id(f))
            yield finding_line(depth, f)

    def aim_lines(self, aim: Aim) -> Iterator[Line]:
        line = Line(0).add(f"◆ {aim.id}", "bold magenta").add(f"  {aim.title or ''}", "bold")
        extras = [x for x in (aim.dimension, f"owner {self.person_name(aim.owner)}" if aim.owner else None) if x]
        if extras:
            line.add(f"  [{' · '.join(extras)}]", "dim")
        yield line
        yield from self.element_findings(aim.id, 1)
        for index, measure in enumerate(aim.measures, 1):
            yield add_summary(measure_line(1, measure), self.measure_charts.get((aim.id, index)))
        supporters = self.supporters_in_scope(aim.id)
        if not supporters:
            yield Line(1).add("no objectives support this aim yet", "italic dim")
        yield from _unfolded(self.grouped(supporters, 1, aim.id, level=1, parent_team=None))
        yield Line(0)

    def supporters_in_scope(self, goal_id: str) -> list[Objective]:
        """What supports `goal_id` and is shown. With --no-people, a team objective that
        supports an individual objective is shown where that objective would be."""
        if self.options.people:  # the direct supporters (asked of every objective shown: no walk for them)
            if self.relevant is None:  # the whole cascade, people too: every objective is in scope
                return [o for o in self.cascade.supporters(goal_id) if o.id != goal_id]
            in_scope = self.in_scope
            return [o for o in self.cascade.supporters(goal_id) if o.id != goal_id and in_scope(o)]
        objectives = self.goals.objectives
        below = self.cascade.below(goal_id, through=lambda o: o.is_individual)
        return [objectives[b.id] for b in below if not b.repeat and self.in_scope(objectives[b.id])]

    def grouped(
        self, objectives: list[Objective], depth: int, parent_id: str, level: int, parent_team: str | None
    ) -> Iterator[Line]:
        """Objectives under a parent, grouped by owner team (org-tree order), people within team.

        A group from the parent's own team (its people, usually) needs no team heading.
        The levels below are yielded as generators, unfolded by `_unfolded`: a
        cascade thousands of levels deep must not nest Python calls that deep.
        """
        if self.options.depth is not None and level > self.options.depth:
            if objectives:
                yield Line(depth).add(f"… {counted(len(objectives), 'more objective')} below (raise --depth)", "dim")
            return
        owner_teams = self.cascade.owner_teams  # objectives only: everything here is one
        groups: dict[str | None, list[Objective]] = defaultdict(list)
        for objective in objectives:
            groups[owner_teams.get(objective.id)].append(objective)
        for team_id in sorted(groups, key=lambda t: self.team_order.get(t, len(self.team_order))):
            inner = depth
            if team_id != parent_team or team_id is None:
                yield self.team_line(depth, team_id)
                inner = depth + 1
            by_person: dict[str, list[Objective]] = {}
            for objective in groups[team_id]:
                if objective.person is not None and objective.team is None:  # individual: under its person
                    by_person.setdefault(objective.person, []).append(objective)
                else:
                    yield from self.objective_lines(objective, inner, parent_id, level)
            for person_id, personal in by_person.items():
                yield Line(inner, [self._person_part(person_id)])
                for objective in personal:
                    yield from self.objective_lines(objective, inner + 1, parent_id, level)

    def team_line(self, depth: int, team_id: str | None) -> Line:
        if team_id is None:
            return Line(depth).add("(team unknown)", "bold red")
        team = self.goals.teams[team_id]
        return Line(depth).add(team.name or team_id, "bold cyan").add(f" ({team_id})", "dim")

    def objective_lines(self, objective: Objective, depth: int, parent_id: str, level: int) -> list:
        """The objective's line and, the first time it is shown, its findings, measures and supporters.

        A list, made when `grouped` reaches the objective, not a generator:
        most objectives are leaves, and a generator each cost a tenth of the
        view. The supporters come as a generator, which `_unfolded` walks
        before `grouped` goes on, so what is placed first is as before.
        """
        objective_id = objective.id
        placed_under = self.placed.get(objective_id)
        if placed_under is not None:
            return [self.objective_line(objective, depth, show_link=True, placed_under=placed_under)]
        items: list = [self.objective_line(objective, depth)]
        self.placed[objective_id] = parent_id
        if objective_id in self.by_element:
            items.extend(self.element_findings(objective_id, depth + 1))
        if objective.measures:
            items.extend(self.measured(objective, depth + 1))
        supporters = self.supporters_in_scope(objective_id)
        if supporters:
            team = self.cascade.owner_teams.get(objective_id)
            # With --team, the objectives above the branch are context: --depth counts the branch's levels.
            below = level + 1 if self.branch is None or team in self.branch else level
            items.append(self.grouped(supporters, depth + 1, objective_id, below, team))
        return items

    def measured(self, objective: Objective, depth: int) -> Iterator[Line]:
        """An objective's measures that have data (or bad data), with the latest value and icons."""
        for index, measure in enumerate(objective.measures, 1):
            chart = self.measure_charts.get((objective.id, index))
            if chart is not None and (chart.has_data or chart.fault):
                yield add_summary(Line(depth).add("▸ ", "magenta").add(measure.name, "italic"), chart)

    def objective_line(self, objective: Objective, depth: int, show_link: bool = False, placed_under=None) -> Line:
        # The parts are made here rather than with Line.add: a large trust's
        # cascade has an objective line per objective, and this is its cost.
        parts = [(one_line(objective.id), "bold"), (one_line(f"  {objective.title or ''}"), None)]
        owner, due = objective.owner, objective.due
        if owner and objective.person is not None and objective.team is None:  # Objective.is_individual
            owner = None  # an individual objective's owner is its person, shown above it
        if owner or due:
            details = self._details.get((owner, due))
            if details is None:
                words = [self.person_name(owner).replace(" ", GLUE)] if owner else []  # a name stays on one row
                if due:
                    words.append(f"due{GLUE}{due.isoformat()}")
                details = self._details[(owner, due)] = (glued_line(f"  {' · '.join(words)}"), "dim")
            parts.append(details)
        status = objective.status
        parts.append(("  ", None))
        status_part = self._status_parts.get(status)
        if status_part is None:
            status_part = self._status_parts[status] = (one_line(status), STATUS_STYLE.get(status))
        parts.append(status_part)
        if show_link:
            parts.append((one_line(f"  (shown in full under {placed_under})"), "dim"))
        return Line(depth, parts)

    def person_name(self, person_id: str | None) -> str:
        return display_name(self.goals, person_id) or ""

    def _person_part(self, person_id: str) -> tuple[str, str | None]:
        """The heading of a person's objectives under a parent (a person can head several)."""
        part = self._person_parts.get(person_id)
        if part is None:
            heading = glued_line(f"{PERSON_MARK} {self.person_name(person_id)}")
            part = self._person_parts[person_id] = (heading, PERSON_STYLE)
        return part

    def aim_not_shown(self, aim_id: str) -> Iterator[Line]:
        """Say why `--aim` shows nothing rather than print an empty view."""
        aim = self.goals.aims[aim_id]
        if not aim.active:
            why = "it is retired, so nothing is cascaded from it"
        else:
            why = f"no objective of team {self.options.team} traces to it"
        yield Line(0).add(f"◆ {aim.id}", "bold magenta").add(f"  {aim.title or ''}", "bold")
        yield Line(1).add(f"Not shown: {why}.", "dim")
        yield Line(0)

    def retired_aims(self) -> Iterator[Line]:
        retired = [a for a in self.goals.aims.values() if not a.active]
        if retired:
            yield Line(0).add("Retired aims: ", "dim").add(", ".join(f"{a.id} {a.title or ''}" for a in retired), "dim")
            yield Line(0)

    def orphans(self) -> Iterator[Line]:
        traced = self.cascade.traced
        orphans = [
            o for o in self.goals.objectives.values() if o.active and o.id not in traced and self.in_branch(o)
        ]
        if not self.options.people:
            orphans = [o for o in orphans if not o.is_individual]
        if not orphans:
            return
        yield Line(0).add(f"Not connected to True North ({len(orphans)})", "bold red")
        groups: dict[str | None, list[Objective]] = defaultdict(list)
        for objective in orphans:
            groups[self.cascade.owner_team(objective.id)].append(objective)
        for team_id in sorted(groups, key=lambda t: self.team_order.get(t, len(self.team_order))):
            yield self.team_line(1, team_id)
            for objective in groups[team_id]:
                line = self.objective_line(objective, 2)
                if objective.is_individual:
                    line.add(f"  {PERSON_MARK} {self.person_name(objective.person)}", PERSON_STYLE)
                yield line
                yield from self.element_findings(objective.id, 3)
        yield Line(0)

    def in_branch(self, objective: Objective) -> bool:
        return self.branch is None or self.cascade.owner_team(objective.id) in self.branch

    def other_findings(self) -> Iterator[Line]:
        rest = [f for f in self.result.findings if id(f) not in self.shown_findings and self.finding_in_branch(f)]
        if not rest:
            return
        yield Line(0).add(f"Other findings ({len(rest)})", "bold")
        for f in rest:
            line = finding_line(1, f)
            yield line.add(f"  {f.where()}", "dim") if f.file else line
        yield Line(0)

    def finding_in_branch(self, finding) -> bool:
        return self.branch is None or subject_team(finding, self.goals, self.cascade) in self.branch

    def footer(self) -> Iterator[Line]:
        h = headline(self.result)
        yield Line(0).add("─" * 60, "dim")
        line = Line(0).add("Line of sight ", "bold")
        line.add(f"{h.traced_objectives}/{h.active_objectives} active objectives trace to True North")
        line.add(f" ({percent(h.traced_share)})", "green" if h.traced_share >= 0.95 else WARN)
        yield line
        yield Line(0).add("Aims with support ", "bold").add(f"{h.supported_aims}/{h.active_aims}")
        yield Line(0).add("Teams engaged ", "bold").add(f"{h.engaged_teams}/{h.teams_below_root}")
        findings = Line(0).add("Findings ", "bold")
        findings.add(counted(h.errors, "error"), "bold red" if h.errors else "green")
        findings.add(", ").add(counted(h.warnings, "warning"), WARN if h.warnings else "green")
        findings.add(f", {counted(h.infos, 'info')}  ").add("(catchball check for the full list)", "dim")
        yield findings


def _unfolded(lines) -> Iterator[Line]:
    """The lines of a generator that yields lines and generators of the same kind, depth first, without recursion."""
    stack = [iter(lines)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, GeneratorType):
                stack.append(item)
                break
            yield item
        else:
            stack.pop()


def measure_line(depth: int, measure) -> Line:
    unit = f" {measure.unit}" if measure.unit else ""
    baseline = _number(measure.baseline)
    target = _number(measure.target)
    text = f"{measure.name}: {baseline} → {target}{unit}"
    if measure.by:
        text += f" by{GLUE}{measure.by.isoformat()}"
    return Line(depth).add("▸ ", "magenta").add(text, "italic")


def _number(value) -> str:
    if value is None:
        return "?"
    return f"{value:g}" if isinstance(value, float) else str(value)
