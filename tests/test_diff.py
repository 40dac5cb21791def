"""`catchball check --diff REV` and `--new-only`, on real git repositories.

Each test builds a repository with the real `git` in a temporary folder
whose names hold spaces; the goals root is a subfolder of the repository
unless the test says otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from catchball.diff import run_diff
from catchball.errors import CatchballError
from tests.conftest import HEALTHY, write_repo

GOALS = "strategy goals"  # the goals root inside the repository


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(autouse=True)
def hermetic_git(monkeypatch, tmp_path):
    """No user or system git configuration leaks into the tests."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


class Repo:
    """A git repository holding a goals root; edit files, commit, and ask for the diff."""

    def __init__(self, top: Path, goals: str = GOALS) -> None:
        self.top = top
        self.root = top / goals if goals else top
        top.mkdir(parents=True)
        git(top, "init", "-q", "-b", "main")
        git(top, "config", "user.name", "Test")
        git(top, "config", "user.email", "test@example.org")
        git(top, "config", "commit.gpgsign", "false")

    def write(self, files: dict) -> Repo:
        write_repo(self.root, files)
        return self

    def commit(self, message: str = "change") -> str:
        git(self.top, "add", "-A")
        git(self.top, "commit", "-q", "--allow-empty", "-m", message)
        return git(self.top, "rev-parse", "HEAD")

    def diff(self, rev: str = "HEAD", **options):
        return run_diff(str(self.root), rev, **options)


@pytest.fixture
def repo(tmp_path) -> Repo:
    """HEALTHY committed as HEAD, in `org repo/strategy goals/`."""
    r = Repo(tmp_path / "org repo").write(HEALTHY)
    r.commit("healthy goals")
    return r


def keyed(findings) -> list[tuple[str, str | None]]:
    return [(f.code, f.id) for f in findings]


DANGLING = HEALTHY["objectives/people/ward-7.yaml"].replace("supports: [W7-1]", "supports: [W7-9]")
UNOWNED_WARD = HEALTHY["objectives/ward-7.yaml"].replace("    owner: wm\n", "")


# -- findings ---------------------------------------------------------------


def test_a_change_that_adds_a_dangling_link_introduces_two_errors(repo):
    repo.write({"objectives/people/ward-7.yaml": DANGLING})
    result = repo.diff()
    changes = result.diff
    assert keyed(changes.introduced) == [("CB201", "P-SN-1"), ("CB202", "P-SN-1")]
    assert changes.resolved == [] and changes.unchanged == []
    assert changes.commit == git(repo.top, "rev-parse", "HEAD")
    assert changes.introduced[0].file == f"{repo.root}/objectives/people/ward-7.yaml"
    assert result.exit_code() == 1


def test_a_change_that_fixes_a_problem_resolves_it_at_its_old_position(repo):
    repo.write({"objectives/people/ward-7.yaml": DANGLING})
    repo.commit("break it")
    repo.write({"objectives/people/ward-7.yaml": HEALTHY["objectives/people/ward-7.yaml"]})
    changes = repo.diff().diff
    assert changes.introduced == []
    assert keyed(changes.resolved) == [("CB201", "P-SN-1"), ("CB202", "P-SN-1")]
    # Shown as the working tree's paths would be, not the temporary folder's.
    assert {(f.file, f.line) for f in changes.resolved} == {(f"{repo.root}/objectives/people/ward-7.yaml", 3)}


def test_an_element_moved_to_another_file_keeps_its_findings_unchanged(repo):
    repo.write({"objectives/ward-7.yaml": UNOWNED_WARD})
    repo.commit("ward 7 objective without an owner")
    moved = "# Ward 7's objectives moved here, two lines lower\n\n" + UNOWNED_WARD
    repo.write({"objectives/ward-7.yaml": None, "objectives/wards/ward-7 (surgical).yaml": moved})
    result = repo.diff()
    changes = result.diff
    assert changes.introduced == [] and changes.resolved == []
    assert keyed(changes.unchanged) == [("CB402", "W7-1")]
    now = changes.unchanged[0]
    assert now.file.endswith("objectives/wards/ward-7 (surgical).yaml") and now.line == 5  # it was on line 3


