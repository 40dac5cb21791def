"""Run the rules over a goals repository: the one entry point for every command.

The CLI only parses options and calls `run_check`; the same work can be done
from Python:

    from catchball.check import run_check
    result = run_check("goals")
    print(result.exit_code(strict=False), len(result.findings))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from catchball.findings import ERROR, INFO, MEASURE, OBJECTIVE, WARNING, Finding, FindingCollector
from catchball.graph import Cascade
from catchball.load import Progress, load_goals
from catchball.model import GoalSet
from catchball.rules.catalog import resolve_selectors
from catchball.rules.registry import all_rules

if TYPE_CHECKING:
    from catchball.diff import Changes


@dataclass(slots=True)
class CheckResult:
    """What a check found; with `--diff`, also what changed since a base revision.

    `diff` (a catchball.diff.Changes) is None for a plain check. With
    `new_only`, `findings` holds only the findings the change introduced, and
    the counts, the summary and the exit code follow `findings`, so only what
    the change introduces can fail the run.
    """

    goals: GoalSet
    cascade: Cascade | None  # None after an incremental run (`rechecked` set): goals then holds no elements
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    diff: Changes | None = None
    new_only: bool = False
    strict: bool = False  # warnings fail the run too (--strict): the exit code and JUnit's failures follow it
    counts: tuple[int, int, int, int] | None = None  # aims, teams, people, objectives: an incremental run's
    rechecked: list[str] | None = None  # the files an incremental run checked again; None: a full run

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def exit_code(self, strict: bool | None = None) -> int:
        """0 clean, 1 when an error finding (or, with strict, a warning) remains; `strict` defaults to the result's."""
        return 1 if any(self.fails(f, strict) for f in self.findings) else 0

    def fails(self, finding: Finding, strict: bool | None = None) -> bool:
        """Whether this finding alone would make the run exit 1."""
        strict = self.strict if strict is None else strict
        return finding.severity == ERROR or (strict and finding.severity == WARNING)

    def summary(self) -> dict:
        """The spec's JSON summary block."""
        goals = self.goals
        aims, teams, people, objectives = self.counts or (
            len(goals.aims), len(goals.teams), len(goals.people), len(goals.objectives)
        )
        return {
            "files": len(goals.files) + (1 if goals.settings_present else 0),
            "aims": aims,
            "teams": teams,
            "people": people,
            "objectives": objectives,
            "errors": self.count(ERROR),
            "warnings": self.count(WARNING),
            "infos": self.count(INFO),
        }


def _as_reported(finding: Finding, severity: dict[str, str], cascade: Cascade) -> Finding:
    """`finding` at catchball.yaml's severity for its code, naming the person of an individual objective
    it is about (the reader cannot know it yet). Built directly, not with dataclasses.replace:
    a December day has 40,000 findings of overdue objectives (0.3 s)."""
    level = severity.get(finding.code, finding.severity)
    people = finding.people
    if finding.kind in (OBJECTIVE, MEASURE):  # what cascade.people_in(finding.id) gives, looked up directly
        objective = cascade.goals.objectives.get(finding.id)
        if objective is not None and objective.is_individual and objective.person and objective.person not in people:
            people = (objective.person, *people)
    if level == finding.severity and people is finding.people:
        return finding
    f = finding
    return Finding(f.code, f.name, level, f.message, f.id, f.file, f.line, f.column, f.kind, people)


# With `freeze` the process ends after this command: its result is held here
# until then, so that returning from the command does not free it object by
# object (0.04 s at 20,000 staff) just before the process ends, which lets the
# system take the memory back at once (cli.entry ends with os._exit).
# One result at a time: a program that runs commands in-process frees each
# when the next one is held.
_HELD_UNTIL_EXIT: list = []


def hold_until_exit(*things) -> None:
    """Keep `things` (what a command built from a result: a report's context) until the process ends."""
    _HELD_UNTIL_EXIT.extend(things)


# The rules that read measure data (the only ones that do): they run after it is attached.
DATA_FAMILY = "measures"


def run_check(
    path: str | None = None,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    cwd: Path | None = None,
    progress: Progress | None = None,
    as_of: dt.date | None = None,
    freeze: bool = False,
    cache: bool = True,
    last_points: bool = True,
    whole_charts: bool = False,
    incremental: bool = False,
) -> CheckResult:
    """Load the goals at `path`, run the selected rules, return sorted findings.

    `select` and `ignore` take codes, names or prefixes (CB2); catchball.yaml's
    `ignore` and `severity` apply too. `as_of` is the day calendar rules
    judge on (default: catchball.asof.default_day()). `freeze` is load_goals'
    (for a process that ends after the check), and so are `last_points`
    and `whole_charts`. With `incremental` (and the cache on), a run after
    an edit checks again only what changed where it can
    (catchball/incremental.py); the result then holds the findings but no
    elements or cascade, so only a caller that needs just the findings (the
    `check` command) asks for it.
    Raises CatchballError when the command cannot run.
    """
    selected = resolve_selectors(select, "--select") if select else None
    ignored = resolve_selectors(ignore, "--ignore")
    attempt = None
    if incremental and cache:
        from catchball.incremental import Attempt

        attempt = Attempt.begin(path, cwd, as_of, selected, ignored)
        if attempt is not None:
            finish = partial(_finished, attempt.settings, ignored | set(attempt.settings.ignore), selected)
            again = attempt.again(finish)
            if again is not None:
                return CheckResult(
                    again.goals, None, again.findings, again.notes, counts=again.counts, rechecked=again.rechecked
                )
    # The measure data is attached once the other rules have run: meanwhile
    # worker processes read the CSV files, on the core the rules leave idle.
    loaded = load_goals(
        path, cwd, progress, freeze=freeze, cache=cache, last_points=last_points, defer_data=True,
        whole_charts=whole_charts,
    )
    try:
        settings = loaded.goals.settings
        ignored |= set(settings.ignore)
        cascade = Cascade(loaded.goals, as_of)
        collector = FindingCollector()
        collector.extend(loaded.findings)
        wanted = [
            rule for code, rule in all_rules().items()
            if code not in ignored and (selected is None or code in selected)
        ]
        for rule in wanted:
            if rule.family != DATA_FAMILY:
                collector.extend(rule.check(cascade))
        collector.extend(loaded.attach_data())
        for rule in wanted:
            if rule.family == DATA_FAMILY:
                collector.extend(rule.check(cascade))
        loaded.finish()  # the workers wrote their cache entries meanwhile
    finally:
        loaded.abandon_data()
    findings = _finished(settings, ignored, selected, collector.findings(), cascade)
    findings.sort(key=Finding.sort_key)
    if attempt is not None:
        attempt.keep(loaded.goals, loaded.findings, findings, loaded.notes, cascade)
    result = CheckResult(loaded.goals, cascade, findings, loaded.notes)
    if freeze:
        _HELD_UNTIL_EXIT[:] = [result]  # and what was held for the command before
    return result


def _finished(settings, ignored: set, selected: set | None, found: list[Finding], cascade: Cascade) -> list[Finding]:
    """The findings a run reports: selected, not ignored, at catchball.yaml's severities, naming their people."""
    severity = dict(settings.severity)
    return [
        _as_reported(f, severity, cascade) for f in found
        if f.code not in ignored and (selected is None or f.code in selected)
    ]
