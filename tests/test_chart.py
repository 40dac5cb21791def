"""The SVG chart (catchball.chart) and the text icons and sparkline (catchball.icons)."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catchball.chart import icon_svg, render_svg
from catchball.icons import ASSURANCE, BLUE, GREY, ORANGE, PURPLE, VARIATION, sparkline, variation_colour
from catchball.spc import Point, SpcSettings, xmr

SVG = "{http://www.w3.org/2000/svg}"
SPEC_VECTOR = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]
CONFLICT = [43, 41, 37, 36, 31, 23, 15, 13, 15, 18, 23, 27, 31, 36, 27, 19, 17, 27, 15, 22]
RECALCULATION = [16, 24, 22, 19, 19, 18, 24, 25, 18, 17, 16, 25, 15, 23, 19,
                 35, 32, 35, 31, 27, 33, 28, 38, 35, 30, 28, 29, 27, 24, 23]  # fmt: skip


def months(values, recalculate=()):
    return [
        Point(f"{2024 + (i - 1) // 12}-{(i - 1) % 12 + 1:02d}", float(v), i in recalculate)
        for i, v in enumerate(values, 1)
    ]


def render(values, direction="up", target=None, recalculate=(), title="Falls per 1,000 bed days", **settings):
    chart = xmr(months(values, recalculate), direction, target, SpcSettings(**settings))
    return chart, render_svg(chart, title=title, unit="per 1,000", target=target, direction=direction)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def point_fills(root: ET.Element) -> list[str]:
    group = root.find(f"{SVG}g[@class='points']")
    return [circle.get("fill") for circle in group.findall(f"{SVG}circle")]


def lines(root: ET.Element, name: str) -> list[ET.Element]:
    return root.findall(f"{SVG}line[@class='{name}']")


def test_the_spec_vector_chart_has_title_description_points_and_lines():
    chart, svg = render(SPEC_VECTOR, target=30)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.find(f"{SVG}title").text == "Falls per 1,000 bed days"
    desc = root.find(f"{SVG}desc").text
    assert "15 points from 2024-01 to 2025-03" in desc
    assert "Mean 23.2, process limits 8.76 to 37.64." in desc
    assert "Variation: common cause." in desc
    assert "Assurance: hit or miss" in desc
    assert point_fills(root) == [GREY] * 15
    assert len(lines(root, "mean")) == len(lines(root, "upper")) == len(lines(root, "lower")) == 1
    assert len(lines(root, "target")) == 1
    icons = {g.get("class"): g.get("data-icon") for g in root.findall(f"{SVG}g[@data-icon]")}
    assert icons == {"icon variation": "common-cause", "icon assurance": "hit-or-miss"}
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "common cause" in labels and "hit or miss" in labels
    assert "2025-03" in labels  # the last period is always labelled


def test_points_are_coloured_by_their_signal():
    _, svg = render(CONFLICT)  # MDC's conflict case: only p5 to p7 orange
    assert point_fills(parse(svg)) == [BLUE] * 4 + [ORANGE] * 3 + [BLUE] * 7 + [GREY] * 6
    _, neither = render(CONFLICT, direction=None)
    assert set(point_fills(parse(neither))) == {PURPLE, GREY}


def test_a_point_title_names_its_value_and_rules():
    _, svg = render(CONFLICT)
    titles = [c.find(f"{SVG}title").text for c in parse(svg).find(f"{SVG}g[@class='points']")]
    assert titles[0] == "2024-01: 43 per 1,000, special cause improvement (high) (outside, trend, two-of-three)"
    assert titles[-1] == "2025-08: 22 per 1,000"


def test_the_target_line_is_drawn_if_and_only_if_there_is_a_target():
    assert lines(parse(render(SPEC_VECTOR, target=None)[1]), "target") == []
    assert len(lines(parse(render(SPEC_VECTOR, target=0)[1]), "target")) == 1


def test_each_phase_has_its_own_lines_and_a_marked_start():
    chart, svg = render(RECALCULATION, target=40, recalculate=(16,))
    root = parse(svg)
    assert len(lines(root, "mean")) == len(lines(root, "upper")) == 2
    assert len(lines(root, "phase-start")) == 1
    means = [float(line.get("y1")) for line in lines(root, "mean")]
    assert means[0] > means[1]  # the second phase's mean is higher, so drawn nearer the top
    assert "recalculated 2025-04" in [t.text for t in root.iter(f"{SVG}text")]
    assert point_fills(root) == [GREY] * 24 + [ORANGE] * 6


def test_a_run_chart_has_a_mean_but_no_limits_or_icons():
    _, svg = render(SPEC_VECTOR[:12], target=30)
    root = parse(svg)
    assert len(lines(root, "mean")) == 1 and lines(root, "upper") == []
    assert root.findall(f"{SVG}g[@data-icon]") == []
    assert "No icons on a run chart" in [t.text for t in root.iter(f"{SVG}text")]


def test_the_same_input_gives_the_same_bytes():
    first = render(RECALCULATION, target=40, recalculate=(16,))[1]
    assert render(RECALCULATION, target=40, recalculate=(16,))[1] == first
    assert first.endswith("</svg>\n")


def test_untrusted_text_is_escaped():
    _, svg = render(SPEC_VECTOR, title='<script>alert("x")</script> & \x07bell')
    root = parse(svg)
    assert root.find(f"{SVG}title").text == '<script>alert("x")</script> & bell'
    assert "<script>" not in svg


def test_no_data():
    chart = xmr([], None, None)
    root = parse(render_svg(chart, title="Agency spend", unit=None, target=5, direction="down"))
    assert root.find(f"{SVG}desc").text == "Agency spend: no data yet."
    assert root.find(f"{SVG}g[@class='points']") is None


def test_a_flat_series_and_a_single_point_draw():
    for values in ([5] * 13, [5]):
        root = parse(render(values)[1])
        assert len(point_fills(root)) == len(values)


@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60),
    st.sampled_from(["up", "down", None]),
    st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
)
def test_any_series_gives_a_parseable_chart_with_one_circle_a_point(values, direction, target):
    chart = xmr(months(values), direction, target)
    svg = render_svg(chart, title="Measure", unit=None, target=target, direction=direction)
    root = parse(svg)
    assert len(point_fills(root)) == len(values)
    assert render_svg(chart, title="Measure", unit=None, target=target, direction=direction) == svg


@pytest.mark.skipif(not shutil.which("chromium"), reason="no Chromium on this machine to draw the SVG")
def test_chromium_draws_the_chart(tmp_path):
    _, svg = render(RECALCULATION, target=40, recalculate=(16,))
    (tmp_path / "chart.svg").write_text(svg, encoding="utf-8")
    png = tmp_path / "chart.png"
    subprocess.run(
        [shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={png}", "--window-size=640,320", (tmp_path / "chart.svg").as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # A drawn chart (points, lines, text) compresses far worse than a blank page (about 2 KB).
    assert len(data) > 10_000


# --- icons and sparkline -----------------------------------------------------------------------


def test_every_icon_the_chart_can_give_has_words_a_symbol_and_a_colour():
    for direction in ("up", "down", None):
        for values in (CONFLICT, [*CONFLICT, 60], [*CONFLICT, -20], SPEC_VECTOR):
            chart = xmr(months(values), direction, 30)
            for icon in {*chart.point_variations, chart.variation} - {None}:
                assert icon in VARIATION
            assert chart.assurance is None or chart.assurance in ASSURANCE
    kinds, sides = ("improvement", "concern", "neither"), ("high", "low")
    assert set(VARIATION) == {"common-cause"} | {f"{k}-{s}" for k in kinds for s in sides}


def test_symbols_need_no_emoji_font_and_tell_icons_apart_without_colour():
    symbols = [symbol for _, symbol, _ in VARIATION.values()] + [symbol for _, symbol, _ in ASSURANCE.values()]
    assert all(ch.isascii() or ch in "↑↓" for symbol in symbols for ch in symbol)
    assert len(set(symbol for _, symbol, _ in VARIATION.values())) == len(VARIATION)
    assert len(set(symbol for _, symbol, _ in ASSURANCE.values())) == len(ASSURANCE)


def test_variation_colours():
    assert [variation_colour(i) for i in (None, "common-cause", "improvement-low", "concern-high", "neither-low")] == [
        GREY, GREY, BLUE, ORANGE, PURPLE,
    ]  # fmt: skip


def test_sparkline():
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert sparkline([0, 10, 5]) == "▁█▅"
    assert sparkline([3, 3, 3]) == "▄▄▄"
    assert sparkline([]) == ""
    assert sparkline([1, float("nan"), 2]) == "▁ █"


@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), max_size=50))
def test_sparkline_is_one_block_a_value_and_keeps_the_order(values):
    line = sparkline(values)
    assert len(line) == len(values)
    blocks = "▁▂▃▄▅▆▇█"
    for (a, ca), (b, cb) in zip(zip(values, line), zip(values[1:], line[1:])):
        if a < b:
            assert blocks.index(ca) <= blocks.index(cb)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=30))
def test_sparkline_blocks_are_placed_by_the_one_formula(values):
    # The reference: each value's block from its place between the lowest and highest.
    import math

    blocks = "▁▂▃▄▅▆▇█"
    if values:
        low, high = min(values), max(values)
        span = high / 2 - low / 2
        expected = "".join(
            blocks[3] if span == 0 else blocks[min(7, int((v / 2 - low / 2) / span * 7 + 0.5))] for v in values
        )
        assert sparkline(values) == expected
        assert sparkline(values + [math.nan]) == expected + " "  # the slow route draws the same blocks
    else:
        assert sparkline(values) == ""


@given(st.lists(st.floats(-1e12, 1e12, allow_nan=False) | st.integers(-10**6, 10**6).map(float), min_size=1,
                max_size=30))
def test_decimals_are_those_written_in_the_data_between_one_and_four(values):
    from catchball.measurement import decimals
    from catchball.model import Measure, Span
    from catchball.spc import Series

    written = 0
    for value in values:  # the definition: the decimals of each value as Python writes it
        text = repr(value)
        if "e" not in text and "." in text:
            written = max(written, len(text.split(".")[1].rstrip("0")))
    measure = Measure("m", Span("f.yaml", 1, 1), points=Series.of(months(values)))

    class Chart:  # decimals reads only the measure
        pass

    chart = Chart()
    chart.measure = measure
    assert decimals(chart) == min(max(written, 1), 4)


@pytest.mark.parametrize(
    "values",
    [[0, 5e-324], [1e308, -1e308] * 7, [1e308] * 14, [1e-300, -1e-300] * 7, [1.0, 1.0 + 1e-15] * 7],
)
def test_extreme_values_draw_or_say_why_not(values):
    chart = xmr(months(values), "up", 0)
    root = parse(render_svg(chart, title="Extreme", unit=None, target=0, direction="up"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    circles = root.find(f"{SVG}g[@class='points']")
    if any(abs(v) > 1e300 for v in values):
        assert "Values too large to draw" in texts and circles is None
    else:
        assert len(circles) == len(values)


@pytest.mark.parametrize("icon", [*VARIATION, *ASSURANCE])
def test_icon_svg(icon):
    root = parse(icon_svg(icon))
    words = (VARIATION.get(icon) or ASSURANCE[icon])[0]
    assert root.find(f"{SVG}title").text.endswith(": " + words)
    assert root.find(f"{SVG}g").get("data-icon") == icon
    assert words in [t.text for t in root.iter(f"{SVG}text")]


def test_axis_labels_have_the_decimals_the_step_needs():
    values = [0.19, 0.21, 0.18, 0.2, 0.17, 0.19, 0.22, 0.18, 0.2, 0.19, 0.21, 0.18, 0.2, 0.16]
    chart = xmr(months(values), "down", 0.11)
    root = parse(render_svg(chart, title="Falls", unit=None, target=0.11, direction="down"))
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end" and t.text[0].isdigit()]
    assert len(ticks) >= 4
    assert ticks == [f"{0.10 + 0.05 * i:.2f}" for i in range(len(ticks))]
