"""`catchball trace`: every path up to True North, where links stop short, and the tree below."""

from __future__ import annotations

import json
from pathlib import Path

from catchball.graph import CYCLE, DROPPED_TARGET, NOT_DEFINED, RETIRED_TARGET, SUPPORTS_NOTHING, Below, DeadEnd
from catchball.trace import line_of_sight
from tests.conftest import HEALTHY

EXAMPLE = Path(__file__).resolve().parent.parent / "goals"

# HEALTHY plus a second aim, a second surgical objective supporting both, and links that stop short.
BRANCHING = {
    "true-north.yaml": """
        aims:
          - id: TN-SAFE
            title: Zero avoidable harm
            owner: ceo
            measures: [{name: Falls, baseline: 0.19, target: 0.11}]
          - id: TN-CARE
            title: The right care at the right time
            measures: [{name: Waits, baseline: 10, target: 5}]
          - id: TN-OLD
            title: Retired aim
            status: retired
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
            title: Safer, faster discharge
            supports: [TN-CARE, TN-SAFE, TN-OLD]
            owner: dd
            measures: [{name: Days, baseline: 9, target: 7}]
          - id: SURG-3
            title: Dropped plan
            supports: [TN-SAFE]
            status: dropped
    """,
    "objectives/ward-7.yaml": """
        team: ward-7
        objectives:
          - id: W7-1
            title: Falls risk assessment for every admission
            supports: [SURG-1, SURG-2, SURG-3, SURG-9]
            owner: wm
            measures: [{name: Assessed, baseline: 62, target: 95}]
          - id: W7-2
            title: Supports nothing
            owner: wm
            measures: [{name: X, baseline: 1, target: 2}]
    """,
    "objectives/people/ward-7.yaml": """
        person: sn
        objectives:
          - id: P-SN-1
            title: Assess every patient I admit
            supports: [W7-1]
          - id: P-SN-2
            title: Support both the ward and the division
            supports: [W7-1, SURG-1]
    """,
}


def test_paths_go_up_in_supports_order_and_dead_ends_say_why(check_repo):
    result = check_repo(BRANCHING)
    sight = line_of_sight(result.cascade, "W7-1")
    assert sight.traces
    assert sight.paths == [
        ("W7-1", "SURG-1", "TN-SAFE"),
        ("W7-1", "SURG-2", "TN-CARE"),
        ("W7-1", "SURG-2", "TN-SAFE"),
    ]
    assert set(sight.dead_ends) == {
        DeadEnd(("W7-1",), "SURG-3", DROPPED_TARGET),
        DeadEnd(("W7-1",), "SURG-9", NOT_DEFINED),
        DeadEnd(("W7-1", "SURG-2"), "TN-OLD", RETIRED_TARGET),
    }
    messages = {d.message() for d in sight.dead_ends}
    assert "W7-1 supports `SURG-9`, which is not defined" in messages
    assert "SURG-2 supports aim TN-OLD, which is retired" in messages
    assert "W7-1 supports SURG-3, which is dropped" in messages
    assert not sight.truncated


def test_the_tree_below_marks_second_meetings(check_repo):
    result = check_repo(BRANCHING)
    sight = line_of_sight(result.cascade, "TN-SAFE")
    assert sight.paths == [("TN-SAFE",)]
    # supporters in read order: objectives/people/ward-7.yaml comes before objectives/ward-7.yaml
    assert sight.below == [
        Below(1, "SURG-1"),
        Below(2, "P-SN-2"),
        Below(2, "W7-1"),
        Below(3, "P-SN-1"),
        Below(3, "P-SN-2", repeat=True),
        Below(1, "SURG-2"),
        Below(2, "W7-1", repeat=True),
    ]
    assert sight.supporters == 5  # distinct objectives; the dropped SURG-3 takes no part


def test_an_orphan_has_no_path_and_says_where_it_stops(check_repo):
    result = check_repo(BRANCHING)
    sight = line_of_sight(result.cascade, "W7-2")
    assert not sight.traces and sight.paths == []
    assert sight.dead_ends == [DeadEnd(("W7-2",), None, SUPPORTS_NOTHING)]
    assert sight.dead_ends[0].message() == "W7-2 supports nothing"