def test_a_file_renamed_with_git_mv_keeps_its_findings_even_without_an_id(repo):
    broken = "team: surgery\nobjectives:\n  - {id: SURG-9, title: [unclosed\n"
    repo.write({"objectives/broken.yaml": broken, "objectives/ward-7.yaml": UNOWNED_WARD})
    repo.commit("a broken file")
    git(repo.top, "mv", f"{GOALS}/objectives/broken.yaml", f"{GOALS}/objectives/renamed.yaml")
    git(repo.top, "mv", f"{GOALS}/objectives/ward-7.yaml", f"{GOALS}/objectives/w7.yaml")
    repo.commit("rename")
    git(repo.top, "mv", f"{GOALS}/objectives/renamed.yaml", f"{GOALS}/objectives/renamed again.yaml")
    changes = repo.diff("HEAD~1").diff
    assert changes.introduced == [] and changes.resolved == []
    assert sorted(keyed(changes.unchanged)) == [("CB101", None), ("CB402", "W7-1")]


def test_the_same_message_in_a_second_file_is_new(repo):
    extra = "team: surgery\nhello: world\nobjectives: []\n"
    repo.write({"objectives/a.yaml": extra})
    repo.commit("one unknown top-level key")
    repo.write({"objectives/b.yaml": extra})
    changes = repo.diff().diff
    assert [(f.code, f.file.rsplit("/", 1)[1]) for f in changes.introduced] == [("CB103", "b.yaml")]
    assert [(f.code, f.file.rsplit("/", 1)[1]) for f in changes.unchanged] == [("CB103", "a.yaml")]


# -- --new-only ---------------------------------------------------------------


def test_new_only_fails_only_on_what_the_change_introduces(repo, cli):
    repo.write({"objectives/people/ward-7.yaml": DANGLING})
    repo.commit("an old error everyone lives with")
    assert cli("check", "--diff", "HEAD", repo.root).exit_code == 1
    result = cli("check", "--diff", "HEAD", "--new-only", repo.root)
    assert result.exit_code == 0, result.output
    assert "Introduced by this change (0)" in result.stdout
    assert "Unchanged: 2 findings were already there at HEAD." in result.stdout
    repo.write({"objectives/ward-7.yaml": UNOWNED_WARD})  # a new warning
    assert cli("check", "--diff", "HEAD", "--new-only", repo.root).exit_code == 0
    assert cli("check", "--diff", "HEAD", "--new-only", "--strict", repo.root).exit_code == 1


def test_new_only_filters_machine_formats_to_the_new_findings(repo, cli):
    repo.write({"objectives/people/ward-7.yaml": DANGLING})
    repo.commit("old errors")
    repo.write({"objectives/ward-7.yaml": UNOWNED_WARD})
    github = cli("check", "--diff", "HEAD", "--new-only", "--format", "github", repo.root).stdout
    assert [line.split("title=")[1].split("::")[0] for line in github.splitlines() if line.startswith("::")] == [
        "CB402 unowned"
    ]
    junit = ET.fromstring(cli("check", "--diff", "HEAD", "--new-only", "--format", "junit", repo.root).stdout)
    assert [c.get("name") for c in junit.iter("testcase") if c.get("name") != "no findings"] == ["CB402 unowned (W7-1)"]
    assert junit.find(".//failure") is None  # a warning fails only with --strict, as the exit code does
    strict = cli("check", "--diff", "HEAD", "--new-only", "--strict", "--format", "junit", repo.root).stdout
    assert [c.get("name") for c in ET.fromstring(strict).iter("testcase") if c.find("failure") is not None] == [
        "CB402 unowned (W7-1)"
    ]
    everything = cli("check", "--diff", "HEAD", "--format", "gitlab", repo.root).stdout
    assert sorted(i["check_name"] for i in json.loads(everything)) == ["CB201", "CB202", "CB402"]


def test_new_only_without_diff_is_a_usage_error(repo, cli):
    result = cli("check", "--new-only", repo.root)
    assert result.exit_code == 2 and "--new-only needs --diff" in result.stderr


# -- outputs ------------------------------------------------------------------


