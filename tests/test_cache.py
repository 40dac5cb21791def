"""The parse cache: never stale, never trusted when damaged, safe with many writers.

Every test here uses its own cache folder (CATCHBALL_CACHE_DIR under
tmp_path); conftest.py gives the rest of the suite one folder per run.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import catchball.load.cache as cache_module
import catchball.store as store
from catchball.check import run_check
from catchball.load import load_goals
from catchball.load.cache import DATABASE, FORMAT, ParseCache, cache_folder, decode, encode, sweep
from catchball.load.reader import FileGoals, read_goals_file
from catchball.model import Aim, Measure, Objective, Span
from tests.conftest import write_repo

EXAMPLE = Path(__file__).resolve().parent.parent / "goals"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A fresh cache folder for this test, with the cache on."""
    where = tmp_path / "cache"
    monkeypatch.setenv("CATCHBALL_CACHE_DIR", str(where))
    monkeypatch.delenv("CATCHBALL_NO_CACHE", raising=False)
    return where


@pytest.fixture
def opened(monkeypatch):
    """The ParseCache objects the loader opened, in order (to read their hit and miss counts)."""
    seen = []
    real = ParseCache.open.__func__

    def spy(cls, settings=None):
        store = real(cls, settings)
        seen.append(store)
        return store

    monkeypatch.setattr(ParseCache, "open", classmethod(spy))
    return seen


def database(where: Path) -> sqlite3.Connection:
    return sqlite3.connect(where / DATABASE, isolation_level=None)


@dataclass(frozen=True, order=True)
class Entry:
    """One row of a cache folder's database, read and written as a test would a file."""

    where: Path
    key: str

    def read_bytes(self) -> bytes:
        with closing(database(self.where)) as db:
            return db.execute("SELECT value FROM entries WHERE key = ?", (self.key,)).fetchone()[0]

    def write_bytes(self, data) -> None:
        with closing(database(self.where)) as db:
            db.execute("UPDATE entries SET value = ? WHERE key = ?", (data, self.key))


def entries(where: Path) -> list[Entry]:
    """The entries in a cache folder, by key."""
    if not (where / DATABASE).is_file():
        return []
    with closing(database(where)) as db:
        return [Entry(where, key) for (key,) in db.execute("SELECT key FROM entries ORDER BY key")]


def outcome(root: Path, **options) -> tuple:
    """Everything a check says, to compare a cached run with a fresh one."""
    result = run_check(str(root), **options)
    goals = result.goals
    return (
        [(f.code, f.message, f.file, f.line, f.column, f.severity) for f in result.findings],
        list(goals.aims.values()), list(goals.teams.values()),
        list(goals.people.values()), list(goals.objectives.values()), goals.files,
    )


def test_second_run_reads_every_file_from_the_cache_and_says_the_same(folder, opened, make_repo):
    root = make_repo({"objectives/ward.yaml": "team: ward-7\nobjectives:\n  - id: W7-1\n    title: Falls\n    supports: [NOPE]\n"})
    first = outcome(root)
    assert opened[-1].hits == 0 and opened[-1].misses == len(first[5])
    assert entries(folder)
    second = outcome(root)
    assert opened[-1].misses == 0 and opened[-1].hits == len(first[5])
    assert second == first == outcome(root, cache=False)


def test_no_cache_writes_nothing(folder, make_repo, cli):
    root = make_repo()
    assert cli("check", "--no-cache", root).exit_code == 0
    assert not folder.exists() or not entries(folder)
    for command in ("cascade", "report", "status", "measures"):
        assert cli(command, "--no-cache", root).exit_code == 0
    assert cli("trace", "--no-cache", "TN-SAFE", root).exit_code == 0
    assert cli("chart", "--no-cache", "TN-SAFE:1", root).exit_code == 0
    assert not folder.exists() or not entries(folder)


def test_environment_turns_the_cache_off(folder, monkeypatch, make_repo):
    monkeypatch.setenv("CATCHBALL_NO_CACHE", "1")
    outcome(make_repo())
    assert not folder.exists() or not entries(folder)


