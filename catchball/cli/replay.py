"""Replay: a command run again on the same inputs prints what it printed, without doing the work again.

`catchball check goals` run twice on goals that have not changed gives the
same findings, so the second run need not read, link and check 60,000
objectives again. A command that reads the goals and writes only to
stdout and stderr (check, cascade, report, status, capability, trace,
measures, chart) is recorded: what it wrote, in order, and its exit code.
A later run is played back from that record when everything the output can
depend on is the same:

- the run key, worked out before anything is loaded: catchball's version
  and the bytes of its code and templates, the Python and the installed
  distributions, the command line, the working folder, the environment
  (all of it, but for the shell's bookkeeping in VOLATILE), the as-of day,
  and what stdin, stdout and stderr are (terminals, their size, encodings);
- the goals root found again the same way, and the fingerprint of every
  file below it (names, kinds, where links lead, and a SHA-256 of the
  bytes; `.git` apart, hidden files in: a CSV path may name one), and of
  the template files in the folder of a `--template`;
- for a report, the goals revision it prints (git's commit, and whether
  the goals have changes since).

What is recorded must have come from those files: the file system's word
on every entry below the root (kind, size, times, inode) is taken before
the command runs and again after it, and the bytes are hashed only then.
A file written meanwhile, or in the two seconds before the run (a second
write within the clock's step could leave the times as they were), means
no record. Nor is there one for a run that failed (exit 2), was
interrupted, gave `--output`, `--diff` or `--no-cache`, or wrote more
than a record may hold.

Records live in the cache database (catchball/store.py) beside the parse
cache, under its bound, and are checked like its entries: a record that
is damaged or not ours is a miss. `--no-cache` or CATCHBALL_NO_CACHE=1
turns the replay off with the cache; CATCHBALL_NO_REPLAY=1 the replay
alone. This module imports little, so that a replay starts and ends before
the model, typer or rich would have loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
import zlib
from pathlib import Path

from catchball import __version__, store
from catchball.goals_root import nearest_root

OFF_VARIABLE = "CATCHBALL_NO_REPLAY"  # 1: run every command, but keep the parse cache (timing, a doubt)
FORMAT = b"catchball-replay 2\n"  # first line of every record; a new layout gets a new number (2: CRC-32)
KEY_DOMAIN = b"catchball replay\0"  # keys of records and of parse cache entries never meet
# The commands that record themselves (they call start() and finish()).
COMMANDS = frozenset({"check", "cascade", "report", "status", "capability", "trace", "measures", "chart"})
# Environment variables that a shell changes between two identical runs and
# that no code reads for output: leaving them out of the key lets a replay hit.
VOLATILE = frozenset({"_", "OLDPWD", "PWD", "SHLVL"})
SKIPPED_FOLDERS = frozenset({".git"})  # git's own files: the goals' history, not the goals
MAX_TREE_FILES = 500_000  # a folder bigger than this is not fingerprinted: no record
MAX_TREE_BYTES = 8 * 1024**3
MAX_RECORD_SHARE = 4  # a record may take at most a quarter of the cache's bound
CHUNK = 1024 * 1024  # bytes hashed at a time
UNREAD_ABOVE = 20 * 1024 * 1024  # load/limits.py MAX_FILE_BYTES: a larger file is refused unread (CB101)


def run(argv: list[str], command) -> None:
    """Play back argv's record when it still holds; else call command(), recording what it writes."""
    key = _guarded(argv, lambda: _run_key(argv) if _may_replay(argv) else None)
    found = None if key is None else _guarded(argv, lambda: _holding(key))
    if found is not None:
        raise SystemExit(_play(*found))
    recorder = _Recorder(key) if key is not None else None
    _RECORDING["now"] = recorder
    if recorder is None:
        command()
        return
    real = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Tee(real[0], 0, recorder), _Tee(real[1], 1, recorder)
    code = 2
    try:
        command()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        raise
    finally:
        sys.stdout, sys.stderr = real
        _RECORDING["now"] = None
        _guarded(argv, lambda: recorder.close(code))


def _guarded(argv: list[str], work):
    """work(), or None when it fails: the replay saves time, it never decides a command's outcome.

    A failure here is a bug in catchball; with --debug or CATCHBALL_DEBUG=1
    its traceback is printed, and the command runs (or ends) as it would
    have without the replay.
    """
    try:
        return work()
    except Exception:
        if "--debug" in argv or os.environ.get("CATCHBALL_DEBUG", "").strip() not in ("", "0"):
            import traceback

            sys.stderr.write("catchball: the replay failed (a bug in catchball); the command runs without it\n")
            traceback.print_exc()
        return None


