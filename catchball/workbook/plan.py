"""What an import changes: typed rows compared with the goals already there.

The result is a Plan: new elements (with the file each goes to), changed
fields of existing elements (in the file and at the line where each is
written), a catchball.yaml for a repository that has none, and the
problems that stop the import. Nothing is written here.

What needs --force: changing or removing a value an existing element
already has (a title, a date, its measures). Adding elements, to a new
file or at the end of an existing one, overwrites nothing and needs none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catchball.graph import Cascade
from catchball.model import AGREED, PROPOSED, GoalSet, Measure, Objective
from catchball.rules.catalog import CODES
from catchball.workbook import layout as L
from catchball.workbook.cells import CellFault, read_count, read_ids
from catchball.workbook.read import Problem
from catchball.workbook.rows import Book, Row
from catchball.workbook.tables import upward_targets

# The fields of each sheet in YAML order, with the model attribute each compares with.
FIELDS = {
    L.AIMS: (("title", "title"), ("dimension", "dimension"), ("owner", "owner"),
             ("description", "description"), ("status", "status")),
    L.TEAMS: (("name", "name"), ("parent", "parent"), ("lead", "lead"), ("headcount", "headcount"),
              ("description", "description")),
    L.PEOPLE: (("name", "name"), ("team", "team"), ("role", "role"), ("improvement-level", "improvement_level")),
    L.OBJECTIVES: (("title", "title"), ("supports", "supports"), ("owner", "owner"), ("due", "due"),
                   ("status", "status"), ("description", "description")),
}
SECTION = {L.AIMS: "aims", L.TEAMS: "teams", L.PEOPLE: "people", L.OBJECTIVES: "objectives"}
DEFAULT_STATUS = {L.AIMS: "active", L.OBJECTIVES: AGREED}
MEASURE_KEYS = ("id", "name", "unit", "baseline", "target", "by", "direction")


@dataclass(slots=True)
class NewElement:
    """An element to add: its section, the file it goes to, its keys in YAML order."""

    section: str
    file: str  # relative to the goals root
    values: dict
    owner: tuple[str, str] | None = None  # ("team", id) or ("person", id) for an objective


@dataclass(slots=True)
class Edit:
    """Changes to one existing element, found in its file by the line it starts on."""

    file: str
    section: str
    id: str
    line: int
    set: dict = field(default_factory=dict)  # key -> new value ("measures" -> list of mappings)
    remove: list[str] = field(default_factory=list)
    overwrites: list[str] = field(default_factory=list)  # what --force is needed for, in words


@dataclass(slots=True)
class Plan:
    new: list[NewElement] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    settings: dict | None = None  # catchball.yaml to write (the repository has none)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def overwrites(self) -> list[str]:
        return [f"{e.id}: {what}" for e in self.edits for what in e.overwrites]

    @property
    def empty(self) -> bool:
        return not (self.new or self.edits or self.settings)


def plan_import(book: Book, goals: GoalSet, cascade: Cascade, has_settings: bool) -> Plan:
    """Compare `book` with `goals` (an empty GoalSet for an empty folder)."""
    planner = _Planner(book, goals, cascade)
    planner.settings(has_settings)
    for sheet in (L.AIMS, L.TEAMS, L.PEOPLE, L.OBJECTIVES):
        for row in book.sheet(sheet):
            planner.element(sheet, row)
    planner.measures()
    plan = planner.plan
    plan.problems = book.problems + plan.problems
    plan.problems.sort(key=lambda p: (_SHEET_ORDER.get(p.sheet, 99), p.row or 0))
    return plan


_SHEET_ORDER = {name: i for i, name in enumerate((L.ABOUT, *L.IMPORTED_SHEETS))}


class _Planner:
    def __init__(self, book: Book, goals: GoalSet, cascade: Cascade) -> None:
        self.book, self.goals, self.cascade = book, goals, cascade
        self.plan = Plan()
        self.pack = book.team if book.kind == L.PACK else None
        self.in_book: dict[str, Row] = {}  # aim and objective ids of the workbook
        self.targets: set[str] = set()
        self.members: set[str] = set()
        self.pending: dict[str, tuple] = {}  # new aim/objective id -> (sheet, NewElement)
        self.team_of_new_person: dict[str, str] = {}
        if self.pack is not None:
            if self.pack not in goals.teams:
                self.problem(L.ABOUT, None, None, f"the pack is for team {self.pack}, which the goals do not have")
                self.pack = None
                book.rows.clear()
            else:
                self.targets = set(upward_targets(cascade, self.pack))
                self.members = set(cascade.members(self.pack))
        for sheet in (L.AIMS, L.OBJECTIVES):
            for row in book.sheet(sheet):
                if "id" in row.values:
                    self.in_book.setdefault(row.values["id"], row)
        for row in book.sheet(L.PEOPLE):
            if "id" in row.values and "team" in row.values:
                self.team_of_new_person[row.values["id"]] = row.values["team"]

    def problem(self, sheet, row, column, message) -> None:
        self.plan.problems.append(Problem(sheet, row, column, message))

    def relative(self, display_file: str) -> str:
        root = self.goals.display_root
        if root in ("", "."):
            return display_file
        return display_file[len(root.rstrip("/")) + 1 :]

    # -- settings ---------------------------------------------------------------

    def settings(self, has_settings: bool) -> None:
        rows = self.book.sheet(L.SETTINGS)
        if not rows:
            return
        values = {}
        for row in rows:
            key, value = row.values.get("setting", "").strip().lower(), row.values.get("value")
            if key not in L.SETTING_KEYS:
                self.problem(L.SETTINGS, row.number, "setting", f"unknown setting {key!r} (known: {', '.join(L.SETTING_KEYS)})")
                continue
            if value is None:
                continue
            try:
                values[key] = self.setting_value(key, value.strip())
            except CellFault as exc:
                self.problem(L.SETTINGS, row.number, "value", str(exc))
        if has_settings:
            if self.goals.settings_present and _settings_differ(values, self.goals.settings):
                self.plan.notes.append("the Settings sheet differs from catchball.yaml, which is kept: edit catchball.yaml itself")
            return
        settings = {k: values[k] for k in ("organisation", "period") if k in values}
        rules = {k: values[k] for k in L.RULE_SETTINGS if k in values}
        if rules:
            settings["rules"] = rules
        defaults = {"minimum-points": 13, "shift": 6, "trend": 6, "stale-after": 62}
        spc = {k: values[k] for k in L.SPC_SETTINGS if k in values and values[k] != defaults.get(k)}
        if spc:
            settings["spc"] = spc  # written only where it differs: a v1 repository stays v1
        if "capability targets" in values:
            targets = values["capability targets"]
            settings["capability"] = {"targets": targets} if targets else {"targets": None}
        self.plan.settings = settings or None

    def setting_value(self, key: str, text: str):
        if key in ("max-aims", "max-objectives", *L.SPC_SETTINGS):
            return read_count(text)
        if key == "ignore":
            codes = list(read_ids(text))
            unknown = [c for c in codes if c not in CODES]
            if unknown:
                raise CellFault(f"unknown rule code {unknown[0]}")
            return codes
        if key == "capability targets":
            return self.capability_targets(text)
        if key == "severity":
            levels = {}
            for part in read_list(text):
                code, _, level = part.partition(":")
                code, level = code.strip(), level.strip().lower()
                if code not in CODES or level not in ("error", "warning", "info"):
                    raise CellFault(f"{part!r}: write CODE: error, warning or info (CB206: error)")
                levels[code] = level
            return levels
        return text

    def capability_targets(self, text: str) -> dict:
        from catchball.model import IMPROVEMENT_LEVELS

        if text.strip().lower() == "none":
            return {}
        targets = {}
        for part in read_list(text):
            level, _, share = part.partition(":")
            level, share = level.strip().lower(), share.strip()
            if level not in IMPROVEMENT_LEVELS or not re.fullmatch(r"([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*%?", share):
                raise CellFault(f"{part!r}: write level: share, such as practitioner: 10% (levels: {', '.join(IMPROVEMENT_LEVELS)})")
            targets[level] = share if share.endswith("%") else f"{share}%"
        return targets

    # -- aims, teams, people, objectives ------------------------------------------

    def element(self, sheet: str, row: Row) -> None:
        v = row.values
        element_id = v.get("id")
        if element_id is None:
            return  # reported as required already
        if sheet == L.OBJECTIVES:
            v = self.objective_values(row)
            if v is None:
                return
        existing = self.existing(sheet, element_id)
        if existing is None:
            if self.pack is not None and sheet == L.OBJECTIVES and self.goals.goal(element_id) is not None:
                self.taken(row, element_id)
                return
            if sheet in (L.AIMS, L.OBJECTIVES) and self.goals.goal(element_id) is not None:
                self.problem(sheet, row.number, "id", f"the id {element_id} is already an {'aim' if element_id in self.goals.aims else 'objective'} in the goals")
                return
            self.add(sheet, row, v)
        else:
            if self.pack is not None and not self.ours(existing):
                self.taken(row, element_id)
                return
            self.change(sheet, row, v, existing)

    def existing(self, sheet: str, element_id: str):
        table = {L.AIMS: self.goals.aims, L.TEAMS: self.goals.teams, L.PEOPLE: self.goals.people,
                 L.OBJECTIVES: self.goals.objectives}[sheet]
        return table.get(element_id)

    def ours(self, objective: Objective) -> bool:
        return objective.team == self.pack or (objective.person is not None and objective.person in self.members)

    def taken(self, row: Row, element_id: str) -> None:
        goal = self.goals.goal(element_id)
        whose = "an aim" if element_id in self.goals.aims else f"an objective of {self.cascade.owner_team(element_id) or 'another team'}"
        self.problem(L.OBJECTIVES, row.number, "id", f"the id {element_id} is already {whose} ({goal.title!r}): give a new id")

    def objective_values(self, row: Row) -> dict | None:
        """The row's values with `supports` and `also supports` joined, owner checked."""
        v = dict(row.values)
        supports = tuple(dict.fromkeys((*v.pop("supports", ()), *v.pop("also supports", ()))))
        if supports:
            v["supports"] = supports
        if self.pack is not None:
            if v.get("team") not in (None, self.pack):
                self.problem(L.OBJECTIVES, row.number, "team", f"this pack is for team {self.pack}, not {v['team']}")
                return None
            if v.get("person") is None:
                v["team"] = self.pack
        existing = self.goals.objectives.get(v["id"])
        if v.get("team") is None and v.get("person") is None and existing is not None and self.pack is None:
            v["team"], v["person"] = existing.team, existing.person  # no owner given: it keeps its owner
        if v.get("team") is not None and v.get("person") is not None:
            self.problem(L.OBJECTIVES, row.number, "person", "an objective has one owner: give a team or a person, not both")
            return None
        if v.get("team") is None and v.get("person") is None:
            self.problem(L.OBJECTIVES, row.number, "team", "an objective needs a team, or a person for an individual objective")
            return None
        return v

    def pack_checks(self, row: Row, v: dict, before: Objective | None) -> bool:
        """A team's pack may only propose what the team may own and link to; True when it keeps to that."""
        ok = True
        people_known = bool(self.goals.people)
        for key in ("person", "owner"):
            value = v.get(key)
            if value is None or (before is not None and getattr(before, key) == value):
                continue
            if (key == "person" or people_known) and value not in self.members:
                self.problem(L.OBJECTIVES, row.number, key, f"{value} is not one of team {self.pack}'s people")
                ok = False
        new_links = [t for t in v.get("supports", ()) if before is None or t not in before.supports]
        for target in new_links:
            if target in self.targets or (target in self.pending and self.pending[target][1].owner == ("team", self.pack)):
                continue
            column = "supports" if target in row.values.get("supports", ()) else "also supports"
            self.problem(L.OBJECTIVES, row.number, column, self.why_not_upward(target))
            ok = False
        return ok

    def why_not_upward(self, target: str) -> str:
        if self.goals.goal(target) is None:
            return f"{target} is no aim or objective in the goals"
        team = self.cascade.owner_team(target)
        gap = self.cascade.level_gap(self.pack, team)
        if gap is None:
            return (
                f"{target} belongs to {team or 'no team in the tree'}, which is not above {self.pack}: a link must go "
                "up the organisation (a sideways or downward link is misaligned, CB204); choose from the list"
            )
        if not self.goals.goal(target).active:
            return f"{target} is dropped or retired: it cannot be supported"
        return f"{target} is {gap} levels above {self.pack}: support your parent team's objectives instead (CB206)"

    def add(self, sheet: str, row: Row, v: dict) -> None:
        owner = None
        if sheet == L.OBJECTIVES:
            if self.pack is not None and not self.pack_checks(row, v, None):
                return
            if v.get("status") is None:
                v["status"] = PROPOSED  # a new row with no status is thrown up, not agreed
            owner = ("team", v["team"]) if v.get("team") is not None else ("person", v["person"])
        values = {"id": v["id"]}
        for key, _ in FIELDS[sheet]:
            value = v.get(key)
            if value is None or (key == "status" and value == DEFAULT_STATUS.get(sheet)):
                continue
            values[key] = list(value) if key == "supports" else value
        if sheet == L.PEOPLE:
            values = {"id": v["id"], **{k: v[k] for k in ("name", "team", "role", "improvement-level") if k in v}}
        element = NewElement(SECTION[sheet], self.new_file(sheet, owner), values, owner)
        self.plan.new.append(element)
        if sheet in (L.AIMS, L.OBJECTIVES):
            self.pending[v["id"]] = (sheet, element)

    def new_file(self, sheet: str, owner) -> str:
        goals = self.goals
        if sheet == L.AIMS:
            return self.relative(_last(goals.aims).span.file) if goals.aims else "true-north.yaml"
        if sheet == L.TEAMS:
            return self.relative(_last(goals.teams).span.file) if goals.teams else "org.yaml"
        if sheet == L.PEOPLE:
            return self.relative(_last(goals.people).span.file) if goals.people else "people.yaml"
        kind, owner_id = owner
        if kind == "team":
            existing = self.cascade.team_objectives(owner_id) if owner_id in goals.teams else []
            if existing:
                return self.relative(existing[-1].span.file)
            return f"objectives/{_file_name(owner_id)}.yaml"
        existing = self.cascade.person_objectives(owner_id) if owner_id in goals.people else []
        if existing:
            return self.relative(existing[-1].span.file)
        person = goals.people.get(owner_id)
        team = person.team if person is not None else self.team_of_new_person.get(owner_id)
        return f"objectives/people/{_file_name(team or 'unplaced')}.yaml"

    def change(self, sheet: str, row: Row, v: dict, before) -> None:
        if sheet == L.OBJECTIVES:
            if (before.person is None) != (v.get("person") is None):
                column = "person" if v.get("person") is not None else "team"
                self.problem(sheet, row.number, column, "moving an objective between a team and a person: change it in the YAML")
                return
            if self.pack is not None and not self.pack_checks(row, v, before):
                return
        edit = Edit(self.relative(before.span.file), SECTION[sheet], before.id, before.span.line)
        fields = list(FIELDS[sheet])
        if sheet == L.OBJECTIVES:
            fields.append(("person", "person") if before.person is not None else ("team", "team"))
        for key, attribute in fields:
            if key not in row.given and not (key == "supports" and "also supports" in row.given):
                continue  # the sheet has no such column: the field stays as it is
            old, new = getattr(before, attribute), v.get(key)
            if key == "supports":
                old, new = tuple(old), tuple(new or ())
                if old == new:
                    continue
                if new:
                    edit.set[key] = list(new)
                else:
                    edit.remove.append(key)
                edit.overwrites.append(f"supports {', '.join(old) or '(nothing)'} -> {', '.join(new) or '(nothing)'}")
                continue
            if key == "status" and new is None:
                continue  # an empty status leaves the status as it is
            if new == old or (new is None and old is None):
                continue
            if new is None:
                edit.remove.append(key)
                edit.overwrites.append(f"{key} removed (was {_shown(old)})")
            else:
                edit.set[key] = new
                if old is not None:  # an objective with no status is agreed: a new status changes that too
                    edit.overwrites.append(f"{key} {_shown(old)} -> {_shown(new)}")
        if edit.set or edit.remove:
            self.plan.edits.append(edit)

    # -- measures -------------------------------------------------------------------

    def measures(self) -> None:
        if L.MEASURES not in self.book.rows:
            return  # no Measures sheet (objectives.csv alone): measures stay as they are
        rows = self.book.sheet(L.MEASURES)
        # Measures without Aims or Objectives (measures.csv alone): only the elements it names.
        single_sheet = L.AIMS not in self.book.rows and L.OBJECTIVES not in self.book.rows
        with_data = L.DATA in self.book.rows
        points = self.data_points() if with_data else {}
        grouped: dict[str, list[dict]] = {}
        for row in rows:
            owner = row.values.get("for")
            if owner is None or "name" not in row.values:
                continue
            known = owner in self.in_book or (single_sheet and self.goals.goal(owner) is not None)
            if self.pack is not None and owner in self.goals.objectives and not self.ours(self.goals.objectives[owner]):
                known = False
            if not known:
                where = "the workbook's Aims or Objectives" if not single_sheet else "the goals"
                self.problem(L.MEASURES, row.number, "for", f"{owner} is no aim or objective in {where}")
                continue
            measure = {k: row.values[k] for k in MEASURE_KEYS if k in row.values}
            if with_data:
                series = points.pop((owner, measure.get("id") or measure["name"]), None)
                if series is None and measure.get("id"):
                    series = points.pop((owner, measure["name"]), None)
                if series:
                    measure["data"] = series
            grouped.setdefault(owner, []).append(measure)
        for (owner, name), series in points.items():
            self.problem(L.DATA, series[0][4], "measure", f"{owner} has no measure {name!r} on the sheet Measures")
        owners = list(grouped) if single_sheet else list(self.in_book)
        edits = {e.id: e for e in self.plan.edits if e.section in ("aims", "objectives")}
        for owner in owners:
            measures = grouped.get(owner, [])
            for m in measures:
                if "data" in m:
                    m["data"] = [p[:4] for p in m["data"]]
            if owner in self.pending:
                if measures:
                    self.pending[owner][1].values["measures"] = measures
                continue
            before = self.goals.goal(owner)
            if before is None:
                continue
            if _measure_values(before.measures, with_data) == measures:
                continue
            if not with_data:
                _keep_data(measures, before.measures)  # no Data sheet (a pack): the data stays as it is
            edit = edits.get(owner)
            if edit is None:
                section = "aims" if owner in self.goals.aims else "objectives"
                edit = Edit(self.relative(before.span.file), section, owner, before.span.line)
                self.plan.edits.append(edit)
                edits[owner] = edit
            if measures:
                edit.set["measures"] = measures
            else:
                edit.remove.append("measures")
            if before.measures:
                edit.overwrites.append(f"measures ({len(before.measures)} -> {len(measures)})")

    def data_points(self) -> dict[tuple[str, str], list[tuple]]:
        """(for, measure) -> [(period, value, note, recalculate, row number)], missing points left out."""
        series: dict[tuple[str, str], list[tuple]] = {}
        for row in self.book.sheet(L.DATA):
            v = row.values
            if "for" not in v or "measure" not in v or "period" not in v:
                continue
            recalculate = bool(v.get("recalculate")) and v["recalculate"].strip().lower() not in ("no", "false", "0")
            entries = series.setdefault((v["for"], v["measure"].strip()), [])
            if any(p[0] == v["period"] for p in entries):
                self.problem(L.DATA, row.number, "period", f"the period {v['period']} is given twice for this measure")
                continue
            if v.get("value") is None and not recalculate and v.get("note") is None:
                continue  # a missing point
            entries.append((v["period"], v.get("value"), v.get("note"), recalculate, row.number))
        return series


