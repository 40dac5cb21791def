"""The cascade: aims and objectives joined by their `supports` links.

An objective's links are kept both ways, as plain dicts of id lists: each
objective's existing targets (`supports`, first mention order) and each
goal's supporters (read order). Ownership (objective -> team or person) and
membership (person -> team) are plain indexes beside them, and the org tree
is the OrgTree. A networkx graph held the links until it was measured: it
cost about 500 bytes an edge and a fifth of a second to import on every
run, for questions that need only these two dicts (docs/performance.md);
cycles are grouped by strongly_connected here.

Every question the rules and views ask is a method here, and each is
linear in the size of the goals.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Iterator

from catchball.model import Aim, GoalSet, Objective

MAX_PATHS = 50  # line-of-sight paths shown for one element; they can multiply


def team_node(team_id: str) -> tuple[str, str]:
    return ("team", team_id)


def person_node(person_id: str) -> tuple[str, str]:
    return ("person", person_id)


@dataclass(slots=True)
class OrgTree:
    """The org tree as read: its root, and where the `parent` links go wrong."""

    root: str | None = None
    extra_roots: list[str] = field(default_factory=list)  # roots after the first, in read order
    cycles: list[list[str]] = field(default_factory=list)  # teams on each parent cycle
    depth: dict[str, int] = field(default_factory=dict)  # only teams connected to the root
    children: dict[str, list[str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # pre-order from the root
    _enter: dict[str, int] = field(default_factory=dict)
    _leave: dict[str, int] = field(default_factory=dict)

    def in_tree(self, team_id: str | None) -> bool:
        return team_id in self.depth

    def is_ancestor_or_self(self, upper: str, lower: str) -> bool:
        """True when `upper` is `lower` or above it (both in the tree)."""
        return self._enter[upper] <= self._enter[lower] and self._leave[lower] <= self._leave[upper]


class Cascade:
    """Questions about one GoalSet's cascade, answered from the graph."""

    def __init__(self, goals: GoalSet) -> None:
        self.goals = goals
        self._supporters: dict[str, list[str]] = {}  # goal id -> ids of objectives linking to it, read order
        self._owned: dict[tuple[str, str], list[str]] = {}  # team_node / person_node -> objective ids
        self._members: dict[str, list[str]] = {}  # team id -> person ids, in read order
        self._targets: dict[str, tuple[str, ...]] = {}  # objective id -> existing targets, first mention order
        self._build()
        self.org = _org_tree(goals)
        self._traced: set[str] | None = None
        self._owner_teams: dict[str, str | None] | None = None
        self._links: list[tuple[Objective, str, str, str, int | None]] | None = None

    # -- building --------------------------------------------------------

    def _build(self) -> None:
        goals = self.goals
        aims, objectives, teams, people = goals.aims, goals.objectives, goals.teams, goals.people
        targets, supporters = self._targets, self._supporters
        for o in objectives.values():
            supports = o.supports
            if supports:
                # Usually every target exists and none repeats: keep the tuple
                # the objective already holds instead of a copy.
                known = [t for t in supports if t in aims or t in objectives]
                if len(known) != len(supports) or len(set(known)) != len(known):
                    supports = tuple(dict.fromkeys(known))
                targets[o.id] = supports
                for target in supports:
                    found = supporters.get(target)
                    if found is None:
                        supporters[target] = [o.id]
                    else:
                        found.append(o.id)
        members = self._members
        for p in people.values():
            if p.team in teams:
                members.setdefault(p.team, []).append(p.id)
        owned = self._owned
        for o in objectives.values():
            if o.team is not None and o.team in teams:
                owned.setdefault(team_node(o.team), []).append(o.id)
            if o.person is not None and o.person in people:
                owned.setdefault(person_node(o.person), []).append(o.id)

    # -- ownership and the org tree ---------------------------------------

    def owner_team(self, goal_id: str) -> str | None:
        """The team a goal sits at: the root for aims, the team or person's team for objectives."""
        if goal_id in self.goals.aims:
            return self.org.root
        return self.owner_teams.get(goal_id)

    @property
    def owner_teams(self) -> dict[str, str | None]:
        """Every objective's team (None when its owner is unknown), worked out once.

        The alignment rules ask for the team of both ends of every link; asking
        the people and teams tables again each time was most of their cost.
        """
        if self._owner_teams is None:
            teams, people = self.goals.teams, self.goals.people
            owners: dict[str, str | None] = {}
            for objective in self.goals.objectives.values():
                team = None
                if objective.ownership_ok:
                    if objective.person is not None:
                        person = people.get(objective.person)
                        team = person.team if person else None
                    else:
                        team = objective.team
                    if team not in teams:
                        team = None
                owners[objective.id] = team
            self._owner_teams = owners
        return self._owner_teams

    def links(self) -> list[tuple[Objective, str, str, str, int | None]]:
        """(objective, its team, target, target's team, level gap) for each link both of whose ends are in the org tree.

        Only active objectives' links to existing goals; the gap is None when
        the target's team is not above the objective's. CB204 and CB206 both
        read this one list, built once.
        """
        if self._links is None:
            aims, objectives = self.goals.aims, self.goals.objectives
            owners, depth, root = self.owner_teams, self.org.depth, self.org.root
            enter, leave = self.org._enter, self.org._leave
            found = []
            for source, targets in self._targets.items():
                objective = objectives[source]
                team = owners.get(source)
                if not objective.active or team not in depth:
                    continue
                for target in targets:
                    target_team = root if target in aims else owners.get(target)
                    if target_team not in depth:
                        continue
                    above = enter[target_team] <= enter[team] and leave[team] <= leave[target_team]
                    gap = depth[team] - depth[target_team] if above else None
                    found.append((objective, team, target, target_team, gap))
            self._links = found
        return self._links

    def ancestors(self, team_id: str) -> list[str]:
        """The team's parents up to the root, nearest first (empty off the tree)."""
        chain = []
        if not self.org.in_tree(team_id):
            return chain
        team = self.goals.teams[team_id].parent
        while team is not None:
            chain.append(team)
            team = self.goals.teams[team].parent
        return chain

    def level_gap(self, from_team: str | None, to_team: str | None) -> int | None:
        """How many levels `to_team` is above `from_team` (0 = same team), or None when not above."""
        org = self.org
        if not (org.in_tree(from_team) and org.in_tree(to_team)):
            return None
        if not org.is_ancestor_or_self(to_team, from_team):
            return None
        return org.depth[from_team] - org.depth[to_team]

    def team_objectives(self, team_id: str) -> list[Objective]:
        """Objectives the team owns itself, in read order."""
        return self._owned_by(team_node(team_id))

    def person_objectives(self, person_id: str) -> list[Objective]:
        return self._owned_by(person_node(person_id))

    def members(self, team_id: str) -> list[str]:
        """People whose team is `team_id`, in read order."""
        return list(self._members.get(team_id, ()))

    def _owned_by(self, node) -> list[Objective]:
        objectives = self.goals.objectives
        return [objectives[o] for o in self._owned.get(node, ())]

    # -- tracing ------------------------------------------------------------

    @property
    def traced(self) -> set[str]:
        """Ids of active objectives that trace to an active aim.

        One reverse traversal from the active aims through active objectives:
        linear in the number of links, however many objectives there are.
        """
        if self._traced is None:
            goals, supporters = self.goals, self._supporters
            seen: set[str] = set()
            queue = deque(a.id for a in goals.aims.values() if a.active)
            while queue:
                for source in supporters.get(queue.popleft(), ()):
                    if source in seen:
                        continue
                    objective = goals.objectives.get(source)
                    if objective is not None and objective.active:
                        seen.add(source)
                        queue.append(source)
            self._traced = seen
        return self._traced

    def traces(self, objective_id: str) -> bool:
        return objective_id in self.traced

    def targets(self, goal_id: str) -> list[str]:
        """Existing goals this objective names in `supports`, in the order given."""
        return list(self._targets.get(goal_id, ()))

    def supporters(self, goal_id: str, active_only: bool = True) -> list[Objective]:
        """Objectives that name this goal in `supports`, in read order."""
        objectives = self.goals.objectives
        found = [objectives[s] for s in self._supporters.get(goal_id, ())]
        return [o for o in found if o.active] if active_only else found

    def paths_to_aims(self, goal_id: str, limit: int = MAX_PATHS) -> list[list[str]]:
        """Line of sight: each path of active links from the goal up to an active aim."""
        paths: list[list[str]] = []
        stack: list[list[str]] = [[goal_id]]
        while stack and len(paths) < limit:
            path = stack.pop()
            head = path[-1]
            aim = self.goals.aims.get(head)
            if aim is not None:
                if aim.active:
                    paths.append(path)
                continue
            for target in reversed(self.targets(head)):
                element = self.goals.goal(target)
                if element is not None and element.active and target not in path:
                    stack.append(path + [target])
        return paths

    def support_tree(self, goal_id: str) -> Iterator[tuple[int, Objective]]:
        """Everything below a goal, depth first: (depth, objective), each objective once."""
        seen = {goal_id}
        stack = [(1, o) for o in reversed(self.supporters(goal_id))]
        while stack:
            depth, objective = stack.pop()
            if objective.id in seen:
                continue
            seen.add(objective.id)
            yield depth, objective
            stack.extend((depth + 1, o) for o in reversed(self.supporters(objective.id)))

    def support_cycles(self) -> list[list[str]]:
        """Groups of active objectives whose `supports` links go round in a circle.

        Peels off, in linear time, every active objective that no remaining
        active objective supports (Kahn's algorithm); what is left is empty
        when there is no cycle. Only what is left is split into strongly
        connected components, so cycles are found without enumerating them.
        """
        objectives, aims = self.goals.objectives, self.goals.aims
        dropped = {o.id for o in objectives.values() if not o.active}
        # The links between active objectives (an objective that supports
        # nothing has none and cannot be on a cycle).
        active_links = {
            source: [t for t in targets if t not in aims and t not in dropped]
            for source, targets in self._targets.items()
            if source not in dropped
        }
        supported_by = Counter(target for links in active_links.values() for target in links)
        free = [o for o in active_links if o not in supported_by]
        while free:
            for target in active_links.get(free.pop(), ()):
                supported_by[target] -= 1
                if supported_by[target] == 0:
                    free.append(target)
        left = {o for o, count in supported_by.items() if count > 0}
        if not left:
            return []
        within = {o: [t for t in active_links.get(o, ()) if t in left] for o in left}
        groups = [c for c in strongly_connected(within) if len(c) > 1 or next(iter(c)) in within[next(iter(c))]]
        order = {goal_id: index for index, goal_id in enumerate(objectives)}
        return sorted((sorted(c, key=order.__getitem__) for c in groups), key=lambda c: order[c[0]])


