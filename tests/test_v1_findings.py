"""A v1 repository gives exactly the findings it gave before format v1.1 (measure data, done, as-of)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from catchball.check import run_check
from tests.conftest import HEALTHY, write_repo
from tests.test_report import BROKEN
from tests.test_status import ROUND
from tests.test_subjects import SHARED_ID
from tests.test_trace import BRANCHING

HERE = Path(__file__).resolve().parent
BEFORE = json.loads((HERE / "data" / "v1-findings.json").read_text(encoding="utf-8"))
REPOS = {"healthy": {}, "round": ROUND, "branching": BRANCHING, "shared-id": SHARED_ID}
REPOS.update({f"broken: {name}": files for name, files in BROKEN.items()})


def folder(name: str) -> str:
    return name.replace(":", "").replace(" ", "-")


def test_the_snapshot_covers_every_repository():
    assert set(BEFORE) == {"ci-sample", *REPOS}


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_same_findings_as_before(name, tmp_path, monkeypatch):
    if name == "ci-sample":
        shutil.copytree(HERE / "repos" / "ci-sample", tmp_path / "ci-sample")
    else:
        write_repo(tmp_path / folder(name), {**HEALTHY, **REPOS[name]})
    monkeypatch.chdir(tmp_path)
    result = run_check(folder(name))
    now = [[f.code, f.id, f.file, f.line, f.column, f.message] for f in result.findings]
    assert now == BEFORE[name]
    assert not any(f.code.startswith("CB6") for f in result.findings)
