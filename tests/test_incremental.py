"""Incremental checking (catchball/incremental.py): a check after an edit gives what a full check gives.

The incremental route works out the findings of the changed files alone and
takes the rest from the last run's state. Every test here compares its
output with a run without the cache (`cache=False`, `--no-cache`), and says
which route it expects, so that neither a stale answer nor a route never
taken can pass.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import catchball.check
import catchball.incremental as incremental
from catchball.check import run_check
from catchball.formats import emitter
from catchball.load import load_goals
from catchball.load.discover import discover
from catchball.load.reader import read_goals_file
from tests.conftest import HEALTHY, write_repo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import generate  # noqa: E402  (benchmarks/ is not a package)

DAY = "2026-12-01"


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test keeps its states in a cache folder of its own, with the cache on: these tests are
    about the route the cache makes (each compares it with a run without the cache), also when the
    suite runs with CATCHBALL_NO_CACHE=1."""
    monkeypatch.setenv("CATCHBALL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CATCHBALL_NO_CACHE", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")


def output(result, kind: str = "json") -> str:
    out = io.StringIO()
    emitter(kind)(result, out)
    return out.getvalue()


def full(root: Path) -> str:
    return output(run_check(str(root), cache=False))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated trust of 300 staff with defects of every kind, made once for the module."""
    root = tmp_path_factory.mktemp("generated") / "goals"
    generate(root, 300, seed=5, defect_rate=0.08)
    return root


# -- edits: (name, which lines, what becomes of the line, whether the outline stays) --------------

DATES = "dates"  # the outline but for due dates stays: checked alone once the last full run kept an index

EDITS = [
    ("title", r"^\s+title: ", lambda l: re.sub(r'title: ("?)', r"title: \1Edited ", l, count=1), True),
    ("description", r"^\s+title: ", lambda l: l + l[: len(l) - len(l.lstrip())] + "description: Why it matters\n", True),
    ("comment above", r"^", lambda l: "# a note\n" + l, True),
    ("unknown key", r"^\s+title: ", lambda l: l + l[: len(l) - len(l.lstrip())] + "colour: red\n", True),
    ("baseline", r"^\s+baseline: ", lambda l: re.sub(r"baseline: .*", "baseline: 7", l), True),
    ("target removed", r"^\s+target: ", lambda l: "", True),
    # the catchball round's own edits: the status moves among proposed, challenged and agreed
    ("status", r"^\s+status: agreed", lambda l: l.replace("agreed", "proposed"), True),
    ("challenged", r"^\s+status: proposed", lambda l: l.replace("proposed", "challenged"), True),
    ("agreed", r"^\s+status: challenged", lambda l: l.replace("challenged", "agreed"), True),
    ("done", r"^\s+status: (proposed|challenged|agreed)\b", lambda l: re.sub(r"status: .*", "status: done", l), False),
    ("aim status not allowed", r"^\s+status: active", lambda l: l.replace("active", "dropped"), True),  # read as active, CB102
    ("dropped", r"^\s+status: (proposed|challenged|agreed|done)\b", lambda l: re.sub(r"status: .*", "status: dropped", l), False),
    ("new link", r"^\s+supports: \[", lambda l: l.replace("[", "[TN-NOWHERE, ", 1), False),
    ("due", r"^\s+due: ", lambda l: re.sub(r"due: .*", "due: 2031-01-01", l), DATES),
    ("owner", r"^\s+owner: ", lambda l: re.sub(r"owner: .*", "owner: nobody-here", l), False),
    ("bad yaml", r"^\s+title: ", lambda l: l + "  - : : [\n", False),
]


def apply(path: Path, edit, pick: random.Random) -> bool:
    """Apply one edit at a random line it fits; False when no line fits or the line is as the edit would make it."""
    _, pattern, change, _ = edit
    lines = path.read_text().splitlines(keepends=True)
    fits = [i for i, line in enumerate(lines) if re.search(pattern, line)]
    if not fits:
        return False
    i = pick.choice(fits)
    changed = change(lines[i])
    if changed == lines[i]:
        return False  # `baseline: 7` made `baseline: 7`: no edit
    lines[i] = changed
    path.write_text("".join(lines))
    return True


def dates_alone(expected, before: bytes, path: Path) -> bool:
    """Whether a moved due date can be checked alone: no id defined twice among the objectives whose
    date moved, those that support them, and what those support (a full run's `expected` tells)."""
    old, new = read_goals_file(before, str(path)), read_goals_file(path.read_bytes(), str(path))
    moved = {b.id for a, b in zip(old.objectives, new.objectives) if a.due != b.due}
    supporters = expected.cascade.supporters_by_id()
    judged = moved | {s for m in moved for s in supporters.get(m, ())}
    objectives = expected.goals.objectives
    targets = {t for g in judged if g in objectives for t in objectives[g].supports}
    return not (judged | targets) & {f.id for f in expected.findings if f.code == "CB104"}


def unreadable(path: Path) -> bool:
    """Whether YAML cannot read the file (CB101): it then has no elements."""
    part = read_goals_file(path.read_bytes(), str(path))
    return any(f.code == "CB101" for f in part.findings) and not (part.aims or part.teams or part.people or part.objectives)


def alone(result, path: Path) -> bool:
    """Whether a full run's `result` lets a file be checked alone: no id of it defined twice, no fault but local ones."""
    twice = {f.id for f in result.findings if f.code == "CB104"}
    part = read_goals_file(path.read_bytes(), str(path))
    ids = {e.id for kind in (part.aims, part.teams, part.people, part.objectives) for e in kind}
    return not ids & twice and all(f.code in incremental.LOCAL_READER_CODES for f in part.findings)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), steps=st.integers(1, 4))
