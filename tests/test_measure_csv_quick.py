"""Reading a CSV by column (the quick way) gives exactly what reading it row by row gives.

measure_data._read_quickly takes the common case (every row clean); anything
else is read row by row. Whatever the file holds, the points and findings
must be the same either way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import catchball.load.measure_data as measure_data
from catchball.check import run_check
from catchball import spc
from catchball.spc import Series
from tests.conftest import HEALTHY, write_repo

GOALS = (
    "aims:\n  - id: TN-SAFE\n    title: Zero avoidable harm\n    owner: ceo\n    measures:\n"
    "      - {id: falls, name: Falls, baseline: 1, target: 0, data: data/d.csv}\n"
    "      - {id: cdiff, name: C. diff, baseline: 5, target: 3, data: data/d.csv}\n"
    "      - {name: Single, baseline: 5, target: 3, data: data/one.csv}\n"
)

MONTHS = [f"{2024 + m // 12}-{m % 12 + 1:02d}" for m in range(36)]
NUMBER = st.one_of(st.floats(-1e4, 1e4, allow_nan=False).map(lambda v: repr(round(v, 2))), st.integers(-50, 50).map(str))
# What the row-by-row reader must catch, or read differently: put in one cell of a clean table.
ODD_CELLS = ["", " ", "12.5%", "1_000", "nan", "inf", " 3 ", "x", "1e999", "2026-13", " 2026-01", "2026-1",
             "2026-01-07", "other", " falls", "falls", "2024-01", "\u0661\u0662"]
ODD = st.sampled_from(ODD_CELLS)


@st.composite
def clean_rows(draw, measures):
    """Rows of a clean export: each measure's months once, in any order, mixed or in blocks."""
    rows = []
    for measure in measures:
        months = draw(st.lists(st.sampled_from(MONTHS), unique=True, max_size=14))
        rows += [[measure, month, draw(NUMBER)] for month in months]
    if draw(st.booleans()):
        rows = draw(st.permutations(rows))
    return rows


@st.composite
def tables(draw, measures):
    """Clean rows, and half the time one cell made odd."""
    rows = draw(clean_rows(measures))
    if rows and draw(st.booleans()):
        row, cell = draw(st.integers(0, len(rows) - 1)), draw(st.sampled_from([0, 1, 2, 2, 2]))
        rows[row][cell] = draw(ODD)
    return rows


QUOTE = st.sampled_from(["", '"'])
ENDING = st.sampled_from(["\n", "\r\n"])


def table(header: str, rows, quote: str, ending: str) -> str:
    lines = [header] + [",".join(f"{quote}{cell}{quote}" for cell in row) for row in rows]
    return ending.join(lines) + ending


def read(files: dict, quick: bool, monkeypatch) -> tuple:
    with monkeypatch.context() as patch:
        if not quick:
            patch.setattr(measure_data, "_read_quickly", lambda text, table, shared: False)
        with tempfile.TemporaryDirectory() as tmp:
            root = write_repo(Path(tmp) / "goals", {**HEALTHY, "true-north.yaml": GOALS, **files})
            result = run_check(str(root), as_of=dt.date(2026, 12, 1), cache=False)
            findings = [(f.code, f.message, f.line, f.column, f.file[len(str(root)):]) for f in result.findings]
            points = {c.name: (tuple(c.measure.points), c.fault, c.variation, c.assurance)
                      for c in result.cascade.measure_charts}
    return findings, points


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=tables(["falls", "cdiff"]), single=tables([None]), quote=QUOTE, ending=ENDING)
def test_quick_and_row_by_row_reading_agree(rows, single, quote, ending, monkeypatch):
    files = {
        "data/d.csv": table("measure,period,value", rows, quote, ending),
        "data/one.csv": table("period,value", [row[1:] for row in single], quote, ending),
    }
    assert read(files, True, monkeypatch) == read(files, False, monkeypatch)


