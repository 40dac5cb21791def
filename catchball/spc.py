"""Statistical process control of one measure: an XmR chart as Making Data Count (MDC) draws it.

Series in, chart out: this module is pure (no I/O, no settings file, no model
objects), so the loader, the rules, the views and the charts all share one
computation. The method is the spec's (goals-format-1.1.md, "SPC"); where the
spec is silent the decision is written on the function and in docs/measures.md
("How catchball computes SPC").
"""

from __future__ import annotations

import math
import operator
import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

# 2.66 = 3 / d2, d2 = 1.128 for moving ranges of two points (MDC, NHSRplotthedots).
LIMIT_FACTOR = 2.66
RULES = ("outside", "shift", "trend", "two-of-three")
SIDES = ("high", "low")


@dataclass(frozen=True, slots=True)  # slots: a national repository holds millions of points
class Point:
    """One value present in a series, in period order."""

    period: str  # as written: "2026-04" or "2026-04-07"
    value: float
    recalculate: bool = False  # a new phase starts at this point
    note: str | None = None


class Series(Sequence):
    """A measure's points kept by column: its periods, its values, and the few that carry more.

    Behaves as a tuple of Points (index, slice, iterate, compare with a
    tuple), but stores a series of 24 months in about 300 bytes where 24
    Point objects and their floats take about 2,300: a national repository
    holds millions of points. `periods` is a tuple a loader may share between
    every series with the same periods; `values` an array of floats;
    `starts` the indexes of points that start a new phase (`recalculate`);
    `notes` (index, note) pairs. Points are built only when asked for.
    """

    __slots__ = ("periods", "values", "starts", "notes", "known")

    def __init__(
        self,
        periods: tuple[str, ...],
        values: array,
        starts: tuple[int, ...] = (),
        notes: tuple[tuple[int, str], ...] = (),
    ) -> None:
        if len(periods) != len(values):
            raise ValueError("a series needs one value for each period")
        self.periods, self.values, self.starts, self.notes = periods, values, starts, notes
        # What last_point (see kept_last) or xmr (a PackedChart) gives for the one measure
        # that takes this series, worked out where the series was read (a worker process,
        # beside its CSV file) and given by the loader, which knows the measure. None when
        # not worked out.
        self.known: int | LastPoint | PackedChart | None = None

    @classmethod
    def of(cls, points: Sequence[Point]) -> "Series":
        """The series of `points` (values present, in period order)."""
        if isinstance(points, Series):
            return points
        return cls(
            tuple(p.period for p in points),
            array("d", [p.value for p in points]),
            tuple(i for i, p in enumerate(points) if p.recalculate),
            tuple((i, p.note) for i, p in enumerate(points) if p.note is not None),
        )

    def __len__(self) -> int:
        return len(self.periods)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self._point(i) for i in range(*index.indices(len(self.periods))))
        size = len(self.periods)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("series index out of range")
        return self._point(index)

    def _point(self, index: int) -> Point:
        note = None
        for at, text in self.notes:
            if at == index:
                note = text
        return Point(self.periods[index], self.values[index], index in self.starts, note)

    def __iter__(self):
        return map(self._point, range(len(self.periods)))

    def __eq__(self, other) -> bool:
        if isinstance(other, Series):
            return (self.periods, self.values, self.starts, self.notes) == (
                other.periods, other.values, other.starts, other.notes
            )
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Series({tuple(self)!r})"

    def __reduce__(self):  # pickled to and from worker processes
        return (Series, (self.periods, self.values, self.starts, self.notes))


@dataclass(frozen=True)
class SpcSettings:
    """The `spc` block of catchball.yaml (stale-after is a rule's business, not the chart's).

    The settings loader validates what the user wrote and reports it as a
    settings error; the check here only guards against a programming error.
    """

    minimum_points: int = 13
    shift: int = 6
    trend: int = 6
    fix_limits_after: int | None = None

    def __post_init__(self) -> None:
        for name in ("minimum_points", "shift", "trend"):
            if getattr(self, name) < 2:
                raise ValueError(f"SpcSettings.{name} must be 2 or more")
        if self.fix_limits_after is not None and self.fix_limits_after < 2:
            raise ValueError("SpcSettings.fix_limits_after must be 2 or more")


