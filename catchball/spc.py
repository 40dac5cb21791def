"""Statistical process control of one measure: an XmR chart as Making Data Count (MDC) draws it.

Series in, chart out: this module is pure (no I/O, no settings file, no model
objects), so the loader, the rules, the views and the charts all share one
computation. The method is the spec's (goals-format-1.1.md, "SPC"); where the
spec is silent the decision is written on the function and in docs/measures.md
("How catchball computes SPC").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

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
    if direction not in ("up", "down", None):
        raise ValueError(f"direction must be 'up', 'down' or None, not {direction!r}")
    points = tuple(points)
    if not points:
        return Chart(points, (), False, (), None, None, None, None, None, ())
    phases = tuple(_phase(points, start, end, settings) for start, end in _phase_bounds(points))
    flags: set[tuple[int, str, str]] = set()
    for phase in phases:
        if not phase.run_chart:
            flags |= _phase_flags(points, phase, settings)
    flags |= _trend_flags(points, phases, settings)
    signals = tuple(
        Signal(index, points[index].period, rule, side, _kind(side, direction))
        for index, rule, side in sorted(flags, key=lambda f: (f[0], RULES.index(f[1]), SIDES.index(f[2])))
    )
    point_variations = _point_variations(points, phases, signals, direction)
    last = phases[-1]
    if last.run_chart:
        return Chart(points, phases, True, signals, None, None, None, None, None, point_variations)
    return Chart(
        points,
        phases,
        False,
        signals,
        point_variations[-1],
        _assurance(last, direction, target),
        last.mean,
        last.upper,
        last.lower,
        point_variations,
    )


def last_phase_signals(chart: Chart) -> tuple[Signal, ...]:
    """The signals of the last phase, in index order then rule order (the JSON's `signals`)."""
    if not chart.phases:
        return ()
    start = chart.phases[-1].start
    return tuple(signal for signal in chart.signals if signal.index >= start)


def _phase_bounds(points: tuple[Point, ...]) -> list[tuple[int, int]]:
    starts = [0] + [i for i, point in enumerate(points) if point.recalculate and i > 0]
    return list(zip(starts, starts[1:] + [len(points)]))


def _phase(points: tuple[Point, ...], start: int, end: int, settings: SpcSettings) -> Phase:
    if end - start < settings.minimum_points:
        return Phase(start, end, None, None, None, None, None, True)
    basis_end = end
    if settings.fix_limits_after is not None:
        basis_end = min(end, start + settings.fix_limits_after)
    values = [point.value for point in points[start:basis_end]]
    mean = _mean(values)
    # Values near the float limit (1e308) can make a moving range infinite: the
    # limits are then infinite too, and nothing is outside them.
    spread = LIMIT_FACTOR * _mean([abs(b - a) for a, b in zip(values, values[1:])])
    two_sigma = spread * 2 / 3
    return Phase(start, end, mean, mean + spread, mean - spread, mean + two_sigma, mean - two_sigma, False)


def _mean(values: list[float]) -> float:
    try:
        return math.fsum(values) / len(values)
    except OverflowError:  # finite values whose sum passes 1e308
        return math.fsum(v / len(values) for v in values)


def _phase_flags(points: tuple[Point, ...], phase: Phase, settings: SpcSettings) -> set[tuple[int, str, str]]:
    """(index, rule, side) for the rules that use one XmR phase's mean and lines: all but trend."""
    indexes = range(phase.start, phase.end)
    values = [points[i].value for i in indexes]
    flags: set[tuple[int, str, str]] = set()

    for i, value in zip(indexes, values):
        if value > phase.upper:
            flags.add((i, "outside", "high"))
        elif value < phase.lower:
            flags.add((i, "outside", "low"))

    # Shift: a run of points strictly on one side of the mean; a point on the mean ends it.
    sides = [_side_of(value, phase.mean) for value in values]
    for side, run in _runs(sides):
        if side is not None and len(run) >= settings.shift:
            flags.update((phase.start + j, "shift", side) for j in run)

    # Two of three beyond the same two-sigma line, all three on that side of the mean.
    for j in range(len(values) - 2):
        window = range(j, j + 3)
        for side, beyond in (
            ("high", lambda v: v > phase.upper_two_sigma),
            ("low", lambda v: v < phase.lower_two_sigma),
        ):
            if all(sides[k] == side for k in window):
                hits = [k for k in window if beyond(values[k])]
                if len(hits) >= 2:
                    flags.update((phase.start + k, "two-of-three", side) for k in hits)
    return flags


def _trend_flags(
    points: tuple[Point, ...], phases: tuple[Phase, ...], settings: SpcSettings
) -> set[tuple[int, str, str]]:
    """(index, rule, side) for trends: points each strictly higher (or lower) than the one before.

    An equal value ends a run; a run of k steps covers k + 1 points, and two
    runs share their turning point. A trend uses no mean or line, so, as in
    MDC's SQL v2.6, it runs on across a recalculation; the points of a
    run-chart phase get no signal and so break it.
    """
    in_xmr = [False] * len(points)
    for phase in phases:
        if not phase.run_chart:
            in_xmr[phase.start : phase.end] = [True] * (phase.end - phase.start)
    steps = [
        _side_of(points[i + 1].value, points[i].value) if in_xmr[i] and in_xmr[i + 1] else None
        for i in range(len(points) - 1)
    ]
    flags: set[tuple[int, str, str]] = set()
    for side, run in _runs(steps):
        if side is not None and len(run) + 1 >= settings.trend:
            flags.update((i, "trend", side) for i in range(run.start, run.stop + 1))
    return flags


def _side_of(value: float, reference: float) -> str | None:
    if value > reference:
        return "high"
    if value < reference:
        return "low"
    return None


def _runs(labels: list[str | None]) -> list[tuple[str | None, range]]:
    """Maximal runs of equal labels, as (label, range of positions)."""
    runs = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            runs.append((labels[start], range(start, i)))
            start = i
    return runs


def _kind(side: str, direction: str | None) -> str:
    if direction is None:
        return "neither"
    good = "high" if direction == "up" else "low"
    return "improvement" if side == good else "concern"


def _point_variations(
    points: tuple[Point, ...], phases: tuple[Phase, ...], signals: tuple[Signal, ...], direction: str | None
) -> tuple[str | None, ...]:
    by_index: dict[int, list[Signal]] = {}
    for signal in signals:
        by_index.setdefault(signal.index, []).append(signal)
    variations: list[str | None] = []
    for phase in phases:
        for i in range(phase.start, phase.end):
            if phase.run_chart:
                variations.append(None)
            elif i not in by_index:
                variations.append("common-cause")
            else:
                variations.append(_variation(by_index[i], points[i].value, phase.mean, direction))
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


def _assurance(phase: Phase, direction: str | None, target: float | None) -> str | None:
    if direction is None or target is None:
        return None
    meets, misses = (target <= phase.lower, target >= phase.upper)
    if direction == "down":
        meets, misses = (target >= phase.upper, target <= phase.lower)
    if meets:
        return "pass"
    if misses:
        return "fail"
    return "hit-or-miss"
