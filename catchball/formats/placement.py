"""Where a finding is shown in tools that need every finding in a file.

GitHub code scanning and GitLab Code Quality drop a result that names no
file. Only one finding has none (CB108 "no teams are defined"); those are
placed at line 1 of the goals root's catchball.yaml, or of the first goals
file when there is no catchball.yaml.

CI systems look paths up from the repository root, not from the folder
catchball ran in: inside a git repository, `RepositoryPaths` gives each
path from the git top level (`cd goals && catchball check -f sarif` still
says `goals/ops.yaml`). Outside one, paths stay as catchball prints them.
"""

from __future__ import annotations

import os
from pathlib import Path

from catchball.findings import Finding
from catchball.load.discover import SETTINGS_FILE


def repository_file(result) -> str | None:
    """The file that stands for the whole goals repository."""
    goals = result.goals
    if goals.settings_present:
        root = goals.display_root
        return SETTINGS_FILE if root in ("", ".") else f"{root.rstrip('/')}/{SETTINGS_FILE}"
    return goals.files[0] if goals.files else None


def place(result, f: Finding, paths=None) -> tuple[str | None, int, int]:
    """(file, line, column) for `f`; line and column are 1 when it has no place of its own.

    `paths` (a RepositoryPaths) rewrites the file from the repository's top level.
    """
    file, line, column = (f.file, f.line or 1, f.column or 1) if f.file is not None else (repository_file(result), 1, 1)
    return (paths(file) if paths is not None else file), line, column


def git_top(folder: Path) -> Path | None:
    """The top level of the git repository holding `folder` (a `.git` folder or file), or None."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


class RepositoryPaths:
    """Paths from the git top level when the goals are in a git repository; as printed otherwise."""

    def __init__(self, result) -> None:
        self.top = git_top(Path(os.path.realpath(result.goals.root)))
        self._known: dict[str, str] = {}  # a file -> its path from the top: worked out once, not per finding

    def __call__(self, file: str | None) -> str | None:
        if file is None or self.top is None:
            return file
        known = self._known.get(file)
        if known is None:
            known = self._known[file] = self._from_top(file)
        return known

    def _from_top(self, file: str) -> str:
        # the folder is resolved, not the file: a goals file that is a link keeps its own name
        absolute = Path(os.path.realpath(os.path.dirname(os.path.abspath(file)))) / os.path.basename(file)
        try:
            return absolute.relative_to(self.top).as_posix()
        except ValueError:
            return file
