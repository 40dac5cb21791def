"""The goals revision: the git commit the report was made from, when there is one."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_TIMEOUT = 5  # seconds for each git call; a slow or hung git means no revision, not a hung report


def goals_revision(root: Path) -> dict | None:
    """{"commit": short hash, "dirty": uncommitted changes under the goals root (None: unknown)}, or None.

    None when git is not installed, the goals root is not in a git work tree,
    the repository has no commit yet, or git does not answer in time. Git is
    asked not to take optional locks (other processes may be committing) and
    not to run a file-system monitor named in the repository's config.
    """
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    commit = _git(root, env, "rev-parse", "--short", "HEAD")
    if not commit:
        return None
    changes = _git(root, env, "-c", "core.fsmonitor=false", "status", "--porcelain", "--untracked-files=normal", "--", ".")
    dirty = None if changes is None else bool(changes.strip())
    return {"commit": commit.strip(), "dirty": dirty}


def _git(root: Path, env: dict, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return done.stdout if done.returncode == 0 else None