def test_a_check_after_random_edits_gives_what_a_full_check_gives(generated, seed, steps):
    pick = random.Random(seed)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "goals"
        shutil.copytree(generated, root)
        assert run_check(str(root), incremental=True).rechecked is None  # the first run: in full, keeping its state
        files = sorted(root.rglob("*.yaml"))
        indexed = False  # a full run after the first keeps the index that a moved due date needs
        for _ in range(steps):
            path, edit = pick.choice(files), pick.choice(EDITS)
            was_unreadable, before = unreadable(path), path.read_bytes()
            if not apply(path, edit, pick):
                continue
            again = run_check(str(root), incremental=True)
            expected = run_check(str(root), cache=False)
            assert output(again) == output(expected), edit[0]
            assert output(again, "text") == output(expected, "text")
            # the settings are keyed whole: any edit of catchball.yaml checks in full; a file that
            # YAML cannot read, before the edit and after it, has no outline for the edit to change
            kept = edit[3] is True or (was_unreadable and unreadable(path)) or \
                (edit[3] == DATES and indexed and not unreadable(path) and dates_alone(expected, before, path))
            alone_here = kept and path.name != "catchball.yaml" and alone(expected, path)
            assert again.rechecked == ([str(path)] if alone_here else None), (edit[0], again.rechecked, str(path))
            indexed = indexed or again.rechecked is None


@pytest.mark.parametrize("edit", EDITS, ids=[e[0] for e in EDITS])
def test_each_edit_takes_the_route_it_should(generated, tmp_path, edit):
    root = tmp_path / "goals"
    shutil.copytree(generated, root)
    run_check(str(root), incremental=True)
    files = sorted(root.rglob("objectives/*/*/*.yaml")) + [root / "true-north.yaml"]
    before = run_check(str(root), cache=False)
    target = next(p for p in files if re.search(edit[1], p.read_text(), re.M) and alone(before, p))
    assert apply(target, edit, random.Random(3))
    again = run_check(str(root), incremental=True)
    assert output(again) == full(root)
    assert again.rechecked == ([str(target)] if edit[3] is True else None)  # a date: no index yet
    # and the state it kept serves the next edit too
    assert apply(target, EDITS[0], random.Random(4))
    assert output(run_check(str(root), incremental=True)) == full(root)


def test_the_local_rules_judge_each_file_alone_as_in_a_full_run(generated):
    """Each file's local findings, worked out from the file alone, are the full run's there."""
    result = run_check(str(generated), cache=False)
    root = discover(str(generated))
    finish = lambda found, cascade: catchball.check._finished(result.goals.settings, set(), None, found, cascade)  # noqa: E731
    day = result.cascade.as_of
    worked = 0
    for relative in root.files:
        if relative == "catchball.yaml":
            continue
        shown = root.display_path(relative)
        part = read_goals_file((root.path / relative).read_bytes(), shown)
        alone = incremental._local_findings(part, result.goals.settings, root, day, finish)
        expected = [f for f in result.findings if f.file == shown and f.code in incremental.LOCAL_CODES]
        assert sorted(alone, key=lambda f: f.sort_key()) == expected, shown
        worked += len(expected)
    assert worked > 100  # the generated defects give the local rules plenty to find


