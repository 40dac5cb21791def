"""Measure data, inline and in CSV files: every fault is CB601 at the place the spec gives."""

from __future__ import annotations

import os

import pytest

from catchball.check import run_check
from tests.conftest import HEALTHY, block

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 12)]


def aims(measures: str) -> str:
    """true-north.yaml with TN-SAFE's measures replaced by `measures` (YAML, list items at column 7)."""
    return (
        "aims:\n"
        "  - id: TN-SAFE\n"
        "    title: Zero avoidable harm\n"
        "    owner: ceo\n"
        "    measures:\n" + block(measures, 6)
    )


def falls(data: str) -> str:
    """One measure, `falls`, whose `data:` line is line 11 of true-north.yaml."""
    return aims(
        """
        - id: falls
          name: Falls with harm
          baseline: 0.19
          target: 0.11
          direction: down
        """
    ) + block(data, 8)


def csv_rows(values, start: int = 0, header: str = "period,value") -> str:
    return header + "\n" + "".join(f"{MONTHS[start + i]},{v}\n" for i, v in enumerate(values))


def check(make_repo, files, **options):
    root = make_repo(files)
    return run_check(str(root), **options), root


def cb601(result) -> list[tuple[str | None, str, int, int]]:
    return [(f.id, f.file.rsplit("goals/", 1)[1], f.line, f.column) for f in result.findings if f.code == "CB601"]


def measure_chart(result, name: str):
    return next(c for c in result.cascade.measure_charts if c.name == name)


# -- the data key: the whole value is wrong ------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "data: data/missing.csv",
        "data: ../outside.csv",
        "data: data/../../outside.csv",
        "data: /etc/passwd",
        "data: C:\\data\\falls.csv",
        "data: 12",
        "data: true",
        "data: [1, 2, 3]",
        "data: data",  # a folder
    ],
)
def test_a_wrong_data_value_is_cb601_at_the_data_key(make_repo, data, tmp_path):
    (tmp_path / "outside.csv").write_text(csv_rows([1] * 14))
    result, _ = check(make_repo, {"true-north.yaml": falls(data), "data/other.csv": csv_rows([1])})
    assert cb601(result) == [("TN-SAFE", "true-north.yaml", 11, 9)]
    chart = measure_chart(result, "falls")
    assert chart.fault and chart.chart is None and not chart.has_data


