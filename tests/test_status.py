"""`catchball status`: counts per team in org-tree order, silent teams, who holds the ball."""

from __future__ import annotations

import json
from pathlib import Path

from catchball.status import LEAD, OWNER, Holder, ball_holder, holder_label, round_status

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
    assert ward7.own == {"proposed": 0, "challenged": 1, "agreed": 1, "dropped": 1}
    assert ward7.people == {"proposed": 2, "challenged": 1, "agreed": 0, "dropped": 0}
    assert ward7.total == {"proposed": 2, "challenged": 2, "agreed": 1, "dropped": 1}
    assert state.totals == {"proposed": 3, "challenged": 3, "agreed": 2, "dropped": 1}
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
    assert lines[header].split() == ["Team", "proposed", "challenged", "agreed", "dropped"]
    rows = [line.split() for line in lines[header + 1: header + 7]]
    assert rows == [
        ["Trust", "Board", "(board)", "·", "·", "·", "·"],
        ["Surgical", "Division", "(surgery)", "1", "·", "1", "·"],
        ["Ward", "7", "(ward-7)", "2", "2", "1", "1"],
        ["Ward", "9", "(ward-9)", "·", "1", "·", "·"],
        ["Pathology", "(pathology)", "·", "·", "·", "·", "no", "objectives", "yet"],
        ["Total", "3", "3", "2", "1"],
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
    assert list(doc) == ["version", "root", "organisation", "period", "totals", "teams", "unplaced", "silent_teams", "ball"]
    assert doc["version"] == 1 and doc["root"] == str(root) and doc["organisation"] == "Test Trust"
    assert doc["totals"] == {"proposed": 3, "challenged": 3, "agreed": 2, "dropped": 1}
    ward7 = doc["teams"][2]
    assert ward7 == {
        "id": "ward-7", "name": "Ward 7", "parent": "surgery", "depth": 2, "lead": "wm",
        "objectives": {"proposed": 2, "challenged": 2, "agreed": 1, "dropped": 1},
        "team_objectives": {"proposed": 0, "challenged": 1, "agreed": 1, "dropped": 1},
        "individual_objectives": {"proposed": 2, "challenged": 1, "agreed": 0, "dropped": 0},
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


def test_status_errors_exit_2(cli, make_repo, tmp_path):
    assert cli("status", tmp_path / "nowhere").exit_code == 2
    result = cli("status", "--format", "xml", make_repo())
    assert result.exit_code == 2 and "'xml' is not one of 'text', 'json'." in result.stderr


def test_status_on_the_example_goals(cli):
    result = cli("status", EXAMPLE)
    assert result.exit_code == 0
    assert "Pathology Services (pathology)  " in result.stdout
    assert "  Dr Sam Ridley (owner)  1 challenged\n    ED-3  " in result.stdout