@pytest.mark.parametrize("change", ["rename", "delete", "add", "settings", "day", "version", "select"])
def test_what_the_state_does_not_cover_is_checked_in_full(make_repo, monkeypatch, change):
    root = make_repo({"objectives/extra.yaml": "team: ward-7\nobjectives:\n  - {id: W7-5, title: Stray}\n"})
    first = run_check(str(root), incremental=True)
    assert first.rechecked is None and run_check(str(root), incremental=True).rechecked == []
    options = {}
    if change == "rename":
        (root / "objectives/extra.yaml").rename(root / "objectives/zz-extra.yaml")
    elif change == "delete":
        (root / "objectives/extra.yaml").unlink()
    elif change == "add":
        (root / "objectives/more.yaml").write_text("team: ward-7\nobjectives:\n  - {id: W7-6, title: More}\n")
    elif change == "settings":
        (root / "catchball.yaml").write_text("organisation: Test Trust\nignore: [CB201]\n")
    elif change == "day":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")  # 2030: every due date has passed (CB405)
    elif change == "version":
        monkeypatch.setattr(incremental, "__version__", "99.0")
    elif change == "select":
        options = {"select": ["CB2"]}
    again = run_check(str(root), incremental=True, **options)
    assert again.rechecked is None
    assert output(again) == output(run_check(str(root), cache=False, **options))


def test_a_damaged_or_foreign_state_is_ignored_and_replaced(make_repo, tmp_path):
    root = make_repo()
    run_check(str(root), incremental=True)
    db = sqlite3.connect(tmp_path / "cache" / "cache.sqlite3")
    states = [k for (k, v) in db.execute("SELECT key, value FROM entries") if b'"counts"' in v]
    assert len(states) == 1
    db.execute("UPDATE entries SET value = ? WHERE key = ?", (b"catchball-cache 2\n" + b"0" * 64 + b"\n{}", states[0]))
    db.commit()
    db.close()
    (root / "objectives/ward-7.yaml").write_text((root / "objectives/ward-7.yaml").read_text().replace("Falls", "Fall"))
    again = run_check(str(root), incremental=True)
    assert again.rechecked is None and output(again) == full(root)
    assert run_check(str(root), incremental=True).rechecked == []  # replaced by the full run


