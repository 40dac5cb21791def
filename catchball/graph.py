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

import datetime as dt
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from catchball.asof import default_day
from catchball.measurement import MeasureChart, chart_measures
from catchball.model import GoalSet, Objective, builder

MAX_PATHS = 50  # line-of-sight paths shown for one element; they can multiply

# Why a walk up the `supports` links stops short of True North.
SUPPORTS_NOTHING = "supports-nothing"
NOT_DEFINED = "not-defined"
DROPPED_TARGET = "dropped"
RETIRED_TARGET = "retired"
CYCLE = "cycle"


@dataclass(frozen=True, slots=True)
class DeadEnd:
    """A walk up that stops: `path` from the goal up (existing ids), `target` the link that fails."""

    path: tuple[str, ...]
    target: str | None  # None when the last element supports nothing
    reason: str

    def message(self, name=str) -> str:
        """In words; `name` turns an id into the text shown for it (to leave out individual objectives)."""
        last, target = name(self.path[-1]), name(self.target)
        if self.reason == SUPPORTS_NOTHING:
            return f"{last} supports nothing"
        if self.reason == NOT_DEFINED:
            return f"{last} supports `{self.target}`, which is not defined"
        if self.reason == DROPPED_TARGET:
            return f"{last} supports {target}, which is dropped"
        if self.reason == RETIRED_TARGET:
            return f"{last} supports aim {target}, which is retired"
        return f"{last} supports {target}, which is already on this path (a cycle)"


@dataclass(frozen=True, slots=True)
class Below:
    """One objective in the tree of supporters, depth first.

    `repeat`: met earlier in this walk (its supporters are not repeated);
    `stopped`: the walk was told not to go below it; `more`: supporters
    left out because the walk's depth limit was reached here.
    """

    depth: int
    id: str
    repeat: bool = False
    stopped: bool = False
    more: int = 0


