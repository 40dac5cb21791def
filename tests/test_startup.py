"""`catchball --help` and `--version` start fast: they import no heavy module.

Each case runs the CLI in a fresh interpreter and lists what it imported;
the parsers, the graph library and the template engine belong to the
commands that use them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from catchball import __version__

HEAVY = ("networkx", "jinja2", "yaml", "_yaml", "ryml", "catchball.load", "catchball.graph", "catchball.check")

PROBE = """
import json, sys
sys.argv = ["catchball", *json.loads(sys.argv[1])]
from catchball.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))], capture_output=True, text=True, timeout=60
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["--version"], [], ["check", "--help"], ["report", "--help"]])
def test_help_and_version_import_nothing_heavy(args):
    modules = imported(*args)
    assert "catchball.cli" in modules  # the probe did run the CLI
    assert not {m for m in HEAVY if m in modules}


def test_a_check_does_import_them():
    # The probe would see them: the test above is not passing by accident.
    modules = imported("check", "--format", "json", "goals")
    assert {"yaml", "catchball.load", "catchball.graph"} <= modules
    assert "networkx" not in modules  # only a repository with a support cycle needs it
    assert "jinja2" not in modules  # only the report renders templates


def test_version_alone_is_answered_before_typer_is_imported():
    modules = imported("--version")
    assert "catchball.cli" in modules
    assert "typer" not in modules and "click" not in modules and "rich" not in modules
    done = subprocess.run([sys.executable, "-m", "catchball", "--version"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"catchball {__version__}\n", "")


def test_version_among_other_options_still_goes_through_typer():
    done = subprocess.run([sys.executable, "-m", "catchball", "--version", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert (done.returncode, done.stdout) == (0, f"catchball {__version__}\n")
