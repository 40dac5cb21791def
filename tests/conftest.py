"""Shared fixtures: small goals repositories built from {path: yaml} dicts."""

from __future__ import annotations

import atexit
import gc
import json
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

# Calendar rules (CB405 overdue, CB603 stale data) judge on the as-of date,
# which defaults to SOURCE_DATE_EPOCH's day: every test, and every command a
# test runs in a subprocess, sees 2026-12-01, whatever today is.
AS_OF = "2026-12-01"
os.environ["SOURCE_DATE_EPOCH"] = "1796083200"  # 2026-12-01T00:00:00Z

from catchball.check import run_check  # noqa: E402
from catchball.cli import app  # noqa: E402

# Every property test runs under one profile, whichever module is run alone. No
# deadline: these machines are shared and noisy, and speed belongs to the
# benchmarks, never to a timed test.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("fuzz", max_examples=3000, deadline=None, suppress_health_check=_QUIET)
# The mutation run (tests/mutation/run_mutants.py) runs the reader's tests once
# per mutant: fewer examples, the same ones every time, and no example database.
settings.register_profile(
    "mutation", max_examples=60, deadline=None, suppress_health_check=_QUIET, derandomize=True, database=None
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The parse cache of every test run lives in a folder of its own, made here
# before any test or subprocess starts and removed at exit: tests never read
# or write the user's ~/.cache, and one run never sees another's entries. Run
# the suite with CATCHBALL_NO_CACHE=1 to check everything without the cache.
_CACHE_FOLDER = tempfile.mkdtemp(prefix="catchball-test-cache-")
os.environ["CATCHBALL_CACHE_DIR"] = _CACHE_FOLDER
atexit.register(shutil.rmtree, _CACHE_FOLDER, ignore_errors=True)

# A small healthy organisation: board -> surgery -> ward-7, with people.
HEALTHY = {
    "catchball.yaml": """
        organisation: Test Trust
        period: 2026/27
    """,
    "true-north.yaml": """
        aims:
          - id: TN-SAFE
            title: Zero avoidable harm
            owner: ceo
            measures:
              - name: Falls with harm per 1,000 bed days
                baseline: 0.19
                target: 0.11
                by: 2029-03-31
    """,
    "org.yaml": """
        teams:
          - id: board
            name: Trust Board
          - id: surgery
            name: Surgical Division
            parent: board
            lead: dd
          - id: ward-7
            name: Ward 7
            parent: surgery
            lead: wm
    """,
    "people.yaml": """
        people:
          - {id: ceo, name: Chief Executive, team: board}
          - {id: dd, name: Divisional Director, team: surgery}
          - {id: wm, name: Ward Manager, team: ward-7}
          - {id: sn, name: Staff Nurse, team: ward-7}
    """,
    "objectives/surgery.yaml": """
        team: surgery
        objectives:
          - id: SURG-1
            title: Cut falls with harm on surgical wards by 30%
            supports: [TN-SAFE]
            owner: dd
            due: 2027-03-31
            measures:
              - {name: Falls with harm, baseline: 0.21, target: 0.15, by: 2027-03-31}
    """,
    "objectives/ward-7.yaml": """
        team: ward-7
        objectives:
          - id: W7-1
            title: Falls risk assessment for every admission
            supports: SURG-1
            owner: wm
            due: 2027-01-31
            measures:
              - {name: Admissions assessed, unit: "%", baseline: 62, target: 95}
    """,
    "objectives/people/ward-7.yaml": """
        person: sn
        objectives:
          - id: P-SN-1
            title: Assess every patient I admit
            supports: [W7-1]
            due: 2026-12-31
    """,
}


HEALTHY = {path: textwrap.dedent(text).lstrip("\n") for path, text in HEALTHY.items()}


def block(text: str, indent: int = 0) -> str:
    """Dedent a YAML snippet written inline in a test, then indent it by `indent` spaces."""
    return textwrap.indent(textwrap.dedent(text).lstrip("\n"), " " * indent)


def write_repo(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write {relative path: YAML text (dedented) or bytes}; None removes a file."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        path = root / relative
        if content is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _collector_back_on():
    """A CLI command run in-process freezes and switches off the cyclic collector, as its
    own process would (load_goals, freeze=True); the next test gets it back."""
    yield
    if not gc.isenabled():
        gc.unfreeze()
        gc.enable()


@pytest.fixture
def make_repo(tmp_path):
    """make_repo(files, base=HEALTHY) -> goals root; pass base={} for a repo from scratch."""

    def make(files: dict | None = None, base: dict | None = None, name: str = "goals") -> Path:
        merged = dict(HEALTHY if base is None else base)
        merged.update(files or {})
        return write_repo(tmp_path / name, merged)

    return make


@pytest.fixture
def check_repo(make_repo):
    """check_repo(files, base=HEALTHY, **run_check options) -> CheckResult."""

    def check(files: dict | None = None, base: dict | None = None, **options):
        root = make_repo(files, base)
        return run_check(str(root), **options)

    return check


def codes(result) -> list[tuple[str, str | None]]:
    """(code, id) of each finding, in output order."""
    return [(f.code, f.id) for f in result.findings]


def placed(result, code: str) -> list[tuple[str | None, int | None]]:
    """(id, line) of each finding with `code`."""
    return [(f.id, f.line) for f in result.findings if f.code == code]


@pytest.fixture
def cli(monkeypatch):
    """cli(*args) -> click Result; run through Typer's CliRunner at a fixed width."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run


def json_findings(output: str) -> list[tuple[str, str | None]]:
    return [(f["code"], f["id"]) for f in json.loads(output)["findings"]]
