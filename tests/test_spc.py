"""The XmR chart (catchball.spc) against the spec, MDC's published test cases and every rule's edge.

MDC's cases come from the XmR testing document of Making Data Count's Single
Chart Tool and the colour expectations kept with it (NHSDigital/
fdp-react-design-system, src/components/DataVisualisation/charts/SPC/SPCChart/
test-data/). Where that tool and MDC's SQL v2.6 differ, the spec follows the
SQL, and the test says so.

Point colours are written one letter a point: I improvement, C concern,
N neither, - common cause, . no judgement (a run-chart phase).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from catchball.spc import Chart, Point, SpcSettings, last_phase_signals, xmr


def series(values, recalculate=()):
    """Points p1, p2, ... (1-based, as MDC's document numbers them); `recalculate` lists point numbers."""
    return [
        Point(f"{2024 + (i - 1) // 12}-{(i - 1) % 12 + 1:02d}", float(v), i in recalculate)
        for i, v in enumerate(values, 1)
    ]


def colours(chart: Chart) -> str:
    letters = {None: ".", "common-cause": "-"}
    return "".join(letters.get(v) or v[0].upper() for v in chart.point_variations)


def flagged(chart: Chart, rule: str) -> list[int]:
    """1-based point numbers flagged by one rule."""
    return sorted({s.index + 1 for s in chart.signals if s.rule == rule})


# --- the spec's test vector and MDC's cases ----------------------------------------------------

SPEC_VECTOR = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]


def test_spec_test_vector():
    chart = xmr(series(SPEC_VECTOR), "up", None)
    assert (round(chart.mean, 2), round(chart.upper, 2), round(chart.lower, 2)) == (23.20, 37.64, 8.76)
    assert chart.signals == ()
    assert chart.variation == "common-cause"
    assert chart.assurance is None  # no target
    phase = chart.phases[0]
    # Two-sigma lines: mean ± (2/3) × 2.66 × mean moving range (76/14).
    assert phase.upper_two_sigma == pytest.approx(23.2 + 2 / 3 * 2.66 * 76 / 14)
    assert phase.lower_two_sigma == pytest.approx(23.2 - 2 / 3 * 2.66 * 76 / 14)


def test_ten_points_show_the_mean_only_on_mdc_document_but_limits_come_with_minimum_points():
    ten = SPEC_VECTOR[:10]
    run = xmr(series(ten), "up", None)
    assert run.run_chart and run.mean is None and run.upper is None and run.phases[0].run_chart
    # With the minimum lowered, the same ten points give MDC's mean of 22.10.
    chart = xmr(series(ten), "up", None, SpcSettings(minimum_points=10))
    assert round(chart.mean, 2) == 22.10
    assert chart.upper == pytest.approx(22.1 + 2.66 * 46 / 9)


def test_twelve_points_are_a_run_chart_and_thirteen_an_xmr_chart():
    twelve = [30, 31, 25, 35, 34, 15, 21, 23, 30, 26, 26, 22]
    run = xmr(series(twelve), "up", 45)
    assert run.run_chart
    assert (run.mean, run.upper, run.lower, run.variation, run.assurance) == (None,) * 5
    assert run.signals == () and colours(run) == "." * 12
    chart = xmr(series(twelve + [25]), "up", 45)
    assert not chart.run_chart
    assert chart.variation == "common-cause"
    assert chart.assurance == "fail"  # 45 is above the upper limit (40.35) and high is good


SPECIAL_CAUSE = [8, 27, 32, 26, 20, 21, 23, 21, 23, 22, 26, 23, 20, 20, 29,
                 28, 22, 23, 25, 26, 28, 29, 26, 24, 36, 29, 35, 22, 30, 18]  # fmt: skip


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("up", "C---CCCCCC------IIIIII--I-I---"),
        ("down", "I---IIIIII------CCCCCC--C-C---"),
        (None, "N---NNNNNN------NNNNNN--N-N---"),
    ],
)
def test_mdc_special_cause_colours_by_direction(direction, expected):
    chart = xmr(series(SPECIAL_CAUSE), direction, None)
    assert colours(chart) == expected
    assert flagged(chart, "outside") == [1]
    assert flagged(chart, "shift") == [5, 6, 7, 8, 9, 10]
    assert flagged(chart, "trend") == [17, 18, 19, 20, 21, 22]
    assert flagged(chart, "two-of-three") == [25, 27]


