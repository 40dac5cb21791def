"""Measure data kept in CSV files, and measure ids: the loader's last pass.

Runs once every goals file is read and merged, because a CSV file may hold
the series of measures defined in many goals files, and a `measure` column
can only be checked against every measure id. Each CSV file is read once,
however many measures name it, with the goals files' limits: at most
MAX_FILE_BYTES, a regular file, never through a link out of the goals root.

Where faults go (spec, "Measure data"): a CSV row's fault at the row's line,
column 1; a missing column at line 1; a repeated period at the repeat; a
missing, unreadable or outside file at the measure's `data` key. Decisions
where the spec is silent (docs/measures.md, "Recording data"):

- a file with a `measure` column gives each measure the rows naming its id;
  a measure without an id cannot take its rows from such a file (CB601 at
  its `data` key). A row naming a measure whose `data` is not this file is
  CB601 on that measure (its series would be split between places);
- a row with no value in the `measure` column of such a file is CB601 with
  no id, as a row naming an unknown measure is;
- a row with more filled fields than the header is CB601 (usually a comma
  in a note that needs quotes); fewer fields leave the rest empty;
- a measure whose id repeats an earlier one (CB104) cannot take rows from a
  file with a `measure` column: they belong to the first definition.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import posixpath
import sys
from array import array
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from catchball.findings import MEASURE, Finding, FindingCollector
from catchball.load import series as S
from catchball.load.cache import CsvSeries, ParseCache
from catchball.load.discover import GoalsRoot
from catchball.load.limits import LimitExceeded, read_bounded
from catchball.load.parallel import forked_map, worker_count
from catchball.model import Aim, GoalSet, Measure, Objective, Span
from catchball.spc import PackedChart, Series, SpcSettings, kept_last, last_point, pack_chart, xmr

COLUMNS = ("period", "date", "value", "measure", "note", "recalculate")


# A CSV row as read: (line, the `measure` cell or None, an Entry or None, the fault or None).
# Tuples, not objects: a national repository has millions of rows.
_Row = tuple

@dataclass(slots=True)
class _Table:
    """One CSV file as read: a fault that spoils it all, or its rows."""

    display: str
    fault: str | None = None  # the file cannot be used at all: reported at each `data` key
    fault_line: int | None = None  # ... or at this line of the file (header, undecodable bytes)
    by_measure: bool = False  # has a `measure` column
    rows: list = field(default_factory=list)
    # Read the quick way (see _read_quickly) or from the cache: each measure
    # id's series (None without a `measure` column), and the bytes, to read
    # row by row after all (a row for another measure is a finding at its line).
    series: dict[str | None, Series] | None = None
    raw: bytes = b""
    # Read by a worker beside a goals file (read_named_data): that file, and for each
    # series it worked the last point out for, what spc.kept_last keeps (_give_known).
    source: str | None = None
    known: dict | None = None


@dataclass(slots=True)
class _Use:
    """A measure that gives a CSV path, with its element."""

    element: Aim | Objective
    index: int
    measure: Measure
    points: tuple = ()
    fault: bool = False


def attach_measure_data(
    goals: GoalSet, root: GoalsRoot, store: ParseCache | None = None, read_before: dict | None = None
) -> list[Finding]:
    """Check measure ids (CB104) and read every CSV the measures name (CB601).

    With `store`, a CSV file's series come from the parse cache when its
    bytes and path are those it was read from before (only files read
    without a fault are stored: the others are read again to report them).
    `read_before` holds the CSV files the worker processes read beside the
    goals files that name them (read_named_data), by real path.

    Fills in the points read for each measure that takes its data from a
    file, or marks it faulty.
    """
    collector = FindingCollector()
    if not any(m.id is not None or m.data_file is not None for m in _all_measures(goals)):
        return []  # a v1 repository: nothing to do, and no sort of every element
    measures = _measures_in_read_order(goals)
    first_by_id = _measure_ids(measures, collector)
    uses = [_Use(element, index, m) for element, index, m in measures if m.data_file is not None]
    if not uses:
        return collector.findings()
    resolved: dict[str, tuple[str, str] | str] = {}  # a path as written -> where it is, or why refused
    for real, found in (read_before or {}).items():  # as the workers resolved them, beside the goals files
        for written in found[3]:
            resolved[written] = (real, found[0])
    by_file: dict[str, list[_Use]] = {}  # real path -> the measures naming it, in read order
    display_of: dict[str, str] = {}
    for use in uses:
        written = use.measure.data_file
        where = resolved.get(written)
        if where is None:
            where = resolved[written] = _resolve(root, written)
        if isinstance(where, str):  # the reason it is refused
            _fault_at_key(collector, use, where)
            continue
        real, display = where
        by_file.setdefault(real, []).append(use)
        display_of[real] = display
    spoiled: set[tuple[str, int]] = set()
    shared: dict[tuple[str, ...], tuple] = {}  # periods -> (one shared tuple, its order), across files
    tables = _read_tables(root, by_file, display_of, first_by_id, shared, store, read_before or {})
    for (real, users), table in zip(by_file.items(), tables):  # each file read once, and let go once shared out
        if table.fault is None:
            spoiled |= _share_out(table, users, first_by_id, collector)
            continue
        for use in users:
            if table.fault_line is None:
                _fault_at_key(collector, use, f"{table.display}: {table.fault}")
            else:
                collector.add("CB601", table.fault, use.element.id, Span(table.display, table.fault_line, 1), MEASURE)
                use.fault = True
    _fill_measures(goals, uses, spoiled)
    return collector.findings()


def _all_measures(goals: GoalSet):
    for table in (goals.aims, goals.objectives):
        for element in table.values():
            yield from element.measures


def _measures_in_read_order(goals: GoalSet) -> list[tuple[Aim | Objective, int, Measure]]:
    order = {file: i for i, file in enumerate(goals.files)}
    elements = [e for e in (*goals.aims.values(), *goals.objectives.values()) if e.measures]
    elements.sort(key=lambda e: (order.get(e.span.file, len(order)), e.span.line, e.span.column))
    return [(e, i, m) for e in elements for i, m in enumerate(e.measures)]


def _measure_ids(measures, collector: FindingCollector) -> dict[str, tuple]:
    """The first definition of each measure id; a second one is CB104 at that measure."""
    first: dict[str, tuple] = {}
    for element, index, measure in measures:
        if measure.id is None:
            continue
        seen = first.get(measure.id)
        if seen is not None:
            where = seen[2].span
            collector.add(
                "CB104",
                f"measure id {measure.id} is already defined at {where.file}:{where.line}",
                element.id,
                measure.span,
                MEASURE,
            )
            continue
        first[measure.id] = (element, index, measure)
    return first


def _resolve(root: GoalsRoot, written: str) -> tuple[str, str] | str:
    """(real path, display path) of a CSV path inside the goals root, or why it is refused."""
    text = written.strip()
    if not text:
        return "`data` names no file"
    if text.startswith(("/", "\\")) or (len(text) > 1 and text[1] == ":") or "\\" in text:
        return f"`data` {S.quoted(text)} must be a path relative to the goals root, with `/` between folders"
    relative = posixpath.normpath(text)
    if relative == ".." or relative.startswith("../") or ".." in text.split("/"):
        return f"`data` {S.quoted(text)} leaves the goals root (`..`): keep data files under it"
    if "\x00" in relative:
        return f"`data` {S.quoted(text)} is not a file name"
    display = root.display_path(relative)
    full = root.path / relative
    try:
        real = full.resolve(strict=True)
    except FileNotFoundError:
        return f"{display}: no such file"
    except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long
        return f"{display}: cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if not real.is_relative_to(root.real_path):
        return f"{display}: a symlink to outside the goals root, not followed: keep data files under it"
    if real.is_dir():
        return f"{display}: a folder, not a CSV file"
    return str(real), display


def _fault_at_key(collector: FindingCollector, use: _Use, message: str) -> None:
    collector.add("CB601", message, use.element.id, use.measure.data_span, MEASURE)
    use.fault = True


def _read_tables(
    root: GoalsRoot, by_file: dict, display_of: dict, first_by_id: dict, shared: dict, store, read_before: dict
):
    """The table of each file of `by_file`, in its order: read by worker processes when there are many.

    A file the workers read beside the goals file naming it is taken as they
    read it when its rows all belong to measures that take them (as
    _read_in_workers decides); the rest are read here, or by workers.
    """
    ready = set()
    for real, users in by_file.items():
        found = read_before.get(real)
        if found is not None:
            display, by_measure, series, _, _ = found
            if display == display_of[real] and (not by_measure or _ids_taken(users, first_by_id).issuperset(
                    m for m, _, _, _ in series)):
                ready.add(real)
    rest = [real for real in by_file if real not in ready]
    workers = worker_count(root, rest) if rest else 1
    if workers == 1:
        others = (_read_table(Path(real), display_of[real], shared, store) for real in rest)
    else:
        work = [(real, display_of[real], _ids_taken(by_file[real], first_by_id)) for real in rest]
        others = _read_in_workers(work, workers, shared, store)
    return _in_order(by_file, ready, read_before, others, shared)


def _in_order(by_file: dict, ready: set, read_before: dict, others, shared: dict):
    # One table at a time, each let go of once shared out (a national repository's series are millions).
    for real in by_file:
        if real in ready:
            display, by_measure, series, _, source = read_before.pop(real)
            yield _unpacked(display, by_measure, series, shared, source)
        else:
            yield next(others)


def worked_last(settings: SpcSettings, series: Series, direction: str | None, target: float | None):
    """What a worker keeps of a series' last point for a check's rules (spc.kept_last)."""
    return kept_last(last_point(series, direction, target, settings))


def worked_chart(settings: SpcSettings, series: Series, direction: str | None, target: float | None) -> PackedChart:
    """A series' whole chart, as a worker sends it for a command that draws every chart (`measures`)."""
    return pack_chart(xmr(series, direction, target, settings))


