"""Each rule fires where the spec says, on the element and line it names, and not otherwise.

Cases change the HEALTHY repository (tests/conftest.py) by a file or two;
HEALTHY itself must give no findings at all.
"""

from __future__ import annotations

import pytest

from tests.conftest import HEALTHY, block, codes, placed


def test_healthy_repository_has_no_findings(check_repo):
    result = check_repo()
    assert codes(result) == []
    assert result.exit_code(strict=True) == 0


# -- CB10x: structure -----------------------------------------------------------


def test_cb101_invalid_yaml_is_placed_where_the_parser_stopped_and_other_files_still_load(check_repo):
    result = check_repo({"objectives/broken.yaml": "objectives:\n  - id: X-1\n    title: [unclosed\n"})
    f = next(f for f in result.findings if f.code == "CB101")
    assert f.file.endswith("objectives/broken.yaml") and (f.line, f.column) == (3, 21)  # the parser said 4:1, past the end
    assert "W7-1" in result.goals.objectives  # the other files were read


def test_cb101_unsafe_tag_is_refused(check_repo):
    result = check_repo({"evil.yaml": "aims:\n  - !!python/object/apply:os.system ['true']\n"})
    assert placed(result, "CB101") == [(None, 2)]


def test_cb102_missing_required_field_and_wrong_types(check_repo):
    result = check_repo(
        {
            "objectives/extra.yaml": """
                team: surgery
                objectives:
                  - id: SURG-2
                    supports: [TN-SAFE]
                    owner: dd
                    due: next spring
                    status: agred
                    measures:
                      - {name: Theatre use, baseline: high, target: 85}
            """
        }
    )
    [finding] = [f for f in result.findings if f.code == "CB102"]
    assert (finding.id, finding.line) == ("SURG-2", 3)
    for fault in ("`title`", "`due`", "agred", "baseline"):
        assert fault in finding.message  # one finding names every fault on the element


def test_cb102_objective_with_both_team_and_person(check_repo):
    result = check_repo(
        {"objectives/both.yaml": "objectives:\n  - {id: B-1, title: Both, team: surgery, person: dd, supports: TN-SAFE}\n"}
    )
    assert ("CB102", "B-1") in codes(result)


def test_cb102_objective_with_no_owner_and_no_file_default(check_repo):
    result = check_repo({"objectives/none.yaml": "objectives:\n  - {id: N-1, title: Nobody's, supports: TN-SAFE}\n"})
    assert ("CB102", "N-1") in codes(result)


def test_cb102_not_for_a_valid_repository_with_yaml_lookalike_ids(check_repo):
    result = check_repo(
        {
            "objectives/odd.yaml": """
                team: surgery
                objectives:
                  - {id: 2027, title: Year plan, supports: [TN-SAFE], owner: dd, measures: [{name: m, baseline: 1, target: 2}]}
                  - {id: "no", title: A no, supports: ["2027"], owner: dd, measures: [{name: m, baseline: 1, target: 2}]}
                  - {id: 1.10, title: Decimal-looking, supports: 2027, owner: dd, measures: [{name: m, baseline: 1, target: 2}]}
            """
        }
    )
    assert codes(result) == []  # surgery owns 4 active objectives: within the default max-objectives (5)
    assert {"2027", "no", "1.10"} <= set(result.goals.objectives)
    assert result.goals.objectives["1.10"].supports == ("2027",)


def test_cb103_unknown_key_suggests_the_closest(check_repo):
    result = check_repo(
        {
            "objectives/ward-7.yaml": """
                team: ward-7
                objectives:
                  - id: W7-1
                    title: Falls risk assessment for every admission
                    suports: SURG-1
                    owner: wm
                    measures: [{name: m, baseline: 1, target: 2}]
            """
        }
    )
    [finding] = [f for f in result.findings if f.code == "CB103"]
    assert (finding.id, finding.line) == ("W7-1", 3)
    assert "did you mean `supports`" in finding.message
    assert ("CB201", "W7-1") in codes(result)  # and the misspelt link really is missing


def test_cb103_unknown_top_level_key(check_repo):
    result = check_repo({"extra.yaml": "aims: []\ngoals: []\n"})
    assert placed(result, "CB103") == [(None, 2)]


def test_cb104_duplicate_id_reported_at_second_definition_in_read_order(check_repo):
    result = check_repo(
        {"objectives/zz.yaml": "team: surgery\nobjectives:\n  - {id: SURG-1, title: Again, supports: TN-SAFE, owner: dd}\n"}
    )
    [finding] = [f for f in result.findings if f.code == "CB104"]
    assert finding.file.endswith("objectives/zz.yaml") and finding.line == 3
    assert result.goals.objectives["SURG-1"].title.startswith("Cut falls")  # the first stays