def test_a_symlink_to_outside_the_root_is_not_followed(make_repo, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text(csv_rows([1, 2, 3]))
    root = make_repo({"true-north.yaml": falls("data: data/falls.csv")})
    (root / "data").mkdir()
    os.symlink(secret, root / "data" / "falls.csv")
    result = run_check(str(root))
    finding = next(f for f in result.findings if f.code == "CB601")
    assert (finding.id, finding.line, finding.column) == ("TN-SAFE", 11, 9)
    assert "outside the goals root" in finding.message
    assert "1" not in finding.message.split("root")[0][-5:]  # nothing of the file is quoted


def test_a_symlink_inside_the_root_is_read(make_repo):
    root = make_repo({"true-north.yaml": falls("data: data/falls.csv"), "real/falls.csv": csv_rows([1, 2, 3])})
    (root / "data").mkdir()
    os.symlink(root / "real" / "falls.csv", root / "data" / "falls.csv")
    result = run_check(str(root))
    assert cb601(result) == []
    assert [p.value for p in measure_chart(result, "falls").measure.points] == [1.0, 2.0, 3.0]


def test_a_pipe_is_not_read(make_repo):
    root = make_repo({"true-north.yaml": falls("data: data/falls.csv")})
    (root / "data").mkdir()
    os.mkfifo(root / "data" / "falls.csv")
    result = run_check(str(root))
    assert cb601(result) == [("TN-SAFE", "true-north.yaml", 11, 9)]


# -- CSV faults: at the row, column 1 -------------------------------------------------


@pytest.mark.parametrize(
    "text, line",
    [
        ("period,value\n2025-01,1\n2025-02,two\n", 3),  # not a number
        ("period,value\n2025-01,1\n2025-02,1e999\n", 3),  # infinite
        ("period,value\n2025-01,1\n2025-02,nan\n", 3),
        ("period,value\n2025-01,1\n2025-02,inf\n", 3),
        ("period,value\n2025-01,1\n2025-02,\"1,5\"\n", 3),  # a decimal comma
        ("period,value\n2025-01,1\nFeb 2025,2\n", 3),  # not a month or date
        ("period,value\n2025-01,1\n2025-13,2\n", 3),  # no month 13
        ("period,value\n2025-01,1\n2025-02-30,2\n", 3),  # no such day
        ("period,value\n2025-01,1\n,2\n", 3),  # no period
        ("period,value\n2025-01,1\n2025-02,2\n2025-01,3\n", 4),  # repeated: at the repeat
        ("period,value\n2025-01,1\n2025-02-01,2\n", 3),  # a date among months
        ("period,value\n2025-01,1\n2025-02,2,extra\n", 3),  # more fields than the header
        ("period,value\n2025-01,1\n\n\n2025-02,x\n", 5),  # blank lines are counted
        ('period,value,note\n2025-01,1,"two\nlines"\n2025-02,x,\n', 4),  # a quoted line break
        ("value,period\n1,2025-01\n2,2025-02\nx,2025-03\n", 4),  # columns in any order
        ("period,value\n2025-01,1\n" + "2025-02," + "9" * 200_000 + "\n", 3),  # past csv's field limit
    ],
)
def test_a_csv_fault_is_at_its_row_column_1(make_repo, text, line):
    result, _ = check(make_repo, {"true-north.yaml": falls("data: data/falls.csv"), "data/falls.csv": text})
    assert cb601(result) == [("TN-SAFE", "data/falls.csv", line, 1)]
    assert measure_chart(result, "falls").chart is None


@pytest.mark.parametrize(
    "text",
    [
        "",  # no header at all
        "period\n2025-01\n",  # no value column
        "value\n1\n",  # no period column
        "month,amount\n2025-01,1\n",
        "period,date,value\n2025-01,2025-01-01,1\n",  # which one?
        "period,value,Value\n2025-01,1,1\n",  # a column twice
    ],
)
def test_a_missing_column_is_at_line_1(make_repo, text):
    result, _ = check(make_repo, {"true-north.yaml": falls("data: data/falls.csv"), "data/falls.csv": text})
    assert cb601(result) == [("TN-SAFE", "data/falls.csv", 1, 1)]


def test_bytes_that_are_not_utf8_are_at_their_line(make_repo):
    raw = b"period,value,note\n2025-01,1,ok\n2025-02,2,caf\xe9\n"
    result, _ = check(make_repo, {"true-north.yaml": falls("data: data/falls.csv"), "data/falls.csv": raw})
    assert cb601(result) == [("TN-SAFE", "data/falls.csv", 3, 1)]


def test_a_bom_case_insensitive_columns_percent_and_missing_values(make_repo):
    text = "\ufeffNote,VALUE,Source, Period \nfirst,12.5%,x,2025-02\n,,x,2025-01\n,13,x,2025-03\n"
    result, _ = check(make_repo, {"true-north.yaml": falls("data: data/falls.csv"), "data/falls.csv": text})
    assert cb601(result) == []
    points = measure_chart(result, "falls").measure.points
    assert [(p.period, p.value, p.note) for p in points] == [("2025-02", 12.5, "first"), ("2025-03", 13.0, None)]


def test_dates_are_periods_and_the_date_column_names_them(make_repo):
    text = "date,value\n2025-01-14,3\n2025-01-07,2\n"
    result, _ = check(make_repo, {"true-north.yaml": falls("data: data/falls.csv"), "data/falls.csv": text})
    assert [p.period for p in measure_chart(result, "falls").measure.points] == ["2025-01-07", "2025-01-14"]


def test_recalculate_starts_a_phase_even_on_a_missing_point(make_repo):
    rows = "".join(f"{m},{i % 3}{',yes' if m == '2026-01' else ','}\n" for i, m in enumerate(MONTHS))
    rows = rows.replace("2026-01,0,yes", "2026-01,,yes")
    text = "period,value,recalculate\n" + rows
    result, _ = check(make_repo, {"true-north.yaml": falls("data: data/falls.csv"), "data/falls.csv": text})
    points = measure_chart(result, "falls").measure.points
    assert [p.period for p in points if p.recalculate] == ["2026-02"]
    assert len(measure_chart(result, "falls").chart.phases) == 2


# -- one file, many measures ------------------------------------------------------------


def shared(measure_ids=("falls", "cdiff"), data="data/safety.csv") -> str:
    return aims(
        "".join(
            f"- id: {m}\n  name: Measure {m}\n  baseline: 1\n  target: 0\n  data: {data}\n" for m in measure_ids
        )
    )


def test_a_measure_column_gives_each_measure_its_rows(make_repo):
    text = "measure,period,value\nfalls,2025-01,1\ncdiff,2025-01,5\nfalls,2025-02,2\n"
    result, _ = check(make_repo, {"true-north.yaml": shared(), "data/safety.csv": text})
    assert cb601(result) == []
    assert [p.value for p in measure_chart(result, "falls").measure.points] == [1.0, 2.0]
    assert [p.value for p in measure_chart(result, "cdiff").measure.points] == [5.0]


def test_a_row_naming_no_measure_is_cb601_with_no_id(make_repo):
    text = "measure,period,value\nfalls,2025-01,1\nfals,2025-02,2\n,2025-03,3\n"
    result, _ = check(make_repo, {"true-north.yaml": shared(), "data/safety.csv": text})
    assert cb601(result) == [(None, "data/safety.csv", 3, 1), (None, "data/safety.csv", 4, 1)]
    assert not measure_chart(result, "falls").fault  # its own rows are fine


def test_a_row_for_a_measure_whose_data_is_elsewhere_spoils_it(make_repo):
    text = "measure,period,value\nfalls,2025-01,1\nW7-falls,2025-02,2\n"
    ward = block(
        """
        team: ward-7
        objectives:
          - id: W7-1
            title: Falls risk assessment for every admission
            supports: SURG-1
            owner: wm
            measures:
              - {id: W7-falls, name: Falls on Ward 7, baseline: 1, target: 0, data: {2025-01: 3}}
        """
    )
    result, _ = check(make_repo, {"true-north.yaml": shared(("falls",)), "data/safety.csv": text, "objectives/ward-7.yaml": ward})
    assert cb601(result) == [("W7-1", "data/safety.csv", 3, 1)]
    assert measure_chart(result, "W7-falls").fault


def test_a_measure_without_id_cannot_read_a_file_of_many_measures(make_repo):
    files = {
        "true-north.yaml": aims("- name: Falls\n  baseline: 1\n  target: 0\n  data: data/safety.csv\n"),
        "data/safety.csv": "measure,period,value\n",
    }
    result, _ = check(make_repo, files)
    assert cb601(result) == [("TN-SAFE", "true-north.yaml", 9, 9)]


def test_a_fault_in_a_file_without_measure_column_spoils_every_measure_naming_it(make_repo):
    result, _ = check(make_repo, {"true-north.yaml": shared(), "data/safety.csv": "period,value\n2025-01,x\n"})
    assert cb601(result) == [("TN-SAFE", "data/safety.csv", 2, 1)]
    assert measure_chart(result, "falls").fault and measure_chart(result, "cdiff").fault


def test_a_csv_named_by_many_measures_is_read_once(make_repo, monkeypatch):
    from catchball.load import measure_data

    reads = []
    original = measure_data.read_bounded
    monkeypatch.setattr(measure_data, "read_bounded", lambda path: reads.append(path) or original(path))
    text = "measure,period,value\nfalls,2025-01,1\ncdiff,2025-01,5\n"
    result, _ = check(make_repo, {"true-north.yaml": shared(data="./data/safety.csv"), "data/safety.csv": text})
    assert len(reads) == 1 and cb601(result) == []


# -- inline data ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "entries, line, column",
    [
        ("2025-01: 1\n2025-02: two\n", 13, 11),
        ("2025-01: 1\n2025-02: .inf\n", 13, 11),
        ("2025-01: 1\n2025-02: .nan\n", 13, 11),
        ("2025-01: 1\n2025-02: yes\n", 13, 11),
        ("2025-01: 1\n2025-02: [1]\n", 13, 11),
        ("2025-01: 1\nFebruary: 2\n", 13, 11),
        ("2025-01: 1\n2025-02-01: 2\n", 13, 11),  # mixed kinds
        ("2025-01: 1\n2025-02: 2\n2025-01: 3\n", 14, 11),  # repeated: at the repeat
    ],
)
def test_an_inline_fault_is_at_its_entry(make_repo, entries, line, column):
    result, _ = check(make_repo, {"true-north.yaml": falls("data:\n" + block(entries, 2))})
    assert cb601(result) == [("TN-SAFE", "true-north.yaml", line, column)]
    assert not any(f.code == "CB105" for f in result.findings)  # a repeated period is CB601, not also CB105
    assert measure_chart(result, "falls").fault


