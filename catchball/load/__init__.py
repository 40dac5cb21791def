"""Load a goals repository: discover files, read each, merge in read order."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from catchball.errors import NoGoalsError, reading
from catchball.findings import Finding, new_finding
from catchball.load.discover import SETTINGS_FILE, GoalsRoot, discover
from catchball.load.limits import LimitExceeded, read_bounded
from catchball.load.parallel import read_parallel, worker_count
from catchball.load.reader import FileGoals, read_goals_file
from catchball.model import GoalSet, Span
from catchball.settings import read_settings

Progress = Callable[[int, int], None]  # (files done, files in all)


@dataclass(slots=True)
class Loaded:
    """The goals, the findings met while reading them, and notes for stderr."""

    goals: GoalSet
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_goals(given: str | None, cwd: Path | None = None, progress: Progress | None = None) -> Loaded:
    """Read the goals root named by `given` (or found from cwd).

    Raises NoGoalsError or SettingsError when the command cannot run.
    """
    root = discover(given, cwd)
    goal_files = [f for f in root.files if f != SETTINGS_FILE]
    if not goal_files:
        raise NoGoalsError(f"no goals found: no *.yaml or *.yml files under {root.display}")
    settings, settings_findings = read_settings(root.settings_file, root.display_path(SETTINGS_FILE))
    goals = GoalSet(root=root.path, display_root=root.display, settings=settings)
    goals.settings_present = root.settings_file.is_file()
    loaded = Loaded(goals, list(settings_findings), list(root.skipped))
    with _collector_paused():
        workers = worker_count(root, goal_files)
        parts = (
            read_parallel(root, goal_files, workers, read_one)
            if workers > 1
            else (read_one(root, relative) for relative in goal_files)
        )
        for done, part in enumerate(parts, 1):
            merge(loaded, part)
            if progress is not None:
                progress(done, len(goal_files))
    # What was loaded lives until the command ends: keep the cyclic collector
    # from scanning it again and again while the graph and rules allocate.
    gc.freeze()
    return loaded


def read_one(root: GoalsRoot, relative: str) -> FileGoals:
    display = root.display_path(relative)
    with reading(display):  # an internal error names the file
        return _read_one(root, relative, display)


def _read_one(root: GoalsRoot, relative: str, display: str) -> FileGoals:
    try:
        raw = read_bounded(root.path / relative)
    except OSError as exc:
        message = f"cannot be read: {exc.strerror or exc}"
        return FileGoals(display, findings=[new_finding("CB101", message, None, Span(display, 1, 1))])
    except LimitExceeded as exc:
        return FileGoals(display, findings=[new_finding("CB101", str(exc), None, Span(display, 1, 1))])
    return read_goals_file(raw, display)


def merge(loaded: Loaded, part: FileGoals) -> None:
    """Add one file's elements; a second definition of an id is CB104 and left out."""
    goals = loaded.goals
    goals.files.append(part.file)
    loaded.findings.extend(part.findings)
    for kind, elements, table in (
        ("aim", part.aims, None),
        ("team", part.teams, goals.teams),
        ("person", part.people, goals.people),
        ("objective", part.objectives, None),
    ):
        for element in elements:
            first = _first_definition(goals, kind, element.id, table)
            if first is not None:
                loaded.findings.append(
                    new_finding(
                        "CB104",
                        f"{kind} id {element.id} is already defined at {first.span.file}:{first.span.line}",
                        element.id,
                        element.span,
                    )
                )
                continue
            target = table if table is not None else (goals.aims if kind == "aim" else goals.objectives)
            target[element.id] = element


def _first_definition(goals: GoalSet, kind: str, element_id: str, table):
    if table is not None:
        return table.get(element_id)
    return goals.goal(element_id)  # aims and objectives share one namespace


@contextmanager
def _collector_paused() -> Iterator[None]:
    # The loader allocates millions of small objects and frees almost none;
    # the cyclic collector would rescan them all repeatedly (NOTES.md: 60% of
    # load time). Nothing here makes reference cycles that need collecting.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