def test_a_file_written_while_a_full_run_reads_keeps_no_state(make_repo, monkeypatch):
    """Keyed before the run, then edited before the run reads it, then put back: never served stale."""
    root = make_repo()
    ward = root / "objectives/ward-7.yaml"
    before = ward.read_bytes()

    def edit_then_load(*args, **kwargs):
        ward.write_bytes(before.replace(b"supports: SURG-1\n", b""))  # W7-1 an orphan (CB201)
        return load_goals(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(catchball.check, "load_goals", edit_then_load)
        assert "CB201" in [f.code for f in run_check(str(root), incremental=True).findings]
    ward.write_bytes(before)
    again = run_check(str(root), incremental=True)
    assert again.rechecked is None  # no state: what the run found was not of the bytes keyed
    assert output(again) == full(root) and "CB201" not in full(root)


def test_a_repository_with_measure_data_is_always_checked_in_full(make_repo):
    aim = HEALTHY["true-north.yaml"].replace("      - name: Falls", "      - id: falls-harm\n        name: Falls")
    root = make_repo({"true-north.yaml": aim.replace("by: 2029-03-31\n", "by: 2029-03-31\n        data: falls.csv\n"),
                      "falls.csv": "period,value\n2026-01,0.2\n2026-02,0.18\n"})
    run_check(str(root), incremental=True)
    assert run_check(str(root), incremental=True).rechecked is None


def test_an_id_defined_twice_in_a_changed_file_is_checked_in_full(make_repo):
    twice = "team: ward-7\nobjectives:\n  - {id: W7-1, title: Again, supports: [SURG-1]}\n"
    root = make_repo({"objectives/zz-twice.yaml": twice})
    run_check(str(root), incremental=True)
    (root / "objectives/zz-twice.yaml").write_text(twice.replace("Again", "Once more"))
    again = run_check(str(root), incremental=True)
    assert again.rechecked is None and output(again) == full(root)


@pytest.mark.parametrize("kind", ["text", "json", "sarif", "junit", "github", "gitlab", "markdown"])
def test_the_check_command_after_an_edit_prints_what_no_cache_prints(make_repo, cli, kind):
    root = make_repo({"objectives/stray.yaml": "team: ward-7\nobjectives:\n  - {id: W7-9, title: Tidy up, owner: wm}\n"})
    first = cli("check", "--format", kind, str(root))
    assert first.exit_code == 1
    stray = root / "objectives/stray.yaml"
    stray.write_text("# moved down a line\n" + stray.read_text().replace("Tidy up", "Tidy the store room"))
    seen = []
    real = incremental.Attempt._again
    incremental.Attempt._again = lambda self, *a: seen.append(real(self, *a)) or seen[-1]
    try:
        again = cli("check", "--format", kind, str(root))
    finally:
        incremental.Attempt._again = real
    assert seen and seen[0] is not None and seen[0].rechecked == [f"{root}/objectives/stray.yaml"]
    expected = cli("check", "--no-cache", "--format", kind, str(root))
    assert (again.exit_code, again.output) == (expected.exit_code, expected.output)


@pytest.mark.parametrize("before, after, alone", [
    ("proposed", "agreed", True),  # the level above agrees it (CB502 goes)
    ("agreed", "challenged", True),  # thrown back (CB501 comes)
    ("challenged", "proposed", True),
    ("agreed", "done", False),  # CB304 no longer counts it: a linking rule
    ("done", "agreed", False),
    ("proposed", "dropped", False),  # CB205 and tracing: linking rules
    ("dropped", "proposed", False),
])
def test_a_status_edit_is_checked_alone_while_the_objective_stays_active_and_not_done(make_repo, before, after, alone):
    supporter = "team: ward-7\nobjectives:\n  - {id: W7-9, title: Below, supports: W7-8, due: 2027-01-31}\n"
    root = make_repo({
        "objectives/extra.yaml": f"team: ward-7\nobjectives:\n  - {{id: W7-8, title: Moving, supports: SURG-1, status: {before}}}\n",
        "objectives/below.yaml": supporter,
    })
    assert run_check(str(root), incremental=True).rechecked is None
    path = root / "objectives/extra.yaml"
    path.write_text(path.read_text().replace(f"status: {before}", f"status: {after}"))
    again = run_check(str(root), incremental=True)
    assert output(again) == full(root) and output(again, "text") == output(run_check(str(root), cache=False), "text")
    assert again.rechecked == ([str(path)] if alone else None)
    codes = {f.code for f in again.findings if f.id == "W7-8"}
    assert ("CB502" in codes) == (after == "proposed") and ("CB501" in codes) == (after == "challenged")



def _dated(make_repo):
    """SURG-1 (objectives/surgery.yaml) due 2027-03-31, and W7-1 in another file supporting it, due 2027-01-31."""
    return make_repo({"objectives/extra.yaml": "team: ward-7\nobjectives:\n  - {id: W7-5, title: Stray, due: 2027-02-01}\n"})


def _move_due(path: Path, before: str, after: str) -> None:
    text = path.read_text()
    assert before in text
    path.write_text(text.replace(before, after, 1))


def test_a_moved_due_date_is_checked_alone_once_a_full_run_kept_the_index(make_repo):
    root = _dated(make_repo)
    surgery = root / "objectives/surgery.yaml"
    assert run_check(str(root), incremental=True).rechecked is None  # the first run: no state before it, no index
    _move_due(surgery, "due: 2027-03-31", "due: 2027-02-28")
    second = run_check(str(root), incremental=True)
    assert second.rechecked is None and output(second) == full(root)  # in full, keeping the index
    _move_due(surgery, "due: 2027-02-28", "due: 2026-12-31")  # now before W7-1's date, in another file
    third = run_check(str(root), incremental=True)
    assert third.rechecked == [str(surgery)]
    assert output(third) == full(root) and output(third, "text") == output(run_check(str(root), cache=False), "text")
    assert [(f.id, f.file) for f in third.findings if f.code == "CB403"] == [("W7-1", str(root / "objectives/ward-7.yaml"))]
    _move_due(surgery, "due: 2026-12-31", "due: 2027-03-31")  # and back: the finding goes
    fourth = run_check(str(root), incremental=True)
    assert fourth.rechecked == [str(surgery)] and output(fourth) == full(root)
    assert not [f for f in fourth.findings if f.code == "CB403"]
    ward = root / "objectives/ward-7.yaml"  # the supporter's own date, and a title beside it: one run
    _move_due(ward, "due: 2027-01-31", "due: 2027-06-30")
    _move_due(ward, "title: Falls risk", "title: Falls-risk")
    fifth = run_check(str(root), incremental=True)
    assert fifth.rechecked == [str(ward)] and output(fifth) == full(root)
    assert [f.id for f in fifth.findings if f.code == "CB403"] == ["W7-1"]


@pytest.mark.parametrize("damage", ["missing", "other generation", "wrong shape", "supporters a list", "a supporter a number"])
def test_a_moved_due_date_without_its_index_is_checked_in_full(make_repo, damage):
    root = _dated(make_repo)
    surgery = root / "objectives/surgery.yaml"
    run_check(str(root), incremental=True)
    _move_due(surgery, "due: 2027-03-31", "due: 2027-02-28")
    run_check(str(root), incremental=True)  # keeps the index
    attempt = incremental.Attempt.begin(str(root), None, None, None, set())
    index_key = attempt._index_key()
    index = attempt.store.get_state(index_key)
    assert index is not None and set(index) == {"key", "generation", "defined", "supporters"}
    if damage == "missing":
        with sqlite3.connect(attempt.store.folder / "cache.sqlite3") as db:
            assert db.execute("DELETE FROM entries WHERE key = ?", (index_key,)).rowcount == 1
    elif damage == "other generation":
        attempt.store.put_state(index_key, {**index, "generation": "0" * 32})
    elif damage == "wrong shape":
        attempt.store.put_state(index_key, {**index, "defined": {"SURG-1": "objectives/surgery.yaml"}})
    elif damage == "supporters a list":
        attempt.store.put_state(index_key, {**index, "supporters": [["SURG-1", "W7-1"]]})
    else:
        attempt.store.put_state(index_key, {**index, "supporters": {**index["supporters"], "SURG-1": ["W7-1", 7]}})
    _move_due(surgery, "due: 2027-02-28", "due: 2026-12-31")
    again = run_check(str(root), incremental=True)
    assert again.rechecked is None and output(again) == full(root)


def test_a_moved_due_date_after_two_targets_is_one_finding_as_in_a_full_run(make_repo):
    root = make_repo({"objectives/extra.yaml": (
        "team: ward-7\nobjectives:\n  - {id: W7-6, title: Both, supports: [SURG-1, W7-1], due: 2027-01-01}\n")})
    extra = root / "objectives/extra.yaml"
    run_check(str(root), incremental=True)
    _move_due(extra, "due: 2027-01-01", "due: 2027-01-02")
    assert run_check(str(root), incremental=True).rechecked is None  # keeps the index
    _move_due(extra, "due: 2027-01-02", "due: 2027-06-30")  # after W7-1 (2027-01-31) and SURG-1 (2027-03-31)
    again = run_check(str(root), incremental=True)
    assert again.rechecked == [str(extra)] and output(again) == full(root)
    assert [f.message for f in again.findings if f.code == "CB403"] == [
        "objective W7-6 is due 2027-06-30, after SURG-1 (2027-03-31); objective W7-6 is due 2027-06-30, after W7-1 (2027-01-31)"
    ]


def test_a_moved_due_date_near_an_id_defined_twice_is_checked_in_full(make_repo):
    """An objective that takes the aim TN-SAFE's id (CB104): which of the two a link means is the full
    run's to say (the first read: objectives/ comes before true-north.yaml), so a date moved beside it
    is not checked alone."""
    root = make_repo({"objectives/extra.yaml": (
        "team: ward-7\nobjectives:\n  - {id: TN-SAFE, title: Clash, supports: SURG-1, due: 2026-01-01}\n"
        "  - {id: W7-7, title: Both, supports: [TN-SAFE, W7-1], due: 2027-01-01}\n")})
    extra = root / "objectives/extra.yaml"
    run_check(str(root), incremental=True)
    _move_due(root / "objectives/surgery.yaml", "due: 2027-03-31", "due: 2027-03-30")
    assert run_check(str(root), incremental=True).rechecked is None  # keeps the index
    _move_due(root / "objectives/ward-7.yaml", "due: 2027-01-31", "due: 2026-12-31")  # W7-1, which W7-7 supports
    again = run_check(str(root), incremental=True)
    assert again.rechecked is None and output(again) == full(root)
    assert sorted(f.message for f in again.findings if f.code == "CB403") == [
        "objective SURG-1 is due 2027-03-30, after TN-SAFE (2026-01-01)",  # the objective: read first
        "objective W7-7 is due 2027-01-01, after TN-SAFE (2026-01-01); objective W7-7 is due 2027-01-01, after W7-1 (2026-12-31)",
    ]