@dataclass(frozen=True, slots=True)
class Signal:
    """One rule flagging one point on one side."""

    index: int  # index into the series
    period: str
    rule: str  # "outside" | "shift" | "trend" | "two-of-three"
    side: str  # "high" | "low"
    kind: str  # "improvement" | "concern" | "neither"


@dataclass(frozen=True)
class Phase:
    """A stretch of the series with its own mean and limits (all None on a run chart)."""

    start: int
    end: int  # indexes into the series, end exclusive
    mean: float | None
    upper: float | None
    lower: float | None
    upper_two_sigma: float | None
    lower_two_sigma: float | None
    run_chart: bool


@dataclass(frozen=True)
class Chart:
    """The XmR chart of a series: phases, signals, the two MDC icons."""

    points: tuple[Point, ...]
    phases: tuple[Phase, ...]
    run_chart: bool  # the last phase has fewer than minimum_points
    signals: tuple[Signal, ...]  # every flagged point of every phase, in index order then rule order
    variation: str | None  # icon of the last point; None on a run chart or with no data
    assurance: str | None  # "pass" | "fail" | "hit-or-miss" | None
    mean: float | None  # of the last phase
    upper: float | None
    lower: float | None
    # Added: the variation of every point ("common-cause", "improvement-high", ...),
    # None for the points of a run-chart phase. Charts colour points by it.
    point_variations: tuple[str | None, ...] = ()


def xmr(
    points: Sequence[Point],
    direction: str | None,
    target: float | None,
    settings: SpcSettings = SpcSettings(),
) -> Chart:
    """The XmR chart of `points` (values present, in period order).

    `direction` is "up", "down" or None; the caller resolves a direction implied
    by baseline and target. Decisions where the spec is silent:

    - Every phase with fewer than `minimum_points` points is drawn as a run
      chart (no limits, no signals), not only the last; the chart is a run
      chart, with no icons, when the last phase is.
    - Shift and two-of-three compare each point with its own phase's mean and
      lines and stop at a recalculation; a trend uses neither and runs on
      across it (MDC's SQL v2.6; the Excel tool lets all three cross).
    - `fix_limits_after: N` on a phase of N points or fewer uses all of them.
    - A point flagged on both sides takes the improvement side when there is a
      direction (the spec); with no direction it takes the side of the mean
      the point is on, or, on the mean, the side of the flag (only a trend can
      flag a point on the mean; a point on the mean at the turn of two trends
      is "high", MDC's SQL testing the high flags first).
    - No data: no phases, `run_chart` False, every value None.
    """
    series, values, periods, phases = _phases_of(points, direction, settings)
    if not phases:
        return Chart(series, (), False, (), None, None, None, None, None, ())
    signals = _signals(values, periods, phases, direction, settings)
    return _chart(series, phases, signals, _point_variations(values, phases, signals, direction), direction, target)


def _phases_of(points: Sequence[Point], direction: str | None, settings: SpcSettings) -> tuple:
    """(the series, its values, its periods, its phases) of `points`; no phases without points."""
    _check_direction(direction)
    series = points if isinstance(points, Series) else tuple(points)
    if not series:
        return series, (), (), ()
    values, periods, bounds = _columns(series)
    return series, values, periods, tuple(_phase(values, start, end, settings) for start, end in bounds)


def _signals(
    values, periods, phases: tuple[Phase, ...], direction: str | None, settings: SpcSettings
) -> tuple[Signal, ...]:
    """Every flagged point of every phase, in index order then rule order then side."""
    # (index, rule, side) as numbers into RULES and SIDES: sorted as tuples, in C.
    flags: set[tuple[int, int, int]] = set()
    for phase in phases:
        if not phase.run_chart:
            flags |= _phase_flags(values, phase, settings)
    flags |= _trend_flags(values, phases, settings)
    kinds = [_kind(side, direction) for side in SIDES]
    return tuple(
        Signal(index, periods[index], RULES[rule], SIDES[side], kinds[side]) for index, rule, side in sorted(flags)
    )


