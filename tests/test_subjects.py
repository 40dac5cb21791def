"""One id may name a goal, a team and a person at once: findings stay with their own element."""

from __future__ import annotations

from typer.testing import CliRunner

from catchball.check import run_check
from catchball.cli import app
from catchball.findings import AIM, FILE, MEASURE, OBJECTIVE, new_finding
from catchball.model import Span
from catchball.subjects import GOAL, PERSON, TEAM, FindingIndex, subject_kind, subject_team
from tests.conftest import HEALTHY, block

# `quiet` is a team with no objectives (CB302), a person whose team does not
# exist (CB106) and a healthy objective of Surgery.
SHARED_ID = {
    "org.yaml": block(HEALTHY["org.yaml"]) + "  - {id: quiet, name: Quiet Team, parent: surgery}\n",
    "people.yaml": block(HEALTHY["people.yaml"]) + "  - {id: quiet, name: Quiet Person, team: nowhere}\n",
    "objectives/surgery.yaml": block(HEALTHY["objectives/surgery.yaml"])
    + block(
        """
        - id: quiet
          title: A healthy objective named like a team
          supports: [TN-SAFE]
          owner: dd
          measures: [{name: Waits, baseline: 10, target: 5}]
        """,
        indent=2,
    ),
}


def by_code(result):
    return {f.code: f for f in result.findings if f.id == "quiet"}


def test_each_finding_is_about_the_element_it_was_raised_on(make_repo):
    result = run_check(str(make_repo(SHARED_ID)))
    found = by_code(result)
    assert set(found) == {"CB302", "CB106"}
    assert subject_kind(found["CB302"], result.goals) == TEAM
    assert subject_kind(found["CB106"], result.goals) == PERSON
    index = FindingIndex(result.findings, result.goals)
    assert index.get("quiet") == ()  # the objective has no finding of its own
    assert [f.code for f in index.team("quiet")] == ["CB302"]
    assert [f.code for f in index.person("quiet")] == ["CB106"]
    assert subject_team(found["CB302"], result.goals, result.cascade) == "quiet"
    assert subject_team(found["CB106"], result.goals, result.cascade) is None  # the person's team is unknown


def test_an_unshared_id_needs_no_position(make_repo):
    result = run_check(str(make_repo()))
    silent = [f for f in result.findings if f.code == "CB302"]
    assert all(subject_kind(f, result.goals) == TEAM for f in silent)
    proposed = [f for f in result.findings if f.code == "CB502"]
    assert all(subject_kind(f, result.goals) == GOAL for f in proposed)


def test_views_and_report_keep_team_findings_off_the_objective(make_repo):
    root = str(make_repo(SHARED_ID))
    runner = CliRunner()
    trace = runner.invoke(app, ["trace", "quiet", root, "--format", "json"])
    assert trace.exit_code == 0
    assert __import__("json").loads(trace.stdout)["element"]["findings"] == []
    cascade = runner.invoke(app, ["cascade", root]).stdout
    objective_line = next(line for line in cascade.splitlines() if "A healthy objective named like a team" in line)
    after = cascade.split(objective_line, 1)[1].splitlines()[1]
    assert "CB302" not in after and "CB106" not in after  # not flagged under the objective
    assert "CB302" in cascade.split("Other findings", 1)[1]
    report = runner.invoke(app, ["report", root, "--date", "2026-11-23"]).stdout
    findings = report.split("## Findings", 1)[1]
    quiet_team = findings.split("### Quiet Team (quiet)", 1)[1].split("###", 1)[0]
    assert "CB302" in quiet_team
    # Surgery has no finding of its own: the objective `quiet` is healthy, and the team's CB302 is not its
    assert [line for line in findings.splitlines() if line.startswith("### ")] == [
        "### Team unknown", "### Quiet Team (quiet)",
    ]


# sn's individual objective, waiting for agreement (CB502)
PROPOSED = {"objectives/people/ward-7.yaml": block(HEALTHY["objectives/people/ward-7.yaml"]) + "    status: proposed\n"}


def test_every_finding_says_what_it_is_about(make_repo):
    """The rule that raises a finding gives its kind; nothing is guessed from positions or ids."""
    root = make_repo({
        "catchball.yaml": "organisation: Test Trust\nperiod: 2026/27\nextra: 1\n",
        "objectives/ward-7.yaml": block(HEALTHY["objectives/ward-7.yaml"]) + "  - {id: W7-2, title: Odd, supports: nowhere}\n",
        "people.yaml": block(HEALTHY["people.yaml"]) + "  - {id: ghost, name: Ghost, team: nowhere}\n",
        **PROPOSED,
    })
    kinds = {(f.code, f.id): (f.kind, f.people) for f in run_check(str(root)).findings}
    assert kinds[("CB103", None)] == (FILE, ())  # catchball.yaml's unknown key: about the file
    assert kinds[("CB202", "W7-2")] == (OBJECTIVE, ())
    assert kinds[("CB106", "ghost")] == (PERSON, ("ghost",))  # a person's finding names them
    assert kinds[("CB502", "P-SN-1")] == (OBJECTIVE, ("sn",))  # an individual objective names its person


def test_a_finding_about_an_element_must_say_its_kind():
    import pytest

    with pytest.raises(ValueError, match="needs the kind of element"):
        new_finding("CB401", "objective X has no measures", "X", Span("a.yaml", 1, 1))
    assert new_finding("CB101", "bad", None, Span("a.yaml", 1, 1)).kind == FILE
    assert new_finding("CB108", "no teams", None, None).kind is None
    assert subject_kind(new_finding("CB404", "m", "TN", Span("a.yaml", 1, 1), MEASURE)) == GOAL
    assert subject_kind(new_finding("CB301", "m", "TN", Span("a.yaml", 1, 1), AIM)) == GOAL


def test_no_people_goes_by_the_people_a_finding_names_not_by_its_words(cli, make_repo):
    """A team whose id is an individual objective's id is not private; the person's objective is."""
    root = make_repo({
        "org.yaml": block(HEALTHY["org.yaml"]) + "  - {id: P-SN-1, name: Named like an objective, parent: surgery}\n",
        **PROPOSED,
    })
    report = cli("report", "--no-people", "--date", "2026-11-23", root).stdout
    findings = report.split("## Findings", 1)[1]
    assert "team P-SN-1 has no active objectives" in findings  # CB302 on the team: kept
    assert "objective P-SN-1 is proposed" not in findings  # CB502 on sn's objective: left out
    assert "objective P-SN-1 is proposed" in cli("report", "--date", "2026-11-23", root).stdout