def read_named_data(
    root: GoalsRoot, uses: list[tuple], store, done: set, shared: dict, work_out: Callable | None, source: str
) -> list:
    """In a worker that has read the goals file `source`: the CSV files its measures name (after its last goals file).

    `uses` are (path as written, measure id, direction, target) of the
    file's measures that name a CSV file (records.data_uses). Returns
    [(real path, (display path, by_measure, [(measure id, periods, values
    as bytes, kept)], the paths as written that name it, source))] for each
    file read the quick way (_read_quickly, or from the cache); a file with
    a fault, outside the root, or already read by this worker (`done`) is
    left to attach_measure_data, which reports it. Reading it in the workers
    that read the goals saves a second round of workers.

    `kept` is work_out(series, direction, target) (worked_last or
    worked_chart, with the load's SPC settings) for the direction and
    target of the measures here that take the series, when they agree on
    both (else None, and None without `work_out`): worked out here, on every
    core, the check's rules or the charts of `measures` need not be worked
    out one by one after loading (_give_known decides which measure may use
    it).
    """
    found = []
    takers: dict[str, dict] = {}  # real path -> measure id -> [(direction, target) of each measure naming it]
    resolved: dict[str, tuple[str, str] | str] = {}
    for path, measure_id, direction, target in uses:
        where = resolved.get(path)
        if where is None:
            where = resolved[path] = _resolve(root, path)
        if isinstance(where, str) or (where[0] in done and where[0] not in takers):
            continue
        real, display = where
        if real not in takers:
            done.add(real)
            takers[real] = {}
            found.append((real, display))
        takers[real].setdefault(measure_id, []).append((direction, target))
    spellings: dict[str, list[str]] = {}
    for path, where in resolved.items():
        if not isinstance(where, str) and where[0] in takers:
            spellings.setdefault(where[0], []).append(path)
    tables = []
    for real, display in found:
        table = _read_table(Path(real), display, shared, store)
        if table.series is None:
            continue
        wanted = takers[real]
        series = []
        for measure_id, s in table.series.items():
            asked = wanted.get(measure_id) if table.by_measure else [d for m in wanted.values() for d in m]
            kept = None
            if work_out is not None and asked and len(set(asked)) == 1 and asked[0][0] in ("up", "down", None):
                kept = work_out(s, *asked[0])
            series.append((measure_id, s.periods, s.values.tobytes(), kept))
        tables.append((real, (display, table.by_measure, series, tuple(spellings[real]), source)))
    return tables


