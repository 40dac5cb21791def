"""The reading progress bar: on a terminal, for large repositories, for people only."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from rich.console import Console

from catchball.cli.progress import MIN_FILES, reading_progress


def terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=80, color_system=None), out


def test_a_large_read_on_a_terminal_shows_a_bar():
    console, out = terminal()
    with reading_progress(console=console) as progress:
        assert progress is not None
        for done in range(1, 301):
            progress(done, 300)
    shown = out.getvalue()
    assert "reading goals" in shown and "300/300" in shown


def test_a_small_read_shows_nothing():
    console, out = terminal()
    with reading_progress(console=console) as progress:
        for done in range(1, MIN_FILES + 1):
            progress(done, MIN_FILES)
    assert out.getvalue() == ""


def test_no_bar_off_a_terminal_or_when_switched_off():
    with reading_progress(console=Console(file=io.StringIO(), force_terminal=False)) as progress:
        assert progress is None
    console, out = terminal()
    with reading_progress(enabled=False, console=console) as progress:
        assert progress is None
    with reading_progress() as progress:  # pytest's stderr is not a terminal
        assert progress is None


def test_cli_stderr_not_a_terminal_gets_no_bar(make_repo, cli):
    files = {f"objectives/t{i:03}.yaml": f"team: board\nobjectives:\n  - {{id: O-{i}, title: T, supports: [TN-1]}}\n"
             for i in range(MIN_FILES + 20)}
    root = make_repo(files)
    result = cli("check", str(root))
    assert "reading goals" not in result.output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("args, shown", [([], True), (["--format", "json"], False)])
def test_real_terminal_shows_the_bar_for_text_only(make_repo, args, shown):
    import pty

    files = {f"objectives/t{i:03}.yaml": f"team: board\nobjectives:\n  - {{id: O-{i}, title: T}}\n"
             for i in range(MIN_FILES + 20)}
    root = make_repo(files)
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "TTY_INTERACTIVE")}
    env["TERM"] = "xterm"
    process = subprocess.Popen(
        [sys.executable, "-m", "catchball", "check", *args, str(root)],
        stdout=subprocess.PIPE, stderr=follower, env=env,
    )
    os.close(follower)
    stdout, _ = process.communicate(timeout=120)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert (b"reading goals" in seen) is shown
    assert b"reading goals" not in stdout
