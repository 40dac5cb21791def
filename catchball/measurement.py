"""Every measure of the cascade with its XmR chart: computed once, shared by all.

The rules (CB602 to CB605), `catchball measures`, `chart`, `cascade`,
`trace` and the report all read the same MeasureChart values, so a measure
shows the same icons everywhere. Pure: goals and settings in, frozen values
out; the SPC itself is catchball.spc's.

A measure is named by its `id`, or, without one, by its element's id and
its place among the element's measures: `TN-SAFE:2` is TN-SAFE's second
measure (ids cannot hold `:`, so the two never clash).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from catchball import spc
from catchball.asof import period_end
from catchball.model import Aim, GoalSet, Measure, Objective, Settings, builder

AIM, OBJECTIVE = "aim", "objective"
_ICONS: dict[tuple, tuple] = {}  # (variation, assurance) pairs: a few dozen, shared by every chart


@dataclass(frozen=True, slots=True)
class MeasureChart:
    """One measure, where it sits, and its chart (None with no data or bad data).

    The chart is worked out when first asked for, and kept: a check's rules
    ask only about the last point (`last`, much cheaper), while `measures`,
    `chart` and the views draw every point.
    """

    measure: Measure
    element_id: str
    element_kind: str  # AIM or OBJECTIVE
    index: int  # 1-based place among the element's measures
    owner: str | None  # the element's `owner` (a person id or free text); an individual objective's person
    active: bool  # the element is active (an aim not retired, an objective not dropped)
    direction: str | None  # given, or implied by baseline and target
    target: float | None
    has_data: bool  # one or more points (False for bad data too)
    fault: bool  # the data has a CB601 fault: no chart, no icons, no conclusions
    stale: bool  # the last point ended more than `stale-after` days before the as-of date (CB603)
    spc_settings: spc.SpcSettings = field(default=spc.SpcSettings(), repr=False, compare=False)
    _chart: spc.Chart | None = field(default=None, init=False, repr=False, compare=False)
    # The last point's icons and whether the last phase is a run chart, kept once
    # worked out (a few dozen tuples every chart shares, where keeping its
    # LastPoint would cost 4 MB at 20,000 staff).
    _icons: tuple[str | None, str | None, bool] | None = field(default=None, init=False, repr=False, compare=False)
    # The LastPoint a worker process worked out and kept because a rule quotes it
    # (spc.kept_last: a concern, a target out of reach), taken off its Series.
    _last: spc.LastPoint | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def name(self) -> str:
        """How commands name the measure: its id, else ELEMENT:N."""
        return self.measure.id or f"{self.element_id}:{self.index}"

    @property
    def chart(self) -> spc.Chart | None:
        """The XmR chart of every point, or None with no data or bad data."""
        if self._chart is None and self.has_data:
            self._take_known()
            if self._chart is None:
                object.__setattr__(
                    self, "_chart", spc.xmr(self.measure.points, self.direction, self.target, self.spc_settings)
                )
        return self._chart

    @property
    def last(self) -> spc.LastPoint | None:
        """What the chart says of the last point and phase (None with no data or bad data)."""
        if not self.has_data:
            return None
        chart = self._chart
        if chart is None:
            self._take_known()
            if self._last is not None:
                return self._last
            chart = self._chart  # a worker's, if it drew the whole chart
            if chart is None:
                return spc.last_point(self.measure.points, self.direction, self.target, self.spc_settings)
        last = len(chart.points) - 1
        rules = () if chart.run_chart else tuple(dict.fromkeys(s.rule for s in chart.signals if s.index == last))
        return spc.LastPoint(chart.run_chart, chart.variation, chart.assurance, chart.mean, chart.upper, chart.lower, rules)

    def _last_icons(self) -> tuple[str | None, str | None, bool]:
        if self._icons is None:
            # Worked out beside the CSV file by the worker process that read it, on a cold run
            # (load/measure_data.py), unless the chart is drawn already.
            if self.has_data and self._chart is None:
                self._take_known()
            if self._icons is None:
                last = self.last
                icons = spc.icons_of(last) if last is not None else (None, None, False)
                object.__setattr__(self, "_icons", _ICONS.setdefault(icons, icons))
        return self._icons

    def _take_known(self) -> None:
        """Take what a worker worked out for this measure off its Series: the icons (and the
        LastPoint, if kept), or the whole chart.

        The loader gives them to a Series only when one measure takes it, and
        only if the worker worked them out for that measure (its direction
        and target, this load's settings): load/measure_data.py, _give_known.
        """
        points = self.measure.points
        kept = getattr(points, "known", None)
        if kept is None:
            return
        points.known = None  # taken off: its job is done
        if type(kept) is spc.PackedChart:
            object.__setattr__(self, "_chart", spc.unpack_chart(kept, points))
            return
        icons, last = spc.kept_icons(kept)
        object.__setattr__(self, "_icons", _ICONS.setdefault(icons, icons))
        object.__setattr__(self, "_last", last)

    @property
    def latest(self) -> spc.Point | None:
        points = self.measure.points
        return points[-1] if points and not self.fault else None

    @property
    def variation(self) -> str | None:
        return self._last_icons()[0]

    @property
    def assurance(self) -> str | None:
        return self._last_icons()[1]

    @property
    def run_chart(self) -> bool:
        """The last phase has too few points for limits (False with no data or bad data)."""
        return self._last_icons()[2]

    @property
    def concern(self) -> bool:
        """The last point shows special-cause variation of concern (CB604)."""
        return (self.variation or "").startswith("concern")


_NEW_CHART = builder(MeasureChart)  # one per measure of every run: built quickly (model.builder)


def chart_measures(goals: GoalSet, settings: Settings, as_of: dt.date) -> tuple[MeasureChart, ...]:
    """Every measure of every aim and objective, in file, line, column order."""
    order = {file: i for i, file in enumerate(goals.files)}
    charts = []
    ends: dict[str, dt.date] = {}  # period -> its last day: most series end in the same month
    for kind, table in ((AIM, goals.aims), (OBJECTIVE, goals.objectives)):
        for element in table.values():
            for index, measure in enumerate(element.measures, 1):
                charts.append(_measure_chart(kind, element, index, measure, settings, as_of, ends))
    charts.sort(key=lambda c: (order.get(c.measure.span.file, len(order)), c.measure.span.line, c.measure.span.column))
    return tuple(charts)


def _measure_chart(
    kind: str, element: Aim | Objective, index: int, measure: Measure, settings: Settings, as_of: dt.date,
    ends: dict[str, dt.date],
) -> MeasureChart:
    points = () if measure.data_fault else measure.points
    stale = False
    if points:
        period = points.periods[-1] if isinstance(points, spc.Series) else points[-1].period
        end = ends.get(period)
        if end is None:
            end = ends[period] = period_end(period)
        stale = (as_of - end).days > settings.stale_after
    owner = element.owner
    if kind == OBJECTIVE and element.person is not None and element.team is None:  # Objective.is_individual
        owner = element.person
    # Positional, in MeasureChart's field order: one per measure of every run (30,000 at
    # 20,000 staff), where twelve keywords cost a third more.
    return _NEW_CHART(
        measure, element.id, kind, index, owner, element.active, measure.resolved_direction, measure.target,
        bool(points), measure.data_fault, stale, settings.spc,
    )


def find_measure(charts: tuple[MeasureChart, ...], name: str) -> MeasureChart | None:
    """The measure a command names: by id, or ELEMENT:N."""
    for chart in charts:
        if chart.measure.id == name or f"{chart.element_id}:{chart.index}" == name:
            return chart
    return None


def measures_document(goals: GoalSet, as_of: dt.date, charts: tuple[MeasureChart, ...]) -> dict:
    """`catchball measures --format json`: the spec's document, keys in its order.

    One entry per measure of `charts` (given in file, line, column order);
    numbers are not rounded, and what does not apply is None.
    """
    return {
        "version": 1,
        "root": goals.display_root,
        "as_of": as_of.isoformat(),
        "measures": [measure_record(chart) for chart in charts],
    }


def measure_record(chart: MeasureChart) -> dict:
    """One measure as the JSON document writes it."""
    measure, spc_chart = chart.measure, chart.chart
    latest = chart.latest
    signals = spc.last_phase_signals(spc_chart) if spc_chart is not None and not spc_chart.run_chart else ()
    return {
        "id": measure.id,
        "name": measure.name,
        "element": chart.element_id,
        "unit": measure.unit,
        "direction": chart.direction,
        "baseline": measure.baseline,
        "target": measure.target,
        "by": measure.by.isoformat() if measure.by else None,
        "points": len(measure.points) if not chart.fault else 0,
        "phases": len(spc_chart.phases) if spc_chart is not None else 0,
        "latest": {"period": latest.period, "value": latest.value} if latest is not None else None,
        "mean": spc_chart.mean if spc_chart is not None else None,
        "upper": spc_chart.upper if spc_chart is not None else None,
        "lower": spc_chart.lower if spc_chart is not None else None,
        "variation": chart.variation,
        "assurance": chart.assurance,
        "signals": [{"period": s.period, "rule": s.rule, "side": s.side} for s in signals],
        "file": measure.span.file,
        "line": measure.span.line,
        "column": measure.span.column,
    }


def decimals(chart: MeasureChart) -> int:
    """Decimals to show a measure's mean and limits with: those of its data, at least 1, at most 4."""
    written = 0
    points = chart.measure.points
    for value in points.values if isinstance(points, spc.Series) else (p.value for p in points):
        if value % 1 == 0:  # a whole number has no decimals to show (repr "12.0")
            continue
        # Already written with no more decimals than found so far, so it cannot
        # raise them: round() answers that in C, where repr() and slicing cost
        # more (a report reads every point of tens of thousands of measures).
        if written and round(value, written) == value:
            continue
        text = repr(value)
        if "e" not in text and "." in text:
            written = max(written, len(text.partition(".")[2].rstrip("0")))
            if written >= 4:  # as many as are ever shown: the rest cannot change it
                break
    return min(max(written, 1), 4)


def figure(value: float | None, places: int | None = None, unit: str | None = None) -> str:
    """A number as people read it: with `places` decimals, else as written; `%` kept beside it."""
    if value is None:
        return "—"
    if places is None:
        text = f"{value:,.0f}" if abs(value) >= 100_000 else f"{value:g}"
    else:
        text = f"{value:,.{places}f}"
    return f"{text}%" if unit == "%" else text