def test_mdc_single_points_at_the_ends():
    chart = xmr(series([45, 29, 20, 22, 25, 20, 27, 24, 22, 23, 20, 26, 20, 15, 5]), "up", None)
    assert colours(chart) == "I-------------C"
    assert [(s.index, s.rule, s.side, s.kind) for s in chart.signals] == [
        (0, "outside", "high", "improvement"),
        (14, "outside", "low", "concern"),
    ]
    assert chart.variation == "concern-low"


def test_mdc_shift_at_the_ends_and_in_the_middle():
    ends = xmr(series([31, 35, 34, 29, 29, 32, 26, 26, 32, 35, 30, 18, 31, 25, 27, 22, 18, 25, 25, 17]), "up", None)
    assert colours(ends) == "IIIIII-------CCCCCCC"
    middle = xmr(series([31, 22, 19, 21, 18, 18, 22, 22, 29, 25, 23, 26, 31, 26, 28, 29, 32, 24, 31, 22]), "up", None)
    assert colours(middle) == "-CCCCCCC---IIIIII---"


def test_mdc_trend_without_and_with_pauses():
    rises_and_falls = [11, 14, 18, 20, 22, 23, 18, 21, 17, 23, 26, 20, 16, 25, 23, 22, 19, 16, 15, 12]
    no_pauses = xmr(series(rises_and_falls), "up", None)
    assert colours(no_pauses) == "IIIIII-------CCCCCCC"
    # 13 14 18 18 24 26 29 and 30 28 25 25 20 18: a repeated value pauses each run.
    pauses = xmr(series([23, 30, 28, 25, 25, 20, 18, 24, 16, 13, 14, 18, 18, 24, 26, 29, 19, 20, 28, 16]), "up", None)
    assert pauses.signals == ()


TWO_SIGMA = [42, 40, 39, 26, 39, 24, 22, 29, 32, 22, 20, 23, 25, 26, 22, 24, 27, 7, 19, 24, 7, 7, 32]


def test_mdc_two_sigma_windows():
    chart = xmr(series(TWO_SIGMA), "up", None)
    assert flagged(chart, "two-of-three") == [1, 2, 3, 5, 21, 22]
    assert flagged(chart, "outside") == []
    # p4 below the mean: the window p3-p5 is no longer on one side; p20 above the mean: nor is p20-p22.
    changed = list(TWO_SIGMA)
    changed[3], changed[19] = 24, 26
    assert flagged(xmr(series(changed), "up", None), "two-of-three") == [1, 2, 3]


def test_two_of_three_counts_a_point_beyond_the_process_limit_as_sql_v26_does():
    # MDC's document, case 2: p22 = 2 is below the lower limit. The Single Chart Tool
    # does not count it for two-of-three (so p21 stays grey); SQL v2.6 and the spec do.
    changed = list(TWO_SIGMA)
    changed[21] = 2
    chart = xmr(series(changed), "up", None)
    assert flagged(chart, "outside") == [22]
    assert flagged(chart, "two-of-three") == [1, 2, 3, 5, 21, 22]


def test_nhsrplotthedots_two_of_three_needs_one_side_of_the_mean():
    # NHSRplotthedots: two successive points beyond the two-sigma lines on opposite sides.
    chart = xmr(series([1, -1] * 7 + [5.5, -5.5]), None, None)
    assert chart.point_variations[-2:] == ("common-cause", "common-cause")


CONFLICT = [43, 41, 37, 36, 31, 23, 15, 13, 15, 18, 23, 27, 31, 36, 27, 19, 17, 27, 15, 22]


def test_mdc_conflict_high_is_good_shows_improvement_where_a_point_is_flagged_both_ways():
    # MDC: p1-p8 fall, p6-p11 sit below the mean, p1-p2 are above the limit, p3-p4 beyond
    # two sigma and p8-p14 rise, "so only p5 to p7 are shown in orange".
    chart = xmr(series(CONFLICT), "up", None)
    assert colours(chart) == "IIIICCCIIIIIII------"
    p8 = [(s.rule, s.side, s.kind) for s in chart.signals if s.index == 7]
    assert p8 == [
        ("shift", "low", "concern"),
        ("trend", "high", "improvement"),
        ("trend", "low", "concern"),
        ("two-of-three", "low", "concern"),
    ]
    assert chart.point_variations[7] == "improvement-high"


