"""The cascade as a Mermaid flowchart that GitHub and GitLab will always render.

GitHub draws at most 500 edges and 50,000 characters of Mermaid (fixed
limits; past them it shows an error box). We stay under MAX_EDGES edges and
MAX_CHARACTERS characters, a margin below both:

1. "objectives": each active aim and each active team objective (individual
   objectives are left out) with an edge from what it supports;
2. if that is too big, "teams": one node per team with its number of
   objectives, an edge labelled with the number of links between two teams
   (or from an aim to a team);
3. if that is still too big, the deepest level of teams is merged into its
   parents (a node then counts its whole branch), level by level, up to the
   teams just below the top (the org root, or the team of a team pack);
4. as a last resort, the teams past the budget share one "… and N more teams" node.

Node ids are n1, n2, ...; every label is quoted and escaped, so no title can
end a statement, close a label or be read as the keyword `end`. Elements
with an error finding are drawn in the `error` class, with a warning in
`warning`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from catchball.findings import visible
from catchball.subjects import FindingIndex

MAX_EDGES = 400
MAX_CHARACTERS = 40_000
LABEL_WIDTH = 60  # characters of a title shown in a node
CLASS_BATCH = 40  # node ids per `class` statement
MIN_NODE_CHARACTERS = 14  # no node statement is shorter: n1["X<br/>"] and its newline

OBJECTIVES, TEAMS = "objectives", "teams"

_LIST_MARKER = re.compile(r"^(\d{1,9}[.)]|[-+*])(?: |$)")
_LABEL = str.maketrans({'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"})

CLASS_DEFS = (
    "classDef aim fill:#e8eaf6,stroke:#3949ab,stroke-width:2px",
    "classDef error fill:#fdecea,stroke:#c62828,stroke-width:2px",
    "classDef warning fill:#fff8e1,stroke:#f9a825",
)


@dataclass(frozen=True, slots=True)
class Diagram:
    text: str  # the flowchart source, without the ``` fence
    mode: str  # OBJECTIVES or TEAMS
    levels: int | None  # TEAMS: levels of teams drawn below the top team (1: its children); None for OBJECTIVES
    nodes: int
    edges: int

    @property
    def characters(self) -> int:
        return len(self.text)


def label(text: str | None) -> str:
    """A node label: one line, at most LABEL_WIDTH characters, with Mermaid's entity codes.

    Mermaid 11 reads node text as Markdown, and a list it cannot draw shows as
    "Unsupported markdown: list" (mermaid-js/mermaid#5824): a label starting
    like a list item ("1. ", "- ") gets a no-break space after the marker.
    """
    words = visible(" ".join((text or "").split()))
    if len(words) > LABEL_WIDTH:
        words = words[: LABEL_WIDTH - 1].rstrip() + "…"
    words = _LIST_MARKER.sub("\\1\u00a0", words)
    return words.translate(_LABEL)


def cascade_diagram(
    cascade,
    index: FindingIndex,
    scope: set[str] | None = None,
    max_edges: int = MAX_EDGES,
    max_characters: int = MAX_CHARACTERS,
) -> Diagram:
    """The largest drawing of the cascade (within `scope`, a set of team ids) that fits the limits."""
    drawing = _Drawing(cascade, index, scope)

    def fits(diagram: Diagram) -> bool:
        return diagram.edges <= max_edges and diagram.characters <= max_characters

    if drawing.objectives_may_fit(max_edges, max_characters):
        diagram = drawing.objectives()
        if fits(diagram):
            return diagram
    # Merge the deepest levels into their parents until it fits. Fewer levels
    # never draw more, so the most levels that fit are found by halving: a
    # 2,000-team-deep org tree takes 11 drawings, not 2,000.
    low, high, best = 1, drawing.levels(), None
    while low <= high:
        levels = (low + high) // 2
        diagram = drawing.teams(levels)
        if fits(diagram):
            best, low = diagram, levels + 1
        else:
            high = levels - 1
    return best if best is not None else drawing.teams(1, fits=fits)


class _Drawing:
    def __init__(self, cascade, index: FindingIndex, scope: set[str] | None) -> None:
        self.cascade = cascade
        self.goals = cascade.goals
        self.findings = index
        self.scope = scope
        self.objectives_drawn = self._objectives()
        self.aims_drawn = self._aims()
        org = cascade.org
        self.top = min((org.depth[t] for t in scope if t in org.depth), default=0) if scope else 0
        self._groups: tuple[int | None, dict[str, str]] = (None, {})  # (levels, team -> its node's team)

    # -- what is drawn -------------------------------------------------------------

    def in_scope(self, team_id: str | None) -> bool:
        return self.scope is None or team_id in self.scope

    def _objectives(self) -> list[str]:
        """Active team objectives in scope, and the ones above them that they trace through."""
        goals, cascade = self.goals, self.cascade

        def drawn(element) -> bool:
            return element.id in goals.objectives and element.active and not element.is_individual

        start = (o.id for o in goals.objectives.values() if drawn(o) and self.in_scope(cascade.owner_team(o.id)))
        chosen = cascade.way_up(start, follow=drawn)
        return [o for o in goals.objectives if o in chosen]

    def _aims(self) -> list[str]:
        aims = [a.id for a in self.goals.aims.values() if a.active]
        if self.scope is None:
            return aims
        reached = {t for o in self.objectives_drawn for t in self.cascade.targets(o)}
        return [a for a in aims if a in reached]

    def links(self):
        """(target, source) for each active link between drawn elements."""
        drawn = set(self.objectives_drawn) | set(self.aims_drawn)
        for objective_id in self.objectives_drawn:
            for target in self.cascade.targets(objective_id):
                if target in drawn:
                    yield target, objective_id

    def severity(self, goal_ids, team_ids=()) -> str | None:
        """The worst severity among the findings on these aims and objectives and these teams."""
        found = [f for i in goal_ids for f in self.findings.get(i)]
        found += [f for t in team_ids for f in self.findings.team(t)]
        severities = {f.severity for f in found}
        return "error" if "error" in severities else "warning" if "warning" in severities else None

    def levels(self) -> int:
        """Levels of teams below the top of the scope (the org root, or the team of a team pack)."""
        org = self.cascade.org
        depths = [org.depth[t] for t in self.goals.teams if t in org.depth and self.in_scope(t)]
        return max((d - self.top for d in depths), default=0)

    # -- one node per objective ----------------------------------------------------------

    def objectives_may_fit(self, max_edges: int, max_characters: int) -> bool:
        """A cheap bound first, so a huge cascade is never written out only to be thrown away."""
        nodes = len(self.aims_drawn) + len(self.objectives_drawn)
        return nodes * MIN_NODE_CHARACTERS <= max_characters and len(set(self.links())) <= max_edges

    def objectives(self) -> Diagram:
        goals = self.goals
        ids = {goal_id: f"n{i}" for i, goal_id in enumerate(self.aims_drawn + self.objectives_drawn, 1)}
        lines = ["flowchart TD"]
        for aim_id in self.aims_drawn:
            lines.append(f'{ids[aim_id]}(["{label(aim_id)}<br/>{label(goals.aims[aim_id].title)}"])')
        for objective_id in self.objectives_drawn:
            title = goals.objectives[objective_id].title
            lines.append(f'{ids[objective_id]}["{label(objective_id)}<br/>{label(title)}"]')
        edges = sorted(set(self.links()), key=lambda e: (int(ids[e[0]][1:]), int(ids[e[1]][1:])))
        lines += [f"{ids[target]} --> {ids[source]}" for target, source in edges]
        classes = {"aim": [], "error": [], "warning": []}
        for goal_id, node in ids.items():
            severity = self.severity([goal_id])
            if severity:
                classes[severity].append(node)
            elif goal_id in goals.aims:
                classes["aim"].append(node)
        lines += _class_lines(classes)
        return Diagram("\n".join(lines), OBJECTIVES, None, len(ids), len(edges))

    # -- one node per team ---------------------------------------------------------------

    def group_of(self, team_id: str | None, levels: int) -> str | None:
        """The team whose node stands for `team_id` when `levels` levels below the top are drawn."""
        if team_id is None or team_id not in self.cascade.org.depth:
            return team_id
        if self._groups[0] != levels:
            self._groups = (levels, self.cascade.team_at_depth(self.top + levels))
        return self._groups[1][team_id]

    def teams(self, levels: int, fits=None) -> Diagram:
        goals, cascade, org = self.goals, self.cascade, self.cascade.org
        deepest = self.top + levels
        teams = [t for t in org.order if self.in_scope(t) and org.depth[t] <= deepest]
        teams += [t for t in goals.teams if t not in org.depth and self.in_scope(t)]
        members: dict[str | None, list[str]] = {t: [t] for t in teams}
        objectives: dict[str | None, list[str]] = {t: [] for t in teams}
        orphans: Counter = Counter()
        for objective_id in self.objectives_drawn:
            group = self.group_of(cascade.owner_team(objective_id), levels)
            if group not in objectives:  # above the scope, or team unknown
                teams.append(group)
                members[group], objectives[group] = [group] if group else [], []
            objectives[group].append(objective_id)
            if not cascade.traces(objective_id):
                orphans[group] += 1
        for team_id in goals.teams:
            group = self.group_of(team_id, levels)
            if group in members and group != team_id and self.in_scope(team_id):
                members[group].append(team_id)
        links: Counter = Counter()
        for target, source in self.links():
            start = target if target in goals.aims else self.group_of(cascade.owner_team(target), levels)
            end = self.group_of(cascade.owner_team(source), levels)
            if start != end:
                links[(start, end)] += 1
        more = 0
        if fits is not None:
            teams, more = self._within_budget(teams, links, fits, levels, objectives, orphans, members)
        return self._team_diagram(teams, objectives, orphans, members, links, levels, more)

    def _within_budget(self, teams, links, fits, levels, objectives, orphans, members):
        """Keep the most teams, in org order, that still fit; the rest become one node (binary search)."""

        def fits_with(count: int) -> bool:
            kept = teams[:count]
            return fits(self._team_diagram(kept, objectives, orphans, members, links, levels, len(teams) - count))

        low, high = 0, len(teams)  # fits_with(low) is assumed; find the largest count that fits
        while low < high:
            middle = (low + high + 1) // 2
            if fits_with(middle):
                low = middle
            else:
                high = middle - 1
        return teams[:low], len(teams) - low

    def _team_diagram(self, teams, objectives, orphans, members, links, levels, more) -> Diagram:
        goals = self.goals
        nodes = list(self.aims_drawn) + [("team", t) for t in teams]
        ids = {node: f"n{i}" for i, node in enumerate(nodes, 1)}
        lines = ["flowchart TD"]
        for aim_id in self.aims_drawn:
            lines.append(f'{ids[aim_id]}(["{label(aim_id)}<br/>{label(goals.aims[aim_id].title)}"])')
        classes = {"aim": [], "error": [], "warning": []}
        for team_id in teams:
            node = ids[("team", team_id)]
            team = goals.teams.get(team_id) if team_id else None
            name = (team.name or team_id) if team else "team unknown"
            count = len(objectives[team_id])
            text = f"{label(name)}<br/>{count} objective{'s' if count != 1 else ''}"
            if len(members.get(team_id, ())) > 1:
                text += f" in {len(members[team_id])} teams"
            if orphans[team_id]:
                text += f", {orphans[team_id]} not connected"
            lines.append(f'{node}["{text}"]')
            severity = self.severity(objectives[team_id], members.get(team_id, []))
            if severity:
                classes[severity].append(node)
        if more:
            lines.append(f'n{len(nodes) + 1}["… and {more} more team{"s" if more != 1 else ""}"]')
        for aim_id in self.aims_drawn:
            severity = self.severity([aim_id])
            classes[severity or "aim"].append(ids[aim_id])
        edge_lines = []
        for (start, end), count in links.items():
            start_node = ids.get(start) or ids.get(("team", start))
            end_node = ids.get(("team", end))
            if start_node and end_node:
                edge_lines.append((start_node, end_node, count))
        edge_lines.sort(key=lambda e: (int(e[0][1:]), int(e[1][1:])))
        lines += [f"{a} -->|{count}| {b}" for a, b, count in edge_lines]
        lines += _class_lines(classes)
        return Diagram("\n".join(lines), TEAMS, levels, len(nodes) + (1 if more else 0), len(edge_lines))


def _class_lines(classes: dict[str, list[str]]) -> list[str]:
    lines = []
    for name, nodes in classes.items():
        if nodes:
            lines.append(next(d for d in CLASS_DEFS if d.startswith(f"classDef {name} ")))
            for start in range(0, len(nodes), CLASS_BATCH):
                lines.append(f"class {','.join(nodes[start:start + CLASS_BATCH])} {name}")
    return lines
