"""Hostile input, second round (issue 11): what an attacker with write access to a goals repository tried.

One section per class of defect; each test failed before its fix. Cases
that could kill or hang the process run the CLI in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from catchball.load.limits import MAX_FILE_BYTES
from tests.conftest import HEALTHY, write_repo
from tests.test_diff import Repo, git, hermetic_git  # noqa: F401  (the fixture keeps git hermetic here too)


def run_cli(*args, env: dict | None = None, cwd=None, stdout=subprocess.PIPE, timeout: int = 120):
    return subprocess.run(
        [sys.executable, "-m", "catchball", *map(str, args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "120", **(env or {})},
    )


def stderr_lines(done) -> list[str]:
    return done.stderr.decode("utf-8", "replace").splitlines()


# --- the gate: a crash is exit 2, one line, never 1 ---------------------------------------


def crash_in_the_reader(monkeypatch_target: str = "catchball.load.reader.read_goals_file") -> str:
    """A sitecustomize-free way to make the reader crash in a subprocess: run catchball from -c."""
    return (
        "import sys, catchball.load as L\n"
        "def boom(*a, **k): raise RuntimeError('boom')\n"
        "L.read_goals_file = boom\n"
        "from catchball.cli import main\n"
        "sys.argv = ['catchball', *sys.argv[1:]]\n"
        "main()\n"
    )


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("debug", [False, True])
def test_an_internal_error_is_exit_2_with_one_line_naming_the_file(make_repo, workers, debug):
    files = {f"objectives/extra-{i:03}.yaml": "objectives: []\n" for i in range(70)}  # enough to fork
    root = make_repo(files)
    args = ["--debug", "check", "--format", "sarif", root] if debug else ["check", "--format", "sarif", root]
    done = subprocess.run(
        [sys.executable, "-c", crash_in_the_reader(), *map(str, args)],
        capture_output=True, timeout=120, env={**os.environ, "CATCHBALL_WORKERS": workers},
    )
    assert done.returncode == 2
    lines = stderr_lines(done)
    last = lines[-1]
    assert last.startswith("catchball: error: internal error while reading ") and "a bug in catchball" in last
    assert "RuntimeError: boom" in last and str(root) in last
    assert done.stdout == b""  # no half document for a tool to read
    if debug:
        assert any(line.startswith("Traceback") for line in lines) and "--debug" not in last
    else:
        assert len(lines) == 1 and "--debug (or CATCHBALL_DEBUG=1)" in last


def test_an_internal_error_in_any_command_is_exit_2(cli, make_repo, monkeypatch):
    def boom(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr("catchball.check.run_check", boom)
    root = make_repo()
    from typer.testing import CliRunner

    from catchball.cli import app

    for args in (["check", root], ["cascade", root], ["trace", "TN-SAFE", root], ["report", root], ["status", root]):
        result = CliRunner().invoke(app, [str(a) for a in args])
        assert result.exit_code == 2, (args, result.output)
        assert "internal error" in result.stderr and "KeyError" in result.stderr


# --- crashes on short goals files ----------------------------------------------------------

SELF_MERGE = "aims:\n  - &a\n    <<: *a\n    id: TN-X\n    title: T\n"
LOOP_MERGE = "a: &a\n  <<: *b\nb: &b\n  <<: *a\naims: []\n"


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("text", [SELF_MERGE, "aims:\n  - &a\n    <<: [*a]\n    id: TN-X\n    title: T\n"])
def test_a_self_referential_merge_key_is_cb101(make_repo, workers, text):
    files = {"loop.yaml": text, **{f"objectives/extra-{i:03}.yaml": "objectives: []\n" for i in range(70)}}
    done = run_cli("check", "--format", "json", make_repo(files), env={"CATCHBALL_WORKERS": workers})
    assert done.returncode == 1, done.stderr
    [finding] = [f for f in json.loads(done.stdout)["findings"] if f["file"].endswith("loop.yaml")]
    assert finding["code"] == "CB101" and "includes the mapping it is in" in finding["message"]
    assert (finding["line"], finding["column"]) == (3, 5)  # the `<<`


def test_a_chain_of_merge_keys_deeper_than_the_nesting_limit_is_cb101(check_repo):
    lines = ["m0: &m0 {k: v}"] + [f"m{i}: &m{i}\n  <<: *m{i - 1}" for i in range(1, 3000)]
    lines += ["aims:", "  - <<: *m2999", "    id: TN-X", "    title: T"]
    result = check_repo({"chain.yaml": "\n".join(lines) + "\n"})
    [finding] = [f for f in result.findings if f.file.endswith("chain.yaml")]
    assert finding.code == "CB101" and "nest more than" in finding.message


CORE_TAGS = ["!!timestamp garbage", "!!int _", "!!float _", "!!int 1.5", "!!float x", "!!bool 3", "!!null x",
             "!!timestamp 2027-13-45", "!!int 0x", "!!float .", "!!str", "!!int", "!!merge x", "!!binary x"]


@pytest.mark.parametrize("tagged", CORE_TAGS)
def test_core_tags_with_bad_values_are_findings(check_repo, tagged):
    text = f"""
        team: ward-7
        objectives:
          - id: W7-9
            title: T
            supports: W7-1
            owner: wm
            due: {tagged}
            measures:
              - {{name: m, baseline: {tagged}, target: {tagged}, by: {tagged}}}
        teams:
          - {{id: t9, name: T9, parent: board, headcount: {tagged}}}
    """
    result = check_repo({"objectives/tagged.yaml": text})
    loader = {f.code for f in result.findings if f.file.endswith("tagged.yaml") and f.code < "CB2"}
    if " " in tagged:  # a tag and a value it does not fit: one finding for the file or the field
        assert loader in ({"CB101"}, {"CB102"}), loader
    else:  # a tag on an empty value is null (absent); in a flow mapping the comma joins the tag (CB101)
        assert loader <= {"CB101"}


def test_a_bad_timestamp_says_what_a_date_looks_like(check_repo):
    result = check_repo({"objectives/ward-7.yaml": HEALTHY["objectives/ward-7.yaml"].replace(
        "due: 2027-01-31", "due: !!timestamp garbage").replace("baseline: 62", "baseline: !!int _")})
    [finding] = [f for f in result.findings if f.code == "CB102"]
    assert "`due` must be a date (YYYY-MM-DD), not 'garbage'" in finding.message
    assert "`measures: baseline` must be a number, not '_'" in finding.message


@pytest.mark.parametrize("value, words", [
    ("!!int _", "must be a whole number, not '_'"),
    ("9" * 5000, "at most 18 digits"),
    ("!!int 1.5", "must be a whole number"),
])
def test_settings_numbers_that_are_not_numbers_are_exit_2(make_repo, value, words):
    root = make_repo({"catchball.yaml": f"rules:\n  max-aims: {value}\n"})
    done = run_cli("check", root)
    assert done.returncode == 2
    [line] = stderr_lines(done)
    assert line.startswith("catchball: error: ") and words in line and "Traceback" not in line


# --- files that are written ----------------------------------------------------------------


def test_output_through_a_symlink_out_of_the_checkout_is_refused(make_repo, tmp_path):
    checkout = make_repo(name="checkout/goals").parent
    precious = tmp_path / "runner-file"
    precious.write_text("keep me\n")
    (checkout / "catchball.sarif").symlink_to(precious)  # committed by a pull request
    (checkout / "reports").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    for output in ("catchball.sarif", "reports/catchball.sarif", str(checkout / "catchball.sarif")):
        done = run_cli("check", "--format", "sarif", "--output", output, "goals", cwd=checkout)  # noqa
        assert done.returncode == 2, done.stderr
        [line] = stderr_lines(done)
        assert line.startswith(f"catchball: error: will not write {output}: a symlink on the way leads out of")
    assert precious.read_text() == "keep me\n" and list((tmp_path / "elsewhere").iterdir()) == []
    # a link that stays inside is followed, and kept
    (checkout / "inside.sarif").write_text("old\n")
    (checkout / "latest.sarif").symlink_to("inside.sarif")
    assert run_cli("check", "-f", "sarif", "-o", "latest.sarif", "goals", cwd=checkout).returncode == 0
    assert json.loads((checkout / "inside.sarif").read_text())["version"] == "2.1.0"


@pytest.mark.parametrize("command", [["check", "-f", "json"], ["report"]])
def test_output_onto_a_goals_file_needs_force(cli, make_repo, command):
    root = make_repo()
    before = (root / "org.yaml").read_text()
    for target in (root / "org.yaml", root / "objectives" / "new.yml", root / "catchball.yaml"):
        result = cli(*command, "-o", target, root)
        assert result.exit_code == 2 and "add --force to replace it" in result.stderr
    assert (root / "org.yaml").read_text() == before and not (root / "objectives" / "new.yml").exists()
    result = cli(*command, "--force", "-o", root / "org.yaml", root)
    assert result.exit_code in (0, 1)[: 2 if command[0] == "check" else 1] and (root / "org.yaml").read_text() != before


@pytest.mark.parametrize("include", [".git/config", ".env.j2", ".hidden/inc.j2", "notes.txt", "sub/../.git/config"])
def test_templates_cannot_read_hidden_files_or_files_that_are_not_templates(cli, make_repo, tmp_path, include):
    folder = tmp_path / "templates"
    for name in (".git/config", ".env.j2", ".hidden/inc.j2", "notes.txt", "sub/x.j2"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("token=ghp_SECRET\n")
    (folder / "linked.j2").symlink_to(folder / ".git" / "config")
    for name in (include, "linked.j2"):
        (folder / "board.md.j2").write_text(f"{{% include '{name}' %}}\n")
        result = cli("report", "--template", folder / "board.md.j2", make_repo())
        assert result.exit_code == 2 and "template not found" in result.stderr
        assert "ghp_SECRET" not in result.stdout + result.stderr
    (folder / "board.md.j2").write_text("{% include 'sub/x.j2' %}")
    assert cli("report", "--template", folder / "board.md.j2", make_repo()).stdout == "token=ghp_SECRET\n"


def test_a_template_renderer_that_crashes_says_so(make_repo, tmp_path, monkeypatch):
    from catchball.report import render

    path = tmp_path / "odd\u202e.md.j2"
    path.write_text("{{ date }}")
    monkeypatch.setattr(render, "_WORKER_BOOT", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    with pytest.raises(render.CatchballError) as caught:
        render.render_user_template({"date": "x"}, path)
    assert "the renderer crashed (killed by SIGSEGV)" in str(caught.value) and "memory" not in str(caught.value)
    monkeypatch.setattr(render, "_WORKER_BOOT", "import sys; sys.exit(7)")
    with pytest.raises(render.CatchballError, match=r"the renderer crashed \(exit 7\)"):
        render.render_user_template({"date": "x"}, path)


def test_template_names_in_messages_are_escaped(cli, make_repo, tmp_path):
    path = tmp_path / "evil\u202e\x1b[31m.md.j2"
    path.write_text("{{ nope }}")
    result = cli("report", "--template", path, make_repo())
    assert result.exit_code == 2
    assert "\u202e" not in result.stderr and "\x1b" not in result.stderr and "\\u202e" in result.stderr