def strongly_connected(links: dict[str, list[str]]) -> list[set[str]]:
    """The strongly connected components of a graph given as node -> successors (Tarjan's).

    Iterative, so a long chain cannot exhaust Python's stack; linear in nodes
    and links. Every successor must be a key of `links`.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for start in links:
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(links[start]))]
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(links[successor])))
                    break
                if successor in on_stack and index[successor] < low[node]:
                    low[node] = index[successor]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    groups.append(group)
    return groups


def _org_tree(goals: GoalSet) -> OrgTree:
    teams = goals.teams
    org = OrgTree()
    roots = [t.id for t in teams.values() if t.parent is None]
    if roots:
        org.root, org.extra_roots = roots[0], roots[1:]
    for team in teams.values():
        if team.parent in teams:
            org.children.setdefault(team.parent, []).append(team.id)
    org.cycles = _parent_cycles(goals)
    if org.root is None:
        return org
    clock = 0
    stack: list[tuple[str, int, bool]] = [(org.root, 0, False)]
    while stack:
        team, depth, leaving = stack.pop()
        clock += 1
        if leaving:
            org._leave[team] = clock
            continue
        org._enter[team] = clock
        org.depth[team] = depth
        org.order.append(team)
        stack.append((team, depth, True))
        stack.extend((child, depth + 1, False) for child in reversed(org.children.get(team, [])))
    return org


def _parent_cycles(goals: GoalSet) -> list[list[str]]:
    """Each cycle of `parent` links once, as its teams in read order."""
    teams = goals.teams
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
    cycles = []
    for start in teams:
        walk = []
        team = start
        while team in teams and state.get(team) is None:
            state[team] = 1
            walk.append(team)
            team = teams[team].parent
        if team in teams and state.get(team) == 1:
            cycles.append(walk[walk.index(team):])
        for visited in walk:
            state[visited] = 2
    order = {team_id: index for index, team_id in enumerate(teams)}
    return [sorted(cycle, key=order.__getitem__) for cycle in cycles]


def is_active(element: Aim | Objective | None) -> bool:
    return element is not None and element.active
