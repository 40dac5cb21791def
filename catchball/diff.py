"""What a change to the goals does: `catchball check --diff REV`.

The working tree is checked as usual, and the goals root as it was at git
revision REV is checked the same way (its files are read from git into a
temporary folder, so the working tree is never touched). Findings are then
matched by rule and element id (catchball/identity.py), never by line,
because lines move: a finding is *introduced* when the change adds it,
*resolved* when the change removes it, *unchanged* otherwise. Beside the
findings, the *strategy drift*: aims and objectives added, dropped,
re-parented or changed between REV and now.

    from catchball.diff import run_diff
    diff = run_diff("goals", "origin/main")
    print(len(diff.changes.introduced), diff.exit_code(strict=False))
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable

from catchball.check import CheckResult, FindingCounts, run_check
from catchball.errors import CatchballError, NoGoalsError
from catchball.findings import ERROR, INFO, WARNING, Finding
from catchball.identity import finding_key
from catchball.load.discover import YAML_SUFFIXES, find_root
from catchball.model import Aim, GoalSet, Objective

ADDED, DROPPED, REPARENTED, CHANGED = "added", "dropped", "re-parented", "changed"


class GitError(CatchballError):
    """git is missing, the goals are not in a repository, or the revision is unknown."""


@dataclass(frozen=True, slots=True)
class Drift:
    """One change to the strategy between the base revision and now."""

    kind: str  # added | dropped | re-parented | changed
    element: str  # aim | objective
    id: str
    title: str | None
    detail: str

    def record(self) -> dict:
        return {"kind": self.kind, "element": self.element, "id": self.id, "title": self.title, "detail": self.detail}


@dataclass(slots=True)
class Changes:
    """Findings and strategy compared with a base revision."""

    base: str  # the revision as given
    commit: str  # the commit it named
    introduced: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)  # positions as they were at the base
    unchanged: list[Finding] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)
    base_found: bool = True  # False when the goals root held no goals at the base


class DiffResult(FindingCounts):
    """A CheckResult seen against a base revision; formats take it like a CheckResult.

    `findings` are all current findings, or only the introduced ones when
    `new_only`; the summary counts and the exit code follow `findings`, so
    with `new_only` only what the change introduces can fail the run.
    """

    def __init__(self, current: CheckResult, changes: Changes, new_only: bool = False) -> None:
        self.current = current
        self.diff = changes
        self.new_only = new_only
        self.goals = current.goals
        self.cascade = current.cascade
        self.notes = current.notes
        self.findings = list(changes.introduced) if new_only else current.findings

    def summary(self) -> dict:
        summary = self.current.summary()
        summary.update(errors=self.count(ERROR), warnings=self.count(WARNING), infos=self.count(INFO))
        return summary


def run_diff(
    path: str | None,
    rev: str,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    new_only: bool = False,
    cwd: Path | None = None,
    as_of: dt.date | None = None,
) -> DiffResult:
    """Check the goals at `path` now and at git revision `rev`, and compare.

    Raises CatchballError when either check cannot run, the goals root is
    not inside a git repository, or `rev` names no commit.
    """
    select, ignore = list(select), list(ignore)
    current = run_check(path, select=select, ignore=ignore, cwd=cwd, as_of=as_of)
    root, _ = find_root(path, cwd)
    top, prefix = repository_of(root)
    commit = resolve_commit(top, rev)
    with tempfile.TemporaryDirectory(prefix="catchball-diff-") as temporary:
        base_root = Path(temporary) / "goals"
        base_root.mkdir()
        extract_tree(top, commit, prefix, base_root)
        try:
            # the same as-of day: a change is judged on what it changed, not on the calendar
            base = run_check(str(base_root), select=select, ignore=ignore, as_of=current.cascade.as_of)
        except NoGoalsError:
            base = None
        except CatchballError as exc:
            raise CatchballError(f"at {rev}: {exc}".replace(str(base_root), current.goals.display_root)) from None
        if base is not None:
            base_findings = [_rehome(f, str(base_root), current.goals.display_root) for f in base.findings]
    changes = compare_checks(base, base_findings if base is not None else [], current, rev, commit)
    return DiffResult(current, changes, new_only)


def compare_checks(
    base: CheckResult | None, base_findings: list[Finding], current: CheckResult, label: str, commit: str = ""
) -> Changes:
    """Findings and strategy of `current` against `base` (None: there were no goals).

    `base_findings` are the base's findings with their paths as `current`
    shows them. Also used by `catchball import`, whose base is the goals
    before the import.
    """
    changes = Changes(base=label, commit=commit)
    if base is None:
        changes.base_found = False
        changes.introduced = list(current.findings)
        changes.drift = strategy_drift(None, current)
    else:
        changes.introduced, changes.unchanged, changes.resolved = match_findings(base_findings, current.findings)
        changes.drift = strategy_drift(base, current)
    return changes


# -- matching findings --------------------------------------------------------


def match_findings(base: list[Finding], current: list[Finding]) -> tuple[list, list, list]:
    """(introduced, unchanged, resolved): current findings paired with base ones by key.

    Where a key occurs several times, findings in the same file pair first.
    """
    waiting: dict[tuple, list[Finding]] = {}
    for f in base:
        waiting.setdefault(finding_key(f), []).append(f)
    paired: set[int] = set()
    for f in current:  # first pass: same key, same file
        olds = waiting.get(finding_key(f), [])
        for i, old in enumerate(olds):
            if old.file == f.file:
                paired.add(id(f))
                del olds[i]
                break
    introduced, unchanged = [], []
    for f in current:  # second pass: same key, any file (moved elements, renamed files)
        if id(f) in paired:
            unchanged.append(f)
            continue
        olds = waiting.get(finding_key(f), [])
        if olds:
            olds.pop(0)
            unchanged.append(f)
        else:
            introduced.append(f)
    resolved = sorted((f for olds in waiting.values() for f in olds), key=Finding.sort_key)
    return introduced, unchanged, resolved


def _rehome(f: Finding, base_display: str, display: str) -> Finding:
    """A base finding with its paths shown as the working tree's would be."""
    prefix = "" if display in ("", ".") else display.rstrip("/") + "/"
    file = f.file
    if file is not None and file.startswith(base_display + "/"):
        file = prefix + file[len(base_display) + 1 :]
    return dataclasses.replace(f, file=file, message=f.message.replace(base_display + "/", prefix))


