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
import dataclasses
import io
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from catchball.findings import Finding, FindingCollector
from catchball.load import series as S
from catchball.load.discover import GoalsRoot
from catchball.load.limits import LimitExceeded, read_bounded
from catchball.model import Aim, GoalSet, Measure, Objective, Span

COLUMNS = ("period", "date", "value", "measure", "note", "recalculate")


@dataclass(slots=True)
class _Row:
    line: int
    measure: str | None  # the `measure` cell, when the file has that column
    entry: S.Entry | None  # None when the row has a fault
    fault: str | None = None


@dataclass(slots=True)
class _Table:
    """One CSV file as read: a fault that spoils it all, or its rows."""

    display: str
    fault: str | None = None  # the file cannot be used at all: reported at each `data` key
    fault_line: int | None = None  # ... or at this line of the file (header, undecodable bytes)
    by_measure: bool = False  # has a `measure` column
    rows: list[_Row] = field(default_factory=list)


@dataclass(slots=True)
class _Use:
    """A measure that gives a CSV path, with its element."""

    element: Aim | Objective
    index: int
    measure: Measure
    table: _Table | None = None
    points: tuple = ()
    fault: bool = False


def attach_measure_data(goals: GoalSet, root: GoalsRoot) -> list[Finding]:
    """Check measure ids (CB104) and read every CSV the measures name (CB601).

    Replaces the aims and objectives whose measures take data from a file
    with copies holding the points read, or marked faulty.
    """
    collector = FindingCollector()
    if not any(m.id is not None or m.data_file is not None for m in _all_measures(goals)):
        return []  # a v1 repository: nothing to do, and no sort of every element
    measures = _measures_in_read_order(goals)
    first_by_id = _measure_ids(measures, collector)
    uses = [_Use(element, index, m) for element, index, m in measures if m.data_file is not None]
    if not uses:
        return collector.findings()
    tables: dict[str, _Table] = {}
    for use in uses:
        where = _resolve(root, use.measure.data_file)
        if isinstance(where, str):  # the reason it is refused
            _fault_at_key(collector, use, where)
            continue
        real, display = where
        table = tables.get(real)
        if table is None:
            table = tables[real] = _read_table(Path(real), display)
        use.table = table
        if table.fault is not None:
            if table.fault_line is None:
                _fault_at_key(collector, use, f"{display}: {table.fault}")
            else:
                collector.add("CB601", table.fault, use.element.id, Span(display, table.fault_line, 1))
                use.fault = True
    spoiled = _take_rows(uses, tables, first_by_id, collector)
    _replace_measures(goals, uses, spoiled)
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
    if not real.is_relative_to(root.path.resolve()):
        return f"{display}: a symlink to outside the goals root, not followed: keep data files under it"
    if real.is_dir():
        return f"{display}: a folder, not a CSV file"
    return str(real), display


def _fault_at_key(collector: FindingCollector, use: _Use, message: str) -> None:
    collector.add("CB601", message, use.element.id, use.measure.data_span)
    use.fault = True


def _read_table(path: Path, display: str) -> _Table:
    table = _Table(display)
    try:
        raw = read_bounded(path)
    except OSError as exc:
        table.fault = f"cannot be read: {exc.strerror or exc}"
        return table
    except LimitExceeded as exc:
        table.fault = str(exc)
        return table
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        table.fault = "not UTF-8 text: save the file as CSV UTF-8"
        table.fault_line = raw[: exc.start].count(b"\n") + 1
        return table
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 0
    try:
        header = None
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank lines are no rows
            if header is None:
                header = _header(cells, table, start)
                if header is None:
                    return table
                continue
            table.rows.append(_row(cells, header, start, table.by_measure))
    except csv.Error as exc:
        table.fault = f"not readable as CSV: {exc}"
        table.fault_line = line + 1
        table.rows = []
        return table
    if header is None:
        table.fault, table.fault_line = "no header row: the first line names the columns (period, value)", 1
    return table


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


