"""`catchball import`: a workbook or CSV back into the goals, all or nothing.

    from catchball.workbook.importing import run_import
    done = run_import("surgery-pack.xlsx", "goals", dry_run=True)
    for change in done.files: print(change.diff(done.display_root))

Every row is checked before anything is written; any problem stops the
import (ImportRejected, with all of them). After writing, the goals are
checked again and compared with the check before (catchball/diff.py), so
the findings the import introduced can be shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from catchball.check import CheckResult, run_check
from catchball.diff import Changes, compare_checks
from catchball.errors import CatchballError, NoGoalsError
from catchball.graph import Cascade
from catchball.load.discover import find_root
from catchball.model import GoalSet
from catchball.output import write_atomic
from catchball.workbook.plan import Plan, plan_import
from catchball.workbook.read import Problem, read_book
from catchball.workbook.rows import typed_book
from catchball.workbook.write_yaml import SETTINGS_FILE, FileChange, file_changes

BASE = "before the import"
MAX_LISTED = 20


class ImportRejected(CatchballError):
    """The workbook has problems: nothing was written. `problems` holds every one."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"{source}: {len(problems)} {noun}; nothing was imported")


@dataclass(slots=True)
class ImportResult:
    display_root: str
    plan: Plan
    files: list[FileChange]
    written: bool = False
    after: CheckResult | None = None
    changes: Changes | None = None
    notes: list[str] = field(default_factory=list)


def run_import(source: str, path: str | None = None, *, force: bool = False, dry_run: bool = False) -> ImportResult:
    """Import `source` (.xlsx, .csv, or a folder of CSV files) into the goals root at `path`.

    Raises ImportRejected when a row has a problem, CatchballError when the
    command cannot run or would overwrite values without `force`.
    """
    root, display = find_root(path)
    try:
        before = run_check(path)
    except NoGoalsError:
        before = None  # an empty folder: the workbook starts the repository
    goals = before.goals if before is not None else GoalSet(root=root, display_root=display)
    cascade = before.cascade if before is not None else Cascade(goals)
    book = typed_book(read_book(Path(source)))
    plan = plan_import(book, goals, cascade, has_settings=(root / SETTINGS_FILE).exists())
    if plan.problems:
        raise ImportRejected(source, plan.problems)
    files = file_changes(root, plan)
    result = ImportResult(goals.display_root, plan, files, notes=list(plan.notes))
    if dry_run or not files:
        return result
    overwrites = plan.overwrites
    if overwrites and not force:
        listed = "; ".join(overwrites[:MAX_LISTED]) + ("; ..." if len(overwrites) > MAX_LISTED else "")
        raise CatchballError(
            f"the import would change {len(overwrites)} existing value{'s' if len(overwrites) != 1 else ''} "
            f"({listed}): see them with --dry-run, then use --force"
        )
    for change in files:
        target = root / change.path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, change.after)
    result.written = True
    result.after = run_check(path)
    base_findings = before.findings if before is not None else []
    result.changes = compare_checks(before, base_findings, result.after, BASE)
    return result
