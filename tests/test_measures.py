"""CB405, CB602-CB605, `done`, the spc settings, and the measures and chart commands end to end."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import HEALTHY, block, codes

MONTHS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)][:23]  # 2025-01 .. 2026-11
# MDC's XmR test vector: mean 23.20, limits 8.76 to 37.64, no signal.
VECTOR = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]


def series(values, start: int = 0) -> str:
    return "".join(f"{MONTHS[start + i]}: {v}\n" for i, v in enumerate(values))


def with_data(values, target=20, direction="down", start: int = 0, extra: str = "") -> dict:
    """HEALTHY with TN-SAFE's measure carrying `values` inline (from 2025-01 + start)."""
    text = (
        "aims:\n  - id: TN-SAFE\n    title: Zero avoidable harm\n    owner: ceo\n    measures:\n"
        f"      - id: harm\n        name: Harm events\n        baseline: 30\n        target: {target}\n"
        f"        direction: {direction}\n        data:\n" + block(series(values, start), 10) + extra
    )
    return {"true-north.yaml": text}


def harm(result):
    return next(c for c in result.cascade.measure_charts if c.name == "harm")


def found(result, code):
    return [(f.id, f.message) for f in result.findings if f.code == code]


# -- CB405 overdue and done ------------------------------------------------------------


def test_overdue_uses_the_as_of_date(check_repo):
    # P-SN-1 is due 2026-12-31, W7-1 2027-01-31, SURG-1 2027-03-31
    assert found(check_repo(as_of=dt.date(2026, 12, 31)), "CB405") == []
    assert [i for i, _ in found(check_repo(as_of=dt.date(2027, 1, 1)), "CB405")] == ["P-SN-1"]
    late = check_repo(as_of=dt.date(2027, 2, 1))
    assert [i for i, _ in found(late, "CB405")] == ["P-SN-1", "W7-1"]  # in file order: objectives/people/ first
    assert "due 2027-01-31, 1 day before 2027-02-01" in found(late, "CB405")[1][1]