def test_json_keeps_the_v1_document_and_adds_a_diff_key(repo, cli):
    repo.write({"objectives/ward-7.yaml": UNOWNED_WARD})
    repo.commit("old warning")
    repo.write({"objectives/people/ward-7.yaml": DANGLING})
    doc = json.loads(cli("check", "--diff", "HEAD", "--format", "json", repo.root).stdout)
    assert list(doc) == ["version", "root", "summary", "findings", "diff"]
    assert doc["version"] == 1 and doc["summary"]["errors"] == 2 and doc["summary"]["warnings"] == 1
    diff = doc["diff"]
    assert diff["base"] == "HEAD" and len(diff["commit"]) == 40 and diff["base_found"] is True
    assert [(f["code"], f["id"]) for f in diff["introduced"]] == [("CB201", "P-SN-1"), ("CB202", "P-SN-1")]
    assert diff["resolved"] == [] and diff["unchanged"] == 1
    assert diff["drift"] == [
        {"kind": "re-parented", "element": "objective", "id": "P-SN-1", "title": "Assess every patient I admit",
         "detail": "supports W7-1 -> W7-9"},
    ]
    only_new = json.loads(cli("check", "--diff", "HEAD", "--new-only", "--format", "json", repo.root).stdout)
    assert [f["code"] for f in only_new["findings"]] == ["CB201", "CB202"]
    assert only_new["summary"]["warnings"] == 0


def test_sarif_marks_results_new_or_unchanged(repo, cli):
    repo.write({"objectives/ward-7.yaml": UNOWNED_WARD})
    repo.commit("old warning")
    repo.write({"objectives/people/ward-7.yaml": DANGLING})
    results = json.loads(cli("check", "--diff", "HEAD", "--format", "sarif", repo.root).stdout)["runs"][0]["results"]
    assert sorted((r["ruleId"], r["baselineState"]) for r in results) == [
        ("CB201", "new"), ("CB202", "new"), ("CB402", "unchanged"),
    ]
    from tests.test_formats import assert_valid_sarif

    assert_valid_sarif(json.loads(cli("check", "--diff", "HEAD", "--format", "sarif", repo.root).stdout))


def test_text_and_markdown_show_introduced_resolved_and_drift(repo, cli):
    repo.write({"objectives/ward-7.yaml": UNOWNED_WARD})
    repo.commit("old warning")
    repo.write({
        "objectives/ward-7.yaml": HEALTHY["objectives/ward-7.yaml"],
        "objectives/people/ward-7.yaml": DANGLING,
    })
    text = cli("check", "--diff", "HEAD", repo.root).stdout
    assert "Compared with HEAD (" in text
    introduced = text.split("Introduced by this change (2)")[1].split("Resolved")[0]
    assert "CB201" in introduced and "CB202" in introduced
    resolved = text.split("Resolved by this change (1), shown where they were at HEAD")[1].split("Already there")[0]
    assert "ward-7.yaml:3:5 CB402" in resolved
    assert "Strategy drift since HEAD (1)" in text
    assert "re-parented  objective P-SN-1  Assess every patient I admit: supports W7-1 -> W7-9" in text
    assert "2 errors, 0 warnings, 0 infos introduced; 1 resolved; 0 unchanged." in text

    markdown = cli("check", "--diff", "HEAD", "--format", "markdown", repo.root).stdout
    assert "### Introduced by this change" in markdown and "### Strategy drift since HEAD" in markdown
    assert "| re-parented | objective P-SN-1 | Assess every patient I admit | supports W7-1 -&gt; W7-9 |" in markdown


def test_markdown_gives_its_room_to_new_findings_and_drift_before_those_already_there(repo, cli, monkeypatch):
    from catchball.formats import markdown

    many = "".join(f"  - {{id: X-{i}, title: Old orphan {i}, owner: wm, due: 2027-01-31}}\n" for i in range(40))
    repo.write({"objectives/old.yaml": "team: ward-7\nobjectives:\n" + many})
    repo.commit("forty old orphans")
    repo.write({"objectives/people/ward-7.yaml": DANGLING})  # one new error, and P-SN-1 re-parented
    monkeypatch.setattr(markdown, "TABLE_CHARACTERS", 1200)
    text = cli("check", "--diff", "HEAD", "--format", "markdown", repo.root).stdout
    introduced = text.split("### Introduced by this change")[1].split("### Resolved")[0]
    assert "| error | CB202 dangling-support | objective P-SN-1 " in introduced
    drift = text.split("### Strategy drift since HEAD")[1]
    assert "| re-parented | objective P-SN-1 | Assess every patient I admit | supports W7-1 -&gt; W7-9 |" in drift
    unchanged = text.split("<details>")[1].split("</details>")[0]
    listed = [line for line in unchanged.splitlines() if line.startswith("| error")]
    already = int(unchanged.split("Already there at HEAD (")[1].split(")")[0])
    assert already > 40 and 0 < len(listed) < 40  # the 40 orphans, and their warnings
    assert f"*The first {len(listed)} of {already} findings are listed here, errors first" in unchanged
    assert "`catchball check --diff` lists them all.*" in unchanged


