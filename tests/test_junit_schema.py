"""`catchball check --format junit` is valid against the JUnit schema Jenkins validates with.

tests/schemas/junit-jenkins.xsd states the rules of the xunit plugin's
junit-10.xsd (tests/schemas/README.md). Each run here goes through the CLI
end to end and asserts both that the file is valid and what it says, so
a test cannot pass on an empty or one-sided report.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from tests.conftest import HEALTHY, write_repo

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "schemas" / "junit-jenkins.xsd")
UNOWNED_WARD = HEALTHY["objectives/ward-7.yaml"].replace("    owner: wm\n", "")  # CB402, a warning
DANGLING = HEALTHY["objectives/people/ward-7.yaml"].replace("supports: [W7-1]", "supports: [W7-9]")  # CB201, CB202


def junit(cli, *args) -> tuple[int, ET.Element]:
    """Exit code and the JUnit document, after asserting the document is valid."""
    done = cli("check", "--format", "junit", *args)
    errors = [f"{e.path}: {e.reason}" for e in SCHEMA.iter_errors(done.stdout)]
    assert errors == []
    return done.exit_code, ET.fromstring(done.stdout)


def outcome(root: ET.Element) -> list[tuple[str, str]]:
    """(test case name, failure type or "pass") of every test case, in order."""
    cases = root.iter("testcase")
    return [(c.get("name"), c.find("failure").get("type") if c.find("failure") is not None else "pass") for c in cases]


def test_the_schema_refuses_what_jenkins_refuses():
    """The check has teeth: the attributes catchball used to write on a test case make the file invalid."""
    before = ('<testsuites><testsuite name="a.yaml" tests="1" failures="0" errors="0">'
              '<testcase name="CB402 unowned (W7-1)" classname="a" file="a.yaml" line="3"/></testsuite></testsuites>')
    assert sorted(e.reason.split()[0] for e in SCHEMA.iter_errors(before)) == ["'file'", "'line'"]
    assert not SCHEMA.is_valid('<testsuites><testsuite name="a.yaml" tests="1"/></testsuites>')  # counts required


def test_a_clean_repository(make_repo, cli):
    code, root = junit(cli, make_repo())
    assert code == 0
    assert {name for name, _ in outcome(root)} == {"no findings"}
    assert root.get("failures") == "0" and int(root.get("tests")) == len(HEALTHY) - 1  # every goals file a suite
    assert all(s.get("file") == s.get("name") for s in root.iter("testsuite"))


def test_errors_fail(make_repo, cli):
    code, root = junit(cli, make_repo({"objectives/people/ward-7.yaml": DANGLING}))
    assert code == 1
    failed = [(n, t) for n, t in outcome(root) if t != "pass"]
    assert failed == [("CB201 orphan (P-SN-1)", "error"), ("CB202 dangling-support (P-SN-1)", "error")]
    assert root.get("failures") == "2"
    failure = root.find(".//failure")
    assert failure.text.endswith("objectives/people/ward-7.yaml:3:5: CB201 [error] " + failure.get("message"))


def test_only_warnings_pass(make_repo, cli):
    code, root = junit(cli, make_repo({"objectives/ward-7.yaml": UNOWNED_WARD}))
    assert code == 0
    assert ("CB402 unowned (W7-1)", "pass") in outcome(root) and root.get("failures") == "0"
    case = root.find(".//testcase[@name='CB402 unowned (W7-1)']")
    assert "objectives/ward-7.yaml:3:5: CB402 [warning]" in case.find("system-out").text


def test_strict_makes_warnings_fail(make_repo, cli):
    code, root = junit(cli, "--strict", make_repo({"objectives/ward-7.yaml": UNOWNED_WARD}))
    assert code == 1
    assert [(n, t) for n, t in outcome(root) if t != "pass"] == [("CB402 unowned (W7-1)", "warning")]
    assert root.get("failures") == "1"


def test_a_diff_run(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    top = tmp_path / "org repo"
    goals = write_repo(top / "goals", {**HEALTHY, "objectives/people/ward-7.yaml": DANGLING})
    for command in (["init", "-q", "-b", "main"], ["add", "-A"],
                    ["-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                     "commit", "-q", "-m", "old errors"]):
        subprocess.run(["git", *command], cwd=top, check=True, capture_output=True)
    write_repo(goals, {"objectives/ward-7.yaml": UNOWNED_WARD})
    code, root = junit(cli, "--diff", "HEAD", goals)
    assert code == 1  # the old errors are still there
    assert sorted(outcome(root)) == [
        ("CB201 orphan (P-SN-1)", "error"), ("CB202 dangling-support (P-SN-1)", "error"),
        ("CB402 unowned (W7-1)", "pass"), *[("no findings", "pass")] * 4,  # aims, teams, people, surgery
    ]
    code, root = junit(cli, "--diff", "HEAD", "--new-only", "--strict", goals)
    assert code == 1
    assert [(n, t) for n, t in outcome(root) if n != "no findings"] == [("CB402 unowned (W7-1)", "warning")]


@pytest.mark.parametrize("settings", [True, False], ids=["catchball.yaml", "no catchball.yaml"])
def test_a_finding_with_no_file(make_repo, cli, settings):
    """CB108 (no teams) names no file: it goes into catchball.yaml's suite, or the first goals file's."""
    files = {"true-north.yaml": "aims:\n  - {id: TN-1, title: Safe, measures: [{name: m, baseline: 1, target: 2}]}\n"}
    if settings:
        files["catchball.yaml"] = "organisation: No Teams Trust\n"
    code, root = junit(cli, make_repo(files, base={}))
    assert code == 1
    suite = next(s for s in root.iter("testsuite") if s.find("testcase[@name='CB108 bad-org-tree']") is not None)
    assert suite.get("file").endswith("catchball.yaml" if settings else "true-north.yaml")
    assert suite.find("testcase/failure").text.endswith(":1:1: CB108 [error] " + suite.find(".//failure").get("message"))


def test_the_golden_file_is_valid():
    golden = Path(__file__).parent / "golden" / "junit.xml"
    assert [e.reason for e in SCHEMA.iter_errors(str(golden))] == []
    assert len(ET.parse(golden).getroot().findall(".//failure")) == 4