# -- strategy drift -----------------------------------------------------------


def strategy_drift(base: CheckResult | None, current: CheckResult) -> list[Drift]:
    """Aims, then objectives: added, dropped, re-parented or changed since the base."""
    old = base.goals if base is not None else GoalSet(root=Path("."), display_root=".")
    new = current.goals
    drift = _aim_drift(old, new)
    drift += _objective_drift(old, new, base, current)
    return drift


def _measures(element: Aim | Objective) -> tuple:
    return tuple((m.name, m.unit, m.baseline, m.target, m.by, m.direction) for m in element.measures)


def _aim_drift(old: GoalSet, new: GoalSet) -> list[Drift]:
    drift = []
    for aim in new.aims.values():
        before = old.aims.get(aim.id)
        if before is None:
            drift.append(Drift(ADDED, "aim", aim.id, aim.title, "new aim" if aim.active else "new aim (retired)"))
        elif before.active and not aim.active:
            drift.append(Drift(DROPPED, "aim", aim.id, aim.title, "retired"))
        elif aim.active and not before.active:
            drift.append(Drift(ADDED, "aim", aim.id, aim.title, "reinstated (was retired)"))
        else:
            changed = []
            if before.title != aim.title:
                changed.append(f"title was {before.title!r}")
            if _measures(before) != _measures(aim):
                changed.append("measures changed")
            if changed:
                drift.append(Drift(CHANGED, "aim", aim.id, aim.title, "; ".join(changed)))
    for aim in old.aims.values():
        if aim.id not in new.aims and aim.active:
            drift.append(Drift(DROPPED, "aim", aim.id, aim.title, "removed"))
    return drift