def _chart(
    series, phases: tuple[Phase, ...], signals: tuple[Signal, ...], point_variations: tuple, direction: str | None,
    target: float | None,
) -> Chart:
    last = phases[-1]
    if last.run_chart:
        return Chart(series, phases, True, signals, None, None, None, None, None, point_variations)
    return Chart(
        series,
        phases,
        False,
        signals,
        point_variations[-1],
        _assurance(last.upper, last.lower, direction, target),
        last.mean,
        last.upper,
        last.lower,
        point_variations,
    )


class LastPoint(NamedTuple):  # a tuple: made for every measure of a check, and cheaper to make than a dataclass
    """What a chart says about its last point and last phase, without the rest of the chart.

    Every field equals the one of the same name in `xmr`'s Chart (`rules`:
    the rules flagging the last point, in RULES order). The rules of a check
    need only this; working it out reads the last phase and walks back from
    the last point, where the chart flags every point of every phase.
    """

    run_chart: bool
    variation: str | None
    assurance: str | None
    mean: float | None
    upper: float | None
    lower: float | None
    rules: tuple[str, ...]


def last_point(
    points: Sequence[Point],
    direction: str | None,
    target: float | None,
    settings: SpcSettings = SpcSettings(),
) -> LastPoint:
    """The last point's variation and rules, and the assurance, mean and limits, as `xmr` gives them.

    Each rule is asked only about the last point: outside the limits; the
    run of points on its side of the mean that ends there (shift); the one
    window of three that ends there (two-of-three); the run of rises or
    falls that ends there, across earlier XmR phases (trend). Checked
    against `xmr` by property tests (tests/test_spc_properties.py).
    """
    _check_direction(direction)
    series = points if isinstance(points, Series) else tuple(points)
    if not series:
        return LastPoint(False, None, None, None, None, None, ())
    values, periods, bounds = _columns(series)
    start, end = bounds[-1]
    if end - start < settings.minimum_points:  # a run chart: no limits, and no part in a trend
        return LastPoint(True, None, None, None, None, None, ())
    mean, upper, lower, upper_two_sigma, lower_two_sigma = _lines(values, start, end, settings)
    last = end - 1
    value = values[last]
    flags: list[tuple[str, str]] = []  # (rule, side), in RULES order
    if value > upper:
        flags.append(("outside", "high"))
    elif value < lower:
        flags.append(("outside", "low"))
    side = "high" if value > mean else "low" if value < mean else None
    if side is not None:
        run = last  # back to the first point of the run on this side of the mean
        if side == "high":
            while run > start and values[run - 1] > mean:
                run -= 1
        else:
            while run > start and values[run - 1] < mean:
                run -= 1
        if last - run + 1 >= settings.shift:
            flags.append(("shift", side))
    trend = _trend_ending_at(values, bounds, settings)
    if trend is not None:
        flags.append(("trend", trend))
    if side is not None and last - 2 >= start:
        a, b = values[last - 2], values[last - 1]
        if side == "high":
            line = upper_two_sigma
            if a > mean and b > mean and value > line and (a > line or b > line):
                flags.append(("two-of-three", side))
        else:
            line = lower_two_sigma
            if a < mean and b < mean and value < line and (a < line or b < line):
                flags.append(("two-of-three", side))
    if not flags:
        variation = "common-cause"
    else:
        signals = [Signal(last, periods[last], rule, s, _kind(s, direction)) for rule, s in flags]
        variation = _variation(signals, value, mean, direction)
    return LastPoint(
        False, variation, _assurance(upper, lower, direction, target), mean, upper, lower, tuple(r for r, _ in flags)
    )


