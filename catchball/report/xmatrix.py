"""The X-matrix, generated from the `supports` links: never typed by hand.

Hoshin Kanri's X-matrix puts four lists round a square and marks, in the
four corner grids, which items are linked:

- bottom: the True North aims (breakthrough objectives, 3-5 years);
- left: the annual objectives, the active team objectives that support an
  aim directly;
- top: the improvement priorities, the active team objectives that support
  an annual objective directly;
- right: the measures of the annual objectives and priorities, each with
  its owner (the element's owner, else its team).

A mark is STRONG when one `supports` link joins the two items and WEAK when
the link runs through one level between them (docs/report.md, "X-matrix"):

- aims × annual objectives: strong, the objective supports the aim; weak, it
  supports an objective that supports the aim;
- annual objectives × priorities: strong, the priority supports the annual
  objective; weak, through one objective between;
- priorities × measures: strong, the priority's own measure; weak, a measure
  of an annual objective the priority supports;
- aims × measures: strong, a measure of an annual objective supporting the
  aim; weak, a measure of a priority below one.

Past MAX_ANNUAL annual objectives a matrix is no longer read at a glance:
then there is one X-matrix per aim instead of one for the organisation, so
every link is still marked somewhere. Within one matrix, past MAX_ANNUAL
annual objectives, MAX_PRIORITIES priorities or MAX_MEASURES measures the
first ones (in read order) are kept and the number left out is given, so the
report says so.
"""

from __future__ import annotations

from catchball.trace import display_name

MAX_ANNUAL = 15
MAX_PRIORITIES = 20
MAX_MEASURES = 24
STRONG, WEAK = "strong", "weak"
SYMBOL = {STRONG: "●", WEAK: "○", None: ""}


def x_matrices(cascade, in_scope, people: bool = True) -> dict:
    """{"per_aim": bool, "matrices": [...]}: one matrix, or one per aim past MAX_ANNUAL annual objectives."""
    goals = cascade.goals
    aims = [a.id for a in goals.aims.values() if a.active]
    # The team objectives in scope, found once for every matrix (a large trust has tens of thousands).
    team_objectives = [
        o.id for o in goals.objectives.values() if o.active and not o.is_individual and in_scope(o.id)
    ]
    whole = x_matrix(cascade, team_objectives, aims, people)
    if whole["left_out"]["annual"] == 0:
        return {"per_aim": False, "matrices": [whole]}
    return {"per_aim": True, "matrices": [x_matrix(cascade, team_objectives, [a], people) for a in aims]}


def x_matrix(cascade, team_objectives: list[str], aim_ids: list[str], people: bool = True) -> dict:
    """The X-matrix of these aims as plain data, from the active team objectives in scope (in read order)."""
    goals = cascade.goals
    aims = [goals.aims[a] for a in aim_ids]
    aim_ids = set(aim_ids)
    targets = cascade.targets

    annual_all = [o for o in team_objectives if not aim_ids.isdisjoint(targets(o))]
    annual, annual_left = annual_all[:MAX_ANNUAL], max(len(annual_all) - MAX_ANNUAL, 0)
    annual_set = set(annual)
    priority_all = [o for o in team_objectives if o not in annual_set and not annual_set.isdisjoint(targets(o))]
    priorities, priorities_left = priority_all[:MAX_PRIORITIES], max(len(priority_all) - MAX_PRIORITIES, 0)

    def up(goal_id: str) -> set[str]:
        return set(cascade.targets(goal_id))

    def two_up(goal_id: str) -> set[str]:
        return {t for middle in up(goal_id) for t in up(middle)}

    def mark(lower: str, upper: str) -> str | None:
        if upper in up(lower):
            return STRONG
        if upper in two_up(lower):
            return WEAK
        return None

    measures = []
    for owner_id in annual + priorities:
        for measure in goals.objectives[owner_id].measures:
            if len(measures) < MAX_MEASURES:
                measures.append((owner_id, measure))
    measures_left = sum(len(goals.objectives[o].measures) for o in annual + priorities) - len(measures)

    def measure_mark_priority(priority: str, of: str) -> str | None:
        if of == priority:
            return STRONG
        return WEAK if of in up(priority) else None

    def measure_mark_aim(aim: str, of: str) -> str | None:
        if of in annual_set:
            return STRONG if aim in up(of) else None
        return WEAK if any(aim in up(a) for a in up(of) if a in annual_set) else None

    def item(goal_id: str) -> dict:
        objective = goals.objectives[goal_id]
        team = cascade.owner_team(goal_id)
        return {
            "id": goal_id,
            "title": objective.title,
            "team": team,
            "team_name": (goals.teams[team].name or team) if team in goals.teams else None,
        }

    def measure_item(of: str, measure) -> dict:
        objective = goals.objectives[of]
        team = cascade.owner_team(of)
        owner = display_name(goals, objective.owner) if people and objective.owner else None
        team_name = (goals.teams[team].name or team) if team in goals.teams else None
        return {
            "name": measure.name,
            "unit": measure.unit,
            "of": of,
            "owner_team": team_name,
            "owner_name": owner,
            "owner": owner or team_name,
        }

    return {
        "title": "True North" if len(aims) != 1 else f"{aims[0].id} {aims[0].title or ''}".strip(),
        "aims": [{"id": a.id, "title": a.title} for a in aims],
        "annual": [item(o) for o in annual],
        "priorities": [item(o) for o in priorities],
        "measures": [measure_item(of, m) for of, m in measures],
        "aim_annual": [[mark(o, a.id) for a in aims] for o in annual],  # one row per annual objective
        "annual_priorities": [[mark(p, o) for o in annual] for p in priorities],  # one row per priority
        "priority_measures": [[measure_mark_priority(p, of) for of, _ in measures] for p in priorities],
        "aim_measures": [[measure_mark_aim(a.id, of) for of, _ in measures] for a in aims],
        "left_out": {"annual": annual_left, "priorities": priorities_left, "measures": measures_left},
        "limits": {"annual": MAX_ANNUAL, "priorities": MAX_PRIORITIES, "measures": MAX_MEASURES},
        "symbols": {STRONG: SYMBOL[STRONG], WEAK: SYMBOL[WEAK]},
    }