@pytest.mark.parametrize("column", [0, 1, 2])
@pytest.mark.parametrize("odd", ODD_CELLS)
def test_each_odd_cell_is_read_the_same_either_way(odd, column, monkeypatch):
    rows = [["falls", "2024-01", "1"], ["falls", "2024-02", "2.5"], ["cdiff", "2024-01", "3"], ["cdiff", "2024-02", "4"]]
    rows[1][column] = odd
    files = {
        "data/d.csv": table("measure,period,value", rows, "", "\n"),
        "data/one.csv": table("period,value", [row[1:] for row in rows[:2]], "", "\n"),
    }
    assert read(files, True, monkeypatch) == read(files, False, monkeypatch)


def monthly(measure: str, months: int, start: float) -> list[str]:
    return [f"{measure},{2024 + (m + 11) // 12}-{(m + 11) % 12 + 1:02d},{start + (m % 5) * 0.5}" for m in range(months)]


def test_a_clean_file_is_read_by_column_and_out_of_order_rows_are_put_in_order(monkeypatch, tmp_path):
    def refuse(text, table):
        raise AssertionError("a clean file was read row by row")

    monkeypatch.setattr(measure_data, "_read_rows", refuse)
    rows = monthly("falls", 24, 1.0) + monthly("cdiff", 24, 4.0)
    rows[0], rows[5] = rows[5], rows[0]  # out of order: put in period order, as row by row
    root = write_repo(tmp_path / "goals", {
        **HEALTHY, "true-north.yaml": GOALS,
        "data/d.csv": "measure,period,value\n" + "\n".join(rows) + "\n",
        "data/one.csv": "period,value\n2026-01,3\n2026-02,4\n",
    })
    result = run_check(str(root), as_of=dt.date(2026, 12, 1), cache=False)
    by_name = {c.name: c.measure.points for c in result.cascade.measure_charts}
    falls, cdiff = by_name["falls"], by_name["cdiff"]
    assert isinstance(falls, Series) and len(falls) == 24 and len(cdiff) == 24
    assert [p.period for p in falls] == sorted(p.period for p in falls)
    assert falls[0].value == 1.0 and falls[5].value == 1.0 + 5 % 5 * 0.5
    assert falls.periods is cdiff.periods  # one tuple of periods, shared
    assert [p.value for p in by_name["TN-SAFE:3"]] == [3.0, 4.0]


@pytest.mark.parametrize("text, line", [
    ("measure,period,value\nfalls,2026-01,1\nnobody,2026-02,2\n", 3),  # an unknown id: read again row by row
    ("measure,period,value\nfalls,2026-01,1\nfalls,2026-01,2\n", 3),  # a period twice
    ("measure,period,value\nfalls,2026-01,1\nfalls,2026-02,\n\nfalls,2026-03,x\n", 5),
])
def test_a_file_with_a_fault_is_read_row_by_row_and_the_fault_has_its_line(text, line, tmp_path):
    root = write_repo(tmp_path / "goals", {
        **HEALTHY, "true-north.yaml": GOALS, "data/d.csv": text, "data/one.csv": "period,value\n2026-01,3\n",
    })
    result = run_check(str(root), as_of=dt.date(2026, 12, 1), cache=False)
    assert [(f.code, f.file.rsplit("/", 1)[1], f.line) for f in result.findings if f.code == "CB601"] == [
        ("CB601", "d.csv", line)
    ]