def icons_of(last: LastPoint) -> tuple[str | None, str | None, bool]:
    """(variation, assurance, whether the last phase is a run chart): what the last point's icons show."""
    return last.variation, last.assurance, last.run_chart


# Every (variation, assurance, run chart) there is, so that a worker process can
# send a last point's icons as a small number (no object to make at either end).
VARIATIONS = (
    None, "common-cause", *(f"{kind}-{side}" for kind in ("improvement", "concern", "neither") for side in SIDES)
)
ASSURANCES = (None, "pass", "fail", "hit-or-miss")
ICONS = tuple((v, a, r) for v in VARIATIONS for a in ASSURANCES for r in (False, True))
ICON_CODES = {icons: code for code, icons in enumerate(ICONS)}


def kept_last(last: LastPoint) -> int | LastPoint:
    """What to keep of a last point: its icons' code, or itself where a check's rules quote more of
    it (CB604 its rules, CB605 its limits) or its icons have no code."""
    if (last.variation or "").startswith("concern") or last.assurance == "fail":
        return last
    code = ICON_CODES.get(icons_of(last))
    return last if code is None else code


def kept_icons(kept: int | LastPoint) -> tuple[tuple[str | None, str | None, bool], LastPoint | None]:
    """(the icons, the LastPoint or None) of what kept_last kept."""
    if type(kept) is int:
        return ICONS[kept], None
    return icons_of(kept), kept


class PackedChart(tuple):
    """A Chart without its points, as plain values: how a worker process sends a chart it drew.

    (phases as tuples of their fields, run chart, signals as (index, rule,
    side, kind), variation, assurance, mean, upper, lower, point variations).
    A tuple of its own kind, so that what a worker kept (kept_last) tells a
    chart from a last point. unpack_chart gives the Chart back, equal to the
    one xmr draws from the same series.
    """

    __slots__ = ()


def pack_chart(chart: Chart) -> PackedChart:
    """`chart` without its points (the series it was drawn from travels on its own)."""
    phases = tuple(
        (p.start, p.end, p.mean, p.upper, p.lower, p.upper_two_sigma, p.lower_two_sigma, p.run_chart)
        for p in chart.phases
    )
    signals = tuple((s.index, s.rule, s.side, s.kind) for s in chart.signals)
    return PackedChart((
        phases, chart.run_chart, signals, chart.variation, chart.assurance, chart.mean, chart.upper, chart.lower,
        chart.point_variations,
    ))


def unpack_chart(packed: PackedChart, series: Series) -> Chart:
    """The Chart that `packed` (pack_chart) is of, drawn from `series`."""
    phases, run_chart, signals, variation, assurance, mean, upper, lower, point_variations = packed
    periods = series.periods
    return Chart(
        series,
        tuple(Phase(*phase) for phase in phases),
        run_chart,
        tuple(Signal(index, periods[index], rule, side, kind) for index, rule, side, kind in signals),
        variation, assurance, mean, upper, lower, point_variations,
    )


def _trend_ending_at(values, bounds: list[tuple[int, int]], settings: SpcSettings) -> str | None:
    """The side of a trend that flags the last point (in an XmR phase), or None."""
    last = len(values) - 1
    if last == 0:
        return None
    # The first index of the stretch of XmR phases that ends with the last one:
    # a trend runs on across a recalculation, but not into a run-chart phase.
    first = bounds[-1][0]
    for start, end in reversed(bounds[:-1]):
        if end - start < settings.minimum_points:
            break
        first = start
    side = _side_of(values[last], values[last - 1]) if last - 1 >= first else None
    if side is None:
        return None
    run = last - 1  # the first point of the run of steps
    while run > first and _side_of(values[run], values[run - 1]) == side:
        run -= 1
    return side if last - run + 1 >= settings.trend else None


def last_phase_signals(chart: Chart) -> tuple[Signal, ...]:
    """The signals of the last phase, in index order then rule order (the JSON's `signals`)."""
    if not chart.phases:
        return ()
    start = chart.phases[-1].start
    return tuple(signal for signal in chart.signals if signal.index >= start)