def _unpacked(display: str, by_measure: bool, series: list, shared: dict, source: str | None) -> _Table:
    """A table as a worker sent it back: (measure id, periods, values as bytes, kept) for each series."""
    table = _Table(display, by_measure=by_measure, source=source, known={})
    table.series = {}
    for measure_id, periods, values, kept in series:
        table.series[measure_id] = Series(_shared_periods(periods, shared), array("d", values))
        if kept is not None:
            table.known[measure_id] = kept
    return table


def _give_known(table: _Table, measure_id: str | None, use: _Use) -> None:
    """Give the series `use` takes what the worker worked out of its last point or chart, if for this measure.

    The worker worked it out for the measures of the goals file it read
    (table.source) that take the series, when they agree on direction and
    target, with this load's settings (it was forked from this load). `use`
    is the one measure that takes the series here; if it is written in that
    file, it is one of those measures, so the direction and target are its own.
    """
    if table.known and use.element.span.file == table.source:
        kept = table.known.get(measure_id)
        if kept is not None:
            table.series[measure_id].known = kept


def _ids_taken(users: list[_Use], first_by_id: dict) -> frozenset:
    """The measure ids that take rows from a file with a `measure` column (as _share_out decides)."""
    return frozenset(
        use.measure.id for use in users
        if use.measure.id is not None and first_by_id.get(use.measure.id, (None, None, None))[2] is use.measure
    )