def _objective_drift(old: GoalSet, new: GoalSet, base: CheckResult | None, current: CheckResult) -> list[Drift]:
    drift = []
    for objective in new.objectives.values():
        before = old.objectives.get(objective.id)
        if before is None:
            detail = "new objective" if objective.active else "new objective (dropped)"
            drift.append(Drift(ADDED, "objective", objective.id, objective.title, detail))
        elif before.active and not objective.active:
            drift.append(Drift(DROPPED, "objective", objective.id, objective.title, f"status {before.status} -> dropped"))
        elif objective.active and not before.active:
            detail = f"reinstated (status dropped -> {objective.status})"
            drift.append(Drift(ADDED, "objective", objective.id, objective.title, detail))
        elif objective.active:
            moves = []
            if set(before.supports) != set(objective.supports):
                moves.append(f"supports {_ids(before.supports)} -> {_ids(objective.supports)}")
            team_before = base.cascade.owner_team(before.id) if base is not None else None
            team_now = current.cascade.owner_team(objective.id)
            if team_before != team_now:
                moves.append(f"team {team_before or '(none)'} -> {team_now or '(none)'}")
            if moves:
                drift.append(Drift(REPARENTED, "objective", objective.id, objective.title, "; ".join(moves)))
    for objective in old.objectives.values():
        if objective.id not in new.objectives and objective.active:
            drift.append(Drift(DROPPED, "objective", objective.id, objective.title, "removed"))
    return drift


def _ids(ids: tuple[str, ...]) -> str:
    return ", ".join(ids) if ids else "(nothing)"


# -- git ----------------------------------------------------------------------


def _git(args: list[str], cwd: Path, input: bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_LITERAL_PATHSPECS="1", LC_ALL="C")
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise GitError("--diff needs git, and no `git` command was found") from None
    except OSError as exc:
        raise GitError(f"--diff: cannot run git: {exc.strerror or exc}") from None


def repository_of(root: Path) -> tuple[Path, str]:
    """The repository's top folder and the goals root's path inside it ('' at the top, else 'a/b/')."""
    done = _git(["rev-parse", "--show-toplevel", "--show-prefix"], root)
    if done.returncode != 0:
        reason = _git_reason(done)
        if not reason or reason.startswith("not a git repository"):
            raise GitError(f"--diff: {root} is not inside a git repository")
        # Most often "detected dubious ownership": a CI container whose user
        # does not own the checkout, which git's safe.directory setting allows.
        raise GitError(f"--diff: git cannot use the repository of {root}: {reason}")
    lines = done.stdout.decode("utf-8", "surrogateescape").split("\n")
    return Path(lines[0]), lines[1] if len(lines) > 1 else ""


def _git_reason(done: subprocess.CompletedProcess) -> str:
    """The first line of git's error message, without its "fatal: "."""
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ").strip() if lines else ""


def resolve_commit(top: Path, rev: str) -> str:
    """The full commit id `rev` names, or GitError."""
    done = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top)
    if done.returncode != 0 or not rev.strip():
        raise GitError(
            f"--diff: unknown revision {rev!r} in {top} (in CI, fetch it first, e.g. actions/checkout with fetch-depth: 0)"
        )
    return done.stdout.decode().strip()


def extract_tree(top: Path, commit: str, prefix: str, target: Path) -> int:
    """Write the YAML and CSV files below `prefix` at `commit` into `target`; return how many.

    Regular files and symlinks only (submodules have no content here). A
    goals root that did not exist at the commit leaves `target` empty.
    """
    tree = f"{commit}:{prefix.rstrip('/')}"
    listed = _git(["ls-tree", "-r", "-z", "--full-tree", tree], top)
    if listed.returncode != 0:
        return 0  # the goals root did not exist then
    entries = []
    for record in listed.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, oid = meta.decode().split(" ")
        relative = PurePosixPath(raw_path.decode("utf-8", "surrogateescape"))
        if kind != "blob" or relative.is_absolute() or ".." in relative.parts:
            continue
        # Measure data CSV files are goals too (v1.1): without them every CSV series would be CB601 at REV.
        if mode == "120000" or relative.name.endswith(YAML_SUFFIXES) or relative.name.lower().endswith(".csv"):
            entries.append((mode, oid, relative))
    if not entries:
        return 0
    batch = _git(["cat-file", "--batch"], top, input="".join(f"{oid}\n" for _, oid, _ in entries).encode())
    if batch.returncode != 0:
        raise GitError(f"--diff: git could not read the files of {commit[:12]}")
    data, offset = batch.stdout, 0
    for mode, oid, relative in entries:
        header_end = data.index(b"\n", offset)
        size = int(data[offset:header_end].split(b" ")[2])
        content = data[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
        path = target.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            # discover() refuses links that leave the goals root, as in the working tree.
            os.symlink(os.fsdecode(content), path)
        else:
            path.write_bytes(content)
    return len(entries)
