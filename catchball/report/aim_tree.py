"""What one aim's diagram shows: the aim, the team objectives below it, and how far to draw.

One picture per True North aim, read left to right (the aim on the left,
each level of support a column to its right), so it fits a page's width
however many teams take part. It is plain data, drawn twice: as Mermaid for
the Markdown report (mermaid.aim_mermaid) and as an SVG for the HTML board
pack (tree_svg), from the same nodes and links.

Sizes, checked by rendering with Mermaid 11 and with our SVG in Chromium
(tests/test_board_browser.py, docs/commands.md):

- MAX_LEVELS columns of objectives after the aim. Mermaid draws the
  example's diagrams (3 columns) 776 to 816 px wide, unshrunk in a 900 px
  column (16 px text); our SVG's 5 columns are 896 px (12 px text).
  Deeper objectives are counted in the box of their level-4 objective
  ("+ 3 below").
- MAX_NODES boxes. Up to 30 objectives one box each; above that, one box per
  team ("Ward 7: 4 objectives"), deeper teams merged into their parent team
  until at most MAX_NODES boxes remain; past that the last box says "… and N
  more teams".

Every step is one pass over the objectives or the teams: the cost grows
linearly with the cascade (the whole-organisation diagram this replaces
grew with the cube of the org tree's depth).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from catchball.findings import one_line

MAX_LEVELS = 4  # columns of support after the aim
MAX_NODES = 30  # boxes in one diagram, the aim not counted
LABEL_CHARS = 22  # characters on one line of a box; longer titles wrap on words
LABEL_LINES = 4  # lines of title in a box; a longer title ends at a word with …
ID_CHARS = 17  # a line of ids: capitals and digits are wider than the average letter

OBJECTIVES, TEAMS = "objectives", "teams"


@dataclass(frozen=True, slots=True)
class Box:
    key: str  # an aim or objective id, or "team:<id>", or "more"
    kind: str  # "aim", "objective", "team", "more"
    heading: tuple[str, ...]  # the id, or the team's name wrapped: in bold
    lines: tuple[str, ...]  # the title wrapped on words
    level: int  # 0 for the aim, its column
    parent: str | None  # the box it hangs from in the tree (None for the aim)
    severity: str | None  # "error", "warning" or None: the worst finding on what it stands for
    note: str | None = None  # "+ 3 below", "2 individual objectives", "4 objectives"
    team: tuple[str, ...] = ()  # an objective's team name, wrapped


@dataclass(frozen=True, slots=True)
class AimTree:
    aim: str
    mode: str  # OBJECTIVES or TEAMS
    boxes: tuple[Box, ...]  # the aim first, then breadth first
    links: tuple[tuple[str, str, int], ...]  # (supported box, supporting box, number of supports links)
    objectives: int  # team objectives below the aim (in scope), drawn or counted
    folded: int  # objectives counted in a box above them rather than drawn (deeper than MAX_LEVELS)
    team_depth: int | None  # TEAMS: teams merged below this org depth; None when no team was merged
    more_teams: int  # TEAMS: teams in the "… and N more teams" box

    @property
    def levels(self) -> int:
        return max((b.level for b in self.boxes), default=0)


def wrap_title(text: str | None, width: int = LABEL_CHARS, lines: int = LABEL_LINES) -> tuple[str, ...]:
    """A title as lines of at most `width` characters, broken only between words.

    A word longer than `width` keeps a line of its own, whole. Past `lines`
    lines the title ends at a word with "…": a label is never cut mid-word.
    """
    words = one_line(" ".join((text or "").split()))
    if not words:
        return ()
    wrapped = textwrap.wrap(words, width, break_long_words=False, break_on_hyphens=False)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] += " …"
    return tuple(wrapped)


def aim_tree(cascade, aim_id: str, severity_of, scope: set[str] | None = None, people: bool = True) -> AimTree:
    """The drawing of one aim: objectives one box each if they fit, else teams.

    `severity_of(goal_ids, team_ids)` gives the worst finding severity on those
    elements; `scope` (a set of team ids) keeps a team pack to its branch and
    the objectives above it.
    """
    goals = cascade.goals

    def is_team_objective(objective) -> bool:
        return not objective.is_individual

    levels = cascade.support_levels(aim_id, keep=is_team_objective)
    if scope is not None:
        mine = [o for o in levels if cascade.owner_team(o) in scope]
        wanted = cascade.way_up(mine, follow=lambda element: element.active)
        levels = {o: place for o, place in levels.items() if o in wanted}
        # A parent left out of scope: hang the objective from the nearest kept goal above it.
        levels = {o: (level, parent if parent in levels or parent == aim_id else aim_id) for o, (level, parent) in levels.items()}
    aim = goals.aims[aim_id]
    root = Box(aim_id, "aim", (aim_id,), wrap_title(aim.title), 0, None, severity_of([aim_id], ()))
    individual = _individual_counts(cascade, levels, people)
    if len(levels) <= MAX_NODES:
        return _objective_tree(cascade, aim_id, root, levels, severity_of, individual)
    return _team_tree(cascade, aim_id, root, levels, severity_of, scope)


def _individual_counts(cascade, levels, people: bool) -> dict[str, int]:
    if not people:
        return {}
    counts: dict[str, int] = {}
    for objective_id in levels:
        n = sum(1 for o in cascade.supporters(objective_id) if o.is_individual)
        if n:
            counts[objective_id] = n
    return counts


def _objective_tree(cascade, aim_id, root, levels, severity_of, individual) -> AimTree:
    goals = cascade.goals
    drawn: dict[str, str] = {aim_id: aim_id}  # objective -> the box that shows it
    folded_into: dict[str, int] = {}
    boxes = [root]
    for objective_id, (level, parent) in levels.items():  # breadth first: parents come first
        if level > MAX_LEVELS:
            holder = drawn[parent]
            drawn[objective_id] = holder
            folded_into[holder] = folded_into.get(holder, 0) + 1
        else:
            drawn[objective_id] = objective_id
    for objective_id, (level, parent) in levels.items():
        if drawn[objective_id] != objective_id:
            continue
        objective = goals.objectives[objective_id]
        notes = []
        if folded_into.get(objective_id):
            notes.append(f"+ {folded_into[objective_id]} below")
        if individual.get(objective_id):
            n = individual[objective_id]
            notes.append(f"{n} individual objective{'s' if n != 1 else ''}")
        team = cascade.owner_team(objective_id)
        team_name = goals.teams[team].name if team in goals.teams else None
        boxes.append(
            Box(
                objective_id,
                "objective",
                (objective_id,),
                wrap_title(objective.title),
                level,
                parent,
                severity_of([objective_id], ()),
                " · ".join(notes) or None,
                wrap_title(team_name or team or "team unknown", lines=2),
            )
        )
    links = []
    for objective_id in levels:
        if drawn[objective_id] != objective_id:
            continue
        for target in cascade.targets(objective_id):
            if target in drawn and drawn[target] == target and target != objective_id:
                links.append((target, objective_id, 1))
    return AimTree(aim_id, OBJECTIVES, tuple(boxes), tuple(links), len(levels), sum(folded_into.values()), None, 0)


def _team_tree(cascade, aim_id, root, levels, severity_of, scope) -> AimTree:
    goals, org = cascade.goals, cascade.org
    owners = {o: cascade.owner_team(o) for o in levels}
    top = min((org.depth[t] for t in scope if t in org.depth), default=0) if scope else 0
    deepest_team = max((org.depth.get(t, 0) for t in owners.values() if t is not None), default=0)
    # At most MAX_LEVELS + 1 depths are tried, each one pass over the teams: linear.
    start = min(max(deepest_team, top), top + MAX_LEVELS)
    for deepest in range(start, min(top + 1, start) - 1, -1):  # never merge into the top team itself
        group_of = cascade.team_at_depth(deepest)
        if len({group_of.get(t, t) for t in owners.values()}) <= MAX_NODES:
            break
    merged_at = deepest if deepest < deepest_team else None
    objectives_of: dict[str | None, list[str]] = {}
    for objective_id in levels:
        team = owners[objective_id]
        objectives_of.setdefault(group_of.get(team, team), []).append(objective_id)
    # Each team box hangs from the box of the goal its first objective was reached from.
    key_of = {aim_id: aim_id}
    for team, members in objectives_of.items():
        for objective_id in members:
            key_of[objective_id] = f"team:{team}"
    order = sorted(objectives_of, key=lambda t: min(levels[o][0] for o in objectives_of[t]))
    kept, rest = order[: MAX_NODES - 1], order[MAX_NODES - 1 :]
    if len(order) <= MAX_NODES:
        kept, rest = order, []
    kept_keys = {f"team:{t}" for t in kept}
    box_level: dict[str, int] = {aim_id: 0}
    boxes = [root]
    for team in kept:
        key = f"team:{team}"
        members = objectives_of[team]
        first = min(members, key=lambda o: levels[o][0])
        parent = key_of[levels[first][1]]
        if parent not in box_level or parent == key:
            parent = aim_id
        box_level[key] = box_level[parent] + 1
        name = goals.teams[team].name if team in goals.teams else None
        count = len(members)
        merged = team is not None and any(owners[o] != team for o in members)
        note = f"{count} objective{'s' if count != 1 else ''}" + (" (with teams below)" if merged else "")
        ids = ", ".join(members[:3]) + (f" + {count - 3} more" if count > 3 else "")
        boxes.append(
            Box(
                key,
                "team",
                wrap_title(name or team or "team unknown", lines=2),
                wrap_title(ids, ID_CHARS),
                box_level[key],
                parent,
                severity_of(members, [team] if team else []),
                note,
            )
        )
    more = 0
    if rest:
        more = len(rest)
        count = sum(len(objectives_of[t]) for t in rest)
        boxes.append(Box("more", "more", (f"… and {more} more teams",), (f"{count} objectives",), 1, aim_id, None))
        kept_keys.add("more")
        for team in rest:
            for objective_id in objectives_of[team]:
                key_of[objective_id] = "more"
    counted: dict[tuple[str, str], int] = {}
    for objective_id in levels:
        source = key_of[objective_id]
        for target in cascade.targets(objective_id):
            start = key_of.get(target)
            if start is None or start == source:
                continue
            counted[(start, source)] = counted.get((start, source), 0) + 1
    links = tuple((a, b, n) for (a, b), n in counted.items() if (a in kept_keys or a == aim_id) and b in kept_keys)
    return AimTree(aim_id, TEAMS, tuple(boxes), links, len(levels), 0, merged_at, more)
