"""Reading in worker processes (catchball/load/parallel.py): records, order, and workers that fail.

A worker's crash, an exception in the reader or a process killed outright,
must stop the run at once with the file named (the CLI makes it exit 2 and
one line), never hang it; the workers are killed, not waited for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catchball.errors import FileBug
from catchball.findings import Finding
from catchball.load.discover import GoalsRoot
from catchball.load.parallel import read_parallel
from catchball.load.records import pack, unpack
from catchball.load.reader import FileGoals
from catchball.model import Aim, Measure, Objective, Person, Span, Team
from catchball.spc import Point
from tests.conftest import write_repo
from tests.test_hostile_round2 import stderr_lines


def every_field_set(kind, file: str, salt: str):
    """An element of `kind` with no field at its default: a field the records forget comes back changed."""
    values = {}
    for f in dataclasses.fields(kind):
        name = f.name
        if name in ("span",):
            values[name] = Span(file, 7, 9)
        elif name == "data_span":
            values[name] = Span("other.yaml", 2, 3)  # a span in another file travels whole
        elif name == "measures":
            values[name] = (every_field_set(Measure, file, salt + "m"),)
        elif name == "points":
            values[name] = (Point("2026-04", 1.5, True, "note"),)
        elif name in ("supports", "people"):
            values[name] = (f"{salt}-{name}-1", f"{salt}-{name}-2")
        elif name in ("baseline", "target"):
            values[name] = 1.25 if name == "baseline" else 2.5
        elif name in ("by", "due"):
            values[name] = dt.date(2027, 3, 31)
        elif name in ("headcount", "line", "column"):
            values[name] = 41
        elif f.type in ("bool", bool) or name in ("ownership_ok", "data_fault"):
            values[name] = not f.default
        else:
            values[name] = f"{salt}-{name}"
    element = kind(**values)
    defaults = [f.name for f in dataclasses.fields(kind) if f.default is not dataclasses.MISSING
                and getattr(element, f.name) == f.default]
    assert defaults == [], defaults
    return element


def every_kind(file: str) -> FileGoals:
    """A file's goals with one element of every kind, no field at its default (and one objective at its defaults)."""
    return FileGoals(
        file,
        [every_field_set(Aim, file, "a")],
        [every_field_set(Team, file, "t")],
        [every_field_set(Person, file, "p")],
        [every_field_set(Objective, file, "o"), Objective("O-2", None, Span(file, 1, 1))],
        [every_field_set(Finding, file, "f")],
    )


def test_records_carry_every_field_of_every_kind():
    file = "goals/objectives/ward-7.yaml"
    part = every_kind(file)
    back = unpack(pack(part))
    assert back == part
    objective = back.objectives[0]
    assert objective.span == Span(file, 7, 9) and objective.measures[0].data_span == Span("other.yaml", 2, 3)


def test_a_span_in_another_file_is_kept_whole():
    part = FileGoals("a.yaml", teams=[Team("board", "Board", Span("b.yaml", 3, 4))])
    assert unpack(pack(part)).teams[0].span == Span("b.yaml", 3, 4)


def root_with(tmp_path: Path, count: int) -> GoalsRoot:
    files = [f"f{i:03}.yaml" for i in range(count)]
    write_repo(tmp_path, {name: "objectives: []\n" for name in files})
    return GoalsRoot(tmp_path, str(tmp_path), files)


def read_file_name(root: GoalsRoot, relative: str) -> FileGoals:
    return FileGoals(root.display_path(relative), findings=[Finding("CB101", "x", "error", relative, None, None, None,
                                                                     None)])


def test_parts_come_back_in_file_order(tmp_path):
    root = root_with(tmp_path, 300)
    parts = list(read_parallel(root, root.files, 3, read_file_name))
    assert [p.findings[0].message for p in parts] == root.files


def crash_at(name: str, how: str):
    def read_one(root: GoalsRoot, relative: str) -> FileGoals:
        if relative == name:
            if how == "raise":
                raise RuntimeError("boom")
            os.kill(os.getpid(), signal.SIGKILL)  # the out-of-memory killer's way
        time.sleep(0.002)
        return read_file_name(root, relative)

    return read_one