def test_files_read_by_worker_processes_give_what_one_process_gives(monkeypatch, tmp_path):
    files = {**HEALTHY, "true-north.yaml": GOALS.replace("data/one.csv", "data/f0.csv")}
    for i in range(8):  # clean files, one with a fault, one with a row for a measure that does not take it
        files[f"data/f{i}.csv"] = "period,value\n" + "\n".join(f"2025-{m:02d},{m + i}" for m in range(1, 13)) + "\n"
    files["data/f3.csv"] = "period,value\n2026-01,1\n2026-02,x\n"
    files["data/d.csv"] = "measure,period,value\n" + "\n".join(monthly("falls", 14, 1.0) + monthly("nobody", 2, 1.0)) + "\n"
    goals = files["true-north.yaml"] + "".join(
        f"      - {{name: M{i}, baseline: 5, target: 3, data: data/f{i}.csv}}\n" for i in range(1, 8)
    )
    root = write_repo(tmp_path / "goals", {**files, "true-north.yaml": goals})

    def said(workers: str):
        monkeypatch.setenv("CATCHBALL_WORKERS", workers)
        result = run_check(str(root), as_of=dt.date(2026, 12, 1), cache=False)
        return (
            [(f.code, f.message, f.line) for f in result.findings],
            {c.name: (tuple(c.measure.points), c.fault) for c in result.cascade.measure_charts},
        )

    one, two = said("1"), said("2")
    assert one == two
    assert len(one[1]["TN-SAFE:4"][0]) == 12 and one[1]["TN-SAFE:6"] == ((), True)  # f1 read, f3 faulty
    assert ("CB601", "measure 'nobody' is not the id of any measure", 16) in one[0]


def eight_team_files(more: dict[int, str] | None = None) -> dict[str, str]:
    """Objectives in eight team files, each naming a CSV of its own; `more`: further measure lines by team."""
    files = {**HEALTHY, "true-north.yaml": GOALS.replace("data/one.csv", "data/f0.csv")}
    files["data/d.csv"] = "measure,period,value\n" + "\n".join(monthly("falls", 14, 1.0) + monthly("cdiff", 14, 2.0)) + "\n"
    for i in range(8):
        files[f"data/f{i}.csv"] = "period,value\n" + "\n".join(f"2025-{m:02d},{m + i}" for m in range(1, 13)) + "\n"
        files[f"objectives/t{i}.yaml"] = (
            f"team: ward-7\nobjectives:\n  - id: T{i}-1\n    title: Work {i}\n    supports: [TN-SAFE]\n"
            f"    measures:\n      - {{name: M{i}, baseline: 5, target: 3, data: data/f{i}.csv}}\n"
            + (more or {}).get(i, "")
        )
    return files


@pytest.mark.parametrize("cache", [False, True])
def test_workers_read_each_csv_beside_the_goals_file_that_names_it(monkeypatch, tmp_path, cache):
    # Objectives in eight files, each naming its own CSV; one CSV named from two
    # files; one with a fault; one whose `measure` column names a measure of
    # another file (the worker cannot know it belongs there: read again here).
    files = eight_team_files({
        2: "      - {name: Shared, baseline: 5, target: 3, data: data/f1.csv}\n",
        4: "      - {id: own, name: Own, baseline: 5, target: 3, data: data/m.csv}\n",
    })
    files["data/f3.csv"] = "period,value\n2026-01,1\n2026-02,x\n"
    files["data/m.csv"] = "measure,period,value\n" + "\n".join(monthly("own", 14, 1.0) + monthly("falls", 2, 1.0)) + "\n"
    root = write_repo(tmp_path / "goals", files)
    read_here: list[str] = []
    real_read_table = measure_data._read_table

    def spy(path, display, shared, store=None):
        read_here.append(display.rsplit("/", 1)[1])  # in a forked worker this list is the worker's own copy
        return real_read_table(path, display, shared, store)

    monkeypatch.setattr(measure_data, "_read_table", spy)

    def said(workers: str):
        monkeypatch.setenv("CATCHBALL_WORKERS", workers)
        monkeypatch.setenv("CATCHBALL_CACHE_DIR", tempfile.mkdtemp(dir=tmp_path))  # cold: every file read
        monkeypatch.delenv("CATCHBALL_NO_CACHE", raising=False)
        read_here.clear()
        result = run_check(str(root), as_of=dt.date(2026, 12, 1), cache=cache)
        return (
            [(f.code, f.message, f.file, f.line) for f in result.findings],
            {c.name: (tuple(c.measure.points), c.fault) for c in result.cascade.measure_charts},
        ), sorted(read_here)

    (one, read_by_one), (two, read_by_two) = said("1"), said("2")
    assert one == two
    assert read_by_one == ["d.csv", "f0.csv", "f1.csv", "f2.csv", "f3.csv", "f4.csv", "f5.csv", "f6.csv", "f7.csv",
                           "m.csv"]
    assert read_by_two == ["f3.csv", "m.csv"]  # the fault, and the rows for another file's measure: the rest in workers
    faults = [(f.rsplit("/", 1)[1], line, message) for code, message, f, line in one[0] if code == "CB601"]
    assert faults == [
        ("f3.csv", 3, "2026-02: value 'x' is not a number (write it as 12.5, or 12.5%)"),
        ("m.csv", 16, "a row for measure falls, whose data is not this file (`data: data/d.csv`)"),
        ("m.csv", 17, "a row for measure falls, whose data is not this file (`data: data/d.csv`)"),
    ]
    assert len(one[1]["T2-1:2"][0]) == 12  # the shared file, read once, serves both


