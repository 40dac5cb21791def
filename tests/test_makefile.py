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
