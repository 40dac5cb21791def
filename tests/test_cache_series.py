"""The parse cache for CSV measure data: series keyed by the file's path and bytes.

Never stale (a changed, renamed or deleted CSV is read again), never trusted
when damaged, and what it serves is what reading the file gives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from array import array
from pathlib import Path

import pytest

import catchball.load.cache as cache_module
from catchball.check import run_check
from catchball.load.cache import FORMAT, CsvSeries, ParseCache, decode_series, encode_series
from catchball.spc import Series
from tests.conftest import HEALTHY, write_repo
from tests.test_cache import Entry, entries, folder  # noqa: F401 (folder: a fresh cache folder, with the cache on)

GOALS = (
    "aims:\n  - id: TN-SAFE\n    title: Zero avoidable harm\n    owner: ceo\n    measures:\n"
    "      - {id: falls, name: Falls, baseline: 5, target: 1, data: data/d.csv}\n"
    "      - {id: cdiff, name: C. diff, baseline: 5, target: 3, data: data/d.csv}\n"
    "      - {name: Single, baseline: 5, target: 3, data: data/one.csv}\n"
)
MONTHS = [f"{2025 + m // 12}-{m % 12 + 1:02d}" for m in range(15)]
AS_OF = dt.date(2026, 4, 1)


def csv_rows(measure: str | None, start: float) -> str:
    return "".join(f"{measure + ',' if measure else ''}{month},{start + i % 4}\n" for i, month in enumerate(MONTHS))


@pytest.fixture
def root(tmp_path):
    return write_repo(tmp_path / "goals", {
        **HEALTHY, "true-north.yaml": GOALS,
        "data/d.csv": "measure,period,value\n" + csv_rows("falls", 1.0) + csv_rows("cdiff", 4.0),
        "data/one.csv": "period,value\n" + csv_rows(None, 7.0),
    })


def body_of(path: Entry) -> tuple[dict, array]:
    """A series entry's JSON body and its values (encode_series: JSON, NUL, the doubles)."""
    text, _, raw = path.read_bytes()[len(FORMAT):].partition(b"\n")[2].partition(b"\0")
    return json.loads(text), array("d", raw)


def series_entries(where: Path) -> list[Entry]:
    found = []
    for path in entries(where):
        text = path.read_bytes()[len(FORMAT):].partition(b"\n")[2]
        if b"\0" in text and "csv" in json.loads(text.partition(b"\0")[0]):
            found.append(path)
    return found


def rewrite(path: Entry, change) -> None:
    """Change an entry's body and values and give it a valid checksum: what a stale hit would serve.

    change(body, values) changes the body in place and returns the bytes to follow the NUL (or None
    for the values as they are; b"" for none at all, with no NUL either)."""
    body, values = body_of(path)
    tail = change(body, values)
    tail = values.tobytes() if tail is None else tail
    text = json.dumps(body).encode() + (b"\0" + tail if tail else b"")
    path.write_bytes(FORMAT + hashlib.sha256(text).hexdigest().encode() + b"\n" + text)


def poison(where: Path) -> None:
    def to_99(body, values):
        return array("d", [99.0] * len(values)).tobytes()

    for path in series_entries(where):
        rewrite(path, to_99)


def said(root: Path, **options) -> tuple:
    result = run_check(str(root), as_of=AS_OF, **options)
    return (
        [(f.code, f.message, f.file, f.line) for f in result.findings],
        {c.name: tuple(c.measure.points) for c in result.cascade.measure_charts},
    )


def values(root: Path) -> dict:
    return {name: [p.value for p in points] for name, points in said(root)[1].items() if points}


def test_a_second_run_reads_the_series_from_the_cache_and_says_the_same(folder, root, monkeypatch):
    fresh = said(root, cache=False)
    assert said(root) == fresh
    assert len(series_entries(folder)) == 2  # one entry per CSV file
    reads = []
    real = ParseCache.get_series

    def get_series(self, key, display):
        found = real(self, key, display)
        reads.append((Path(display).name, found is not None))
        return found

    monkeypatch.setattr(ParseCache, "get_series", get_series)
    assert said(root) == fresh
    assert sorted(reads) == [("d.csv", True), ("one.csv", True)]  # both served by the cache


def test_poisoned_series_are_served_while_nothing_changed(folder, root):
    # The control for the tests below: this is what a stale hit would look like.
    said(root)
    poison(folder)
    assert set(values(root)["falls"]) == {99.0}