@pytest.mark.parametrize("how", ["raise", "killed"])
def test_a_failing_worker_stops_the_run_at_once_and_leaves_no_process(tmp_path, how):
    root = root_with(tmp_path, 400)
    started = time.monotonic()
    with pytest.raises(FileBug) as caught:
        for _ in read_parallel(root, root.files, 2, crash_at("f137.yaml", how)):
            pass
    assert time.monotonic() - started < 20  # on a loaded machine; the healthy run takes about a second
    if how == "raise":
        assert caught.value.file == f"{tmp_path}/f137.yaml" and caught.value.summary == "RuntimeError: boom"
        assert "Traceback" in caught.value.detail
    else:
        assert caught.value.file == f"{tmp_path}/f125.yaml"  # the first of the chunk it was reading (25 files)
        assert caught.value.summary == (
            "a reading process stopped (exit code -9) reading this file or one of the 24 files after it"
        )
    assert multiprocessing.active_children() == []


def test_a_reader_that_stops_early_kills_its_workers(tmp_path):
    root = root_with(tmp_path, 400)
    parts = read_parallel(root, root.files, 2, read_file_name)
    assert next(parts).file == f"{tmp_path}/f000.yaml"
    assert len(multiprocessing.active_children()) == 2
    parts.close()
    assert multiprocessing.active_children() == []


KILLED_IN_THE_READER = (
    "import os, signal, sys, catchball.load as L\n"
    "read = L.read_goals_file\n"
    "def killed(raw, name):\n"
    "    if name.endswith('extra-040.yaml'): os.kill(os.getpid(), signal.SIGKILL)\n"
    "    return read(raw, name)\n"
    "L.read_goals_file = killed\n"
    "from catchball.cli import main\n"
    "sys.argv = ['catchball', *sys.argv[1:]]\n"
    "main()\n"
)


def test_a_worker_killed_outright_is_exit_2_with_one_line(make_repo):
    root = make_repo({f"objectives/extra-{i:03}.yaml": "objectives: []\n" for i in range(70)})
    done = subprocess.run(
        [sys.executable, "-c", KILLED_IN_THE_READER, "check", "--format", "sarif", str(root)],
        capture_output=True, timeout=120, env={**os.environ, "CATCHBALL_WORKERS": "2", "CATCHBALL_NO_CACHE": "1"},
    )
    assert done.returncode == 2 and done.stdout == b""
    lines = stderr_lines(done)
    assert len(lines) == 1
    assert lines[0].startswith("catchball: error: internal error while reading ") and str(root) in lines[0]
    assert "a reading process stopped (exit code -9) reading this file" in lines[0]


# -- forked_map: the one way work is shared out (goals files and measure data files) ---------

from catchball.load.parallel import forked_map  # noqa: E402


