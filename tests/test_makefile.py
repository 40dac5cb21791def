"""The Makefile on a fresh machine: a failed first step must not block the next `make`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def test_a_venv_that_failed_half_way_is_removed_so_the_next_make_starts_again(tmp_path):
    # Debian's python3 without python3-venv: `python3 -m venv .venv` makes .venv/bin/python,
    # then fails ("ensurepip is not available"), leaving a venv without pip.
    shutil.copy(PROJECT / "Makefile", tmp_path / "Makefile")
    fake = tmp_path / "python-without-ensurepip"
    fake.write_text('#!/bin/sh\nmkdir -p "$3/bin" && touch "$3/bin/python"\n'
                    'echo "ensurepip is not available" >&2\nexit 1\n')
    fake.chmod(0o755)
    result = subprocess.run(["make", f"PYTHON={fake}", ".venv/bin/python"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert not (tmp_path / ".venv").exists(), "the half-made .venv would be taken as made next time"


def _locked_names(lock: Path) -> set[str]:
    names = set()
    for line in lock.read_text().splitlines():
        if line and not line.startswith((" ", "#", "-")):
            names.add(_normalised(line.split("==", 1)[0]))
    return names


def _normalised(name: str) -> str:
    # PEP 503: ruamel.yaml, ruamel_yaml and ruamel-yaml are one project (uv writes ruamel-yaml).
    import re
    return re.sub(r"[-_.]+", "-", name.strip().lower())


def _declared(spec: str) -> str:
    import re
    return _normalised(re.split(r"[<>=!~ \[;]", spec, maxsplit=1)[0])


def test_every_dependency_in_pyproject_is_in_the_lock():
    # make installs the lock with --no-deps: a dependency added to pyproject.toml
    # but not locked would be missing from every fresh install. Run `make lock`.
    try:
        import tomllib
    except ImportError:  # Python 3.10: pytest brings tomli there
        import tomli as tomllib
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    run = _locked_names(PROJECT / "requirements" / "run.txt")
    test = _locked_names(PROJECT / "requirements" / "test.txt")
    assert {_declared(d) for d in project["dependencies"]} <= run
    assert {_declared(d) for d in project["optional-dependencies"]["test"]} | run <= test
    assert {"pip", "setuptools"} <= _locked_names(PROJECT / "requirements" / "build.txt")


def test_make_installs_only_from_the_lock(tmp_path):
    # `make -n` prints the commands: every pip install takes the locked files with
    # their hashes, and catchball itself is built without fetching a build backend.
    for target in ("install", "test"):
        done = subprocess.run(["make", "-n", "-B", target], cwd=PROJECT, capture_output=True, text=True, timeout=60)
        installs = [line for line in done.stdout.splitlines() if "pip install" in line]
        assert installs, done.stdout
        for line in installs:
            assert ("--require-hashes" in line and "-r requirements/" in line) or \
                ("--no-deps" in line and "--no-build-isolation" in line and line.endswith("-e .")), line
    ci = (PROJECT / ".ci" / "run").read_text()
    assert "make test" in ci
