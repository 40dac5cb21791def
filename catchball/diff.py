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
    result = run_diff("goals", "origin/main")  # a CheckResult whose `diff` holds the changes
    print(len(result.diff.introduced), result.exit_code(strict=False))
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from catchball.check import CheckResult, run_check
from catchball.errors import CatchballError, NoGoalsError
from catchball.findings import Finding
from catchball.identity import finding_key
from catchball.load.discover import YAML_SUFFIXES, find_root, printable
from catchball.load.limits import MAX_FILE_BYTES
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


def run_diff(
    path: str | None,
    rev: str,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    new_only: bool = False,
    cwd: Path | None = None,
    as_of: dt.date | None = None,
    cache: bool = True,
) -> CheckResult:
    """Check the goals at `path` now and at git revision `rev`, and compare.

    Raises CatchballError when either check cannot run, the goals root is
    not inside a git repository, or `rev` names no commit.
    """
    select, ignore = list(select), list(ignore)
    current = run_check(path, select=select, ignore=ignore, cwd=cwd, as_of=as_of, cache=cache)
    root, _ = find_root(path, cwd)
    top, prefix = repository_of(root)
    commit = resolve_commit(top, rev)
    with tempfile.TemporaryDirectory(prefix="catchball-diff-") as temporary:
        base_root = Path(temporary) / "goals"
        base_root.mkdir()
        extract_tree(top, commit, prefix, base_root, notes=current.notes)
        try:
            # The same as-of day: a change is judged on what it changed, not on the calendar.
            # Not through the parse cache: the old tree is read from a new temporary
            # folder each run, so its entries (keyed by path) could never be hit again.
            base = run_check(str(base_root), select=select, ignore=ignore, as_of=current.cascade.as_of, cache=False)
        except NoGoalsError:
            base = None
        except CatchballError as exc:
            raise CatchballError(f"at {rev}: {exc}".replace(str(base_root), current.goals.display_root)) from None
        if base is not None:
            base_findings = [_rehome(f, str(base_root), current.goals.display_root) for f in base.findings]
    changes = compare_checks(base, base_findings if base is not None else [], current, rev, commit)
    findings = list(changes.introduced) if new_only else current.findings
    return dataclasses.replace(current, findings=findings, diff=changes, new_only=new_only)


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
    return drift + _removed("aim", old.aims, new.aims)


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
    return drift + _removed("objective", old.objectives, new.objectives)


def _removed(kind: str, old: dict, new: dict) -> list[Drift]:
    """Active aims or objectives of the old goals that the new ones no longer have."""
    return [Drift(DROPPED, kind, e.id, e.title, "removed") for e in old.values() if e.id not in new and e.active]


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


def extract_tree(top: Path, commit: str, prefix: str, target: Path, notes: list[str] | None = None) -> int:
    """Write the YAML and CSV files below `prefix` at `commit` into `target`; return how many.

    Regular files and symlinks only (submodules have no content here). A
    goals root that did not exist at the commit leaves `target` empty.

    The tree is made by whoever pushed the commit, so nothing in it may
    steer the writing: every folder is opened without following a link
    (a symlink `a` beside a subtree `a/x.yaml`, which git accepts, would
    otherwise write through the link), a name given twice is refused, and
    a blob past the size limit is never read (an empty file of its size
    stands for it, which the loader refuses as it would in the working
    tree). Entries the file system cannot hold (a name over 255 bytes, a
    link target over 4 KB or holding NUL) are left out with a note.
    """
    notes = [] if notes is None else notes
    tree = f"{commit}:{prefix.rstrip('/')}"
    listed = _git(["ls-tree", "-r", "-l", "-z", "--full-tree", tree], top)
    if listed.returncode != 0:
        return 0  # the goals root did not exist then
    entries = _tree_entries(listed.stdout, commit)
    if not entries:
        return 0
    wanted = [(mode, oid, relative) for mode, oid, size, relative in entries if size <= MAX_FILE_BYTES]
    too_large = {relative: size for mode, oid, size, relative in entries if size > MAX_FILE_BYTES}
    root_fd = os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for relative, size in too_large.items():
            _place(root_fd, relative, notes, commit, size=size)
        for mode, relative, content in _blobs(top, commit, wanted):
            _place(root_fd, relative, notes, commit, content=content, link=mode == "120000")
    finally:
        os.close(root_fd)
    return len(entries)


