"""The `catchball` program ends with os._exit once its output is flushed (cli.entry).

It must end exactly as Python would have: every byte of the output written,
the same exit code, and a closed pipe still one line and exit 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from catchball.check import _HELD_UNTIL_EXIT, run_check
from catchball.cli import _exit_status

# The same command through main(), which returns and lets Python end the process as usual.
THROUGH_MAIN = "import sys; from catchball.cli import main; sys.argv = ['catchball', *sys.argv[1:]]; main()"


def _run(*argv: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *argv], stdout=stdout, stderr=subprocess.PIPE, timeout=120,
        env={**os.environ, "COLUMNS": "120", "CATCHBALL_NO_CACHE": "1"},
    )


def _many_findings(make_repo) -> str:
    # Enough findings that the output is many times the stream's buffer.
    return make_repo({
        f"objectives/extra-{i:03}.yaml": f"team: ward-7\nobjectives:\n  - {{id: X{i}, title: T, supports: NOPE-{i}}}\n"
        for i in range(300)
    })


@pytest.mark.parametrize("command", [["check", "--format", "json"], ["check"], ["cascade"], ["report"]])
def test_the_program_writes_what_main_writes_and_exits_with_its_code(make_repo, command):
    root = _many_findings(make_repo)
    ours = _run("-m", "catchball", *command, root)
    theirs = _run("-c", THROUGH_MAIN, *command, root)
    assert len(ours.stdout) > 64 * 1024
    assert (ours.returncode, ours.stdout, ours.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr)
    assert ours.returncode == (0 if command[0] in ("cascade", "report") else 1)  # check: errors found


def test_a_clean_check_exits_0_and_a_bad_option_2(make_repo):
    root = make_repo()
    assert _run("-m", "catchball", "check", root).returncode == 0
    bad = _run("-m", "catchball", "check", "--format", "nonsense", root)
    assert bad.returncode == 2
    assert b"nonsense" in bad.stderr


def test_json_output_is_whole(make_repo):
    done = _run("-m", "catchball", "check", "--format", "json", _many_findings(make_repo))
    document = json.loads(done.stdout)
    assert sum(1 for f in document["findings"] if f["code"] == "CB202") == 300


def test_a_pipe_closed_before_the_last_flush_is_one_line_and_exit_2(make_repo):
    # The whole output fits the buffer, so the first write to the pipe is the flush at the end.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = _run("-m", "catchball", "check", "--format", "json", make_repo(), stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert lines == ["catchball: error: the output was closed before all of it was written (broken pipe)"]


@pytest.mark.parametrize(("code", "status", "printed"), [
    (None, 0, ""), (0, 0, ""), (1, 1, ""), (2, 2, ""), ("gone wrong", 1, "gone wrong\n"),
])
def test_exit_status_is_pythons(capsys, code, status, printed):
    assert _exit_status(code) == status
    assert capsys.readouterr().err == printed


def test_a_frozen_run_holds_its_result_until_the_next(make_repo):
    root = str(make_repo())
    first = run_check(root, freeze=True)
    assert _HELD_UNTIL_EXIT == [first]
    second = run_check(root, freeze=True)
    assert _HELD_UNTIL_EXIT == [second]  # the first is let go
    run_check(root)
    assert _HELD_UNTIL_EXIT == [second]  # only a run that ends the process is held
    _HELD_UNTIL_EXIT.clear()