def poison(where: Path, title: str = "POISONED") -> int:
    """Rewrite every entry, under its own key and with a valid checksum, with titles changed.

    A run that shows the poisoned title was served that entry: so a test can
    tell a hit from a fresh read by what the run says.
    """
    count = 0
    for path in entries(where):
        data = path.read_bytes()
        body = json.loads(data[len(FORMAT):].partition(b"\n")[2])
        for section in (body["record"][1], body["record"][4]):  # aims, objectives
            for element in section:
                element[1] = title
        text = json.dumps(body).encode()
        import hashlib

        path.write_bytes(FORMAT + hashlib.sha256(text).hexdigest().encode() + b"\n" + text)
        count += 1
    return count


def titles(root: Path) -> set:
    goals = run_check(str(root)).goals
    return {g.title for g in list(goals.aims.values()) + list(goals.objectives.values())}


def test_poisoned_entries_are_served_while_nothing_changed(folder, make_repo):
    # The control for the tests below: the poison is what a stale hit looks like.
    root = make_repo()
    outcome(root)
    assert poison(folder)
    assert titles(root) == {"POISONED"}


def test_a_changed_file_is_never_served_stale(folder, make_repo):
    root = make_repo()
    outcome(root)
    poison(folder)
    aims = root / "true-north.yaml"
    aims.write_text(aims.read_text().replace("Zero avoidable harm", "Zero harm"))
    goals = run_check(str(root)).goals
    assert goals.aims["TN-SAFE"].title == "Zero harm"
    assert outcome(root, cache=False)[1] == list(goals.aims.values())


def test_a_renamed_file_is_never_served_stale(folder, make_repo):
    root = make_repo()
    outcome(root)
    poison(folder)
    (root / "true-north.yaml").rename(root / "aims.yaml")
    goals = run_check(str(root)).goals
    assert goals.aims["TN-SAFE"].title == "Zero avoidable harm"
    assert goals.aims["TN-SAFE"].span.file.endswith("aims.yaml")


def test_a_deleted_file_leaves_nothing_behind(folder, make_repo):
    root = make_repo({"extra.yaml": "objectives:\n  - id: X-1\n    title: Extra\n    team: ward-7\n"})
    assert "X-1" in run_check(str(root)).goals.objectives
    (root / "extra.yaml").unlink()
    result = run_check(str(root))
    assert "X-1" not in result.goals.objectives
    assert outcome(root) == outcome(root, cache=False)


def test_changed_settings_are_never_served_stale(folder, make_repo):
    root = make_repo({"objectives/w.yaml": "team: ward-7\nobjectives:\n  - {id: A, title: a}\n  - {id: B, title: b}\n"})
    before = outcome(root)
    (root / "catchball.yaml").write_text("organisation: Test Trust\nmax-objectives: 1\nseverity: {CB201: error}\n")
    after = outcome(root)
    assert after == outcome(root, cache=False)
    assert after[0] != before[0]
    assert ("CB201", "error") in {(f[0], f[5]) for f in after[0]}


def test_a_new_catchball_version_is_never_served_stale(folder, make_repo, monkeypatch):
    root = make_repo()
    outcome(root)
    poison(folder)
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    assert "POISONED" not in titles(root)


def test_edited_reading_code_is_never_served_stale(folder, make_repo, monkeypatch):
    # An editable install whose reader changed: the key covers the reading code's source.
    root = make_repo()
    outcome(root)
    poison(folder)
    monkeypatch.setattr(cache_module, "_READING_CODE", cache_module._READING_CODE + ("graph.py",))
    assert "POISONED" not in titles(root)