def test_done_is_never_overdue_and_traces(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("due: 2027-01-31", "due: 2027-01-31\n    status: done")
    result = check_repo({"objectives/ward-7.yaml": ward}, as_of=dt.date(2027, 6, 1))
    assert [i for i, _ in found(result, "CB405")] == ["P-SN-1", "SURG-1"]
    assert result.cascade.traces("W7-1") and result.cascade.traces("P-SN-1")  # supports a done objective: traces
    assert found(result, "CB205") == []


def test_dropped_objectives_are_not_overdue(check_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("due: 2027-01-31", "due: 2027-01-31\n    status: dropped")
    result = check_repo({"objectives/ward-7.yaml": ward}, as_of=dt.date(2027, 2, 1))
    assert "W7-1" not in [i for i, _ in found(result, "CB405")]


def test_done_is_not_counted_by_cb304(check_repo):
    objectives = "".join(
        f"  - {{id: S-{i}, title: Thing {i}, supports: [TN-SAFE], owner: dd, status: {'done' if i < 3 else 'agreed'}, "
        f"measures: [{{name: m, baseline: 1, target: 2}}]}}\n"
        for i in range(6)
    )
    result = check_repo({"objectives/surgery.yaml": "team: surgery\nobjectives:\n" + objectives})
    assert found(result, "CB304") == []
    result = check_repo({"objectives/surgery.yaml": "team: surgery\nobjectives:\n" + objectives.replace("done", "agreed")})
    assert [i for i, _ in found(result, "CB304")] == ["surgery"]


def test_status_shows_done_in_its_own_column(cli, make_repo):
    ward = HEALTHY["objectives/ward-7.yaml"].replace("due: 2027-01-31", "due: 2027-01-31\n    status: done")
    root = make_repo({"objectives/ward-7.yaml": ward})
    text = cli("status", root).stdout
    header = next(line for line in text.splitlines() if line.startswith("Team"))
    assert header.split()[1:] == ["proposed", "challenged", "agreed", "done", "dropped"]
    document = json.loads(cli("status", "--format", "json", root).stdout)
    assert document["totals"] == {"proposed": 0, "challenged": 0, "agreed": 2, "done": 1, "dropped": 0}


# -- CB602 to CB605 ------------------------------------------------------------------------


def test_nothing_new_without_data(check_repo):
    result = check_repo()
    assert [c for c, _ in codes(result) if c.startswith("CB6")] == []


def test_no_data_fires_once_some_measure_has_data(check_repo):
    result = check_repo(with_data(VECTOR))
    assert [i for i, _ in found(result, "CB602")] == ["SURG-1", "W7-1"]
    assert "objective SURG-1: measure 'Falls with harm' has no data yet" in found(result, "CB602")[0][1]


def test_the_vector_gives_no_signal_and_its_limits(check_repo):
    result = check_repo(with_data(VECTOR, target=20))
    chart = harm(result)
    assert (round(chart.chart.mean, 2), round(chart.chart.upper, 2), round(chart.chart.lower, 2)) == (23.2, 37.64, 8.76)
    assert chart.variation == "common-cause" and chart.assurance == "hit-or-miss"
    assert found(result, "CB604") == found(result, "CB605") == []


def test_concern_on_the_last_point(check_repo):
    rising = VECTOR[:13] + [40, 41]  # far above the upper limit, and the measure should go down
    result = check_repo(with_data(rising))
    assert found(result, "CB604") == [
        ("TN-SAFE", "aim TN-SAFE: measure 'Harm events': the last point (2026-03: 41) shows special-cause variation "
         "of concern (outside, two-of-three)")
    ]
    assert found(check_repo(with_data(rising, direction="up")), "CB604") == []  # the same rise is an improvement


def test_target_out_of_reach(check_repo):
    result = check_repo(with_data(VECTOR, target=5))
    assert [i for i, _ in found(result, "CB605")] == ["TN-SAFE"]
    assert "the target 5 is outside the process limits (8.8 to 37.6)" in found(result, "CB605")[0][1]
    assert found(check_repo(with_data(VECTOR, target=40)), "CB605") == []  # pass: consistently below 40


def test_stale_data_from_the_end_of_the_last_month(check_repo):
    files = with_data(VECTOR)  # the last point is 2026-03, which ends on 2026-03-31
    assert found(check_repo(files, as_of=dt.date(2026, 6, 1)), "CB603") == []  # 62 days
    stale = found(check_repo(files, as_of=dt.date(2026, 6, 2)), "CB603")
    assert stale == [("TN-SAFE", "aim TN-SAFE: measure 'Harm events': the last point is 2026-03, more than 62 days before 2026-06-02")]


def test_bad_data_gets_no_conclusions(check_repo):
    bad = with_data(VECTOR[:13] + [40, "forty"], target=5)
    result = check_repo(bad, as_of=dt.date(2027, 6, 1))
    # no CB603 to CB605, and no CB602 either: no measure has usable data yet
    assert {c for c, _ in codes(result) if c.startswith("CB6")} == {"CB601"}


def test_a_run_chart_has_no_icons_and_no_signals(check_repo):
    result = check_repo(with_data([1, 2, 3, 4, 5, 6, 7, 50], target=0))  # 8 points: fewer than 13
    chart = harm(result)
    assert chart.chart.run_chart and chart.variation is None and chart.assurance is None
    assert found(result, "CB604") == found(result, "CB605") == []


# -- settings -------------------------------------------------------------------------


def test_spc_settings_change_the_chart(check_repo):
    settings = HEALTHY["catchball.yaml"] + "spc:\n  minimum-points: 20\n  stale-after: 10\n"
    result = check_repo({**with_data(VECTOR), "catchball.yaml": settings}, as_of=dt.date(2026, 4, 11))
    assert harm(result).chart.run_chart  # 15 points < 20
    assert [i for i, _ in found(result, "CB603")] == ["TN-SAFE"]  # 11 days after 2026-03-31


@pytest.mark.parametrize(
    "spc, message",
    [
        ("minimum-points: 1", "`spc: minimum-points` must be 2 or more, not 1"),
        ("shift: 5", "`spc: shift` must be 6 to 8, not 5"),
        ("trend: 9", "`spc: trend` must be 6 to 8, not 9"),
        ("fix-limits-after: 1", "`spc: fix-limits-after` must be 2 or more, not 1"),
        ("stale-after: -1", "`spc: stale-after` must be 0 or more, not -1"),
        ("shift: seven", "`spc: shift` must be a whole number, not 'seven'"),
        ("[1, 2]", "`spc` must be a mapping"),
    ],
)
def test_bad_spc_settings_exit_2(cli, make_repo, spc, message):
    root = make_repo({"catchball.yaml": "organisation: Test Trust\nspc:\n  " + spc.replace("[1, 2]", "") + "\n"
                      if not spc.startswith("[") else "organisation: Test Trust\nspc: [1, 2]\n"})
    result = cli("check", root)
    assert result.exit_code == 2 and message in result.stderr


def test_an_unknown_spc_key_is_cb103(check_repo):
    result = check_repo({"catchball.yaml": "organisation: Test Trust\nspc:\n  minimum-pts: 10\n"})
    assert ("CB103", None) in codes(result)


# -- the measures command ----------------------------------------------------------------


def data_repo(make_repo, values=VECTOR, **kw):
    return make_repo(with_data(values, **kw))


def test_measures_json_is_the_spec_document(cli, make_repo):
    root = data_repo(make_repo, values=VECTOR[:13] + [40, 41])
    result = cli("measures", "--format", "json", "--as-of", "2026-12-01", root)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert list(document) == ["version", "root", "as_of", "measures"]
    assert (document["version"], document["root"], document["as_of"]) == (1, str(root), "2026-12-01")
    # sorted by file: objectives/surgery.yaml, objectives/ward-7.yaml, true-north.yaml
    first = document["measures"][2]
    assert list(first) == [
        "id", "name", "element", "unit", "direction", "baseline", "target", "by", "points", "phases", "latest",
        "mean", "upper", "lower", "variation", "assurance", "signals", "file", "line", "column",
    ]
    assert first["id"] == "harm" and first["element"] == "TN-SAFE" and first["points"] == 15 and first["phases"] == 1
    assert first["latest"] == {"period": "2026-03", "value": 41.0}
    assert first["variation"] == "concern-high" and first["assurance"] == "hit-or-miss"
    # in period order, then rule order; the early shift below the mean is in the same phase
    assert first["signals"][0] == {"period": "2025-01", "rule": "shift", "side": "low"}
    assert first["signals"][-3:] == [
        {"period": "2026-02", "rule": "two-of-three", "side": "high"},
        {"period": "2026-03", "rule": "outside", "side": "high"},
        {"period": "2026-03", "rule": "two-of-three", "side": "high"},
    ]
    assert len(first["signals"]) == 13
    assert (first["file"], first["line"], first["column"]) == (f"{root}/true-north.yaml", 6, 9)
    assert isinstance(first["mean"], float) and first["mean"] != round(first["mean"], 2)  # not rounded
    rest = document["measures"][:2]
    assert [(m["element"], m["id"], m["points"], m["latest"], m["variation"]) for m in rest] == [
        ("SURG-1", None, 0, None, None), ("W7-1", None, 0, None, None)
    ]


def test_measures_text_lists_icons_and_no_data_at_the_end(cli, make_repo):
    root = data_repo(make_repo, values=VECTOR[:13] + [40, 41])
    result = cli("measures", root)
    assert result.exit_code == 0
    text = result.stdout
    assert "◆ TN-SAFE  Zero avoidable harm" in text
    assert "C↑ concern (high)" in text and "? hit or miss" in text
    # only the signals that reach the last points: not the shift of 2025
    assert "signals: two-of-three high (2 points, 2026-02 to 2026-03)\n             outside high (2026-03)\n" in text
    assert text.index("No data yet (2)") > text.index("C↑ concern (high)")
    assert "  SURG-1:1  Falls with harm\n" in text
    assert "\x1b[" not in text  # no colour off a terminal


def test_measures_filters(cli, make_repo):
    root = data_repo(make_repo)
    by_team = json.loads(cli("measures", "--format", "json", "--team", "ward-7", root).stdout)
    assert [m["element"] for m in by_team["measures"]] == ["W7-1"]
    by_element = json.loads(cli("measures", "--format", "json", "--element", "SURG-1", root).stdout)
    assert [m["element"] for m in by_element["measures"]] == ["SURG-1", "W7-1"]
    by_aim = json.loads(cli("measures", "--format", "json", "--aim", "TN-SAFE", root).stdout)
    assert len(by_aim["measures"]) == 3
    for option, value in (("--aim", "TN-SAF"), ("--team", "ward7"), ("--element", "nope"), ("--as-of", "2026-02-30")):
        failed = cli("measures", option, value, root)
        assert failed.exit_code == 2 and failed.stderr.startswith("catchball: error:")


def test_cascade_and_trace_show_latest_value_and_icons(cli, make_repo):
    root = data_repo(make_repo, values=VECTOR[:13] + [40, 41])
    cascade = cli("cascade", root).stdout
    line = next(x for x in cascade.splitlines() if "▸ Harm events" in x)
    assert line.endswith("· 2026-03: 41  C↑ concern  ? hit or miss")
    trace = cli("trace", "W7-1", root).stdout
    assert "▸ Harm events  · 2026-03: 41  C↑ concern  ? hit or miss" in trace


def test_as_of_on_every_command(cli, make_repo):
    root = make_repo()
    commands = (["check"], ["cascade"], ["trace", "W7-1"], ["status"], ["report"], ["measures"], ["capability"])
    for command in commands:
        late = cli(*command, "--as-of", "2027-02-01", root)
        assert late.exit_code in (0, 1), (command, late.stderr)
        bad = cli(*command, "--as-of", "soon", root)
        assert bad.exit_code == 2 and "--as-of must be a date like 2027-03-31, not 'soon'" in bad.stderr
    assert "CB405" in cli("check", "--as-of", "2027-02-01", root).stdout
    assert "CB405" not in cli("check", "--as-of", "2026-12-01", root).stdout
    assert "2026/27 · 2027-02-01 · made from" in cli("report", "--as-of", "2027-02-01", root).stdout


# -- the chart command --------------------------------------------------------------------


def test_chart_writes_an_svg(cli, make_repo, tmp_path):
    root = data_repo(make_repo)
    target = tmp_path / "harm.svg"
    result = cli("chart", "harm", root, "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    svg = ET.fromstring(target.read_text(encoding="utf-8"))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.find("{http://www.w3.org/2000/svg}title").text == "Harm events (TN-SAFE)"
    again = tmp_path / "again.svg"
    assert cli("chart", "TN-SAFE:1", root, "-o", again).exit_code == 0
    assert again.read_bytes() == target.read_bytes()  # the same bytes for the same data
    assert cli("chart", "harm", root).stdout == target.read_text(encoding="utf-8")  # stdout without -o


def test_chart_of_a_measure_without_data_says_so(cli, make_repo):
    root = data_repo(make_repo)
    result = cli("chart", "SURG-1:1", root)
    assert result.exit_code == 0 and "No data yet" in result.stdout


def test_chart_refuses_unknown_measures_bad_data_and_overwriting_other_files(cli, make_repo, tmp_path):
    root = data_repo(make_repo)
    unknown = cli("chart", "harn", root)
    assert unknown.exit_code == 2 and "no measure 'harn' (did you mean `harm`?)" in unknown.stderr
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    refused = cli("chart", "harm", root, "-o", notes)
    assert refused.exit_code == 2 and "not overwritten (use --force)" in refused.stderr
    assert notes.read_text() == "my notes\n"
    assert cli("chart", "harm", root, "-o", notes, "--force").exit_code == 0
    assert notes.read_text().startswith("<svg")
    bad = make_repo(with_data(VECTOR[:3] + ["x"]), name="bad")
    faulty = cli("chart", "harm", bad)
    assert faulty.exit_code == 2 and "bad data (CB601)" in faulty.stderr


def test_a_done_objectives_stale_data_is_still_stale_and_a_dropped_ones_is_not(check_repo):
    """`done` is active wherever the format says active (v1.1), so CB603 still judges its measures;
    what CB603's advice says (take off a measure no longer collected), not `status: done`, quiets it."""
    def objective(status: str) -> dict:
        return {"objectives/ward-7.yaml": (
            "team: ward-7\nobjectives:\n  - id: W7-1\n    title: Falls\n    supports: SURG-1\n    owner: wm\n"
            f"    status: {status}\n    measures:\n      - name: Falls\n        baseline: 5\n        target: 2\n"
            "        data:\n          2026-01: 4\n          2026-02: 3\n")}
    stale = {s: [i for i, _ in found(check_repo(objective(s), as_of=dt.date(2026, 12, 1)), "CB603")]
             for s in ("agreed", "done", "dropped")}
    assert stale == {"agreed": ["W7-1"], "done": ["W7-1"], "dropped": []}