_BELOW = builder(Below)  # a walk of a large trust yields tens of thousands (model.builder)


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

    def __init__(self, goals: GoalSet, as_of: dt.date | None = None) -> None:
        self.goals = goals
        self.as_of = as_of if as_of is not None else default_day()  # the day CB405 and CB603 judge on
        self._measure_charts: tuple[MeasureChart, ...] | None = None
        self._supporters: dict[str, list[str]] = {}  # goal id -> ids of objectives linking to it, read order
        self._active_supporters: dict[str, tuple[Objective, ...]] = {}  # goal id -> the active ones (on first use)
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

    # -- measures -----------------------------------------------------------

    @property
    def measure_charts(self) -> tuple[MeasureChart, ...]:
        """Every measure with its XmR chart, in file order: computed once, on first use."""
        if self._measure_charts is None:
            self._measure_charts = chart_measures(self.goals, self.goals.settings, self.as_of)
        return self._measure_charts

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

    def people_in(self, *goal_ids: str | None) -> tuple[str, ...]:
        """The people behind the individual objectives among these ids (for findings that name them)."""
        objectives = self.goals.objectives
        found = (objectives.get(g) for g in goal_ids if g is not None)
        return tuple(dict.fromkeys(o.person for o in found if o is not None and o.is_individual and o.person))

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

    def supporters_by_id(self) -> dict[str, list[str]]:
        """Each goal named in `supports` -> the ids of the objectives naming it, in read order
        (the incremental check's index; not to be changed by the caller)."""
        return self._supporters

    def supporters(self, goal_id: str, active_only: bool = True) -> Sequence[Objective]:
        """Objectives that name this goal in `supports`, in read order (not to be changed by the caller).

        The active ones are worked out once per goal: the walks below an aim
        ask for them at every step, a report hundreds of thousands of times.
        """
        if active_only:
            found = self._active_supporters.get(goal_id)
            if found is None:
                ids = self._supporters.get(goal_id)
                found = () if ids is None else tuple(o for o in map(self.goals.objectives.__getitem__, ids) if o.active)
                self._active_supporters[goal_id] = found
            return found
        objectives = self.goals.objectives
        return [objectives[s] for s in self._supporters.get(goal_id, ())]

    # -- walks --------------------------------------------------------------
    # Every walk is a loop over an explicit stack or queue, never recursion:
    # a `supports` chain or an org tree may be thousands deep (docs/limits.md).

    def branch(self, team_id: str) -> list[str]:
        """The team and every team below it in the org tree, in pre-order (empty for an unknown team)."""
        if team_id not in self.goals.teams:
            return []
        children = self.org.children
        found, seen, stack = [], set(), [team_id]
        while stack:
            team = stack.pop()
            if team in seen:  # a `parent` cycle: each team once
                continue
            seen.add(team)
            found.append(team)
            stack.extend(reversed(children.get(team, ())))
        return found

    def team_chain(self, team_id: str) -> list[str]:
        """The teams above `team_id` by its `parent` links, nearest first; stops at a cycle or an unknown team."""
        teams = self.goals.teams
        chain: list[str] = []
        seen = {team_id}
        team = teams[team_id].parent if team_id in teams else None
        while team in teams and team not in seen:
            seen.add(team)
            chain.append(team)
            team = teams[team].parent
        return chain

    def team_at_depth(self, deepest: int) -> dict[str, str]:
        """Each team on the org tree mapped to itself, or to its ancestor `deepest` levels below the root.

        One pass in pre-order (a parent comes before its children), so it
        costs the number of teams however deep the tree is.
        """
        org, teams = self.org, self.goals.teams
        group: dict[str, str] = {}
        for team in org.order:
            group[team] = team if org.depth[team] <= deepest else group[teams[team].parent]
        return group

    def way_up(self, goal_ids, follow=None) -> set[str]:
        """These goals and every goal they support, directly or through others.

        `follow(element)` (an aim or objective) says whether a link to it is
        followed; by default every existing target is.
        """
        goals = self.goals
        found: set[str] = set()
        stack = list(goal_ids)
        while stack:
            goal_id = stack.pop()
            if goal_id in found:
                continue
            found.add(goal_id)
            for target in self._targets.get(goal_id, ()):
                if target not in found and (follow is None or follow(goals.goal(target))):
                    stack.append(target)
        return found

    def below(self, goal_id: str, through=None, depth: int | None = None) -> Iterator[Below]:
        """Active objectives supporting a goal, directly or not: depth first, in read order.

        A second meeting of an objective is a `repeat` (its supporters are not
        walked again). `through(objective)`, when given, says whether the walk
        goes on below an objective (the objective itself is always listed).
        With `depth`, objectives deeper than that are not listed; the `more`
        of the deepest listed objective counts its direct supporters left out.
        """
        seen = {goal_id}
        stack = [(1, o.id) for o in reversed(self.supporters(goal_id))]
        objectives = self.goals.objectives
        while stack:
            level, objective_id = stack.pop()
            if objective_id in seen:
                yield _BELOW(level, objective_id, repeat=True)
                continue
            seen.add(objective_id)
            if through is not None and not through(objectives[objective_id]):
                yield _BELOW(level, objective_id, stopped=True)
                continue
            supporters = self.supporters(objective_id)
            if depth is not None and level >= depth:
                yield _BELOW(level, objective_id, more=len(supporters))
                continue
            yield _BELOW(level, objective_id)
            if supporters:  # most objectives have none (individual ones): no generator for them
                stack.extend((level + 1, o.id) for o in reversed(supporters))

    def ids_below(self, goal_id: str) -> Iterator[str]:
        """The ids `below(goal_id)` lists, without its repeats: each active objective below once, in its order.

        The walk the expertise of every aim takes (capability, the report):
        an id a step, where `below` makes a Below for each.
        """
        seen = {goal_id}
        supporters = self.supporters
        stack = [o.id for o in reversed(supporters(goal_id))]
        while stack:
            objective_id = stack.pop()
            if objective_id in seen:
                continue
            seen.add(objective_id)
            yield objective_id
            below = supporters(objective_id)
            if below:  # most objectives have none (individual ones)
                stack.extend([o.id for o in reversed(below)])

    def distances_below(self, goal_id: str) -> dict[str, int]:
        """Each active objective below a goal, with its fewest `supports` links to it (breadth first)."""
        distance = {goal_id: 0}
        queue = deque([goal_id])
        while queue:
            current = queue.popleft()
            for supporter in self.supporters(current):
                if supporter.id not in distance:
                    distance[supporter.id] = distance[current] + 1
                    queue.append(supporter.id)
        del distance[goal_id]
        return distance

    def paths_up(
        self, goal_id: str, limit: int = MAX_PATHS, stop=None
    ) -> tuple[list[tuple[str, ...]], list[DeadEnd]]:
        """Line of sight: the paths of active links from a goal up to an active aim, and where the others stop.

        Depth first in `supports` order; the walk stops once it holds one more
        than `limit` paths and dead ends together (they can multiply). Links
        are followed as tracing follows them: a dropped objective or a
        retired aim ends a path. `stop(goal_id)`, when given, ends a path at
        an objective above the goal (a report that has its own entry for it):
        such a path ends at that objective, not at an aim.
        """
        goals = self.goals
        paths: list[tuple[str, ...]] = []
        dead_ends: list[DeadEnd] = []
        stack: list[tuple[str, ...]] = [(goal_id,)]
        while stack and len(paths) + len(dead_ends) <= limit:
            path = stack.pop()
            head = path[-1]
            if head in goals.aims or (stop is not None and len(path) > 1 and stop(head)):
                paths.append(path)  # only active aims are pushed, or the goal itself
                continue
            objective = goals.objectives[head]
            if not objective.supports:
                dead_ends.append(DeadEnd(path, None, SUPPORTS_NOTHING))
                continue
            step = []
            for target in objective.supports:
                element = goals.goal(target)
                if element is None:
                    dead_ends.append(DeadEnd(path, target, NOT_DEFINED))
                elif target in path:
                    dead_ends.append(DeadEnd(path, target, CYCLE))
                elif not element.active:
                    reason = RETIRED_TARGET if target in goals.aims else DROPPED_TARGET
                    dead_ends.append(DeadEnd(path, target, reason))
                else:
                    step.append(path + (target,))
            stack.extend(reversed(step))
        return paths, dead_ends

    def support_levels(self, goal_id: str, keep=None, max_depth: int | None = None) -> dict[str, tuple[int, str]]:
        """Below a goal, breadth first: {objective id: (level, the goal it was first reached from)}.

        Level 1 supports `goal_id` directly. Active objectives only; `keep(objective)`
        limits which are walked (and so what is reached through them); `max_depth`
        stops the walk. Each objective once, at its nearest level: linear in the links.
        """
        found: dict[str, tuple[int, str]] = {}
        queue = deque([(goal_id, 0)])
        while queue:
            current, level = queue.popleft()
            if max_depth is not None and level >= max_depth:
                continue
            for objective in self.supporters(current):
                if objective.id in found or objective.id == goal_id or (keep is not None and not keep(objective)):
                    continue
                found[objective.id] = (level + 1, current)
                queue.append((objective.id, level + 1))
        return found

    def counts_below(self, counted) -> dict[str, int]:
        """For every goal, how many active objectives that `counted` accepts sit below it.

        Each counted objective walks up its active `supports` links once,
        adding one to every goal it reaches (each once, so an objective that
        reaches a goal by two paths counts once, as in `below`). The
        walk up from an individual objective is a few goals long, so this is
        linear in practice, where walking down from every goal is not.
        Goals that nothing counted reaches are absent (0).
        """
        objectives, links, totals = self.goals.objectives, self._targets, {}
        walked_on = {o.id for o in objectives.values() if o.active}  # the walk goes up through these only
        # Objectives that name the same targets reach the same goals (the
        # individual objectives of one team objective, most of them): one
        # walk for each set of targets, counted once per objective. An
        # objective its own walk comes back to (a cycle) walks alone, since
        # it never counts itself.
        by_targets: dict[tuple[str, ...], list[str]] = {}
        for objective in objectives.values():
            if objective.active and counted(objective):
                by_targets.setdefault(links.get(objective.id, ()), []).append(objective.id)
        for targets, members in by_targets.items():
            reached = self._reached_up(targets, set(), walked_on)
            alone = [m for m in members if m in reached]
            times = len(members) - len(alone)
            if times:
                for goal_id in reached:
                    totals[goal_id] = totals.get(goal_id, 0) + times
            for member in alone:
                for goal_id in self._reached_up(targets, {member}, walked_on):
                    totals[goal_id] = totals.get(goal_id, 0) + 1
        return totals

    def _reached_up(self, targets: tuple[str, ...], seen: set[str], walked_on: set[str]) -> set[str]:
        """The goals reached up `supports` links from `targets`, through `walked_on` only, never through `seen`."""
        links, reached = self._targets, set()
        stack = []
        for target in targets:
            if target not in seen and target not in reached:
                reached.add(target)
                if target in walked_on:
                    stack.append(target)
        while stack:
            for target in links.get(stack.pop(), ()):
                if target in seen or target in reached:
                    continue
                reached.add(target)
                if target in walked_on:
                    stack.append(target)
        return reached

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