def _holding(key: str) -> tuple[dict, memoryview] | None:
    """The record under key, when there is one and it still holds."""
    found = _stored(key)
    return found if found is not None and _still_holds(found[0]) else None


def start(path: str | None, template: str | None = None, revision: bool = False) -> None:
    """Called by a command that may be recorded, before it reads anything.

    `path` is the goals root as given (None: found from here); `template`
    a user template, whose folder is fingerprinted too; `revision` that the
    output shows the goals revision (the report).
    """
    recorder = _RECORDING["now"]
    if recorder is not None:
        recorder.start(path, template, revision)


def finish() -> None:
    """Called by a command when all its output is written: the run may be recorded."""
    recorder = _RECORDING["now"]
    if recorder is not None:
        recorder.finished = True


def unrecorded(stream):
    """The stream behind a recorded one: for what a replay must not repeat (a progress bar)."""
    return stream.stream if isinstance(stream, _Tee) else stream


_RECORDING: dict = {"now": None}


# -- the run key -------------------------------------------------------------


def _may_replay(argv: list[str]) -> bool:
    words = [a for a in argv if not a.startswith("-")]
    return (
        bool(words) and words[0] in COMMANDS and "--no-cache" not in argv
        and store.enabled_by_environment() and store.sqlite3 is not None
        and os.environ.get(OFF_VARIABLE, "").strip() in ("", "0")
    )


def _run_key(argv: list[str]) -> str | None:
    """What the output can depend on besides the files, as one SHA-256; None when it cannot be told."""
    from catchball.asof import default_day
    from catchball.errors import CatchballError

    try:
        day = default_day().isoformat()
        cwd = os.getcwd()
    except (CatchballError, OSError):  # a bad SOURCE_DATE_EPOCH, a removed working folder: just run
        return None
    parts = {
        "catchball": __version__,
        "code": _code_digest(),
        "python": [sys.version, sys.executable, sys.flags.utf8_mode],
        "installed": _installed(),
        "argv": argv,
        "cwd": cwd,
        "environment": sorted((k, v) for k, v in os.environ.items() if k not in VOLATILE),
        "streams": _streams(),
        "day": day,
    }
    text = json.dumps(parts, ensure_ascii=True)  # ascii: names that are not UTF-8 stay as escapes
    return hashlib.sha256(KEY_DOMAIN + text.encode("ascii")).hexdigest()


def _code_digest() -> str:
    """A SHA-256 of catchball's own files: an edited checkout (pip install -e) is other code."""
    import catchball.templates

    digest = hashlib.sha256()
    for folder in dict.fromkeys([Path(__file__).resolve().parent.parent, *map(Path, catchball.templates.__path__)]):
        digest.update(_tree(str(folder), skip=frozenset({"__pycache__"}))[0].encode())
    return digest.hexdigest()


def _installed() -> list[str]:
    """The distributions on the import path, by name and version (a new rich may print otherwise)."""
    found = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.append([entry, sorted(n for n in names if n.endswith((".dist-info", ".egg-info", ".pth")))])
    return found


def _streams() -> list:
    """Whether each standard stream is a terminal, a terminal's size, and the encodings written in."""
    facts = []
    for number, stream in enumerate((sys.stdin, sys.stdout, sys.stderr)):
        try:
            terminal = os.isatty(number)
            size = tuple(os.get_terminal_size(number)) if terminal else None
        except OSError:
            terminal, size = False, None
        facts.append([terminal, size, getattr(stream, "encoding", None), getattr(stream, "errors", None)])
    return facts


# -- fingerprints of folders -------------------------------------------------


class _TooBig(Exception):
    pass


GOALS, TEMPLATES = "goals", "templates"  # what a fingerprinted folder holds
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")  # report/render.py's: only such files can be loaded from a template's folder


def _walk(folder: str, kind: str, skip: frozenset = SKIPPED_FOLDERS):
    """(place, its path from folder, sorted folders, sorted files) below folder, as far as `kind` can read.

    A goals root is walked whole but for `skip` (a CSV path may name a
    hidden file); a template's folder only as the report's loader can reach
    into it: template files, no hidden file or folder.
    """
    for place, dirs, names in os.walk(folder):
        if kind == TEMPLATES:
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            names = [n for n in names if n.endswith(TEMPLATE_SUFFIXES) and not n.startswith(".")]
        else:
            dirs[:] = sorted(d for d in dirs if d not in skip)
        yield place, os.path.relpath(place, folder), dirs, sorted(names)