def _square_unless_seven(n: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return n * n


def test_forked_map_gives_every_result_in_the_order_given():
    items = list(range(100, 0, -1))
    assert list(forked_map(items, 3, lambda n: n * n, str)) == [n * n for n in items]


def test_forked_map_names_the_item_a_job_crashed_on():
    with pytest.raises(FileBug) as raised:
        list(forked_map(list(range(20)), 2, _square_unless_seven, lambda n: f"item-{n}.csv"))
    assert raised.value.file == "item-7.csv" and "ValueError: seven" in str(raised.value)


def test_a_crash_reading_measure_data_in_workers_names_the_csv_file(make_repo, monkeypatch):
    from catchball.load import measure_data

    root = make_repo({f"data/t{i}.csv": "period,value\n2026-01,1\n" for i in range(3)})

    read_table = measure_data._read_table

    def broken(path, display, shared, store=None):
        if display == "data/t1.csv":
            raise RuntimeError("boom")
        return read_table(path, display, shared, store)

    monkeypatch.setattr(measure_data, "_read_table", broken)
    work = [(str(root / f"data/t{i}.csv"), f"data/t{i}.csv", frozenset()) for i in range(3)]
    with pytest.raises(FileBug) as raised:
        list(measure_data._read_in_workers(work, 2, {}, None))
    assert raised.value.file == "data/t1.csv" and "RuntimeError: boom" in str(raised.value)


# -- work after the last item: measure data read while the check's first rules run ----------

_KEPT: list = []  # a forked worker's own copy: what its jobs saw


def _keep_square(n: int) -> int:
    _KEPT.append(n)
    return n * n


def _sum_kept() -> list:
    return [(os.getpid(), sum(_KEPT), len(_KEPT))]


def test_each_worker_works_out_its_tail_after_its_last_item_and_it_is_collected_later():
    later: list = []
    items = list(range(1, 201))
    assert list(forked_map(items, 2, _keep_square, str, _sum_kept, later)) == [n * n for n in items]
    assert len(later) == 1 and len(multiprocessing.active_children()) <= 2  # still at work, or done and waiting
    found = later[0].collect()
    assert len(found) == 2 and len({pid for pid, _, _ in found}) == 2  # one tail from each worker
    assert sum(total for _, total, _ in found) == sum(items) and sum(n for _, _, n in found) == len(items)
    later[0].wait()
    assert multiprocessing.active_children() == []
    assert _KEPT == []  # the jobs ran in the workers, never here


def test_then_runs_after_the_tail_is_collected_and_wait_waits_for_it(tmp_path):
    # then() waits for a file this test writes only once collect() has returned: so collect()
    # did not wait for then(), and wait() returns only once each worker's then() is done.
    go, done = tmp_path / "go", tmp_path / "done"
    done.mkdir()

    def then() -> None:
        for _ in range(2000):
            if go.exists():
                break
            time.sleep(0.01)
        (done / str(os.getpid())).write_text("written")

    later: list = []
    assert list(forked_map(list(range(1, 101)), 2, _keep_square, str, _sum_kept, later, then)) == [
        n * n for n in range(1, 101)
    ]
    found = later[0].collect()
    assert len(found) == 2 and list(done.iterdir()) == []
    go.write_text("go")
    later[0].wait()
    assert sorted(p.name for p in done.iterdir()) == sorted(str(pid) for pid, _, _ in found)
    assert multiprocessing.active_children() == []


def test_a_failing_then_ends_its_worker_quietly():
    def then() -> None:
        raise RuntimeError("the cache is full")

    later: list = []
    assert list(forked_map(list(range(50)), 2, _keep_square, str, _sum_kept, later, then)) == [n * n for n in range(50)]
    assert len(later[0].collect()) == 2
    later[0].wait()
    assert multiprocessing.active_children() == []


def test_without_later_there_is_no_tail_and_the_workers_are_stopped():
    assert list(forked_map(list(range(50)), 2, _keep_square, str, _sum_kept)) == [n * n for n in range(50)]
    assert multiprocessing.active_children() == []


def _niceness_in_tail() -> list:
    return [os.nice(0)]  # adds nothing: the priority the tail runs at


def _niceness_in_job(n: int) -> int:
    return os.nice(0)


def test_a_tail_runs_behind_the_parent_and_the_items_do_not():
    """The check's first rules run in the parent while the tails run: on two cores the rules must not wait."""
    from catchball.load.parallel import TAIL_NICENESS

    here = os.nice(0)
    later: list = []
    assert set(forked_map(list(range(40)), 2, _niceness_in_job, str, _niceness_in_tail, later)) == {here}
    assert later[0].collect() == [min(here + TAIL_NICENESS, 19)] * 2
    assert os.nice(0) == here  # this process keeps its own


def _tail_that_crashes() -> list:
    from catchball.errors import reading

    with reading("data/t3.csv"):
        raise RuntimeError("tail boom")


def _tail_that_dies() -> list:
    os.kill(os.getpid(), signal.SIGKILL)
    return []


def test_a_tail_that_crashes_names_the_file_it_was_reading():
    later: list = []
    list(forked_map(list(range(40)), 2, _keep_square, str, _tail_that_crashes, later))
    with pytest.raises(FileBug) as raised:
        later[0].collect()
    assert raised.value.file == "data/t3.csv" and raised.value.summary == "RuntimeError: tail boom"
    assert "Traceback" in raised.value.detail
    assert multiprocessing.active_children() == []


def test_a_worker_killed_in_its_tail_is_a_bug_report_not_a_hang():
    later: list = []
    list(forked_map(list(range(40)), 2, _keep_square, str, _tail_that_dies, later))
    with pytest.raises(FileBug) as raised:
        later[0].collect()
    assert raised.value.file == "measure data"
    assert raised.value.summary == (
        "a reading process stopped (exit code -9) reading the measure data beside its goals files"
    )
    assert multiprocessing.active_children() == []


def _slow_tail() -> list:
    time.sleep(60)
    return []


def test_a_tail_never_collected_is_killed_by_close():
    later: list = []
    list(forked_map(list(range(40)), 2, _keep_square, str, _slow_tail, later))
    assert len(multiprocessing.active_children()) == 2
    started = time.monotonic()
    later[0].close()
    assert multiprocessing.active_children() == [] and time.monotonic() - started < 10


def test_a_worker_killed_in_its_then_leaves_the_run_its_answer():
    def then() -> None:
        os.kill(os.getpid(), signal.SIGKILL)  # the out-of-memory killer, while writing cache entries

    later: list = []
    assert list(forked_map(list(range(50)), 2, _keep_square, str, _sum_kept, later, then)) == [n * n for n in range(50)]
    assert len(later[0].collect()) == 2
    later[0].wait()  # no error: the run has what it asked for, the cache only lacks some entries
    assert multiprocessing.active_children() == []
