"""spc.xmr, made faster, gives exactly what it gave before (tests/reference/spc.py).

Every field of the chart: points, phases with their mean and lines, every
signal in order, the icons, the last phase's mean and limits, and each
point's variation. Small whole numbers make ties common (a point on the mean,
an equal step), where runs, shifts and trends end.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from catchball import spc
from tests.reference import spc as reference

VALUES = st.one_of(
    st.lists(st.integers(-3, 3).map(float), max_size=40),
    st.lists(st.sampled_from([0.0, 1.0, 1.0, 2.0, 50.0, -50.0]), max_size=40),
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=40),
    st.lists(st.floats(-1e307, 1e307, allow_nan=False, allow_infinity=False), max_size=12),
)


@settings(max_examples=1500, deadline=None)
@given(
    VALUES,
    st.sets(st.integers(0, 39)),
    st.sampled_from(["up", "down", None]),
    st.one_of(st.none(), st.integers(-4, 4).map(float), st.floats(-1e6, 1e6, allow_nan=False)),
    st.builds(
        spc.SpcSettings, minimum_points=st.integers(2, 15), shift=st.integers(2, 9), trend=st.integers(2, 9),
        fix_limits_after=st.one_of(st.none(), st.integers(2, 12)),
    ),
)
def test_xmr_gives_what_it_gave_before(values, recalculate, direction, target, spc_settings):
    points = tuple(spc.Point(f"2024-{i:04d}", v, i in recalculate, "n" if i % 7 == 0 else None) for i, v in enumerate(values))
    expected = reference.xmr(points, direction, target, spc_settings)
    assert spc.xmr(points, direction, target, spc_settings) == expected  # every field, each point's variation too
    assert spc.xmr(spc.Series.of(points), direction, target, spc_settings) == expected