def _row(cells: list[str], header: dict[str, int], line: int, by_measure: bool) -> _Row:
    def cell(name: str) -> str:
        index = header.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    measure = cell("measure").strip() if by_measure else None
    if len(cells) > header["_width"] and any(c.strip() for c in cells[header["_width"]:]):
        fault = f"{len(cells)} fields, but the header has {header['_width']} (a comma in a note? put it in double quotes)"
        return _Row(line, measure, None, fault)
    period = cell("period").strip()
    fault = S.period_fault(period)
    if fault is not None:
        return _Row(line, measure, None, fault)
    try:
        value = S.number_from_text(cell("value"))
    except ValueError as exc:
        return _Row(line, measure, None, f"{period}: {exc}")
    note = cell("note").strip() or None
    return _Row(line, measure, S.Entry(period, value, line, 1, note, bool(cell("recalculate").strip())))


def _take_rows(
    uses: list[_Use], tables: dict[str, _Table], first_by_id: dict, collector: FindingCollector
) -> set[tuple[str, int]]:
    """Give each measure its rows; report row faults on the measures they belong to.

    Returns (element id, index) of measures a file gives rows to that they do
    not take: their data is spoiled too.
    """
    spoiled: set[tuple[str, int]] = set()
    readers: dict[int, list[_Use]] = {}  # id(table) -> the measures that name it
    for use in uses:
        if use.table is not None and use.table.fault is None:
            readers.setdefault(id(use.table), []).append(use)
    for table in tables.values():
        users = readers.get(id(table), [])
        if not users:
            continue
        if not table.by_measure:
            for use in users:
                _series(use, table.rows, collector)
            continue
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
        rows_of: dict[str, list[_Row]] = {}
        for row in table.rows:
            if not row.measure:
                collector.add("CB601", "no measure id in the `measure` column", None, Span(table.display, row.line, 1))
            elif row.measure in named:
                rows_of.setdefault(row.measure, []).append(row)
            elif row.measure in first_by_id:
                element, _, measure = first_by_id[row.measure]
                elsewhere = f"`data: {measure.data_file}`" if measure.data_file else "inline data or none"
                collector.add(
                    "CB601",
                    f"a row for measure {row.measure}, whose data is not this file ({elsewhere})",
                    element.id,
                    Span(table.display, row.line, 1),
                )
                spoiled.add((element.id, first_by_id[row.measure][1]))
            else:
                collector.add(
                    "CB601", f"measure {S.quoted(row.measure)} is not the id of any measure", None,
                    Span(table.display, row.line, 1),
                )
        for measure_id, use in named.items():
            _series(use, rows_of.get(measure_id, []), collector)
    return spoiled


def _series(use: _Use, rows: list[_Row], collector: FindingCollector) -> None:
    display = use.table.display
    entries = []
    for row in rows:
        if row.fault is not None:
            collector.add("CB601", row.fault, use.element.id, Span(display, row.line, 1))
            use.fault = True
        else:
            entries.append(row.entry)
    points, faults = S.build_series(entries)
    for entry, message in faults:
        collector.add("CB601", message, use.element.id, Span(display, entry.line, 1))
    if faults:
        use.fault = True
    use.points = points


def _replace_measures(goals: GoalSet, uses: list[_Use], spoiled: set[tuple[str, int]]) -> None:
    """Copies of the elements whose measures read a file, holding what was read."""
    changed: dict[str, dict[int, Measure]] = {}
    for use in uses:
        fault = use.fault or (use.element.id, use.index) in spoiled
        new = dataclasses.replace(use.measure, points=() if fault else use.points, data_fault=fault)
        changed.setdefault(use.element.id, {})[use.index] = new
    for element_id, index in spoiled:
        replaced = changed.setdefault(element_id, {})
        if index not in replaced:
            table = goals.aims if element_id in goals.aims else goals.objectives
            measure = table[element_id].measures[index]
            replaced[index] = dataclasses.replace(measure, points=(), data_fault=True)
    for element_id, replaced in changed.items():
        table = goals.aims if element_id in goals.aims else goals.objectives
        element = table[element_id]
        measures = tuple(replaced.get(i, m) for i, m in enumerate(element.measures))
        table[element_id] = dataclasses.replace(element, measures=measures)