def test_cb104_aims_and_objectives_share_a_namespace_but_teams_do_not(check_repo):
    result = check_repo(
        {
            "objectives/zz.yaml": """
                team: surgery
                objectives:
                  - {id: TN-SAFE, title: Clash, supports: TN-SAFE, owner: dd}
                  - {id: surgery, title: Same as a team id, supports: TN-SAFE, owner: dd, measures: [{name: m, baseline: 1, target: 2}]}
            """
        }
    )
    # objectives/zz.yaml is read before true-north.yaml, so the aim is the second definition
    [finding] = [f for f in result.findings if f.code == "CB104"]
    assert (finding.id, finding.file.endswith("true-north.yaml"), finding.line) == ("TN-SAFE", True, 2)


def test_cb105_duplicate_key_points_at_the_repeat_and_keeps_the_last(check_repo):
    result = check_repo(
        {
            "objectives/ward-7.yaml": """
                team: ward-7
                objectives:
                  - id: W7-1
                    title: Falls risk assessment for every admission
                    status: challenged
                    supports: SURG-1
                    owner: wm
                    status: agreed
                    measures: [{name: m, baseline: 1, target: 2}]
            """
        }
    )
    assert placed(result, "CB105") == [("W7-1", 8)]
    assert result.goals.objectives["W7-1"].status == "agreed"


def test_cb106_unknown_team(check_repo):
    result = check_repo(
        {"objectives/ward-7.yaml": HEALTHY["objectives/ward-7.yaml"].replace("team: ward-7", "team: ward-77")}
    )
    [finding] = [f for f in result.findings if f.code == "CB106"]
    assert finding.id == "W7-1" and "did you mean `ward-7`" in finding.message
    assert (finding.file.endswith("objectives/ward-7.yaml"), finding.line, finding.column) == (True, 3, 5)
    assert not any(f.code in ("CB204", "CB206") for f in result.findings)


def test_cb106_unknown_parent(check_repo):
    org = HEALTHY["org.yaml"].replace("parent: surgery", "parent: surgical")
    assert placed(check_repo({"org.yaml": org}), "CB106") == [("ward-7", 8)]  # the team, where it is defined


