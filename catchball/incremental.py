"""Incremental checking: after an edit, check again only the files that changed.

A `check` run keeps, in the cache database (catchball/store.py), what it
found and the key of every goals file it read (the parse cache's key: the
reading code, the path and the bytes). The next `check` of the same root,
with the same catchball, settings, as-of day and rule selection, reads and
keys every file again, and where only a few changed it tries to work out
the findings from those files alone:

- Each rule is of one of two kinds. A **local** rule (LOCAL_RULES) judges
  an element by itself: its measures, owner, due date, status. Reading
  gives local findings too (LOCAL_READER_CODES: a file's YAML, fields and
  keys). Every other rule (a **linking** rule) reads elements elsewhere:
  ids, teams, statuses, due dates, the org tree.
- What a linking rule can read of a file is its **outline** (`outline`):
  every element, in order, with its id and fields but for the text that no
  linking rule reads (titles, descriptions), the measures of objectives,
  aims' measures but for their `by` dates (CB403 reads an aim's latest
  `by`), and where it stands: a linking rule places its finding at an
  element but judges nothing by the line it is on. Of an objective's
  status a linking rule reads only whether it is active (not dropped) and
  whether it is done; which of proposed, challenged and agreed it is, only
  the conversation rules read (CB501, CB502: local). So the catchball
  round's own edits, `proposed` to `challenged` to `agreed`, keep it.
- A changed file whose outline is the one it had keeps every finding of a
  linking rule, in it or anywhere else: those depend only on outlines. Its
  own are moved with their elements (a line added above an element moves
  its findings down a line). Its local findings are worked out again from
  the file alone (its elements, on a cascade of their own). The findings
  of every other file are the last run's.

- A changed file whose outline differs only in objectives' due dates also
  keeps every linking finding but CB403's (an objective due after what it
  supports), the one linking rule that reads a due date. CB403 is worked
  out again for the objectives whose date moved and for those that support
  them, on those objectives and what they support alone, read from the
  files that define them: the **index** kept beside the state (which file
  defines each id, which objectives name each id in `supports`) says
  which. A full run keeps the index when a state was there before it (an
  edit the incremental route could not take); the first run, in full with
  no state, keeps none, so a date moved just after it checks in full once.

Anything else is checked in full, as without this module: a file added,
removed or renamed; an outline that changed (a new link, an objective dropped,
done or taken up again, a team, id or element; a due date with no index);
more than MAX_CHANGED files changed; a changed
file whose own reading found a fault other than the local ones, or whose
ids are defined twice (CB104); and a repository whose measures have ids or
data (format v1.1's measure data is matched across files). A test checks
the result against a run without the cache on generated repositories and
random edits (tests/test_incremental.py).

Only `check` takes this route (run_check's `incremental`): the views need
every element, and read them through the parse cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

from catchball import __version__
from catchball.asof import default_day
from catchball.findings import Finding, FindingCollector
from catchball.graph import Cascade
from catchball.load import Loaded, merge
from catchball.load.cache import ParseCache
from catchball.load.discover import SETTINGS_FILE, GoalsRoot, discover
from catchball.load.limits import LimitExceeded, read_bounded
from catchball.load.reader import FileGoals, read_goals_file
from catchball.model import Aim, GoalSet, Objective, Person, Team

# Rules whose findings about an element depend on that element alone (and on
# the settings and the as-of day, both in the state's key).
LOCAL_RULES = frozenset({"CB401", "CB402", "CB404", "CB405", "CB501", "CB502"})
# What reading one file reports about that file alone. CB104 (an id defined
# twice) and CB601 (measure data) depend on other files.
LOCAL_READER_CODES = frozenset({"CB101", "CB102", "CB103", "CB105"})
LOCAL_CODES = LOCAL_RULES | LOCAL_READER_CODES

MAX_CHANGED = 32  # more changed files than this: a full run is about as quick, and simpler
RECENT_NS = 2 * 10**9  # a file modified this close to a full run may have changed unseen (the clock's step)
STATE_DOMAIN = b"catchball check state\0"  # keys of states never meet those of entries or records
INDEX_DOMAIN = b"catchball check index\0"  # the index kept beside a state (the ids' files and supporters)
DATES_RULE = "CB403"  # the one linking rule that reads a due date

# Fields of each kind that no linking rule reads (see the module's docstring).
_UNREAD = {Aim: ("span", "title", "description", "measures"),
           Objective: ("span", "title", "description", "measures", "status"),  # but active and done: `outline`
           Team: ("span", "description"), Person: ("span",)}

Finish = Callable[[list[Finding], Cascade], list[Finding]]  # check.py's severity, selection and people


@dataclasses.dataclass(slots=True)
class Again:
    """What an incremental run found: as a full run would have, and which files it read again."""

    goals: GoalSet  # the files and the root; no elements (nothing after the check reads them)
    findings: list[Finding]
    notes: list[str]
    counts: tuple[int, int, int, int]  # aims, teams, people, objectives
    rechecked: list[str]  # the files checked again, as shown


class Attempt:
    """One `check`'s try at the incremental route, and what it keeps for the next run."""

    def __init__(self, root: GoalsRoot, settings, store: ParseCache, key: str, day: dt.date, before: tuple) -> None:
        self.root = root
        self.settings = settings
        self.store = store
        self.key = key
        self.day = day
        self.began, self.before = before
        self.goal_files = [f for f in root.files if f != SETTINGS_FILE]
        self.shown = [root.display_path(f) for f in self.goal_files]
        self.keys: list[str | None] = [None] * len(self.goal_files)
        self.raw: dict[int, bytes] = {}  # the bytes of the files changed since the state was kept
        self.settings_digest: str | None = None  # of catchball.yaml's bytes, as in the key
        self.had_state = False  # a state was kept before this run: a full run then keeps an index too

    @classmethod
    def begin(cls, given: str | None, cwd: Path | None, as_of: dt.date | None, selected, ignored) -> "Attempt | None":
        """An attempt for this root and these options, or None when the cache is off or the settings cannot be read."""
        root = discover(given, cwd)
        before = time.time_ns(), _snapshot(root, root.files)  # before any file is read, settings too
        from catchball.settings import read_settings  # (see load_goals: a circular import at the top)

        settings, _ = read_settings(root.settings_file, root.display_path(SETTINGS_FILE))
        store = ParseCache.open(settings)
        if store is None:
            return None
        day = as_of if as_of is not None else default_day()
        digest = _settings_digest(root)
        if digest is False:
            return None
        attempt = cls(root, settings, store, _state_key(root, day, digest, selected, ignored), day, before)
        attempt.settings_digest = digest
        return attempt

    def again(self, finish: Finish) -> Again | None:
        """The findings worked out from the changed files alone, or None: check in full."""
        state = self.store.get_state(self.key)
        self.had_state = state is not None
        try:
            if not self._keyed(dict(state["files"]) if state is not None else None) or state is None:
                return None
            return self._again(state, finish)
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # a state of the wrong shape: ignored, and replaced by the full run

    def keep(self, goals: GoalSet, raw_findings: list[Finding], findings: list[Finding], notes: list[str],
             cascade: Cascade | None = None) -> None:
        """After a full run: keep what it found, if every file is as it was when the run began (and,
        after an edit the incremental route could not take, the index: see the module's docstring)."""
        if notes != self.root.skipped or goals.files != self.shown or not _dataless(goals):
            return
        if any(key is None for key in self.keys) or _snapshot(self.root, self.root.files) != self.before:
            return  # a file written meanwhile: what was found may not be of the bytes keyed
        if not self._same_bytes():
            return
        duplicated = sorted({f.id for f in raw_findings if f.code == "CB104" and f.id is not None})
        counts = (len(goals.aims), len(goals.teams), len(goals.people), len(goals.objectives))
        generation = hashlib.sha256("\0".join(k or "" for k in self.keys).encode()).hexdigest()[:32]
        self._put(counts, duplicated, findings, generation)
        if self.had_state and cascade is not None:
            self._put_index(goals, cascade, generation)

    def _same_bytes(self) -> bool:
        """Whether each file written just before the run still has the bytes keyed before it.

        A write changes a file's times, but the clock they come from moves in
        steps (a few milliseconds; two seconds on FAT): a file written within
        a step of the run may have been written again unseen, so its bytes
        are keyed again.
        """
        since = self.began - RECENT_NS
        recent = {relative for relative, (_, mtime, ctime, _) in self.before.items() if max(mtime, ctime) >= since}
        if SETTINGS_FILE in recent and _settings_digest(self.root) != self.settings_digest:
            return False
        for i, relative in enumerate(self.goal_files):
            if relative in recent:
                try:
                    raw = read_bounded(self.root.path / relative)
                except (OSError, LimitExceeded):
                    return False
                if self.store.key(self.shown[i], raw) != self.keys[i]:
                    return False
        return True

    # -- the incremental route ---------------------------------------------------------------

    def _keyed(self, kept: dict | None) -> bool:
        """Read and key every goals file, keeping the bytes of those whose key is not `kept`'s
        (none without a state); False when one cannot be read (a full run reports why)."""
        for i, relative in enumerate(self.goal_files):
            try:
                raw = read_bounded(self.root.path / relative)
            except (OSError, LimitExceeded):
                return False
            self.keys[i] = key = self.store.key(self.shown[i], raw)
            if kept is not None and kept.get(self.shown[i]) != key:
                self.raw[i] = raw
        return True

    def _again(self, state: dict, finish: Finish) -> Again | None:
        files = state["files"]
        if [name for name, _ in files] != self.shown:
            return None  # a file added, removed or renamed
        changed = [i for i, (_, key) in enumerate(files) if key != self.keys[i]]
        if len(changed) > MAX_CHANGED:
            return None
        duplicated = set(state["duplicated"])
        found: list[Finding] = []
        moved: dict[tuple, tuple] = {}  # (file, line, column) of an element before -> after the edit
        dated: set[str] = set()  # objectives whose due date moved
        parts: dict[int, FileGoals] = {}  # the changed files, as they are now
        for i in changed:
            old = self.store.get(files[i][1], self.shown[i])
            new = parts[i] = self._part(i)
            if old is None or not _comparable(old, new, duplicated):
                return None
            if outline(old) != outline(new):
                moved_dates = _dates_moved(old, new)
                if moved_dates is None:
                    return None
                dated |= moved_dates
            shown = self.shown[i]
            moved.update(((shown, a.line, a.column), (b.line, b.column)) for a, b in zip(_spans(old), _spans(new)))
            found += _local_findings(new, self.settings, self.root, self.day, finish)
        redated: set[str] = set()  # the objectives whose CB403 findings are worked out again
        if dated:
            dates = self._dates_again(dated, state, parts, duplicated, finish)
            if dates is None:
                return None
            redated, dated_findings = dates
            found += dated_findings
        again = {self.shown[i] for i in changed}
        kept = []
        for values in state["findings"]:
            if values[0] == DATES_RULE and values[4] in redated:
                continue  # worked out again above
            if values[5] in again:
                if values[0] in LOCAL_CODES:
                    continue  # worked out again above
                where = moved.get((values[5], values[6], values[7]))
                if where is None:
                    return None  # a linking finding placed other than at an element: check in full
                values[6], values[7] = where
            kept.append(_finding(values))
        findings = sorted(kept + found, key=Finding.sort_key)
        counts = tuple(state["counts"])
        if len(counts) != 4 or not all(type(c) is int for c in counts):
            return None
        if changed:
            self._put(counts, sorted(duplicated), findings, state.get("generation"))
        goals = GoalSet(self.root.path, self.root.display, list(self.shown), settings=self.settings)
        goals.settings_present = self.root.settings_file.is_file()
        return Again(goals, findings, list(self.root.skipped), counts, [self.shown[i] for i in changed])

    def _part(self, i: int) -> FileGoals:
        """The changed file's FileGoals, from the parse cache or read (and stored)."""
        part = self.store.get(self.keys[i], self.shown[i])
        if part is None:
            part = read_goals_file(self.raw[i], self.shown[i])
            self.store.put(self.keys[i], part)
        return part

    def _put(self, counts, duplicated: list[str], findings: list[Finding], generation: str | None) -> None:
        body = {
            "files": [[name, key] for name, key in zip(self.shown, self.keys)],
            "counts": list(counts),
            "duplicated": duplicated,
            "findings": [_values(f) for f in findings],
            # The full run this state comes from: its index (if kept) holds as long as this
            # does, because an incremental run changes no id, link or file.
            "generation": generation,
        }
        self.store.put_state(self.key, body)

    # -- due dates ------------------------------------------------------------------------------

    def _index_key(self) -> str:
        return hashlib.sha256(INDEX_DOMAIN + self.key.encode("ascii")).hexdigest()

    def _put_index(self, goals: GoalSet, cascade: Cascade, generation: str) -> None:
        """Keep which file defines each aim and objective and which objectives support each id."""
        where = {name: i for i, name in enumerate(self.shown)}
        defined = {g.id: where.get(g.span.file) for g in (*goals.aims.values(), *goals.objectives.values())}
        supporters = {target: list(ids) for target, ids in cascade.supporters_by_id().items()}
        self.store.put_state(self._index_key(), {"generation": generation, "defined": defined, "supporters": supporters})

    def _dates_again(self, dated: set[str], state: dict, parts: dict, duplicated: set, finish: Finish):
        """(the objectives judged again, their CB403 findings) after the due dates of `dated` moved, or
        None: check in full (no index of this state's run, or an id defined twice among them)."""
        from catchball.rules.registry import all_rules

        index = self.store.get_state(self._index_key())
        generation = state.get("generation")
        if index is None or generation is None or index.get("generation") != generation:
            return None
        defined, supporters = index["defined"], index["supporters"]
        if type(defined) is not dict or type(supporters) is not dict:
            return None  # an index of the wrong shape: ignored, and replaced by the full run
        judged = set(dated)  # the objectives whose dates moved, and those that support them
        for objective_id in dated:
            judged.update(supporters.get(objective_id, ()))  # anything but their ids fails the test below
        # The index names the file of each id's first definition, the one a full run keeps, and
        # files are merged in read order: an objective defined twice is the same one here. A target
        # defined twice is refused below: an aim and an objective of one id (CB104) are told apart
        # by the full run alone.
        files = {defined[g] for g in judged if g in defined}
        if not _indices(files):
            return None
        goals = self._goals_of(files, parts)
        targets = {t for g in judged if g in goals.objectives for t in goals.objectives[g].supports}
        more = {defined[t] for t in targets if t in defined} - files
        if targets & duplicated or not _indices(more):
            return None
        if more:
            goals = self._goals_of(files | more, parts)
        if not judged <= goals.objectives.keys() or any(t not in goals.aims and t not in goals.objectives
                                                        for t in targets if t in defined):
            return None  # an index that does not say where they are: check in full
        cascade = Cascade(goals, self.day)
        collector = FindingCollector()  # one finding an element, its faults joined, as in a full run
        collector.extend(f for f in all_rules()[DATES_RULE].check(cascade) if f.id in judged)
        return judged, finish(collector.findings(), cascade)

    def _goals_of(self, files: set, parts: dict) -> GoalSet:
        """The goals of these files alone (by index), as they are now."""
        loaded = Loaded(GoalSet(self.root.path, self.root.display, settings=self.settings))
        for i in sorted(files):
            part = parts.get(i) or self.store.get(self.keys[i], self.shown[i])
            if part is None:
                raise KeyError(self.shown[i])  # an entry gone since: check in full
            merge(loaded, part)
        return loaded.goals