def test_hostile_titles_and_ids_cannot_forge_log_lines_or_send_escapes(repo, cli):
    # A title with an escape sequence and a line break that would start a GitHub
    # workflow command in the log, and an id with one in a dangling link.
    repo.write({
        "objectives/extra.yaml": r"""
            team: surgery
            objectives:
              - id: SURG-2
                title: "Evil \e[8mhidden\e[0m\n::error file=x,line=1::forged"
                supports: ["SURG-1\r\n::warning::forged too"]
                owner: dd
                measures: [{name: m, baseline: 1, target: 2}]
        """,
    })
    text = cli("check", "--diff", "HEAD", repo.root).stdout
    assert "\x1b" not in text and "Evil \\x1b[8mhidden\\x1b[0m ::error file=x,line=1::forged" in text
    assert "supports `SURG-1 ::warning::forged too`" in text
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())

    markdown = cli("check", "--diff", "HEAD", "--format", "markdown", repo.root).stdout
    assert "\x1b" not in markdown and "Evil \\\\x1b\\[8mhidden" in markdown


# -- strategy drift -------------------------------------------------------------


def test_strategy_drift_names_added_dropped_reparented_and_changed(repo):
    repo.write({
        "objectives/extra.yaml": """
            team: surgery
            objectives:
              - {id: SURG-2, title: Theatre utilisation, supports: TN-SAFE, owner: dd}
              - {id: SURG-3, title: Day surgery rate, supports: TN-SAFE, owner: dd}
              - {id: SURG-4, title: Old idea, supports: TN-SAFE, owner: dd, status: dropped}
        """,
    })
    repo.commit("more surgery objectives")
    repo.write({
        "true-north.yaml": HEALTHY["true-north.yaml"]
        .replace("Zero avoidable harm", "No avoidable harm")
        .replace("target: 0.11", "target: 0.10")
        + "  - {id: TN-FLOW, title: Timely care, measures: [{name: Waits, baseline: 10, target: 5}]}\n",
        "objectives/extra.yaml": """
            team: ward-7
            objectives:
              - {id: SURG-2, title: Theatre utilisation, supports: SURG-1, owner: wm, status: proposed}
              - {id: SURG-4, title: Old idea, supports: TN-SAFE, owner: dd, status: dropped}
              - {id: W7-5, title: Night falls huddle, supports: SURG-1, owner: wm}
        """,
        "objectives/people/ward-7.yaml": HEALTHY["objectives/people/ward-7.yaml"].replace(
            "    due: 2026-12-31\n", "    due: 2026-12-31\n    status: dropped\n"
        ),
    })
    drift = [(d.kind, d.element, d.id, d.detail) for d in repo.diff().diff.drift]
    assert drift == [
        ("changed", "aim", "TN-SAFE", "title was 'Zero avoidable harm'; measures changed"),
        ("added", "aim", "TN-FLOW", "new aim"),
        ("re-parented", "objective", "SURG-2", "supports TN-SAFE -> SURG-1; team surgery -> ward-7"),
        ("added", "objective", "W7-5", "new objective"),
        ("dropped", "objective", "P-SN-1", "status agreed -> dropped"),
        ("dropped", "objective", "SURG-3", "removed"),
    ]


def test_no_drift_when_only_formatting_and_positions_change(repo):
    reformatted = "# reformatted\n\n" + HEALTHY["objectives/surgery.yaml"].replace("supports: [TN-SAFE]", "supports: TN-SAFE")
    repo.write({"objectives/surgery.yaml": reformatted})
    changes = repo.diff().diff
    assert changes.drift == [] and changes.introduced == [] and changes.resolved == []


# -- where the goals are --------------------------------------------------------


def test_goals_root_at_the_top_of_the_repository(tmp_path):
    r = Repo(tmp_path / "flat", goals="").write(HEALTHY)
    r.commit()
    r.write({"objectives/people/ward-7.yaml": DANGLING})
    assert keyed(r.diff().diff.introduced) == [("CB201", "P-SN-1"), ("CB202", "P-SN-1")]