@pytest.mark.parametrize("damage", ["truncate", "garble", "empty", "header", "foreign", "shape", "text"])
def test_a_damaged_entry_is_ignored_and_rewritten(folder, make_repo, opened, damage):
    root = make_repo()
    expected = outcome(root, cache=False)
    outcome(root)
    paths = entries(folder)
    good = {p: p.read_bytes() for p in paths}
    for index, path in enumerate(paths):
        data = good[path]
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garble":
            path.write_bytes(data[:-10] + b"#" * 10)
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "header":
            path.write_bytes(b"catchball-cache 0\n" + data[len(FORMAT):])
        elif damage == "foreign":  # another file's whole, valid entry under this key
            path.write_bytes(good[paths[(index + 1) % len(paths)]])
        elif damage == "shape":  # valid checksum, but an objective list one value short
            body = json.loads(data[len(FORMAT):].partition(b"\n")[2])
            for section in body["record"][1:5]:  # aims, teams, people, objectives
                section[:] = [values[:-1] for values in section]
            text = json.dumps(body).encode()
            import hashlib

            path.write_bytes(FORMAT + hashlib.sha256(text).hexdigest().encode() + b"\n" + text)
        elif damage == "text":  # the value stored as text, not bytes
            path.write_bytes(data.decode("utf-8"))
    assert outcome(root) == expected
    assert opened[-1].hits == 0
    assert {p: p.read_bytes() for p in entries(folder)} == good  # rewritten whole
    assert outcome(root) == expected and opened[-1].misses == 0


def test_shape_checks_refuse_wrong_types():
    part = read_goals_file((EXAMPLE / "true-north.yaml").read_bytes(), "goals/true-north.yaml")
    data = encode(part, "k")
    assert decode(data, "k", "goals/true-north.yaml") == part
    assert decode(data, "other key", "goals/true-north.yaml") is None
    assert decode(data, "k", "goals/elsewhere.yaml") is None
    body = json.loads(data[len(FORMAT):].partition(b"\n")[2])
    body["record"][1][0][0] = 5  # an aim's id that is not text
    text = json.dumps(body).encode()
    import hashlib

    bad = FORMAT + hashlib.sha256(text).hexdigest().encode() + b"\n" + text
    assert decode(bad, "k", "goals/true-north.yaml") is None


def test_every_example_file_round_trips():
    for path in sorted(EXAMPLE.rglob("*.yaml")):
        display = f"goals/{path.relative_to(EXAMPLE)}"
        part = read_goals_file(path.read_bytes(), display)
        assert decode(encode(part, "k"), "k", display) == part, display


@given(
    title=st.text(max_size=30),
    supports=st.lists(st.text(min_size=1, max_size=8), max_size=4),
    due=st.none() | st.dates(),
    baseline=st.none() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False),
    line=st.integers(1, 10**6),
    other_file=st.booleans(),
)
def test_records_round_trip(title, supports, due, baseline, line, other_file):
    span = Span("elsewhere.yaml" if other_file else "f.yaml", line, 3)
    measure = Measure("m", Span("f.yaml", line + 1, 5), baseline=baseline, by=due)
    objective = Objective("O-1", title, span, team="t", supports=tuple(supports), due=due, measures=(measure,))
    part = FileGoals("f.yaml", objectives=[objective])
    back = decode(encode(part, "k"), "k", "f.yaml")
    assert back == part
    assert type(back.objectives[0].measures[0].baseline) is type(baseline)


def _writer(where: str, key: str, payload: str, rounds: int) -> None:
    store = ParseCache(Path(where))
    part = FileGoals("f.yaml", objectives=[Objective("O-1", payload * 2000, Span("f.yaml", 1, 1))])
    for _ in range(rounds):
        store.put(key, part)
    assert store.working  # every write went in: none gave up waiting for the other writer
    os._exit(0 if store.written else 3)


def test_two_processes_writing_one_entry_never_leave_it_damaged(tmp_path):
    where = tmp_path / "cache"
    where.mkdir(parents=True)
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    writers = [context.Process(target=_writer, args=(str(where), "ab" + "0" * 62, letter, 200)) for letter in "xy"]
    for writer in writers:
        writer.start()
    store = ParseCache(where)
    seen = set()
    while any(w.is_alive() for w in writers):
        part = store.get("ab" + "0" * 62, "f.yaml")
        if part is not None:  # a reader sees a whole entry or none, never a torn one
            seen.add(part.objectives[0].title[:1])
            assert part.objectives[0].title in ("x" * 2000, "y" * 2000)
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    final = store.get("ab" + "0" * 62, "f.yaml")
    assert final is not None and final.objectives[0].title in ("x" * 2000, "y" * 2000)
    assert [e.key for e in entries(where)] == ["ab" + "0" * 62]


