"""The parse cache: each goals file's records, keyed by what they were read from.

A second run over the same goals skips parsing: for each file we hash
catchball's reading code, the settings that affect reading, the path the
file is shown as and its bytes, and look that key up in the user's cache
folder (never in the goals repository, so a repository cannot plant
entries). The value is the file's FileGoals: its elements and its
file-local findings, exactly as reading would give them. A CSV file of
measure data read without a fault has an entry of its own, keyed by the
code that reads CSV files: its series by measure id (CsvSeries).

Entries are JSON (it runs no code on load, and measured no slower than
marshal here; docs/performance.md), behind a header that names the format
and a SHA-256 of the body. An entry that is truncated, corrupt, foreign
(another key's body) or of the wrong shape is a miss: the file is read again
and the entry rewritten.

The entries live in one SQLite database in the cache folder (catchball/store.py),
one row an entry. One file per entry cost a file creation each, and on this
machine's disk that was 0.6 ms of kernel time: a second of a cold run at
20,000 staff, for 2,100 entries. A forked worker opens a connection of its
own.

Any trouble with the cache folder (read-only, full, missing home) turns the
cache off for the run; a command never fails because of its cache.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path

from catchball import __version__
from catchball.store import (  # noqa: F401  (DATABASE, cache_folder and sweep are this module's to its users too)
    DATABASE, cache_folder, connect, lookup, max_bytes, put, remove_database, sqlite3, sweep, usable_folder,
)
from catchball.load.reader import FileGoals
from catchball.load.records import pack, unpack
from catchball.spc import Series


FORMAT = b"catchball-cache 2\n"  # first line of every entry; a new layout gets a new number

# What reading a file depends on besides its bytes and its path: the source of
# the code that reads it. A new catchball version changes __version__; an
# edited checkout (pip install -e) changes the source, so neither is served
# records read by other code.
_READING_CODE = (
    "load/reader.py", "load/plain.py", "load/values.py", "load/yaml_nodes.py", "load/fields.py", "load/limits.py",
    "load/nesting.py", "load/records.py", "load/cache.py", "model.py", "findings.py", "spelling.py",
)
# What reading a CSV file of measure data into series depends on (its own
# entries, keyed apart from goals files' so that editing one reader keeps the
# other's entries). The byte order is in the key too: values are stored as raw doubles.
_SERIES_READING_CODE = (
    "load/measure_data.py", "load/series.py", "load/limits.py", "load/cache.py", "asof.py", "spc.py",
)
# Settings (catchball.yaml) that change what reading one file gives. None do
# today: every settings-dependent judgement is made by the rules, after the
# cache. A setting added here is part of every key.
READING_SETTINGS: tuple[str, ...] = ()


class ParseCache:
    """Look up and store FileGoals by key in one cache folder's database."""

    def __init__(self, folder: Path, settings=None) -> None:
        self.folder = folder
        self.database = folder / DATABASE
        self.max_bytes = max_bytes()
        self.written = 0
        self.hits = self.misses = 0  # in this process (workers count their own)
        self.prefix = _prefix(settings)
        self.series_prefix = _prefix(settings, _SERIES_READING_CODE, sys.byteorder)
        self.working = True
        self._db: "sqlite3.Connection | None" = None
        self._pid = 0
        self._remade = False  # a damaged database is removed and made afresh once a run, no more
        self._held: list | None = None  # records held to be written later (hold_records), and room for more
        self._room = 0
        self._wrote_held = False

    @classmethod
    def open(cls, settings=None) -> "ParseCache | None":
        """The user's cache, or None when it is off or its folder cannot be made."""
        folder = usable_folder()
        if folder is None:
            return None
        return cls(folder, settings)

    def key(self, display_path: str, raw: bytes, prefix: bytes | None = None) -> str:
        digest = hashlib.sha256(self.prefix if prefix is None else prefix)
        path = display_path.encode("utf-8", "surrogateescape")
        digest.update(len(path).to_bytes(4, "little") + path)
        digest.update(raw)
        return digest.hexdigest()

    def get(self, key: str, display_path: str) -> FileGoals | None:
        """The FileGoals stored under key, or None (missing, damaged, foreign or of the wrong shape)."""
        return self._get(key, display_path, decode)

    def put(self, key: str, part: FileGoals) -> None:
        """Store part under key, atomically; a failure turns the cache off for the run."""
        self.put_record(key, pack(part))

    def put_record(self, key: str, record: list, size: int = 0) -> None:
        """Store a file's record (load/records.py's pack) under key, atomically; held instead while
        hold_records() has room for `size` (the bytes it was read from)."""
        if not self.working:
            return
        if self._held is not None and size <= self._room:
            self._room -= size
            self._held.append((key, record))
            return
        self._put(key, encode_record(record, key))

    def hold_records(self, room: int) -> None:
        """Hold the records put from now on, up to `room` bytes of goals files read, until write_held().

        A reading worker holds them while it reads, and writes them once it
        has sent the parent all it read, its tail's answer too: on a first
        run that is a sixth of its work (encoding and storing the entries),
        done while the parent runs the rules on the core they leave idle,
        rather than while it waits for the records. The room bounds what is held in memory: a national
        repository writes most of its entries as it reads them. Once a
        process has written what it held, it holds no more.
        """
        if self._held is None and not self._wrote_held:
            self._held, self._room = [], room

    def write_held(self) -> None:
        """Write the records held (hold_records), and hold no more."""
        held, self._held = self._held or [], None
        self._wrote_held = True
        for key, record in held:
            self.put_record(key, record)

    def series_key(self, display_path: str, raw: bytes) -> str:
        """The key of a CSV file's series: its reading code, path and bytes."""
        return self.key(display_path, raw, self.series_prefix)

    def get_series(self, key: str, display_path: str) -> "CsvSeries | None":
        """The series of a CSV file stored under key, or None (missing, damaged, foreign or of the wrong shape)."""
        return self._get(key, display_path, decode_series)

    def put_series(self, key: str, table: "CsvSeries") -> None:
        """Store a CSV file's series under key, atomically; a failure turns the cache off for the run."""
        if self.working:
            self._put(key, encode_series(table, key))

    def get_state(self, key: str) -> dict | None:
        """The body of the state kept under key (catchball/incremental.py), or None (missing, damaged or foreign)."""
        db = self._connection()
        if db is None:
            return None
        try:
            return lookup(db, key, lambda value: decode_state(value, key))
        except sqlite3.Error as exc:
            self._trouble(exc)
            return None

    def put_state(self, key: str, body: dict) -> None:
        """Keep a check's state under key, atomically; a failure turns the cache off for the run."""
        if self.working:
            self._put(key, encode_state(body, key))

    def holds_nothing(self) -> bool:
        """Whether every lookup would miss: the database has no entries, or cannot be read."""
        db = self._connection()
        if db is None:
            return True
        try:
            return db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is None
        except sqlite3.Error as exc:
            self._trouble(exc)
            return True

    def _get(self, key: str, display_path: str, decoder):
        found = None
        db = self._connection()
        if db is not None:
            try:
                found = lookup(db, key, lambda value: decoder(value, key, display_path))
            except sqlite3.Error as exc:
                self._trouble(exc)
                found = None
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        return found

    def _put(self, key: str, data: bytes) -> None:
        db = self._connection()
        if db is None:
            return
        try:
            put(db, key, data)
        except sqlite3.Error as exc:
            self._trouble(exc)
            return
        self.written += len(data)

    def _trouble(self, exc: "sqlite3.Error") -> None:
        """After an error: a damaged file is removed (remade on next use, once a run); anything else ends the cache for the run."""
        damaged = not isinstance(exc, sqlite3.OperationalError)  # SQLITE_CORRUPT, SQLITE_NOTADB: not "locked", "full"
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None
        if damaged and not self._remade:
            self._remade = True
            remove_database(self.database)
        else:
            self.working = False

    def _connection(self) -> "sqlite3.Connection | None":
        """This process's connection, opened on first use (a forked worker opens its own)."""
        if self._db is not None and self._pid == os.getpid():
            return self._db
        if self._db is not None:
            # Inherited from the parent through fork: never used, and never
            # closed here either (closing it could end the parent's locks or
            # checkpoint its WAL from under it), so kept from the collector.
            _INHERITED.append(self._db)
            self._db = None
        if not self.working:
            return None
        self._pid = os.getpid()
        self._db = connect(self.database)
        if self._db is None:
            self.working = False
        return self._db

    def sweep(self) -> None:
        """After a run that wrote entries: remove the least recently used until under the bound."""
        if not self.written:
            return
        db = self._connection()
        if db is not None:
            try:
                sweep(db, self.max_bytes)
            except sqlite3.Error:
                pass
        old = self.folder / "entries"  # catchball 0.x before the database: one file an entry
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)