def outline(part: FileGoals) -> list:
    """What a linking rule can read of a file: its elements but for the fields no linking rule reads.

    Spans are left out: a linking rule places a finding at an element but
    judges nothing by where it is, so a line added above an element moves
    its findings with it (_spans).
    """
    shown = []
    for elements in (part.aims, part.teams, part.people, part.objectives):
        for element in elements:
            unread = _UNREAD.get(type(element), ())
            values = [getattr(element, f.name) for f in dataclasses.fields(element) if f.name not in unread]
            if type(element) is Aim:
                values.append(tuple(m.by for m in element.measures))  # latest_by (CB403)
            elif type(element) is Objective:
                values.append((element.active, element.done))  # all a linking rule reads of its status
            shown.append((type(element).__name__, values))
    return shown


def _indices(files: set) -> bool:
    """Whether an index's file numbers are numbers (an index is read back from the cache)."""
    return all(type(i) is int for i in files)


def _dates_moved(old: FileGoals, new: FileGoals) -> set[str] | None:
    """The objectives whose due date moved, where nothing else of the outline did; else None."""
    undated = lambda part: outline(dataclasses.replace(  # noqa: E731
        part, objectives=[dataclasses.replace(o, due=None) for o in part.objectives]))
    if undated(old) != undated(new):
        return None
    return {b.id for a, b in zip(old.objectives, new.objectives) if a.due != b.due}