def _read_in_workers(work: list, workers: int, shared: dict, store):
    # Forked, as the goals files are read (load/parallel.py). A worker sends
    # back the series of a file it read by column whose rows all belong to
    # measures that take them, the periods once per file and the values as
    # bytes; for any other file it sends None and the file is read here, row
    # by row, to report its faults.
    job = partial(_read_packed, store=store, shared={})  # each worker's own copy of `shared`
    for (real, display, _), packed in zip(work, forked_map(work, workers, job, _display_of)):
        if packed is None:
            yield _read_table(Path(real), display, shared, store)
            continue
        by_measure, series = packed
        yield _unpacked(display, by_measure, series, shared, None)


def _display_of(item: tuple) -> str:
    return item[1]


def _read_packed(item: tuple, store, shared: dict):
    real, display, taken = item
    table = _read_table(Path(real), display, shared, store)
    if table.series is None or (table.by_measure and not taken.issuperset(table.series)):
        return None
    return table.by_measure, [(m, s.periods, s.values.tobytes(), None) for m, s in table.series.items()]


def _read_table(path: Path, display: str, shared: dict, store: ParseCache | None = None) -> _Table:
    table = _Table(display)
    try:
        raw = read_bounded(path)
    except OSError as exc:
        table.fault = f"cannot be read: {exc.strerror or exc}"
        return table
    except LimitExceeded as exc:
        table.fault = str(exc)
        return table
    key = store.series_key(display, raw) if store is not None else None
    cached = store.get_series(key, display) if store is not None else None
    if cached is not None:
        table.by_measure, table.raw = cached.by_measure, raw
        table.series = {m: _shared_series(s, shared) for m, s in cached.series.items()}
        return table
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        table.fault = "not UTF-8 text: save the file as CSV UTF-8"
        table.fault_line = raw[: exc.start].count(b"\n") + 1
        return table
    if not _read_quickly(text, table, shared):
        _read_rows(text, table)
        return table
    table.raw = raw
    if store is not None:
        store.put_series(key, CsvSeries(display, table.by_measure, table.series))
    return table