def test_a_database_another_run_makes_while_this_one_looks_is_kept(tmp_path, monkeypatch):
    # The race behind a CI failure: this run saw no table, another run made
    # it and wrote an entry, and this run then took the new table for a
    # foreign one and removed it, entry and all.
    path = tmp_path / DATABASE
    first_look = store._ours
    looks = []

    def stale_first_look(db):
        looks.append(db)
        if len(looks) == 1:
            other = store.connect(path)  # the other run, in between
            store.put(other, "k", b"kept")
            other.close()
            return False
        return first_look(db)

    monkeypatch.setattr(store, "_ours", stale_first_look)
    db = store.connect(path)
    assert db is not None
    assert store.lookup(db, "k", bytes) == b"kept"
    db.close()


def test_the_folder_is_kept_under_its_bound_oldest_first(folder, make_repo, monkeypatch):
    root = make_repo()
    outcome(root)
    paths = entries(folder)
    assert len(paths) >= 3
    sizes = {p: len(p.read_bytes()) for p in paths}
    with closing(database(folder)) as db:
        for age, path in enumerate(paths):  # the first entry is the oldest
            db.execute("UPDATE entries SET used = ? WHERE key = ?", (1_000_000 + age, path.key))
        bound = sum(sizes.values()) - 1
        sweep(db, bound)
    left = entries(folder)
    assert paths[0] not in left and paths[-1] in left
    assert sum(sizes[p] for p in left) <= bound * store.KEEP_AFTER_SWEEP
    assert not (folder / f"{DATABASE}-wal").exists() or (folder / f"{DATABASE}-wal").stat().st_size == 0


def test_a_hit_long_unused_is_marked_used(folder, make_repo):
    root = make_repo()
    outcome(root)
    with closing(database(folder)) as db:
        db.execute("UPDATE entries SET used = 1000")
    outcome(root)
    with closing(database(folder)) as db:
        used = [u for (u,) in db.execute("SELECT used FROM entries")]
    assert used and min(used) > dt.datetime(2020, 1, 1).timestamp()


def test_a_run_that_writes_sweeps(folder, make_repo, monkeypatch):
    monkeypatch.setenv("CATCHBALL_CACHE_MAX_MB", "0")
    outcome(make_repo())
    assert entries(folder) == []


def test_an_unusable_cache_folder_changes_nothing(tmp_path, monkeypatch, make_repo):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CATCHBALL_CACHE_DIR", str(blocker / "cache"))
    root = make_repo()
    assert outcome(root) == outcome(root, cache=False)


def test_parallel_reading_fills_and_uses_the_cache(folder, make_repo, monkeypatch, opened):
    monkeypatch.setenv("CATCHBALL_WORKERS", "2")
    root = make_repo({f"objectives/t{n}.yaml": f"team: ward-7\nobjectives:\n  - {{id: T{n}, title: t}}\n" for n in range(8)})
    expected = outcome(root, cache=False)
    assert outcome(root) == expected  # workers write the entries
    assert len(entries(folder)) == len(expected[5])
    assert outcome(root) == expected and opened[-1].hits == len(expected[5])


def test_an_empty_cache_is_not_looked_up_file_by_file_but_a_partly_filled_one_is(folder, make_repo, monkeypatch, opened):
    import catchball.load as load

    monkeypatch.setenv("CATCHBALL_WORKERS", "2")
    files = {f"objectives/t{n}.yaml": f"team: ward-7\nobjectives:\n  - {{id: T{n}, title: t}}\n" for n in range(8)}
    root = make_repo(files)
    looked: list[str] = []
    real_cached = load._cached

    def spy(root, relative, store):
        looked.append(relative)
        return real_cached(root, relative, store)

    monkeypatch.setattr(load, "_cached", spy)
    expected = outcome(root, cache=False)
    assert outcome(root) == expected and looked == []  # every file a miss: read once, in the workers
    assert opened[-1].misses == len(expected[5]) and len(entries(folder)) == len(expected[5])
    (root / "objectives/t3.yaml").write_text(files["objectives/t3.yaml"].replace("title: t", "title: changed"))
    changed = outcome(root, cache=False)
    assert outcome(root) == changed and len(looked) == len(expected[5])  # each file looked up here
    assert opened[-1].hits == len(expected[5]) - 1


