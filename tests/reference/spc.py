"""catchball.spc's XmR chart as it was before its internals were made faster (2026-12-02): the reference.

tests/test_spc_reference.py draws series, recalculations, directions, targets
and settings and requires catchball.spc.xmr to give what this xmr gives. These
are the old functions as they were, but for their docstrings (cut) and xmr's
first and last steps (catchball.spc's _phases_of and _chart, which did not
change); what did not change is imported. Do not edit them to make a test pass.
"""

from __future__ import annotations

from collections.abc import Sequence

from catchball.spc import (
    RULES, SIDES, Chart, Phase, Point, Signal, SpcSettings, _chart, _kind, _phases_of, _variation,
)

def xmr(points: Sequence[Point], direction: str | None, target: float | None, settings=SpcSettings()) -> Chart:
    """The XmR chart of `points`, as catchball.spc.xmr documents it (its docstring is not copied)."""
    series, values, periods, phases = _phases_of(points, direction, settings)
    if not phases:
        return Chart(series, (), False, (), None, None, None, None, None, ())
    flags: set[tuple[int, str, str]] = set()
    for phase in phases:
        if not phase.run_chart:
            flags |= _phase_flags(values, phase, settings)
    flags |= _trend_flags(values, phases, settings)
    signals = tuple(
        Signal(index, periods[index], rule, side, _kind(side, direction))
        for index, rule, side in sorted(flags, key=lambda f: (f[0], RULES.index(f[1]), SIDES.index(f[2])))
    )
    return _chart(series, phases, signals, _point_variations(values, phases, signals, direction), direction, target)


def _phase_flags(values: Sequence[float], phase: Phase, settings: SpcSettings) -> set[tuple[int, str, str]]:
    """(index, rule, side) for the rules that use one XmR phase's mean and lines: all but trend."""
    start = phase.start
    values = values[start : phase.end]
    flags: set[tuple[int, str, str]] = set()
    upper, lower = phase.upper, phase.lower
    for i, value in enumerate(values, start):
        if value > upper:
            flags.add((i, "outside", "high"))
        elif value < lower:
            flags.add((i, "outside", "low"))

    # Shift: a run of points strictly on one side of the mean; a point on the mean ends it.
    mean = phase.mean
    sides = ["high" if v > mean else "low" if v < mean else None for v in values]
    for side, run in _runs(sides):
        if side is not None and len(run) >= settings.shift:
            flags.update((start + j, "shift", side) for j in run)

    # Two of three beyond the same two-sigma line, all three on that side of the mean.
    high, low = phase.upper_two_sigma, phase.lower_two_sigma
    for j in range(len(values) - 2):
        side = sides[j]
        if side is None or sides[j + 1] != side or sides[j + 2] != side:
            continue
        if side == "high":
            hits = [k for k in (j, j + 1, j + 2) if values[k] > high]
        else:
            hits = [k for k in (j, j + 1, j + 2) if values[k] < low]
        if len(hits) >= 2:
            flags.update((start + k, "two-of-three", side) for k in hits)
    return flags


def _trend_flags(values: Sequence[float], phases: tuple[Phase, ...], settings: SpcSettings) -> set[tuple[int, str, str]]:
    """(index, rule, side) for trends (catchball.spc._trend_flags says how trends run)."""
    in_xmr = [False] * len(values)
    for phase in phases:
        if not phase.run_chart:
            in_xmr[phase.start : phase.end] = [True] * (phase.end - phase.start)
    steps = [
        ("high" if b > a else "low" if b < a else None) if in_xmr[i] and in_xmr[i + 1] else None
        for i, (a, b) in enumerate(zip(values, values[1:]))
    ]
    flags: set[tuple[int, str, str]] = set()
    for side, run in _runs(steps):
        if side is not None and len(run) + 1 >= settings.trend:
            flags.update((i, "trend", side) for i in range(run.start, run.stop + 1))
    return flags


def _runs(labels: list[str | None]) -> list[tuple[str | None, range]]:
    """Maximal runs of equal labels, as (label, range of positions)."""
    runs = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            runs.append((labels[start], range(start, i)))
            start = i
    return runs


def _point_variations(
    values: Sequence[float], phases: tuple[Phase, ...], signals: tuple[Signal, ...], direction: str | None
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
                variations.append(_variation(by_index[i], values[i], phase.mean, direction))
    return tuple(variations)