def _shared_series(series: Series, shared: dict) -> Series:
    """A series from the cache, its periods (in order) made the tuple every such series shares."""
    periods = _shared_periods(series.periods, shared)
    return series if periods is series.periods else Series(periods, series.values)


def _shared_periods(periods: tuple[str, ...], shared: dict) -> tuple[str, ...]:
    """The one tuple kept for these periods in order (as reading here gives them), or these, now kept."""
    known = shared.get(periods)
    if known is None or known[1] is not None:
        shared.setdefault(periods, (periods, None))
        return periods
    return known[0]


def _read_quickly(text: str, table: _Table, shared: dict) -> bool:
    """Read a table whose every row is as it should be in a few passes over its columns.

    The common case (a header on line 1, every row as wide as the header,
    every period and number clean, no notes, no `recalculate`, each series
    with each period once and of one kind) gives exactly what reading row by
    row gives, at a fraction of the cost: a team's CSV holds tens of
    thousands of cells. Anything else returns False, and the table is read
    row by row (_read_rows), which finds each fault with its line.
    """
    split = _split_plain(text) or _split_csv(text)
    if split is None:
        return False
    names, columns = split
    header = _header(names, _Table(table.display), 1)
    if header is None:
        return False
    for name in ("note", "recalculate"):
        index = header.get(name)
        if index is not None and "".join(columns[index]).strip():
            return False
    written = columns[header["period"]]
    cells = columns[header["value"]]
    joined = "".join(cells)
    if not joined.isascii() or "_" in joined:  # what number_from_text reads with float() alone
        return False
    try:
        values = array("d", map(float, cells))
    except ValueError:  # an empty cell (a missing point), `12%`, a word
        return False
    if not all(map(math.isfinite, values)):
        return False
    runs: dict[str | None, list[tuple[int, int]]] = {}  # measure id -> its stretches of rows
    if "measure" in header:
        start = 0
        for measure_id, group in itertools.groupby(columns[header["measure"]]):
            end = start + len(list(group))
            runs.setdefault(measure_id, []).append((start, end))
            start = end
        if any(not m or m != m.strip() for m in runs):
            return False
    else:
        runs[None] = [(0, len(written))]
    series = {}
    for measure_id, stretches in runs.items():
        periods = tuple(itertools.chain.from_iterable(written[a:b] for a, b in stretches))
        known = shared.get(periods)  # most series have the same periods: judged once, kept once
        if known is None:
            periods = tuple(map(sys.intern, periods))
            known = _periods_in_order(periods)
            if known is not False:  # the same periods in order are one tuple however they were written
                ordered = shared.setdefault(known[0], (known[0], None))[0]
                known = (ordered, known[1])
            shared[periods] = known
        if known is False:
            return False
        periods, order = known
        got = values[stretches[0][0] : stretches[0][1]] if len(stretches) == 1 else \
            array("d", itertools.chain.from_iterable(values[a:b] for a, b in stretches))
        if order is not None:
            got = array("d", (got[i] for i in order))
        series[measure_id] = Series(periods, got)
    table.by_measure, table.series = "measure" in header, series
    return True


def _split_plain(text: str) -> tuple[list[str], list] | None:
    """(header cells, columns of the rows below) of CSV text with no quotes, every line as wide.

    Such text is what csv.reader would read by splitting each line at its
    commas; splitting it all at once is about four times faster. None when
    the text has quotes, a lone CR, a NUL, a blank line or lines of
    different widths (csv.reader then reads it).
    """
    if '"' in text or "\x00" in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if len(lines) < 2:
        return None
    header = lines[0].split(",")
    width = len(header)
    if set(map(str.count, lines, itertools.repeat(",", len(lines)))) != {width - 1}:
        return None
    cells = ",".join(lines[1:]).split(",")
    return header, [cells[i::width] for i in range(width)]