def _spans(part: FileGoals) -> list:
    """Where each element of a file starts, in the order `outline` gives them."""
    return [e.span for elements in (part.aims, part.teams, part.people, part.objectives) for e in elements]


def _comparable(old: FileGoals, new: FileGoals, duplicated: set) -> bool:
    """Whether a changed file may be checked alone: only local faults in reading it, no ids defined twice, no measure data."""
    for part in (old, new):
        if any(f.code not in LOCAL_READER_CODES for f in part.findings):
            return False
        goals = (*part.aims, *part.objectives)
        if any(g.id in duplicated for g in (*goals, *part.teams, *part.people)):
            return False
        if any(m.id is not None or m.data_file is not None or m.points for g in goals for m in g.measures):
            return False
    return True


def _local_findings(part: FileGoals, settings, root: GoalsRoot, day: dt.date, finish: Finish) -> list[Finding]:
    """The local findings of one file: its reading's and the local rules' on its elements alone."""
    from catchball.rules.registry import all_rules

    loaded = Loaded(GoalSet(root.path, root.display, settings=settings))
    merge(loaded, part)  # no id is defined twice in it (_comparable): merge adds no finding
    cascade = Cascade(loaded.goals, day)
    collector = FindingCollector()
    collector.extend(part.findings)
    for code, rule in all_rules().items():
        if code in LOCAL_RULES:
            collector.extend(rule.check(cascade))
    return finish(collector.findings(), cascade)