def test_mdc_conflict_low_is_good():
    # "only p12 to p14 are shown in orange"
    chart = xmr(series(CONFLICT), "down", None)
    assert colours(chart) == "IIIIIIIIIIICCC------"
    assert chart.point_variations[0] == "improvement-low"  # above the limit (concern) and falling (improvement)


RECALCULATION = [16, 24, 22, 19, 19, 18, 24, 25, 18, 17, 16, 25, 15, 23, 19,
                 35, 32, 35, 31, 27, 33, 28, 38, 35, 30, 28, 29, 27, 24, 23]  # fmt: skip


def test_mdc_recalculation_gives_each_phase_its_own_limits():
    one = xmr(series(RECALCULATION), "up", None)
    assert colours(one) == "C" * 15 + "I" * 13 + "--"
    two = xmr(series(RECALCULATION, recalculate=(16,)), "up", None)
    assert [(p.start, p.end) for p in two.phases] == [(0, 15), (15, 30)]
    assert two.phases[0].mean == pytest.approx(20.0)
    assert two.phases[1].mean == pytest.approx(455 / 15)
    assert (two.mean, two.upper, two.lower) == (two.phases[1].mean, two.phases[1].upper, two.phases[1].lower)
    assert colours(two) == "-" * 24 + "C" * 6
    assert two.variation == "concern-low"
    assert [s.index for s in last_phase_signals(two)] == list(range(24, 30))
    assert all(s.rule == "shift" for s in last_phase_signals(two))


def test_mdc_baseline_is_fix_limits_after():
    chart = xmr(series(RECALCULATION), "up", None, SpcSettings(fix_limits_after=15))
    assert len(chart.phases) == 1
    assert chart.mean == pytest.approx(20.0)  # of the first 15 points, extended to all 30
    assert chart.upper == pytest.approx(20.0 + 2.66 * 61 / 14)
    assert colours(chart) == "-" * 15 + "I" * 15


def test_fix_limits_after_applies_to_each_phase_and_longer_than_the_phase_uses_all():
    values = RECALCULATION
    chart = xmr(series(values, recalculate=(16,)), "up", None, SpcSettings(fix_limits_after=13))
    assert chart.phases[0].mean == pytest.approx(sum(values[:13]) / 13)
    assert chart.phases[1].mean == pytest.approx(sum(values[15:28]) / 13)
    whole = xmr(series(values), "up", None, SpcSettings(fix_limits_after=100))
    assert whole.mean == xmr(series(values), "up", None).mean


def test_trend_crosses_a_recalculation_shift_does_not():
    # MDC's "special cause crossing recalculations" series, recalculated at p16.
    base = [28, 23, 26, 21, 23, 25, 24, 29, 30, 27, 25, 30, 27, 24, 19,
            22, 28, 28, 29, 33, 28, 30, 31, 30, 26, 27, 34, 30, 32, 35]  # fmt: skip
    # p14-p19 are below their phases' means, but a shift stops at the recalculation (SQL v2.6).
    assert xmr(series(base, recalculate=(16,)), "up", None).signals == ()
    rising = list(base)
    rising[13], rising[16] = 26, 26  # p15-p20: 19 22 26 28 29 33 rise across the recalculation
    chart = xmr(series(rising, recalculate=(16,)), "up", None)
    assert flagged(chart, "trend") == [15, 16, 17, 18, 19, 20]


@pytest.mark.parametrize(
    ("last", "direction", "icon"),
    [
        (45, "up", "improvement-high"),
        (25, "up", "common-cause"),
        (5, "up", "concern-low"),
        (45, "down", "concern-high"),
        (5, "down", "improvement-low"),
        (45, None, "neither-high"),
        (5, None, "neither-low"),
    ],
)
def test_mdc_variation_icon_from_the_last_point(last, direction, icon):
    values = [16, 20, 22, 18, 21, 18, 26, 28, 24, 26, 19, 18, 25, 32, 43, 28, 22, last]
    assert xmr(series(values), direction, None).variation == icon