def _split_csv(text: str) -> tuple[list[str], list] | None:
    """(header cells, columns of the rows below) as csv.reader reads them, or None unless every row is as wide."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return None
    if len(rows) < 2 or not "".join(rows[0]).strip():
        return None
    width, body = len(rows[0]), rows[1:]
    if set(map(len, body)) != {width}:
        return None
    return rows[0], list(zip(*body))


def _periods_in_order(periods: tuple[str, ...]):
    """(periods in order, the order to put values in or None), or False when reading row by row finds a fault.

    A fault: a period not as _row reads it (spaces around it, not a month or
    a date), or as build_series judges a series: a period twice, months
    mixed with dates.
    """
    if any(p != p.strip() or S.period_fault(p) is not None for p in set(periods)):
        return False
    if len(set(periods)) != len(periods) or len({len(p) == 7 for p in periods}) > 1:
        return False
    if all(a < b for a, b in zip(periods, periods[1:])):
        return periods, None
    order = sorted(range(len(periods)), key=periods.__getitem__)
    return tuple(periods[i] for i in order), order


def _read_rows(text: str, table: _Table) -> None:
    """Read a table row by row: each row's fault at its line (see _row)."""
    table.series, table.raw = None, b""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 0
    periods: dict[str, tuple[str, str | None]] = {}  # period -> (one shared string, its fault)
    try:
        header = None
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not "".join(cells).strip():
                continue  # blank lines are no rows
            if header is None:
                header = _header(cells, table, start)
                if header is None:
                    return
                continue
            table.rows.append(_row(cells, header, start, table.by_measure, periods))
    except csv.Error as exc:
        table.fault = f"not readable as CSV: {exc}"
        table.fault_line = line + 1
        table.rows = []
        return
    if header is None:
        table.fault, table.fault_line = "no header row: the first line names the columns (period, value)", 1