def test_cb107_unknown_person_and_owner(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("owner: wm", "owner: wmm")
    people = HEALTHY["objectives/people/ward-7.yaml"].replace("person: sn", "person: snn")
    result = check_repo({"objectives/ward-7.yaml": ward, "objectives/people/ward-7.yaml": people})
    assert placed(result, "CB107") == [("P-SN-1", 3), ("W7-1", 3)]


def test_cb107_owner_is_free_text_when_no_people_are_defined(check_repo):
    files = {k: v for k, v in HEALTHY.items() if not k.startswith("objectives/people") and k != "people.yaml"}
    files["objectives/ward-7.yaml"] = HEALTHY["objectives/ward-7.yaml"].replace("owner: wm", "owner: Ward Manager")
    result = check_repo(files, base={})
    assert codes(result) == []


def test_cb108_several_roots_and_cycles(check_repo):
    org = HEALTHY["org.yaml"] + block("""
          - id: estates
            name: Estates
          - id: a
            name: A
            parent: b
          - id: b
            name: B
            parent: a
    """, 2)
    result = check_repo({"org.yaml": org})
    assert placed(result, "CB108") == [("estates", 12), ("a", 14)]  # one team on the cycle, the first read


# -- CB20x: alignment -----------------------------------------------------------


def test_cb201_orphan_and_not_for_traced(check_repo):
    result = check_repo(
        {"objectives/ward-7.yaml": HEALTHY["objectives/ward-7.yaml"].replace("    supports: SURG-1\n", "")}
    )
    assert placed(result, "CB201") == [("P-SN-1", 3), ("W7-1", 3)]


def test_cb201_through_dropped_objective_does_not_trace(check_repo):
    surgery = HEALTHY["objectives/surgery.yaml"].replace("due: 2027-03-31", "due: 2027-03-31\n    status: dropped")
    result = check_repo({"objectives/surgery.yaml": surgery})
    assert ("CB201", "W7-1") in codes(result)
    assert ("CB205", "W7-1") in codes(result)
    assert ("CB201", "SURG-1") not in codes(result)  # dropped objectives are exempt


def test_cb201_retired_aim_does_not_count(check_repo):
    aims = HEALTHY["true-north.yaml"].replace("owner: ceo", "owner: ceo\n    status: retired")
    result = check_repo({"true-north.yaml": aims})
    assert {("CB201", "SURG-1"), ("CB205", "SURG-1"), ("CB201", "W7-1")} <= set(codes(result))
    assert not any(f.id == "TN-SAFE" for f in result.findings)  # retired aims are exempt


def test_cb202_dangling_support_also_orphans(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("supports: SURG-1", "supports: SURG-11")
    result = check_repo({"objectives/ward-7.yaml": ward})
    [finding] = [f for f in result.findings if f.code == "CB202"]
    assert finding.id == "W7-1" and "SURG-11" in finding.message and "did you mean `SURG-1`" in finding.message
    assert (finding.line, finding.column) == (3, 5)
    assert ("CB201", "W7-1") in codes(result)


def test_cb203_cycle_reported_once_on_first_objective_in_read_order(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"] + block("""
          - id: W7-2
            title: Loop one
            supports: W7-3
            owner: wm
            measures: [{name: m, baseline: 1, target: 2}]
          - id: W7-3
            title: Loop two
            supports: [W7-2]
            owner: wm
            measures: [{name: m, baseline: 1, target: 2}]
    """, 2)
    result = check_repo({"objectives/ward-7.yaml": ward})
    assert placed(result, "CB203") == [("W7-2", 10)]
    assert ("CB201", "W7-2") in codes(result) and ("CB201", "W7-3") in codes(result)


def test_cb203_self_support_is_a_cycle(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("supports: SURG-1", "supports: [SURG-1, W7-1]")
    result = check_repo({"objectives/ward-7.yaml": ward})
    assert ("CB203", "W7-1") in codes(result)
    assert ("CB201", "W7-1") not in codes(result)  # it still traces through SURG-1


def test_cb204_sideways_link_is_misaligned_but_still_traces(check_repo):
    org = HEALTHY["org.yaml"] + block("""
          - id: ward-9
            name: Ward 9
            parent: surgery
    """, 2)
    ward9 = """
        team: ward-9
        objectives:
          - id: W9-1
            title: Sideways
            supports: W7-1
            measures: [{name: m, baseline: 1, target: 2}]
    """
    result = check_repo({"org.yaml": org, "objectives/ward-9.yaml": ward9})
    assert placed(result, "CB204") == [("W9-1", 3)]
    assert ("CB201", "W9-1") not in codes(result)


def test_cb204_downward_link(check_repo):
    surgery = HEALTHY["objectives/surgery.yaml"].replace("supports: [TN-SAFE]", "supports: [TN-SAFE, W7-1]")
    result = check_repo({"objectives/surgery.yaml": surgery})
    assert ("CB204", "SURG-1") in codes(result)
    assert ("CB203", "SURG-1") in codes(result)  # SURG-1 <-> W7-1 is also a cycle


def test_cb204_person_may_support_own_team_and_parent_team(check_repo):
    people = HEALTHY["objectives/people/ward-7.yaml"].replace("supports: [W7-1]", "supports: [W7-1, SURG-1]")
    assert codes(check_repo({"objectives/people/ward-7.yaml": people})) == []


def test_cb205_supports_inactive(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"] + block("""
          - id: W7-2
            title: Old work
            status: dropped
            supports: SURG-1
    """, 2)
    people = HEALTHY["objectives/people/ward-7.yaml"].replace("supports: [W7-1]", "supports: [W7-1, W7-2]")
    result = check_repo({"objectives/ward-7.yaml": ward, "objectives/people/ward-7.yaml": people})
    assert codes(result) == [("CB205", "P-SN-1")]
    assert placed(result, "CB205") == [("P-SN-1", 3)]


def test_cb206_skip_level(check_repo):
    people = HEALTHY["objectives/people/ward-7.yaml"].replace("supports: [W7-1]", "supports: [TN-SAFE]")
    result = check_repo({"objectives/people/ward-7.yaml": people})
    [finding] = [f for f in result.findings if f.code == "CB206"]
    assert finding.id == "P-SN-1" and "2 levels up" in finding.message
    assert (finding.file.endswith("objectives/people/ward-7.yaml"), finding.line, finding.column) == (True, 3, 5)


# -- CB30x: deployment ------------------------------------------------------------


def test_cb301_uncascaded_aim(check_repo):
    aims = HEALTHY["true-north.yaml"] + block("""
          - id: TN-PEOPLE
            title: Best place to work
            measures: [{name: Engagement, baseline: 6.8, target: 7.4}]
    """, 2)
    result = check_repo({"true-north.yaml": aims})
    assert placed(result, "CB301") == [("TN-PEOPLE", 10)]


def test_cb302_silent_team_counts_people_objectives(check_repo):
    result = check_repo({"objectives/ward-7.yaml": None, "objectives/people/ward-7.yaml": None})
    assert placed(result, "CB302") == [("ward-7", 8)]
    only_people = {"objectives/ward-7.yaml": None}
    people = HEALTHY["objectives/people/ward-7.yaml"].replace("supports: [W7-1]", "supports: [SURG-1]")
    only_people["objectives/people/ward-7.yaml"] = people
    assert ("CB302", "ward-7") not in codes(check_repo(only_people))


def test_cb303_too_many_aims_on_the_last(check_repo):
    extra = "\n".join(
        f"  - {{id: TN-{i}, title: Aim {i}, measures: [{{name: m, baseline: 1, target: 2}}]}}" for i in range(5)
    )
    settings = "rules:\n  max-aims: 4\n  ignore: [CB301]\n"
    result = check_repo({"zz-more-aims.yaml": "aims:\n" + extra + "\n", "catchball.yaml": settings})
    assert placed(result, "CB303") == [("TN-4", 6)]


def test_cb304_counts_team_and_person_separately(check_repo):
    rows = "\n".join(
        f"  - {{id: W7-X{i}, title: T{i}, supports: SURG-1, owner: wm, measures: [{{name: m, baseline: 1, target: 2}}]}}"
        for i in range(2)
    )
    ward = HEALTHY["objectives/ward-7.yaml"] + rows + "\n"
    result = check_repo({"objectives/ward-7.yaml": ward, "catchball.yaml": "rules: {max-objectives: 2}\n"})
    assert codes(result) == [("CB304", "ward-7")]
    assert placed(result, "CB304") == [("ward-7", 8)]


# -- CB40x: quality ------------------------------------------------------------------


def test_cb401_unmeasured_team_objective_but_not_individual(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].split("    measures:")[0]
    result = check_repo({"objectives/ward-7.yaml": ward})
    assert codes(result) == [("CB401", "W7-1")]
    assert placed(result, "CB401") == [("W7-1", 3)]


def test_cb402_unowned(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("    owner: wm\n", "")
    result = check_repo({"objectives/ward-7.yaml": ward})
    assert codes(result) == [("CB402", "W7-1")]
    assert placed(result, "CB402") == [("W7-1", 3)]


def test_cb403_due_after_target_objective_and_aim(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("due: 2027-01-31", "due: 2027-06-30")
    surgery = HEALTHY["objectives/surgery.yaml"].replace("due: 2027-03-31", "due: 2030-03-31")
    result = check_repo({"objectives/ward-7.yaml": ward, "objectives/surgery.yaml": surgery})
    assert ("CB403", "SURG-1") in codes(result)  # after the aim's latest `by`
    ward_only = check_repo({"objectives/ward-7.yaml": ward})
    assert codes(ward_only) == [("CB403", "W7-1")]
    assert placed(ward_only, "CB403") == [("W7-1", 3)]


def test_cb403_not_when_a_date_is_missing(check_repo):
    surgery = HEALTHY["objectives/surgery.yaml"].replace("    due: 2027-03-31\n", "")
    ward = HEALTHY["objectives/ward-7.yaml"].replace("due: 2027-01-31", "due: 2031-01-31")
    result = check_repo({"objectives/ward-7.yaml": ward, "objectives/surgery.yaml": surgery})
    assert ("CB403", "W7-1") not in codes(result)


def test_cb404_incomplete_measure_names_each(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("baseline: 62, ", "")
    result = check_repo({"objectives/ward-7.yaml": ward})
    [finding] = [f for f in result.findings if f.code == "CB404"]
    assert finding.id == "W7-1" and "no baseline" in finding.message
    assert (finding.line, finding.column) == (3, 5)


# -- CB50x: the catchball conversation ---------------------------------------------


@pytest.mark.parametrize("status, code", [("challenged", "CB501"), ("proposed", "CB502")])
def test_cb50x_status(check_repo, status, code):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("owner: wm", f"owner: wm\n    status: {status}")
    result = check_repo({"objectives/ward-7.yaml": ward})
    assert codes(result) == [(code, "W7-1")]
    assert placed(result, code) == [("W7-1", 3)]


# -- settings and selection ---------------------------------------------------------


def test_settings_ignore_and_severity(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("owner: wm", "owner: wm\n    status: challenged")
    settings = "rules:\n  severity: {CB501: error}\n"
    result = check_repo({"objectives/ward-7.yaml": ward, "catchball.yaml": settings})
    assert [(f.code, f.severity) for f in result.findings] == [("CB501", "error")]
    assert result.exit_code() == 1
    ignored = check_repo({"objectives/ward-7.yaml": ward, "catchball.yaml": "rules: {ignore: [challenged]}\n"})
    assert codes(ignored) == []


def test_select_and_ignore_by_code_name_and_prefix(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("    owner: wm\n", "    status: proposed\n")
    files = {"objectives/ward-7.yaml": ward}
    assert codes(check_repo(files)) == [("CB402", "W7-1"), ("CB502", "W7-1")]
    assert codes(check_repo(files, select=["CB4"])) == [("CB402", "W7-1")]
    assert codes(check_repo(files, ignore=["proposed"])) == [("CB402", "W7-1")]
    assert codes(check_repo(files, select=["CB4", "CB5"], ignore=["CB402"])) == [("CB502", "W7-1")]