def test_the_last_points_the_workers_work_out_are_those_worked_out_here(monkeypatch, tmp_path):
    # Each team file names its own CSV, whose last point is far above the
    # rest; t2 also names t1's CSV for a measure that should go up, where t1's
    # measure should go down.
    files = {**HEALTHY, "true-north.yaml": GOALS.replace("data/one.csv", "data/d.csv")}
    files["data/d.csv"] = "measure,period,value\n" + "\n".join(monthly("falls", 14, 1.0) + monthly("cdiff", 14, 2.0)) + "\n"
    for i in range(8):
        values = [5, 5, 4, 6, 5, 5, 4, 6, 5, 5, 4, 6, 5, 20 + i]
        files[f"data/f{i}.csv"] = "period,value\n" + "\n".join(
            f"{2025 + m // 12}-{m % 12 + 1:02d},{v}" for m, v in enumerate(values)) + "\n"
        files[f"objectives/t{i}.yaml"] = (
            f"team: ward-7\nobjectives:\n  - id: T{i}-1\n    title: Work {i}\n    supports: [TN-SAFE]\n"
            f"    measures:\n      - {{name: M{i}, baseline: 5, target: 3, data: data/f{i}.csv}}\n"
            + ("      - {name: Shared, baseline: 3, target: 5, data: data/f1.csv}\n" if i == 2 else "")
            # A measure id defined twice (CB104), going down then up: its rows are the first's.
            + ("      - {id: dup, name: Dup, baseline: 5, target: 3, data: data/m.csv}\n" if i == 5 else "")
            + ("      - {id: dup, name: Dup again, baseline: 3, target: 5, data: data/m.csv}\n" if i == 6 else "")
        )
    files["data/m.csv"] = "measure,period,value\n" + "\n".join(
        f"dup,{2025 + m // 12}-{m % 12 + 1:02d},{v}" for m, v in enumerate([5, 5, 4, 6, 5, 5, 4, 6, 5, 5, 4, 6, 5, 40])) + "\n"
    root = write_repo(tmp_path / "goals", files)
    calls: list[str] = []  # last points worked out in this process (a forked worker appends to its own copy)
    real_last_point = spc.last_point

    def spy(points, direction, target, settings=spc.SpcSettings()):
        calls.append(direction)
        return real_last_point(points, direction, target, settings)

    monkeypatch.setattr(spc, "last_point", spy)
    monkeypatch.setattr(measure_data, "last_point", spy)

    def said(workers: str, **options):
        monkeypatch.setenv("CATCHBALL_WORKERS", workers)
        calls.clear()
        result = run_check(str(root), as_of=dt.date(2026, 3, 1), cache=False, **options)
        charts = result.cascade.measure_charts
        return (
            [(f.code, f.message, f.line) for f in result.findings if f.code in ("CB604", "CB605")],
            {f"{c.element_id}:{c.index}": (c.variation, c.assurance, c.run_chart) for c in charts},
        ), list(calls)

    (one, here_by_one), (two, here_by_two) = said("1"), said("2")
    (without, here_without) = said("2", last_points=False)  # as `measures` asks: none worked out in the workers
    assert one == two == without and sorted(here_without) == sorted(here_by_one)
    with_data = [name for name, icons in one[1].items() if icons != (None, None, False)]
    assert len(with_data) == 12  # falls, cdiff, T0 to T7's, Shared and the first dup (T5-1's)
    # One process: each chart's icons, then again for each that CB604 or CB605 quotes.
    quoted = [n for n, (variation, assurance, _) in one[1].items() if (variation or "").startswith("concern")
              or assurance == "fail"]
    assert len(quoted) == 9 and len(here_by_one) == len(with_data) + len(quoted)
    # Only the two measures that share f1.csv: a series two measures take gets nothing from the
    # workers (here t1's goes down, Shared's up); t1's twice, for its icons and for CB604's message.
    assert sorted(here_by_two) == ["down", "down", "up"]
    assert one[1]["T1-1:1"][0] == "concern-high" and one[1]["T2-1:2"][0] == "improvement-high"
    assert one[1]["T5-1:2"][0] == "concern-high" and one[1]["T6-1:2"] == (None, None, False)
    assert sum(code == "CB604" for code, _, _ in one[0]) == 8  # T5-1's two measures in one finding