# Linux keeps at most this many bytes in a symlink's target (PATH_MAX less the NUL).
_MAX_LINK_TARGET = 4095


def _tree_entries(listing: bytes, commit: str) -> list[tuple[str, str, int, PurePosixPath]]:
    """(mode, blob id, size, path) of the YAML files and symlinks in an `ls-tree -r -l -z` listing."""
    entries, names, folders, twice = [], set(), set(), []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, oid, size = meta.decode().split()
        relative = PurePosixPath(raw_path.decode("utf-8", "surrogateescape"))
        if kind != "blob" or relative.is_absolute() or {"..", ".", ""} & set(relative.parts):
            continue
        # Measure data CSV files are goals too (v1.1): without them every CSV series would be CB601 at REV.
        if not (mode == "120000" or relative.name.endswith(YAML_SUFFIXES) or relative.name.lower().endswith(".csv")):
            continue
        if relative in names:
            twice.append(relative)
        entries.append((mode, oid, int(size), relative))
        names.add(relative)
        folders.update(relative.parents)
    twice += sorted(names & folders)
    if twice:
        raise GitError(
            f"--diff: the goals tree at {commit[:12]} holds the name {printable(str(twice[0]))!r} twice "
            "(a crafted commit: git itself cannot check it out): refused"
        )
    return entries


def _blobs(top: Path, commit: str, wanted: list) -> Iterator[tuple[str, PurePosixPath, bytes]]:
    """(mode, path, content) of each wanted blob, read from one `git cat-file --batch`, one at a time."""
    if not wanted:
        return
    env = dict(os.environ, GIT_LITERAL_PATHSPECS="1", LC_ALL="C")
    try:
        process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=top, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
    except OSError as exc:
        raise GitError(f"--diff: cannot run git: {exc.strerror or exc}") from None
    # The ids go in from a thread: git writes each blob as it reads its id,
    # and a long list would fill both pipes at once.
    feeder = threading.Thread(target=_feed, args=(process.stdin, [oid for _, oid, _ in wanted]), daemon=True)
    feeder.start()
    try:
        for mode, oid, relative in wanted:
            header = process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise GitError(f"--diff: git could not read the files of {commit[:12]}")
            size = int(header[2])
            if size > MAX_FILE_BYTES:  # the listing said otherwise: trust neither with memory
                raise GitError(f"--diff: git gave a file of {commit[:12]} larger than listed")
            content = process.stdout.read(size)
            process.stdout.read(1)  # the newline after each blob
            yield mode, relative, content
    finally:
        process.stdout.close()
        process.kill()
        process.wait()
        feeder.join(timeout=5)


def _feed(stream, oids: list[str]) -> None:
    try:
        for oid in oids:
            stream.write(f"{oid}\n".encode())
        stream.close()
    except OSError:  # git ended early (killed after an error): nothing more to send
        pass


def _place(root_fd: int, relative: PurePosixPath, notes: list[str], commit: str, *,
           content: bytes = b"", link: bool = False, size: int = 0) -> None:
    """Create one entry below root_fd, never following a symlink on the way."""
    shown = printable(str(relative))
    if link and (b"\0" in content or len(content) > _MAX_LINK_TARGET):
        notes.append(f"at {commit[:12]}: {shown} is a symlink no file system can hold (its target is over 4 KB or holds NUL): not read")
        return
    fd = os.dup(root_fd)
    try:
        for name in relative.parts[:-1]:
            try:
                os.mkdir(name, 0o700, dir_fd=fd)
            except FileExistsError:
                pass
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        name = relative.parts[-1]
        if link:
            # discover() refuses links that leave the goals root, as in the working tree.
            os.symlink(os.fsdecode(content), name, dir_fd=fd)
            return
        out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=fd)
        try:
            if size:
                os.ftruncate(out, size)  # sparse: costs no disk, and the loader refuses it unread
            else:
                with os.fdopen(os.dup(out), "wb") as handle:
                    handle.write(content)
        finally:
            os.close(out)
    except OSError as exc:
        notes.append(f"at {commit[:12]}: {shown} cannot be written out to be checked ({exc.strerror or exc}): not read")
    finally:
        os.close(fd)