def _header(cells: list[str], table: _Table, line: int) -> dict[str, int] | None:
    """Column name -> index, or None with the fault set (missing, twice, period and date)."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = cell.strip().lower()
        if name not in COLUMNS:
            continue  # other columns are the user's own
        if name in columns:
            table.fault, table.fault_line = f"the header gives the column `{name}` twice: keep one", line
            return None
        columns[name] = index
    if "period" in columns and "date" in columns:
        table.fault, table.fault_line = "the header has both `period` and `date`: keep one", line
        return None
    if "date" in columns:
        columns["period"] = columns.pop("date")
    missing = [name for name in ("period", "value") if name not in columns]
    if missing:
        names = " and ".join(f"`{name}`" for name in missing)
        table.fault = f"no {names} column (the header names the columns: period, value)"
        table.fault_line = line
        return None
    columns["_width"] = len(cells)
    table.by_measure = "measure" in columns
    return columns


def _row(cells: list[str], header: dict[str, int], line: int, by_measure: bool, periods: dict) -> _Row:
    width = len(cells)
    measure = None
    if by_measure:
        index = header["measure"]
        measure = cells[index].strip() if index < width else ""
    if width > header["_width"] and any(c.strip() for c in cells[header["_width"]:]):
        fault = f"{width} fields, but the header has {header['_width']} (a comma in a note? put it in double quotes)"
        return (line, measure, None, fault)
    index = header["period"]
    period = cells[index].strip() if index < width else ""
    seen = periods.get(period)
    if seen is None:  # periods repeat from series to series: each is judged once, and kept once
        seen = periods[period] = (sys.intern(period), S.period_fault(period))
    period, fault = seen
    if fault is not None:
        return (line, measure, None, fault)
    index = header["value"]
    text = cells[index] if index < width else ""
    try:
        value = S.number_from_text(text)
    except ValueError as exc:
        return (line, measure, None, f"{period}: {exc}")
    note = recalculate = None
    index = header.get("note")
    if index is not None and index < width:
        note = cells[index].strip() or None
    index = header.get("recalculate")
    if index is not None and index < width:
        recalculate = bool(cells[index].strip())
    return (line, measure, S.Entry(period, value, line, 1, note, bool(recalculate)), None)


def _share_out(table: _Table, users: list[_Use], first_by_id: dict, collector: FindingCollector) -> set[tuple[str, int]]:
    """Give each measure naming `table` its rows; report row faults on the measures they belong to.

    Returns (element id, index) of measures the file gives rows to that do
    not name it: their data is spoiled too.
    """
    spoiled: set[tuple[str, int]] = set()
    if not table.by_measure:
        for use in users:
            if table.series is not None:
                use.points = table.series[None]
                if len(users) == 1:
                    _give_known(table, None, use)
            else:
                _series(use, table.display, table.rows, collector)
        return spoiled
    named: dict[str, _Use] = {}
    for use in users:
        measure = use.measure
        if measure.id is None:
            _fault_at_key(
                collector, use,
                f"{table.display} holds several measures (a `measure` column): give this measure an `id` "
                "to take its rows",
            )
        elif first_by_id.get(measure.id, (None, None, None))[2] is not measure:
            use.fault = True  # a repeated id (CB104): its rows are the first definition's
        else:
            named[measure.id] = use
    if table.series is not None:
        if all(measure_id in named for measure_id in table.series):
            for measure_id, use in named.items():
                use.points = table.series.get(measure_id, S.EMPTY)
                if measure_id in table.series:
                    _give_known(table, measure_id, use)
            return spoiled
        _read_rows(table.raw.decode("utf-8-sig"), table)  # rows for other measures: each is a finding at its line
    rows_of: dict[str, list[_Row]] = {}
    for row in table.rows:
        measure_id = row[1]
        if measure_id in named:
            rows_of.setdefault(measure_id, []).append(row)
        elif not measure_id:
            collector.add("CB601", "no measure id in the `measure` column", None, Span(table.display, row[0], 1))
        elif measure_id in first_by_id:
            element, index, measure = first_by_id[measure_id]
            elsewhere = f"`data: {measure.data_file}`" if measure.data_file else "inline data or none"
            collector.add(
                "CB601",
                f"a row for measure {measure_id}, whose data is not this file ({elsewhere})",
                element.id,
                Span(table.display, row[0], 1),
                MEASURE,
            )
            spoiled.add((element.id, index))
        else:
            collector.add(
                "CB601", f"measure {S.quoted(measure_id)} is not the id of any measure", None,
                Span(table.display, row[0], 1),
            )
    for measure_id, use in named.items():
        _series(use, table.display, rows_of.get(measure_id, []), collector)
    return spoiled


def _series(use: _Use, display: str, rows: list[_Row], collector: FindingCollector) -> None:
    entries = []
    for line, _, entry, fault in rows:
        if fault is not None:
            collector.add("CB601", fault, use.element.id, Span(display, line, 1), MEASURE)
            use.fault = True
        else:
            entries.append(entry)
    points, faults = S.build_series(entries)
    for entry, message in faults:
        collector.add("CB601", message, use.element.id, Span(display, entry.line, 1), MEASURE)
    if faults:
        use.fault = True
    use.points = points


def _fill_measures(goals: GoalSet, uses: list[_Use], spoiled: set[tuple[str, int]]) -> None:
    """Give each measure that reads a file what was read, or mark it faulty."""
    for use in uses:
        fault = use.fault or (use.element.id, use.index) in spoiled
        _fill(use.measure, () if fault else use.points, fault)
    for element_id, index in spoiled:  # measures with rows in a file they do not name
        table = goals.aims if element_id in goals.aims else goals.objectives
        _fill(table[element_id].measures[index], (), True)


def _fill(measure: Measure, points, fault: bool) -> None:
    # In place, though Measure is frozen: these are the loader's own objects,
    # made for this load (by the reader, a worker or the parse cache) and seen
    # by nothing else yet. Copying each measure and its element instead cost
    # 15 MB of peak memory and 0.3 s at 20,000 staff with data (measured).
    object.__setattr__(measure, "points", points)
    object.__setattr__(measure, "data_fault", fault)