def _check_direction(direction: str | None) -> None:
    if direction not in ("up", "down", None):
        raise ValueError(f"direction must be 'up', 'down' or None, not {direction!r}")


def _columns(series) -> tuple[Sequence[float], Sequence[str], list[tuple[int, int]]]:
    """The values, the periods and the phase bounds (start, end exclusive) of a series."""
    if isinstance(series, Series):
        values, periods = series.values, series.periods
        if not series.starts or series.starts == (0,):
            return values, periods, [(0, len(values))]
        starts = [i for i in series.starts if i > 0]
    else:
        values = [p.value for p in series]
        periods = [p.period for p in series]
        starts = [i for i, p in enumerate(series) if p.recalculate and i > 0]
    starts = [0, *starts]
    return values, periods, list(zip(starts, starts[1:] + [len(values)]))


def _phase(values: Sequence[float], start: int, end: int, settings: SpcSettings) -> Phase:
    if end - start < settings.minimum_points:
        return Phase(start, end, None, None, None, None, None, True)
    return Phase(start, end, *_lines(values, start, end, settings), False)


def _lines(values: Sequence[float], start: int, end: int, settings: SpcSettings) -> tuple[float, ...]:
    """(mean, upper, lower, upper two-sigma, lower two-sigma) of an XmR phase."""
    basis_end = end
    if settings.fix_limits_after is not None:
        basis_end = min(end, start + settings.fix_limits_after)
    values = values[start:basis_end]
    mean = _mean(values)
    # Values near the float limit (1e308) can make a moving range infinite: the
    # limits are then infinite too, and nothing is outside them.
    spread = LIMIT_FACTOR * _mean(list(map(abs, map(operator.sub, values[1:], values))))
    two_sigma = spread * 2 / 3
    return mean, mean + spread, mean - spread, mean + two_sigma, mean - two_sigma


def _mean(values: Sequence[float]) -> float:
    try:
        return math.fsum(values) / len(values)
    except OverflowError:  # finite values whose sum passes 1e308
        return math.fsum(v / len(values) for v in values)


_OUTSIDE, _SHIFT, _TREND, _TWO_OF_THREE = range(len(RULES))  # flags hold these, and 0 high, 1 low
_HIGH, _LOW = 0, 1
# Sides written as letters ("h" above the mean or a rise, "l" below or a fall, "."
# neither), so that runs are found by `re` in C: a phase is read a point at a time
# only where a rule may flag it.
_LETTER_SIDE = {"h": _HIGH, "l": _LOW}
_THREE_ALIKE = re.compile(r"(?=(hhh|lll))")  # each window of three on one side (overlapping)


@lru_cache(maxsize=64)
def _runs_of(length: int) -> re.Pattern:
    """Runs of `length` or more of one side."""
    return re.compile(f"h{{{length},}}|l{{{length},}}")


def _phase_flags(values: Sequence[float], phase: Phase, settings: SpcSettings) -> set[tuple[int, int, int]]:
    """(index, rule, side) for the rules that use one XmR phase's mean and lines: all but trend."""
    start = phase.start
    values = values[start : phase.end]
    flags: set[tuple[int, int, int]] = set()
    upper, lower = phase.upper, phase.lower
    ordered = sorted(values)  # in C: most phases have no point outside, and none two beyond a two-sigma line
    if ordered[-1] > upper or ordered[0] < lower:
        for i, value in enumerate(values, start):
            if value > upper:
                flags.add((i, _OUTSIDE, _HIGH))
            elif value < lower:
                flags.add((i, _OUTSIDE, _LOW))

    # Shift: a run of points strictly on one side of the mean; a point on the mean ends it.
    mean = phase.mean
    sides = "".join(["h" if v > mean else "l" if v < mean else "." for v in values])
    for run in _runs_of(settings.shift).finditer(sides):
        side = _LETTER_SIDE[run.group()[0]]
        flags.update((start + j, _SHIFT, side) for j in range(run.start(), run.end()))

    # Two of three beyond the same two-sigma line, all three on that side of the mean.
    high, low = phase.upper_two_sigma, phase.lower_two_sigma
    if len(ordered) < 3 or not (ordered[-2] > high or ordered[1] < low):
        return flags
    for window in _THREE_ALIKE.finditer(sides):
        j = window.start()
        three = values[j : j + 3]
        if sides[j] == "h":
            hits = [k for k, v in enumerate(three, j) if v > high]
            side = _HIGH
        else:
            hits = [k for k, v in enumerate(three, j) if v < low]
            side = _LOW
        if len(hits) >= 2:
            flags.update((start + k, _TWO_OF_THREE, side) for k in hits)
    return flags


