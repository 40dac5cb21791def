"""Load a goals repository: discover files, read each, merge in read order."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from functools import partial
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from catchball.errors import NoGoalsError, reading
from catchball.findings import Finding, new_finding
from catchball.load.cache import ParseCache
from catchball.load.discover import SETTINGS_FILE, GoalsRoot, discover
from catchball.load.limits import LimitExceeded, read_bounded
from catchball.load.measure_data import attach_measure_data, read_named_data, worked_chart, worked_last
from catchball.load.parallel import read_parallel, worker_count
from catchball.load.reader import FileGoals, read_goals_file
from catchball.load.records import data_uses, pack
from catchball.model import GoalSet, Span

Progress = Callable[[int, int], None]  # (files done, files in all)


@dataclass(slots=True)
class Loaded:
    """The goals, the findings met while reading them, and notes for stderr.

    Loaded with `defer_data`, the measures have their data only once
    attach_data() has been called: until then worker processes may still be
    reading CSV files.
    """

    goals: GoalSet
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _attach: Callable[[], list[Finding]] | None = None
    _later: list = field(default_factory=list)  # workers reading measure data (parallel.Afterwards)
    _store: ParseCache | None = None

    def attach_data(self) -> list[Finding]:
        """Give the measures their data (once); the findings of doing so (CB104, CB601), also added to `findings`.

        The workers that read the data may still be writing cache entries:
        finish() waits for them.
        """
        attach, self._attach = self._attach, None
        if attach is None:
            return []
        try:
            found = attach()
        except BaseException:
            self.abandon_data()
            raise
        self.findings.extend(found)
        return found

    def finish(self) -> None:
        """Wait for the workers to write the cache entries they held, then bound the cache (its sweep)."""
        later, self._later = self._later, []
        for afterwards in later:
            afterwards.wait()
        if self._store is not None:
            self._store.sweep()  # after the workers' last entries
            self._store = None

    def abandon_data(self) -> None:
        """Stop any worker still reading measure data or writing entries (a run that ends early)."""
        later, self._later = self._later, []
        for afterwards in later:
            afterwards.close()


def load_goals(
    given: str | None,
    cwd: Path | None = None,
    progress: Progress | None = None,
    freeze: bool = False,
    cache: bool = True,
    last_points: bool = True,
    defer_data: bool = False,
    whole_charts: bool = False,
) -> Loaded:
    """Read the goals root named by `given` (or found from cwd).

    With `cache` (and unless CATCHBALL_NO_CACHE is set), files read before
    with the same bytes come from the parse cache (catchball/load/cache.py).
    With `freeze`, what was loaded is moved out of the cyclic collector's
    sight (gc.freeze) and the collector is switched off, which makes the
    graph, rules and views faster; it is a process-wide step, so only a
    process that runs one command and ends (the CLI) asks for it. With
    `last_points`, worker processes work out the last point of each measure
    whose CSV they read (what a check's rules ask); a command that draws
    every chart whole (`measures`) asks for `whole_charts` instead: the
    workers draw the chart of each measure whose CSV they read. With `defer_data`, the
    workers read the CSV files after their last goals file, while the
    caller goes on (a check runs its first rules), and the data is attached
    when the caller calls loaded.attach_data(). Raises NoGoalsError or
    SettingsError when the command cannot run.
    """
    root = discover(given, cwd)
    goal_files = [f for f in root.files if f != SETTINGS_FILE]
    if not goal_files:
        raise NoGoalsError(f"no goals found: no *.yaml or *.yml files under {root.display}")
    # Imported here: catchball.settings reads YAML with this package's modules,
    # so importing it at the top would make `import catchball.settings` circular.
    from catchball.settings import read_settings

    settings, settings_findings = read_settings(root.settings_file, root.display_path(SETTINGS_FILE))
    goals = GoalSet(root=root.path, display_root=root.display, settings=settings)
    goals.settings_present = root.settings_file.is_file()
    loaded = Loaded(goals, list(settings_findings), list(root.skipped))
    store = ParseCache.open(settings) if cache else None
    later = loaded._later  # workers that read CSV files of measure data after their goals files
    with _collector_paused(keep_off=freeze):
        # What the workers work out of each series they read, for the measure taking it.
        work_out = partial(worked_chart, settings.spc) if whole_charts else \
            partial(worked_last, settings.spc) if last_points else None
        parts = _read_all(root, goal_files, later, work_out) if store is None else \
            _read_through(root, goal_files, store, later, work_out)
        for done, part in enumerate(parts, 1):
            merge(loaded, part)
            if progress is not None:
                progress(done, len(goal_files))
        loaded._attach = partial(_attach_data, loaded, root, store, goal_files)
        loaded._store = store
        if not defer_data:
            loaded.attach_data()
            loaded.finish()
        if freeze:
            # What was loaded lives until the command ends: keep the cyclic collector
            # from scanning it again and again while the graph and rules allocate.
            # Frozen before the collector is back on: its first collection would
            # otherwise scan every object loaded (0.1 s at 20,000 staff).
            gc.freeze()
            # And then off for the rest of the command (keep_off): a run of check
            # or report makes few reference cycles, but its collections (3 to 7
            # full ones at 20,000 staff) cost 13 to 19% of its CPU time; peak
            # memory was the same with the collector off (docs/performance.md).
    return loaded


def _attach_data(loaded: Loaded, root: GoalsRoot, store: ParseCache | None, goal_files: list[str]) -> list[Finding]:
    with _collector_paused():
        return attach_measure_data(loaded.goals, root, store, _read_beside(loaded._later, root, goal_files))


def _read_beside(later: list, root: GoalsRoot, goal_files: list[str]) -> dict:
    """The CSV files the workers read beside the goals files naming them, by real path.

    A file two workers read (named from goals files of both) is taken as
    read beside the first of those goals files, as reading them here in
    order would: whichever worker got there first, the load is the same.
    """
    found = [pair for afterwards in later for pair in afterwards.collect()]
    if not found:
        return {}  # no workers, or no CSV files: no order of every goals file to build
    order = {root.display_path(relative): i for i, relative in enumerate(goal_files)}
    found.sort(key=lambda pair: order.get(pair[1][4], len(order)))  # stable: a worker's own order kept
    data: dict = {}
    for real, table in found:
        data.setdefault(real, table)
    return data


def _read_all(root: GoalsRoot, files: list[str], later: list, work_out) -> Iterator[FileGoals]:
    workers = worker_count(root, files)
    if workers > 1:
        return _in_workers(root, files, workers, None, later, work_out)
    return (read_one(root, relative) for relative in files)


def _in_workers(root: GoalsRoot, files: list[str], workers: int, store: ParseCache | None, later: list, work_out):
    # Each worker also reads the CSV files its files' measures name, once it
    # has read its last goals file (its own copies of the sets of files read
    # and of shared periods: forked); it writes the cache entries it held once
    # it has sent what it read (ParseCache.hold_records).
    after = partial(_named_data, root, store, work_out, set(), {})
    if store is None or later is None:  # no tail to write them in: entries are written as files are read
        return read_parallel(root, files, workers, partial(read_one, store=store, packed=True), _data_named, after, later)
    read = partial(_read_holding, store=store)
    return read_parallel(root, files, workers, read, _data_named, after, later, store.write_held)


HELD_BYTES = 64 * 1024 * 1024  # of goals files, per worker: the entries of 20,000 staff are all held


def _read_holding(root: GoalsRoot, relative: str, store: ParseCache):
    """read_one in a worker, whose cache entries are held, to be written once its tail is sent (ParseCache.hold_records)."""
    store.hold_records(HELD_BYTES)  # this worker's own copy of the store (the parent writes as it reads)
    return read_one(root, relative, store, packed=True)


def _data_named(record: list) -> tuple[str, list] | None:
    """(the goals file, its measures' uses of CSV files) of a record that names any (records.data_uses)."""
    uses = data_uses(record)
    return (record[0], uses) if uses else None


def _named_data(root: GoalsRoot, store: ParseCache | None, work_out, done: set, shared: dict, noted) -> list:
    source, uses = noted
    with reading(source):  # an internal error names the goals file whose data was being read
        return read_named_data(root, uses, store, done, shared, work_out, source)


def _read_through(root: GoalsRoot, files: list[str], store: ParseCache, later: list, work_out) -> Iterator[FileGoals]:
    """Each file's FileGoals in order, from the cache where its entry holds, else read and stored."""
    if worker_count(root, files) == 1:
        # One pass: each file's bytes are read once, looked up, and parsed on a miss.
        for relative in files:
            yield read_one(root, relative, store)
        return
    if store.holds_nothing():
        # A first run, or a CI job that keeps no cache: every file is a miss, so none
        # is read and hashed here only to find that out (0.1 s at 20,000 staff).
        store.misses += len(files)
        yield from _read_misses(root, files, store, later, work_out)
        return
    # Look everything up first, so that workers are started only for the misses
    # (none on a warm run). A worker reads its file again and keys the entry by
    # the bytes it parsed, so a file changed in between is never stored stale.
    looked = [_cached(root, relative, store) for relative in files]
    misses = [relative for relative, part in zip(files, looked) if part is None]
    fresh = iter(_read_misses(root, misses, store, later, work_out) if misses else ())
    for part in looked:
        yield part if part is not None else next(fresh)


def _read_misses(root: GoalsRoot, misses: list[str], store: ParseCache, later: list, work_out) -> Iterator[FileGoals]:
    workers = worker_count(root, misses)
    if workers > 1:
        store.written += 1  # the workers write the entries: the sweep must still run here
        return _in_workers(root, misses, workers, store, later, work_out)
    return (read_one(root, relative, store) for relative in misses)


def _cached(root: GoalsRoot, relative: str, store: ParseCache) -> FileGoals | None:
    display = root.display_path(relative)
    try:
        raw = read_bounded(root.path / relative)
    except (OSError, LimitExceeded):
        return None  # read again, to report why
    return store.get(store.key(display, raw), display)


def read_one(root: GoalsRoot, relative: str, store: ParseCache | None = None, packed: bool = False):
    """One goals file's FileGoals; with `packed`, as its record (load/records.py), as a worker sends it back."""
    display = root.display_path(relative)
    with reading(display):  # an internal error names the file
        return _read_one(root, relative, display, store, packed)


def _read_one(root: GoalsRoot, relative: str, display: str, store: ParseCache | None, packed: bool):
    part, record = _read_part(root, relative, display, store)
    if not packed:
        return part
    return record if record is not None else pack(part)


def _read_part(root: GoalsRoot, relative: str, display: str, store: ParseCache | None):
    """(FileGoals, its record if it was packed for the cache, else None)."""
    try:
        raw = read_bounded(root.path / relative)
    except OSError as exc:
        message = f"cannot be read: {exc.strerror or exc}"
        return FileGoals(display, findings=[new_finding("CB101", message, None, Span(display, 1, 1))]), None
    except LimitExceeded as exc:
        return FileGoals(display, findings=[new_finding("CB101", str(exc), None, Span(display, 1, 1))]), None
    if store is None:
        return read_goals_file(raw, display), None
    key = store.key(display, raw)
    part = store.get(key, display)
    if part is not None:
        return part, None
    part = read_goals_file(raw, display)
    record = pack(part)  # once: the cache entry and a worker's answer are the same record
    store.put_record(key, record, len(raw))
    return part, record


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
                        kind,
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
def _collector_paused(keep_off: bool = False) -> Iterator[None]:
    # The loader allocates millions of small objects and frees almost none;
    # the cyclic collector would rescan them all repeatedly (NOTES.md: 60% of
    # load time). Nothing here makes reference cycles that need collecting.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled and not keep_off:
            gc.enable()
