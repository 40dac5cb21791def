"""The report's context: everything a template sees, as plain data.

Only dicts, lists, strings, numbers, booleans and None: never model objects,
so a template cannot reach into catchball, and the structure is a stable,
documented interface (docs/templates.md). Change it only by adding keys;
`version` counts incompatible changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from catchball import __version__
from catchball.asof import default_day
from catchball.errors import CatchballError
from catchball.findings import ERROR, INFO, PERSON, SEVERITIES, WARNING, finding_record
from catchball.report.measures import rollup
from catchball.status import STATUSES, ball_records, levels_that_fit, round_status, team_record
from catchball.subjects import FindingIndex, subject_team
from catchball.trace import below_tree, dead_end_record, display_name, element_record, line_of_sight

# The sections of our templates, each a block --section can print alone.
SECTIONS = ("header", "headline", "team_pack", "aims", "orphans", "overdue", "matrix", "xmatrix", "status", "findings", "footer")
CONTEXT_VERSION = 2  # 2: one diagram per aim (aims[].diagram) replaces the organisation's `diagram`
REPORT_LEVELS = 30  # levels of a team pack's `below` tree; deeper ones are counted (`more`), not listed
# Findings our templates list in the appendix (each group's `listed`): the first
# ones in group order, so teams with errors first. At 20,000 staff the whole list
# of about 6,000 findings was 1.7 MB of a 2.1 MB report, where GitHub renders
# a file's first 512 KB and no board reads that far; `catchball check` lists
# them all. The context keeps every finding, for other templates. So for the
# objectives not connected to True North (1,007 of them, 137 KB).
REPORT_FINDINGS = 300
REPORT_ORPHANS = 200
# The catchball status table lists the levels of the organisation that fit in
# REPORT_TEAMS rows; each team of the deepest level listed counts the teams below
# it in its row. At 200,000 staff (10,428 teams) the table of every team was
# 0.74 MB and the list of who holds the ball 2.3 MB of a 3.2 MB report.
# `catchball status` lists them all.
REPORT_TEAMS = 200
REPORT_BALL = 200  # waiting objectives listed under "who holds the ball", the top of the organisation first
REPORT_SILENT = 200  # silent teams named in the sentence under the table
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
_TEAM_UNKNOWN = object()  # the findings group of objectives and people whose team is not defined


@dataclass(frozen=True, slots=True)
class ReportOptions:
    team: str | None = None  # a team pack: this team's branch only
    people: bool = True  # False: no individual objectives and no names (--no-people)
    date: dt.date | None = None  # None: SOURCE_DATE_EPOCH if set, else today
    revision: bool = True  # look up the goals revision in git
    section: str | None = None  # the one section printed (--section): checked before any work
    chart_folder: str | None = None  # with -o: the folder beside the report its SVG charts go to ("report-charts")


def report_date(given: dt.date | None = None, environ=None) -> dt.date:
    """The date printed on the report: `given`, else SOURCE_DATE_EPOCH (seconds, UTC), else today."""
    return given if given is not None else default_day(environ)


def build_context(result, options: ReportOptions | None = None) -> dict:
    """The context for `result` (a CheckResult); raises CatchballError for an unknown team."""
    return _Context(result, options or ReportOptions()).build()


class _Context:
    def __init__(self, result, options: ReportOptions) -> None:
        self.result = result
        self.options = options
        self.people = options.people
        self.cascade = result.cascade
        self.goals = result.goals
        self.org = self.cascade.org
        goals = self.goals
        if options.team is not None and options.team not in goals.teams:
            from catchball.spelling import did_you_mean

            raise CatchballError(f"no team {options.team!r}{did_you_mean(options.team, goals.teams)}")
        self.scope_root = options.team if options.team is not None else self.org.root
        self.scope = set(self.cascade.branch(options.team)) if options.team is not None else None
        # The records a template sees carry no finding that --no-people leaves out; the
        # diagram's colours still count every finding (a colour names nobody).
        self._teamed: list[tuple] | None = None  # teamed_findings()
        self.index = FindingIndex((f for f in result.findings if not self.hidden(f)), goals)
        self.all_findings = FindingIndex(result.findings, goals)
        owner_teams = self.cascade.owner_teams
        self.objectives = list(goals.objectives.values()) if self.scope is None else \
            [o for o in goals.objectives.values() if owner_teams.get(o.id) in self.scope]
        self.in_scope_ids = {o.id for o in self.objectives}
        self.column_ids, self.column_of = self._columns()
        self.columns = [{"id": t, "name": self.team_name(t)} for t in self.column_ids]
        self._distances: dict[str, dict[str, int]] = {}
        self.cascades = {a.id: self._aim_cascade(a.id) for a in goals.aims.values() if a.active}
        self.elements: dict[str, dict] = {}
        self.expertise = self._expertise()

    # -- scope -------------------------------------------------------------------------

    def in_scope(self, team_id: str | None) -> bool:
        """Whole organisation: everything, even an unknown team. Team pack: the branch only."""
        return self.scope is None or team_id in self.scope

    def shown(self, objective) -> bool:
        return self.people or not objective.is_individual

    def team_name(self, team_id: str | None) -> str | None:
        team = self.goals.teams.get(team_id) if team_id else None
        return (team.name or team.id) if team else None

    def element(self, goal_id: str) -> dict:
        """An element's record, made once: paths up share their steps."""
        record = self.elements.get(goal_id)
        if record is None:
            record = self.elements[goal_id] = element_record(self.cascade, goal_id, self.index, self.people)
        return record

    def name(self, person: str | None) -> str | None:
        return display_name(self.goals, person) if self.people else None

    # -- the whole context ------------------------------------------------------------------

    def build(self) -> dict:
        goals, options = self.goals, self.options
        revision = None
        if options.revision:
            from catchball.revision import goals_revision

            revision = goals_revision(goals.root)
        if options.section is not None and options.section not in SECTIONS:
            raise CatchballError(f"no section {options.section!r} in the report; choose one of {', '.join(SECTIONS)}")
        return {
            "version": CONTEXT_VERSION,
            "catchball": __version__,
            "organisation": goals.settings.organisation,
            "period": goals.settings.period,
            "date": report_date(options.date).isoformat(),
            "root": goals.display_root,
            "revision": revision,
            "scope": {
                "team": options.team,
                "team_name": self.team_name(options.team),
                "root": self.scope_root,
                "root_name": self.team_name(self.scope_root),
                "people": self.people,
            },
            "headline": self.headline(),
            "aims": [self.aim(a.id) for a in goals.aims.values() if a.active],
            "retired_aims": [{"id": a.id, "title": a.title} for a in goals.aims.values() if not a.active],
            "matrix": self.matrix(),
            "xmatrix": self.xmatrix(),
            "status": self.status(),
            "findings": self.findings(),
            "orphans": self.orphans(),
            "overdue": self.overdue(),
            "team": self.team_pack(),
        }

    # -- headline --------------------------------------------------------------------

    def headline(self) -> dict:
        goals, cascade = self.goals, self.cascade
        active = [o for o in self.objectives if o.active]
        traced_ids, owner_teams = cascade.traced, cascade.owner_teams  # sets and dicts: 60,000 lookups each
        traced = sum(1 for o in active if o.id in traced_ids)
        teams = [t for t in goals.teams if self.in_scope(t)]
        below = [t for t in teams if t != self.scope_root]
        engaged = {owner_teams.get(o.id) for o in active} & set(below)
        findings = [f for f, _ in self.teamed_findings()]
        active_aims = [a for a in goals.aims.values() if a.active]
        return {
            "aims": len(active_aims),
            "retired_aims": len(goals.aims) - len(active_aims),
            "aims_supported": sum(1 for a in active_aims if self.cascades[a.id]["objectives"]),
            "teams": len(teams),
            "teams_below": len(below),
            "teams_engaged": len(engaged),
            "engaged_share": len(engaged) / len(below) if below else 1.0,
            "people": sum(1 for p in goals.people.values() if self.in_scope(p.team)),
            "objectives": len(self.objectives),
            "active_objectives": len(active),
            "individual_objectives": sum(1 for o in active if o.person is not None and o.team is None),  # is_individual
            "traced_objectives": traced,
            "traced_share": traced / len(active) if active else 1.0,
            "orphans": len(active) - traced,
            "errors": sum(1 for f in findings if f.severity == ERROR),
            "warnings": sum(1 for f in findings if f.severity == WARNING),
            "infos": sum(1 for f in findings if f.severity == INFO),
        }

    # -- aims ---------------------------------------------------------------------------

    def _aim_cascade(self, aim_id: str) -> dict:
        """Breadth first below the aim: each objective's distance, counted in scope."""
        cascade = self.cascade
        distance = self.distances(aim_id)
        # The distances are of objectives only: the whole organisation's scope holds them all.
        members = list(distance) if self.scope is None else [o for o in distance if o in self.in_scope_ids]
        objectives = self.goals.objectives
        people = set()
        for objective_id in members:
            objective = objectives[objective_id]
            person = objective.person
            if person is None or objective.team is not None:  # not an individual objective: its owner
                person = objective.owner
            if person:
                people.add(person)
        cells = [0] * len(self.columns)
        column_index = {team: i for i, team in enumerate(self.column_ids)}
        owner_teams = cascade.owner_teams  # the members are objectives
        teams = [owner_teams.get(o) for o in members]
        for team in teams:
            column = self.column_of.get(team)
            if column is not None:
                cells[column_index[column]] += 1
        return {
            "objectives": len(members),
            "direct": sum(1 for o in cascade.supporters(aim_id) if o.id in self.in_scope_ids),
            "levels": max(distance.values(), default=0) if self.scope is None else
                      max((distance[o] for o in members), default=0),
            "reaches_people": any(objectives[o].is_individual for o in members),
            "teams": len(set(teams) - {None}),
            "people": len(people),
            "cells": cells,
        }

    def aim(self, aim_id: str) -> dict:
        aim = self.goals.aims[aim_id]
        record = element_record(self.cascade, aim_id, self.index, self.people)
        numbers = self.cascades[aim_id]
        below = self.measures_below(aim_id)
        record.update(
            {
                "dimension": aim.dimension,
                "description": aim.description,
                "measures": [measure_record(m) for m in aim.measures],
                "diagram": self.aim_diagram(aim_id),
                "measures_below": below,
                "rollup": rollup(below),
                "objectives": numbers["objectives"],
                "direct_supporters": numbers["direct"],
                "levels": numbers["levels"],
                "reaches_people": numbers["reaches_people"],
                "teams": numbers["teams"],
                "people": numbers["people"],
                "top_teams": [
                    {"id": column["id"], "name": column["name"], "objectives": count}
                    for column, count in zip(self.columns, numbers["cells"])
                    if count
                ],
                "expertise": self.expertise.get(aim_id),
            }
        )
        return record

    def _expertise(self) -> dict:
        """Per aim, its capability record (docs/templates.md), only where catchball.yaml has `capability`."""
        if self.goals.settings.capability_targets is None:
            return {}
        from catchball.capability import aim_expertise_record, capability_of

        found = capability_of(self.cascade, self.options.team, teams=False)
        return {row.id: aim_expertise_record(self.goals, row, self.people) for row in found.aims}

    # -- coverage matrix -------------------------------------------------------------------

    def _columns(self) -> tuple[list[str], dict[str, str]]:
        """The matrix columns (the scope root when it owns objectives itself, then the teams
        just below it), and the column each team's objectives count in."""
        root = self.scope_root
        children = self.org.children.get(root, []) if root else []
        column_of: dict[str, str] = {}
        for child in children:
            for team in self.cascade.branch(child):
                column_of[team] = child
        columns = list(children)
        if root is not None and any(self.cascade.owner_team(o.id) == root for o in self.objectives if o.active):
            column_of[root] = root
            columns.insert(0, root)
        return columns, column_of

    def matrix(self) -> dict:
        rows = []
        for aim in self.goals.aims.values():
            if aim.active:
                cells = self.cascades[aim.id]["cells"]
                rows.append({"aim": aim.id, "title": aim.title, "cells": cells, "total": sum(cells)})
        return {"columns": self.columns, "rows": rows}

    # -- diagram ---------------------------------------------------------------------------

    def measures_below(self, aim_id: str) -> list[dict]:
        """The aim's own measures, then those of the objectives below it (nearest first), in scope."""
        from catchball.chart import render_svg
        from catchball.report.measures import MAX_CHARTS, chart_slug, measure_entry

        goals, cascade = self.goals, self.cascade
        by_element = self.charts_by_element
        levels = {aim_id: 0}
        levels.update(self.distances(aim_id))
        # The aim's own measures (those with data first), then those with data (what a
        # board can read a chart of), then the rest, each nearest first: the elements
        # come in level order (distances are breadth first), so each list is in order.
        own, with_data, without = [], [], []
        objectives, in_scope = goals.objectives, self.in_scope_ids
        for element_id, level in levels.items():
            charts = by_element.get(element_id)
            if not charts:  # most objectives of a large trust: nothing to show of them here
                continue
            if level:
                element = objectives[element_id]
                if element_id not in in_scope or not self.shown(element):
                    continue
                owner = element.person if element.is_individual else element.owner
            else:
                element = goals.aims[element_id]
                owner = element.owner
            name = self.name(owner)
            for chart in charts:
                entry = measure_entry(chart, element.title, name, level)
                (own if not level else with_data if entry["has_data"] else without).append(entry)
        own.sort(key=lambda e: not e["has_data"])
        entries = own + with_data + without
        drawn = 0
        for entry in entries:
            if drawn >= MAX_CHARTS:
                break
            if not entry["has_data"]:
                continue
            chart = next(c for c in by_element[entry["element"]] if c.name == entry["key"])
            if chart.chart is None:
                continue
            drawn += 1
            entry["svg"] = render_svg(
                chart.chart,
                title=f"{entry['name']} ({entry['element']})",
                unit=chart.measure.unit,
                target=chart.target,
                direction=chart.direction,
            )
            if self.options.chart_folder:
                entry["chart_path"] = f"{self.options.chart_folder}/{chart_slug(entry['key'])}.svg"
        return entries

    def distances(self, aim_id: str) -> dict[str, int]:
        """Each active objective below the aim, with its fewest links to it, breadth first (walked once per aim)."""
        found = self._distances.get(aim_id)
        if found is None:
            found = self._distances[aim_id] = self.cascade.distances_below(aim_id)
        return found

    @cached_property
    def charts_by_element(self) -> dict[str, list]:
        """Each aim's and objective's measure charts, in file order (grouped once for every aim)."""
        by_element: dict[str, list] = {}
        for chart in self.cascade.measure_charts:
            by_element.setdefault(chart.element_id, []).append(chart)
        return by_element

    def xmatrix(self) -> dict:
        from catchball.report.xmatrix import x_matrices
        from catchball.report.xmatrix_svg import xmatrix_svg

        matrices = x_matrices(self.cascade, lambda o: self.in_scope(self.cascade.owner_team(o)), self.people)
        for matrix in matrices["matrices"]:
            matrix["svg"] = xmatrix_svg(matrix)
        return matrices

    def aim_diagram(self, aim_id: str) -> dict:
        """One aim's picture: Mermaid for Markdown, SVG for HTML, from the same boxes."""
        from catchball.report.aim_tree import aim_tree
        from catchball.report.mermaid import aim_mermaid
        from catchball.report.tree_svg import smallest_text_px, tree_svg

        tree = aim_tree(self.cascade, aim_id, self.severity, self.scope, self.people)
        title = f"{aim_id} {self.goals.aims[aim_id].title or ''}".strip()
        return {
            "mode": tree.mode,
            "mermaid": aim_mermaid(tree),
            "svg": tree_svg(tree, f"The cascade below {title}"),
            "boxes": len(tree.boxes) - 1,
            "links": len(tree.links),
            "levels": tree.levels,
            "objectives": tree.objectives,
            "folded": tree.folded,
            "team_depth": tree.team_depth,
            "more_teams": tree.more_teams,
            "text_px": round(smallest_text_px(tree), 1),
        }

    def severity(self, goal_ids, team_ids) -> str | None:
        """The worst severity among the findings on these elements and teams (colours name nobody:
        every finding counts, --no-people or not)."""
        found = {f.severity for i in goal_ids for f in self.all_findings.get(i)}
        found |= {f.severity for t in team_ids for f in self.all_findings.team(t)}
        return "error" if "error" in found else "warning" if "warning" in found else None

    # -- catchball status ------------------------------------------------------------------

    def status(self) -> dict:
        state = round_status(self.cascade, self.scope)
        silent = {t.id for t in state.silent()}
        top = self.org.depth.get(self.scope_root, 0) if self.scope is not None else 0
        teams = []
        for team in state.teams:
            record = team_record(team, team.id in silent)
            record["depth"] = max(team.depth - top, 0)
            record["lead_name"] = self.name(team.lead)
            if not self.people:
                record["lead"] = None
            teams.append(record)
        depth = levels_that_fit([t["depth"] for t in teams], REPORT_TEAMS)
        rows = state.rows(depth, REPORT_TEAMS)
        for i, record in enumerate(teams):
            record["listed"], record["branch"] = rows.listed[i], rows.counts[i]
            record["below"], record["below_silent"] = rows.below[i], rows.below_silent[i]
        more = {"teams": rows.more_teams, "silent": rows.more_silent, "objectives": rows.more}
        ball = ball_records(self.cascade, state, self.people)
        return {
            "teams": teams,
            "depth": depth,
            "teams_listed": sum(1 for t in teams if t["listed"]),
            "teams_limit": REPORT_TEAMS,
            "more": more,
            "totals": state.totals,
            "unplaced": state.unplaced,
            "silent": [{"id": t.id, "name": t.name or t.id} for t in state.silent()],
            "silent_limit": REPORT_SILENT,
            "ball": ball,
            "ball_shown": _list_ball(ball, REPORT_BALL),
            "ball_limit": REPORT_BALL,
            "waiting": len(state.waiting),
            "statuses": list(STATUSES),
        }

    # -- findings ---------------------------------------------------------------------------

    def teamed_findings(self) -> list[tuple]:
        """(finding, its subject's team) of each finding in scope, in order: worked out once, for the
        headline and the findings section (a December day: 45,000 findings, 3 lookups each before)."""
        if self._teamed is None:
            goals, cascade, scope = self.goals, self.cascade, self.scope
            pairs = ((f, subject_team(f, goals, cascade)) for f in self.result.findings)
            self._teamed = [(f, team) for f, team in pairs if scope is None or team in scope]
        return self._teamed

    def hidden(self, finding) -> bool:
        """With --no-people: findings about a person, or whose message names one (an individual
        objective names its person). The rules say so in the finding; nothing is read from the text."""
        return not self.people and (finding.kind == PERSON or bool(finding.people))

    def findings(self) -> dict:
        every = self.teamed_findings()
        shown = [f for f, _ in every if not self.hidden(f)]
        groups: dict = {}
        for f, team in every:
            if self.hidden(f):
                continue
            if team is None and f.id is not None and (f.id in self.goals.objectives or f.id in self.goals.people):
                team = _TEAM_UNKNOWN  # an objective or person whose team is not defined: not a file's problem
            groups.setdefault(team, []).append(f)
        order = {team: i for i, team in enumerate(self.org.order)}

        def group_order(team):  # teams with errors first, then warnings, each in org-tree order; then the rest
            worst = min(SEVERITY_RANK[f.severity] for f in groups[team])
            rank = 2 if team is None else 1 if team is _TEAM_UNKNOWN else 0
            return (worst, rank, order.get(team, len(order)), team if isinstance(team, str) else "")

        records = []
        for team in sorted(groups, key=group_order):
            items = sorted(groups[team], key=lambda f: (SEVERITY_RANK[f.severity], f.sort_key()))
            placed = isinstance(team, str)
            name = self.team_name(team) if placed else None
            if name is None:
                name = "Files and settings" if team is None else "Team unknown"
            records.append(
                {
                    "team": team if placed else None,
                    "name": name,
                    "errors": sum(1 for f in items if f.severity == ERROR),
                    "warnings": sum(1 for f in items if f.severity == WARNING),
                    "infos": sum(1 for f in items if f.severity == INFO),
                    "findings": [finding_record(f) for f in items],
                }
            )
        return {
            "total": len(shown),
            "listed": _list_first(records, "findings", REPORT_FINDINGS),
            "limit": REPORT_FINDINGS,
            "errors": sum(1 for f in shown if f.severity == ERROR),
            "warnings": sum(1 for f in shown if f.severity == WARNING),
            "infos": sum(1 for f in shown if f.severity == INFO),
            "hidden": len(every) - len(shown),
            "groups": records,
        }

    # -- overdue ---------------------------------------------------------------------------

    def overdue(self) -> list[dict]:
        """Objectives with an overdue finding (CB405: past their due date on the as-of day, not done)."""
        late = {f.id for f in self.result.findings if f.code == "CB405" and f.id in self.in_scope_ids}
        objectives = [self.goals.objectives[o] for o in late]
        objectives = sorted((o for o in objectives if self.shown(o)), key=lambda o: (o.due or dt.date.max, o.id))
        return [element_record(self.cascade, o.id, self.index, self.people) for o in objectives]

    # -- orphans ---------------------------------------------------------------------------

    def orphans(self) -> dict:
        cascade = self.cascade
        traced, owner_teams = cascade.traced, cascade.owner_teams
        orphans = [o for o in self.objectives if o.active and o.id not in traced]
        groups: dict[str | None, list] = {}
        for objective in orphans:
            groups.setdefault(owner_teams.get(objective.id), []).append(objective)
        order = {team: i for i, team in enumerate(self.org.order)}
        records = []
        for team in sorted(groups, key=lambda t: (t is None, order.get(t, len(order)), t or "")):
            members = groups[team]
            shown = [o for o in members if self.shown(o)]
            records.append(
                {
                    "team": team,
                    "name": self.team_name(team) or "Team unknown",
                    "objectives": [element_record(cascade, o.id, self.index, self.people) for o in shown],
                    "hidden": len(members) - len(shown),
                }
            )
        return {
            "count": len(orphans),
            "hidden": sum(g["hidden"] for g in records),
            "listed": _list_first(records, "objectives", REPORT_ORPHANS),
            "limit": REPORT_ORPHANS,
            "groups": records,
        }

    # -- team pack ----------------------------------------------------------------------------

    def team_pack(self) -> dict | None:
        team_id = self.options.team
        if team_id is None:
            return None
        goals, cascade = self.goals, self.cascade
        team = goals.teams[team_id]
        chain = cascade.team_chain(team_id)
        own = [o for o in cascade.team_objectives(team_id) if o.active]
        # Each of the pack's objectives has its own entry: a path up or a tree
        # below that meets another one stops there and refers to it, so a long
        # same-team chain is listed once, not once for each of its objectives.
        listed = {o.id for o in own}
        objectives = []
        for objective in own:
            sight = line_of_sight(
                cascade, objective.id, stop=listed.__contains__, through=lambda o: o.id not in listed,
                depth=REPORT_LEVELS,
            )
            record = element_record(cascade, objective.id, self.index, self.people)
            record["measures"] = [measure_record(m) for m in objective.measures]
            record["paths"] = [[self.element(step) for step in path] for path in sight.paths]
            record["dead_ends"] = [dead_end_record(cascade, d, self.index, self.people) for d in sight.dead_ends]
            record["truncated"] = sight.truncated
            record["below"] = below_tree(cascade, sight.below, self.index, self.people, bounded=True)
            record["supporters"] = sight.supporters
            record["individual_supporters"] = sum(
                1 for b in sight.below if not b.repeat and goals.objectives[b.id].is_individual
            )
            objectives.append(record)
        return {
            "id": team_id,
            "name": team.name or team_id,
            "lead": team.lead if self.people else None,
            "lead_name": self.name(team.lead),
            "headcount": team.headcount,
            "above": [{"id": t, "name": self.team_name(t)} for t in reversed(chain)],
            "children": [{"id": t, "name": self.team_name(t)} for t in self.org.children.get(team_id, [])],
            "objectives": objectives,
            "dropped": sum(1 for o in cascade.team_objectives(team_id) if not o.active),
        }


def _list_ball(ball: list[dict], limit: int) -> int:
    """Give each holder of the ball `listed` (how many of its objectives a template lists, at most
    `limit` in all, the top of the organisation first) and `shown`; the number of holders shown.
    A holder with only individual objectives left out by --no-people counts as one."""
    left, shown = limit, 0
    for holder in ball:
        holder["listed"] = listed = min(len(holder["objectives"]), left)
        holder["shown"] = listed > 0 or (not holder["objectives"] and left > 0)
        left -= listed or int(holder["shown"])
        shown += holder["shown"]
    return shown


def _list_first(groups: list[dict], items: str, limit: int) -> int:
    """Give each group `listed`: how many of its `items` a template lists, the first groups' first,
    at most `limit` in all; the number listed."""
    left = limit
    for group in groups:
        group["listed"] = listed = min(len(group[items]), left)
        left -= listed
    return limit - left


def measure_record(measure) -> dict:
    return {
        "name": measure.name,
        "unit": measure.unit,
        "baseline": measure.baseline,
        "target": measure.target,
        "by": measure.by.isoformat() if measure.by else None,
        "direction": measure.direction,
    }

