"""The replay (catchball/cli/replay.py): a command run again on the same inputs is played back, never stale.

Each run goes through replay.run as `catchball` itself does (cli/__init__.py
main), with the real Typer app as the command, in this process: a test can
so tell whether the command ran or was played back.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import catchball.cli.replay as replay
from catchball.cli import app
from catchball.cli.streams import BROKEN_PIPE
from tests.conftest import HEALTHY, write_repo

DEFECT = {  # an objective that supports nothing (CB201): check exits 1, with a finding to show
    "objectives/stray.yaml": """
        team: ward-7
        objectives:
          - id: W7-9
            title: Tidy the store room
            owner: wm
    """,
}
DATA = {  # the healthy aim's measure, with an id and a CSV file of its data
    "true-north.yaml": HEALTHY["true-north.yaml"]
    .replace("      - name: Falls", "      - id: falls-harm\n        name: Falls")
    .replace("by: 2029-03-31\n", "by: 2029-03-31\n        data: data/falls.csv\n"),
    "data/falls.csv": "period,value\n" + "".join(f"2025-{m:02d},{0.2 + m / 100}\n" for m in range(1, 13)),
}


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("CATCHBALL_CACHE_DIR", str(where))
    monkeypatch.delenv("CATCHBALL_NO_CACHE", raising=False)  # these tests are of the replay, whatever the suite runs with
    monkeypatch.delenv("CATCHBALL_NO_REPLAY", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    return where


def age(folder: Path) -> None:
    """Every file below folder last modified an hour ago: a file written in the two seconds before a run
    is never recorded (replay.RECENT_NS), and the tests write their files just before they run."""
    then = time.time() - 3600
    for place, _, names in os.walk(folder):
        for name in names:
            os.utime(os.path.join(place, name), (then, then), follow_symlinks=False)


@pytest.fixture
def catchball(cache, capsys, tmp_path):
    """catchball(*args) -> (ran, exit code, stdout, stderr): one run through the replay, its files aged first."""

    def run(*args, aged: bool = True):
        if aged:
            age(tmp_path)
        argv = [str(a) for a in args]
        ran = []

        def command():
            ran.append(True)
            app(args=argv, prog_name="catchball")

        with pytest.raises(SystemExit) as exit:
            replay.run(argv, command)
        out, err = capsys.readouterr()
        return bool(ran), exit.value.code, out, err

    return run


def records(cache: Path) -> int:
    with sqlite3.connect(cache / "cache.sqlite3") as db:
        return sum(bytes(v).startswith(replay.FORMAT) for (v,) in db.execute("SELECT value FROM entries"))


COMMANDS = [
    ["check"],
    ["check", "--format", "json"],
    ["check", "--format", "sarif", "--strict"],
    ["cascade"],
    ["cascade", "--team", "surgery", "--no-people"],
    ["report"],
    ["report", "--format", "html"],
    ["status"],
    ["capability"],
    ["measures"],
    ["measures", "--format", "json"],
    ["trace", "SURG-1"],
    ["chart", "falls-harm"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_second_run_is_played_back_exactly(make_repo, catchball, command):
    root = make_repo({**DEFECT, **DATA})
    first = catchball(*command, root)
    again = catchball(*command, root)
    assert first[0] and not again[0]
    assert again[1:] == first[1:]
    assert first[2]
    fresh = catchball(*command, root, "--no-cache")  # the same command, run without any cache
    assert fresh[0] and fresh[1:] == first[1:]


def test_check_exits_1_on_errors_when_played_back(make_repo, catchball):
    root = make_repo(DEFECT)
    assert catchball("check", root)[:2] == (True, 1)
    ran, code, out, _ = catchball("check", root)
    assert (ran, code) == (False, 1) and "CB201" in out


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _same_size_edit(root: Path, monkeypatch) -> None:
    _edit(root / "objectives/surgery.yaml", "by 30%", "by 40%")  # same length, same size on disk


def _rename(root: Path, monkeypatch) -> None:
    (root / "objectives/stray.yaml").rename(root / "objectives/strays.yaml")


def _delete(root: Path, monkeypatch) -> None:
    (root / "objectives/people/ward-7.yaml").unlink()


def _add(root: Path, monkeypatch) -> None:
    write_repo(root, {"objectives/more.yaml": "team: surgery\nobjectives:\n  - {id: SURG-2, title: More, owner: dd}\n"})


def _measure_data(root: Path, monkeypatch) -> None:
    _edit(root / "data/falls.csv", "2025-12,0.32", "2025-12,0.92")


def _settings(root: Path, monkeypatch) -> None:
    _edit(root / "catchball.yaml", "Test Trust", "Best Trust")


def _environment(root: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


def _day(root: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1830297600")  # 2028-01-01: overdue objectives


def _version(root: Path, monkeypatch) -> None:
    monkeypatch.setattr(replay, "__version__", "99.0")


def _code(root: Path, monkeypatch) -> None:
    monkeypatch.setattr(replay, "_code_digest", lambda: "edited")


def _installed(root: Path, monkeypatch) -> None:
    monkeypatch.setattr(replay, "_installed", lambda: [["site-packages", ["rich-99.0.dist-info"]]])


def _working_folder(root: Path, monkeypatch) -> None:
    elsewhere = root.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)


CHANGES = [
    _same_size_edit, _rename, _delete, _add, _measure_data, _settings, _environment, _day, _version, _code,
    _installed, _working_folder,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__.strip("_"))
@pytest.mark.parametrize("command", [["check", "--format", "json"], ["report"], ["cascade"]], ids=" ".join)
def test_nothing_is_ever_played_back_stale(make_repo, catchball, monkeypatch, change, command):
    root = make_repo({**DEFECT, **DATA})
    monkeypatch.chdir(root.parent)
    assert catchball(*command, root)[0]
    change(root, monkeypatch)
    after = catchball(*command, root)
    assert after[0], "played back after the inputs changed"
    assert catchball(*command, root, "--no-cache")[1:] == after[1:]  # and what it printed is the truth


def test_the_root_found_from_here_is_found_again(make_repo, catchball, monkeypatch, tmp_path):
    root = make_repo()
    monkeypatch.chdir(root / "objectives")  # no path: the nearest folder above with catchball.yaml
    assert catchball("cascade")[0] and not catchball("cascade")[0]
    (root / "catchball.yaml").rename(tmp_path / "catchball.yaml")  # now the nearest is above the goals
    assert catchball("cascade")[0]


def test_a_root_that_would_now_be_found_elsewhere_is_run_again(make_repo, catchball, monkeypatch, tmp_path):
    make_repo()
    monkeypatch.chdir(tmp_path)  # no catchball.yaml here or above: ./goals
    assert catchball("status")[0] and not catchball("status")[0]
    (tmp_path / "catchball.yaml").write_text("organisation: Above\n")  # the root is now here, goals/ inside it
    ran, code, out, _ = catchball("status")
    assert ran and (code, out) == catchball("status", "--no-cache")[1:3]


def test_a_goals_file_linked_out_of_the_root_is_run_again(make_repo, catchball, tmp_path):
    root = make_repo(DEFECT)
    stray = root / "objectives/stray.yaml"
    (root / "drafts").mkdir()
    (tmp_path / "outside").mkdir()
    for folder in (root / "drafts", tmp_path / "outside"):
        shutil.copy(stray, folder / "stray.yaml")
    stray.unlink()
    stray.symlink_to(root / "drafts/stray.yaml")
    first = catchball("check", root)
    assert first[0] and not catchball("check", root)[0]
    stray.unlink()
    stray.symlink_to(tmp_path / "outside/stray.yaml")  # the same bytes, but out of the root: not read
    after = catchball("check", root)
    assert after[0] and after[1:] != first[1:] and "outside the goals root" in after[3]


def test_a_new_day_is_run_again(make_repo, catchball, monkeypatch):
    import catchball.asof as asof
    import datetime as dt

    root = make_repo()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    monkeypatch.setattr(asof, "default_day", lambda environ=None: dt.date(2026, 12, 1))
    first = catchball("check", root)
    assert first[0] and not catchball("check", root)[0]
    monkeypatch.setattr(asof, "default_day", lambda environ=None: dt.date(2028, 1, 1))  # midnight passed, twice
    after = catchball("check", root)
    assert after[0] and after[2] != first[2]


def test_a_record_too_big_for_the_cache_is_never_kept(monkeypatch):
    monkeypatch.setenv("CATCHBALL_CACHE_MAX_MB", "0.001")  # a record may take a quarter: 262 bytes
    recorder = replay._Recorder("key")
    recorder.keep(0, "x" * 200)
    assert recorder.data is not None
    recorder.keep(0, "x" * 100)
    recorder.keep(0, "y")
    assert recorder.data is None and recorder.chunks == [[0, 200]]


def committed(root: Path) -> list[str]:
    """root made a git repository with its files in one commit; the git command line to go on with."""
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    return git


def test_a_report_shows_a_new_commit_when_it_has_one(make_repo, catchball, tmp_path):
    root = make_repo()
    git = committed(root)
    first = catchball("report", root)
    assert first[0] and not catchball("report", root)[0]
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "two"], check=True)
    after = catchball("report", root)
    assert after[0] and after[2] != first[2]


def test_a_commit_made_while_the_report_ran_is_not_recorded(make_repo, catchball, monkeypatch):
    import catchball.check as checking

    root = make_repo()
    git = committed(root)
    real = checking.run_check

    def committed_meanwhile(*args, **kwargs):
        subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "two"], check=True)
        return real(*args, **kwargs)

    monkeypatch.setattr(checking, "run_check", committed_meanwhile)
    during = catchball("report", root)
    monkeypatch.setattr(checking, "run_check", real)
    subprocess.run([*git, "reset", "-q", "--soft", "HEAD~1"], check=True)  # back to the commit it started on
    ran, _, out, _ = catchball("report", root)
    assert ran and out != during[2]


def test_a_template_folder_is_fingerprinted_too(make_repo, catchball, tmp_path):
    root = make_repo()
    folder = tmp_path / "board"
    folder.mkdir()
    (folder / "board.md.j2").write_text('{% include "part.md.j2" %}\n')
    (folder / "part.md.j2").write_text("first words\n")
    assert catchball("report", "--template", folder / "board.md.j2", root)[2] == "first words\n"
    assert not catchball("report", "--template", folder / "board.md.j2", root)[0]
    (folder / "part.md.j2").write_text("other words\n")
    assert catchball("report", "--template", folder / "board.md.j2", root)[:3] == (True, 0, "other words\n")


@pytest.mark.parametrize(
    "command, environment, database",
    [
        (["cascade", "--team", "no-such-team"], {}, True),  # exit 2
        (["check", "--no-cache"], {}, False),
        (["check"], {"CATCHBALL_NO_CACHE": "1"}, False),
        (["check"], {"CATCHBALL_NO_REPLAY": "1"}, True),  # the parse cache, and no record
        (["check", "--output", "{out}/findings.txt"], {}, True),
        (["report", "--output", "{out}/report.md"], {}, True),
        (["check"], {"CATCHBALL_CACHE_MAX_MB": "0.0001"}, True),  # more output than a record may hold
    ],
    ids=["failed", "--no-cache", "CATCHBALL_NO_CACHE", "CATCHBALL_NO_REPLAY", "check --output", "report --output", "too big"],
)
def test_what_is_never_recorded(make_repo, catchball, cache, monkeypatch, tmp_path, command, environment, database):
    root = make_repo(DEFECT)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    args = [a.format(out=tmp_path) for a in command]
    assert catchball(*args, root)[0]
    assert catchball(*args, root)[0]
    assert (cache / "cache.sqlite3").exists() == database  # --no-cache and CATCHBALL_NO_CACHE: no database at all
    if database:
        assert records(cache) == 0


@pytest.mark.parametrize("when", ["before it is read", "after it is read"])
def test_a_file_changed_while_the_command_ran_is_not_recorded(make_repo, catchball, monkeypatch, when):
    import catchball.check as checking

    root = make_repo()
    real = checking.run_check
    target = root / "objectives/surgery.yaml"
    before = target.read_text()
    after = before.replace("by 30%", "by 40%")

    def changed_as_it_runs(*args, **kwargs):
        if when == "before it is read":
            target.write_text(after)
        result = real(*args, **kwargs)
        target.write_text(after)  # read as it was: what the report shows is not in the file any more
        return result

    monkeypatch.setattr(checking, "run_check", changed_as_it_runs)
    assert catchball("report", root)[0]
    monkeypatch.setattr(checking, "run_check", real)
    for text in (after, before):  # neither the file as it ended nor as it began may be served that run's report
        target.write_text(text)
        ran, _, out, _ = catchball("report", root)
        assert ran and ("by 40%" if text == after else "by 30%") in out


def _value(cache: Path) -> tuple[str, bytes]:
    with sqlite3.connect(cache / "cache.sqlite3") as db:
        rows = [(k, bytes(v)) for k, v in db.execute("SELECT key, value FROM entries")]
    return next((k, v) for k, v in rows if v.startswith(replay.FORMAT))


def _put(cache: Path, key: str, value: bytes) -> None:
    with sqlite3.connect(cache / "cache.sqlite3") as db:
        db.execute("UPDATE entries SET value = ? WHERE key = ?", (value, key))


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty"])
def test_a_damaged_record_is_run_again_and_rewritten(make_repo, catchball, cache, damage):
    root = make_repo(DEFECT)
    first = catchball("check", root)
    key, value = _value(cache)
    broken = bytearray(value)
    if damage == "flip":
        broken[len(replay.FORMAT) + 3] ^= 0x20
    elif damage == "truncate":
        del broken[-10:]
    else:
        broken = bytearray()
    _put(cache, key, bytes(broken))
    again = catchball("check", root)
    assert again[0] and again[1:] == first[1:]
    assert not catchball("check", root)[0]  # rewritten


def test_another_runs_record_is_never_played(make_repo, catchball, cache):
    root = make_repo(DEFECT)
    catchball("check", root)
    key, text_record = _value(cache)
    catchball("check", "--format", "json", root)
    with sqlite3.connect(cache / "cache.sqlite3") as db:
        for (other,) in db.execute("SELECT key FROM entries WHERE key != ?", (key,)).fetchall():
            db.execute("UPDATE entries SET value = ? WHERE key = ?", (text_record, other))
    ran, _, out, _ = catchball("check", "--format", "json", root)
    assert ran and out.startswith("{")


def test_a_record_is_kept_under_the_cache_bound(make_repo, catchball, cache, monkeypatch):
    root = make_repo(DEFECT)
    monkeypatch.setenv("CATCHBALL_CACHE_MAX_MB", "0.05")  # a record may take a quarter: 13 kB
    for team in ("surgery", "ward-7", "board"):
        catchball("cascade", "--team", team, root)
    with sqlite3.connect(cache / "cache.sqlite3") as db:
        assert db.execute("SELECT sum(size) FROM entries").fetchone()[0] <= 0.05 * 1024 * 1024


def test_played_back_into_a_closed_pipe_is_exit_2(capsys):
    class Closed:
        encoding = "utf-8"
        errors = "strict"

        def write(self, text):
            raise BrokenPipeError

        def flush(self):
            pass

    header = {"key": "k", "code": 1, "given": None, "root": "/r", "trees": [], "chunks": [[0, 9]]}
    header, output = replay._decode(bytes(replay._seal(bytearray(replay.FORMAT) + b"findings\n", header)), "k")
    real = sys.stdout
    sys.stdout = Closed()
    try:
        code = replay._play(header, output)
    finally:
        sys.stdout = real
    assert code == 2
    assert capsys.readouterr().err == f"catchball: error: {BROKEN_PIPE}\n"


def test_a_progress_bar_is_written_past_the_record():
    class Stream:
        def write(self, text):
            return len(text)

    stream = Stream()
    recorder = replay._Recorder("key")
    tee = replay._Tee(stream, 1, recorder)
    assert replay.unrecorded(tee) is stream and replay.unrecorded(stream) is stream
    tee.write("a note\n")
    assert recorder.chunks == [[1, 7]]


def test_the_code_digest_follows_every_file(tmp_path):
    write_repo(tmp_path / "code", {"a.py": "x = 1\n", "sub/b.j2": "{{ x }}\n", "__pycache__/a.pyc": b"\0"})
    first = replay._tree(tmp_path / "code", skip=frozenset({"__pycache__"}))
    (tmp_path / "code/__pycache__/a.pyc").write_bytes(b"\1")
    assert replay._tree(tmp_path / "code", skip=frozenset({"__pycache__"})) == first
    (tmp_path / "code/sub/b.j2").write_text("{{ y }}\n")
    assert replay._tree(tmp_path / "code", skip=frozenset({"__pycache__"})) != first


def test_git_folder_is_left_out_but_hidden_files_are_not(tmp_path):
    write_repo(tmp_path / "g", {"a.yaml": "x: 1\n", ".git/index": b"1", ".data/s.csv": "period,value\n"})
    first = replay._tree(tmp_path / "g")
    (tmp_path / "g/.git/index").write_bytes(b"2")
    assert replay._tree(tmp_path / "g") == first
    (tmp_path / "g/.data/s.csv").write_text("period,value\n2025-01,1\n")
    assert replay._tree(tmp_path / "g") != first


chunk_lists = st.lists(st.tuples(st.sampled_from([0, 1]), st.text(max_size=40)), max_size=6)


@given(chunk_lists, st.sampled_from([0, 1]), st.none() | st.text(max_size=20))
def test_a_sealed_record_reads_back_as_written(chunks, code, given_root):
    recorder = replay._Recorder("the key")
    for number, text in chunks:
        recorder.keep(number, text)
    header = {"key": "the key", "code": code, "given": given_root, "root": "/r", "trees": [["/r", "goals", "d", 1, 2]],
              "chunks": recorder.chunks}
    found = replay._decode(bytes(replay._seal(recorder.data, header)), "the key")
    assert found is not None and found[0] == header
    assert bytes(found[1]).decode("utf-8", "surrogatepass") == "".join(text for _, text in chunks)
    assert replay._decode(bytes(replay._seal(bytearray(replay.FORMAT), header)), "another key") is None


@given(st.binary(max_size=300))
def test_any_bytes_are_a_record_or_nothing(data):
    assert replay._decode(data, "k") is None
    assert replay._decode(replay.FORMAT + data, "k") is None  # no checksum holds by chance


def test_a_file_written_just_before_the_run_is_not_recorded(make_repo, catchball):
    root = make_repo(DEFECT)
    assert catchball("check", root, aged=False)[0]
    assert catchball("check", root, aged=False)[0]  # still within two seconds of the writes
    assert catchball("check", root)[0] and not catchball("check", root)[0]


def test_the_command_line_plays_back_and_follows_an_edit(make_repo, cache):
    root = make_repo(DEFECT)
    age(root)
    run = [sys.executable, "-m", "catchball", "check", str(root)]
    env = dict(os.environ, CATCHBALL_CACHE_DIR=str(cache))
    first = subprocess.run(run, capture_output=True, text=True, env=env)
    again = subprocess.run(run, capture_output=True, text=True, env=env)
    assert first.returncode == again.returncode == 1
    assert (again.stdout, again.stderr) == (first.stdout, first.stderr) and "CB201" in first.stdout
    assert records(cache) == 1
    age(root)
    (root / "objectives/stray.yaml").write_text(textwrap.dedent(DEFECT["objectives/stray.yaml"]).replace(
        "owner: wm", "owner: wm\n    supports: W7-1"))
    fixed = subprocess.run(run, capture_output=True, text=True, env=env)
    assert fixed.returncode == 0 and "CB201" not in fixed.stdout


def test_a_template_folder_is_fingerprinted_as_far_as_a_template_can_reach(tmp_path):
    from catchball.report.render import TEMPLATE_SUFFIXES

    assert replay.TEMPLATE_SUFFIXES == TEMPLATE_SUFFIXES
    write_repo(tmp_path / "home", {"board.md.j2": "{{ x }}\n", "parts/a.jinja": "a\n", "notes.txt": "n\n",
                                   ".cache/big.j2": "x\n", ".hidden.j2": "h\n"})
    first = replay._tree(tmp_path / "home", replay.TEMPLATES)
    assert first[1:] == (2, 10)  # board.md.j2 and parts/a.jinja: what {% include %} can load
    for unseen in ("notes.txt", ".cache/big.j2", ".hidden.j2"):
        (tmp_path / "home" / unseen).write_text("changed\n")
    assert replay._tree(tmp_path / "home", replay.TEMPLATES) == first
    (tmp_path / "home/parts/a.jinja").write_text("b\n")
    assert replay._tree(tmp_path / "home", replay.TEMPLATES) != first


def test_a_fingerprint_reads_what_the_loader_would_and_no_more(tmp_path):
    from catchball.load.limits import MAX_FILE_BYTES

    assert replay.UNREAD_ABOVE == MAX_FILE_BYTES
    write_repo(tmp_path / "g", {"a.yaml": "x: 1\n"})
    os.mkfifo(tmp_path / "g/pipe.yaml")  # opened for reading, it would wait for a writer for ever
    with open(tmp_path / "g/big.yaml", "wb") as big:
        big.truncate(MAX_FILE_BYTES + 1)  # sparse: refused by its size, never read
    digest, files, size = replay._tree(tmp_path / "g")
    assert (files, size) == (3, 5)
    with open(tmp_path / "g/big.yaml", "r+b") as big:
        big.write(b"y")  # the same size: the loader would say the same
    assert replay._tree(tmp_path / "g")[0] == digest
    with open(tmp_path / "g/big.yaml", "ab") as big:
        big.write(b"y")
    assert replay._tree(tmp_path / "g")[0] != digest


def test_a_fault_in_the_replay_never_decides_the_outcome(make_repo, catchball, monkeypatch):
    root = make_repo(DEFECT)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the replay")

    monkeypatch.setattr(replay, "_still_holds", broken)
    monkeypatch.setattr(replay, "_seal", broken)
    first = catchball("check", root)
    again = catchball("check", root)
    assert first[0] and again[0] and again[1:] == first[1:] and first[1] == 1
    monkeypatch.setenv("CATCHBALL_DEBUG", "1")
    ran, code, _, err = catchball("check", root)
    assert ran and code == 1 and "RuntimeError: a bug in the replay" in err


def test_an_interrupted_run_is_not_recorded(make_repo, catchball, monkeypatch):
    import catchball.check as checking

    root = make_repo(DEFECT)
    real = checking.run_check

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(checking, "run_check", interrupted)
    ran, code, _, _ = catchball("check", root)
    assert ran and code == 130  # click's own ending for Ctrl-C
    monkeypatch.setattr(checking, "run_check", real)
    ran, code, out, _ = catchball("check", root)
    assert ran and code == 1 and "CB201" in out


@pytest.mark.parametrize("finished", [True, False])
def test_a_run_is_kept_only_when_the_command_says_it_finished(make_repo, cache, capsys, tmp_path, finished):
    root = make_repo()
    age(tmp_path)

    def command():  # a command that may end early: only finish() says all its output was written
        replay.start(str(root))
        print("all of it")
        if finished:
            replay.finish()
        raise SystemExit(0)

    with pytest.raises(SystemExit):
        replay.run(["status", str(root)], command)
    assert records(cache) == (1 if finished else 0)


@pytest.mark.parametrize("code", [0, 1, 2])
def test_only_a_run_that_ended_0_or_1_is_kept(make_repo, cache, tmp_path, code):
    root = make_repo()
    age(tmp_path)
    recorder = replay._Recorder("the key")
    recorder.start(str(root), None, False)
    recorder.keep(0, "the output\n")
    recorder.finished = True  # then the output was closed, say: exit 2 after all was written
    recorder.close(code)
    assert (cache / "cache.sqlite3").exists() == (code != 2)
    if code != 2:
        assert records(cache) == 1


def test_a_device_is_never_read_for_a_fingerprint(tmp_path):
    write_repo(tmp_path / "g", {"a.yaml": "x: 1\n"})
    (tmp_path / "g/zero.yaml").symlink_to("/dev/zero")  # read, it never ends
    digest, files, size = replay._tree(tmp_path / "g", within=(10, 1000))
    assert (files, size) == (2, 5)