def _keep_data(measures: list[dict], before: tuple[Measure, ...]) -> None:
    by_key = {}
    for m in before:
        by_key.setdefault(m.id or m.name, m)
        by_key.setdefault(m.name, m)
    for measure in measures:
        old = by_key.get(measure.get("id") or measure["name"])
        if old is not None and old.has_data_key:
            measure["data"] = old.data_file if old.data_file else [(p.period, p.value, p.note, p.recalculate) for p in old.points]


def read_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n]+", text) if p.strip()]


def _measure_values(measures: tuple[Measure, ...], with_data: bool = True) -> list[dict]:
    out = []
    for m in measures:
        values = {}
        for key in MEASURE_KEYS:
            value = getattr(m, key)
            if value is not None:
                values[key] = value
        if m.points and with_data:
            values["data"] = [(p.period, p.value, p.note, p.recalculate) for p in m.points]
        out.append(values)
    return out


def _shown(value) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def _settings_differ(values: dict, settings) -> bool:
    current = {
        "organisation": settings.organisation, "period": settings.period, "max-aims": settings.max_aims,
        "max-objectives": settings.max_objectives, "ignore": list(settings.ignore),
        "severity": dict(settings.severity), "minimum-points": settings.spc.minimum_points,
        "shift": settings.spc.shift, "trend": settings.spc.trend,
        "fix-limits-after": settings.spc.fix_limits_after, "stale-after": settings.stale_after,
        "capability targets": None if settings.capability_targets is None else {
            level: f"{share}%" for level, share in settings.capability_targets},
    }
    return any(current.get(k) != v for k, v in values.items())


def _last(table: dict):
    return next(reversed(table.values()))


def _file_name(element_id: str) -> str:
    # Ids may start with a dot; a hidden file would not be read.
    return element_id.lstrip(".") or "team"