def test_inline_data_in_any_order_with_missing_points(make_repo):
    entries = "2025-03: 3\n2025-01: 1\n2025-02:\n2025-04: null\n2025-05: '12.5%'\n"
    result, _ = check(make_repo, {"true-north.yaml": falls("data:\n" + block(entries, 2))})
    assert cb601(result) == []
    points = measure_chart(result, "falls").measure.points
    assert [(p.period, p.value) for p in points] == [("2025-01", 1.0), ("2025-03", 3.0), ("2025-05", 12.5)]


def test_inline_data_in_a_flow_mapping(make_repo):
    result, _ = check(make_repo, {"true-north.yaml": falls("data: {2025-01: 1, 2025-02: x}")})
    assert cb601(result) == [("TN-SAFE", "true-north.yaml", 11, 28)]


def test_empty_data_is_no_data(make_repo):
    result, _ = check(make_repo, {"true-north.yaml": falls("data:")})
    chart = measure_chart(result, "falls")
    assert not chart.has_data and not chart.fault and cb601(result) == []


# -- measure ids ---------------------------------------------------------------------


def test_a_repeated_measure_id_is_cb104_at_the_second_definition(make_repo):
    result, _ = check(make_repo, {"true-north.yaml": shared(("falls", "falls"), data="data/x.csv"), "data/x.csv": "period,value\n"})
    assert [(f.code, f.id, f.line, f.column) for f in result.findings if f.code == "CB104"] == [("CB104", "TN-SAFE", 11, 9)]


def test_measure_ids_are_their_own_namespace(make_repo):
    # a measure may share its id with an aim, an objective or a team
    result, _ = check(make_repo, {"true-north.yaml": shared(("TN-SAFE", "surgery"), data="data/x.csv"), "data/x.csv": "period,value\n"})
    assert not any(f.code in ("CB104", "CB601") for f in result.findings)