@pytest.mark.parametrize(
    ("direction", "target", "assurance"),
    [
        ("up", 40, "fail"),
        ("up", 30, "hit-or-miss"),
        ("up", 10, "pass"),
        ("down", 40, "pass"),
        ("down", 30, "hit-or-miss"),
        ("down", 10, "fail"),
        (None, 30, None),
        ("up", None, None),
    ],
)
def test_mdc_assurance(direction, target, assurance):
    chart = xmr(series(RECALCULATION), direction, target)
    assert (round(chart.lower, 2), round(chart.upper, 2)) == (13.33, 37.0)
    assert chart.assurance == assurance


def test_assurance_uses_the_latest_limits_and_a_target_on_a_limit():
    recalculated = xmr(series(RECALCULATION, recalculate=(16,)), "up", 40)
    assert recalculated.assurance == "hit-or-miss"  # 40 is inside 20.45 .. 40.21
    # On the limit counts as at it ("at or below the lower limit").
    steady = [10, 12] * 7  # mean 11, mean moving range 2: limits 5.68 and 16.32
    chart = xmr(series(steady), "up", None)
    assert xmr(series(steady), "up", chart.lower).assurance == "pass"
    assert xmr(series(steady), "up", chart.upper).assurance == "fail"
    assert xmr(series(steady), "down", chart.upper).assurance == "pass"
    assert xmr(series(steady), "down", chart.lower).assurance == "fail"


# --- rule edges of our own ---------------------------------------------------------------------

# Limits fixed on 14 points alternating 12 and 10: mean 11, mean moving range 2, so limits
# 16.32 and 5.68 and two-sigma lines 14.55 and 7.45 judge every point added after them.
BASE = [12, 10] * 7
FIXED = SpcSettings(fix_limits_after=14)


def judged(added, direction="up", **settings):
    return xmr(series(BASE + added), direction, None, SpcSettings(fix_limits_after=14, **settings))


def test_the_fixed_base():
    chart = judged([])
    assert (chart.mean, chart.upper, chart.lower) == pytest.approx((11, 16.32, 5.68))
    assert (chart.phases[0].upper_two_sigma, chart.phases[0].lower_two_sigma) == pytest.approx(
        (11 + 2 / 3 * 5.32, 11 - 2 / 3 * 5.32)
    )
    assert chart.signals == ()


def test_shift_of_six_flags_all_six_and_five_flag_nothing():
    assert flagged(judged([12, 12.5, 12, 12.5, 12, 12.5]), "shift") == [15, 16, 17, 18, 19, 20]
    assert flagged(judged([12, 12.5, 12, 12.5, 12, 10]), "shift") == []
    assert flagged(judged([12, 12.5, 12, 12.5, 12, 12.5], shift=7), "shift") == []
    assert flagged(judged([12, 12.5, 12, 12.5, 12, 12.5, 12], shift=7), "shift") == list(range(15, 22))


def test_a_point_on_the_mean_ends_a_run():
    assert flagged(judged([12, 12.5, 12, 11, 12, 12.5, 12]), "shift") == []
    assert flagged(judged([12, 12.5, 12, 11.5, 12, 12.5, 12]), "shift") == list(range(15, 22))


def test_trend_of_six_points_is_five_rises_and_an_equal_value_ends_it():
    six = judged([10, 10.5, 11, 11.5, 12, 12.5])  # p14 is 10 too, so the run starts at p15
    assert flagged(six, "trend") == list(range(15, 21))
    assert {(s.side, s.kind) for s in six.signals if s.rule == "trend"} == {("high", "improvement")}
    assert flagged(judged([10, 10.5, 11, 11, 11.5, 12, 12.5]), "trend") == []  # runs of 3 and 4 points
    assert flagged(judged([10, 10.5, 11, 11.5, 12]), "trend") == []
    assert flagged(judged([10, 10.5, 11, 11.5, 12, 12.5], trend=7), "trend") == []