def test_goals_root_that_did_not_exist_at_rev_makes_everything_new(tmp_path):
    r = Repo(tmp_path / "repo").write({})
    (r.top / "README").write_text("before the goals\n")
    first = r.commit("no goals yet")
    r.write({**HEALTHY, "objectives/people/ward-7.yaml": DANGLING})
    r.commit("goals")
    changes = r.diff(first).diff
    assert changes.base_found is False
    assert keyed(changes.introduced) == [("CB201", "P-SN-1"), ("CB202", "P-SN-1")]
    assert {(d.kind, d.element) for d in changes.drift} == {("added", "aim"), ("added", "objective")}


def test_relative_path_from_inside_the_repository(repo, monkeypatch):
    monkeypatch.chdir(repo.top)
    repo.write({"objectives/people/ward-7.yaml": DANGLING})
    changes = run_diff(GOALS, "HEAD").diff
    assert [f.file for f in changes.introduced] == [f"{GOALS}/objectives/people/ward-7.yaml"] * 2


# -- errors ---------------------------------------------------------------------


def test_not_a_git_repository_exits_2_with_one_line(make_repo, cli):
    root = make_repo()
    result = cli("check", "--diff", "HEAD", root)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "is not inside a git repository" in result.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give the repository away")
def test_a_repository_git_refuses_says_why_instead_of_not_a_repository(repo, cli):
    # As in a CI container whose user does not own the checkout: git refuses
    # the repository ("dubious ownership") and only safe.directory lets it in.
    for path in [repo.top, *repo.top.rglob("*")]:
        os.lchown(path, 65534, 65534)
    result = cli("check", "--diff", "HEAD", repo.root)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "dubious ownership" in result.stderr and "not inside a git repository" not in result.stderr


def test_git_errors_other_than_no_repository_are_passed_on(repo, monkeypatch):
    import catchball.diff

    refused = subprocess.CompletedProcess(
        ["git"], 128, b"", b"fatal: detected dubious ownership in repository at '/r'\nTo add an exception ...\n"
    )
    monkeypatch.setattr(catchball.diff, "_git", lambda *args, **kwargs: refused)
    with pytest.raises(CatchballError, match="git cannot use the repository of .*: detected dubious ownership in repository at '/r'$"):
        repo.diff()


@pytest.mark.parametrize("rev", ["no-such-branch", "--output=/tmp/x", "HEAD~5", ""])
def test_unknown_revision_exits_2_with_one_line(repo, cli, rev):
    result = cli("check", "--diff", rev, repo.root)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "unknown revision" in result.stderr
    assert "Traceback" not in result.output


def test_bad_settings_at_rev_say_which_revision(repo, cli):
    repo.write({"catchball.yaml": "rules: {max-aims: lots}\n"})
    repo.commit("bad settings")
    repo.write({"catchball.yaml": HEALTHY["catchball.yaml"]})
    result = cli("check", "--diff", "HEAD", repo.root)
    assert result.exit_code == 2
    assert result.stderr.startswith("catchball: error: at HEAD: ") and "max-aims" in result.stderr
    assert "catchball-diff-" not in result.stderr  # no temporary folder in the message


def test_missing_git_is_a_clear_error(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo.top / "no-bin-here"))
    with pytest.raises(CatchballError, match="needs git"):
        repo.diff()


def test_the_working_tree_is_left_as_it_was(repo):
    repo.write({"objectives/people/ward-7.yaml": DANGLING})
    status = git(repo.top, "status", "--porcelain")
    repo.diff()
    assert git(repo.top, "status", "--porcelain") == status
    assert git(repo.top, "stash", "list") == ""


def test_goals_root_found_from_the_current_folder(repo, monkeypatch):
    monkeypatch.chdir(repo.root / "objectives")  # catchball.yaml is one folder up
    repo.write({"objectives/people/ward-7.yaml": DANGLING})
    changes = run_diff(None, "HEAD").diff
    assert [f.file for f in changes.introduced] == ["../objectives/people/ward-7.yaml"] * 2


def test_symlinks_at_rev_are_read_like_the_working_tree(repo):
    (repo.root / "objectives" / "alias.yaml").symlink_to("surgery.yaml")
    (repo.root / "outside.yaml").symlink_to("../../../../etc/hostname")
    repo.commit("symlinks")
    result = repo.diff()
    assert result.diff.introduced == [] and result.diff.resolved == []
    assert ("CB104", "SURG-1") in keyed(result.diff.unchanged)  # the link was read at HEAD too
    assert any("outside.yaml" in note for note in result.notes)