def test_a_cycle_is_a_dead_end_not_a_loop(check_repo):
    result = check_repo({
        "objectives/ward-7.yaml": """
            team: ward-7
            objectives:
              - {id: W7-1, title: A, supports: [W7-2], owner: wm}
              - {id: W7-2, title: B, supports: [W7-1], owner: wm}
        """,
        "objectives/people/ward-7.yaml": None,
    })
    sight = line_of_sight(result.cascade, "W7-1")
    assert sight.paths == []
    assert sight.dead_ends == [DeadEnd(("W7-1", "W7-2"), "W7-1", CYCLE)]


def test_paths_that_multiply_are_cut_at_the_limit(check_repo):
    # Each level supports both objectives of the level above: 2**6 paths.
    objectives = ["objectives:"]
    for level in range(7):
        for side in "ab":
            above = "[TN-SAFE]" if level == 0 else f"[L{level - 1}a, L{level - 1}b]"
            objectives.append(f"  - {{id: L{level}{side}, title: t, supports: {above}, team: surgery, owner: dd}}")
    result = check_repo({"objectives/levels.yaml": "\n".join(objectives) + "\n"})
    full = line_of_sight(result.cascade, "L6a", limit=1000)
    assert len(full.paths) == 64 and not full.truncated
    cut = line_of_sight(result.cascade, "L6a", limit=10)
    assert len(cut.paths) == 10 and cut.truncated
    assert cut.paths == full.paths[:10]


def test_trace_text_shows_paths_top_down_with_findings_in_place(cli, make_repo):
    root = make_repo(BRANCHING)
    result = cli("trace", "P-SN-1", root)
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("Line of sight for objective P-SN-1  Assess every patient I admit\n")
    assert "  Ward 7 (ward-7) · 👤 Staff Nurse · agreed\n" in text
    assert f"  {root}/objectives/people/ward-7.yaml:3\n" in text
    assert "Up to True North (3 paths)\n  path 1 of 3\n  ◆ TN-SAFE  Zero avoidable harm  [Trust Board · owner Chief Executive · active]\n" in text
    assert "    SURG-1  Cut falls with harm on surgical wards by 30%  [Surgical Division · owner Divisional Director · agreed]\n" in text
    assert "      P-SN-1  Assess every patient I admit  [Ward 7 · 👤 Staff Nurse · agreed]  ◀\n" in text
    # W7-1's dangling link (CB202) shows under W7-1 once, the first time W7-1 appears
    assert text.count("CB202 dangling-support") == 1
    assert "Links that stop short of True North (3)" in text
    assert "  P-SN-1 → W7-1: W7-1 supports `SURG-9`, which is not defined\n" in text
    assert "Supported by: nothing yet" in text
    assert text.rstrip().endswith("Traces to True North")


def test_trace_text_for_an_aim_and_for_an_orphan(cli, make_repo):
    root = make_repo(BRANCHING)
    aim = cli("trace", "TN-SAFE", root).stdout
    assert "TN-SAFE is a True North aim." in aim
    assert "Supported by (5 objectives)\n  SURG-1  " in aim
    assert "    W7-1  Falls risk assessment for every admission  [Ward 7 · owner Ward Manager · agreed]\n" in aim
    assert "  SURG-2  Safer, faster discharge" in aim and "    W7-1  Falls risk assessment for every admission  [Ward 7 · owner Ward Manager · agreed]  (shown above)" in aim
    orphan = cli("trace", "W7-2", root)
    assert orphan.exit_code == 0
    assert "✖ CB201 orphan" in orphan.stdout
    assert "Stops short of True North (1)\n  W7-2 supports nothing\n" in orphan.stdout
    assert orphan.stdout.rstrip().endswith("Does not trace to True North")