def test_falling_trend_is_low_and_a_turn_joins_two_trends():
    chart = judged([13, 12.5, 12, 11.5, 11, 10.5, 11, 11.5, 12, 12.5, 13], direction=None)
    low = [s.index + 1 for s in chart.signals if s.rule == "trend" and s.side == "low"]
    high = [s.index + 1 for s in chart.signals if s.rule == "trend" and s.side == "high"]
    assert low == list(range(15, 21)) and high == list(range(20, 26))
    # p20 turns: flagged low and high with no direction; it is below the mean, so "low".
    assert chart.point_variations[19] == "neither-low"
    # With a direction the improvement side wins the conflict.
    assert judged([13, 12.5, 12, 11.5, 11, 10.5, 11, 11.5, 12, 12.5, 13]).point_variations[19] == "improvement-high"
    assert judged([13, 12.5, 12, 11.5, 11, 10.5, 11, 11.5, 12, 12.5, 13], "down").point_variations[19] == (
        "improvement-low"
    )


def test_two_of_three_with_one_point_beyond_the_process_limit():
    chart = judged([11.5, 15, 17])  # 15 beyond the upper two-sigma line, 17 beyond the limit
    assert flagged(chart, "outside") == [17]
    assert flagged(chart, "two-of-three") == [16, 17]
    assert chart.variation == "improvement-high"


def test_two_of_three_needs_two_beyond_the_line_and_all_three_on_one_side():
    assert flagged(judged([11.5, 15, 12]), "two-of-three") == []
    lower = judged([10.5, 7, 7], "down")
    assert flagged(lower, "two-of-three") == [16, 17]
    assert {(s.side, s.kind) for s in lower.signals} == {("low", "improvement")}
    assert flagged(judged([15, 7, 15]), "two-of-three") == []
    assert flagged(judged([11.5, 15, 10.5, 15]), "two-of-three") == []  # p17 below the mean breaks both windows


def test_a_point_on_a_limit_or_a_line_is_not_beyond_it():
    chart = judged([])
    assert flagged(judged([chart.upper]), "outside") == []
    line = chart.phases[0].upper_two_sigma
    assert flagged(judged([11.5, line, line]), "two-of-three") == []


def test_signals_in_index_then_rule_order():
    chart = xmr(series(CONFLICT), "up", None)
    order = ["outside", "shift", "trend", "two-of-three"]
    keys = [(s.index, order.index(s.rule), s.side) for s in chart.signals]
    assert keys == sorted(keys)
    assert all(s.period == chart.points[s.index].period for s in chart.signals)


def test_a_short_last_phase_is_a_run_chart_with_earlier_phases_kept():
    values = RECALCULATION + [30, 31, 29]
    chart = xmr(series(values, recalculate=(31,)), "up", 40)
    assert chart.run_chart and chart.phases[-1].run_chart
    assert (chart.mean, chart.upper, chart.lower, chart.variation, chart.assurance) == (None,) * 5
    assert chart.phases[0].mean == pytest.approx(sum(RECALCULATION) / 30)  # the earlier phase keeps its limits
    assert colours(chart) == "C" * 15 + "I" * 13 + "--" + "..."
    assert last_phase_signals(chart) == ()


def test_a_trend_does_not_run_into_a_run_chart_phase():
    values = BASE[:12] + [10, 11, 12, 13] + [14, 15, 16]  # four rises in the XmR phase, three after
    chart = xmr(series(values, recalculate=(17,)), "up", None, SpcSettings(minimum_points=12))
    assert chart.phases[-1].run_chart
    assert flagged(chart, "trend") == []
    whole = xmr(series(values), "up", None, SpcSettings(minimum_points=12))
    assert flagged(whole, "trend") == list(range(13, 20))


def test_no_data():
    chart = xmr([], "up", 3)
    assert chart.phases == () and chart.signals == () and chart.points == ()
    assert (chart.mean, chart.upper, chart.lower, chart.variation, chart.assurance) == (None,) * 5
    assert last_phase_signals(chart) == ()


def test_a_constant_series_has_zero_width_limits_and_no_signal():
    chart = xmr(series([5] * 13), "up", 5)
    assert (chart.mean, chart.upper, chart.lower) == (5, 5, 5)
    assert chart.signals == ()
    assert chart.assurance == "pass"  # target at the lower limit


def test_limits_are_not_clamped_at_zero():
    chart = xmr(series([0, 3] * 7), "down", None)
    assert chart.lower < 0


def test_bad_arguments_are_programming_errors():
    with pytest.raises(ValueError):
        xmr(series(BASE), "sideways", None)
    with pytest.raises(ValueError):
        SpcSettings(minimum_points=1)
    with pytest.raises(ValueError):
        SpcSettings(fix_limits_after=1)


