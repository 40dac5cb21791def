"""Improvement capability: the escalator per team, expertise against the aims, CB701, CB702, the command."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catchball.capability import (
    SupportingObjective,
    TeamInput,
    aim_expertise,
    capability_of,
    is_expert,
    percent,
    team_capability,
)
from catchball.check import run_check
from catchball.model import IMPROVEMENT_LEVELS
from tests.conftest import HEALTHY, codes, placed

PROJECT = Path(__file__).resolve().parent.parent
TARGETS = """
    organisation: Test Trust
    capability:
      targets:
        foundation: 50%
        practitioner: 25
"""

# HEALTHY with levels: the ward manager is a practitioner, the staff nurse a champion.
LEVELS = {
    "people.yaml": """
        people:
          - {id: ceo, name: Chief Executive, team: board, improvement-level: foundation}
          - {id: dd, name: Divisional Director, team: surgery}
          - {id: wm, name: Ward Manager, team: ward-7, improvement-level: practitioner}
          - {id: sn, name: Staff Nurse, team: ward-7, improvement-level: champion}
    """,
}


def rows(result):
    return {t.id: t for t in capability_of(result.cascade).teams}


# -- the pure computation -------------------------------------------------------------------


def test_champion_sits_between_foundation_and_practitioner():
    assert IMPROVEMENT_LEVELS == ("foundation", "champion", "practitioner", "advanced", "expert")
    assert [is_expert(level) for level in IMPROVEMENT_LEVELS] == [False, False, True, True, True]
    assert not is_expert(None)


def test_people_at_or_above_add_up_the_tree_and_a_given_headcount_covers_the_team_and_below():
    teams = [
        TeamInput("board", None, 0, None, ("expert",)),
        TeamInput("surgery", "board", 1, 200, ("practitioner", None)),
        TeamInput("ward", "surgery", 2, None, ("foundation", "champion", "foundation")),
    ]
    board, surgery, ward = team_capability(teams, [("foundation", Fraction(50))])
    # the board: no headcount given, so the 6 people defined in it and below (not 1 + 200)
    assert (board.headcount, board.headcount_given, board.people) == (6, False, 6)
    assert [s.count for s in board.levels] == [5, 3, 2, 1, 1]
    assert board.levels[0].share == Fraction(5, 6) and not board.levels[0].below_target
    assert (surgery.headcount, surgery.headcount_given, surgery.people) == (200, True, 5)
    assert surgery.levels[0].share == Fraction(4, 200) and surgery.levels[0].below_target
    assert [s.count for s in ward.levels] == [3, 1, 0, 0, 0]
    assert ward.levels[1].target is None and not ward.levels[1].below_target


def test_a_share_exactly_on_its_target_is_not_below_it():
    # 0.1% of 100,000 is 100 people: float arithmetic would call 100 short
    teams = [TeamInput("board", None, 0, 100_000, ("expert",) * 100)]
    (board,) = team_capability(teams, [("expert", Fraction("0.1"))])
    assert not board.levels[-1].below_target
    (board,) = team_capability([TeamInput("board", None, 0, 100_000, ("expert",) * 99)], [("expert", Fraction("0.1"))])
    assert board.levels[-1].below_target


def test_a_headcount_of_zero_has_no_share_and_no_shortfall():
    (board,) = team_capability([TeamInput("board", None, 0, 0, ())], [("foundation", Fraction(100))])
    assert board.levels[0].share is None and not board.levels[0].below_target


level_or_none = st.sampled_from((None,) + IMPROVEMENT_LEVELS)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(level_or_none, max_size=6), min_size=1, max_size=8), st.data())
def test_counts_never_rise_up_the_escalator_and_a_parent_holds_its_children(people, data):
    parents = [None] + [data.draw(st.integers(0, i - 1)) for i in range(1, len(people))]
    # pre-order: every parent index is smaller than its child's
    teams = [TeamInput(f"t{i}", None if p is None else f"t{p}", 0, None, tuple(levels))
             for i, (p, levels) in enumerate(zip(parents, people))]
    result = team_capability(teams)
    by_id = {t.id: t for t in result}
    for team, row in zip(teams, result):
        counts = [s.count for s in row.levels]
        assert counts == sorted(counts, reverse=True)
        assert counts[0] <= row.people == row.headcount
        children = [t.id for t in teams if t.parent == team.id]
        assert row.people == len(team.levels) + sum(by_id[c].people for c in children)
    assert result[0].people == sum(len(levels) for levels in people)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_percent_is_cut_never_rounded_up(count, headcount):
    share = Fraction(min(count, headcount), headcount)
    shown = float(percent(share).rstrip("%"))
    assert shown <= share * 100
    assert share * 100 - Fraction(shown) < Fraction(1, 10) if share * 100 >= 1 else True


def test_aim_expertise_counts_each_person_once_and_ranks_gaps_by_individual_objectives_below():
    objectives = [
        SupportingObjective("A", "t1", False, ("x", "y"), ("x",)),
        SupportingObjective("B", "t2", False, ("z",), (), individual_below=1),
        SupportingObjective("C", "t3", False, (), (), individual_below=4),
        SupportingObjective("P-1", "t3", True, ("x",), ("x",)),
        SupportingObjective("D", "t4", False, (), (), individual_below=1),
    ]
    found = aim_expertise("TN", objectives, max_gaps=2)
    assert found.experts == ("x",)
    assert (found.team_objectives, found.covered, found.share, found.uncovered) == (4, 1, Fraction(1, 4), 3)
    assert [(g.id, g.individual_below) for g in found.gaps] == [("C", 4), ("B", 1)]
    assert not found.without_expertise
    assert aim_expertise("TN", []).without_expertise


# -- settings -----------------------------------------------------------------------------------


def test_targets_are_read_written_with_or_without_percent(check_repo):
    result = check_repo({"catchball.yaml": TARGETS})
    assert result.goals.settings.capability_targets == (("foundation", Fraction(50)), ("practitioner", Fraction(25)))
    assert check_repo().goals.settings.capability_targets is None
    empty = check_repo({"catchball.yaml": "capability:\n  targets:\n"})
    assert empty.goals.settings.capability_targets == ()


@pytest.mark.parametrize(
    "targets, message",
    [
        ("{champoin: 10%}", "catchball.yaml:3:13: capability targets: unknown improvement level 'champoin' "
                            "(did you mean `champion`?): the levels are foundation, champion, practitioner, "
                            "advanced, expert"),
        ("{expert: lots}", "catchball.yaml:3:21: capability target for expert must be a share of headcount in "
                           "per cent (`10%` or `10`), not 'lots'"),
        ("{expert: -1%}", "must be a share of headcount"),
        ("{expert: 120%}", "capability target for expert must be 100% or less, not '120%'"),
        ("{expert: yes}", "must be a share of headcount"),
        ("{expert: .inf}", "must be a share of headcount"),
        ("{expert: [1]}", "must be a share of headcount"),
        ("{expert: 1, expert: 2}", "expert is given twice"),
        ("[expert]", "`capability: targets` must map improvement levels to shares"),
    ],
)
def test_bad_targets_are_a_settings_error(make_repo, cli, targets, message):
    root = make_repo({"catchball.yaml": f"organisation: T\ncapability:\n  targets: {targets}\n"})
    result = cli("check", root)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_key_in_the_capability_block_is_cb103(check_repo):
    result = check_repo({"catchball.yaml": "capability:\n  target:\n    expert: 1%\n"})
    assert [(f.code, f.file.endswith("catchball.yaml"), f.line) for f in result.findings if f.code == "CB103"] == [
        ("CB103", True, 2)
    ]
    assert "did you mean `targets`" in [f for f in result.findings if f.code == "CB103"][0].message


# -- the rules ------------------------------------------------------------------------------


def test_cb701_fires_at_the_root_and_teams_with_a_headcount_only_for_levels_with_a_target(check_repo):
    org = HEALTHY["org.yaml"].replace("    parent: board\n", "    parent: board\n    headcount: 40\n")
    result = check_repo({"catchball.yaml": TARGETS, "org.yaml": org, **LEVELS})
    # board: 4 people; foundation or above 3 (75%), practitioner or above 1 (25%): on target.
    # surgery: headcount 40; foundation 2 of 40 (5%), practitioner 1 of 40 (2.5%): both short.
    # ward-7: below, but it gives no headcount of its own, so no note.
    assert placed(result, "CB701") == [("surgery", 4)]
    (finding,) = [f for f in result.findings if f.code == "CB701"]
    assert finding.severity == "info"
    assert finding.message == (
        "team surgery is short of its capability targets: foundation or above 5% (2 of 40) against 50%; "
        "practitioner or above 2.5% (1 of 40) against 25%"
    )


def test_cb701_passes_when_every_target_is_met(check_repo):
    result = check_repo({"catchball.yaml": TARGETS, **LEVELS})
    assert placed(result, "CB701") == []


def test_cb701_at_the_root(check_repo):
    high = "capability:\n  targets:\n    practitioner: 30%\n"
    result = check_repo({"catchball.yaml": high, **LEVELS})
    assert placed(result, "CB701") == [("board", 2)]


def test_cb702_fires_on_an_aim_whose_cascade_has_no_practitioner(check_repo):
    people = LEVELS["people.yaml"].replace("improvement-level: practitioner", "improvement-level: champion")
    result = check_repo({"catchball.yaml": TARGETS, "people.yaml": people})
    assert placed(result, "CB702") == [("TN-SAFE", 2)]
    (finding,) = [f for f in result.findings if f.code == "CB702"]
    assert finding.severity == "warning"
    assert finding.message == (
        "aim TN-SAFE has nobody at practitioner level or above among the owners and leads of its "
        "2 supporting team objectives or the people of its individual objectives"
    )


@pytest.mark.parametrize(
    "who",
    [
        "{id: sn, name: Staff Nurse, team: ward-7, improvement-level: advanced}",  # a supporting individual objective
        "{id: dd, name: Divisional Director, team: surgery, improvement-level: expert}",  # owner of SURG-1
    ],
)
def test_cb702_passes_with_one_practitioner_or_above_anywhere_in_the_cascade(check_repo, who):
    result = check_repo({"catchball.yaml": "capability:\n  targets:\n", "people.yaml": _with(who)})
    assert result.goals.settings.capability_targets == ()
    assert placed(result, "CB702") == []
    without = check_repo({"catchball.yaml": "capability:\n  targets:\n"})
    assert placed(without, "CB702") == [("TN-SAFE", 2)]


def _with(entry: str) -> str:
    person = entry.split(",")[0].split(":")[1].strip()
    lines = [line for line in HEALTHY["people.yaml"].splitlines() if f"id: {person}," not in line]
    return "\n".join(lines + [f"  - {entry}"]) + "\n"


def test_cb702_counts_the_lead_of_a_supporting_team(check_repo):
    people = _with("{id: wm, name: Ward Manager, team: ward-7, improvement-level: practitioner}")
    org = HEALTHY["org.yaml"]
    result = check_repo({"catchball.yaml": TARGETS, "people.yaml": people, "org.yaml": org})
    assert placed(result, "CB702") == []


def test_the_aim_owner_alone_is_not_its_cascade(check_repo):
    people = _with("{id: ceo, name: Chief Executive, team: board, improvement-level: expert}")
    result = check_repo({"catchball.yaml": TARGETS, "people.yaml": people})
    assert placed(result, "CB702") == [("TN-SAFE", 2)]


def test_no_capability_block_means_no_cb7_findings_even_with_levels(check_repo):
    result = check_repo(LEVELS)
    assert [c for c, _ in codes(result) if c.startswith("CB7")] == []
    bare = check_repo({"people.yaml": LEVELS["people.yaml"].replace("improvement-level: practitioner", "")})
    assert [c for c, _ in codes(bare) if c.startswith("CB7")] == []


def test_the_example_without_its_capability_block_gives_the_findings_it_gave_before(tmp_path):
    import shutil

    copy = tmp_path / "goals"
    shutil.copytree(PROJECT / "goals", copy)
    settings = (copy / "catchball.yaml").read_text(encoding="utf-8")
    (copy / "catchball.yaml").write_text(settings[: settings.index("# The trust's own")], encoding="utf-8")
    result = run_check(str(copy))
    assert sorted(codes(result)) == sorted(
        [("CB201", "DIG-3"), ("CB204", "W9-3"), ("CB501", "ED-3"), ("CB502", "PPL-4"), ("CB502", "W3-3"),
         ("CB502", "P-SF-2"), ("CB301", "TN-EQUITY"), ("CB401", "RAD-3"), ("CB302", "pathology")]
    )


def test_the_shipped_test_repositories_give_the_findings_they_gave_before():
    # neither has a capability block, so the goldens and the CI sample are unchanged
    for root in (PROJECT / "tests" / "repos" / "ci-sample",):
        settings = root / "catchball.yaml"
        assert not settings.exists() or "capability" not in settings.read_text()
        assert [c for c, _ in codes(run_check(str(root)))if c.startswith("CB7")] == []


# -- the command ------------------------------------------------------------------------------------


def test_capability_text_shows_each_team_with_a_bar_per_level_and_the_aims(make_repo, cli):
    root = make_repo({"catchball.yaml": TARGETS, **LEVELS})
    result = cli("capability", root)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[3:5] == ["Targets, the share of headcount at or above a level: foundation 50%,", "  practitioner 25%"]
    assert "Trust Board (board)  4 people defined" in lines
    assert "  foundation    ███████████████·····      3    75%  target 50%" in lines
    assert "  champion      ██████████··········      2    50%" in lines
    assert "    Ward 7 (ward-7)  2 people defined" in lines
    assert "      practitioner  ██████████··········      1    50%  target 25%" in lines
    assert "  practitioner  █████···············      1    25%  target 25%" in lines  # on target is not short
    assert "  TN-SAFE  Zero avoidable harm" in lines
    assert "    1 person in its cascade: Ward Manager" in lines
    assert "    1 of 2 supporting team objectives have one (50%)" in lines
    assert "      gap SURG-1  Cut falls with harm on surgical wards by 30%" in lines
    assert "          Surgical Division · 1 individual objective below" in lines
    assert max(len(line) for line in lines[2:]) <= 80  # after the title, which holds the path


def test_capability_text_marks_a_level_short_of_its_target(make_repo, cli):
    root = make_repo({"catchball.yaml": "capability:\n  targets:\n    expert: 0.1%\n", **LEVELS})
    lines = cli("capability", root).stdout.splitlines()
    assert "  expert        ····················      0     0%  short of 0.1%" in lines


def test_capability_no_people_names_nobody(make_repo, cli):
    root = make_repo({"catchball.yaml": TARGETS, **LEVELS})
    text = cli("capability", root, "--no-people").stdout
    data = cli("capability", root, "--no-people", "--format", "json").stdout
    for output in (text, data):
        for name in ("Ward Manager", "Staff Nurse", "Chief Executive", '"wm"', "sn"):
            assert name not in output.replace("Surgical", "")
    assert "    1 person in its cascade" in text.splitlines()
    assert text.splitlines()[2] == "Names left out (--no-people): counts only."
    aim = json.loads(data)["aims"][0]
    assert aim["experts"] == 1 and aim["expert_people"] is None


def test_capability_json(make_repo, cli):
    root = make_repo({"catchball.yaml": TARGETS, **LEVELS})
    result = cli("capability", root, "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert list(doc) == ["version", "root", "organisation", "period", "levels", "expertise_level", "targets",
                         "people_shown", "teams", "aims"]
    assert doc["targets"] == {"foundation": 0.5, "practitioner": 0.25}
    assert [t["id"] for t in doc["teams"]] == ["board", "surgery", "ward-7"]
    board = doc["teams"][0]
    assert (board["headcount"], board["headcount_given"], board["people"], board["depth"]) == (4, False, 4, 0)
    assert board["levels"][0] == {"level": "foundation", "at_or_above": 3, "share": 0.75, "target": 0.5,
                                  "below_target": False}
    assert board["levels"][2]["target"] == 0.25 and board["levels"][3]["target"] is None
    (aim,) = doc["aims"]
    assert aim == {
        "id": "TN-SAFE",
        "title": "Zero avoidable harm",
        "experts": 1,
        "expert_people": [{"id": "wm", "name": "Ward Manager", "level": "practitioner"}],
        "team_objectives": 2,
        "covered": 1,
        "covered_share": 0.5,
        "uncovered": 1,
        "gaps": [{"id": "SURG-1", "title": "Cut falls with harm on surgical wards by 30%", "team": "surgery",
                  "team_name": "Surgical Division", "individual_objectives_below": 1}],
        "without_expertise": False,
    }


def test_capability_team_and_depth(make_repo, cli):
    root = make_repo({"catchball.yaml": TARGETS, **LEVELS})
    doc = json.loads(cli("capability", root, "--team", "surgery", "--depth", "0", "-f", "json").stdout)
    assert [t["id"] for t in doc["teams"]] == ["surgery"]
    assert doc["teams"][0]["people"] == 3
    # only the branch's objectives count for the aim
    assert doc["aims"][0]["team_objectives"] == 2
    top = json.loads(cli("capability", root, "--depth", "1", "-f", "json").stdout)
    assert [t["id"] for t in top["teams"]] == ["board", "surgery"]
    ward = json.loads(cli("capability", root, "--team", "ward-7", "-f", "json").stdout)
    assert ward["aims"][0]["team_objectives"] == 1 and ward["aims"][0]["covered"] == 1


def test_capability_without_targets_says_how_to_set_them(make_repo, cli):
    result = cli("capability", make_repo(LEVELS))
    assert result.exit_code == 0
    assert "No capability targets: add `capability: targets:` to catchball.yaml" in result.stdout
    assert json.loads(cli("capability", make_repo(LEVELS), "-f", "json").stdout)["targets"] is None


@pytest.mark.parametrize(
    "args, message",
    [
        (("--team", "surgry"), "catchball: error: no team 'surgry' (did you mean `surgery`?)"),
        (("--format", "xml"), "catchball: error: unknown format 'xml': choose one of text, json"),
    ],
)
def test_capability_command_errors_exit_2(make_repo, cli, args, message):
    result = cli("capability", make_repo(), *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_the_example_trust_shows_a_gap(cli):
    doc = json.loads(cli("capability", PROJECT / "goals", "-f", "json").stdout)
    board = doc["teams"][0]
    assert board["id"] == "board" and board["levels"][0]["below_target"]
    equity = [a for a in doc["aims"] if a["id"] == "TN-EQUITY"][0]
    assert equity["without_expertise"]
    assert any(g["individual_objectives_below"] > 0 for a in doc["aims"] for g in a["gaps"])


# -- the report ----------------------------------------------------------------------------


def test_the_report_gives_each_aim_its_expertise_only_with_a_capability_block(make_repo, cli):
    from catchball.report.context import ReportOptions, build_context

    with_block = run_check(str(make_repo({"catchball.yaml": TARGETS, **LEVELS})))
    (aim,) = build_context(with_block, ReportOptions(revision=False))["aims"]
    assert aim["expertise"]["experts"] == 1 and aim["expertise"]["expert_people"][0]["name"] == "Ward Manager"
    (hidden,) = build_context(with_block, ReportOptions(revision=False, people=False))["aims"]
    assert hidden["expertise"]["experts"] == 1 and hidden["expertise"]["expert_people"] is None
    (plain,) = build_context(run_check(str(make_repo(LEVELS, name="plain"))), ReportOptions(revision=False))["aims"]
    assert plain["expertise"] is None


def test_the_markdown_report_has_a_line_of_expertise_per_aim(make_repo, cli):
    root = make_repo({"catchball.yaml": TARGETS, **LEVELS})
    report = cli("report", root, "--date", "2026-11-23").stdout
    assert (
        "**Improvement expertise** (1 person at practitioner level or above: Ward Manager): 1 of 2 supporting team "
        "objectives have one (50%). Biggest gaps: SURG-1 of Surgical Division (1 individual objective below)."
    ) in report.splitlines()
    hidden = cli("report", root, "--date", "2026-11-23", "--no-people").stdout
    assert "**Improvement expertise** (1 person at practitioner level or above): 1 of 2" in hidden
    assert "Ward Manager" not in hidden
    assert "Improvement expertise" not in cli("report", make_repo(LEVELS, name="plain"), "--date", "2026-11-23").stdout


# -- the cascade's walks ----------------------------------------------------------------------


DIAMOND = {
    "objectives/ward-7.yaml": """
        team: ward-7
        objectives:
          - {id: W7-1, title: One, supports: SURG-1, owner: wm}
          - {id: W7-2, title: Two, supports: SURG-1, owner: wm}
          - {id: W7-3, title: Gone, supports: SURG-1, owner: wm, status: dropped}
    """,
    "objectives/people/ward-7.yaml": """
        person: sn
        objectives:
          - {id: P-SN-1, title: Both, supports: [W7-1, W7-2]}
          - {id: P-SN-2, title: Under the dropped one, supports: [W7-3]}
          - {id: P-SN-3, title: Dropped itself, supports: [W7-1], status: dropped}
    """,
}


def test_counts_below_counts_an_objective_reached_twice_once_and_skips_dropped_ones(check_repo):
    cascade = check_repo(DIAMOND).cascade
    counts = cascade.counts_below(lambda o: o.is_individual)
    assert (counts["W7-1"], counts["W7-2"], counts["SURG-1"], counts["TN-SAFE"]) == (1, 1, 1, 1)
    assert counts["W7-3"] == 1 and "P-SN-1" not in counts  # the dropped W7-3 is reached, not walked past
    for goal in ("W7-1", "SURG-1", "TN-SAFE"):
        assert counts[goal] == sum(1 for _, o in cascade.support_tree(goal) if o.is_individual)


def test_org_branch_is_the_team_and_everything_below_in_pre_order(check_repo):
    cascade = check_repo().cascade
    assert cascade.org_branch("board") == ["board", "surgery", "ward-7"]
    assert cascade.org_branch("surgery") == ["surgery", "ward-7"]
    assert cascade.org_branch("ward-7") == ["ward-7"]


@settings(max_examples=80, deadline=None)
@given(
    st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from(["{}", "{}%", "'{}%'", "\"{} %\""]),
    st.sampled_from(IMPROVEMENT_LEVELS),
)
def test_any_share_from_0_to_100_reads_exactly_as_written(share, written, level):
    import tempfile

    from catchball.settings import read_settings

    text = written.format(f"{share:f}")  # fixed point, never 1E+1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catchball.yaml"
        path.write_text(f"capability:\n  targets:\n    {level}: {text}\n", encoding="utf-8")
        found, findings = read_settings(path, "catchball.yaml")
    assert found.capability_targets == ((level, Fraction(share)),) and findings == []


def test_a_bare_capability_key_counts_as_absent_and_an_empty_block_switches_cb702_on(check_repo):
    bare = check_repo({"catchball.yaml": "capability:\n"})
    assert bare.goals.settings.capability_targets is None and placed(bare, "CB702") == []
    empty = check_repo({"catchball.yaml": "capability: {targets: {}}\n"})
    assert empty.goals.settings.capability_targets == () and placed(empty, "CB702") == [("TN-SAFE", 2)]
