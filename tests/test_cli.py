"""The command line end to end: exit codes, formats, errors, help."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from catchball import __version__
from tests.conftest import HEALTHY, block, json_findings


def broken(make_repo):
    """HEALTHY with one dangling link: P-SN-1 supports W7-9 (CB202 and CB201)."""
    people = HEALTHY["objectives/people/ward-7.yaml"].replace("supports: [W7-1]", "supports: [W7-9]")
    return make_repo({"objectives/people/ward-7.yaml": people})


PEOPLE_FILE = "objectives/people/ward-7.yaml"


def test_check_exit_0_on_a_clean_repository(cli, make_repo):
    result = cli("check", make_repo())
    assert result.exit_code == 0
    assert "No findings" in result.output


def test_check_exit_1_with_errors_and_text_lists_file_line_col(cli, make_repo):
    root = broken(make_repo)
    result = cli("check", root)
    assert result.exit_code == 1
    assert f"{root}/{PEOPLE_FILE}:3:5 CB202" in result.output
    assert "2 errors, 0 warnings" in result.output


def test_check_strict_fails_on_warnings(cli, make_repo):
    root = make_repo({"objectives/ward-7.yaml": HEALTHY["objectives/ward-7.yaml"].replace("    owner: wm\n", "")})
    assert cli("check", root).exit_code == 0
    assert cli("check", "--strict", root).exit_code == 1


def test_check_json_document_matches_the_spec(cli, make_repo):
    root = broken(make_repo)
    result = cli("check", "--format", "json", root)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert list(doc) == ["version", "root", "summary", "findings"]
    assert doc["version"] == 1 and doc["root"] == str(root)
    assert doc["summary"] == {
        "files": 7, "aims": 1, "teams": 3, "people": 4, "objectives": 3, "errors": 2, "warnings": 0, "infos": 0,
    }
    first = doc["findings"][0]
    assert list(first) == ["code", "name", "severity", "message", "id", "file", "line", "column"]
    assert (first["code"], first["name"], first["id"], first["line"], first["column"]) == (
        "CB201", "orphan", "P-SN-1", 3, 5,
    )
    assert first["file"] == f"{root}/{PEOPLE_FILE}"
    assert json_findings(result.stdout) == [("CB201", "P-SN-1"), ("CB202", "P-SN-1")]


def test_json_paths_are_relative_to_cwd_when_no_path_is_given(cli, make_repo, monkeypatch):
    root = broken(make_repo)
    monkeypatch.chdir(root.parent)
    doc = json.loads(cli("check", "--format", "json").stdout)
    assert doc["root"] == "goals"
    assert doc["findings"][0]["file"] == f"goals/{PEOPLE_FILE}"
    monkeypatch.chdir(root / "objectives")  # catchball.yaml above marks the root
    doc = json.loads(cli("check", "--format", "json").stdout)
    assert doc["root"] == ".." and doc["findings"][0]["file"] == f"../{PEOPLE_FILE}"


def test_check_github_annotations(cli, make_repo):
    root = broken(make_repo)
    out = cli("check", "--format", "github", root).stdout.splitlines()
    assert out[1] == (
        f"::error file={root}/{PEOPLE_FILE},line=3,col=5,title=CB202 dangling-support::"
        "objective P-SN-1 supports `W7-9`, which is not defined (did you mean `W7-1`?)"
    )
    assert out[-1] == "catchball: 2 errors, 0 warnings, 0 infos"


def test_github_escaping():
    from catchball.formats.github import escape_data, escape_property

    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_check_output_file_is_written_and_stdout_stays_empty(cli, make_repo, tmp_path):
    target = tmp_path / "out.json"
    result = cli("check", "--format", "json", "--output", target, broken(make_repo))
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(target.read_text())["summary"]["errors"] == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "/no/such/folder"], "no such folder: /no/such/folder"),
        (["check", "--select", "CB999", "."], "--select: unknown rule 'CB999'"),
        (["cascade", "/no/such/folder"], "no such folder"),
    ],
)
def test_command_errors_exit_2_with_one_line(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command, choices", [
    ("check", "'text', 'json', 'github', 'sarif', 'junit', 'gitlab', 'markdown'"),
    ("status", "'text', 'json'"),
    ("trace", "'text', 'json'"),
    ("rules", "'text', 'json', 'markdown'"),
])
def test_an_unknown_format_is_a_usage_error_that_lists_the_choices(cli, command, choices):
    """The formats are click choices: click refuses the value (exit 2) before the command reads any goals."""
    args = [command, "--format", "xml"] + (["TN-SAFE"] if command == "trace" else [])
    result = cli(*args)
    assert result.exit_code == 2
    assert f"'xml' is not one of {choices}." in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["check", "cascade", "trace", "status", "report", "rules", "schema", "init"])
def test_help_names_values_in_words(cli, command):
    """No Python type (`<str>`, `<list[str]>`) in the help: PATH, FILE, TEAM, RULES, or the choices."""
    text = cli(command, "--help").stdout
    assert "<str>" not in text and "<list[str]>" not in text and "<int>" not in text
    assert "Usage: catchball" in text


def test_no_goals_found_exits_2(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("hello")
    result = cli("check", tmp_path / "empty")
    assert result.exit_code == 2 and "no goals found" in result.stderr


@pytest.mark.parametrize(
    "settings, message",
    [
        ("rules: {max-aims: -1}\n", "max-aims` must be 1 or more"),
        ("rules: {ignore: [CB999]}\n", "unknown rule 'CB999'"),
        ("rules: {severity: {CB201: fatal}}\n", "must be error, warning or info"),
        ("rules: [\n", "catchball.yaml:1:9"),
        ("rules: {max-objectives: five}\n", "must be a whole number"),
        ("rules:\n  max-objectives: 0\n  max-objectives: 1\n", "catchball.yaml:3:3: `max-objectives` is given twice in `rules` (first on line 2)"),
        ("organisation: A\norganisation: B\n", "`organisation` is given twice in catchball.yaml"),
        ("rules: {severity: {CB201: info, CB201: error}}\n", "CB201 is given twice"),
    ],
)
def test_bad_settings_exit_2(cli, make_repo, settings, message):
    result = cli("check", make_repo({"catchball.yaml": settings}))
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_unknown_settings_key_is_a_finding(cli, make_repo):
    result = cli("check", "--format", "json", make_repo({"catchball.yaml": "organization: Typo Trust\n"}))
    assert json_findings(result.stdout) == [("CB103", None)]
    assert "did you mean `organisation`" in json.loads(result.stdout)["findings"][0]["message"]


def test_version_and_help(cli):
    assert cli("--version").stdout.strip() == f"catchball {__version__}"
    top = cli("--help").stdout
    for command in ("check", "cascade", "init", "report", "trace", "status", "rules", "schema"):
        assert f"catchball {command} " in top  # an example of every command up front
        assert "Examples:" in cli(command, "--help").stdout


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "catchball", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"catchball {__version__}"


# -- cascade --------------------------------------------------------------------


def test_cascade_shows_aims_objectives_people_and_footer(cli, make_repo):
    result = cli("cascade", make_repo())
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("◆ TN-SAFE") < out.index("SURG-1") < out.index("W7-1") < out.index("P-SN-1")
    assert "Falls with harm per 1,000 bed days: 0.19 → 0.11 by 2029-03-31" in out
    assert "👤 Staff Nurse" in out
    assert "Line of sight 3/3 active objectives trace to True North (100%)" in out
    assert "Teams engaged 2/2" in out
    assert "\x1b[" not in out  # plain text off a terminal


def test_cascade_flags_problems_in_place_and_lists_orphans(cli, make_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("supports: SURG-1", "supports: SURG-9")
    out = cli("cascade", make_repo({"objectives/ward-7.yaml": ward})).stdout
    orphans = out.index("Not connected to True North (2)")
    assert out.index("W7-1", orphans) < out.index("✖ CB202 dangling-support", orphans)
    assert "P-SN-1" in out[orphans:]
    assert "Line of sight 1/3" in out


def test_cascade_options(cli, make_repo):
    root = make_repo()
    shallow = cli("cascade", "--depth", "1", root).stdout
    assert "SURG-1" in shallow and "W7-1" not in shallow and "1 more objective below" in shallow
    assert "P-SN-1" not in cli("cascade", "--no-people", root).stdout
    branch = cli("cascade", "--team", "ward-7", root).stdout
    assert "W7-1" in branch and "SURG-1" in branch  # the path up stays, for context
    # --depth counts the branch's levels: the team's own objectives, not their context above
    branch_shallow = cli("cascade", "--team", "ward-7", "--depth", "1", root).stdout
    assert "SURG-1" in branch_shallow and "W7-1" in branch_shallow and "P-SN-1" not in branch_shallow
    bad = cli("cascade", "--aim", "TN-SAEF", root)
    assert bad.exit_code == 2 and "did you mean `TN-SAFE`" in bad.stderr
    assert cli("cascade", "--team", "nope", root).exit_code == 2


def test_cascade_exit_0_even_with_errors(cli, make_repo):
    assert cli("cascade", broken(make_repo)).exit_code == 0


def test_cascade_shows_every_finding_somewhere(cli, make_repo):
    org = HEALTHY["org.yaml"] + "  - {id: estates, name: Estates}\n"
    out = cli("cascade", make_repo({"org.yaml": org})).stdout
    assert "Other findings" in out and "CB108 bad-org-tree" in out and "CB302" in out


# -- init -----------------------------------------------------------------------


def test_init_creates_a_valid_repository_and_refuses_to_overwrite(cli, tmp_path):
    target = tmp_path / "new-goals"
    result = cli("init", target)
    assert result.exit_code == 0
    check = cli("check", "--format", "json", "--strict", target)
    assert json_findings(check.stdout) == [("CB502", "W7-1")]  # the example shows a proposed objective
    mine = target / "org.yaml"
    mine.write_text("# my own work\n")
    again = cli("init", target)
    assert again.exit_code == 2 and "--force" in again.stderr
    assert mine.read_text() == "# my own work\n"
    forced = cli("init", "--force", target)
    assert forced.exit_code == 0
    assert "Trust Board" in mine.read_text()
    assert f"overwrote {mine}" in forced.stdout and f"overwrote {target / 'catchball.yaml'}" in forced.stdout


def test_init_under_a_file_is_one_line_and_exit_2(cli, tmp_path):
    (tmp_path / "afile").write_text("mine\n")
    result = cli("init", tmp_path / "afile" / "goals")
    assert result.exit_code == 2
    assert result.stderr == f"catchball: error: cannot create {tmp_path / 'afile' / 'goals'}: Not a directory\n"
    assert (tmp_path / "afile").read_text() == "mine\n"


def test_cascade_of_a_retired_aim_says_why_it_is_empty(cli, make_repo):
    aims = block(HEALTHY["true-north.yaml"]) + "  - {id: TN-OLD, title: Old aim, status: retired}\n"
    root = make_repo({"true-north.yaml": aims})
    out = cli("cascade", "--aim", "TN-OLD", root).stdout
    assert "◆ TN-OLD  Old aim" in out and "Not shown: it is retired, so nothing is cascaded from it." in out
    other = cli("cascade", "--aim", "TN-SAFE", "--team", "ward-7", root).stdout
    assert "Not shown" not in other and "W7-1" in other


def test_cascade_without_people_still_shows_team_objectives_that_support_a_person(cli, make_repo):
    # W7-2 (a team objective) supports P-DD-1 (the divisional director's own objective).
    people = block(
        """
        person: dd
        objectives:
          - {id: P-DD-1, title: Walk the wards weekly, supports: [SURG-1]}
        """
    )
    ward = block(HEALTHY["objectives/ward-7.yaml"]) + block(
        """
        - id: W7-2
          title: Weekly safety walk-round on Ward 7
          supports: [P-DD-1]
          owner: wm
          measures: [{name: Walk-rounds, baseline: 0, target: 52}]
        """,
        indent=2,
    )
    root = make_repo({"objectives/people/surgery.yaml": people, "objectives/ward-7.yaml": ward})
    full = cli("cascade", root).stdout
    assert full.index("P-DD-1") < full.index("W7-2")
    hidden = cli("cascade", "--no-people", root).stdout
    assert "P-DD-1" not in hidden and "Walk the wards" not in hidden
    assert hidden.index("SURG-1") < hidden.index("W7-2  Weekly safety walk-round on Ward 7")
