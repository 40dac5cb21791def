"""A measure's series, from entries read inline or from CSV rows.

Both readers turn what was written into Entry values (a valid period, a
number or None for a missing point, and where it was written); this module
checks what only the whole series can show (a period given twice, months
mixed with dates), puts the points in period order and leaves the missing
ones out, as the spec says.
"""

from __future__ import annotations

import math
import re
from array import array
from dataclasses import dataclass

from catchball.asof import period_kind
from catchball.spc import Series

# A decimal number with `.` as the decimal mark, optionally followed by `%`
# (ignored). Thousands separators are refused: `1,234` in a CSV is two fields
# unless quoted, and a quoted one is ambiguous across locales.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
SHOWN = 40  # characters of a faulty cell quoted in a message
EMPTY = Series((), array("d"))


@dataclass(slots=True)
class Entry:
    """One written point: `value` None is a missing point (kept to catch a repeated period)."""

    period: str
    value: float | None
    line: int
    column: int
    note: str | None = None
    recalculate: bool = False


def quoted(text: str) -> str:
    """A cell as a message quotes it: repr, cut at SHOWN characters."""
    return repr(text if len(text) <= SHOWN else text[:SHOWN] + "…")


def number_from_text(text: str) -> float | None:
    """The number a cell holds: None when empty (a missing point).

    Raises ValueError with the reason, for the message, when it is not a
    finite decimal number.
    """
    cell = text.strip()
    if not cell:
        return None
    if cell.isascii() and "_" not in cell:  # the common case: float() alone, checked below
        try:
            value = float(cell)
        except ValueError:
            pass
        else:
            if math.isfinite(value):
                return value
    body = cell[:-1].rstrip() if cell.endswith("%") else cell
    if not _DECIMAL.fullmatch(body):
        raise ValueError(f"value {quoted(cell)} is not a number (write it as 12.5, or 12.5%)")
    value = float(body)
    if not math.isfinite(value):
        raise ValueError(f"value {quoted(cell)} is too large to be a number")
    return value


def period_fault(text: str) -> str | None:
    """Why `text` is not a period, or None when it is one."""
    if period_kind(text) is not None:
        return None
    if not text.strip():
        return "no period (a month such as 2026-04, or a date such as 2026-04-07)"
    return f"period {quoted(text)} is not a month (2026-04) or a date (2026-04-07)"


def build_series(entries: list[Entry]) -> tuple[Series, list[tuple[Entry, str]]]:
    """The points of one series in period order (by column: spc.Series), and its faults as (entry, message).

    `entries` are in the order written; a fault is placed at the entry that
    shows it (the repeat of a period, the first point of the other kind).
    """
    faults: list[tuple[Entry, str]] = []
    seen: dict[str, Entry] = {}
    kind = None
    mixed = False
    for entry in entries:
        first = seen.get(entry.period)
        if first is not None:
            faults.append((entry, f"period {entry.period} is given twice (first on line {first.line})"))
            continue
        seen[entry.period] = entry
        this_kind = "month" if len(entry.period) == 7 else "date"
        if kind is None:
            kind = this_kind
        elif this_kind != kind and not mixed:
            mixed = True
            faults.append(
                (entry, f"period {entry.period} is a {this_kind}, but this series uses {kind}s: one series uses one kind")
            )
    if faults:
        return EMPTY, faults
    periods, values, starts, notes = [], array("d"), [], []
    recalculate = False
    in_order = all(a.period < b.period for a, b in zip(entries, entries[1:]))
    for entry in entries if in_order else sorted(entries, key=lambda e: e.period):
        recalculate = recalculate or entry.recalculate
        if entry.value is None:
            continue  # a missing point: left out, and a `recalculate` on it moves to the next point
        if recalculate:
            starts.append(len(periods))
        if entry.note is not None:
            notes.append((len(periods), entry.note))
        periods.append(entry.period)
        values.append(entry.value)
        recalculate = False
    return Series(tuple(periods), values, tuple(starts), tuple(notes)), faults