# --- properties --------------------------------------------------------------------------------

values_on_a_grid = st.lists(st.integers(-1000, 1000), min_size=13, max_size=40)
recalculations = st.sets(st.integers(2, 40), max_size=2)
directions = st.sampled_from(["up", "down", None])


def signal_keys(chart):
    return [(s.index, s.rule, s.side, s.kind) for s in chart.signals]


def clear_of_every_line(values, chart, tolerance=1e-9, on_mean=True):
    """True when no point is within a relative tolerance of a mean or line it is compared with.

    A point exactly on the mean stays on it when a whole number is added to
    whole numbers (`on_mean`), but not always when they are scaled.
    """
    for phase in chart.phases:
        if phase.run_chart:
            continue
        lines = (phase.mean, phase.upper, phase.lower, phase.upper_two_sigma, phase.lower_two_sigma)
        scale = max(1.0, *(abs(v) for v in values))
        for v in values[phase.start : phase.end]:
            if any(v != line and abs(v - line) <= tolerance * scale for line in lines):
                return False
            if any(v == line for line in (lines[1:] if on_mean else lines)):
                return False
    return True


@given(values_on_a_grid, recalculations, directions)
def test_limits_are_symmetric_about_the_mean(values, recalc, direction):
    chart = xmr(series(values, recalc), direction, None)
    for phase in chart.phases:
        if not phase.run_chart:
            assert phase.upper - phase.mean == pytest.approx(phase.mean - phase.lower, abs=1e-9)
            assert phase.upper_two_sigma - phase.mean == pytest.approx(phase.mean - phase.lower_two_sigma, abs=1e-9)
            assert phase.lower <= phase.lower_two_sigma <= phase.mean <= phase.upper_two_sigma <= phase.upper


@given(values_on_a_grid, recalculations, directions, st.integers(-10_000, 10_000))
def test_adding_a_constant_moves_mean_and_limits_and_changes_no_signal(values, recalc, direction, constant):
    chart = xmr(series(values, recalc), direction, None)
    assume(clear_of_every_line(values, chart))
    moved = xmr(series([v + constant for v in values], recalc), direction, None)
    assert signal_keys(moved) == signal_keys(chart)
    assert moved.point_variations == chart.point_variations
    for a, b in zip(chart.phases, moved.phases):
        if not a.run_chart:
            assert b.mean == pytest.approx(a.mean + constant, abs=1e-6)
            assert b.upper == pytest.approx(a.upper + constant, abs=1e-6)
            assert b.lower == pytest.approx(a.lower + constant, abs=1e-6)


@given(values_on_a_grid, recalculations, directions, st.integers(-20, 20))
def test_scaling_by_a_power_of_two_changes_no_signal_exactly(values, recalc, direction, exponent):
    # Powers of two scale every float operation exactly, so no tolerance is needed.
    factor = 2.0**exponent
    chart = xmr(series(values, recalc), direction, None)
    scaled = xmr(series([v * factor for v in values], recalc), direction, None)
    assert signal_keys(scaled) == signal_keys(chart)
    assert scaled.mean == (None if chart.mean is None else chart.mean * factor)


@given(values_on_a_grid, recalculations, directions, st.floats(0.001, 1000))
def test_scaling_by_a_positive_factor_changes_no_signal(values, recalc, direction, factor):
    chart = xmr(series(values, recalc), direction, None)
    assume(clear_of_every_line(values, chart, tolerance=1e-6, on_mean=False))
    scaled = xmr(series([v * factor for v in values], recalc), direction, None)
    assert signal_keys(scaled) == signal_keys(chart)
    assert scaled.variation == chart.variation
    if chart.mean is not None:
        assert math.isclose(scaled.upper, chart.upper * factor, rel_tol=1e-9, abs_tol=1e-9)


def test_values_near_the_float_limit_raise_nothing():
    big = xmr(series([1e308] * 14), "up", None)
    assert big.mean == 1e308 and big.signals == ()
    wide = xmr(series([1e308, -1e308] * 7), "up", None)
    assert wide.mean == 0 and wide.upper == math.inf and wide.lower == -math.inf
    assert not any(s.rule == "outside" for s in wide.signals)