# Connections a forked worker inherited (see _connection).
_INHERITED: list = []

def _prefix(settings, code: tuple[str, ...] | None = None, extra: str = ""):
    digest = hashlib.sha256(FORMAT + __version__.encode() + b"\0" + (extra.encode() + b"\0" if extra else b""))
    here = Path(__file__).resolve().parent.parent
    for name in _READING_CODE if code is None else code:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(b"missing " + name.encode())
    reading = [(name, repr(getattr(settings, name, None))) for name in READING_SETTINGS]
    digest.update(json.dumps(reading).encode() + b"\0")
    return digest.digest()  # bytes, so that a ParseCache can be handed to forked workers


# -- the entry format ------------------------------------------------------------
#
# body = {"key": KEY, "record": RECORD}, RECORD being the file's records as
# load/records.py packs them (the same records worker processes send back).


def encode(part: FileGoals, key: str) -> bytes:
    """One entry's bytes: header, checksum, JSON body."""
    return encode_record(pack(part), key)


def encode_record(record: list, key: str) -> bytes:
    """The entry of a file's record (as load/records.py packs it)."""
    body = {"key": key, "record": record}
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=True, check_circular=False).encode("utf-8")
    return FORMAT + hashlib.sha256(text).hexdigest().encode() + b"\n" + text


