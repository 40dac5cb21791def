"""Property tests of the measure data readers: whatever a CSV file or inline `data` holds,
catchball never raises, and every finding is placed inside the file it names."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from catchball.check import run_check
from catchball.measurement import measures_document
from catchball.views.measures import MeasuresOptions, MeasuresView, in_cascade_order
from tests.conftest import HEALTHY, write_repo

QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]

# Cells drawn from what real exports hold and what breaks readers: numbers, percents,
# months, dates, quotes, commas, line breaks, NUL, a BOM, huge and negative numbers.
CELL = st.one_of(
    st.sampled_from(
        ["", " ", "2026-04", "2026-04-07", "2026-13", "2026-02-30", "12.5", "12.5%", "-3", "1e999", "nan",
         "inf", "1,5", '"', '""', "a\nb", "\x00", "\ufeff", "falls", "cdiff", "yes", "period", "value", "%"]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=8),
)
HEADER = st.lists(st.sampled_from(["period", "date", "value", "measure", "note", "recalculate", "Value", "x"]), max_size=5)
ROWS = st.lists(st.lists(CELL, max_size=6), max_size=12)
QUOTING = st.booleans()


def csv_text(header, rows, quote_all) -> str:
    def field(cell: str) -> str:
        if quote_all or any(c in cell for c in ',"\n\r'):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "\n".join(",".join(field(c) for c in row) for row in [header, *rows]) + "\n"


def measures_yaml(data: str) -> str:
    return (
        "aims:\n  - id: TN-SAFE\n    title: Zero avoidable harm\n    owner: ceo\n    measures:\n"
        "      - {id: falls, name: Falls, baseline: 1, target: 0, data: data/d.csv}\n"
        "      - {id: cdiff, name: C. diff, baseline: 5, target: 3, data: data/d.csv}\n"
        "      - name: Inline\n        baseline: 1\n        target: 2\n        data:\n" + data
    )


def check_everything(files: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_repo(Path(tmp) / "goals", {**HEALTHY, **files})
        result = run_check(str(root))
        lines = {}
        for finding in result.findings:
            assert finding.file is not None and finding.line >= 1 and finding.column >= 1
            relative = finding.file[len(str(root)) + 1:]
            if relative not in lines:
                # CR LF, LF and a lone CR each end a line, for the csv module as for YAML and editors.
                lines[relative] = len(re.split(rb"\r\n|\r|\n", (root / relative).read_bytes()))
            assert finding.line <= lines[relative], (finding, lines[relative])
        charts = result.cascade.measure_charts
        measures_document(result.goals, result.cascade.as_of, charts)
        list(MeasuresView(result, in_cascade_order(result.cascade, charts, MeasuresOptions())).lines())
        for chart in charts:
            assert not (chart.fault and chart.chart is not None)


@settings(max_examples=60, deadline=None, suppress_health_check=QUIET)
@given(HEADER, ROWS, QUOTING)
def test_any_csv_never_breaks_catchball(header, rows, quote_all):
    check_everything({"true-north.yaml": measures_yaml("          2026-01: 1\n"), "data/d.csv": csv_text(header, rows, quote_all)})


@settings(max_examples=30, deadline=None, suppress_health_check=QUIET)
@given(st.binary(max_size=300))
@example(b"\r\x00")  # a lone CR ends the first (empty) row: the header is on line 2
def test_any_bytes_in_a_csv_never_break_catchball(raw):
    check_everything({"true-north.yaml": measures_yaml("          2026-01: 1\n"), "data/d.csv": raw})


KEY = st.one_of(st.sampled_from(["2026-01", "2026-02", "2026-02-03", "2026-13", "x", "'2026-01'", "<<", "~"]), st.text("0123456789-", max_size=10))
VALUE = st.one_of(
    st.sampled_from(["1", "2.5", "'12.5%'", ".inf", ".nan", "yes", "~", "", "[1]", "{a: 1}", "'x'", "1e999", "0x1F"]),
    st.integers().map(str),
)


EMPTY_KEY = '""'


@settings(max_examples=60, deadline=None, suppress_health_check=QUIET)
@given(st.lists(st.tuples(KEY, VALUE), max_size=10))
def test_any_inline_data_never_breaks_catchball(entries):
    data = "".join(f"          {key or EMPTY_KEY}: {value}\n" for key, value in entries) or "          {}\n"
    check_everything({"true-north.yaml": measures_yaml(data), "data/d.csv": "period,value\n2026-01,1\n"})
