"""`catchball status`: counts per team in org-tree order, silent teams, who holds the ball."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from catchball.status import (
    LEAD, OWNER, Holder, ball_holder, holder_label, levels_that_fit, round_status, top_levels,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "goals"

# HEALTHY plus a second ward, objectives in every status, and a team with none.
ROUND = {
    "org.yaml": """
        teams:
          - id: board
            name: Trust Board
            lead: ceo
          - id: surgery
            name: Surgical Division
            parent: board
            lead: dd
          - id: ward-7
            name: Ward 7
            parent: surgery
            lead: wm
          - id: ward-9
            name: Ward 9
            parent: surgery
          - id: pathology
            name: Pathology
            parent: board
    """,
    "objectives/surgery.yaml": """
        team: surgery
        objectives:
          - id: SURG-1
            title: Cut falls with harm on surgical wards by 30%
            supports: [TN-SAFE]
            owner: dd
            measures: [{name: Falls, baseline: 1, target: 0}]
          - id: SURG-2
            title: Proposed to the board
            supports: [TN-SAFE]
            owner: dd
            status: proposed
            measures: [{name: Falls, baseline: 1, target: 0}]
    """,
    "objectives/ward-7.yaml": """
        team: ward-7
        objectives:
          - id: W7-1
            title: Falls risk assessment for every admission
            supports: SURG-1
            owner: wm
            measures: [{name: Assessed, baseline: 1, target: 2}]
          - id: W7-2
            title: Thrown back by the division
            supports: SURG-1
            owner: wm
            status: challenged
            measures: [{name: Assessed, baseline: 1, target: 2}]
          - id: W7-3
            title: Withdrawn
            supports: SURG-1
            status: dropped
    """,
    "objectives/ward-9.yaml": """
        team: ward-9
        objectives:
          - id: W9-1
            title: Challenged, no owner named
            supports: SURG-1
            status: challenged
            measures: [{name: Assessed, baseline: 1, target: 2}]
    """,
    "objectives/people/ward-7.yaml": """
        objectives:
          - id: P-SN-1
            person: sn
            title: Assess every patient I admit
            supports: [W7-1]
            status: proposed
          - id: P-WM-1
            person: wm
            title: The ward manager's own objective
            supports: [W7-1]
            status: proposed
          - id: P-SN-2
            person: sn
            title: Challenged back to me
            supports: [W7-1]
            status: challenged
    """,
}


def test_counts_follow_the_org_tree_and_split_own_from_people(check_repo):
    result = check_repo(ROUND)
    state = round_status(result.cascade)
    assert [(t.id, t.depth) for t in state.teams] == [
        ("board", 0), ("surgery", 1), ("ward-7", 2), ("ward-9", 2), ("pathology", 1),
    ]
    ward7 = state.teams[2]
    assert ward7.own == {"proposed": 0, "challenged": 1, "agreed": 1, "done": 0, "dropped": 1}
    assert ward7.people == {"proposed": 2, "challenged": 1, "agreed": 0, "done": 0, "dropped": 0}
    assert ward7.total == {"proposed": 2, "challenged": 2, "agreed": 1, "done": 0, "dropped": 1}
    assert state.totals == {"proposed": 3, "challenged": 3, "agreed": 2, "done": 0, "dropped": 1}
    assert [t.id for t in state.silent()] == ["pathology"]


def test_a_team_with_only_dropped_objectives_is_silent(check_repo):
    result = check_repo({
        "objectives/ward-7.yaml": """
            team: ward-7
            objectives:
              - {id: W7-1, title: Gone, supports: SURG-1, status: dropped}
        """,
        "objectives/people/ward-7.yaml": None,
    })
    state = round_status(result.cascade)
    ward7 = next(t for t in state.teams if t.id == "ward-7")
    assert ward7.total["dropped"] == 1 and ward7.active == 0
    assert [t.id for t in state.silent()] == ["ward-7"]


def test_who_holds_the_ball(check_repo):
    result = check_repo(ROUND)
    cascade = result.cascade
    objectives = result.goals.objectives
    holder = {o: ball_holder(cascade, objectives[o]) for o in objectives}
    # proposed team objective: the lead of the parent team
    assert holder["SURG-2"] == Holder(LEAD, "board", "ceo")
    # challenged team objective: its owner; without one, its team's lead (none named here)
    assert holder["W7-2"] == Holder(OWNER, "ward-7", "wm")
    assert holder["W9-1"] == Holder(LEAD, "ward-9", None)
    # proposed individual objective: the lead of the person's team ...
    assert holder["P-SN-1"] == Holder(LEAD, "ward-7", "wm")
    # ... or of the team above when the person leads their own team
    assert holder["P-WM-1"] == Holder(LEAD, "surgery", "dd")
    # challenged individual objective: the person
    assert holder["P-SN-2"] == Holder(OWNER, "ward-7", "sn")
    state = round_status(cascade)
    # read order: files by path (objectives/people/... before objectives/surgery.yaml)
    assert [o.id for o, _ in state.waiting] == ["P-SN-1", "P-WM-1", "P-SN-2", "SURG-2", "W7-2", "W9-1"]
    # holders by their team in org-tree order, then as first met
    labels = [(holder_label(result.goals, h), [o.id for o in held]) for h, held in state.holders()]
    assert labels == [
        ("Chief Executive (lead of Trust Board)", ["SURG-2"]),
        ("Divisional Director (lead of Surgical Division)", ["P-WM-1"]),
        ("Ward Manager (lead of Ward 7)", ["P-SN-1"]),
        ("Staff Nurse (owner)", ["P-SN-2"]),
        ("Ward Manager (owner)", ["W7-2"]),
        ("the lead of Ward 9 (no lead named)", ["W9-1"]),
    ]
    assert holder_label(result.goals, holder["W7-2"], people=False) == "its owner"
    assert holder_label(result.goals, holder["SURG-2"], people=False) == "the lead of Trust Board"


def test_a_proposed_objective_of_the_root_team_waits_on_the_root_lead(check_repo):
    result = check_repo({
        "objectives/board.yaml": """
            team: board
            objectives:
              - {id: B-1, title: Board objective, supports: TN-SAFE, owner: ceo, status: proposed}
        """,
    })
    assert ball_holder(result.cascade, result.goals.objectives["B-1"]) == Holder(LEAD, "board", None)


def test_unknown_owner_team_is_counted_apart(check_repo):
    result = check_repo({
        "objectives/ghost.yaml": """
            team: ghost
            objectives:
              - {id: G-1, title: Nobody's, supports: TN-SAFE, status: proposed}
        """,
    })
    state = round_status(result.cascade)
    assert state.unplaced["proposed"] == 1
    assert state.totals["proposed"] == 1
    (holder, objectives), = state.holders()
    assert holder == Holder(LEAD, None, None) and objectives[0].id == "G-1"
    assert holder_label(result.goals, holder) == "nobody yet: the owner team is unknown"


def test_status_for_a_branch_only(check_repo):
    result = check_repo(ROUND)
    state = round_status(result.cascade, {"surgery", "ward-7", "ward-9"})
    assert [t.id for t in state.teams] == ["surgery", "ward-7", "ward-9"]
    assert state.root == "surgery"
    assert state.silent() == []
    assert {o.id for o, _ in state.waiting} == {"SURG-2", "W7-2", "W9-1", "P-SN-1", "P-WM-1", "P-SN-2"}


def test_status_command_text(cli, make_repo):
    root = make_repo(ROUND)
    result = cli("status", root)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Test Trust · 2026/27"
    header = next(i for i, line in enumerate(lines) if line.startswith("Team "))
    assert lines[header].split() == ["Team", "proposed", "challenged", "agreed", "done", "dropped"]
    rows = [line.split() for line in lines[header + 1: header + 7]]
    assert rows == [
        ["Trust", "Board", "(board)", "·", "·", "·", "·", "·"],
        ["Surgical", "Division", "(surgery)", "1", "·", "1", "·", "·"],
        ["Ward", "7", "(ward-7)", "2", "2", "1", "·", "1"],
        ["Ward", "9", "(ward-9)", "·", "1", "·", "·", "·"],
        ["Pathology", "(pathology)", "·", "·", "·", "·", "·", "no", "objectives", "yet"],
        ["Total", "3", "3", "2", "·", "1"],
    ]
    assert lines[header + 2].startswith("  Surgical Division") and lines[header + 3].startswith("    Ward 7")
    text = result.stdout
    assert "No objectives yet (1)\n  Pathology (pathology)\n" in text
    assert "Who holds the ball (6 objectives waiting)" in text
    assert "  Ward Manager (lead of Ward 7)  1 proposed\n    P-SN-1  Assess every patient I admit  proposed\n" in text


def test_status_command_on_a_finished_round(cli, make_repo):
    text = cli("status", make_repo()).stdout
    assert "Every team has objectives." in text
    assert "Nobody holds the ball: no objective is proposed or challenged." in text


def test_status_json(cli, make_repo):
    root = make_repo(ROUND)
    result = cli("status", "--format", "json", root)
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert list(doc) == ["version", "root", "organisation", "period", "team", "totals", "teams", "unplaced", "silent_teams", "ball"]
    assert doc["version"] == 1 and doc["root"] == str(root) and doc["organisation"] == "Test Trust" and doc["team"] is None
    assert doc["totals"] == {"proposed": 3, "challenged": 3, "agreed": 2, "done": 0, "dropped": 1}
    ward7 = doc["teams"][2]
    assert ward7 == {
        "id": "ward-7", "name": "Ward 7", "parent": "surgery", "depth": 2, "lead": "wm",
        "objectives": {"proposed": 2, "challenged": 2, "agreed": 1, "done": 0, "dropped": 1},
        "team_objectives": {"proposed": 0, "challenged": 1, "agreed": 1, "done": 0, "dropped": 1},
        "individual_objectives": {"proposed": 2, "challenged": 1, "agreed": 0, "done": 0, "dropped": 0},
        "silent": False,
    }
    assert doc["silent_teams"] == ["pathology"]
    first = doc["ball"][0]
    assert first == {
        "role": "lead", "team": "board", "person": "ceo", "label": "Chief Executive (lead of Trust Board)",
        "objectives": [{"id": "SURG-2", "title": "Proposed to the board", "status": "proposed", "team": "surgery", "person": None}],
        "individual": 0,
    }
    assert [b["label"] for b in doc["ball"]][3] == "Staff Nurse (owner)"
    assert doc["ball"][3]["objectives"][0]["person"] == "sn"


def _table(text: str) -> list[list[str]]:
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Team "))
    end = next(i for i in range(header, len(lines)) if lines[i].startswith("Total"))
    return [line.split() for line in lines[header + 1: end + 1]]


def test_status_depth_lists_the_top_levels_each_counting_the_teams_below(cli, make_repo):
    root = make_repo(ROUND)
    result = cli("status", "--depth", "1", root)
    assert result.exit_code == 0
    assert _table(result.stdout) == [
        ["Trust", "Board", "(board)", "·", "·", "·", "·", "·"],
        ["Surgical", "Division", "(surgery)", "+", "2", "teams", "below", "3", "3", "2", "·", "1"],
        ["Pathology", "(pathology)", "·", "·", "·", "·", "·", "no", "objectives", "yet"],
        ["Total", "3", "3", "2", "·", "1"],
    ]
    assert "Who holds the ball (6 objectives waiting)" in result.stdout  # the ball and silent teams stay whole
    doc = json.loads(cli("status", "--depth", "1", "--format", "json", root).stdout)
    assert [t["id"] for t in doc["teams"]] == ["board", "surgery", "pathology"]
    surgery = doc["teams"][1]
    assert (surgery["below"], surgery["below_silent"]) == (2, 0)
    assert surgery["branch"] == {"proposed": 3, "challenged": 3, "agreed": 2, "done": 0, "dropped": 1}
    assert surgery["objectives"] == {"proposed": 1, "challenged": 0, "agreed": 1, "done": 0, "dropped": 0}  # its own
    assert _table(cli("status", "--depth", "0", root).stdout)[0][:7] == ["Trust", "Board", "(board)", "+", "4", "teams", "below"]


def test_status_team_shows_the_branch_from_its_top(cli, make_repo):
    root = make_repo(ROUND)
    result = cli("status", "--team", "surgery", root)
    assert result.exit_code == 0
    rows = _table(result.stdout)
    assert [row[:3] for row in rows[:-1]] == [["Surgical", "Division", "(surgery)"], ["Ward", "7", "(ward-7)"], ["Ward", "9", "(ward-9)"]]
    assert "\nSurgical Division (surgery)" in result.stdout and "\n  Ward 7 (ward-7)" in result.stdout  # from its top
    assert rows[-1] == ["Total", "3", "3", "2", "·", "1"]
    doc = json.loads(cli("status", "--team", "surgery", "--format", "json", root).stdout)
    assert doc["team"] == "surgery" and [t["id"] for t in doc["teams"]] == ["surgery", "ward-7", "ward-9"]
    assert doc["teams"][0]["depth"] == 1  # in the org tree, as without --team
    unknown = cli("status", "--team", "ward7", root)
    assert unknown.exit_code == 2 and unknown.stderr == "catchball: error: no team 'ward7' (did you mean `ward-7`?)\n"


def test_status_errors_exit_2(cli, make_repo, tmp_path):
    assert cli("status", tmp_path / "nowhere").exit_code == 2
    result = cli("status", "--format", "xml", make_repo())
    assert result.exit_code == 2 and "'xml' is not one of 'text', 'json'." in result.stderr


def test_status_on_the_example_goals(cli):
    result = cli("status", EXAMPLE)
    assert result.exit_code == 0
    assert "Pathology Services (pathology)  " in result.stdout
    assert "  Dr Sam Ridley (owner)  1 challenged\n    ED-3  " in result.stdout


# -- the top levels only -----------------------------------------------------------------


def _pre_order(depths: list[int]) -> list[int]:
    """Depths of an org tree in pre-order: the first at the top, each at most one below the last."""
    out = [0]
    for d in depths:
        out.append(min(d, out[-1] + 1))
    return out


@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3), st.integers(0, 3)), max_size=120),
    st.one_of(st.none(), st.integers(1, 40)),
)
def test_the_rows_of_the_top_levels_add_up_and_fit_whatever_the_tree(teams, limit):
    depths = _pre_order([d for d, _, _ in teams])
    counts = [{"proposed": p, "agreed": a} for _, p, a in [(0, 0, 0)] + teams]
    silent = [c["proposed"] + c["agreed"] == 0 for c in counts]
    depth = levels_that_fit(depths, limit) if limit is not None else 2
    rows = top_levels(depths, counts, silent, depth, limit)
    listed = [i for i, shown in enumerate(rows.listed) if shown]
    assert limit is None or len(listed) <= limit
    if limit is not None:
        assert (depth is None) == (len(depths) <= limit)
    if depth is None:
        assert len(listed) == len(depths) and rows.more_teams == 0
    assert all(depths[i] <= depth for i in listed) if depth is not None else True
    for state in ("proposed", "agreed"):  # every objective is counted once: in a row or in `more`
        assert sum(rows.counts[i][state] for i in listed) + rows.more[state] == sum(c[state] for c in counts)
    assert sum(rows.below[i] for i in listed) + rows.more_teams + len(listed) == len(depths)
    assert sum(rows.below_silent[i] + silent[i] for i in listed) + rows.more_silent == sum(silent)
    for i in listed:  # a row that counts teams below it is on the deepest level listed
        assert rows.below[i] == 0 or depths[i] == depth
    if limit is None or rows.more_teams == 0:  # each unlisted team is in the row of its nearest ancestor listed
        for i, shown in enumerate(rows.listed):
            if not shown:
                above = next(j for j in range(i - 1, -1, -1) if depths[j] <= depth)
                assert rows.listed[above] and depths[above] == depth


def test_the_top_levels_of_a_flat_organisation_list_the_first_rows_and_count_the_rest():
    depths = [0] + [1] * 5 + [2, 2]  # the root, five first-level teams, the last with two below it
    counts = [{"agreed": n} for n in range(8)]
    rows = top_levels(depths, counts, [False] * 7 + [True], depth=1, limit=4)
    assert rows.listed == [True] * 4 + [False] * 4
    assert (rows.more_teams, rows.more_silent, rows.more) == (4, 1, {"proposed": 0, "challenged": 0, "agreed": 4 + 5 + 6 + 7, "done": 0, "dropped": 0})