def test_cache_folder_follows_the_platform(monkeypatch, tmp_path):
    monkeypatch.delenv("CATCHBALL_CACHE_DIR")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "catchball"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cache_folder() == Path.home() / ".cache" / "catchball"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cache_folder() == Path.home() / "Library" / "Caches" / "catchball"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert cache_folder() == tmp_path / "local" / "catchball" / "Cache"
    monkeypatch.setenv("CATCHBALL_CACHE_DIR", str(tmp_path / "given"))
    assert cache_folder() == tmp_path / "given"


def test_the_suite_never_uses_the_users_cache():
    assert "catchball-test-cache-" in os.environ["CATCHBALL_CACHE_DIR"]


def test_example_goals_the_same_through_the_cache(folder):
    assert outcome(EXAMPLE) == outcome(EXAMPLE) == outcome(EXAMPLE, cache=False)


def test_an_entry_carries_every_field_of_every_kind():
    from tests.test_parallel_read import every_kind

    file = "goals/objectives/ward-7.yaml"
    part = every_kind(file)
    back = decode(encode(part, "k"), "k", file)
    assert back == part
    measure = back.objectives[0].measures[0]
    assert measure.data_span == Span("other.yaml", 2, 3) and measure.by == dt.date(2027, 3, 31)
    assert [(p.period, p.value, p.recalculate, p.note) for p in measure.points] == [("2026-04", 1.5, True, "note")]


@pytest.mark.parametrize("where, bad", [
    ((1, 0, 2), ["x", 1]),          # an aim's span that is not two numbers
    ((1, 0, 2), [1, 2, 3, 4]),      # nor a file and two numbers
    ((4, 0, 7), "2026-03-31"),      # an objective's due date written as text, not a day number
    ((4, 0, 5), "O-1"),             # supports as text, not a list
    ((4, 0, 3), 7),                 # a team id that is not text
    ((4, 0), {"id": "O-1"}),        # an objective that is not a list
])
def test_an_entry_with_a_wrong_type_is_refused(where, bad):
    import hashlib

    span = Span("f.yaml", 3, 5)
    part = FileGoals("f.yaml", [Aim("TN-1", "t", span)], [], [],
                     [Objective("O-1", "o", span, team="t", supports=("TN-1",), due=dt.date(2027, 3, 31))])
    data = encode(part, "k")
    assert decode(data, "k", "f.yaml") == part  # the control: unchanged, it is served
    body = json.loads(data[len(FORMAT):].partition(b"\n")[2])
    target = body["record"]
    for index in where[:-1]:
        target = target[index]
    target[where[-1]] = bad
    text = json.dumps(body).encode()
    assert decode(FORMAT + hashlib.sha256(text).hexdigest().encode() + b"\n" + text, "k", "f.yaml") is None


def _same_after_rebuild(folder: Path, root: Path, opened) -> None:
    """A run over a damaged or foreign database says what a run without the cache says, and leaves a good one."""
    expected = outcome(root, cache=False)
    assert outcome(root) == expected
    assert opened[-1].working and opened[-1].hits == 0
    assert len(entries(folder)) == len(expected[5])
    assert outcome(root) == expected and opened[-1].hits == len(expected[5])