def _tree(folder: str, kind: str = GOALS, skip: frozenset = SKIPPED_FOLDERS,
          within: tuple[int, int] | None = None) -> tuple[str, int, int]:
    """(SHA-256, files, bytes) of every name below folder, its kind, where a link leads and its bytes.

    Raises _TooBig past MAX_TREE_FILES or MAX_TREE_BYTES, or past `within`
    (files, bytes) when given: a fingerprint that grew past the recorded one
    cannot match it.
    """
    limit_files, limit_bytes = within or (MAX_TREE_FILES, MAX_TREE_BYTES)
    digest = hashlib.sha256()
    files = size = 0
    for place, here, dirs, names in _walk(folder, kind, skip):
        for name in dirs:
            full = os.path.join(place, name)
            if os.path.islink(full):  # not walked (os.walk does not follow it), but where it leads matters
                _entry(digest, here, name, "folder link", os.path.realpath(full))
            else:
                _entry(digest, here, name, "folder", "")
        for name in names:
            full = os.path.join(place, name)
            files += 1
            if files > limit_files:
                raise _TooBig
            link = os.path.realpath(full) if os.path.islink(full) else ""
            try:
                content, size = _content(full, size, limit_bytes)
            except OSError as exc:  # unreadable, a link to nothing
                content = f"error {exc.errno}"
            _entry(digest, here, name, "file " + link, content)
    return digest.hexdigest(), files, size