def _trend_flags(
    values: Sequence[float], phases: tuple[Phase, ...], settings: SpcSettings
) -> set[tuple[int, int, int]]:
    """(index, rule, side) for trends: points each strictly higher (or lower) than the one before.

    An equal value ends a run; a run of k steps covers k + 1 points, and two
    runs share their turning point. A trend uses no mean or line, so, as in
    MDC's SQL v2.6, it runs on across a recalculation; the points of a
    run-chart phase get no signal and so break it.
    """
    # Step i goes from point i to point i + 1.
    steps = ["h" if b > a else "l" if b < a else "." for a, b in zip(values, values[1:])]
    for phase in phases:
        if phase.run_chart:  # no step into, within or out of a run-chart phase
            first, stop = max(phase.start - 1, 0), min(phase.end, len(steps))
            if stop > first:
                steps[first:stop] = ["."] * (stop - first)
    flags: set[tuple[int, int, int]] = set()
    for run in _runs_of(max(settings.trend - 1, 1)).finditer("".join(steps)):
        side = _LETTER_SIDE[run.group()[0]]
        flags.update((i, _TREND, side) for i in range(run.start(), run.end() + 1))
    return flags


def _side_of(value: float, reference: float) -> str | None:
    if value > reference:
        return "high"
    if value < reference:
        return "low"
    return None


def _kind(side: str, direction: str | None) -> str:
    if direction is None:
        return "neither"
    good = "high" if direction == "up" else "low"
    return "improvement" if side == good else "concern"


def _point_variations(
    values: Sequence[float], phases: tuple[Phase, ...], signals: tuple[Signal, ...], direction: str | None
) -> tuple[str | None, ...]:
    variations: list[str | None] = []
    for phase in phases:
        variations += [None if phase.run_chart else "common-cause"] * (phase.end - phase.start)
    if signals:  # only XmR phases' points are flagged
        by_index: dict[int, list[Signal]] = {}
        for signal in signals:
            by_index.setdefault(signal.index, []).append(signal)
        starts = [phase.start for phase in phases]
        for index, flagged in by_index.items():
            phase = phases[bisect_right(starts, index) - 1]
            variations[index] = _variation(flagged, values[index], phase.mean, direction)
    return tuple(variations)


def _variation(flags: list[Signal], value: float, mean: float, direction: str | None) -> str:
    """The icon of one flagged point (see xmr's docstring for a point flagged both ways)."""
    kinds = {signal.kind for signal in flags}
    sides = {signal.side for signal in flags}
    if "improvement" in kinds:
        kind = "improvement"
        side = "high" if direction == "up" else "low"
    elif "concern" in kinds:
        kind = "concern"
        side = "low" if direction == "up" else "high"
    else:
        kind = "neither"
        side = sides.pop() if len(sides) == 1 else (_side_of(value, mean) or "high")
    return f"{kind}-{side}"


def _assurance(upper: float, lower: float, direction: str | None, target: float | None) -> str | None:
    if direction is None or target is None:
        return None
    meets, misses = (target <= lower, target >= upper)
    if direction == "down":
        meets, misses = (target >= upper, target <= lower)
    if meets:
        return "pass"
    if misses:
        return "fail"
    return "hit-or-miss"
