"""Where a finding is shown in tools that need every finding in a file.

GitHub code scanning and GitLab Code Quality drop a result that names no
file. Only one finding has none (CB108 "no teams are defined"); those are
placed at line 1 of the goals root's catchball.yaml, or of the first goals
file when there is no catchball.yaml.
"""

from __future__ import annotations

from catchball.findings import Finding

SETTINGS_FILE = "catchball.yaml"


def repository_file(result) -> str | None:
    """The file that stands for the whole goals repository."""
    goals = result.goals
    if goals.settings_present:
        root = goals.display_root
        return SETTINGS_FILE if root in ("", ".") else f"{root.rstrip('/')}/{SETTINGS_FILE}"
    return goals.files[0] if goals.files else None


def place(result, f: Finding) -> tuple[str | None, int, int]:
    """(file, line, column) for `f`; line and column are 1 when it has no place of its own."""
    if f.file is not None:
        return f.file, f.line or 1, f.column or 1
    return repository_file(result), 1, 1