def _content(path: str, size: int, limit: int) -> tuple[str, int]:
    """(what the file holds, bytes read so far) for a fingerprint; read as the loader reads (load/limits.py).

    A pipe, socket or device is never opened for reading (O_NONBLOCK: a FIFO
    must not wait for a writer), and a file the loader refuses unread for
    its size is told by its size alone.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return f"kind {stat.S_IFMT(info.st_mode)}", size
        if info.st_size > UNREAD_ABOVE:
            return f"unread {info.st_size}", size
        file_digest = hashlib.sha256()
        while block := os.read(fd, CHUNK):
            size += len(block)
            if size > limit:
                raise _TooBig
            file_digest.update(block)
        return file_digest.hexdigest(), size
    finally:
        os.close(fd)


def _entry(digest, here: str, name: str, kind: str, content: str) -> None:
    for part in (here, name, kind, content):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")


def _fingerprints(folders: list, within: list | None = None) -> list | None:
    """[[folder, kind, SHA-256, files, bytes], ...] of [[folder, kind], ...], or None when one is too big
    (or outgrew `within`, the fingerprints recorded)."""
    found = []
    for at, (folder, kind) in enumerate(folders):
        try:
            limit = None if within is None else (within[at][3], within[at][4])
            found.append([folder, kind, *_tree(folder, kind, within=limit)])
        except _TooBig:
            return None
    return found


RECENT_NS = 2 * 10**9  # a file changed this close to the run may change again unseen (2 s: FAT's clock)


def _snapshots(folders: list) -> list | None:
    """What the file system says of every entry below each folder (kind, size, times, inode); None past the bounds.

    A write changes a file's modification and change times, so a snapshot
    taken after the run equal to one taken before means no file was written
    meanwhile, but for a write within the clock's step of an earlier one:
    _recent rules those out.
    """
    found = []
    for folder, kind in folders:
        entries = []
        for place, _, dirs, names in _walk(folder, kind):
            for name in names + dirs:
                full = os.path.join(place, name)
                try:
                    seen = os.lstat(full)
                    kind = seen.st_mode
                    if stat.S_ISLNK(kind):
                        seen = os.stat(full)  # what the link leads to, and where: the link's own times say neither
                except OSError as exc:
                    entries.append((full, exc.errno))
                    continue
                entries.append((full, kind, seen.st_mode, seen.st_size, seen.st_mtime_ns, seen.st_ctime_ns, seen.st_ino))
                if len(entries) > MAX_TREE_FILES:
                    return None
        found.append(entries)
    return found


def _recent(snapshot: list, began: int) -> bool:
    """Whether an entry was modified less than RECENT_NS before `began` (or after it).

    A write sets the modification time to the clock's time, so a file last
    modified well before the run that is written during it shows a new time
    (one whose time was set back by a tool shows it too).
    """
    return any(
        len(e) > 2 and not stat.S_ISDIR(e[2]) and e[4] >= began - RECENT_NS  # a folder's listing is compared whole
        for entries in snapshot for e in entries
    )


def _root(given: str | None) -> str:
    """The goals root as the loader will find it, as an absolute path."""
    return os.path.abspath(given if given is not None else nearest_root(Path.cwd()))


def _revision(root: str):
    from catchball.revision import goals_revision

    return goals_revision(Path(root))


# -- recording ---------------------------------------------------------------


class _Tee:
    """A standard stream that also keeps what is written to it, for the record."""

    def __init__(self, stream, number: int, recorder: "_Recorder") -> None:
        self.stream = stream
        self._number = number
        self._recorder = recorder

    def write(self, text: str) -> int:
        written = self.stream.write(text)
        self._recorder.keep(self._number, text)
        return written

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):  # isatty, fileno, encoding, flush, ...: the stream's own
        return getattr(self.stream, name)


class _Recorder:
    """What a run writes, as the record's bytes from the start: one buffer, never copied whole.

    A record is FORMAT, then the output as UTF-8, chunk after chunk, then
    the header (JSON: the key, the root, the fingerprints, the exit code and
    each chunk's stream and length), its length (8 bytes) and a SHA-256 of
    everything before it. The header comes last so that it can be appended
    to the output already kept: a cascade of 127,000 lines is 12 MB.
    """

    def __init__(self, key: str) -> None:
        self.key = key
        self.data: bytearray | None = bytearray(FORMAT)
        self.chunks: list[list[int]] = []  # [stream number, bytes], one after the other as written
        self.limit = store.max_bytes() // MAX_RECORD_SHARE
        self.started: dict | None = None
        self.finished = False
        self.plain = True  # the output is UTF-8 as a UTF-8 stream writes it: played back as bytes

    def start(self, given: str | None, template: str | None, revision: bool) -> None:
        root = _root(given)
        folders = [[root, GOALS]]
        if template is not None:
            folder = os.path.dirname(os.path.abspath(template))
            if not (folder + os.sep).startswith(root + os.sep):
                folders.append([folder, TEMPLATES])  # one beside the goals is in the root's fingerprint already
        # Before the run only what the file system says of each file (a tenth of hashing it): the
        # bytes are hashed after the run, and kept only if nothing was touched meanwhile.
        began = time.time_ns()
        snapshot = _snapshots(folders)
        if snapshot is None or _recent(snapshot, began):
            return
        self.started = {"given": given, "root": root, "folders": folders, "snapshot": snapshot}
        if revision:
            self.started["revision"] = _revision(root)

    def keep(self, number: int, text: str) -> None:
        if self.data is None or not text:
            return
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: kept, but played back through the text stream
            raw = text.encode("utf-8", "surrogatepass")
            self.plain = False
        if len(self.data) + len(raw) > self.limit:  # too much to keep: no record, and no more memory spent on it
            self.data = None
            return
        self.data += raw
        if self.chunks and self.chunks[-1][0] == number:
            self.chunks[-1][1] += len(raw)
        else:
            self.chunks.append([number, len(raw)])

    def close(self, code: int) -> None:
        started, data = self.started, self.data
        if not (self.finished and started is not None and data is not None and code in (0, 1)):
            return
        # The same files after the run as before it: what was written came from them.
        if _snapshots(started["folders"]) != started["snapshot"]:
            return
        trees = _fingerprints(started["folders"])
        if trees is None or ("revision" in started and _revision(started["root"]) != started["revision"]):
            return
        header = {"given": started["given"], "root": started["root"], "trees": trees}
        if "revision" in started:
            header["revision"] = started["revision"]
        self.data = None
        _store(self.key, _seal(data, dict(header, key=self.key, code=code, chunks=self.chunks, plain=self.plain)))


# A record's checksum finds what damage does to it (a torn write, a bad disk):
# CRC-32 does that as SHA-256 does, in a third of the time, and a cascade's
# record is 10 MB read on every replay (5 ms of SHA-256 at 20,000 staff).
# Nothing is gained from a cryptographic hash here: whoever can write the
# cache folder can write any checksum. The key, which names what the record
# was made from, stays a SHA-256.
CHECKSUM_BYTES = 4


def _checksum(data) -> bytes:
    return zlib.crc32(data).to_bytes(CHECKSUM_BYTES, "little")


def _seal(data: bytearray, header: dict) -> bytearray:
    """FORMAT and the output in data, made a whole record: the header, its length and the checksum appended."""
    text = json.dumps(header, ensure_ascii=True).encode()
    data += text + len(text).to_bytes(8, "little")
    data += _checksum(data)
    return data


# -- the records in the cache database ----------------------------------------


def _decode(data, key: str) -> tuple[dict, memoryview] | None:
    """(header, output) of the record in data, or None unless its format, checksum, key and shape all hold."""
    tail = 8 + CHECKSUM_BYTES  # the header's length, then the checksum
    if type(data) is not bytes or not data.startswith(FORMAT) or len(data) < len(FORMAT) + tail:
        return None
    if _checksum(memoryview(data)[:-CHECKSUM_BYTES]) != data[-CHECKSUM_BYTES:]:
        return None
    length = int.from_bytes(data[-tail:-CHECKSUM_BYTES], "little")
    body_end = len(data) - tail - length
    if body_end < len(FORMAT):
        return None
    try:
        record = json.loads(data[body_end:-tail])
        ok = (
            type(record) is dict and record.get("key") == key and record.get("code") in (0, 1)
            and (record.get("given") is None or type(record["given"]) is str) and type(record.get("root")) is str
            and all(type(t) is list and len(t) == 5 and type(t[0]) is str and t[1] in (GOALS, TEMPLATES)
                    and type(t[3]) is int and type(t[4]) is int for t in record["trees"])
            and all(type(c) is list and len(c) == 2 and c[0] in (0, 1) and type(c[1]) is int and c[1] >= 0
                    for c in record["chunks"])
            and sum(c[1] for c in record["chunks"]) == body_end - len(FORMAT)
        )
    except (KeyError, TypeError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    return (record, memoryview(data)[len(FORMAT):body_end]) if ok else None


def _database():
    folder = store.usable_folder()
    return None if folder is None else store.connect(folder / store.DATABASE)


def _stored(key: str) -> tuple[dict, memoryview] | None:
    db = _database()
    if db is None:
        return None
    try:
        record = store.lookup(db, key, lambda value: _decode(value, key))
    except store.sqlite3.Error:
        return None
    finally:
        db.close()
    return record


def _store(key: str, data: bytes) -> None:
    db = _database()
    if db is None:
        return
    try:
        store.put(db, key, data)
        store.sweep(db, store.max_bytes())
    except store.sqlite3.Error:
        pass  # a cache that cannot be written is no reason for a command to fail
    finally:
        db.close()


# -- playing back ------------------------------------------------------------


def _still_holds(record: dict) -> bool:
    """Whether the goals root, its files (and the revision a report shows) are what they were when recorded."""
    if _root(record["given"]) != record["root"]:
        return False
    trees = record["trees"]
    if _fingerprints([t[:2] for t in trees], within=trees) != trees:
        return False
    return "revision" not in record or _revision(record["root"]) == record["revision"]


def _write(stream, part: memoryview, plain: bool) -> None:
    """Write part of a record to stream: its bytes as they are where the run's text became those bytes.

    A UTF-8 stream on a system that writes newlines as they are (not
    Windows) turned the run's text into exactly these bytes; a 12 MB
    cascade so skips decoding and encoding again. Anything else is written
    as text, as the run wrote it.
    """
    from catchball.cli.streams import is_utf8

    buffer = getattr(stream, "buffer", None)
    if plain and buffer is not None and os.linesep == "\n" and is_utf8(stream):
        stream.flush()
        buffer.write(part)
    else:
        stream.write(str(part, "utf-8", "surrogatepass"))


def _play(record: dict, output: memoryview) -> int:
    """Write the record's output as the run wrote it; its exit code (2 when the output was closed)."""
    from catchball.cli import streams

    streams.prepare()
    outputs = (sys.stdout, sys.stderr)
    try:
        at = 0
        for number, size in record["chunks"]:
            _write(outputs[number], output[at : at + size], record.get("plain") is True)
            at += size
            if number == 1:
                sys.stderr.flush()  # stderr unbuffered as in the run: notes come before what follows them
        sys.stdout.flush()
    except BrokenPipeError:
        streams.silence_stdout()
        sys.stderr.write(f"catchball: error: {streams.BROKEN_PIPE}\n")
        return 2
    return record["code"]
