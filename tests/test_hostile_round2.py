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
