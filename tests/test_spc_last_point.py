"""spc.last_point answers what the check's rules ask exactly as the full chart does,
and spc.Series behaves as the tuple of Points it stands for."""

from __future__ import annotations

import pickle
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catchball import spc
from catchball.spc import LastPoint, Point, Series, SpcSettings, last_point, xmr

# Small whole numbers make ties (a point on the mean, an equal step) common,
# which is where runs and trends end; floats cover the rest.
VALUES = st.one_of(
    st.lists(st.integers(-3, 3).map(float), max_size=40),
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=40),
)
SETTINGS = st.builds(
    SpcSettings,
    minimum_points=st.integers(2, 15),
    shift=st.integers(2, 9),
    trend=st.integers(2, 9),
    fix_limits_after=st.one_of(st.none(), st.integers(2, 12)),
)


def from_chart(chart: spc.Chart) -> LastPoint:
    """What last_point must give: read off the full chart."""
    if not chart.points:
        return LastPoint(False, None, None, None, None, None, ())
    last = len(chart.points) - 1
    rules = tuple(r for r in spc.RULES if any(s.index == last and s.rule == r for s in chart.signals))
    return LastPoint(chart.run_chart, chart.variation, chart.assurance, chart.mean, chart.upper, chart.lower, rules)


@settings(max_examples=600, deadline=None)
@given(
    VALUES,
    st.sets(st.integers(0, 39)),
    st.sampled_from(["up", "down", None]),
    st.one_of(st.none(), st.integers(-4, 4).map(float)),
    SETTINGS,
)
def test_last_point_is_what_the_full_chart_says(values, recalculate, direction, target, spc_settings):
    points = tuple(Point(f"2024-{i:04d}", v, i in recalculate) for i, v in enumerate(values))
    expected = from_chart(xmr(points, direction, target, spc_settings))
    assert last_point(points, direction, target, spc_settings) == expected
    assert last_point(Series.of(points), direction, target, spc_settings) == expected


@settings(max_examples=300, deadline=None)
@given(VALUES, st.sets(st.integers(0, 39)), st.sampled_from(["up", "down", None]), SETTINGS)
def test_a_chart_of_a_series_is_the_chart_of_its_points(values, recalculate, direction, spc_settings):
    points = tuple(Point(f"2024-{i:04d}", v, i in recalculate, "n" if i % 5 == 0 else None) for i, v in enumerate(values))
    by_points, by_series = xmr(points, direction, 1.0, spc_settings), xmr(Series.of(points), direction, 1.0, spc_settings)
    assert by_series == by_points  # Chart equality compares points too: a Series equals its tuple


def test_a_trend_into_the_last_point_runs_back_across_a_recalculation_but_not_a_run_chart_phase():
    rising = [float(v) for v in range(1, 8)]
    settings_ = SpcSettings(minimum_points=3, trend=6)
    # Two XmR phases of 3 and 4 points: the 7 rising points are one trend across them.
    across = [Point(f"2024-{i:04d}", v, i == 3) for i, v in enumerate(rising)]
    assert last_point(across, "up", None, settings_).rules == ("trend",)
    # A first phase of 2 points is a run chart: the trend starts after it, 5 points, too short.
    broken = [Point(f"2024-{i:04d}", v, i == 2) for i, v in enumerate(rising)]
    assert "trend" not in last_point(broken, "up", None, settings_).rules
    assert from_chart(xmr(broken, "up", None, settings_)).rules == last_point(broken, "up", None, settings_).rules


def test_a_series_reads_as_its_points():
    points = (Point("2026-01", 1.5), Point("2026-02", 2.0, True, "new rota"), Point("2026-03", -1.0))
    series = Series.of(points)
    assert series == points and points == series and tuple(series) == points
    assert len(series) == 3 and series[1] == points[1] and series[-1] == points[-1]
    assert series[1:] == points[1:] and list(reversed(series)) == list(reversed(points))
    assert hash(series) == hash(points)
    assert pickle.loads(pickle.dumps(series)) == series
    with pytest.raises(IndexError):
        series[3]
    with pytest.raises(ValueError):
        Series(("2026-01",), array("d"))
    assert not Series((), array("d")) and Series((), array("d")) == ()


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=30),
    direction=st.sampled_from(["up", "down", None]),
    target=st.one_of(st.none(), st.floats(-1e3, 1e3, allow_nan=False)),
    minimum=st.integers(2, 14),
)
def test_what_is_kept_of_a_last_point_gives_its_icons_back(values, direction, target, minimum):
    # A worker process sends kept_last(...) through its pipe: a small number for
    # the icons, or the whole LastPoint where a rule quotes more of it.
    series = Series(tuple(f"{2020 + m // 12}-{m % 12 + 1:02d}" for m in range(len(values))), array("d", values))
    last = last_point(series, direction, target, SpcSettings(minimum_points=minimum))
    kept = spc.kept_last(last)
    icons, whole = spc.kept_icons(kept)
    assert icons == (last.variation, last.assurance, last.run_chart)
    quoted = (last.variation or "").startswith("concern") or last.assurance == "fail"
    assert (whole == last) if quoted else (type(kept) is int and whole is None)


@settings(max_examples=300, deadline=None)
@given(
    VALUES, st.sets(st.integers(0, 39)), st.sampled_from(["up", "down", None]),
    st.one_of(st.none(), st.integers(-4, 4).map(float)), SETTINGS,
)
def test_a_chart_a_worker_packs_comes_back_as_the_chart_drawn_here(values, recalculate, direction, target, spc_settings):
    # `measures` has the workers that read the CSV files draw each chart and send it packed.
    series = Series.of(tuple(Point(f"2024-{i:04d}", v, i in recalculate) for i, v in enumerate(values)))
    drawn = xmr(series, direction, target, spc_settings)
    packed = pickle.loads(pickle.dumps(spc.pack_chart(drawn), pickle.HIGHEST_PROTOCOL))
    assert type(packed) is spc.PackedChart
    back = spc.unpack_chart(packed, series)
    assert back == drawn and back.points is series