def _dataless(goals: GoalSet) -> bool:
    """No measure has an id or data: a v1 repository (measure data is matched across files)."""
    for goal in (*goals.aims.values(), *goals.objectives.values()):
        for m in goal.measures:
            if m.id is not None or m.data_file is not None or m.points:
                return False
    return True


# -- the state's key and form ------------------------------------------------------------------


def _settings_digest(root: GoalsRoot) -> str | None | bool:
    """A SHA-256 of catchball.yaml's bytes; None without one, False when it cannot be read."""
    try:
        return hashlib.sha256(read_bounded(root.settings_file)).hexdigest() if root.settings_file.is_file() else None
    except (OSError, LimitExceeded):
        return False


def _state_key(root: GoalsRoot, day: dt.date, settings: str | None, selected, ignored) -> str:
    """What the findings depend on besides the goals files, as one SHA-256."""
    parts = {
        "catchball": __version__,
        "code": _code_digest(),
        "python": sys.version,
        "root": [os.fspath(root.real_path), root.display],
        "settings": settings,
        "day": day.isoformat(),
        "select": sorted(selected) if selected is not None else None,
        "ignore": sorted(ignored),
    }
    text = json.dumps(parts, ensure_ascii=True)
    return hashlib.sha256(STATE_DOMAIN + text.encode("ascii")).hexdigest()


def _code_digest() -> str:
    """A SHA-256 of catchball's Python files: another version, or an edited checkout, is other code."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(here.rglob("*.py")):
        digest.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _values(f: Finding) -> list:
    return [f.code, f.name, f.severity, f.message, f.id, f.file, f.line, f.column, f.kind, list(f.people)]


def _finding(values: list) -> Finding:
    code, name, severity, message, element_id, file, line, column, kind, people = values
    if not all(type(v) is str for v in (code, name, severity, message)) or type(people) is not list:
        raise TypeError("not a finding")
    return Finding(code, name, severity, message, element_id, file, line, column, kind, tuple(people))


def _snapshot(root: GoalsRoot, files: list[str]) -> dict | None:
    """The file system's word on each file (size, times, inode), or None when one is gone."""
    seen = {}
    for relative in files:
        try:
            s = os.stat(root.path / relative)
        except OSError:
            return None
        seen[relative] = (s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino)
    return seen