def _eight_teams_with_data(tmp_path):
    return write_repo(tmp_path / "goals", eight_team_files())


def test_the_rules_that_read_data_run_once_it_is_attached_and_the_others_before(monkeypatch, tmp_path):
    # The workers read the CSV files while the rules that need no data run: a
    # rule of the measures family must see every point, whatever the workers.
    from catchball.rules import registry

    root = _eight_teams_with_data(tmp_path)
    seen: dict[str, list] = {}
    rules = registry.all_rules()
    for code in ("CB201", "CB602", "CB701"):
        real = rules[code].check

        def spy(cascade, code=code, real=real):
            seen.setdefault(code, []).append(
                sum(len(m.points) for o in cascade.goals.objectives.values() for m in o.measures))
            return real(cascade)

        spy.__module__ = real.__module__  # the rule's family is its module's
        monkeypatch.setitem(registry._RULES, code, dataclasses.replace(rules[code], check=spy))
    monkeypatch.setenv("CATCHBALL_NO_CACHE", "1")
    for workers in ("1", "2"):
        monkeypatch.setenv("CATCHBALL_WORKERS", workers)
        run_check(str(root), as_of=dt.date(2026, 12, 1))
    assert seen["CB602"] == [96, 96]  # eight teams' twelve months, attached before the measures' rules
    assert seen["CB201"] == seen["CB701"] == [0, 0]  # and after the others, in one process or with workers


def test_a_check_that_fails_before_the_data_is_attached_leaves_no_worker(monkeypatch, tmp_path):
    import multiprocessing

    from catchball.rules import registry

    root = _eight_teams_with_data(tmp_path)

    def broken(cascade):
        raise RuntimeError("a rule's bug")

    monkeypatch.setitem(registry._RULES, "CB201", dataclasses.replace(registry.all_rules()["CB201"], check=broken))
    monkeypatch.setenv("CATCHBALL_NO_CACHE", "1")
    monkeypatch.setenv("CATCHBALL_WORKERS", "2")
    with pytest.raises(RuntimeError, match="a rule's bug"):
        run_check(str(root), as_of=dt.date(2026, 12, 1))
    assert multiprocessing.active_children() == []