@pytest.mark.parametrize("content", [b"not a database at all\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000, b""])
def test_a_database_that_is_not_one_is_made_afresh(folder, make_repo, opened, content):
    folder.mkdir(parents=True)
    (folder / DATABASE).write_bytes(content)
    _same_after_rebuild(folder, make_repo(), opened)


@pytest.mark.parametrize("layout", [
    "CREATE TABLE other (x)",
    "CREATE TABLE entries (key TEXT PRIMARY KEY, value BLOB)",
    store.SCHEMA + "; CREATE TRIGGER t AFTER INSERT ON entries BEGIN DELETE FROM entries; END",
    store.SCHEMA + "; CREATE VIEW v AS SELECT key FROM entries",
    store.SCHEMA + "; PRAGMA user_version = 99",
])
def test_a_database_of_another_layout_is_not_trusted(folder, make_repo, opened, layout):
    folder.mkdir(parents=True)
    with closing(database(folder)) as db:
        db.executescript(layout)
    _same_after_rebuild(folder, make_repo(), opened)
    with closing(database(folder)) as db:
        assert [r[0] for r in db.execute("SELECT sql FROM sqlite_master WHERE type = 'table'")] == [store.SCHEMA]


def test_a_database_damaged_inside_is_made_afresh(folder, make_repo, opened):
    root = make_repo({f"objectives/t{n}.yaml": f"team: ward-7\nobjectives:\n  - {{id: T{n}, title: {'t' * 3000}}}\n"
                      for n in range(6)})
    expected = outcome(root, cache=False)
    outcome(root)
    with closing(database(folder)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray((folder / DATABASE).read_bytes())
    assert len(data) > 4 * page
    data[2 * page:] = b"\xa5" * (len(data) - 2 * page)  # the header and schema stay; the entries' pages are garbage
    (folder / DATABASE).write_bytes(bytes(data))
    assert outcome(root) == expected
    assert outcome(root) == expected and opened[-1].hits == len(expected[5])


def test_a_database_another_run_holds_is_left_alone(folder, make_repo, opened, monkeypatch):
    root = make_repo()
    expected = outcome(root, cache=False)
    outcome(root)
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.05)
    (root / "true-north.yaml").write_text((root / "true-north.yaml").read_text() + "\n# changed\n")
    expected = outcome(root, cache=False)
    with closing(database(folder)) as other:
        other.execute("BEGIN EXCLUSIVE")  # another run in the middle of a write
        assert outcome(root) == expected
        assert not opened[-1].working  # it gave up the cache for this run, and said the same
        other.execute("ROLLBACK")
    assert outcome(root) == expected and opened[-1].working


def test_the_database_is_the_users_alone(folder, make_repo):
    outcome(make_repo())
    assert (folder / DATABASE).stat().st_mode & 0o777 == 0o600


def test_entries_of_the_old_layout_are_removed(folder, make_repo):
    old = folder / "entries" / "ab"
    old.mkdir(parents=True)
    (old / ("c" * 62)).write_bytes(b"catchball-cache 2\n...")
    outcome(make_repo())
    assert not (folder / "entries").exists() and entries(folder)


def test_a_python_without_sqlite_runs_without_the_cache(folder, make_repo, monkeypatch, opened):
    monkeypatch.setattr(store, "sqlite3", None)
    root = make_repo()
    assert outcome(root) == outcome(root, cache=False)
    assert opened[-1] is None and not folder.exists()


def test_a_worker_holds_its_entries_while_it_has_room_and_writes_the_rest_at_once(folder):
    from catchball.load.records import pack
    from catchball.load.reader import read_goals_file

    store = ParseCache.open()
    record = pack(read_goals_file(b"objectives:\n  - {id: X-1, title: t, team: ward-7}\n", "x.yaml"))
    store.hold_records(10)
    store.put_record("held", record, 6)
    store.put_record("too-big", record, 6)  # 6 more bytes do not fit in the 4 left
    assert [e.key for e in entries(folder)] == ["too-big"]
    store.write_held()
    assert [e.key for e in entries(folder)] == ["held", "too-big"]
    assert store.get("held", "x.yaml") == read_goals_file(b"objectives:\n  - {id: X-1, title: t, team: ward-7}\n", "x.yaml")
    store.hold_records(10)  # once written, a process holds no more
    store.put_record("after", record, 1)
    assert "after" in [e.key for e in entries(folder)]


def test_a_parallel_run_writes_every_entry_before_it_returns_and_the_parent_holds_none(folder, make_repo, monkeypatch, opened):
    monkeypatch.setenv("CATCHBALL_WORKERS", "2")
    root = make_repo({f"objectives/t{n}.yaml": f"team: ward-7\nobjectives:\n  - {{id: T{n}, title: t}}\n" for n in range(40)})
    result = run_check(str(root))
    assert len(entries(folder)) == len(result.goals.files)  # what the workers held is written
    assert opened[-1]._held is None  # the parent wrote nothing it held: it held nothing
    assert multiprocessing.active_children() == []