def test_a_changed_csv_is_never_served_stale(folder, root):
    said(root)
    poison(folder)
    (root / "data/d.csv").write_text("measure,period,value\n" + csv_rows("falls", 2.0) + csv_rows("cdiff", 4.0))
    now = values(root)
    assert now["falls"][:4] == [2.0, 3.0, 4.0, 5.0] and now["cdiff"][:4] == [4.0, 5.0, 6.0, 7.0]
    assert set(now["TN-SAFE:3"]) == {99.0}  # one.csv did not change: its entry still serves


def test_a_renamed_csv_is_never_served_stale(folder, root):
    said(root)
    poison(folder)
    (root / "data/d.csv").rename(root / "data/all.csv")
    (root / "true-north.yaml").write_text(GOALS.replace("data/d.csv", "data/all.csv"))
    assert values(root)["falls"][:4] == [1.0, 2.0, 3.0, 4.0]
    (root / "data/all.csv").write_text("measure,period,value\nfalls,2026-01,1\nnobody,2026-02,2\n")
    findings = said(root)[0]
    assert [f for f in findings if f[0] == "CB601"][0][2].endswith("data/all.csv")


def test_a_deleted_csv_is_never_served(folder, root):
    said(root)
    (root / "data/one.csv").unlink()
    findings, points = said(root)
    assert any(code == "CB601" and "one.csv: no such file" in message for code, message, _, _ in findings)
    assert points["TN-SAFE:3"] == ()


def test_edited_series_reading_code_is_never_served_stale(folder, root, monkeypatch):
    said(root)
    poison(folder)
    monkeypatch.setattr(cache_module, "_SERIES_READING_CODE", cache_module._SERIES_READING_CODE + ("graph.py",))
    assert 99.0 not in values(root)["falls"]


def test_a_csv_with_a_fault_is_not_stored_and_is_reported_every_run(folder, root):
    (root / "data/one.csv").write_text("period,value\n2026-01,3\n2026-02,three\n")
    for _ in range(2):
        assert [(f[0], f[3]) for f in said(root)[0] if f[0] == "CB601"] == [("CB601", 3)]
    assert len(series_entries(folder)) == 1  # d.csv only


DAMAGE = {
    "truncate": lambda data, other: data[: len(data) // 2],
    "garble": lambda data, other: data[:-10] + b"#" * 10,
    "empty": lambda data, other: b"",
    "header": lambda data, other: b"catchball-cache 0\n" + data[len(FORMAT):],
    "foreign": lambda data, other: other,  # the other CSV's whole, valid entry under this key
}
SHAPES = {
    "too few values": lambda body, values: values[:-1].tobytes(),
    "too many values": lambda body, values: values.tobytes() + array("d", [1.0]).tobytes(),
    "not doubles": lambda body, values: values.tobytes() + b"xyz",
    "no values": lambda body, values: b"",
    "infinite value": lambda body, values: array("d", [float("inf")] * len(values)).tobytes(),
    "no such periods": lambda body, values: body["series"][0].__setitem__(1, 7),
    "negative index": lambda body, values: body["series"][0].__setitem__(1, -1),
    "period not text": lambda body, values: body["periods"][0].__setitem__(0, 202601),
    "by_measure not bool": lambda body, values: body.__setitem__("by_measure", 1),
    "no series": lambda body, values: body.__delitem__("series"),
    "a row too long": lambda body, values: body["series"][0].append("x"),
}


@pytest.mark.parametrize("damage", [*DAMAGE, *SHAPES])
def test_a_damaged_series_entry_is_ignored_and_rewritten(folder, root, damage):
    expected = said(root, cache=False)
    said(root)
    paths = series_entries(folder)
    good = {p: p.read_bytes() for p in paths}
    for index, path in enumerate(paths):
        if damage in DAMAGE:
            path.write_bytes(DAMAGE[damage](good[path], good[paths[(index + 1) % len(paths)]]))
        else:
            rewrite(path, SHAPES[damage])
    assert said(root) == expected
    assert {p: p.read_bytes() for p in series_entries(folder)} == good  # rewritten whole


def test_an_entry_round_trips():
    periods = ("2026-01", "2026-02")
    table = CsvSeries("goals/data/d.csv", True, {"falls": Series(periods, array("d", [1.5, -2.0])), "cdiff": Series(periods, array("d", [0.1, 3e-300]))})
    back = decode_series(encode_series(table, "k" * 64), "k" * 64, "goals/data/d.csv")
    assert back == table
    assert back.series["falls"].periods is back.series["cdiff"].periods
    assert decode_series(encode_series(table, "k" * 64), "k" * 64, "goals/data/other.csv") is None