def test_trace_json(cli, make_repo):
    root = make_repo(BRANCHING)
    result = cli("trace", "W7-1", "--format", "json", root)
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert list(doc) == [
        "version", "root", "id", "element", "traces", "paths", "dead_ends", "truncated", "supporters", "below",
    ]
    assert doc["id"] == "W7-1" and doc["traces"] is True and doc["supporters"] == 2
    element = doc["element"]
    assert list(element) == [
        "id", "kind", "title", "status", "individual", "team", "team_name", "person", "person_name",
        "owner", "owner_name", "due", "traces", "file", "line", "findings",
    ]
    assert (element["team"], element["owner_name"], element["file"], element["line"]) == (
        "ward-7", "Ward Manager", f"{root}/objectives/ward-7.yaml", 3,
    )
    assert [f["code"] for f in element["findings"]] == ["CB202", "CB205"]
    assert [[step["id"] for step in path] for path in doc["paths"]] == [
        ["W7-1", "SURG-1", "TN-SAFE"], ["W7-1", "SURG-2", "TN-CARE"], ["W7-1", "SURG-2", "TN-SAFE"],
    ]
    assert doc["paths"][0][-1]["kind"] == "aim" and doc["paths"][0][-1]["team"] == "board"
    reasons = {(d["target"], d["reason"]) for d in doc["dead_ends"]}
    assert reasons == {("SURG-3", "dropped"), ("SURG-9", "not-defined"), ("TN-OLD", "retired")}
    below = doc["below"]
    assert [(b["id"], b["repeat"], b["individual"], b["person_name"]) for b in below] == [
        ("P-SN-1", False, True, "Staff Nurse"), ("P-SN-2", False, True, "Staff Nurse"),
    ]
    assert below[0]["supporters"] == []


def test_trace_json_nests_the_tree(cli, make_repo):
    doc = json.loads(cli("trace", "TN-SAFE", "-f", "json", make_repo(BRANCHING)).stdout)
    surg1 = doc["below"][0]
    assert surg1["id"] == "SURG-1"
    assert [n["id"] for n in surg1["supporters"]] == ["P-SN-2", "W7-1"]
    w71 = surg1["supporters"][1]
    assert [(n["id"], n["repeat"]) for n in w71["supporters"]] == [("P-SN-1", False), ("P-SN-2", True)]
    assert doc["below"][1]["supporters"][0]["id"] == "W7-1"
    assert doc["below"][1]["supporters"][0]["repeat"] is True
    assert doc["below"][1]["supporters"][0]["findings"] == []  # findings go with the first meeting
    assert [f["code"] for f in w71["findings"]] == ["CB202", "CB205"]


def test_unknown_id_exits_2_with_a_hint(cli, make_repo):
    root = make_repo(BRANCHING)
    result = cli("trace", "SURG-11", root)
    assert result.exit_code == 2
    assert result.stderr == "catchball: error: no aim or objective 'SURG-11' (did you mean `SURG-1`?)\n"
    team = cli("trace", "surgery", root)
    assert team.exit_code == 2 and "surgery is a team" in team.stderr
    person = cli("trace", "sn", root)
    assert person.exit_code == 2 and "sn is a person" in person.stderr
    assert cli("trace", "W7-1", "--format", "yaml", root).exit_code == 2


def test_trace_and_status_print_a_hostile_title_on_one_line_without_control_characters(cli, make_repo):
    # A title over two lines would split the tree; an escape sequence would reach the terminal.
    root = make_repo({
        "objectives/ward-7.yaml": """
            team: ward-7
            objectives:
              - id: W7-1
                title: "Falls\\nsecond line\\x1b[31mred\\u2028third"
                supports: SURG-1
                owner: wm
                status: proposed
                measures: [{name: m, baseline: 1, target: 2}]
        """,
        "org.yaml": HEALTHY["org.yaml"].replace("name: Ward 7", 'name: "Ward\\n7"'),
    })
    for args in (("trace", "W7-1"), ("trace", "SURG-1"), ("status",)):
        out = cli(*args, root).stdout
        assert "\x1b" not in out and "\u2028" not in out, args
        assert "Falls second line\\x1b[31mred third" in out, args
        assert "Ward 7" in out and "Ward\n" not in out, args


def test_trace_on_the_example_goals(cli):
    result = cli("trace", "P-LH-1", EXAMPLE)
    assert result.exit_code == 0
    assert "  ◆ TN-SAFE  Zero avoidable harm to our patients" in result.stdout
    assert "      W7-1  Reduce falls with harm on Ward 7 to 0.15 per 1,000 bed days" in result.stdout
    misaligned = cli("trace", "W9-3", EXAMPLE).stdout
    assert "✖ CB204 misaligned" in misaligned