def decode(data: bytes, key: str, display_path: str) -> FileGoals | None:
    """The FileGoals in an entry, or None unless header, checksum, key, path and shape all hold."""
    text = _checked_body(data)
    if text is None:
        return None
    try:
        body = json.loads(text)
        if type(body) is not dict or body.get("key") != key:
            return None
        part = unpack(body["record"])
    except (KeyError, TypeError, ValueError, OverflowError, RecursionError):
        return None
    return part if part.file == display_path else None


def encode_state(body: dict, key: str) -> bytes:
    """A state's bytes: header, checksum, JSON body (with its key)."""
    # ASCII: a finding's text may hold a lone surrogate (JSON's \u escape keeps it, UTF-8 cannot)
    data = json.dumps({"key": key, **body}, separators=(",", ":"), check_circular=False).encode("ascii")
    return FORMAT + hashlib.sha256(data).hexdigest().encode() + b"\n" + data


def decode_state(data: bytes, key: str) -> dict | None:
    """The body of a state, or None unless header, checksum and key hold."""
    text = _checked_body(data)
    if text is None:
        return None
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return body if type(body) is dict and body.get("key") == key else None


def _checked_body(data: bytes) -> bytes | None:
    """An entry's JSON body, or None unless its header is ours and its checksum holds."""
    if not data.startswith(FORMAT):
        return None
    checksum, newline, text = data[len(FORMAT):].partition(b"\n")
    if not newline or hashlib.sha256(text).hexdigest().encode() != checksum:
        return None
    return text


def _list(value) -> list:
    if type(value) is not list:
        raise ValueError("not a list")
    return value


# -- CSV series entries ----------------------------------------------------------
#
# body = JSON, then a NUL, then VALUES: the doubles of every series one after
# the other, in this machine's byte order (part of the key). The JSON is
# {"key": KEY, "csv": PATH, "by_measure": bool, "periods": [[PERIOD, ...], ...],
#  "series": [[MEASURE ID or null, index into periods], ...]}, a series having
# one value for each of its periods. JSON text never holds a raw NUL (it
# writes control characters escaped), so the first one ends it; the checksum
# covers both parts. Raw doubles, where hex text in the JSON was twice the
# bytes to write, hash and read (0.3 s a cold run at 20,000 staff with data).
# Only series read without a fault are stored (measure_data._read_quickly):
# a file with a fault is read again, to report it.


@dataclass(slots=True)
class CsvSeries:
    """A CSV file's series as read: by measure id (None without a `measure` column)."""

    file: str
    by_measure: bool
    series: dict[str | None, Series]


def encode_series(table: CsvSeries, key: str) -> bytes:
    """One CSV entry's bytes: header, checksum, JSON body, NUL, the values."""
    periods: dict[tuple, int] = {}
    rows = []
    values = array("d")
    for measure_id, series in table.series.items():
        rows.append([measure_id, periods.setdefault(series.periods, len(periods))])
        values.extend(series.values)
    body = {"key": key, "csv": table.file, "by_measure": table.by_measure, "periods": list(periods), "series": rows}
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode("utf-8")
    text += b"\0" + values.tobytes()
    return FORMAT + hashlib.sha256(text).hexdigest().encode() + b"\n" + text


def decode_series(data: bytes, key: str, display_path: str) -> CsvSeries | None:
    """The series in a CSV entry, or None unless header, checksum, key, path and shape all hold."""
    checked = _checked_body(data)
    if checked is None:
        return None
    text, nul, raw = checked.partition(b"\0")
    if not nul or len(raw) % 8:
        return None
    try:
        body = json.loads(text)
        if type(body) is not dict or body.get("key") != key or body.get("csv") != display_path:
            return None
        by_measure = body["by_measure"]
        if type(by_measure) is not bool:
            return None
        periods = []
        for written in _list(body["periods"]):
            if not all(type(p) is str for p in _list(written)):
                return None
            periods.append(tuple(map(sys.intern, written)))
        values = array("d", raw)
        if not all(map(math.isfinite, values)):
            return None
        series: dict[str | None, Series] = {}
        at = 0
        for row in _list(body["series"]):
            measure_id, index = _list(row)
            if not (measure_id is None or type(measure_id) is str) or type(index) is not int or index < 0:
                return None
            these = periods[index]
            series[measure_id] = Series(these, values[at : at + len(these)])  # ValueError unless one value a period
            at += len(these)
        if at != len(values):
            return None
    except (KeyError, TypeError, ValueError, IndexError, RecursionError):
        return None
    return CsvSeries(display_path, by_measure, series)
